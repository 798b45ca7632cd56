"""``budget-qa export``: the stored tables for Excel — a workbook with each table as printed and a tidy 数据明细
sheet, or a CSV (UTF-8 with BOM) of the tidy rows, or of one table as printed with --table.

    budget-qa export --document xicheng-zfb-2020.pdf --format xlsx 西城政府办2020.xlsx
    budget-qa export --document xicheng-zfb-2020.pdf --table 表九 --format csv 表九.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path

from qa.cli.output import error
from qa.services import Services

FORMATS = ("xlsx", "csv")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="导出表格到 Excel（xlsx）或 CSV",
        description="导出已导入文档的表格：xlsx 每张表一个工作表（按原表排版，含标题、单位、多行表头与全部编码列），"
                    "另有“数据明细”工作表，每个数字一行并注明文档、表、页码、行的编码与名称、列和单位；"
                    "csv 为数据明细（UTF-8 BOM，可直接用 Excel 打开），加 --table 时为该表按原表排版。",
    )
    p.add_argument("--document", help="文件名、部门名称或文档 ID（默认：全部文档）")
    p.add_argument("--table", help="只导出这张表：表号（如 表九）或表名")
    p.add_argument("--format", help="xlsx 或 csv（默认按输出文件的扩展名）")
    p.add_argument("out", nargs="?", metavar="OUT", help="输出文件，如 预算表.xlsx")
    p.set_defaults(run=command_export)


def command_export(services: Services, args: argparse.Namespace) -> int:
    from qa.export import ExportError, select_tables, write_csv, write_xlsx  # openpyxl: for this command only

    if not args.out:
        error("请给出输出文件，如：budget-qa export --document 文件名.pdf --format xlsx 预算表.xlsx")
        return 2
    out = Path(args.out)
    fmt = (args.format or out.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        shown = args.format or out.suffix or "（无扩展名）"
        error(f"不支持的导出格式：{shown}；请用 --format xlsx 或 --format csv")
        return 2
    if not out.parent.is_dir():
        error(f"输出目录不存在：{out.parent}")
        return 2
    if out.is_dir():
        error(f"输出路径是一个目录：{out}；请给出文件名")
        return 2
    try:
        sources = select_tables(services.catalog, args.document, args.table)
        if fmt == "csv" and args.table and len(sources) > 1:
            names = "、".join(f"{s.record.file_name} {s.name}" for s in sources)
            raise ExportError(f"「{args.table}」匹配到多张表（{names}）；CSV 只能放一张表，请用 --document 指定文档或改用 xlsx")
        if fmt == "xlsx":
            write_xlsx(sources, out)
        else:
            write_csv(sources, out, as_printed=bool(args.table))
    except ExportError as exc:
        error(str(exc))
        return 2
    except OSError as exc:
        error(f"无法写入 {out}：{exc.strerror or exc}")
        return 1
    documents = len({s.record.doc_id for s in sources})
    print(f"已导出 {documents} 个文档的 {len(sources)} 张表到 {out}")
    return 0
