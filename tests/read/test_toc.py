"""The tables a 目录 lists, as each city numbers them, and the ones a file lists but does not contain."""

from __future__ import annotations

from index.read.toc import attachments, listed_tables, toc_entries

BODY = "表{n} {title}\n项目 预算数\n合计 9.00"


def pages(toc: str, *titles: str) -> list[str]:
    return [toc] + [BODY.format(n=i + 1, title=t) for i, t in enumerate(titles)]


def test_numbered_entries_with_a_year_and_a_heading_over_them():
    # 上海: "五、单位预算表" heads the list; entries "1. 2026年预算单位财务收支预算总表".
    toc = "目 录\n四、单位预算编制说明\n五、单位预算表\n1. 2026年预算单位财务收支预算总表\n9. 2026年单位“三公”经费和机关运行经费预算表\n六、其他相关情况说明"
    assert listed_tables(pages(toc, "2026年预算单位财务收支预算总表", "2026年单位“三公”经费和机关运行经费预算表")) == [
        "预算单位财务收支预算总表", "单位三公经费和机关运行经费预算表"]


def test_bracketed_numbers_and_qualifiers_keep_two_tables_apart():
    # 深圳: "（七）一般公共预算支出表（按功能分类）" and "（八）…（按经济分类）" are two tables.
    toc = "目录\n第一部分部门概况\n（七）一般公共预算支出表（按功能分类）\n（八）一般公共预算支出表（按经济分类）\n第四部分公开报表"
    listed = listed_tables(pages(toc, "一般公共预算支出表（按功能分类）", "一般公共预算支出表（按经济分类）"))
    assert listed == ["一般公共预算支出表（按功能分类）", "一般公共预算支出表（按经济分类）"]


def test_a_contents_grid_before_the_tables_is_read_with_its_empty_table_remarks():
    # 西安: the front 目录 lists parts only; a page headed 目录 before the tables lists them, "是 不涉及" beside.
    front = "目 录\n第一部分 部门概况\n第五部分：部门预算公开报表"
    grid = "目录\n报表 报表名称 是否空表 公开空表理由\n表1 2022年部门综合预算收支总表\n表9 2022年部门综合预算政府性基金收支表 是 不涉及"
    texts = [front, "正文……", grid, BODY.format(n=1, title="2022年部门综合预算收支总表"), BODY.format(n=9, title="2022年部门综合预算政府性基金收支表")]
    assert listed_tables(texts) == ["部门综合预算收支总表", "部门综合预算政府性基金收支表"]
    assert [e.label for e in toc_entries(texts)] == ["表1", "表9"]  # a title printed otherwise is found by label


def test_tables_listed_but_published_apart_are_attachments_not_tables_to_find():
    # 北京's narrative file: the 目录 lists 13 tables the file does not print.
    toc = "目 录\n第二部分 2026 年度部门预算报表\n一、收支总表\n二、收入总表\n三、支出总表"
    texts = [toc, "第一部分 2026年度部门预算情况说明\n一、部门情况说明……收入预算32,852.05万元"]
    assert listed_tables(texts) == []
    assert attachments(texts) == ["收支总表", "收入总表", "支出总表"]


def test_a_table_printed_under_another_title_still_counts_as_listed():
    # 烟台: the 目录 says 政府采购预算情况表, the page 政府采购预算表; the rest are printed as listed.
    toc = "目 录\n一、收支总体情况表\n二、收入总体情况表\n十二、政府采购预算情况表"
    texts = pages(toc, "收支总体情况表", "收入总体情况表", "政府采购预算表")
    assert listed_tables(texts) == ["收支总体情况表", "收入总体情况表", "政府采购预算情况表"]
    assert attachments(texts) == []
