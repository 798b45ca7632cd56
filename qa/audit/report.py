"""The audit as a report people can check: a Markdown and an HTML file per document, and a summary.

Each finding gives its rule, class and severity, the one-line message with its arithmetic, what the rule
holds true, its figures, and every place it cites (document, page, table, row, column); each document
counts the checks skipped because the structure they need could not be trusted. The summary counts
findings per document and per class, and skips per class and reason.

    write_report(audit_store(store), Path("out")) → out/summary.md, out/summary.html,
    out/xicheng-waiban-2020.md, out/xicheng-waiban-2020.html
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from index.store.facts import DocumentRecord
from qa.audit.model import SEVERITY_LABEL, Finding, Skip
from qa.audit.registry import FAMILIES, label_of, rule_for
from qa.audit.run import AuditRun

LOCATION_HEADER = ["数字", "文档", "页", "表", "行", "列"]


def family_of(kind: str) -> str:
    found = rule_for(kind)
    return found.family if found and found.family else "?"


def md_cell(text: object) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def md_table(header: list[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]


def finding_lines(n: int, f: Finding) -> list[str]:
    found = rule_for(f.kind)
    label = found.label if found else f.kind
    family = family_of(f.kind)
    lines = [
        f"### {n}. [{SEVERITY_LABEL.get(f.severity, f.severity)}] {label}（{family} {FAMILIES.get(family, '')}）",
        "", f.message, "",
    ]
    if found and found.explanation:
        lines.append(f"- 核对：{found.explanation}")
    lines += [f"- 数字：{'，'.join(f.figures)}", ""]
    rows = [[loc.value or "", loc.document, loc.page, loc.table, loc.row, loc.column] for loc in f.locations]
    return lines + md_table(LOCATION_HEADER, rows) + [""]


def skip_rows(skips: list[Skip]) -> list[list[object]]:
    counted = Counter((s.kind, s.reason) for s in skips)
    return [[label_of(k), reason, n] for (k, reason), n in sorted(counted.items())]


def document_markdown(record: DocumentRecord, findings: list[Finding], skips: list[Skip], seconds: float) -> str:
    errors = sum(f.severity == "error" for f in findings)
    lines = [
        f"# 核对报告：{record.file_name}", "",
        f"{record.department or '（未识别部门）'} {record.year or ''} {record.kind or ''}；{record.pages} 页；"
        f"发现 {len(findings)} 条（错误 {errors}，提示 {len(findings) - errors}）；跳过 {len(skips)} 项检查；"
        f"耗时 {seconds:.2f} 秒。", "",
    ]
    for n, f in enumerate(findings, 1):
        lines += finding_lines(n, f)
    if skips:
        lines += ["## 跳过的检查（结构不可信，不报为错误）", ""] + md_table(["规则", "原因", "次数"], skip_rows(skips)) + [""]
    return "\n".join(lines)


def summary_markdown(run: AuditRun) -> str:
    by_doc: dict[str, list[Finding]] = defaultdict(list)
    for f in run.findings:
        by_doc[f.doc_id or ""].append(f)
    skips_by_doc = Counter(s.document for s in run.skips)
    families = sorted(FAMILIES)
    rows = []
    for r in run.records:
        found = by_doc.get(r.doc_id, [])
        per = Counter(family_of(f.kind) for f in found)
        rows.append([r.file_name, r.pages, len(found), *(per.get(c, 0) for c in families), skips_by_doc.get(r.file_name, 0),
                     f"{run.seconds.get(r.doc_id, 0):.2f}"])
    per_family = Counter(family_of(f.kind) for f in run.findings)
    skips_family = Counter(family_of(s.kind) for s in run.skips)
    lines = [f"# 核对汇总：{len(run.records)} 份文档，{len(run.findings)} 条发现，{len(run.skips)} 项跳过", ""]
    lines += md_table(["文档", "页数", "发现", *families, "跳过", "耗时（秒）"], rows) + [""]
    lines += ["## 各类核对", ""] + md_table(
        ["类", "核对", "发现", "跳过"], [[c, FAMILIES[c], per_family.get(c, 0), skips_family.get(c, 0)] for c in families]
    ) + [""]
    lines += ["## 跳过的检查", ""] + md_table(["规则", "原因", "次数"], skip_rows(run.skips)) + [""]
    return "\n".join(lines)


def markdown_to_html(markdown: str, title: str) -> str:
    """The report's Markdown (headings, paragraphs, lists, pipe tables) as a standalone HTML page."""
    out, table = [], False
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = [html.escape(c.strip().replace("\\|", "|")) for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if set("".join(cells)) <= {"-"}:
                continue
            if not table:
                out.append("<table>")
                table = True
                out.append("<tr>" + "".join(f"<th>{c}</th>" for c in cells) + "</tr>")
            else:
                out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
            continue
        if table:
            out.append("</table>")
            table = False
        if m := re.match(r"^(#{1,3}) (.*)", line):
            out.append(f"<h{len(m.group(1))}>{html.escape(m.group(2))}</h{len(m.group(1))}>")
        elif line.startswith("- "):
            out.append(f"<p>• {html.escape(line[2:])}</p>")
        elif line:
            out.append(f"<p>{html.escape(line)}</p>")
    if table:
        out.append("</table>")
    style = "body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse}" \
            "td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px}"
    return (f"<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{style}</style></head><body>\n" + "\n".join(out) + "\n</body></html>\n")


def safe_name(file_name: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", Path(file_name).stem) or "document"


def write_report(run: AuditRun, directory: Path) -> list[Path]:
    """Write the summary and one report per document; the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    by_doc: dict[str, list[Finding]] = defaultdict(list)
    for f in run.findings:
        by_doc[f.doc_id or ""].append(f)
    pages = [("summary", summary_markdown(run), "核对汇总")]
    for r in run.records:
        skips = [s for s in run.skips if s.document == r.file_name]
        text = document_markdown(r, by_doc.get(r.doc_id, []), skips, run.seconds.get(r.doc_id, 0.0))
        pages.append((safe_name(r.file_name), text, f"核对报告：{r.file_name}"))
    for name, text, title in pages:
        for suffix, content in ((".md", text), (".html", markdown_to_html(text, title))):
            path = directory / f"{name}{suffix}"
            path.write_text(content, encoding="utf-8")
            written.append(path)
    return written
