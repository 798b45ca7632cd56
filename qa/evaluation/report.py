"""The evaluation report: a Markdown page for people and a JSON file for tools, listing every miss."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from qa.evaluation.scoring import ItemResult

CATEGORY_NAMES = {
    "table_lookup": "表格查数",
    "narrative_figure": "正文数字",
    "calculation": "计算",
    "cross_document": "跨文档",
    "prose": "文字说明",
    "count": "计数",
    "refusal": "应拒答",
    "confusable": "易混淆",
}


def write_reports(report: dict, report_dir: Path) -> tuple[Path, Path]:
    report_dir.mkdir(parents=True, exist_ok=True)
    generated = datetime.now(UTC).isoformat(timespec="seconds")
    results: list[ItemResult] = report["results"]
    data = {k: v for k, v in report.items() if k != "results"}
    data["generated_at"] = generated
    data["misses"] = [_miss_json(r) for r in results if r.misses()]
    data["items"] = [_item_json(r) for r in results]
    json_path = report_dir / "qa_report.json"
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    md_path = report_dir / "qa_report.md"
    md_path.write_text(markdown(report, generated), encoding="utf-8")
    return md_path, json_path


def _answer_json(r: ItemResult) -> dict | None:
    if r.answer is None:
        return None
    out = r.answer.contract()
    out["notices"] = r.answer.notices
    out["formula"] = r.answer.formula
    return out


def _item_json(r: ItemResult) -> dict:
    return {
        "id": r.item.id, "corpus": r.corpus, "category": r.item.category,
        "figure_ok": r.figure_ok, "citation_ok": r.citation_ok, "text_ok": r.text_ok,
        "refused": r.refused, "refusal_ok": r.refusal_ok, "faithful": r.faithful,
        "latency_ms": round(r.latency_ms, 1), "misses": r.misses(), "outcome": r.outcome, "city": r.city,
        "chosen": r.chosen, "chosen_outcome": r.chosen_outcome,
    }


def _miss_json(r: ItemResult) -> dict:
    return {"reasons": r.misses(), "expected": r.item.model_dump(), "actual": _answer_json(r), "error": r.error}


def _fmt(x: float | None, pct: bool = True) -> str:
    if x is None:
        return "—"
    return f"{x:.1%}" if pct else f"{x:.0f}"


def _metrics_row(name: str, m: dict) -> str:
    return (
        f"| {name} | {m['questions']} | {_fmt(m['figure_accuracy'])} ({m['figure_correct']}/{m['figure_total']}) "
        f"| {_fmt(m['citation_accuracy'])} ({m['citation_correct']}/{m['citation_total']}) "
        f"| {_fmt(m['text_hits'])} ({m['text_correct']}/{m['text_total']}) "
        f"| {m['should_refuse']}/{m['refused']} | {_fmt(m['refusal_precision'])} | {_fmt(m['refusal_recall'])} "
        f"| {_fmt(m['latency_median_ms'], False)} | {_fmt(m['latency_p95_ms'], False)} | {m['misses']} "
        f"| {m['right']} | {m['wrong']} | {m['refused_outcome']} |"
    )


_HEADER = (
    "| | 题数 | 数字准确率 | 引用准确率 | 关键内容 | 应拒/实拒 | 拒答精确率 | 拒答召回率 | 延迟中位数 ms | 延迟 p95 ms | 未命中 "
    "| 对 | 错 | 拒答 |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def _outcome_grid(results: list[ItemResult]) -> list[str]:
    categories = [c for c in CATEGORY_NAMES if any(r.item.category == c for r in results)]
    cities = sorted({r.city for r in results})
    lines = ["| 城市 | " + " | ".join(CATEGORY_NAMES[c] for c in categories) + " |",
             "|---|" + "---:|" * len(categories)]
    for city in cities:
        cells = []
        for c in categories:
            group = [r for r in results if r.city == city and r.item.category == c]
            counts = Counter(r.outcome for r in group)
            cells.append(f"{counts['right']}/{counts['wrong']}/{counts['refused']}" if group else "—")
        lines.append(f"| {city} | " + " | ".join(cells) + " |")
    return lines


def markdown(report: dict, generated: str) -> str:
    results: list[ItemResult] = report["results"]
    lines = [
        "# 问答评测报告",
        "",
        f"生成时间 {generated}；问答集 {', '.join(report['files'])}；"
        f"LLM {'已配置' if report['llm_configured'] else '未配置（抽取式回答）'}。",
        "",
        "数字准确率：答案的主数字（元/万元换算后）与预期相差不超过 0.01；百分比相差不超过 0.01 个百分点。"
        "引用准确率：第一条引用的文档和页码与预期一致，或该页印有这个数字（计算题：该页印有引用所支撑的输入数字）。"
        "拒答精确率 = 正确拒答 / 全部拒答；召回率 = 正确拒答 / 应拒答。",
        "",
    ]
    samples = report["by_corpus"].get("samples")
    if samples and samples["figure_accuracy"] is not None and "min_accuracy" in report:
        passed = samples["figure_accuracy"] >= report["min_accuracy"]
        lines += [
            f"样例语料数字准确率 {_fmt(samples['figure_accuracy'])}，门槛 {_fmt(report['min_accuracy'])}："
            f"{'通过' if passed else '未通过'}。",
            "",
        ]
    if report["skipped"]:
        lines += ["## 跳过", ""] + [f"- {s}" for s in report["skipped"]] + [""]
    lines += ["## 总体", "", _HEADER, _metrics_row("全部", report["overall"])]
    corpus_names = {"samples": "样例语料", "real": "真实公开文件", "wild": "各城市公开文件"}
    lines += [_metrics_row(corpus_names.get(c, c), m) for c, m in report["by_corpus"].items()]
    lines += _chosen_lines(report)
    if len(report.get("by_city", {})) > 1:
        lines += ["", "## 分城市", "", _HEADER]
        lines += [_metrics_row(c, m) for c, m in report["by_city"].items()]
        lines += ["", "## 分城市 × 题型（对/错/拒答）", ""] + _outcome_grid(results)
    lines += ["", "## 分类", "", _HEADER]
    lines += [_metrics_row(CATEGORY_NAMES.get(c, c), m) for c, m in report["by_category"].items()]
    if report["llm_configured"]:
        m = report["overall"]
        lines += ["", f"忠实度（答案中的数字均有引用支撑）：{_fmt(m['faithfulness'])} ({m['faithful_correct']}/{m['faithful_total']})"]
    misses = [r for r in results if r.misses()]
    reasons = Counter(reason.split("：")[0] for r in misses for reason in r.misses())
    lines += ["", "## 未命中原因", "", "| 原因 | 题数 |", "|---|---:|"]
    lines += [f"| {reason} | {n} |" for reason, n in reasons.most_common()]
    lines += ["", f"## 未命中（{len(misses)} 题）", ""]
    for r in misses:
        lines += _miss_markdown(r)
    return "\n".join(lines) + "\n"


def _chosen_lines(report: dict) -> list[str]:
    """Refusals that asked which same-named department was meant and offered the one asked about: what
    the offered reading, asked as a user clicking it would, gave. They stay refusals in every count above."""
    rows = [(name, m) for name, m in [("全部", report["overall"]), *report["by_corpus"].items()] if m.get("chosen")]
    if not rows:
        return []
    lines = ["", "拒答时请用户在同名部门中选择、且给出了所问部门的题，按所给选项再问一次的结果（上表仍计为拒答）：", "",
             "| | 题数 | 对 | 错 | 拒答 |", "|---|---:|---:|---:|---:|"]
    return lines + [f"| {name} | {m['chosen']} | {m['chosen_right']} | {m['chosen_wrong']} | {m['chosen_refused']} |" for name, m in rows]


def _miss_markdown(r: ItemResult) -> list[str]:
    item = r.item
    expected = item.answer_value + (item.unit or "") if item.answer_value is not None else "（无数字）"
    if item.expects_refusal:
        expected = "拒答"
    where = f"{item.document} 第 {item.page} 页" if item.document and item.page else "—"
    lines = [
        f"### {item.id}（{CATEGORY_NAMES.get(item.category, item.category)}）：{item.question}",
        "",
        f"- 原因：{'；'.join(r.misses())}",
        f"- 预期：{expected}；出处：{where}"
        + (f"；须包含：{'、'.join(item.answer_text_contains)}" if item.answer_text_contains else ""),
    ]
    if r.answer is not None:
        a = r.answer
        cite = a.citations[0] if a.citations else None
        figure = "—" if a.value is None else f"{a.value} {a.unit or ''}".strip()
        cited = f"{cite.document} 第 {cite.page} 页 {cite.table or ''} {cite.row or ''} {cite.column or ''}".strip() if cite else "无"
        lines += [
            f"- 实际：{'已回答' if a.status == 'answered' else '拒答'}；数字：{figure}；方法：{a.method}；引用：{cited}",
            f"- 回答：{_one_line(a.answer)}",
        ]
    elif r.error:
        lines.append(f"- 错误：{r.error}")
    return lines + [""]


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
