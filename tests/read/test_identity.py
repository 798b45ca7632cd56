"""Identity read from the document, one test per city's cover layout (snippets modelled on the real
covers of ../shared/wild), plus junk around names, files that are not budgets, and the warnings."""

from __future__ import annotations

import pytest

from index.read.identity import IdentityEvidence, read_identity
from index.read.identity.evidence import labelled_names
from index.read.identity.names import clean_publisher, derive_aliases, split_region
from qa.evaluation.check import ManifestRow, identity_agreement

TOC = "目录\n第一部分部门概况\n一、主要职责\n二、机构设置情况\n第二部分2026年部门预算表\n一、收支总体情况表"


def read(*pages: str, file_name: str | None = None, tables: list[str] | None = None,
         headings: list[str] | None = None, metadata: str | None = None):
    return read_identity(IdentityEvidence(pages=list(pages), table_titles=tables or [], headings=headings or [],
                                          metadata_title=metadata, file_name=file_name))


def test_shanghai_sub_unit_after_its_label_with_the_parent_from_the_body():
    ident = read("上海市2026年市级单位预算\n预算单位：上海交通职业技术学院",
                 TOC, "上海交通职业技术学院（单位）主要职能\n上海交通职业技术学院是上海市交通委员会下属事业单位。",
                 file_name="001_上海__2026年上海市交通运输局_部门预算.pdf")
    assert (ident.department, ident.level, ident.parent) == ("上海交通职业技术学院", "单位", "上海市交通委员会")
    assert (ident.city, ident.region, ident.year, ident.kind) == ("上海市", "上海市", 2026, "单位预算")
    assert ident.sources == {"department": "预算单位", "level": "预算单位", "parent": "正文", "region": "封面",
                             "year": "封面", "kind": "封面"}
    assert ident.warnings == []


def test_shanghai_district_department_after_its_label():
    ident = read("上海市普陀区2025年区级部门预算\n预算主管部门：上海市普陀区商务委员会\n", TOC)
    assert (ident.department, ident.level, ident.parent) == ("上海市普陀区商务委员会",) * 1 + ("部门", "上海市普陀区商务委员会")
    assert (ident.province, ident.city, ident.district, ident.region) == ("上海市", "上海市", "普陀区", "上海市普陀区")
    assert ident.short_name == "商务委" and "普陀区商务委" in ident.aliases


def test_sub_unit_with_another_name_in_brackets_is_known_by_both():
    ident = read("上海市2026年市级单位预算\n预算单位：上海市统计和大数据研究院（上海市统计数据管理中心）")
    assert ident.department == "上海市统计和大数据研究院（上海市统计数据管理中心）"
    assert {"上海市统计和大数据研究院", "上海市统计数据管理中心", "统计数据管理中心"} <= set(ident.aliases)


@pytest.mark.parametrize("cover", [
    "北京市教育委员会部门\n2026年度部门预算信息公开",
    "北京市教育委员会2026年度部门预算信息\n公开",
    "附件：北京市教育委员会\n2026年度部门预算信息公开",
])
def test_beijing_covers(cover):
    ident = read(cover + "\n" + TOC)
    assert (ident.department, ident.year, ident.kind, ident.level) == ("北京市教育委员会", 2026, "部门预算", "部门")
    assert ident.sources["department"] == "封面"


def test_beijing_file_without_cover_names_its_publisher_in_the_body():
    ident = read("第一部分2026年度部门预算情况说明\n一、部门情况说明\n二、收入预算情况说明\n- 1 -",
                 "一、部门情况说明\n（一）本部门职责情况\n北京市人民政府办公厅主要职责包括：\n1.协助市政府领导同志处理市政府日常工作。",
                 "北京市人民政府办公厅有28个内设机构；厅属事业单位1个，为北京市人民政府办公厅综合事务中心。",
                 headings=["第一部分2026年度部门预算情况说明"])
    assert ident.department == "北京市人民政府办公厅" and ident.sources["department"] == "正文"
    assert (ident.year, ident.kind) == (2026, "部门预算") and ident.sources["year"] == "标题"


def test_party_organs_and_their_usual_names():
    beijing = read("中国共产党北京市委员会宣传部\n2026年度部门预算信息公开\n目录")
    assert beijing.department == "中国共产党北京市委员会宣传部" and beijing.city == "北京市"
    assert {"中共北京市委宣传部", "北京市委宣传部", "市委宣传部"} <= set(beijing.aliases)
    yantai = read("2026年中共烟台市委宣传部部门\n预算\n" + TOC)
    assert (yantai.department, yantai.city, yantai.year) == ("中共烟台市委宣传部", "烟台市", 2026)
    assert "烟台市委宣传部" in yantai.aliases


