"""Scope first: who a question is about is read before any item, and items are matched only against the
names of those documents (a junk row of one document never reaches another's questions).

Synthetic vocabularies: identity records plus per-document names, loaded through a counting loader.
"""

from __future__ import annotations

from decimal import Decimal

from index.store.facts import DocumentRecord, StoredFact
from qa.understand.parse import parse_question
from qa.understand.scope import select
from qa.understand.vocabulary import Vocabulary

DOCS = {
    # doc_id: (department, region, year, rows)
    "d-xa": ("西安市卫生健康委员会", "陕西省西安市", 2026, ["6年", "卫生健康支出"]),
    "d-sz": ("深圳市医疗保障局", "深圳市", 2026, ["医疗保障管理事务"]),
    "d-sz2": ("深圳市审计局", "广东省深圳市", 2026, ["审计业务"]),
    "d-gz": ("广州市财政局", "广东省广州市", 2026, ["财政事务"]),
    "d-xc": ("北京市西城区人民政府办公室", "北京市西城区", 2020, ["行政运行", "公务接待费"]),
    "d-xc19": ("北京市西城区人民政府办公室", "北京市西城区", 2019, ["行政运行"]),
}


def record(doc_id: str) -> DocumentRecord:
    department, region, year, _ = DOCS[doc_id]
    short = department.replace(region, "") if department.startswith(region) else department
    return DocumentRecord(
        doc_id=doc_id, file_name=f"{doc_id}.pdf", sha256=doc_id, stored_path="", status="ready", department=department,
        short_name=short, aliases=[], region=region, year=year, kind="部门预算", group_name=None, pages=1, n_tables=1,
        n_facts=0, n_narrative=0, warnings=[], ingested_at="",
    )


def fact(doc_id: str, name: str, i: int, column: str) -> StoredFact:
    return StoredFact(doc_id=doc_id, file_name=f"{doc_id}.pdf", table_index=0, label="表3", title="部门支出总表", unit="万元",
                      row_index=i, code=None, name=name, level=None, parent_code=None, column=column, value=Decimal(1),
                      text="1", page=1, bbox=None)


class CountingLoader:
    def __init__(self):
        self.loaded: list[str] = []

    def __call__(self, doc_id: str) -> list[StoredFact]:
        self.loaded.append(doc_id)
        return [fact(doc_id, name, i, column) for i, name in enumerate(DOCS[doc_id][3]) for column in ("合计", "基本支出")]


def vocabulary() -> tuple[Vocabulary, CountingLoader]:
    loader = CountingLoader()
    vocab = Vocabulary(loader)
    for doc_id in DOCS:
        vocab.add_document(record(doc_id))
    return vocab, loader


def test_a_junk_row_of_one_document_changes_no_question_about_another():
    vocab, loader = vocabulary()
    parsed = parse_question("深圳市医疗保障局2026年基本支出是多少", vocab)
    assert parsed.items == [] and parsed.column == "基本支出" and parsed.years == [2026]
    assert loader.loaded == ["d-sz"]  # only the scoped document's names were read
    # The junk row's own document: "6年" still cannot cut into the year 2026年.
    own = parse_question("西安市卫生健康委员会2026年基本支出是多少", vocab)
    assert all(i.name != "6年" for i in own.items) and own.years == [2026]


def test_question_cost_does_not_read_every_document():
    vocab, loader = vocabulary()
    for question in ("广州市财政局2026年财政事务是多少", "广州市财政局2026年基本支出", "西城区政府办2020年行政运行"):
        parse_question(question, vocab)
    assert sorted(set(loader.loaded)) == ["d-gz", "d-xc", "d-xc19"]


