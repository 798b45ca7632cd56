"""Question understanding over the vocabulary built from the two indexed samples."""

from __future__ import annotations

import pytest

from index.core.settings import Settings
from index.core.terms import clean_name
from index.store.facts import FactsStore
from qa.understand.parse import parse_question
from qa.understand.vocabulary import Vocabulary


@pytest.fixture(scope="module")
def vocab(facts_only_data_dir) -> Vocabulary:
    return Vocabulary.build(FactsStore(Settings(data_dir=facts_only_data_dir).db_path))


def departments(vocab: Vocabulary, parsed) -> list[set[str]]:
    return [{vocab.documents[d].department for d in group} for group in parsed.department_groups]


WAIBAN = "北京市西城区人民政府外事办公室"
ZFB = "北京市西城区人民政府办公室"


@pytest.mark.parametrize("name, expected", [
    ("外办", WAIBAN), ("区政府外办", WAIBAN), ("西城区政府外事办公室", WAIBAN), ("西城外办", WAIBAN),
    (WAIBAN, WAIBAN), ("西城区人民政府外事办公室", WAIBAN),
    ("政府办", ZFB), ("西城区政府办", ZFB), ("区政府办公室", ZFB), (ZFB, ZFB),
])
def test_department_from_full_short_and_regionless_names(vocab, name, expected):
    parsed = parse_question(f"{name}2020年三公经费是多少？", vocab)
    assert departments(vocab, parsed) == [{expected}]
    assert parsed.years == [2020]


def test_vocabulary_comes_from_the_indexed_facts(vocab):
    # Row names, codes, 项目名称 and column leaves of both samples, cleaned of enumerators.
    assert {"行政运行", "公务接待费", "住房公积金", "一般公共服务支出"} <= set(vocab.rows)
    assert {"2010301", "2210201", "30217"} <= set(vocab.codes)
    assert {"外事工作经费", "机要信息中心运维费"} <= set(vocab.attributes)  # "2020年机要信息中心运维费" without its year
    assert {"基本支出", "项目支出", "人员经费", "公用经费", "2019年预算数"} <= set(vocab.columns)


@pytest.mark.parametrize("raw, cleaned", [
    ("1、公务接待费", "公务接待费"), ("（一）一般公共服务支出", "一般公共服务支出"), ("其中；公务用车购置费", "公务用车购置费"),
    ("一、本年收入", "本年收入"), ("收入总计：", "收入总计"), ("2010801-行政运行", "行政运行"), ("C-服务", "服务"),
])
def test_clean_name_drops_enumerators(raw, cleaned):
    assert clean_name(raw) == cleaned


def test_similar_names_are_not_confused(vocab):
    subject = parse_question("外办行政运行是多少", vocab)
    measure = parse_question("外办行政运行经费是多少", vocab)
    agency = parse_question("外办机关运行经费是多少", vocab)
    assert [(i.kind, i.name) for i in subject.items] == [("row", "行政运行")]
    assert [(i.kind, i.name) for i in measure.items] == [("concept", "机关运行经费")]
    assert [(i.kind, i.name) for i in agency.items] == [("concept", "机关运行经费")]


@pytest.mark.parametrize("question", ["政府办2020年水费电费合计多少元", "政府办2020年电费水费合计多少元", "政府办水费电费合计多少元"])
def test_a_two_character_row_right_after_a_year_is_a_whole_word(vocab, question):
    """A short row name counts only as a whole word (not 服务 in 服务联络办); a year written before it ends a word."""
    parsed = parse_question(question, vocab)
    assert sorted(i.name for i in parsed.items) == ["水费", "电费"] and parsed.unbound == []
    assert parsed.operation == "sum"


def test_basic_expenditure_is_a_column_not_a_row(vocab):
    parsed = parse_question("外办一般公共服务支出的基本支出是多少", vocab)
    assert [i.name for i in parsed.items] == ["一般公共服务支出"]
    assert parsed.column == "基本支出"
    alone = parse_question("外办基本支出是多少", vocab)
    assert alone.items == [] and alone.column == "基本支出"


def test_code_and_project_name(vocab):
    by_code = parse_question("外办2010301科目的基本支出", vocab)
    assert [(i.kind, i.name) for i in by_code.items] == [("code", "2010301")] and by_code.years == []
    project = parse_question("外事工作经费预算多少", vocab)
    assert [(i.kind, i.name) for i in project.items] == [("attribute", "外事工作经费")]
    near = parse_question("外事工作经费是中外友好组织国际交流周活动支持经费的几倍", vocab)
    assert [i.name for i in near.items] == ["外事工作经费", "中外友好组织国际交流周活动西城区支持经费"]
    assert near.operation == "ratio"