@pytest.mark.parametrize("cover, level", [
    ("2026年深圳市统计局（本级）部门预\n算", "本级"),
    ("2026年深圳市公安局交通管理局（本\n级）部门预算", "本级"),
    ("2026年深圳市审计局部门预算", "部门"),
])
def test_shenzhen_covers_with_and_without_the_level_mark(cover, level):
    ident = read(cover, "目录\n一、文字部分\n第一部分部门概况")
    assert ident.department in ("深圳市统计局", "深圳市公安局交通管理局", "深圳市审计局")
    assert (ident.level, ident.parent, ident.city, ident.kind) == (level, ident.department, "深圳市", "部门预算")
    for manifest_name in (ident.department, f"{ident.department}（本级）"):
        row = ManifestRow("a.pdf", "budget", manifest_name, 2026, "深圳")
        assert identity_agreement(ident.department, ident.aliases, ident.year, ident.kind, row)["publisher"]


def test_chongqing_cover_whose_year_the_text_layer_moved_to_the_next_line():
    ident = read("重庆市商务委员会年部门预算情况说明\n2026\n一单位基本情况\n、\n一主要职责\n( )\n重庆市商务委员会现行的职能职责为贯彻执行…")
    assert (ident.department, ident.year, ident.kind) == ("重庆市商务委员会", 2026, "部门预算")


def test_guangzhou_cover_on_two_lines():
    ident = read("2026年\n广州市城市管理和综合执法局部门预算", "目录\n第一部分广州市城市管理和综合执法局概况")
    assert (ident.department, ident.city, ident.year, ident.kind) == ("广州市城市管理和综合执法局", "广州市", 2026, "部门预算")
    assert ident.sources["department"] == ident.sources["year"] == "封面"


def test_guangzhou_file_of_performance_tables_only_is_read_from_its_captions():
    title = "广州市生态环境局2026年项目支出绩效目标表（含转移支付项目）"
    page = f"{title}\n部门名称：广州市生态环境局单位：万元\n项目名称（资金使用单位）总计：财政拨款\n合计： 37,367.86 35,790.09"
    ident = read(page, page, tables=[title, title])
    assert ident.department == "广州市生态环境局" and ident.sources["department"] == "表格标题"
    assert (ident.year, ident.kind) == (2026, "部门预算") and ident.is_budget


@pytest.mark.parametrize("cover, kind, level", [
    ("2026年度苏州市科学技术局单位预算公开", "单位预算", "单位"),
    ("2026年度\n苏州市自然资源和规划局\n部门预算公开", "部门预算", "部门"),
    ("2026年度\n无锡市交通运输局（本级）\n单位预算公开", "单位预算", "本级"),
    ("2025年度无锡市信访局部门预算公开", "部门预算", "部门"),
])
def test_suzhou_and_wuxi_covers(cover, kind, level):
    ident = read(cover, "苏州市科学技术局2026年度单位预算公开\n目录\n第一部分单位概况")
    assert (ident.kind, ident.level) == (kind, level)
    assert ident.parent == ident.department  # a 单位预算 under a department's own name is its office


def test_xian_final_account_of_another_year_is_flagged():
    ident = read("西安市卫生健康委员会（汇总）\n2022年度部门决算\n保密审查情况：已审查\n部门主要负责人审签情况：已审签",
                 "目录\n第一部分部门概况", file_name="020_西安__卫生健康委员会_2026年部门预算.pdf")
    assert (ident.department, ident.level, ident.year, ident.kind) == ("西安市卫生健康委员会", "汇总", 2022, "部门决算")
    assert ident.warnings == ["文档年份为 2022 年，与文件名中的 2026 年不同"]


def test_xian_comprehensive_budget_and_summary_covers():
    old = read("西安市交通运输局2022年部门综合预算\n目录\n第一部分部门概况")
    assert (old.department, old.year, old.kind) == ("西安市交通运输局", 2022, "部门预算")
    summary = read("西安市公安局（汇总）\n2026年部门预算公开说明\n目录")
    assert (summary.department, summary.level, summary.year) == ("西安市公安局", "汇总", 2026)


def test_yantai_cover_and_a_body_sentence_that_once_glued_junk_to_the_name():
    ident = read("2026年烟台市医疗保障局\n部门预算", TOC,
                 "纳入烟台市医疗保障局2026年部门预算编制范围的单位共1个。")
    assert ident.department == "烟台市医疗保障局"


def test_junk_around_names_in_captions_and_titles():
    assert clean_publisher("附件：北京市司法局") == ("北京市司法局", None)
    assert clean_publisher("纳入烟台市医疗保障局") == ("烟台市医疗保障局", None)
    assert labelled_names(["部门名称：西安市统计局（汇总）金额单位：万元"]) == [("部门名称", "西安市统计局", "汇总")]
    assert labelled_names(["编制单位：北京市审计局 单位：万元"]) == [("编制单位", "北京市审计局", None)]
    assert clean_publisher("2026年") == (None, None) and clean_publisher("上海市") == (None, None)


def test_regions_split_into_province_city_and_district():
    assert split_region("北京市西城区人民政府外事办公室") == ("北京市", "北京市", "西城区")
    assert split_region("江苏省无锡市教育局") == ("江苏省", "无锡市", None)
    assert split_region("北京市城市管理综合行政执法局") == ("北京市", "北京市", None)
    assert split_region("上海交通职业技术学院") == (None, None, None)
    assert split_region("深圳市社区服务中心") == (None, "深圳市", None)


