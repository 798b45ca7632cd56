"""Measure the figure audit (issue 13): findings per document and class, skips, time per document, the
planted-error score, and a fixed-seed sample of findings judged by hand against the pages.

    .venv/bin/python eval/audit_sample.py --data-dir /tmp/audit13_data --data-dir /tmp/audit13_real \\
        --pdfs ../shared/wild --pdfs ../shared/real --pdfs eval/corpus --show      # evidence to judge by
    .venv/bin/python eval/audit_sample.py … --write eval/reports/audit_sample.md   # the report

Judgments live in ``eval/reports/audit_judgments.json`` ({finding id: [true|false, reason]}); a sampled
finding not judged yet is listed as "未判". The seed is fixed so the sample is the same run to run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.store.facts import FactsStore  # noqa: E402
from qa.audit.model import Finding  # noqa: E402
from qa.audit.registry import FAMILIES, rule_for  # noqa: E402
from qa.audit.run import AuditRun, audit_store  # noqa: E402

SEED = 13
SAMPLE = 40
JUDGMENTS = ROOT / "eval" / "reports" / "audit_judgments.json"


def finding_id(f: Finding) -> str:
    loc = f.locations[0] if f.locations else None
    key = f"{f.kind}|{loc.document if loc else ''}|{loc.page if loc else ''}|{f.message}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def family(kind: str) -> str:
    found = rule_for(kind)
    return found.family if found else "?"


def page_text(pdfs: list[Path], document: str, page: int | None) -> str:
    """The page as pdfplumber reads it (the third-party PDFs stay where they are)."""
    import pdfplumber

    path = next((d / document for d in pdfs if (d / document).exists()), None)
    if path is None or page is None:
        return ""
    with pdfplumber.open(path) as pdf:
        return pdf.pages[page - 1].extract_text() or "" if 0 < page <= len(pdf.pages) else ""


def evidence(f: Finding, pdfs: list[Path]) -> list[str]:
    """The lines of each cited page that print one of the finding's figures (or its row)."""
    lines = []
    for loc in {(loc.document, loc.page) for loc in f.locations}:
        text = page_text(pdfs, *loc)
        wanted = [re.sub(r"\.?0+$", "", x.lstrip("-")) for x in f.figures if re.search(r"\d", x)]
        for line in text.splitlines():
            plain = line.replace(",", "").replace("，", "")
            if any(w and w in plain for w in wanted):
                lines.append(f"  p{loc[1]}: {line.strip()[:160]}")
    return lines[:12]


def counts(runs: list[AuditRun]) -> list[str]:
    findings = [f for run in runs for f in run.findings]
    records = [r for run in runs for r in run.records]
    seconds = {doc: s for run in runs for doc, s in run.seconds.items()}
    by_doc = Counter(f.doc_id for f in findings)
    per_family = Counter(family(f.kind) for f in findings)
    per_kind = Counter(f.kind for f in findings)
    skips = [s for run in runs for s in run.skips]
    skip_family = Counter(family(s.kind) for s in skips)
    per_page = [seconds[r.doc_id] / max(r.pages, 1) * 30 for r in records if r.doc_id in seconds]
    lines = [f"文档 {len(records)} 份；发现 {len(findings)} 条；跳过 {len(skips)} 项。", "",
             "| 类 | 核对 | 发现 | 跳过 |", "|---|---|---|---|"]
    lines += [f"| {c} | {FAMILIES[c]} | {per_family.get(c, 0)} | {skip_family.get(c, 0)} |" for c in sorted(FAMILIES)]
    lines += ["", "| 规则 | 发现 |", "|---|---|"] + [f"| {k} | {n} |" for k, n in per_kind.most_common()]
    lines += ["", "| 文档 | 页数 | 发现 | 耗时（秒） |", "|---|---|---|---|"]
    lines += [f"| {r.file_name} | {r.pages} | {by_doc.get(r.doc_id, 0)} | {seconds.get(r.doc_id, 0):.2f} |"
              for r in records if by_doc.get(r.doc_id)]
    lines += ["", f"其余 {sum(1 for r in records if not by_doc.get(r.doc_id))} 份文档无发现。",
              f"耗时：每份中位数 {statistics.median(seconds.values()):.2f} 秒，最长 {max(seconds.values()):.2f} 秒；"
              f"折合 30 页中位数 {statistics.median(per_page):.2f} 秒，最长 {max(per_page):.2f} 秒。"]
    return lines


