"""Figures printed as text: in form-like tables (绩效目标申报表) and in the order a reader meets them.

Performance-target tables are forms, not grids: "中期资金总额：| 420" in one row, sentences such as
"尾款为69万，占项目预算30%" in a cell. They have no numeric cells, so ingestion stores no fact for
them. Here they become form fields (read like table cells, citing the table) and stated figures
(read like the narrative's). ``Reading`` orders every passage of a document so that "A的B" can
take the first B stated after a mention of A, and puts a stated figure on the page that prints it
(a paragraph that runs over a page break is stored on its first page).
"""

from __future__ import annotations

import re
from collections import Counter

from index.core.model import Block, Document, Table
from index.core.numbers import try_parse_number
from index.core.text import compact
from index.read.narrative import extract_narrative_facts
from index.store.facts import StoredFact, StoredNarrativeFact

FIELD_LABEL = re.compile(r"^([\u4e00-\u9fff（）()]{2,12})[：:]$")  # "中期资金总额："
UNIT_IN_NAME = re.compile(r"[（(](万元|元|亿元)[)）]")  # "项目资金（万元）"
VALUE = re.compile(r"^(\d[\d,，]*(?:\.\d+)?)(万元|元|亿元)?$")
GENERIC_HEADER = re.compile(r"^(项目名称|部门（单位）名称|单位名称|名称|列\d+|序号)$")
FORM_ROW_BASE = 100000  # synthetic row indices of form fields, apart from the table's own rows


def text_tables(document: Document) -> list[tuple[int, Table, str, str | None]]:
    """Tables without a numeric cell, with the title and the subject (project or unit) they carry.

    A captionless table on the page after one is its continuation and inherits both.
    """
    out = []
    last: tuple[str, str | None, int] | None = None
    for i, table in enumerate(document.tables):
        if any(c.value is not None for r in table.rows for c in r.cells):
            last = None
            continue
        title = compact(table.title or table.label or "")
        subject = _subject(table)
        if not title and last is not None and table.pages[0] == last[2] + 1:
            title, subject = last[0], subject or last[1]
        out.append((i, table, title, subject))
        last = (title, subject, table.pages[-1])
    return out


def _subject(table: Table) -> str | None:
    names = Counter(compact(c) for c in table.columns if c and not GENERIC_HEADER.match(compact(c)))
    name, count = names.most_common(1)[0] if names else ("", 0)
    return name if count >= 2 and 4 <= len(name) <= 40 else None


def form_facts(doc_id: str, file_name: str, document: Document) -> list[StoredFact]:
    """"标签：| 数值" pairs of form tables, in the unit the row names (项目资金（万元）) or the table's."""
    out = []
    for t_i, table, title, subject in text_tables(document):
        for r_i, row in enumerate(table.rows):
            texts = [compact(c.text) for c in row.cells]
            unit_match = UNIT_IN_NAME.search(compact(row.name)) or next(
                (m for m in (UNIT_IN_NAME.search(t) for t in texts) if m), None)
            unit = unit_match.group(1) if unit_match else table.unit
            fields = 0
            for c_i, text in enumerate(texts):
                label = FIELD_LABEL.match(text)
                following = next((j for j in range(c_i + 1, len(texts)) if texts[j]), None)
                if label is None or following is None:
                    continue
                value = VALUE.match(texts[following])
                number = try_parse_number(value.group(1)) if value else None
                if value is None or number is None or number.value is None or not (value.group(2) or unit):
                    continue
                cell = row.cells[following]
                fields += 1
                out.append(StoredFact(
                    table_index=t_i, label=table.label, title=table.title or title, unit=value.group(2) or unit,
                    row_index=FORM_ROW_BASE + r_i * 10 + fields, code=None, name=label.group(1), level=None,
                    parent_code=None, column=compact(row.name) or label.group(1), value=number.value,
                    text=row.cells[following].text or "", page=cell.page, bbox=cell.bbox, doc_id=doc_id,
                    file_name=file_name, attributes={"项目名称": subject} if subject else {},
                    col_index=following,
                ))
    return out


def text_facts(doc_id: str, file_name: str, document: Document) -> list[StoredNarrativeFact]:
    """Figures stated in the sentences of text tables ("尾款为69万"), read like the narrative's."""
    blocks = []
    for _, table, title, subject in text_tables(document):
        for row in table.rows:
            for cell in row.cells:
                text = cell.text or ""
                if len(compact(text)) >= 8 and re.search(r"\d", text):
                    path = [p for p in (title, subject, compact(row.name)) if p]
                    blocks.append(Block(kind="paragraph", text=text, page=cell.page,
                                        bbox=cell.bbox or table.bbox, section_path=path))
    facts = extract_narrative_facts(blocks, document.identity.year)
    return [StoredNarrativeFact(**f.model_dump(), doc_id=doc_id, file_name=file_name) for f in facts]