@pytest.mark.parametrize("question, operation", [
    ("外办2020年收入预算是多少？", "lookup"),
    ("外办收入预算比2019年增加多少", "change"),
    ("外办收入预算增长率是多少", "growth_rate"),
    ("外办基本支出占支出合计的比例", "share"),
    ("外办项目支出占总支出的百分比", "share"),
    ("外办住房公积金和购房补贴合计多少", "sum"),
    ("政府办收入预算是外办的多少倍", "ratio"),
    ("外办和政府办哪个三公经费更多", "compare"),
    ("区政府外办有哪些内设机构？", "prose"),
    ("外办项目支出为什么增加了", "prose"),
    ("区政府外办有几个内设机构？", "lookup"),
])
def test_operation(vocab, question, operation):
    assert parse_question(question, vocab).operation == operation


def test_unknown_department_and_region_are_detected(vocab):
    assert parse_question("西城区教委2020年三公经费是多少", vocab).unknown_department == "西城区教委"
    assert parse_question("海淀区财政局2020年三公经费", vocab).unknown_department is not None
    assert parse_question("外办举办了哪些活动", vocab).unknown_department is None


def test_context_inside_an_item(vocab):
    parsed = parse_question("政府办三公经费里的公务接待费是多少", vocab)
    assert [i.name for i in parsed.items] == ["公务接待费"]
    assert parsed.context_item is not None and parsed.context_item.name == "三公经费"


def test_table_references(vocab):
    parsed = parse_question("外办表2和表3的行政运行金额一致吗？", vocab)
    assert parsed.tables == ["表2", "表3"]
    titled = parse_question("外办收入总表里行政运行是多少", vocab)
    assert titled.tables == ["收入总表"] and [i.name for i in titled.items] == ["行政运行"]


def test_follow_up_resolves_against_the_previous_turn(vocab):
    first = parse_question("外办2020年三公经费是多少？", vocab)
    year = parse_question("那2019年呢？", vocab, context=first)
    assert departments(vocab, year) == [{WAIBAN}] and year.years == [2019]
    assert [i.name for i in year.items] == ["三公经费"]
    other = parse_question("政府办呢？", vocab, context=first)
    assert departments(vocab, other) == [{ZFB}] and [i.name for i in other.items] == ["三公经费"]
    row = parse_question("外办行政运行是多少", vocab)
    column = parse_question("它的基本支出呢？", vocab, context=row)
    assert [i.name for i in column.items] == ["行政运行"] and column.column == "基本支出"


@pytest.mark.parametrize("question, units, money", [
    ("外办单价100万元（含）以上的设备有多少台（套）", ("台",), False),  # the 万元 is a threshold
    ("外办购置单位价值50万元以上的设备多少台", ("台",), False),
    ("外办设备购置预算多少万元", None, True),
])
def test_a_money_threshold_does_not_make_a_count_a_money_question(vocab, question, units, money):
    parsed = parse_question(question, vocab)
    assert (parsed.count_units or (None,))[:1] == (units or (None,))[:1] and parsed.money is money


def test_a_counts_total_word_adds_the_counts_up(vocab):
    # wb-258 …纳入绩效目标管理的项目数合计多少个: 合计 is a column of the tables, but no column counts projects —
    # what is counted is the item (it was read as the 合计 column, and nothing was found).
    parsed = parse_question("外办与政府办2020年纳入绩效目标管理的项目数合计多少个", vocab)
    assert parsed.operation == "sum" and parsed.count_units
    assert [(i.kind, i.name) for i in parsed.items] == [("term", "纳入绩效目标管理")]



def test_a_two_character_row_ends_where_a_fund_or_a_years_qualifier_starts(vocab):
    # 奖金本年财政拨款基本支出: 奖金 is a whole word (本年 starts the next); it was left unread, and the table's total answered
    items = parse_question("西城区外办2020年奖金本年财政拨款基本支出多少", vocab).items
    assert [(i.kind, i.name) for i in items] == [("row", "奖金")]
    assert not parse_question("西城区外办2020年服务联络办支出多少", vocab).items or all(
        i.name != "服务" for i in parse_question("西城区外办2020年服务联络办支出多少", vocab).items)
