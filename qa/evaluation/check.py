"""``budget-qa check``: how well was a batch of disclosures understood, without any gold answers.

For each document: its identity as read (publisher, region, year, kind), the tables its own 目录 lists
against the tables read, and a standard battery of questions asked the way a user would ask them
("{publisher}{year}年收入总计是多少？"), each answer verified against the document itself:

- the cited document is the one asked about (or a file of the same disclosure);
- every figure the answer gives is printed on the page it cites (in the answer's unit or converted);
- 收入总计 = 支出总计 when both are answered.

An item the document never names, or names with no figure (only in its 目录 or a definition), is "not
disclosed"; a refusal then is right. With a manifest
(``MANIFEST.tsv``: file, class, publisher, year, city) the identity is also compared with it.

    >>> verdict_counts([ItemResult("收入总计", "verified"), ItemResult("三公经费", "refused")])
    {'verified': 1, 'refused': 1}
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pdfplumber

from index.core import units
from index.core.lexicon import LEVEL_MARK
from index.core.model import NOT_A_BUDGET, Document
from index.core.numbers import unglue
from index.core.text import compact
from index.read.toc import listed_tables, title_key
from index.store.facts import DocumentRecord
from qa.contract import Answer, Citation
from qa.services import Services

# (item, question wording, words whose presence in the document means it discloses the item)
BATTERY: list[tuple[str, str, tuple[str, ...]]] = [
    ("收入总计", "收入总计", ("收入总计", "收入合计")),
    ("支出总计", "支出总计", ("支出总计", "支出合计")),
    ("财政拨款收入", "财政拨款收入", ("财政拨款收入",)),
    ("一般公共预算财政拨款支出", "一般公共预算财政拨款支出", ("一般公共预算财政拨款支出", "一般公共预算支出")),
    ("基本支出", "基本支出", ("基本支出",)),
    ("项目支出", "项目支出", ("项目支出",)),
    ("三公经费", "“三公”经费", ("三公",)),
    ("机关运行经费", "机关运行经费", ("机关运行经费",)),
    ("政府采购", "政府采购预算", ("政府采购",)),
]
VERDICTS = ("verified", "wrong", "refused", "not_disclosed", "no_publisher")
VERDICT_LABEL = {
    "verified": "已核实", "wrong": "答错", "refused": "未答（文档有披露）", "not_disclosed": "未披露（拒答正确）",
    "no_publisher": "未识别发布单位",
}
_PRINTED = re.compile(r"(?<![\d.])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.,])-?\d+(?:\.\d+)?")
_REGROUPED = re.compile(r"(?<![\d.,])-?\d{4,}(?:,\d{3})+(?:\.\d+)?(?![\d,])")


@dataclass
class ItemResult:
    item: str
    verdict: str
    question: str = ""
    value: str | None = None
    unit: str | None = None
    page: int | None = None
    reason: str = ""


@dataclass
class DocumentCheck:
    doc_id: str
    file_name: str
    publisher: str | None
    region: str | None
    year: int | None
    kind: str | None
    city: str
    warnings: list[str]
    tables_listed: int
    tables_found: int
    tables_read: int
    tables_missing: list[str]
    items: list[ItemResult] = field(default_factory=list)
    manifest: dict[str, bool] = field(default_factory=dict)  # field → agrees with the manifest
    totals_balance: bool | None = None  # 收入总计 = 支出总计, when both were answered

    @property
    def disclosed(self) -> int:
        return sum(1 for i in self.items if i.verdict in ("verified", "wrong", "refused", "no_publisher"))

    @property
    def verified(self) -> int:
        return sum(1 for i in self.items if i.verdict == "verified")


@dataclass(frozen=True)
class ManifestRow:
    file_name: str
    kind_class: str
    publisher: str
    year: int | None
    city: str


def read_manifest(path: Path) -> dict[str, ManifestRow]:
    rows: dict[str, ManifestRow] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 5 or parts[0] == "file":
            continue
        year = int(parts[3]) if parts[3].strip().isdigit() else None
        rows[parts[0]] = ManifestRow(parts[0], parts[1], parts[2].strip(), year, parts[4].strip())
    return rows


def manifest_agreement(record: DocumentRecord, row: ManifestRow) -> dict[str, bool]:
    """Publisher, year and kind family of a stored document against its manifest row."""
    return identity_agreement(record.department, record.aliases, record.year, record.kind, row)


def identity_agreement(publisher: str | None, aliases: list[str], year: int | None, kind: str | None,
                       row: ManifestRow) -> dict[str, bool]:
    """Publisher as the cover names it, modulo a level mark (（本级）, （汇总）) and a leading region, or one
    of its usual forms (中共重庆市委宣传部 is 中国共产党重庆市委员会宣传部); the year; the kind family
    (预算 / 决算 / not a budget).

        >>> row = ManifestRow("a.pdf", "budget", "深圳市统计局", 2026, "深圳")
        >>> identity_agreement("深圳市统计局（本级）", [], 2026, "部门预算", row)
        {'publisher': True, 'year': True, 'kind': True}
    """
    def plain(name: str) -> str:
        return LEVEL_MARK.sub("", compact(name))

    found = plain(publisher or "")
    expected = plain(row.publisher)
    forms = {plain(a) for a in aliases} | {found}
    same_publisher = bool(found) and (expected in forms or expected.endswith(found) or found.endswith(expected))
    kind = kind or ""
    if "决算" in row.kind_class:
        same_kind = "决算" in kind
    elif row.kind_class.startswith("budget"):
        same_kind = "预算" in kind and kind != NOT_A_BUDGET
    else:
        same_kind = kind == NOT_A_BUDGET
    return {"publisher": same_publisher, "year": year == row.year, "kind": same_kind}


def printed_numbers(text: str) -> set[Decimal]:
    out = set()
    text = unglue(text.replace("，", ",").replace("．", "."))
    # An amount grouped irregularly ("125360,898", read as thousands by ``index.core.numbers``) besides the parts
    # a list of numbers ("2026,100") is read as.
    for m in [*_PRINTED.finditer(text), *_REGROUPED.finditer(text)]:
        try:
            out.add(Decimal(m.group().replace(",", "")))
        except InvalidOperation:
            continue
    return out


def printed_on(value: Decimal, unit: str | None, page_text: str) -> bool:
    """The figure is printed on the page, in its own unit or another money unit (元 ↔ 万元 ↔ 亿元), at least
    as precisely as the answer gives it: 7955559.35 元 is not "printed" as 795.56 万元, 7955600 元 is."""
    step = _step(value, unit)
    for printed in printed_numbers(page_text):
        for printed_unit in (units.MONEY if units.is_money(unit) else (unit,)):
            converted = units.convert(printed, printed_unit, unit)
            if converted is None or _step(printed, printed_unit) > step:
                continue
            if abs(converted - value) * units.factor(unit if units.is_money(unit) else None) <= step / 2:
                return True
    return False


def _step(value: Decimal, unit: str | None) -> Decimal:
    """The last significant place of a figure, in 元 for money (795.56 万元 → 100 元; 7955600 元 → 100 元)."""
    exponent = int(value.normalize().as_tuple().exponent) if value else 0
    return Decimal(1).scaleb(exponent) * (units.factor(unit) if units.is_money(unit) else 1)


def verify(answer: Answer, doc_ids: set[str], page_text: Callable[[str, int], str | None],
           cell_text: Callable[[Citation], str | None] = lambda c: None) -> str:
    """Empty when the answer holds up against the documents; else the reason, in Chinese. A figure is looked
    for in the cited page's text, and else in the characters inside the cited box as the PDF prints them (a
    page's text may run two table cells together: "1005250126300")."""
    if not answer.citations:
        return "回答没有引用"
    foreign = [c for c in answer.citations if c.doc_id not in doc_ids]
    if foreign:
        return f"引用了其他文档：{foreign[0].document}"
    figures = [(c.value, answer.unit, c) for c in answer.citations if c.value] if answer.method == "calculation" \
        else [(answer.value, answer.unit, answer.citations[0])]
    for value, unit, citation in figures:
        if value is None:
            continue
        text = page_text(citation.doc_id or "", citation.page) or ""
        if not printed_on(Decimal(value), unit, text) and not printed_on(Decimal(value), unit, cell_text(citation) or ""):
            return f"第{citation.page}页上没有印着 {value}{unit or ''}"
    return ""


