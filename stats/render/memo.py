"""PDF laid out as a Thai memo (บันทึกข้อความ), with Sarabun embedded and text shaped by HarfBuzz."""
from __future__ import annotations

import io
import logging

from flask import current_app
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from stats.document import Report, Table
from config.thai import thai_date, thai_digits
from stats.render.chart import render_png
from config.thai import FONT_BOLD as BOLD, FONT_REGULAR as REGULAR

# fontTools logs every glyph it subsets at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)
FONT = "Sarabun"
LINE = 7.5


class Memo(FPDF):
    """An A4 memo with the report's period in every page footer."""

    def __init__(self, footer_text: str, digits: str = "arabic"):
        super().__init__(format="A4")
        self.digits = digits
        self.footer_text = footer_text
        self.add_font(FONT, "", str(REGULAR))
        self.add_font(FONT, "B", str(BOLD))
        self.set_text_shaping(True)
        self.set_margins(25, 18, 20)
        self.set_auto_page_break(True, margin=18)

    def normalize_text(self, text: str) -> str:
        # fpdf2 maps a shaped SARA AM (two glyphs) to one code and leaves the other unmapped, so copied
        # text gains a control character; its compatibility spelling NIKHAHIT + SARA AA looks the same and copies clean.
        text = thai_digits(text) if self.digits == "thai" else text
        return super().normalize_text(text.replace("\u0e33", "\u0e4d\u0e32"))

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 9)
        self.cell(0, 5, f"{self.footer_text} · หน้า {self.page_no()}/{{nb}}", align=Align.C)

    def labelled(self, label: str, text: str) -> None:
        """Write a memo header line: a bold label followed by its value."""
        self.set_font(FONT, "B", 16)
        width = self.get_string_width(label) + 3
        self.cell(width, LINE + 1, label)
        self.set_font(FONT, "", 15)
        self.multi_cell(0, LINE + 1, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def paragraph(self, text: str, size: int = 15, indent: bool = True) -> None:
        """Write a paragraph, indented as the body of a Thai memo is."""
        self.set_font(FONT, "", size)
        if indent:
            self.set_x(self.l_margin + 15)
        self.multi_cell(0, LINE, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def data_table(self, table: Table) -> None:
        """Draw one captioned table with a bold header and total row."""
        self.ln(2)
        self.set_font(FONT, "B", 14)
        self.multi_cell(0, LINE, table.caption, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 12)
        widths = _column_widths(table)
        with self.table(col_widths=widths, text_align=("LEFT",) + ("CENTER",) * (len(table.headers) - 1),
                        line_height=6.5, headings_style=_bold_style(), first_row_as_headings=True) as pdf_table:
            pdf_table.row(table.headers)
            for row in table.rows:
                pdf_table.row([_text(c) for c in row])
            if table.total:
                pdf_table.row([_text(c) for c in table.total], style=_bold_style())


def _column_widths(table: Table) -> tuple[int, ...]:
    """Return relative column widths from the longest text in each column, so Thai words rarely break."""
    rows = [table.headers, *table.rows, *([table.total] if table.total else [])]
    return tuple(min(36, max(10, max(len(_text(row[i])) for row in rows))) for i in range(len(table.headers)))


def _bold_style():
    from fpdf.fonts import FontFace

    return FontFace(family=FONT, emphasis="BOLD", fill_color=(221, 235, 247))


def _text(cell) -> str:
    if cell is None:
        return "–"
    if isinstance(cell, float):
        return f"{cell:.2f}"
    return f"{cell:,}" if isinstance(cell, int) else str(cell)


def render_pdf(report: Report) -> bytes:
    """Lay the report out as a memo: header, body, tables, chart and the sign-off chain."""
    profile = current_app.config["PROFILE"]
    pdf = Memo(f"{report.subject} · ข้อมูล ณ {report.as_of_text}", report.digits)
    pdf.add_page()
    pdf.set_font(FONT, "B", 26)
    pdf.cell(0, 14, "บันทึกข้อความ", align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.labelled("ส่วนราชการ", f"{profile.complaint_unit} {profile.name}")
    pdf.labelled("ที่", f"......................................   วันที่ {thai_date(report.as_of)}")
    pdf.labelled("เรื่อง", report.subject)
    pdf.ln(1)
    pdf.labelled("เรียน", profile.executive_title)
    pdf.ln(2)
    pdf.paragraph(report.body)
    pdf.paragraph(f"(ตัวชี้วัด ITA ปี {report.ita_year} ข้อ {report.indicator})", size=13, indent=False)
    for table in report.tables:
        pdf.data_table(table)
    if report.tables[0].rows:
        width = pdf.epw
        height = width / 2
        if pdf.will_page_break(height + 4):
            pdf.add_page()
        pdf.ln(3)
        pdf.image(io.BytesIO(render_png(report.chart)), w=width, h=height)
    if report.notes:
        pdf.ln(2)
        pdf.set_font(FONT, "B", 14)
        pdf.cell(0, LINE, "ข้อเสนอแนะของผู้รับบริการ (เฉพาะเจ้าหน้าที่)", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for day, point, text in report.notes:
            pdf.paragraph(f"• {day} ({point}): {text}", size=13, indent=False)
    pdf.ln(4)
    pdf.paragraph("จึงเรียนมาเพื่อโปรดทราบ")
    _sign_off(pdf, profile)
    return bytes(pdf.output())


def _sign_off(pdf: Memo, profile) -> None:
    """Write the chain: preparer, head of the unit, the permanent secretary, the executive."""
    chain = [("", "เจ้าหน้าที่ผู้จัดทำรายงาน"),
             ("ความเห็นของหัวหน้าส่วนราชการ", f"หัวหน้า{profile.complaint_unit}"),
             ("ความเห็นของปลัด", f"ปลัด{profile.name}"),
             ("ความเห็น/สั่งการของผู้บริหาร", profile.executive_title)]
    for opinion, role in chain:
        block = 30 if opinion else 22
        if pdf.will_page_break(block):
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(FONT, "", 14)
        if opinion:
            pdf.cell(0, LINE, f"{opinion} ...........................................................................",
                     new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if role == profile.executive_title:
            pdf.cell(0, LINE, "(   ) ทราบ     (   ) อื่น ๆ ...............................................",
                     new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        x = pdf.l_margin + pdf.epw / 2 - 10
        for text in ("(ลงชื่อ) .............................................",
                     "(.............................................)", role):
            pdf.set_x(x)
            pdf.multi_cell(pdf.epw / 2 + 10, LINE, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
