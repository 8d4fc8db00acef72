"""XLSX: one formatted sheet per table, Thai headers, numbers kept as numbers."""
from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from stats.document import Report
from stats.render.tabular import FORMULA_STARTS, header_lines

#: The row the header of every table sheet sits on; body rows follow it.
HEADER_ROW = 6
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_FONT = "TH Sarabun New"


def _put(sheet, row: int, column: int, value):
    cell = sheet.cell(row, column, value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # text, never a formula, whatever it starts with
    return cell


def render_xlsx(report: Report) -> bytes:
    """Write the report's tables as a workbook."""
    book = Workbook()
    book.remove(book.active)
    for table in report.tables:
        sheet = book.create_sheet(table.name[:31])
        for r, line in enumerate(header_lines(report), start=1):
            _put(sheet, r, 1, line[0]).font = Font(name=_FONT, bold=r <= 2, size=14 if r <= 2 else 12)
        _put(sheet, HEADER_ROW - 1, 1, table.caption).font = Font(name=_FONT, bold=True, size=12)
        for c, text in enumerate(table.headers, start=1):
            cell = _put(sheet, HEADER_ROW, c, text)
            cell.font, cell.fill, cell.border = Font(name=_FONT, bold=True), _HEAD_FILL, _BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        body = list(table.rows) + ([table.total] if table.total else [])
        for r, row in enumerate(body, start=HEADER_ROW + 1):
            is_total = table.total is not None and r == HEADER_ROW + len(body)
            for c, value in enumerate(row, start=1):
                cell = _put(sheet, r, c, value)
                cell.border, cell.font = _BOX, Font(name=_FONT, bold=is_total)
                if isinstance(value, Decimal):
                    cell.number_format = "0.00"
        sheet.column_dimensions["A"].width = max(18, min(60, max((len(str(r[0])) for r in body), default=10) + 4))
        for c in range(2, len(table.headers) + 1):
            sheet.column_dimensions[get_column_letter(c)].width = 18
        sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 2)
        if table is report.tables[0]:
            below = HEADER_ROW + len(body) + 2
            for r, line in enumerate((t for t in (report.analysis, *report.remarks) if t), start=below):
                sheet.cell(r, 1, line).font = Font(name=_FONT, size=12)
    if report.notes:
        sheet = book.create_sheet("ข้อเสนอแนะ")
        sheet.append(["วันที่", "จุดบริการ", "ข้อเสนอแนะ"])
        for r, note in enumerate(report.notes, start=2):
            for c, value in enumerate(note, start=1):
                _put(sheet, r, c, value)
        sheet.column_dimensions["C"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