# An amount as printed: decimals or thousands separators (a 目录's page numbers and years are neither).
AMOUNT = r"\d[\d,，]*\.\d+|\d{1,3}(?:[,，]\d{3})+"
DISCLOSURE_REACH = 40  # characters after a name in a sentence within which its figure is printed


def mentions(words: Iterable[str], text: str) -> bool:
    return any(w in text for w in words)


def prints_figure(words: Iterable[str], text: str, labels: str) -> bool:
    """The document prints a figure under one of these names: a table row, column or title carrying the name,
    or a sentence with an amount right after it. A name met only in the 目录 ("五、一般公共预算支出表") or a
    definition ("除财政拨款收入和…以外的收入") discloses nothing, and refusing it is right.

        >>> prints_figure(["财政拨款收入"], "三、单位资金：除财政拨款收入和财政专户管理资金以外的收入。", "")
        False
        >>> prints_figure(["财政拨款收入"], "（一）本年财政拨款收入1378967.75万元", "")
        True
    """
    return any(w in labels or re.search(re.escape(w) + f".{{0,{DISCLOSURE_REACH}}}?(?:{AMOUNT})", text) for w in words)


def table_labels(document: Document) -> str:
    """Every table's title, column paths and row names with a figure, as one compact text."""
    parts = []
    for t in document.tables:
        parts += [t.title or "", *t.columns, *(r.name or "" for r in t.rows if any(c.value is not None for c in r.cells))]
    return compact("|".join(parts))


