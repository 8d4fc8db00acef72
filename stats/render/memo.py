"""Thai documents as PDF: a memo (บันทึกข้อความ) or letter with paragraphs, tables and signature blocks.

`ThaiPDF` is the page: Sarabun embedded, text shaped by HarfBuzz, lines broken only between Thai words
(config.thai.thai_words), text extracting exactly as typed (SARA AM included), Thai or Arabic digits
with codes such as "O29" kept as written, and "หน้า x/y" in one script. `Memo` is the document;
`render_memo` lays one out. A statistics report becomes a memo through `render_pdf`.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

from flask import current_app
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from fpdf.fonts import FontFace

from config.thai import (FONT_BOLD as BOLD, FONT_REGULAR as REGULAR, line_pieces, thai_date, thai_digits,
                         thai_words)
from stats.document import Report, Table

# fontTools logs every glyph it subsets at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)
FONT = "Sarabun"
LINE = 7.5
#: Where a line may break: put between two Thai words, it is invisible and extracts as nothing.
WORD_BREAK = "\u200b"
_SARA_AM, _SARA_AA = 0x0E33, 0x0E32
SIGN_LINE = "(ลงชื่อ) ............................................."
NAME_LINE = "(.............................................)"
ACKNOWLEDGE = "(   ) ทราบ     (   ) อื่น ๆ ..............................................."
OPINION_DOTS = " ......................................................"


class _Nothing(int):
    """A ToUnicode target that writes as an empty string: the glyph stands for no text of its own."""

    def __format__(self, spec: str) -> str:
        return ""


def breakable(text: str) -> str:
    """Return text with a word break between each two Thai words, so lines break only there."""
    pieces = line_pieces(text)
    return "".join(WORD_BREAK + piece if i and not piece.isspace() and not pieces[i - 1].isspace() else piece
                   for i, piece in enumerate(pieces))


class ThaiPDF(FPDF):
    """An A4 page for Thai documents; `footer_text` is repeated with the page number on every page."""

    def __init__(self, footer_text: str = "", digits: str = "arabic"):
        super().__init__(format="A4")
        if digits not in ("arabic", "thai"):
            raise ValueError(f"unknown digits: {digits}")
        self.digits = digits
        self.footer_text = footer_text
        self._breakable: dict[str, str] = {}
        self.add_font(FONT, "", str(REGULAR))
        self.add_font(FONT, "B", str(BOLD))
        self.set_text_shaping(True)
        self.set_margins(25, 18, 20)
        self.set_auto_page_break(True, margin=18)

    def normalize_text(self, text: str) -> str:
        text = thai_digits(text) if self.digits == "thai" else text
        # fpdf2 normalizes a text each time it measures or draws it: segment each text once per document.
        if text not in self._breakable:
            self._breakable[text] = breakable(text)
        return super().normalize_text(self._breakable[text])

    def footer(self) -> None:
        """Leave footers to `output`, which knows the page count and writes it in the document's digits."""

    def _write_footers(self) -> None:
        total, current = self.pages_count, self.page
        auto, margin = self.auto_page_break, self.b_margin
        self.set_auto_page_break(False)
        for number in range(1, total + 1):
            self.page = number
            self.set_y(-13)
            self.font_family = ""  # each page's stream must select the font itself, whatever was used last
            self.set_font(FONT, "", 9)
            words = f"หน้า {number}/{total}"
            self.cell(0, 5, f"{self.footer_text} · {words}" if self.footer_text else words, align=Align.C)
        self.page = current
        self.set_auto_page_break(auto, margin)

    def _map_shaped_glyphs(self) -> None:
        # HarfBuzz draws SARA AM as NIKHAHIT + SARA AA and fpdf2 maps the whole ำ to the first glyph,
        # leaving the second unmapped (copied as a control character). Map ำ to the advancing SARA AA
        # glyph and nothing to the mark, and nothing to the invisible word breaks, so text copies as typed.
        for font in self.fonts.values():
            subset = getattr(font, "subset", None)
            if subset is None:
                continue
            sara_aa = font.glyph_ids.get(_SARA_AA)
            for glyph, _ in subset.items():
                if glyph is None or not isinstance(glyph.unicode, tuple):
                    continue
                if glyph.unicode == () and glyph.glyph_id == sara_aa:
                    glyph.unicode = (_SARA_AM,)
                elif _SARA_AM in glyph.unicode and glyph.glyph_id != sara_aa:
                    glyph.unicode = tuple(u for u in glyph.unicode if u != _SARA_AM) or (_Nothing(0),)
                elif glyph.unicode == (ord(WORD_BREAK),):
                    glyph.unicode = (_Nothing(0),)

    def output(self, *args, **kwargs):
        if not self.buffer:
            self._write_footers()
            self._map_shaped_glyphs()
        return super().output(*args, **kwargs)

    def labelled(self, label: str, text: str, size: int = 15) -> None:
        """Write a memo header line: a bold label, then its value, left-aligned (never justified)."""
        self.set_font(FONT, "B", size + 1)
        width = self.get_string_width(label) + 3
        self.cell(width, LINE + 1, label)
        self.set_font(FONT, "", size)
        self.multi_cell(0, LINE + 1, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def paragraph(self, text: str, size: int = 15, indent: bool = True, bold: bool = False) -> None:
        """Write a paragraph, its first line indented as the body of a Thai memo is."""
        self.set_font(FONT, "B" if bold else "", size)
        if indent:
            self.set_x(self.l_margin + 15)
        self.multi_cell(0, LINE, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def data_table(self, table: Table, size: float = 12) -> None:
        """Draw one captioned table with a bold header and total row; cells break between words only, the
        type shrinking (down to 8 pt) until every header's longest word fits its column."""
        self.ln(2)
        self.set_font(FONT, "B", 14)
        self.multi_cell(0, LINE, table.caption, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        widths = self._column_widths(table, size)
        if sum(widths) > self.epw:
            size = max(8.0, int(2 * size * self.epw / sum(widths)) / 2)
            widths = self._column_widths(table, size)
        self.set_font(FONT, "", size)
        with self.table(col_widths=widths, line_height=size * 0.55, headings_style=_bold_style(),
                        text_align=("LEFT",) + ("CENTER",) * (len(table.headers) - 1),
                        first_row_as_headings=True) as pdf_table:
            pdf_table.row(table.headers)
            for row in table.rows:
                pdf_table.row([cell_text(c) for c in row])
            if table.total:
                pdf_table.row([cell_text(c) for c in table.total], style=_bold_style())

    def _column_widths(self, table: Table, size: float) -> tuple[float, ...]:
        """Return column widths that fit each body cell on one line where they can, and each header's longest
        word in bold (headers wrap between words)."""
        body = [*table.rows, *([table.total] if table.total else [])]
        self.set_font(FONT, "B", size)
        words = [max((self.get_string_width(w) for w in thai_words(h)), default=0) for h in table.headers]
        cells = [max((self.get_string_width(cell_text(row[i])) for row in body), default=0)
                 for i in range(len(table.headers))]
        return tuple(max(word, min(cell, 50)) + 3 for word, cell in zip(words, cells))

    def signature(self, role: str, opinion: str = "", acknowledge: bool = False) -> None:
        """Write one signature block (an opinion line, "ทราบ" boxes, the signature and the role), unbroken."""
        with self.unbreakable() as pdf:
            pdf.ln(3)
            pdf.set_font(FONT, "", 14)
            if opinion:
                pdf.multi_cell(0, LINE, opinion + OPINION_DOTS, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if acknowledge:
                pdf.cell(0, LINE, ACKNOWLEDGE, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            x = pdf.l_margin + pdf.epw / 2 - 10
            for text in (SIGN_LINE, NAME_LINE, role):
                pdf.set_x(x)
                pdf.multi_cell(pdf.epw / 2 + 10, LINE, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _bold_style() -> FontFace:
    return FontFace(family=FONT, emphasis="BOLD", fill_color=(221, 235, 247))


def cell_text(cell) -> str:
    """Return a table cell as printed: counts with thousands separators, two-decimal numbers as rounded."""
    if cell is None:
        return "–"
    if isinstance(cell, bool):
        return str(cell)
    return f"{cell:,}" if isinstance(cell, int) else str(cell)


@dataclass
class Signature:
    """One block of the sign-off chain."""

    role: str
    opinion: str = ""  # e.g. "ความเห็นของหัวหน้าส่วนราชการ": a line to write on
    acknowledge: bool = False  # the executive's "(  ) ทราบ" boxes


@dataclass
class Memo:
    """A Thai memo: header lines, a body of paragraphs, tables and images, a closing and signatures."""

    unit: str  # ส่วนราชการ
    number: str  # ที่
    date: str  # วันที่, as printed
    subject: str  # เรื่อง
    to: str  # เรียน
    body: list = field(default_factory=list)  # str paragraphs, Table objects, or PNG bytes
    closing: str = "จึงเรียนมาเพื่อโปรดทราบ"
    signatures: list[Signature] = field(default_factory=list)
    footer: str = ""
    title: str = "บันทึกข้อความ"

    def texts(self) -> list[str]:
        """Return every text the memo prints, as written (for checking what a reader can copy out of it)."""
        texts = [self.title, "ส่วนราชการ", self.unit, "ที่", f"{self.number}   วันที่ {self.date}", "เรื่อง", self.subject,
                 "เรียน", self.to]
        for block in self.body:
            if isinstance(block, Table):
                texts += [block.caption, *block.headers,
                          *(cell_text(c) for row in [*block.rows, *([block.total] if block.total else [])]
                            for c in row)]
            elif isinstance(block, str):
                texts.append(block)
        texts.append(self.closing)
        for signature in self.signatures:
            texts += [*([signature.opinion + OPINION_DOTS] if signature.opinion else []),
                      *([ACKNOWLEDGE] if signature.acknowledge else []), SIGN_LINE, NAME_LINE, signature.role]
        return texts


def render_memo(memo: Memo, digits: str = "arabic") -> bytes:
    """Lay a memo out on A4; the last body block stays with the closing and the first signature."""
    pdf = ThaiPDF(memo.footer, digits)
    pdf.add_page()
    pdf.set_font(FONT, "B", 26)
    pdf.cell(0, 14, memo.title, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.labelled("ส่วนราชการ", memo.unit)
    pdf.labelled("ที่", f"{memo.number}   วันที่ {memo.date}")
    pdf.labelled("เรื่อง", memo.subject)
    pdf.ln(1)
    pdf.labelled("เรียน", memo.to)
    pdf.ln(2)
    *blocks, last = memo.body or [""]
    for block in blocks:
        _block(pdf, block)
    # A signature is never left alone on the last page: it takes the closing and the last block along.
    with pdf.unbreakable() as kept:
        _block(kept, last)
        kept.ln(2)
        kept.paragraph(memo.closing)
        if memo.signatures:
            first = memo.signatures[0]
            kept.signature(first.role, first.opinion, first.acknowledge)
    for signature in memo.signatures[1:]:
        pdf.signature(signature.role, signature.opinion, signature.acknowledge)
    return bytes(pdf.output())


def _block(pdf: ThaiPDF, block) -> None:
    if isinstance(block, Table):
        pdf.data_table(block)
    elif isinstance(block, bytes):
        height = pdf.epw / 2
        if pdf.will_page_break(height + 4):
            pdf.add_page()
        pdf.ln(3)
        pdf.image(io.BytesIO(block), w=pdf.epw, h=height)
    elif block:
        pdf.paragraph(block)


def memo_number(profile) -> str:
    """Return the "ที่" line from the office's numbering (the running number is written in by hand)."""
    prefix = getattr(profile, "book_number", "")
    return f"{prefix}/......................" if prefix else "......................................"


def sign_off(profile) -> list[Signature]:
    """Return the chain reports go up: preparer, head of the unit, the permanent secretary, the executive."""
    return [Signature("เจ้าหน้าที่ผู้จัดทำรายงาน"),
            Signature(f"หัวหน้า{profile.complaint_unit}", "ความเห็นของหัวหน้าส่วนราชการ"),
            Signature(f"ปลัด{profile.name}", "ความเห็นของปลัด"),
            Signature(profile.executive_title, "ความเห็น/สั่งการของผู้บริหาร", acknowledge=True)]


def render_pdf(report: Report) -> bytes:
    """Lay a statistics report out as a memo dated when it is made, stating its as-of time."""
    return render_memo(report_memo(report), report.digits)


def report_memo(report: Report) -> Memo:
    """Return the memo a statistics report goes up as."""
    from stats.render.chart import render_png

    profile = current_app.config["PROFILE"]
    body: list = [report.body, report.ita_text, *report.tables]
    if report.tables[0].rows:
        body.append(render_png(report.chart))
    for day, point, text in report.notes:
        body.append(f"ข้อเสนอแนะ (เฉพาะเจ้าหน้าที่) {day} ({point}): {text}")
    body += [*report.remarks, report.analysis]
    return Memo(unit=f"{profile.complaint_unit} {profile.name}", number=memo_number(profile),
                date=thai_date(report.made_at or report.as_of), subject=report.subject, to=profile.executive_title,
                body=[b for b in body if b or isinstance(b, Table)], signatures=sign_off(profile),
                footer=f"{report.period.label} · ข้อมูล ณ {report.as_of_text}")