class StoredTarget(StoredNarrativeFact):
    """A 绩效目标表 target stated like a sentence that quotes its line, with the project and bound the reader read."""

    project: str | None = None
    bound: str = "="  # ≥, ≤, >, <, =


def indicator_facts(doc_id: str, file_name: str, document: Document) -> list[StoredTarget]:
    """The numeric targets of 绩效目标表s (``Document.indicators``): 每期印刷数量 = 900 册, under the table's title
    and the indicator's project."""
    return [StoredTarget(
        measure=i.name, year=document.identity.year, value=i.value, unit=i.unit, text=i.text, sentence=i.line,
        page=i.page, bbox=i.bbox, section_path=[p for p in (i.title, i.project) if p], doc_id=doc_id,
        file_name=file_name, project=i.project, bound=i.relation,
    ) for i in document.indicators]


class Reading:
    """A document's passages in reading order (page, then top to bottom), for positions and mentions."""

    def __init__(self, document: Document):
        self.pages = [compact(p.text) for p in document.pages]
        passages: list[tuple[int, float, str]] = []
        for block in document.blocks:
            passages.append((block.page, block.bbox[1] if block.bbox else 0.0, compact(block.text)))
        for table in document.tables:
            head = "".join(compact(c) for c in table.columns)
            passages.append((table.pages[0], table.bbox[1] - 1 if table.bbox else 0.0, head))
            for row in table.rows:
                text = compact(row.name) + "".join(compact(c.text) for c in row.cells)
                passages.append((row.page, row.bbox[1] if row.bbox else 0.0, text))
        self.passages = sorted(passages, key=lambda p: (p[0], p[1]))

    def mentions(self, name: str, max_len: int | None = None) -> list[tuple[int, float]]:
        """Where the name is written; with ``max_len`` only in title-like passages (人民调解项目经费情况说明),
        or opening a passage as its run-in title ("四环主路维修专项工程：根据…")."""
        key = compact(name)
        return [(page, y) for page, y, text in self.passages
                if key and key in text and (max_len is None or len(text) <= max_len or _run_in(text, key))]

    def opens_item(self, fact: StoredNarrativeFact, name: str) -> bool:
        """The fact's paragraph is a numbered item whose first sentence names ``name`` as its 科目 (…行政运行（项）。)
        and states no figure: the item's figures follow in its later sentences."""
        sentence, key = compact(fact.sentence), compact(name)
        for page, _, text in self.passages:
            if page == fact.page and sentence and sentence in text:
                head = text.split("。", 1)[0]
                return bool(ITEM_OPENING.match(head)) and head.endswith(f"{key}（项）") and sentence not in head
        return False

    def page_of(self, fact: StoredNarrativeFact) -> int:
        """The page that prints the figure: its block's first page, or the next one."""
        sentence, figure = compact(fact.sentence), compact(fact.text)
        at = sentence.find(figure)
        probe = sentence[max(at - 8, 0): at + len(figure)] if at >= 0 else sentence[:16]
        for page in (fact.page, fact.page + 1):
            if 1 <= page <= len(self.pages) and probe in self.pages[page - 1]:
                return page
        return fact.page


ITEM_OPENING = re.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})[、.．]|^[（(]\d{1,2}[)）]")


def _run_in(text: str, key: str) -> bool:
    """The passage opens with the name and a colon, numbered or not: "（五）…工程：", "四环主路维修专项工程：…"."""
    at = text.find(key)
    return 0 <= at <= 4 and text[at + len(key):at + len(key) + 1] in ("：", ":")


def position(fact: StoredNarrativeFact) -> tuple[int, float]:
    return fact.page, fact.bbox[1] if fact.bbox else 0.0


def first_after_mention(candidates: list[StoredNarrativeFact], mentions: list[tuple[int, float]],
                        max_pages: int | None = None) -> list[StoredNarrativeFact]:
    """Of several figures for one measure, those that are the first after some mention of the context
    ("商业创新专项…支持促消费提质提升800.00万": the project named before its budget line)."""
    ordered = sorted(candidates, key=position)
    kept = []
    for i, fact in enumerate(ordered):
        here = position(fact)
        before = [m for m in mentions if m <= here]
        if not before:
            continue
        last = max(before)
        if max_pages is not None and here[0] - last[0] > max_pages:
            continue
        if not any(last <= position(other) < here for other in ordered[:i]):
            kept.append(fact)
    return kept
