"""PDF of a Thai announcement (ประกาศ … เรื่อง … ประกาศ ณ วันที่ …) with its signature block, on the memo's page."""
from __future__ import annotations

from datetime import date

from fpdf.enums import Align, XPos, YPos

from config.thai import MONTHS_FULL, be_year
from stats.render.memo import FONT, LINE, ThaiPDF


def announced_on_text(day: date) -> str:
    """Return "ประกาศ ณ วันที่ 6 เดือน ธันวาคม พ.ศ. 2565", as announcements date themselves."""
    return f"ประกาศ ณ วันที่ {day.day} เดือน {MONTHS_FULL[day.month - 1]} พ.ศ. {be_year(day.year)}"


def render_announcement(office: str, title: str, body: str, day: date, signer_name: str, signer_position: str,
                        digits: str = "thai") -> bytes:
    """Lay out an announcement: office and subject centred, the clauses, the date and the signature block."""
    pdf = ThaiPDF(f"ประกาศ{office} เรื่อง {title}", digits)
    pdf.add_page()
    pdf.ln(10)
    pdf.set_font(FONT, "B", 18)
    for line in (f"ประกาศ{office}", f"เรื่อง {title}"):
        pdf.multi_cell(0, LINE + 2, line, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 15)
    pdf.cell(0, LINE, "-" * 30, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    for paragraph in (p.strip() for p in body.splitlines()):
        if paragraph:
            pdf.paragraph(paragraph)
    pdf.ln(6)
    pdf.set_font(FONT, "", 15)
    pdf.cell(0, LINE, announced_on_text(day), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(16)
    x = pdf.l_margin + pdf.epw / 2 - 10
    for text in ("(ลงชื่อ) .............................................", f"({signer_name})", signer_position):
        pdf.set_x(x)
        pdf.multi_cell(pdf.epw / 2 + 10, LINE, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