def test_aliases_of_the_samples_still_derive():
    aliases = derive_aliases("北京市西城区人民政府外事办公室", "北京市西城区", "区政府外办")
    assert {"西城区政府外办", "外事办公室", "区政府外办", "外办"} <= set(aliases)


@pytest.mark.parametrize("cover", [
    "关于做好2026年部门预算公开工作的通知\n各区、各部门：根据有关规定，现就有关事项通知如下。",
    "2025年北京市国民经济和社会发展统计公报\n2025年，全市经济运行总体平稳。",
    "政府信息公开申请表\n申请人姓名：",
])
def test_files_that_are_not_budgets_are_marked_and_warned(cover):
    ident = read(cover, "一、工作要求\n各单位要按时完成。")
    assert ident.kind == "非预算公开" and not ident.is_budget
    assert any("不是预算或决算公开文件" in w for w in ident.warnings)


def test_a_notice_cover_over_budget_tables_is_still_a_budget():
    ident = read("关于公开2026年部门预算的通知\n", tables=["2026年部门收支总表", "2026年部门收入总表"])
    assert ident.kind == "部门预算" and ident.is_budget


def test_publisher_found_only_in_the_file_name_is_flagged():
    ident = read("预算01表收支总表\n金额单位：万元\n收入支出\n一、一般公共预算拨款收入32,365.09",
                 tables=["收支总表"], file_name="2026年深圳市水务局部门预算.pdf")
    assert (ident.department, ident.sources["department"]) == ("深圳市水务局", "文件名")
    assert (ident.year, ident.sources["year"]) == (2026, "文件名")
    assert ident.warnings == ["发布单位只在文件名中找到（深圳市水务局），请核对或更正", "年份只在文件名中找到（2026 年），请核对或更正"]


def test_metadata_title_is_a_title_but_a_stray_one_says_nothing():
    ident = read("第一部分2020年部门预算情况说明\n一、部门情况", metadata="北京市西城区人民政府外事办公室 2020年部门预算")
    assert (ident.department, ident.sources["department"], ident.region) == ("北京市西城区人民政府外事办公室", "标题", "北京市西城区")
    stray = read("2026年深圳市审计局部门预算", metadata="处领导：")
    assert stray.department == "深圳市审计局" and stray.metadata_title == "处领导："


def test_a_district_unit_cover_names_its_department_as_parent():
    ident = read("上海市普陀区2025年区级单位预算\n预算主管部门：上海市普陀区司法局\n预算单位：上海市普陀区公证处")
    assert (ident.department, ident.level, ident.parent) == ("上海市普陀区公证处", "单位", "上海市普陀区司法局")
    assert ident.sources["parent"] == "预算单位" and ident.district == "普陀区"


def test_worked_examples_in_the_docstrings_hold():
    import doctest

    import index.read.identity.correct as correct
    import index.read.identity.cover as cover
    import index.read.identity.detect as detect
    import index.read.identity.evidence as evidence
    import index.read.identity.names as names
    import index.store.records as records
    import qa.catalog as catalog

    for module in (cover, detect, evidence, names, correct, records, catalog):
        assert doctest.testmod(module).failed == 0, module.__name__


def test_common_short_forms_of_office_names_are_aliases():
    """国资委, 人社局, 卫健委, 资规局: the forms people write, the same in every city."""
    from index.read.identity import derive_aliases

    assert "西安市国资委" in derive_aliases("西安市人民政府国有资产监督管理委员会", "陕西省西安市", None)
    assert "无锡市人社局" in derive_aliases("无锡市人力资源和社会保障局", "江苏省无锡市", None)
    assert "西安市卫健委" in derive_aliases("西安市卫生健康委员会", "陕西省西安市", None)
    assert {"苏州市资规局", "苏州市自然资源局"} <= set(derive_aliases("苏州市自然资源和规划局", "江苏省苏州市", None))


def test_an_unmarked_department_cover_is_not_made_本级_by_a_units_section_title():
    """2026年深圳市生态环境局部门预算 (18 units in its 收入总表): a section titled 深圳市生态环境局（本级） inside marked the
    whole file 本级, and every battery question then named the 本级."""
    from index.read.identity import IdentityEvidence, read_identity

    pages = ["2026年深圳市生态环境局部门预算", "表2\n收入总表\n部门名称：深圳市生态环境局 单位：万元",
             "深圳市生态环境局（本级）\n一、部门职责"]
    ident = read_identity(IdentityEvidence(pages=pages, headings=["深圳市生态环境局（本级）"]))
    assert (ident.department, ident.level) == ("深圳市生态环境局", "部门")
    marked = read_identity(IdentityEvidence(pages=["2026年深圳市统计局（本级）部门预算", *pages[1:]]))
    assert (marked.department, marked.level) == ("深圳市统计局", "本级")
