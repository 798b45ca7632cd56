"""财政拨款收入 / 财政拨款支出 where no row or column carries the name: the 财政拨款收支总表's 本年 line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qa.cli.main import main
from qa.services import Services
from tests.conftest import WILD_DIR, make_settings

pytestmark = pytest.mark.real
# 公开04表 财政拨款收支总表 "一、本年收入 92,596.24" above "二、上年结转"; no table names 财政拨款收入.
SUZHOU = "006_苏州__2026年苏州市水务局部门预算.pdf"
# 表4 财政拨款收支总体情况表 "本年收入合计 300,185.19"; 表2 prints 财政拨款收入 only as a header over three
# fund columns (一般公共预算 49,961.75 / 政府性基金预算 250,223.44 / 国有资本经营预算 0.00).
GUANGZHOU = "005_广州__水务局_2026年部门预算.pdf"
# 表二's three-line header is misread ("拨款收入" read as a row); the text states 一般公共预算财政拨款收入 12,672.73
# and 政府性基金预算财政拨款收入 579.89 apart: neither is 财政拨款收入.
CHONGQING = "004_重庆__2026年重庆市气象局部门预算.pdf"


@pytest.fixture(scope="module")
def services(tmp_path_factory) -> Services:
    paths = [WILD_DIR / SUZHOU, WILD_DIR / GUANGZHOU, WILD_DIR / CHONGQING]
    if not all(p.exists() for p in paths):
        pytest.skip(f"{WILD_DIR} is absent: the wild disclosures are third-party files, not committed")
    data_dir = tmp_path_factory.mktemp("fund")
    assert main(["ingest", *map(str, paths), "--data-dir", str(data_dir), "--no-progress"]) == 0
    return Services(make_settings(data_dir))


@pytest.mark.parametrize(("question", "value", "row", "column"), [
    ("苏州市水务局2026年财政拨款收入是多少？", "92596.24", "一、本年收入", "收入/预算数"),
    ("广州市水务局2026年财政拨款收入是多少？", "300185.19", "本年收入合计", "收入/预算"),
    ("广州市水务局2026年财政拨款支出是多少？", "300185.19", "本年支出合计", "支出/预算"),
])
def test_the_fund_table_s_own_line_answers(services, question, value, row, column):
    answer = services.engine.ask(question)
    assert answer.status == "answered", answer.answer
    assert Decimal(answer.value) == Decimal(value) and answer.unit == "万元"
    cited = answer.citations[0]
    assert "财政拨款收支" in (answer.answer or "") and (cited.row, cited.column) == (row, column)


def test_a_fund_column_s_part_is_never_the_fund_s_figure(services):
    """广州 表2: 49,961.75 is only the 一般公共预算 part of 财政拨款收入; it must never be the answer."""
    answer = services.engine.ask("广州市水务局2026年财政拨款收入是多少？")
    assert answer.value is None or Decimal(answer.value) != Decimal("49961.75")


def test_one_fund_s_part_is_never_the_whole_财政拨款收入(services):
    answer = services.engine.ask("重庆市气象局2026年财政拨款收入是多少？")
    assert answer.value is None or Decimal(answer.value) not in (Decimal("12672.73"), Decimal("579.89")), answer.answer


def test_a_figure_quoted_for_a_year_the_text_is_not_about_is_refused(services):
    """2024 asked of a 2026 disclosure whose text states only 2026's 一般公共预算拨款 12,672.73."""
    answer = services.engine.ask("重庆市气象局2024年一般公共预算拨款收入是多少万元？")
    assert answer.status == "refused" and answer.value is None, answer.answer
