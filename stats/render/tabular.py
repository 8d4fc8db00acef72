"""CSV: UTF-8 with a byte-order mark so Excel shows Thai, one block per table."""
from __future__ import annotations

import csv
import io

from flask import current_app

from stats.document import Report


def header_lines(report: Report) -> list[list[str]]:
    """Return the lines that say whose report this is, for which period, and as of when."""
    profile = current_app.config["PROFILE"]
    status = "ฉบับสิ้นรอบ" if report.is_final else "ข้อมูลระหว่างรอบ ยังไม่ใช่ฉบับสิ้นรอบ"
    return [[profile.name], [report.subject],
            [f"ข้อมูล ณ วันที่ {report.as_of_text} ({status})"],
            [report.ita_text]]


#: What makes a spreadsheet read a cell as a formula (CSV injection): such text is written as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value):
    """Return a cell value a spreadsheet will not run: text that starts like a formula gets a leading quote."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


class SafeWriter:
    """A csv writer whose every text cell goes through as_text."""

    def __init__(self, out):
        self._writer = csv.writer(out)

    def writerow(self, row) -> None:
        """Write one row."""
        self._writer.writerow([as_text(cell) for cell in row])

    def writerows(self, rows) -> None:
        """Write many rows."""
        for row in rows:
            self.writerow(row)


def render_csv(report: Report) -> bytes:
    """Write the report's tables as CSV."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerows(header_lines(report))
    for table in report.tables:
        writer.writerow([])
        writer.writerow([table.caption])
        writer.writerow(table.headers)
        writer.writerows(_cells(row) for row in table.rows)
        if table.total:
            writer.writerow(_cells(table.total))
    if report.notes:
        writer.writerow([])
        writer.writerow(["ข้อเสนอแนะของผู้รับบริการ"])
        writer.writerow(["วันที่", "จุดบริการ", "ข้อเสนอแนะ"])
        writer.writerows(report.notes)
    if report.analysis or report.remarks:
        writer.writerow([])
        writer.writerows([line] for line in (report.analysis, *report.remarks) if line)
    return out.getvalue().encode("utf-8-sig")


def _cells(row: list) -> list:
    # Decimals are already rounded half up to two places and print as such (72.50).
    return ["" if cell is None else cell for cell in row]