def test_an_unknown_city_is_refused_with_the_closest_publishers():
    vocab, _ = vocabulary()
    for question in ("烟台市医疗保障局2026年支出预算总计是多少", "烟台市审计局2026年支出预算总计是多少"):
        parsed = parse_question(question, vocab)
        assert (parsed.unknown_region or parsed.unknown_department) == question.split("2026")[0], parsed
        selection = select(parsed, vocab)
        assert selection.disclosures == [] and "烟台市" in (selection.refusal or "")
        assert selection.suggestions[0] in ("深圳市医疗保障局", "深圳市审计局")  # offered as a reading, never answered


def test_a_known_city_without_that_office_is_never_answered_by_a_namesake():
    vocab, _ = vocabulary()
    parsed = parse_question("广州市政府办公室2026年基本支出是多少", vocab)
    selection = select(parsed, vocab)
    assert selection.disclosures == [] and selection.refusal and "广州市" in selection.refusal
    assert "广州市财政局" in selection.suggestions  # offered: the city's own publishers, and namesakes as readings only


def test_an_unknown_publisher_is_refused():
    vocab, _ = vocabulary()
    selection = select(parse_question("西城区教委2020年三公经费是多少", vocab), vocab)
    assert selection.refusal and "教委" in selection.refusal and selection.suggestions


def test_follow_ups_keep_the_item_and_the_scope():
    vocab, _ = vocabulary()
    first = parse_question("西城区政府办2020年基本支出是多少？", vocab)
    year = parse_question("那2019年呢？", vocab, context=first)
    assert year.department_groups == first.department_groups and year.years == [2019]
    assert year.column == "基本支出" and "部门" in year.inherited
    selection = select(year, vocab)
    assert [d.year for d in selection.disclosures] == [2019]
    assert select(parse_question("那2019年呢？", vocab, context=year), vocab).disclosures[0].year == 2019
    row = parse_question("那行政运行呢？", vocab, context=first)
    assert [i.name for i in row.items] == ["行政运行"] and row.department_groups == first.department_groups


def test_a_prose_follow_up_does_not_inherit_the_previous_item():
    vocab, _ = vocabulary()
    first = parse_question("西城区政府办2020年行政运行是多少？", vocab)
    prose = parse_question("它的主要职能是什么？", vocab, context=first)
    assert prose.operation == "prose" and prose.items == [] and prose.department_groups == first.department_groups


def test_a_follow_up_naming_an_unknown_publisher_does_not_inherit():
    vocab, _ = vocabulary()
    first = parse_question("西城区政府办2020年行政运行是多少？", vocab)
    other = parse_question("那烟台市医疗保障局呢？", vocab, context=first)
    assert other.department_groups == [] and "烟台市医疗保障局" in (select(other, vocab).refusal or "")


def test_a_table_title_printing_its_publishers_name_leaves_the_publisher_named():
    """广州市生态环境局's p1 title "广州市生态环境局2026年项目支出绩效目标表（含转移支付项目）" (a 140-page file, too
    slow to ingest here): the title holds the publisher's name, which still names the publisher."""
    title = "广州市财政局2026年项目支出绩效目标表（含转移支付项目）"
    total = StoredFact(doc_id="d-gz", file_name="d-gz.pdf", table_index=0, label=None, title=title, unit="万元",
                       row_index=0, code=None, name="合计：", level=None, parent_code=None, column="总计：",
                       value=Decimal(1), text="1", page=1, bbox=None)
    vocab = Vocabulary(lambda doc_id: [total] if doc_id == "d-gz" else [])
    for doc_id in DOCS:
        vocab.add_document(record(doc_id))
    parsed = parse_question(f"{title}的总计合计是多少万元？", vocab)
    assert parsed.department_names and parsed.department_groups == [["d-gz"]]
    assert parsed.tables == [title] and parsed.years == [2026]


# --- identity the reader supplies: kind, level, parent ------------------------------------------------