def group_of(record: DocumentRecord, records: list[DocumentRecord]) -> set[str]:
    """The files of one disclosure: a named group, or the same publisher, year, kind and level (北京's 说明 and
    报表 published as two PDFs are answered as one disclosure, and may cite each other)."""
    if record.group_name:
        return {r.doc_id for r in records if r.group_name == record.group_name}
    if not record.department:
        return {record.doc_id}
    same = (record.department, record.year, record.kind, record.level)
    return {r.doc_id for r in records if (r.department, r.year, r.kind, r.level) == same} | {record.doc_id}


def check_document(services: Services, record: DocumentRecord, records: list[DocumentRecord],
                   manifest: dict[str, ManifestRow]) -> DocumentCheck:
    document = services.store.document_model(record.doc_id)
    pages = [p.text for p in document.pages]
    listed = listed_tables(pages)
    read = {title_key(t.title) for t in document.tables if t.title}
    found = [t for t in listed if any(t in r or r in t for r in read)]
    row = manifest.get(record.file_name)
    result = DocumentCheck(
        doc_id=record.doc_id, file_name=record.file_name, publisher=record.department, region=record.region,
        year=record.year, kind=record.kind, city=row.city if row else city_of(record.region),
        warnings=record.warnings, tables_listed=len(listed), tables_found=len(found),
        tables_read=len(document.tables), tables_missing=[t for t in listed if t not in found],
        manifest=manifest_agreement(record, row) if row else {},
    )
    group = group_of(record, records)
    models = {d: document if d == record.doc_id else services.store.document_model(d) for d in group}
    texts = {d: [p.text for p in model.pages] for d, model in models.items()}
    whole = compact("".join(t for ts in texts.values() for t in ts))

    def page_text(doc_id: str, page: int) -> str | None:
        doc_pages = texts.get(doc_id)
        return doc_pages[page - 1] if doc_pages and 1 <= page <= len(doc_pages) else None

    labels = "|".join(table_labels(model) for model in models.values())
    renderer = services.renderer

    def cell_text(citation: Citation) -> str | None:
        if not citation.bbox or not citation.doc_id:
            return None
        with pdfplumber.open(renderer.stored_pdf(citation.doc_id)) as pdf:
            page = pdf.pages[citation.page - 1]
            x0, top, x1, bottom = citation.bbox
            box = (max(x0, 0), max(top, 0), min(x1, float(page.width)), min(bottom, float(page.height)))
            return page.crop(box).extract_text()

    answered: dict[str, Answer] = {}
    for item, wording, words in BATTERY:
        if not mentions(words, whole):
            result.items.append(ItemResult(item, "not_disclosed"))
            continue
        if not record.department:
            result.items.append(ItemResult(item, "no_publisher", reason="文档中未读出发布单位"))
            continue
        # A 本级 file is asked about as 本级: the publisher's name alone means its whole department.
        level = "（本级）" if record.level == "本级" else ""
        question = f"{record.department}{level}{record.year or ''}{'年' if record.year else ''}{wording}是多少？"
        answer = services.engine.ask(question)
        first = answer.citations[0] if answer.citations else None
        entry = ItemResult(item, "refused", question, answer.value, answer.unit, first.page if first else None)
        if answer.status == "answered" and answer.value is not None:
            reason = verify(answer, group, page_text, cell_text)
            entry.verdict, entry.reason = ("wrong", reason) if reason else ("verified", "")
            answered[item] = answer
        elif prints_figure(words, whole, labels):
            entry.reason = answer.answer[:80]
        else:
            entry.verdict = "not_disclosed"  # named, but with no figure: the refusal is right
        result.items.append(entry)
    income, spending = answered.get("收入总计"), answered.get("支出总计")
    if income and spending and income.value and spending.value:
        result.totals_balance = units.agrees(Decimal(income.value), income.unit, Decimal(spending.value), spending.unit)
    return result


