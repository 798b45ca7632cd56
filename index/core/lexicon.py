"""The budget words every layer reads by: total names, 科目 codes and levels, outline markers,
organisation suffixes, region prefixes, table labels, years and sentence ends.

Readers use these to finish rows at ingest; the question side and the audit use the same ones, so
"合计" means the same thing in a table, a question and a finding. Add a city's new wording here.

    >>> bool(TOTAL_ROW.match("本年支出合计"))
    True
    >>> code_level("2010301")
    3
"""

from __future__ import annotations

import re

from index.core.text import compact
from index.core.units import MONEY

CN_DIGITS = "一二三四五六七八九十"

# --- totals -------------------------------------------------------------------------------------
# Row names that are the table's (or a section's) total; spaces inside (合 计) are printed by some cities.
TOTAL_ROW = re.compile(r"^(合\s*计|总\s*计|小\s*计|本年收入合计|本年支出合计|收入总计|支出总计)[:：]?$")
TOTAL_ROW_NAMES = frozenset({"合计", "总计", "小计", "本年收入合计", "本年支出合计", "收入总计", "支出总计"})
# A total named anywhere at the end of a cell ("三公经费合计", "支出合计：").
TOTAL_SUFFIX = re.compile(r"(合计|总计|小计)[:：]?$")
# Column leaves that hold a row's whole amount rather than one of its parts.
TOTAL_COLUMNS = frozenset({"合计", "总计", "小计", "预算数", "金额", "预算金额"})
# Column leaves that are "the amount" of a one-value table (a question naming no column means these).
AMOUNT_COLUMNS = TOTAL_COLUMNS | {"收入预算金额", "支出预算金额", "收入金额", "支出金额"}
# The whole table's (or row's) total only: a 小计 sums one section, so it never stands for the whole.
GRAND_TOTAL_ROW_NAMES = TOTAL_ROW_NAMES - {"小计"}
WHOLE_AMOUNT_COLUMNS = AMOUNT_COLUMNS - {"小计"}
# Words a question uses for "the total" that are never item names.
TOTAL_WORDS = frozenset({"合计", "总计", "小计", "总额", "预算数", "金额", "预算金额", "预算内", "项目", "科目"})
# A table's own total row, exactly: two copies of one table may print 合计 in one and 总计 in the other.
TABLE_TOTAL_ROW = re.compile(r"^(合计|总计)$")
# One segment of a column path ("支出/基本支出/小计"), compacted: a column that totals its siblings …
TOTAL_SEGMENT = re.compile(r"(合计|总计|小计)$")
# … a column group's own total, which some tables head 总额 or 总数 …
GROUP_TOTAL_SEGMENT = re.compile(r"(合计|总计|小计|总额|总数)$")
# … the total of a group of 三公 columns (its name is the group's: "公务用车购置及运行费/小计") …
AMOUNT_GROUP_TOTAL_SEGMENT = re.compile(r"(合计|小计|总计|总额)$")
# … the first amount column of a one-measure table, holding the row's whole amount …
WHOLE_AMOUNT_SEGMENT = re.compile(r"(合计|总计|小计|预算金额|金额|预算数)$")
# … and a memo beside the amounts (其中 / 扣除 / 政府采购 / a rate or a change), never one of their parts.
MEMO_SEGMENT = re.compile(r"^其中|扣除|政府采购|%|率$|占比|增减|比上年")


def is_total_name(name: str | None) -> bool:
    return bool(name) and bool(TOTAL_ROW.match(re.sub(r"\s+", "", name or "")))


def names_a_total(name: str | None) -> bool:
    """A row name that is a total word or ends with one ("合计", "一、合计", "人员经费合计")."""
    return bool(TOTAL_SUFFIX.search(plain_name(name)))


# --- funds ---------------------------------------------------------------------------------------
# The three budgets money comes from; their 预算 names the fund, not a budget figure as against a 决算.
BUDGET_FUNDS = ("一般公共预算", "政府性基金预算", "国有资本经营预算")
BUDGET_FUND = re.compile("|".join(BUDGET_FUNDS))