def sample_table(findings: list[Finding], judged: dict[str, list]) -> list[str]:
    rows: list[str] = []
    verdicts: Counter[bool | None] = Counter()
    for f in findings:
        loc = f.locations[0]
        verdict, reason = judged.get(finding_id(f), [None, "未判"])
        verdicts[verdict] += 1
        mark = {True: "真", False: "假", None: "未判"}[verdict]
        rows.append(f"| {finding_id(f)} | {loc.document} | {loc.page} | {f.kind} | {f.message.replace('|', '/')} | "
                    f"{mark} | {reason.replace('|', '/')} |")
    judged_n = verdicts[True] + verdicts[False]
    head = [f"抽样 {len(findings)} 条（种子 {SEED}）：真 {verdicts[True]}，假 {verdicts[False]}，未判 {verdicts[None]}；"
            f"真实率 {verdicts[True] / judged_n:.0%}。" if judged_n else "尚未判定。", "",
            "| id | 文件 | 页 | 规则 | 发现（数字与算式） | 判定 | 理由 |", "|---|---|---|---|---|---|---|"]
    return head + rows


def planted_table() -> list[str]:
    """Per data dir: errors planted into the named documents (``tests.audit.planting``), found and stray."""
    from tests.audit.planting import CLASSES, load, score

    lines = []
    for d in ARGS.data_dir:
        units = [u for u in load(FactsStore(Path(d) / "facts.sqlite3"))
                 if any(r.file_name in ARGS.plant_in for r in u.records)]
        if not units:
            continue
        scores = score(units, ARGS.per_class)
        names = sorted({r.file_name for u in units for r in u.records})
        lines += [f"### {d}：{'、'.join(names)}", "", "| 类 | 核对 | 发现/埋入 | 误报 |", "|---|---|---|---|"]
        lines += [f"| {c} | {CLASSES[c][0]} | {s.found}/{s.planted} | {s.false} |" for c, s in scores.items()]
        for s in scores.values():
            lines += [f"- 漏：{m}" for m in s.missed] + [f"- 误报：{m}" for m in s.stray[:5]]
        lines.append("")
    return lines


def main() -> int:
    runs = [audit_store(FactsStore(Path(d) / "facts.sqlite3")) for d in ARGS.data_dir]
    findings = [f for run in runs for f in run.findings]
    sample = sorted(random.Random(SEED).sample(findings, min(len(findings), ARGS.sample)),
                    key=lambda f: (f.locations[0].document, f.locations[0].page or 0))
    judged = json.loads(JUDGMENTS.read_text(encoding="utf-8")) if JUDGMENTS.exists() else {}
    if ARGS.show:
        for f in sample:
            print(f"\n[{finding_id(f)}] {f.kind} {f.locations[0].document} p{f.locations[0].page}\n  {f.message}")
            print("\n".join(evidence(f, [Path(p) for p in ARGS.pdfs])))
        return 0
    report = ["# 核对（issue 13）测量", "", "## 发现与跳过", ""]
    if ARGS.before:
        before = Counter(family(item["kind"]) for item in json.loads(Path(ARGS.before).read_text(encoding="utf-8")))
        after = Counter(family(f.kind) for f in runs[0].findings)
        report += [f"改前（{ARGS.before}，旧版 `budget-qa audit --json`）与改后（{ARGS.data_dir[0]}）：", "",
                   "| 类 | 核对 | 改前 | 改后 |", "|---|---|---|---|"]
        report += [f"| {c} | {FAMILIES[c]} | {before.get(c, 0)} | {after.get(c, 0)} |" for c in sorted(FAMILIES)]
        report += [f"| 计 | | {sum(before.values())} | {sum(after.values())} |", ""]
    for d, run in zip(ARGS.data_dir, runs):
        report += [f"### {d}", ""] + counts([run]) + [""]
    report += ["## 抽样判定", ""] + sample_table(sample, judged) + [""]
    if ARGS.plant_in:
        report += ["## 埋入错误", ""] + planted_table() + [""]
    text = "\n".join(report)
    if ARGS.write:
        Path(ARGS.write).write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", action="append", required=True, help="an ingested data dir (repeatable)")
    parser.add_argument("--pdfs", action="append", default=[], help="folders holding the PDFs, for --show")
    parser.add_argument("--sample", type=int, default=SAMPLE)
    parser.add_argument("--show", action="store_true", help="print each sampled finding with its page lines")
    parser.add_argument("--write", help="write the Markdown report here")
    parser.add_argument("--plant-in", action="append", default=[], help="file names to plant errors into")
    parser.add_argument("--per-class", type=int, default=40)
    parser.add_argument("--before", help="findings of the earlier audit (--json) over the first data dir")
    ARGS = parser.parse_args()
    sys.exit(main())
