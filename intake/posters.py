"""Counter posters: an A4 sheet per service point with its rating QR code, as PDF, PNG or SVG.

One layout (in millimetres) is drawn by three renderers, so the formats never drift apart.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

import qrcode
from fpdf import FPDF
from fpdf.enums import TextMode
from PIL import Image, ImageDraw, ImageFont

from config import OfficeProfile
from config.thai import FONT_BOLD as BOLD, FONT_REGULAR as REGULAR
from models import ServicePoint

# fontTools logs every glyph it subsets into the PDF at INFO; that is noise in an operator's terminal.
logging.getLogger("fontTools").setLevel(logging.WARNING)

PAGE_W, PAGE_H = 210.0, 297.0
PT_MM = 25.4 / 72
PNG_DPI = 150
NAVY, INK, GREY, WHITE = "#0b3d6e", "#1a1a1a", "#4a4f57", "#ffffff"
FORMATS = ("pdf", "png", "svg")
CALL_TO_ACTION = "สแกนเพื่อประเมินความพึงพอใจ"


@dataclass(frozen=True)
class Text:
    """A line of text centred on `x`, its baseline at `y` (mm)."""

    x: float
    y: float
    text: str
    size: float  # points
    bold: bool = False
    color: str = INK


@dataclass(frozen=True)
class Box:
    """A filled rectangle (mm)."""

    x: float
    y: float
    w: float
    h: float
    color: str


@dataclass(frozen=True)
class Code:
    """A QR code of `url`, a square of side `size` with its top-left corner at (x, y) (mm)."""

    x: float
    y: float
    size: float
    url: str

    def matrix(self) -> list[list[bool]]:
        """Return the QR modules, quiet zone included."""
        return _matrix(self.url)


@lru_cache(maxsize=64)
def _matrix(url: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


@lru_cache(maxsize=8)
def _measuring_font(bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BOLD if bold else REGULAR), 100)


def _fit(text: str, size: float, bold: bool, width_mm: float) -> float:
    # Thai names run long without spaces: shrink the type until the line fits rather than break a word.
    natural = _measuring_font(bold).getlength(text) / 100 * size * PT_MM
    return size if natural <= width_mm else max(10.0, size * width_mm / natural)


def poster_urls(base_url: str, point: ServicePoint, profile: OfficeProfile) -> dict[str, str]:
    """Return what each QR code on a counter's poster opens: rating, complaint channel, LINE."""
    urls = {"rating": f"{base_url}/r/{point.code}", "complaint": f"{base_url}/complaint"}
    if profile.add_friend_url:
        urls["line"] = profile.add_friend_url
    return urls


def poster_layout(base_url: str, point: ServicePoint, profile: OfficeProfile) -> list:
    """Return the poster's elements: office, counter, call to action, and its QR codes."""
    urls = poster_urls(base_url, point, profile)
    centre = PAGE_W / 2
    items: list = [
        Box(0, 0, PAGE_W, 34, NAVY),
        Text(centre, 22, profile.name, _fit(profile.name, 24, True, 190), True, WHITE),
        Text(centre, 52, point.name, _fit(point.name, 26, True, 186), True, NAVY),
        Text(centre, 62, profile.division_name(point.division), 15, False, GREY),
        Text(centre, 82, CALL_TO_ACTION, 32, True, INK),
        Code(centre - 55, 90, 110, urls["rating"]),
        Text(centre, 208, urls["rating"], _fit(urls["rating"], 13, False, 186), False, GREY),
        Text(centre, 218, "ไม่ต้องระบุชื่อ ใช้เวลาไม่ถึงหนึ่งนาที ความเห็นของท่านช่วยปรับปรุงการให้บริการ", 13, False, INK),
        Box(15, 226, PAGE_W - 30, 0.6, GREY),
    ]
    extras = [("complaint", "แจ้งเรื่องร้องเรียนการทุจริต", "ผู้แจ้งได้รับความคุ้มครอง เก็บเป็นความลับ")]
    if "line" in urls:
        extras.append(("line", "เพิ่มเพื่อนทางไลน์", "แจ้งเรื่องและติดตามผลผ่าน LINE"))
    columns = [PAGE_W / 2] if len(extras) == 1 else [PAGE_W * 0.28, PAGE_W * 0.72]
    for x, (key, title, note) in zip(columns, extras):
        items += [Code(x - 19, 231, 38, urls[key]), Text(x, 277, title, 14, True, NAVY),
                  Text(x, 284, note, 11, False, GREY)]
    return items


def render(layout: list, fmt: str) -> bytes:
    """Draw a layout as PDF, PNG or SVG bytes."""
    return {"pdf": _pdf, "png": _png, "svg": _svg}[fmt](layout)


