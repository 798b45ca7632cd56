"""``budget-qa eval``: the Q&A eval suite, or ``--retrieval`` for hit@k of the retrieval legs."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from qa.cli.output import error
from qa.services import Services


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="评测：问答集或检索")
    p.add_argument("files", nargs="*", help="问答集（JSON lines），默认 eval/qa/*.jsonl")
    p.add_argument("--retrieval", action="store_true", help="检索评测（hit@1/hit@5/MRR）")
    p.add_argument("--report-dir", help="报告输出目录（默认 eval/reports）")
    p.add_argument("--min-accuracy", type=float, default=None, help="数字准确率低于该值时退出码非零")
    p.add_argument("--json", action="store_true", help="输出 JSON 汇总")
    p.set_defaults(run=command_eval)


def command_eval(services: Services, args: argparse.Namespace) -> int:
    # The eval suite is imported when the command runs, not at every command's start (``budget-qa ask``).
    from qa.evaluation.report import write_reports
    from qa.evaluation.run import DEFAULT_MIN_ACCURACY, QA_DIR, REPORT_DIR, QAFileError, evaluate

    if args.retrieval:
        return command_retrieval_eval(services, args)
    files = [Path(f) for f in args.files] or sorted(QA_DIR.glob("*.jsonl"))
    missing = [f for f in files if not f.is_file()]
    if missing:
        error(f"问答集不存在：{', '.join(map(str, missing))}")
        return 2
    try:
        report = evaluate(services, files, progress=not args.json and sys.stderr.isatty())
    except QAFileError as exc:
        error(str(exc))
        return 2
    threshold = DEFAULT_MIN_ACCURACY if args.min_accuracy is None else args.min_accuracy
    samples = report["by_corpus"].get("samples")
    accuracy = samples["figure_accuracy"] if samples else None
    report["min_accuracy"] = threshold
    report_dir = Path(args.report_dir) if args.report_dir else REPORT_DIR
    md_path, json_path = write_reports(report, report_dir)
    if args.json:
        summary = {k: v for k, v in report.items() if k != "results"}
        print(json.dumps(summary, ensure_ascii=False, default=str))
    else:
        for line in report["skipped"]:
            print(f"  - {line}")
        for corpus, m in report["by_corpus"].items():
            print(f"{corpus}: {m['questions']} 题，数字准确率 {pct(m['figure_accuracy'])}，"
                  f"引用准确率 {pct(m['citation_accuracy'])}，拒答精确率 {pct(m['refusal_precision'])}，"
                  f"召回率 {pct(m['refusal_recall'])}，未命中 {m['misses']} 题；"
                  f"对 {m['right']}，错 {m['wrong']}，拒答 {m['refused_outcome']}")
        print(f"报告：{md_path}  {json_path}")
    if accuracy is not None and accuracy < threshold:
        error(f"样例数字准确率 {pct(accuracy)} 低于阈值 {pct(threshold)}")
        return 1
    return 0


def command_retrieval_eval(services: Services, args: argparse.Namespace) -> int:
    from qa.evaluation.retrieval import ensure_samples_indexed, load_questions, render_markdown, run_retrieval_eval
    from qa.evaluation.run import REPORT_DIR

    ensure_samples_indexed(services)
    report = run_retrieval_eval(services.search_index, load_questions())
    report_dir = Path(getattr(args, "report_dir", None) or REPORT_DIR)
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "retrieval.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    (report_dir / "retrieval.md").write_text(render_markdown(report, services.settings), encoding="utf-8")
    if getattr(args, "json", False):
        print(json.dumps(report["modes"], ensure_ascii=False))
    else:
        print(f"{'模式':<14}{'hit@1':>8}{'hit@5':>8}{'MRR':>8}{'p95 ms':>9}")
        for mode, m in report["modes"].items():
            print(f"{mode:<16}{m['hit@1']:>8.1%}{m['hit@5']:>8.1%}{m['mrr']:>8.3f}{m['p95_ms']:>9.1f}")
        print(f"报告：{report_dir / 'retrieval.md'}")
    threshold = getattr(args, "min_accuracy", None)
    return 1 if threshold is not None and report["modes"]["fused"]["hit@5"] < threshold else 0


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.1%}"