# --- 科目 codes ------------------------------------------------------------------------------------
# 功能分类: 类 3 digits, 款 5, 项 7 (201 / 20103 / 2010301); 经济分类: 类 3, 款 5 (301 / 30101).
CODE = re.compile(r"(?<!\d)(\d{3}|\d{5}|\d{7})(?!\d)")
FULL_CODE = re.compile(r"^\d{3}(?:\d{2}){0,3}$")
CODE_PART = re.compile(r"^\d{1,7}$")
CODE_PREFIX = re.compile(r"^(\d{3,7})\s*[-－—]\s*")  # "2010801-行政运行", "50101-工资奖金津补贴"
# Header words of a column of codes (科目编码, 单位代码, 类 / 款 / 项 under a merged 科目编码 cell).
CODE_LEVEL_HEADERS = frozenset({"类", "款", "项"})
CODE_HEADER_WORDS = ("编码", "编号", "代码", "代 码")
# 部门预算支出经济分类 款 by their national codes: a row whose name is another code's name was read
# off by a row (the name printed half a row above its code and figures).
ECONOMIC_NAMES = {
    "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30106": "伙食补助费",
    "30107": "绩效工资", "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费",
    "30110": "职工基本医疗保险缴费", "30111": "公务员医疗补助缴费", "30112": "其他社会保障缴费", "30113": "住房公积金",
    "30114": "医疗费", "30199": "其他工资福利支出",
    "302": "商品和服务支出", "30201": "办公费", "30202": "印刷费", "30203": "咨询费", "30204": "手续费", "30205": "水费",
    "30206": "电费", "30207": "邮电费", "30208": "取暖费", "30209": "物业管理费", "30211": "差旅费",
    "30213": "维修（护）费", "30214": "租赁费", "30215": "会议费", "30216": "培训费", "30217": "公务接待费",
    "30218": "专用材料费", "30224": "被装购置费", "30225": "专用燃料费", "30226": "劳务费", "30227": "委托业务费",
    "30228": "工会经费", "30229": "福利费", "30231": "公务用车运行维护费", "30239": "其他交通费用",
    "30240": "税金及附加费用", "30299": "其他商品和服务支出",
    "303": "对个人和家庭的补助", "30301": "离休费", "30302": "退休费", "30303": "退职（役）费", "30304": "抚恤金",
    "30305": "生活补助", "30306": "救济费", "30307": "医疗费补助", "30308": "助学金", "30309": "奖励金",
    "30399": "其他对个人和家庭的补助",
    "310": "资本性支出", "31001": "房屋建筑物购建", "31002": "办公设备购置", "31003": "专用设备购置",
    "31005": "基础设施建设", "31006": "大型修缮", "31007": "信息网络及软件购置更新", "31013": "公务用车购置",
    "31099": "其他资本性支出",
}
# A whole cell "code-name" with a 类/款/项 code and a name after it: ("2010801", "行政运行"); 广州 prints the
# code in brackets ("[2010301]行政运行").
CODE_AND_NAME = re.compile(r"^[\[【［]?(\d{3}(?:\d{2}){0,2})(?:[\]】］]|\s*[-－—])\s*(\S.*)$")
# Row attributes (text columns) that hold the 科目 code when the reader found no code column.
CODE_ATTRIBUTES = ("科目编码", "功能分类科目编码", "科目代码")


def is_code(text: str | None) -> bool:
    return bool(text) and bool(re.fullmatch(r"\d{3}|\d{5}|\d{7}", text or ""))


def code_level(code: str) -> int:
    """1 for 类 (3 digits), 2 for 款 (5), 3 for 项 (7); 0 for anything else (单位编码 …)."""
    return {3: 1, 5: 2, 7: 3}.get(len(code), 0) if code.isdigit() else 0


def parent_code(code: str) -> str | None:
    return code[:-2] if len(code) in (5, 7) and code.isdigit() else None