def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def _pdf(layout: list) -> bytes:
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.add_font("Sarabun", "", str(REGULAR))
    pdf.add_font("Sarabun", "B", str(BOLD))
    pdf.add_page()
    for item in layout:
        if isinstance(item, Box):
            pdf.set_fill_color(*_rgb(item.color))
            pdf.rect(item.x, item.y, item.w, item.h, style="F")
        elif isinstance(item, Text):
            # Visible Thai comes from libraqm, which stacks tone marks over upper vowels correctly; the
            # PDF text layer under it (Sarabun, invisible) keeps the words searchable and copyable.
            picture, left, top = _text_picture(item)
            pdf.image(picture, x=item.x + left, y=item.y + top, w=picture.width / TEXT_PX_MM)
            pdf.set_font("Sarabun", "B" if item.bold else "", item.size)
            with pdf.local_context(text_mode=TextMode.INVISIBLE):
                pdf.text(item.x - pdf.get_string_width(item.text) / 2, item.y, item.text)
        else:
            matrix = item.matrix()
            cell = item.size / len(matrix)
            pdf.set_fill_color(255, 255, 255)
            pdf.rect(item.x, item.y, item.size, item.size, style="F")
            pdf.set_fill_color(0, 0, 0)
            for row, modules in enumerate(matrix):
                for col, dark in enumerate(modules):
                    if dark:
                        pdf.rect(item.x + col * cell, item.y + row * cell, cell, cell, style="F")
    return bytes(pdf.output())


TEXT_PX_MM = 600 / 25.4


def _text_picture(item: Text) -> tuple[Image.Image, float, float]:
    """Draw one line at 600 dpi; return it with its left and top offsets (mm) from the anchor."""
    font = ImageFont.truetype(str(BOLD if item.bold else REGULAR), round(item.size * 600 / 72))
    left, top, right, bottom = font.getbbox(item.text, anchor="ms")
    picture = Image.new("RGBA", (right - left, bottom - top), (255, 255, 255, 0))
    ImageDraw.Draw(picture).text((-left, -top), item.text, font=font, fill=item.color, anchor="ms")
    return picture, left / TEXT_PX_MM, top / TEXT_PX_MM


def _png(layout: list) -> bytes:
    scale = PNG_DPI / 25.4
    image = Image.new("RGB", (round(PAGE_W * scale), round(PAGE_H * scale)), WHITE)
    draw = ImageDraw.Draw(image)
    for item in layout:
        if isinstance(item, Box):
            draw.rectangle((item.x * scale, item.y * scale, (item.x + item.w) * scale, (item.y + item.h) * scale),
                           fill=item.color)
        elif isinstance(item, Text):
            font = ImageFont.truetype(str(BOLD if item.bold else REGULAR), round(item.size * PNG_DPI / 72))
            draw.text((item.x * scale, item.y * scale), item.text, font=font, fill=item.color, anchor="ms")
        else:
            matrix = item.matrix()
            side = round(item.size * scale)
            cell = side // len(matrix)  # whole pixels per module keep the code crisp for scanners
            offset = (side - cell * len(matrix)) // 2
            left, top = round(item.x * scale) + offset, round(item.y * scale) + offset
            draw.rectangle((left, top, left + cell * len(matrix) - 1, top + cell * len(matrix) - 1), fill=WHITE)
            for row, modules in enumerate(matrix):
                for col, dark in enumerate(modules):
                    if dark:
                        draw.rectangle((left + col * cell, top + row * cell, left + (col + 1) * cell - 1,
                                        top + (row + 1) * cell - 1), fill="black")
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(PNG_DPI, PNG_DPI), optimize=True)
    return out.getvalue()


def _svg(layout: list) -> bytes:
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{PAGE_W}mm" height="{PAGE_H}mm" '
             f'viewBox="0 0 {PAGE_W} {PAGE_H}">', f'<rect width="{PAGE_W}" height="{PAGE_H}" fill="{WHITE}"/>']
    for item in layout:
        if isinstance(item, Box):
            parts.append(f'<rect x="{item.x}" y="{item.y}" width="{item.w}" height="{item.h}" fill="{item.color}"/>')
        elif isinstance(item, Text):
            parts.append(f'<text x="{item.x}" y="{item.y}" font-family="Sarabun, \'Noto Sans Thai\', sans-serif" '
                         f'font-size="{item.size * PT_MM:.2f}" font-weight="{700 if item.bold else 400}" '
                         f'text-anchor="middle" fill="{item.color}">{escape(item.text)}</text>')
        else:
            matrix = item.matrix()
            cell = item.size / len(matrix)
            path = "".join(f"M{item.x + col * cell:.3f} {item.y + row * cell:.3f}h{cell:.3f}v{cell:.3f}h-{cell:.3f}z"
                           for row, modules in enumerate(matrix) for col, dark in enumerate(modules) if dark)
            parts.append(f'<g data-url="{escape(item.url)}"><rect x="{item.x}" y="{item.y}" width="{item.size}" '
                         f'height="{item.size}" fill="{WHITE}"/><path d="{path}" fill="#000"/></g>')
    parts.append("</svg>")
    return "\n".join(parts).encode()
