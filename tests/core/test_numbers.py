import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.core.numbers import NumberParseError, format_amount, looks_numeric, parse_number, try_parse_number
from index.core.text import compact, normalize


@pytest.mark.parametrize(
    "printed, value",
    [
        ("7,955,559.34", "7955559.34"),
        ("2，100，000.00", "2100000.00"),  # full-width commas
        ("310349.78", "310349.78"),  # missing separators
        ("16，320.00", "16320.00"),
        ("（12.50）", "-12.50"),
        ("(12.50)", "-12.50"),
        ("-12.50", "-12.50"),
        ("0", "0"),
        ("135,200", "135200"),
        ("32,365.090089", "32365.090089"),  # Beijing: 万元 with 6 decimals
        ("１２３.４５", "123.45"),
    ],
)
def test_amounts_parse_exactly(printed, value):
    parsed = parse_number(printed)
    assert parsed.value == Decimal(value)
    assert parsed.text == printed  # the printed text is kept beside the value


def test_percentages_are_marked():
    parsed = parse_number("11.55%")
    assert parsed.value == Decimal("11.55") and parsed.is_percent


@pytest.mark.parametrize("printed", ["", "-", "—", None, "  "])
def test_blank_and_dash_have_no_value(printed):
    parsed = parse_number(printed)
    assert parsed.value is None and parsed.blank


@pytest.mark.parametrize("printed", ["1,2,3", "12.3.4", "abc", "7,955,559.34元多", "(12.50", "1,23"])
def test_malformed_numbers_are_refused_not_zero(printed):
    with pytest.raises(NumberParseError, match=f"^不是数字：{re.escape(repr(printed))}$"):
        parse_number(printed)
    assert try_parse_number(printed) is None


def test_a_long_first_group_is_still_thousands_and_says_so():
    """001_上海…人力资源和社会保障局 prints every amount so ("125360, 898" on p10, 元): its 收入预算 12,814万元 of the text
    is 128,138,600 read this way; the comma is a thousands separator, the grouping only irregular."""
    parsed = parse_number("125360,898")
    assert parsed.value == Decimal("125360898") and parsed.regrouped
    assert not parse_number("125,360,898").regrouped and not parse_number("125360898").regrouped


def test_looks_numeric_flags_broken_figures_for_warnings():
    assert looks_numeric("1,2,3") and looks_numeric("12.3.4")
    assert not looks_numeric("款收入") and not looks_numeric("")


@given(st.text())
def test_parser_never_raises_anything_but_its_own_error(text):
    try:
        parsed = parse_number(text)
    except NumberParseError:
        return
    assert parsed.text == text


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False, allow_infinity=False))
def test_every_formatted_decimal_round_trips(value):
    for printed in (format_amount(value, 2), format_amount(value, 2).replace(",", "，"), f"{value:.2f}"):
        assert parse_number(printed).value == value.quantize(Decimal("0.01"))


@given(st.decimals(min_value=Decimal("0"), max_value=Decimal("1e9"), places=6, allow_nan=False, allow_infinity=False))
def test_negative_in_parentheses_round_trips(value):
    assert parse_number(f"（{format_amount(value)}）").value == -value


def test_normalize_joins_wrapped_cells_and_layout_spaces():
    assert normalize("其 他 政 府 办 公 厅\n（室）及相关机构事务支\n出") == "其他政府办公厅（室）及相关机构事务支出"
    assert normalize("2020 年收入预算 7,955,559.34 元") == "2020年收入预算7,955,559.34元"
    assert compact("“三公” 经费") == "三公经费"


def test_letter_spaced_digits_before_a_unit_are_one_number():
    # 重庆: "政府采购预算总额 9 4 7 万 元" was read as 7万元; the digits belong together when a unit follows.
    from index.core.text import normalize

    assert normalize("政府采购预算总额 9 4 7 万 元 : 政 府 采 购 货 物 预 算 4 7 万元、") == "政府采购预算总额947万元 : 政府采购货物预算47万元、"
    assert normalize("2025 4,245.49万元") == "2025 4,245.49万元"  # two figures stay two
    assert normalize("表 1 2 3") == "表1 2 3"  # no unit: nothing joined