def join_code(parts: list[str]) -> str:
    """类 / 款 / 项 printed in separate columns, joined; a 款 or 项 printed without its leading zero
    ("301" "2", a layout that drops it) is the two-digit 02: 301 + 2 → 30102."""
    return parts[0] + "".join(p.zfill(2) for p in parts[1:]) if parts else ""


# --- outline markers ----------------------------------------------------------------------------
# Document headings by level: 第一部分 / 一、 / （一） / 1.
HEADING_MARKERS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^第[{CN_DIGITS}]+部分")),
    (2, re.compile(rf"^[{CN_DIGITS}]+[、.．]")),
    (3, re.compile(rf"^[（(][{CN_DIGITS}]+[)）]")),
    (4, re.compile(r"^\d{1,2}[.．、](?!\d)")),
]
# Enumerated items inside a table or a paragraph: 一、 / （一） / 1、 / （1）.
ITEM_MARKERS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^[{CN_DIGITS}]+、")),
    (2, re.compile(rf"^[（(][{CN_DIGITS}]+[)）]")),
    (3, re.compile(r"^\d{1,2}[、.．](?!\d)")),
    (4, re.compile(r"^[（(]\d{1,2}[)）]")),
]
# A run-in heading opening a paragraph: "（一）收入预算。" / "一、支出预算。" (a short name, no figure).
RUN_IN_HEADING = re.compile(rf"^(?:[（(][{CN_DIGITS}]+[)）]|[{CN_DIGITS}]+、)([\u4e00-\u9fff“”]{{2,12}}|[\u4e00-\u9fff]{{2,6}}[（(][\u4e00-\u9fff]{{1,2}}[)）][\u4e00-\u9fff]{{1,4}})[。：:]?$")
# "其中：" opens the children of the row above.
PART_OF = re.compile(r"^其中")
# Any enumerator in front of a row name: "1、公务接待费", "（一）一般公共服务支出", "其中：…", "①".
ENUMERATOR = re.compile(
    rf"^(?:其中[:：；;]?|[（(][{CN_DIGITS}\d]{{1,3}}[)）][、.．]?|[{CN_DIGITS}]{{1,3}}[、.．]|"
    r"\d{1,2}[、.．](?!\d)|[①-⑳]|[A-Z]-|\d{2}-(?=[\u4e00-\u9fff]))"
)
TRAILING_PUNCT = re.compile(r"[:：；;，,。、\s]+$")


def plain_name(name: str | None) -> str:
    """A row or item name as people say it: no code in front, no enumerator, no 其中, no trailing colon.

    "2010801-行政运行" → "行政运行"; "（一）一般公共服务支出：" → "一般公共服务支出"; "其中：合计" → "合计".
    """
    text = CODE_PREFIX.sub("", compact(name))
    previous = None
    while previous != text:
        previous = text
        text = ENUMERATOR.sub("", text)
    return TRAILING_PUNCT.sub("", text)

# --- organisations and regions ------------------------------------------------------------------
ORG_TAIL = r"(?:办公室|办事处|委员会|局|委|办|厅|院|会|中心|署|处|部)"
# A leading organisation name before a measure ("区政府外办三公经费" → "三公经费").
ORG_PREFIX = re.compile(r"^.*?(办公室|办事处|委员会|局(?!部)|委(?![托派])|院|中心)(?=[\u4e00-\u9fff]{2,})")
# The same in a narrative sentence, where 院/中心 end measures too ("…服务中心运行经费" stays whole).
# 委 of 委托 (委托业务费) and 局 of 局部 begin a word, not end an organisation's name.
SENTENCE_ORG_PREFIX = re.compile(r"^.*?(办公室|办事处|委员会|局(?!部)|委(?![托派]))(?=[\u4e00-\u9fff]{2,})")
# The same in front of a narrative measure, where any two characters may follow ("本局2026年支出" → "2026年支出").
MEASURE_ORG_PREFIX = re.compile(r"^.*?(办公室|办事处|委员会|局(?!部)|委(?![托派])|院|中心)(?=.{2,}$)")
PROVINCE_LEVEL = r"(?:北京市|上海市|天津市|重庆市|[\u4e00-\u9fff]{2,3}省|[\u4e00-\u9fff]{2,5}自治区)"
REGION = re.compile(
    rf"^({PROVINCE_LEVEL}?(?:[\u4e00-\u9fff]{{2,3}}?市)?(?:[\u4e00-\u9fff]{{1,3}}?(?:区|县))?)"
)
PROVINCE_PREFIX = re.compile(rf"^{PROVINCE_LEVEL}")
# The part of a region people drop when they name it (北京市西城区 → 西城区); an 自治区 is kept.
DROPPED_REGION_PREFIX = re.compile(r"^(北京市|上海市|天津市|重庆市|[\u4e00-\u9fff]{2,3}省)")

