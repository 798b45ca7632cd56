"""``budget-qa audit --all --report DIR``: a Markdown and an HTML report per document, and a summary of
findings per document and class and of the checks skipped (run in-process through ``main``)."""

from __future__ import annotations

from qa.cli.main import main


def test_report_per_document_and_summary(facts_only_data_dir, tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["audit", "--data-dir", str(facts_only_data_dir), "--all", "--report", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "核对报告已写入" in printed and "xicheng-waiban-2020.pdf：6 条（错误 6，提示 0）" in printed
    assert sorted(p.name for p in out.iterdir()) == [
        "summary.html", "summary.md", "xicheng-waiban-2020.html", "xicheng-waiban-2020.md",
        "xicheng-zfb-2020.html", "xicheng-zfb-2020.md",
    ]
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "| 文档 | 页数 | 发现 | a | b | c | d | e | f | g | 跳过 | 耗时（秒） |" in summary
    assert "| xicheng-waiban-2020.pdf | 24 | 6 | 1 | 5 | 0 | 0 | 0 | 0 | 0 |" in summary
    waiban = (out / "xicheng-waiban-2020.md").read_text(encoding="utf-8")
    # Each finding: rule and class, the message with its arithmetic, what is checked, every place cited.
    assert "### 1. [错误] 上下级科目（b 小计等于下级之和）" in waiban
    assert "- 核对：上级科目（或标号行）应等于其下级之和" in waiban
    assert "| xicheng-waiban-2020.pdf | 7 | 表2 | 20103 政府办公厅（室）及相关机构事务 | 合计 |" in waiban
    html = (out / "xicheng-waiban-2020.html").read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "<table>" in html and "上下级科目" in html
