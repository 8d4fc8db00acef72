"""The reply letter (หนังสือตอบ) to a complainant, laid out as a Thai official letter by the memo renderer."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from fpdf.enums import Align, XPos, YPos

from config.thai import thai_date
from stats.render.memo import FONT, LINE, ThaiPDF

BODY_LIMIT = 5000


@dataclass(frozen=True)
class ReplyLetter:
    """What an officer writes, and what the office profile adds, in the order the letter prints it."""

    number: str  # the office's outgoing number (ที่ ...), as its register gives it
    date: datetime
    subject: str
    to: str
    reference: str  # อ้างถึง: the complaint it answers
    body: str

    def lines(self) -> list[str]:
        """Return every text the letter prints, top to bottom: the source its PDF text must equal."""
        profile = current_app.config["PROFILE"]
        return [f"ที่ {self.number}", profile.name, profile.address, thai_date(self.date),
                f"เรื่อง {self.subject}", f"เรียน {self.to}", f"อ้างถึง {self.reference}", self.body,
                "จึงเรียนมาเพื่อโปรดทราบ", "ขอแสดงความนับถือ", "(ลงชื่อ) .............................................",
                f"({'.' * 45})", profile.executive_title, profile.complaint_unit, f"โทร. {profile.phone}"]


class _Letter(ThaiPDF):
    """An A4 letter: the memo's Thai text handling without the report footer."""

    def _write_footers(self) -> None:
        pass  # a one-page letter carries no report footer or page number


def render_letter(letter: ReplyLetter) -> bytes:
    """Lay the letter out as a Thai external letter (หนังสือภายนอก) and return the PDF."""
    lines = letter.lines()
    pdf = _Letter("")
    pdf.add_page()
    half = pdf.epw / 2
    pdf.set_font(FONT, "", 15)
    pdf.cell(half, LINE, lines[0])  # ที่ ... on the left, the office and its address on the right
    pdf.multi_cell(half, LINE, f"{lines[1]}\n{lines[2]}", align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_x(pdf.l_margin + half - 20)
    pdf.cell(0, LINE, lines[3], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    for label, text in (("เรื่อง", letter.subject), ("เรียน", letter.to), ("อ้างถึง", letter.reference)):
        pdf.labelled(label, text)
    pdf.ln(2)
    for paragraph in letter.body.splitlines():
        if paragraph.strip():
            pdf.paragraph(paragraph.strip())
    pdf.paragraph(lines[8])
    pdf.ln(4)
    x = pdf.l_margin + half - 10
    for text in lines[9:13]:  # the sign-off, centred on the right half
        pdf.set_x(x)
        pdf.multi_cell(half + 10, LINE, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(10)
    pdf.set_font(FONT, "", 13)
    for text in lines[13:]:
        pdf.cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