# --- who published a disclosure (index.read.identity) ----------------------------------------------
# How a publisher's name ends: a department (…局, …委员会, …办公厅) or one of its units (…学院, …中心,
# …试验场, …文献馆, …执法总队). Longer forms first, so a name is read to its true end.
PUBLISHER_TAIL = (
    r"(?:办公厅|办公室|办事处|委员会|联合会|研究院|研究所|管理所|学院|学校|医院|中心|总队|支队|大队|"
    r"局|委|办|厅|院|会|署|处|部|所|站|馆|场|队|校|社|台|团)"
)
# A publisher's name ends with one of these and then, at most, its other name in brackets:
# "上海市统计和大数据研究院（上海市统计数据管理中心）".
PUBLISHER_NAME = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,60}}?{PUBLISHER_TAIL}(?:[（(][^（）()]{{2,30}}[)）])?$")
# The tail of a department (not of a unit): a unit named so is that department's own office.
DEPARTMENT_TAIL = re.compile(r"(局|委员会|委|办公厅|办公室|厅|办|宣传部|组织部|统战部)$")
# The publisher's level, printed after its name: "深圳市统计局（本级）", "西安市公安局（汇总）".
LEVEL_MARK = re.compile(r"[（(]\s*(本级|汇总)\s*[)）]")
# A Party organ's name: "中国共产党北京市委员会宣传部" / "中共烟台市委宣传部" (region inside, not in front).
PARTY_NAME = re.compile(r"^(?:中国共产党|中共)(.+?[省市区县])(?:委员会|委)(.+)$")
PARTY_PREFIX = re.compile(r"^(?:中国共产党|中共)")
# Text glued in front of a name by the layout or a sentence: "附件：", "附件1", "纳入", "关于", "1.".
NAME_JUNK_PREFIX = re.compile(rf"^(?:附件\s*\d*\s*[:：]?|附表\s*\d*\s*[:：]?|纳入|关于|公开|[0-9{CN_DIGITS}]{{1,2}}[、.．])+")
# Where a name printed in a caption ends: the unit label beside it, a date, a space.
NAME_END = re.compile(r"(?:金额)?单位\s*[:：]|单位\s*[:：]?\s*(?:万元|元|亿元|千元)|编制日期|日期[:：]|填报日期|\s")
# A label in front of the publisher's name: on a cover (预算单位：, 预算主管部门：) or above a table (部门名称：).
PUBLISHER_LABEL = re.compile(
    r"(预算主管部门|主管部门|预算单位|部门（单位）名称|部门\(单位\)名称|部门名称|单位名称|编制部门|编制单位|填报单位)\s*[:：]\s*"
)
# The same label printed without its colon in a table's grid ("部门名称北京市审计局"): trusted only before a region.
PUBLISHER_LABEL_BARE = re.compile(r"(部门（单位）名称|部门名称|单位名称)\s*(?=[\u4e00-\u9fff])")
# Labels naming a unit (not its department), and those naming the department that runs it.
UNIT_LABELS = frozenset({"预算单位", "单位名称", "编制单位", "填报单位"})
PARENT_LABELS = frozenset({"预算主管部门", "主管部门"})
# A sentence naming the department a unit belongs to: "…是上海市交通委员会下属事业单位", "…隶属于上海市司法局".
PARENT_SENTENCE = re.compile(
    rf"(?:是|为|系)([\u4e00-\u9fff]{{4,40}}?{PUBLISHER_TAIL})(?:[（(][^（）()]{{2,20}}[)）])?(?:下属|所属|直属|派出)"
    rf"|隶属于?([\u4e00-\u9fff（）()]{{4,40}}?{PUBLISHER_TAIL})(?=[，,。；;]|$)"
)
# A unit named after its department: "上海市应急管理局执法总队", "上海市人民政府办公厅文印中心".
PARENT_IN_NAME = re.compile(r"^(.{3,30}?(?:局|委员会|办公厅))(?=[\u4e00-\u9fff]{2,})")
# Words a region ends with that are not a district: 社区, 园区 …
NOT_A_DISTRICT = frozenset({"社区", "园区", "小区", "景区", "城区", "市区", "郊区", "山区", "林区", "牧区", "矿区", "辖区", "片区", "港区", "本区", "全区", "各区"})
CITY_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,3}?(?:市|自治州|州|地区|盟)")
DISTRICT_PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,4}?(?:区|县|旗)")
# The four disclosures, as a title names them: "部门预算", "单位预算", "部门综合预算", "区级部门预算", "部门决算".
DISCLOSURE_KIND = re.compile(r"(区级|市级|县级|省级)?(部门|单位)?(?:综合)?(预算|决算)")
# A title naming another kind of document: a notice, bulletin, application form … (not a budget disclosure).
NON_BUDGET_GENRE = re.compile(
    r"(通知|公告|通告|公报|公示|简报|申请表|申报表|登记表|报名表|审批表|工作总结|工作计划|工作要点|工作报告|实施方案|"
    r"管理办法|实施细则|意见|决定|批复|函|规划|统计年鉴|情况通报)$"
)
# Table titles only a budget or final account prints: their presence makes a file a budget disclosure.
BUDGET_TABLE_TITLE = re.compile(
    r"收支总表|收入总表|支出总表|收支预算总表|收入预算|支出预算|财政拨款收支|基本支出|项目支出|三公|机关运行经费|"
    r"政府采购预算|绩效目标表|预算\s*\d{1,2}\s*表|决算表|收入支出决算"
)
# A publication date on a cover ("2026年1月"): never the fiscal year.
PUBLICATION_DATE = re.compile(r"20\d\d\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?")