def identity_vocabulary() -> Vocabulary:
    vocab = Vocabulary(lambda doc_id: [])
    base = dict(sha256="x", stored_path="", status="ready", short_name=None, aliases=[], group_name=None, pages=1,
                n_tables=1, n_facts=0, n_narrative=0, warnings=[], ingested_at="", year=2026)
    vocab.add_document(DocumentRecord(doc_id="college", file_name="001_上海__交通运输局.pdf", department="上海交通职业技术学院",
                                      region="上海市", kind="单位预算", level="单位", parent="上海市交通运输局", **base))
    vocab.add_document(DocumentRecord(doc_id="edu", file_name="edu.pdf", department="无锡市教育局", region="无锡市",
                                      kind="部门预算", level="汇总", **base))
    vocab.add_document(DocumentRecord(doc_id="notice", file_name="notice.pdf", department="某市审计局", region="某市",
                                      kind="非预算公开", **base))
    vocab.add_document(DocumentRecord(doc_id="audit", file_name="audit.pdf", department="某市审计局", region="某市",
                                      kind="部门预算", **base))
    return vocab


def test_a_sub_units_file_is_not_its_parents_budget():
    vocab = identity_vocabulary()
    vocab.departments["上海市交通运输局"].add("college")  # the parent's name reaches the file (e.g. from its cover)
    selection = select(parse_question("上海市交通运输局2026年三公经费是多少", vocab), vocab)
    assert selection.disclosures == [] and "下属单位" in (selection.refusal or "")
    assert selection.suggestions == ["上海交通职业技术学院"]
    own = select(parse_question("上海交通职业技术学院2026年三公经费是多少", vocab), vocab)
    assert [d.department for d in own.disclosures] == ["上海交通职业技术学院"]


def test_the_level_asked_is_the_level_answered():
    vocab = identity_vocabulary()
    selection = select(parse_question("无锡市教育局（本级）2026年三公经费是多少", vocab), vocab)
    assert selection.disclosures == [] and "本级" in (selection.refusal or "")
    assert select(parse_question("无锡市教育局2026年三公经费是多少", vocab), vocab).disclosures


def test_a_publishers_name_alone_means_its_whole_department_not_its_own_level():
    """无锡市教育局 publishes its 汇总 部门预算 and its 本级 单位预算 for one year: the name alone is the whole."""
    vocab = identity_vocabulary()
    edu = vocab.documents["edu"]
    vocab.add_document(edu.model_copy(update={"doc_id": "edu-own", "file_name": "edu-own.pdf", "kind": "单位预算", "level": "本级"}))
    whole = select(parse_question("无锡市教育局2026年三公经费是多少", vocab), vocab)
    assert [d.doc_ids for d in whole.disclosures] == [["edu"]]
    own = select(parse_question("无锡市教育局（本级）2026年三公经费是多少", vocab), vocab)
    assert [d.doc_ids for d in own.disclosures] == [["edu-own"]]


def test_a_level_bracketed_after_one_of_several_publishers_is_asked_of_that_one():
    """wa-355 广州市司法局的收入预算比深圳市司法局（本级）多多少: 广州's 部门预算 is not set aside as "not 本级"."""
    vocab = identity_vocabulary()
    vocab.add_document(vocab.documents["edu"].model_copy(update={
        "doc_id": "stat", "file_name": "stat.pdf", "department": "深圳市统计局", "region": "深圳市", "level": "本级"}))
    selection = select(parse_question("2026年无锡市教育局和深圳市统计局（本级）的三公经费合计是多少", vocab), vocab)
    assert sorted(d for disclosure in selection.disclosures for d in disclosure.doc_ids) == ["edu", "stat"]
    selection = select(parse_question("2026年深圳市统计局和无锡市教育局（本级）的三公经费合计是多少", vocab), vocab)
    assert selection.disclosures == [] and "无锡市教育局本级" in (selection.refusal or "")
    selection = select(parse_question("2026年深圳市统计局和无锡市教育局单位本级的三公经费合计是多少", vocab), vocab)
    assert selection.disclosures == [] and "无锡市教育局本级" in (selection.refusal or "")


