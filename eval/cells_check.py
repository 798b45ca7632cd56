"""Printed cells asked back, no gold needed: every disclosure of an index answers for its own table cells.

For each budget disclosure in the data dir, cells are drawn (fixed seed) from its tables as the reader
stored them — a named row, an amount, a column that names one thing in that table — and asked back in
several wordings: naming the table's title ("…年《一般公共预算基本支出表》中水费的公用经费是多少"), the short
form with no table ("…年水费公用经费多少", only where that row and column print one figure in the whole
document), and the code with the name ("…年30205水费的公用经费"). An answer is

- right: the cell's figure (in any money unit), cited from the cell's document (the same cell, or a cell of
  the same figure elsewhere: counted apart);
- wrong: another figure, or this figure cited from another document;
- refused.

Every answered figure is also looked for on the page it cites (``qa.evaluation.check.verify``): answers
whose cited page lacks the figure are counted. Prints per city and per wording, and lists every wrong one.

    .venv/bin/python eval/cells_check.py --data-dir /tmp/all --manifest ../shared/wild/MANIFEST.tsv \\
        --per-doc 6 --json /tmp/cells.json
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.core import units
from index.core.lexicon import TOTAL_COLUMNS, is_total_name
from index.core.settings import Settings
from index.core.terms import clean_name, column_leaf
from index.core.text import compact
from index.store.facts import StoredFact
from index.store.records import DocumentRecord
from qa.answer.engine import AnswerEngine
from qa.contract import Answer
from qa.evaluation.check import city_of, read_manifest, verify
from qa.services import Services

FIGURE_KINDS = ("部门预算", "单位预算", "部门决算", "单位决算")
WORD = re.compile(r"[\u4e00-\u9fff]{2}")


@dataclass
class Asked:
    city: str
    file_name: str
    wording: str
    question: str
    expected: str
    unit: str | None
    page: int
    outcome: str  # same_cell | same_figure | wrong | refused
    got: str | None = None
    got_unit: str | None = None
    cited: str | None = None  # document, page, table, row, column of the first citation
    page_lacks: str = ""  # why the cited page does not print the figure ("" when it does)
    ms: float = 0.0


def askable(facts: list[StoredFact]) -> list[StoredFact]:
    """Cells a question can name unambiguously within their table: a named row printed once in it, an amount,
    a column whose leaf is one column of that table."""
    rows_named: dict[tuple[int, str], set[int]] = defaultdict(set)
    leaves: dict[tuple[int, str], set[str]] = defaultdict(set)
    for f in facts:
        rows_named[(f.table_index, clean_name(f.name))].add(f.row_index)
        leaves[(f.table_index, column_leaf(f.column))].add(f.column)
    out = []
    for f in facts:
        name = clean_name(f.name)
        if f.is_total or f.ocr or len(name) < 2 or is_total_name(name) or name.startswith("其他") or not f.value:
            continue
        if not units.is_money(f.unit) or len(rows_named[(f.table_index, name)]) > 1:
            continue
        if len(leaves[(f.table_index, column_leaf(f.column))]) > 1 or f.column.count("/") > 1:
            continue
        if not WORD.search(column_leaf(f.column)) or "#" in f.column:
            continue  # 栏次 numbers (1, 列11) and repeated headers (预算数#3) are no column a person names
        out.append(f)
    return out


def wordings(record: DocumentRecord, fact: StoredFact, facts: list[StoredFact]) -> list[tuple[str, str]]:
    name, leaf = clean_name(fact.name), column_leaf(fact.column)
    parent = clean_name(fact.column.split("/")[0]) if "/" in fact.column else ""
    # 基本支出/小计 is asked as 基本支出; a bare 合计 column is the row's figure.
    said = (parent if leaf in TOTAL_COLUMNS else leaf) if parent else ("" if leaf in TOTAL_COLUMNS else leaf)
    # 基本支出总表's 财政拨款 is the 基本支出 part's, 一般公共预算支出表's 基本支出 the fund's: asked without the table,
    # the fund and the part its title names are said.
    title = compact(fact.title)
    named = [w for w in ("一般公共预算", "政府性基金", "财政拨款", "政府采购", "基本支出", "项目支出")
             if w in title and w not in fact.column]
    column = f"的{said}" if said else ""
    bare = "".join(w for w in named if w != said) + said
    level = "（本级）" if record.level == "本级" else ""  # the publisher's name alone means its whole department
    who = f"{record.department}{level}{record.year}年"
    out = []
    if fact.title:
        out.append(("table", f"{who}《{fact.title}》中{name}{column}是多少？"))
    same = {f.value for f in facts if clean_name(f.name) == name and column_leaf(f.column) == leaf}
    if len(same) == 1 and record.short_name:
        out.append(("short", f"{record.short_name}{level}{record.year}年{name}{bare}多少"))
    if fact.code and len(same) == 1:
        out.append(("code", f"{who}{fact.code}{name}{'的' + bare if bare else ''}"))
    return out


def same_figure(answer: Answer, value: Decimal, unit: str | None) -> bool:
    if answer.value is None:
        return False
    got = units.convert(Decimal(answer.value), answer.unit, unit)
    return got is not None and got == value


def ask_back(engine: AnswerEngine, record: DocumentRecord, fact: StoredFact, question: str, wording: str, city: str,
             pages: list[str]) -> Asked:
    started = time.perf_counter()
    answer = engine.ask(question)
    ms = (time.perf_counter() - started) * 1000
    first = answer.citations[0] if answer.citations else None
    asked = Asked(city, record.file_name, wording, question, str(fact.value), fact.unit, fact.page, "refused",
                  answer.value, answer.unit, ms=round(ms, 1))
    if answer.status != "answered" or answer.value is None:
        return asked
    if first is not None and first.doc_id == record.doc_id and same_figure(answer, fact.value, fact.unit):
        same_cell = first.page == fact.page and clean_name(fact.name) in compact(first.row)  # the row cited: "code name"
        asked.outcome = "same_cell" if same_cell else "same_figure"
    else:
        asked.outcome = "wrong"
    asked.cited = f"{first.document} p{first.page} {first.table} {first.row} {first.column}" if first else None
    asked.page_lacks = verify(answer, {record.doc_id},
                              lambda d, p: pages[p - 1] if d == record.doc_id and 1 <= p <= len(pages) else None)
    return asked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--manifest", type=Path, help="MANIFEST.tsv: the city of each file")
    parser.add_argument("--per-doc", type=int, default=6, help="cells asked per document")
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--json", type=Path, help="write every question and outcome here")
    args = parser.parse_args()
    services = Services(Settings(data_dir=args.data_dir))
    manifest = read_manifest(args.manifest) if args.manifest else {}
    store, engine = services.store, services.engine
    rng = random.Random(args.seed)
    results: list[Asked] = []
    records = [r for r in services.documents() if r.department and r.year and r.kind in FIGURE_KINDS]
    for record in sorted(records, key=lambda r: r.file_name):
        facts = store.facts([record.doc_id])
        misread = {t for (_, t) in store.misread_tables([record.doc_id])}
        facts = [f for f in facts if f.table_index not in misread]
        cells = askable(facts)
        chosen = rng.sample(cells, min(args.per_doc, len(cells)))
        row = manifest.get(record.file_name)
        city = row.city if row else city_of(record.region)
        pages = [p.text for p in store.document_model(record.doc_id).pages]
        results += [ask_back(engine, record, fact, question, wording, city, pages)
                    for fact in chosen for wording, question in wordings(record, fact, facts)]
    report(results)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def report(results: list[Asked]) -> None:
    outcomes = ("same_cell", "same_figure", "wrong", "refused")
    for key, title in (("city", "城市"), ("wording", "问法")):
        print(f"\n| {title} | 问题 | 同一单元格 | 同一数字他处 | 答错 | 未答 | 引用页无此数 |")
        print("|---|---|---|---|---|---|---|")
        groups: dict[str, list[Asked]] = defaultdict(list)
        for r in results:
            groups[getattr(r, key)].append(r)
        for name, rows in [*sorted(groups.items()), ("合计", results)]:
            c = Counter(r.outcome for r in rows)
            lacks = sum(1 for r in rows if r.page_lacks)
            print(f"| {name} | {len(rows)} | " + " | ".join(str(c[o]) for o in outcomes) + f" | {lacks} |")
    ms = sorted(r.ms for r in results)
    if ms:
        print(f"\nelapsed ms p50 {ms[len(ms) // 2]:.0f} p95 {ms[int(0.95 * (len(ms) - 1))]:.0f}")
    for r in results:
        if r.outcome == "wrong" or r.page_lacks:
            print(f"\n[{r.outcome}] {r.city} {r.file_name}: {r.question}\n  expected {r.expected} {r.unit} p{r.page}; "
                  f"got {r.got} {r.got_unit} from {r.cited} {r.page_lacks}")


if __name__ == "__main__":
    sys.exit(main())