# --- tables, years, sentences --------------------------------------------------------------------
# A table's label as printed: 表1, 表一, 预算01表, 预算表12, 附1-2, 公开02表 (苏州, 无锡), 公开表7 (烟台).
TABLE_LABEL = re.compile(
    rf"(预算\s*\d{{1,2}}\s*表|预算表\s*\d{{1,2}}|公开\s*\d{{1,2}}\s*表|公开表\s*\d{{1,2}}"
    rf"|^表\s*[0-9{CN_DIGITS}]{{1,3}}(?=[：:\s]|$|[^0-9{CN_DIGITS}])|^附\s*\d+-\d+)"
)
# A table label named inside a question ("表3的合计").
TABLE_LABEL_IN_TEXT = re.compile(rf"(表[0-9{CN_DIGITS}]{{1,3}}|预算\d{{2}}表)")
# A caption row drawn inside a table's grid (预算01表, 表3, 金额单位：万元, 附1) rather than a header.
CAPTION_IN_GRID = re.compile(rf"(预算\s*\d+\s*表|预算表\s*\d+|公开\s*\d+\s*表|公开表\s*\d+|^表\s*[0-9{CN_DIGITS}]+|单位[:：]|^附\s*\d)")
# How a table title ends (…总表, …情况, …明细, 绩效目标表): tells a title from other caption text.
TABLE_TITLE = re.compile(r"(表|情况|明细)[)）]?$|表（|表\(|目标表|申报表")
# "单位：万元" above a table; the money units come from ``index.core.units``, longest first.
# 重庆's captions print the colon on a line of its own ("单位名称 重庆市气象局 单位 万元" / ": :"), so
# the colon is optional; the unit must end the word ("单位 元宵…" is no unit).
TABLE_UNIT = re.compile(rf"单位\s*[:：]?\s*({'|'.join(sorted(MONEY, key=len, reverse=True))})(?![\u4e00-\u9fff])")
YEAR = re.compile(r"(?<!\d)(20\d\d)(?:年度?|(?!\d))")
# A year as a sentence writes it, spaces allowed ("2020 年度"), to date a sentence's figures.
YEAR_WORD = re.compile(r"(20\d\d)\s*年度?")
SENTENCE_END = "。！？；"
# A line ending a sentence, or a closing quote after one, may end its paragraph.
PARAGRAPH_END = SENTENCE_END + "”"
SENTENCE = re.compile(r"[^。；;！？]+[。；;！？]?")
# Where a chunk may be cut: after any sentence mark, Chinese or ASCII.
SENTENCE_BREAK = re.compile(r"(?<=[。；！？;!?])")


