"""Export stored tables for Excel: each table as printed and every figure as a tidy row with its provenance.

Used by ``budget-qa export`` and by the web app's download buttons:

    sources = select_tables(catalog, document="xicheng-zfb-2020.pdf", table="表九")
    write_xlsx(sources, Path("表九.xlsx"))      # 目录, 表九 部门预算明细表, 数据明细
    write_csv(sources, Path("表九.csv"), as_printed=True)
"""

from qa.export.layout import Number, PrintedTable, SourceTable, printed_table, tidy
from qa.export.select import ExportError, cited_tables, document_tables, select_tables
from qa.export.write import INDEX_SHEET, TIDY_SHEET, sheet_name, write_csv, write_xlsx

__all__ = [
    "INDEX_SHEET", "TIDY_SHEET", "ExportError", "Number", "PrintedTable", "SourceTable", "cited_tables",
    "document_tables", "printed_table", "select_tables", "sheet_name", "tidy", "write_csv", "write_xlsx",
]
