"""Tables read against the tables each disclosure's own 目录 lists, per city: a fast reader gate.

Parses PDFs directly (no store, no index), in at most ``--jobs`` processes, and prints per city
found/listed by title (the rule ``budget-qa check`` uses), those found only by the label the 目录
gives them (printed under another title), tables the 目录 lists that the file does not contain
(attachments), tables read, untitled, not in the 目录, and "junk" (a table whose cells are 目录
lines or prose, not figures). For example

    .venv/bin/python eval/tables_check.py ../shared/wild --out /tmp/tables.json --dump /tmp/tables_docs

prints ``| 西安 | 12 | 71/114 | 42 | 0 | 416 | 55 | 337 | 5 | 0 |``: 71 listed tables found by title,
42 more by label (the 目录 says "…（按支出功能分类科目）", the caption "…（按功能科目分）"), no
attachments, 416 tables read, 55 without a title, 337 not in the 目录, 5 flagged as junk.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.core.model import Document, Table
from index.core.text import compact
from index.read.toc import attachments, listed_tables, title_key, toc_entries

LEADER = re.compile(r"[…\.·．]{4,}")


def is_junk(table: Table) -> bool:
    """A 目录 line, a heading or wrapped prose read as a table: leader dots, or an uncaptioned grid with
    no figures whose cells are sentences (an empty captioned table, "本表无数据", is still a table)."""
    texts = [c.text for r in table.rows for c in r.cells if c.text] + [r.name for r in table.rows if r.name]
    if any(LEADER.search(t) for t in texts):
        return True
    if table.title or table.label:
        return False
    if not table.rows or not texts:
        return True
    sentences = sum(1 for t in texts if "。" in t or len(t) > 60)
    has_values = any(c.value is not None for r in table.rows for c in r.cells)
    return not has_values and (len(table.rows) < 2 or sentences > len(texts) / 2)


def matched(listed: list[str], tables: list[Table]) -> tuple[list[str], list[Table]]:
    """Listed titles found (as ``check`` matches them) and tables read that match no listed title."""
    read = [(title_key(t.title), t) for t in tables if t.title]
    found = [t for t in listed if any(t in r or r in t for r, _ in read)]
    unlisted = [t for t in tables if not t.title or not any(k in title_key(t.title) or title_key(t.title) in k for k in listed)]
    return found, unlisted


def one(task: tuple[str, str | None]) -> dict:
    from index.read.parse import parse_pdf

    path, dump = task
    try:
        doc: Document = parse_pdf(Path(path))
    except Exception as exc:  # a file the reader refuses is reported, not fatal to the batch
        return {"file": Path(path).name, "error": f"{type(exc).__name__}: {exc}"}
    if dump:
        (Path(dump) / f"{Path(path).stem}.json").write_text(doc.model_dump_json())
    texts = [p.text for p in doc.pages]
    listed = listed_tables(texts)
    found, unlisted = matched(listed, doc.tables)
    labels = {compact(t.label) for t in doc.tables if t.label}
    # Printed under another title than the 目录's, but under the label the 目录 gives it.
    by_label = [e.title for e in toc_entries(texts) if e.title in listed and e.title not in found and e.label in labels]
    return {
        "file": doc.file_name,
        "listed": listed,
        "found_by_label": by_label,
        "attachments": attachments(texts),
        "found": found,
        "missing": [t for t in listed if t not in found],
        "tables": [
            {"label": t.label, "title": t.title, "pages": t.pages, "rows": len(t.rows), "columns": len(t.columns),
             "junk": is_junk(t), "unlisted": t in unlisted, "warnings": len(t.warnings)}
            for t in doc.tables
        ],
    }


def city(name: str) -> str:
    parts = name.split("_")
    return parts[1] if len(parts) > 2 else "其他"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", default="", help="substring of file names to keep")
    parser.add_argument("--out", type=Path, help="write per-document details as JSON")
    parser.add_argument("--dump", type=Path, help="a folder to write each parsed Document to, for diffing readers")
    args = parser.parse_args(argv)
    files = sorted(str(p) for f in args.folders for p in f.glob("*.pdf") if args.only in p.name)
    with ProcessPoolExecutor(max_workers=min(args.jobs, 2)) as pool:
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
        results = list(pool.map(one, [(f, str(args.dump) if args.dump else None) for f in files]))
    by_city: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        by_city[city(r["file"])].append(r)
    print("| city | files | found/listed | +by label | attachments | read | untitled | unlisted | junk | errors |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, docs in sorted(by_city.items()):
        ok = [d for d in docs if "error" not in d]
        found = sum(len(d["found"]) for d in ok)
        by_label = sum(len(d["found_by_label"]) for d in ok)
        listed = sum(len(d["listed"]) for d in ok)
        read = sum(len(d["tables"]) for d in ok)
        unlisted = sum(1 for d in ok for t in d["tables"] if t["unlisted"])
        junk = sum(1 for d in ok for t in d["tables"] if t["junk"])
        untitled = sum(1 for d in ok for t in d["tables"] if not t["title"])
        absent = sum(len(d.get("attachments", [])) for d in ok)
        print(f"| {name} | {len(docs)} | {found}/{listed} | {by_label} | {absent} | {read} | {untitled} | {unlisted} | {junk} "
              f"| {len(docs) - len(ok)} |")
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