def split_sentences(text: str) -> list[str]:
    """Sentences with their closing mark; a clause without one is a sentence too."""
    return [s.strip() for s in SENTENCE.findall(text) if s.strip()]


def cut_at_sentence_ends(text: str) -> list[str]:
    """The text cut after each sentence mark, spaces kept, so the pieces join back into the text
    (chunking packs them): "甲。乙；丙" → ["甲。", "乙；", "丙"]."""
    return [s for s in SENTENCE_BREAK.split(text) if s.strip()]

# --- what the audit reads a table and a sentence by -------------------------------------------------
# A column of line numbers (行次 1, 2, 3 …) or a header the reader could not read ("列7"): never amounts.
# A performance target's value or weight (指标值 ≥ 365 天, 指标权重 20): never an amount of the table's unit.
TARGET_COLUMN = re.compile(r"(指标值|目标值|指标权重|绩效度量单位)")
LINE_NUMBER_SEGMENT = re.compile(r"^(行次|栏次|序号|行号|编号)$")
# The header of a column of organisation codes (单位编码 263001, 单位代码): codes, but never 科目编码 with a level.
UNIT_CODE_HEADER = re.compile(r"单位(编码|代码|编号)")
PLACEHOLDER_SEGMENT = re.compile(r"^列\d+$")
# A row attribute naming the budget unit a group of rows belongs to (深圳: 预算单位 beside each subtotal).
BUDGET_UNIT_ATTRIBUTE = re.compile(r"预算单位|单位名称")
# A row name that is an organisation ("西安市交通运输局", "深圳市生态环境局（本级）"), not a 科目.
ORGANISATION_NAME = re.compile(
    r"^.{2,}?(市|省|区|县|州).*(局|委员会|办公厅|办公室|中心|院|站|所|处|馆|队|学校|学院|会)(（本级）)?$|（本级）$"
)
# Column words of a figure that is not this year's budget: 上年预算, 上年执行数, 决算, 调整数.
PRIOR_FIGURE_SEGMENT = re.compile(r"上年|去年|执行数|决算|调整")
# A narrative phrase naming a 科目 by its level: "城乡社区支出（类）", "（204类）", "购房补贴（项）".
CLASSIFICATION_MARK = re.compile(r"[（(]\d{0,3}\s*[类款项][)）]")
# 三公 and the two other controlled expenses a 三公 table often prints beside them.
MEETING_TRAINING = re.compile(r"会议费|培训费")
# Money carried over from last year: a 收支 table's 上年结转 rows, a title "(不含上年结转)".
CARRYOVER = re.compile(r"上年结转|结转结余|上年结余|结余、结转|上年实户资金余额")
# Money carried to next year (收支总表's 支出 side: "结转下年", "年末结转和结余"): income counts it, the
# spending tables do not.
CARRIED_FORWARD = re.compile(r"结转下年|年末结转")