def city_of(region: str | None) -> str:
    """The city part of a region (北京市西城区 → 北京), for grouping."""
    m = re.match(r"(?:[\u4e00-\u9fff]{2,3}省)?([\u4e00-\u9fff]{2,3}?)市", region or "")
    return m.group(1) if m else (region or "未知")


def verdict_counts(items: Iterable[ItemResult]) -> dict[str, int]:
    return dict(Counter(i.verdict for i in items))


def summarize(checks: list[DocumentCheck]) -> dict:
    """Totals over all documents and per city: identity, tables, battery verdicts, wrong-document citations."""

    def block(group: list[DocumentCheck]) -> dict:
        items = [i for c in group for i in c.items]
        counts = verdict_counts(items)
        disclosed = sum(c.disclosed for c in group)
        manifest = [c.manifest for c in group if c.manifest]
        return {
            "documents": len(group),
            "publisher_read": sum(1 for c in group if c.publisher),
            "manifest_checked": len(manifest),
            "manifest_publisher": sum(m["publisher"] for m in manifest),
            "manifest_year": sum(m["year"] for m in manifest),
            "manifest_kind": sum(m["kind"] for m in manifest),
            "manifest_all": sum(all(m.values()) for m in manifest),
            "tables_listed": sum(c.tables_listed for c in group),
            "tables_found": sum(c.tables_found for c in group),
            "tables_read": sum(c.tables_read for c in group),
            "disclosed": disclosed,
            "verified": counts.get("verified", 0),
            "verified_share": counts.get("verified", 0) / disclosed if disclosed else None,
            "verdicts": {v: counts.get(v, 0) for v in VERDICTS},
            "foreign_citations": sum(1 for i in items if i.reason.startswith("引用了其他文档")),
            "totals_unbalanced": sum(1 for c in group if c.totals_balance is False),
        }

    cities = sorted({c.city for c in checks})
    return {"overall": block(checks), "by_city": {city: block([c for c in checks if c.city == city]) for city in cities}}


def run_check(services: Services, records: list[DocumentRecord], manifest: dict[str, ManifestRow],
              progress: Callable[[DocumentRecord], None] | None = None) -> list[DocumentCheck]:
    everything = services.store.documents()
    checks = []
    for record in records:
        if progress:
            progress(record)
        checks.append(check_document(services, record, everything, manifest))
    return checks


def report_json(checks: list[DocumentCheck]) -> dict:
    return {"summary": summarize(checks), "documents": [asdict(c) for c in checks]}


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.1%}"


def summary_lines(summary: dict) -> list[str]:
    """The per-city table, as Markdown (also printed in the terminal)."""
    lines = [
        "| 城市 | 文档 | 读出发布单位 | 与清单一致（单位/年份/类型） | 目录表格 找到/列出 | 披露项 | 已核实 | 答错 | 未答 | 引用他文档 | 收支不平 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    rows = [*summary["by_city"].items(), ("合计", summary["overall"])]
    for city, s in rows:
        manifest = (f"{s['manifest_publisher']}/{s['manifest_year']}/{s['manifest_kind']}（共{s['manifest_checked']}）"
                    if s["manifest_checked"] else "—")
        v = s["verdicts"]
        lines.append(
            f"| {city} | {s['documents']} | {s['publisher_read']} | {manifest} | {s['tables_found']}/{s['tables_listed']} "
            f"| {s['disclosed']} | {s['verified']} ({_pct(s['verified_share'])}) | {v['wrong']} | {v['refused']} "
            f"| {s['foreign_citations']} | {s['totals_unbalanced']} |"
        )
    return lines


def report_markdown(checks: list[DocumentCheck]) -> str:
    summary = summarize(checks)
    lines = ["# 批量核查报告（budget-qa check）", "", *summary_lines(summary), "", "## 各文档", ""]
    lines += ["| 文件 | 发布单位 | 年份 | 类型 | 目录表格 找到/列出 | 已核实/披露 | 问题 |", "|---|---|---|---|---|---|---|"]
    for c in checks:
        problems = [f"{i.item}：{VERDICT_LABEL[i.verdict]}{'（' + i.reason + '）' if i.reason else ''}"
                    for i in c.items if i.verdict in ("wrong", "refused", "no_publisher")]
        problems += [f"与清单不一致：{k}" for k, ok in c.manifest.items() if not ok]
        if c.totals_balance is False:
            problems.append("收入总计 ≠ 支出总计")
        lines.append(f"| {c.file_name} | {c.publisher or '（未读出）'} | {c.year or '?'} | {c.kind or '?'} "
                     f"| {c.tables_found}/{c.tables_listed} | {c.verified}/{c.disclosed} | {'；'.join(problems) or '—'} |")
    return "\n".join(lines) + "\n"