def test_one_publisher_named_at_two_levels_is_two_disclosures():
    """wb-252 无锡市教育局部门预算收入总计比无锡市教育局（本级）单位预算收入总计多多少: the 汇总 file and the 本级 one,
    each named by its level (not one publisher, nor both 单位预算)."""
    vocab = identity_vocabulary()
    edu = vocab.documents["edu"]
    vocab.add_document(edu.model_copy(update={"doc_id": "edu-own", "file_name": "edu-own.pdf", "kind": "单位预算", "level": "本级"}))
    parsed = parse_question("无锡市教育局2026年部门预算收入总计比无锡市教育局（本级）单位预算收入总计多多少万元", vocab)
    selection = select(parsed, vocab)
    assert [d.doc_ids for d in selection.disclosures] == [["edu"], ["edu-own"]]
    assert [d.label for d in selection.disclosures] == ["无锡市教育局（汇总）2026年", "无锡市教育局（本级）2026年"]


def test_a_notice_never_supplies_a_figure_when_a_budget_is_there():
    vocab = identity_vocabulary()
    selection = select(parse_question("某市审计局2026年三公经费是多少", vocab), vocab)
    assert [d.doc_ids for d in selection.disclosures] == [["audit"]]


def test_a_place_written_before_a_short_name_that_holds_its_suffix_is_unknown():
    """成都市审计局 is read as 成都 + "市审计局" (an alias of 深圳市审计局): 成都市 is the place, and no document is from it."""
    vocab = Vocabulary(CountingLoader())
    vocab.add_document(record("d-sz2").model_copy(update={"aliases": ["市审计局", "审计局"], "short_name": "审计局"}))
    assert parse_question("深圳市审计局2026年部门预算收入是多少万元？", vocab).department_groups == [["d-sz2"]]
    parsed = parse_question("成都市审计局2026年部门预算收入是多少万元？", vocab)
    assert parsed.unknown_region == "成都市审计局", parsed
    selection = select(parsed, vocab)
    assert selection.refusal and "成都市审计局" in selection.refusal and not selection.disclosures


def test_one_offices_wording_of_a_common_measure_does_not_pick_among_namesakes():
    """Five cities' 办公厅: 公务接待费支出 printed by one is still the 公务接待费 each reports, so which office is
    meant stays a question; a name of one office's own (机要通信经费) does tell which."""
    rows = {"d-bj": ("北京市人民政府办公厅", "北京市", ["公务接待费", "机要通信经费"]),
            "d-gz": ("广州市人民政府办公厅", "广东省广州市", ["公务接待费支出"])}
    vocab = Vocabulary(lambda d: [fact(d, name, i, "合计") for i, name in enumerate(rows[d][2])])
    for doc_id, (department, region, _) in rows.items():
        vocab.add_document(record("d-xc").model_copy(update={
            "doc_id": doc_id, "file_name": f"{doc_id}.pdf", "department": department, "region": region,
            "short_name": "办公厅", "aliases": ["办公厅"], "year": 2026}))
    common = select(parse_question("办公厅2026年公务接待费支出总计多少", vocab), vocab)
    assert common.disclosures == [] and "对应多个部门" in (common.refusal or "")
    assert sorted(common.suggestions) == ["北京市人民政府办公厅", "广州市人民政府办公厅"]
    own = select(parse_question("办公厅2026年机要通信经费多少", vocab), vocab)
    assert [d.department for d in own.disclosures] == ["北京市人民政府办公厅"]


def test_a_figure_the_question_says_it_does_not_ask_is_no_column():
    """西安市卫生健康委员会…“三公”经费的预算数（不是决算数）: 决算数 is what is not asked."""
    vocab = Vocabulary(lambda d: [fact(d, "公务接待费", 0, column) for column in ("预算数", "决算数")])
    vocab.add_document(record("d-xc"))
    parsed = parse_question("西城区政府办2020年公务接待费的预算数（不是决算数）是多少", vocab)
    assert [i.name for i in parsed.items] == ["公务接待费"] and "决算数" not in [c for c, _ in parsed.columns]
