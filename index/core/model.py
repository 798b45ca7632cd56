"""Typed document model: what a disclosure says, with where it says it.

PDF → ``Document`` (identity, pages of text blocks, headings, tables) → ``TableFact`` /
``NarrativeFact`` rows for the facts store and chunks for the retrieval index.
Coordinates are pdfplumber's: points, origin top-left, ``(x0, top, x1, bottom)``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from index.core.units import Unit

BBox = tuple[float, float, float, float]
# What a file is: one of the four budget disclosures, or a file that is not one (a notice, a bulletin,
# an application form …): searchable as text, never a source of figures unless asked about by name.
DocKind = Literal["部门预算", "单位预算", "部门决算", "单位决算", "非预算公开"]
NOT_A_BUDGET: DocKind = "非预算公开"
# Who the publisher is within its department: the whole department (部门), one unit of it (单位), the
# department's own office without its units (本级, "深圳市统计局（本级）"), or all units summed (汇总).
PublisherLevel = Literal["部门", "单位", "本级", "汇总"]
# Where an identity field was read, most trusted first; 文件名 is a last resort and is flagged.
IdentitySource = Literal["用户更正", "封面", "预算单位", "标题", "表格标题", "正文", "文件名"]
IDENTITY_FIELDS = ("department", "parent", "level", "region", "year", "kind")


class Identity(BaseModel):
    """Who published the disclosure, for which year and of which kind, each with where it was read.

    A cover "2026年深圳市统计局（本级）部门预算" reads as department 深圳市统计局, level 本级, parent
    深圳市统计局, city 深圳市, year 2026, kind 部门预算, every source 封面. ``department`` is the
    publisher as the cover names it, without the level mark.
    """

    department: str | None = None  # the publisher, e.g. 北京市西城区人民政府外事办公室, 上海交通职业技术学院
    short_name: str | None = None  # e.g. 区政府外办, 外事办公室
    aliases: list[str] = Field(default_factory=list)  # every name people may use, derived from the full name
    parent: str | None = None  # the department the publisher belongs to (itself for a department)
    level: PublisherLevel | None = None
    province: str | None = None  # 北京市 (a municipality is province and city), 江苏省; None when not printed
    city: str | None = None  # 北京市, 无锡市
    district: str | None = None  # 西城区, 普陀区
    region: str | None = None  # the three joined: 北京市西城区, 上海市普陀区, 深圳市
    year: int | None = None
    kind: DocKind | None = None
    sources: dict[str, IdentitySource] = Field(default_factory=dict)  # field → where it was read
    warnings: list[str] = Field(default_factory=list)  # a year unlike the file name's, not a budget …
    cover: str | None = None  # the cover's title as read, e.g. "2026年深圳市统计局（本级）部门预算"
    metadata_title: str | None = None  # the PDF's Title metadata: a hint, kept so identity can be read again

    @property
    def publisher(self) -> str | None:
        return self.department

    @property
    def is_budget(self) -> bool:
        """False only for a file known not to be a budget disclosure: it may not supply figures."""
        return self.kind != NOT_A_BUDGET


class Block(BaseModel):
    """A paragraph or heading of the narrative, in reading order."""

    kind: Literal["heading", "paragraph"]
    text: str
    page: int  # 1-based
    bbox: BBox
    level: int | None = None  # heading depth: 1 = 第一部分, 2 = 一、, 3 = （一）, 4 = 1.
    section_path: list[str] = Field(default_factory=list)  # headings above this block


class Cell(BaseModel):
    text: str | None  # printed text, None for an empty cell
    value: Decimal | None = None
    page: int
    bbox: BBox | None = None
    ocr: bool = False  # read by OCR from a scanned page: shown to users as 请核对原文


class Row(BaseModel):
    """A table row as read, final: nothing downstream works its code, level or totals out again."""

    # Joined 科目编码 (2010301; "301" "2" → 30102; "2010801-行政运行" → 2010801), or another code the
    # code column prints (a 单位编码 such as 123001), which has no level.
    code: str | None = None
    name: str | None = None  # 科目名称 / 项目 / 经济分类名称, without a code printed in front of it
    level: int | None = None  # 1 = 类 (3 digits), 2 = 款 (5), 3 = 项 (7); None for any other code
    parent_code: str | None = None  # 20103 for 2010301
    is_total: bool = False  # named only by a total word (合计, 其中：小计), or figures with no name and no code
    # Totals a named part (人员经费合计, 收入合计), or the publisher's own line above its units.
    is_subtotal: bool = False
    # In a table grouped by 预算单位 (深圳's 支出总表): the unit the row belongs to, as printed, and
    # whether the row is that unit's own line (its subtotal, never the table's total).
    unit: str | None = None
    is_unit_total: bool = False
    # The row this one is a part of (index into Table.rows): "其中：（一）因公出国（境）支出" and its
    # siblings under "三公经费", "1.公务用车购置费" under "（二）公务用车…". None for top-level rows and
    # for rows with a 科目编码 (their parent is ``parent_code``).
    parent_row: int | None = None
    attributes: dict[str, str] = Field(default_factory=dict)  # other text columns (e.g. 政府经济分类名称)
    # The row's text under each of Table.key_columns, as printed ("301" and "2" stay two cells, "2010801-行政运行"
    # stays one): what an export shows, never what answers read (they read code, name, attributes).
    printed: list[str | None] = Field(default_factory=list)
    cells: list[Cell]  # aligned with Table.columns
    page: int
    bbox: BBox | None = None


class KeyColumn(BaseModel):
    """A printed text column of a table (科目编码, 功能分类名称, 项目名称 …) and where it stood among the value columns."""

    header: str  # its header path, e.g. 科目/科目编码
    before: int  # how many of Table.columns are printed to its left (a 收支总表's 支出项目 column: 1)


class Table(BaseModel):
    label: str | None  # 表1, 表一, 预算01表 …
    title: str | None  # 2020年部门收入总表
    unit: Unit | None
    pages: list[int]  # every page the table spans
    bbox: BBox  # on the first page
    columns: list[str]  # column paths of the value columns, e.g. 收入预算/财政拨款收入
    # The text columns in printed order; each row's ``printed`` is aligned with them. Empty for a table kept as
    # text (its every column is in ``columns``) and for a table stored by a reader before tables-6.
    key_columns: list[KeyColumn] = Field(default_factory=list)
    rows: list[Row]
    section_path: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    # Why the grid was evidently misread (``index.read.misread``), in Chinese: no figure is answered from it.
    misread: str | None = None

    @property
    def page_span(self) -> tuple[int, int]:
        return self.pages[0], self.pages[-1]


class Indicator(BaseModel):
    """A numeric performance target of a 绩效目标表 (``index.read.indicators``), quoting its printed line."""

    title: str | None
    project: str | None  # the project or 活动 the indicator belongs to, without its code
    level1: str | None  # 一级指标 (产出指标), 二级指标 (数量指标) where printed
    level2: str | None
    name: str  # 三级指标 / 指标名称: 每期印刷数量
    relation: str  # =, ≥, ≤, >, <
    value: Decimal
    unit: str  # as printed: 册, %, 万元, 期/年, "" when none
    text: str  # the value cell as printed ("≥90场", "900")
    line: str  # the indicator's line, cells joined by ｜: what an answer quotes
    page: int
    bbox: BBox | None = None


class Page(BaseModel):
    number: int  # 1-based
    width: float
    height: float
    text: str  # full page text, normalised
    ocr: bool = False  # no text layer: the page was read from its image


class Document(BaseModel):
    file_name: str
    sha256: str
    identity: Identity
    pages: list[Page]
    blocks: list[Block]
    tables: list[Table]
    # Performance targets of the 绩效目标表s; empty in a model stored by a reader before indicators-1.
    indicators: list[Indicator] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    # Version of the reader that made this model (``index.read.parse.READER_VERSION``); a document
    # stored by an older reader is read again when its file is ingested again.
    reader: str | None = None


class TableFact(BaseModel):
    """One numeric table cell with everything a citation needs."""

    table_index: int
    label: str | None
    title: str | None
    unit: str | None
    row_index: int
    code: str | None
    name: str | None
    level: int | None
    parent_code: str | None
    column: str
    value: Decimal
    text: str
    page: int
    bbox: BBox | None
    ocr: bool = False  # read by OCR from a scanned page: a lower-confidence source


NIL = "无"  # the ``text`` of an amount the narrative states is nil ("本单位无机关运行经费"): value 0, no figure printed


class NarrativeFact(BaseModel):
    """A figure stated in the narrative, attached to what it measures, quoting its sentence."""

    measure: str  # e.g. 收入预算, 基本支出, 三公经费, 财政拨款收入
    relation: Literal["value", "previous", "increase", "decrease", "growth_rate", "decline_rate", "same"] = "value"
    year: int | None = None
    value: Decimal
    unit: str  # 元, 万元, %, 人, 个, 分, 台
    text: str  # the figure as printed
    sentence: str
    page: int
    bbox: BBox | None = None
    section_path: list[str] = Field(default_factory=list)
    ocr: bool = False  # stated on a page read by OCR: a lower-confidence source
