"""Headings against numbered sentences: a numbered line is a heading only when it is one.

The lines are as the PDF reader gives them (text, page, box); pages are 595 points wide.
"""

from __future__ import annotations

from index.read.headings import build_blocks
from index.read.pdf import Line

WIDTH = {1: 595.0, 2: 595.0}


def line(text: str, right: float, page: int = 1, top: float = 100.0) -> Line:
    return Line(text=text, page=page, bbox=(90.0, top, right, top + 12))


def kinds(lines: list[Line]) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in build_blocks(lines, WIDTH)]


def test_a_short_numbered_line_is_a_heading():
    assert kinds([line("五、其他情况说明", 220), line("2026年机关运行经费102.5万元。", 300, top=120)]) == [
        ("heading", "五、其他情况说明"), ("paragraph", "2026年机关运行经费102.5万元。")]


def test_a_run_in_heading_with_its_sentence_is_a_paragraph():
    """"（五）委托业务费情况。2026年委托业务费涉及财拨资金" wraps onto the next page's "116,699.16万元，…"."""
    blocks = kinds([line("（五）委托业务费情况。2026年委托业务费涉及财拨资金", 505),
                    line("116,699.16万元，主要用于科技项目评审。", 330, page=2, top=60)])
    assert blocks == [("paragraph", "（五）委托业务费情况。2026年委托业务费涉及财拨资金116,699.16万元，主要用于科技项目评审。")]


def test_a_numbered_sentence_wrapped_before_its_figure_is_a_paragraph():
    blocks = kinds([line("5.公路水路运输（款）其他公路水路运输支出（项）支出", 505),
                    line("8,496.33 万元，与上年相比增加 5,380.83 万元，增长 172.71%。", 420, top=120)])
    assert [k for k, _ in blocks] == ["paragraph"] and "支出8,496.33 万元" in blocks[0][1]
    # The same words stopping well short of the margin are a heading over a figure printed under it.
    short = kinds([line("六、年度预算安排", 220), line("795万元", 140, top=120)])
    assert short[0] == ("heading", "六、年度预算安排")
