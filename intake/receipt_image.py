"""The complaint receipt drawn as a PNG the citizen can keep in their phone's photos."""
from __future__ import annotations

import io

from flask import current_app
from PIL import Image, ImageDraw, ImageFont

from config.thai import FONT_BOLD as BOLD, FONT_REGULAR as REGULAR, line_pieces

WIDTH, MARGIN = 1080, 72
HEADER, CODE_BOX = 150, 140


def receipt_png(code: str, received: str, category: str, due: str = "") -> bytes:
    """Return a PNG of the receipt: office, tracking code, when, the due date and how to follow it up."""
    profile = current_app.config["PROFILE"]
    base_url = current_app.config["SETTINGS"].public_base_url
    title, body, big = (ImageFont.truetype(str(BOLD), 44), ImageFont.truetype(str(REGULAR), 34),
                        ImageFont.truetype(str(BOLD), 78))
    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    above = [(part, font, 64) for line, font in (
        ("หลักฐานการรับเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", title),
        (f"ประเภทเรื่อง: {category}" if category else "", body),
        (f"วันที่รับเรื่อง: {received}" if received else "", body),
        (f"กำหนดดำเนินการภายใน: {due}" if due else "", body),
        ("รหัสติดตามเรื่อง", body)) for part in _wrap(measure, line, font)]
    below = [(part, body, 54) for line in (
        "ติดตามความคืบหน้าได้ที่", f"{base_url}/track",
        "เก็บรหัสนี้เป็นความลับ ผู้ที่มีรหัสจะเห็นสถานะและคำตอบของหน่วยงาน",
        "หน่วยงานไม่เก็บรหัสนี้ไว้ หากทำหายจะออกรหัสใหม่ให้ไม่ได้",
        f"ติดต่อ {profile.complaint_unit} โทร {profile.phone}" if profile.phone else "") for part in _wrap(measure, line, body)]
    office = _wrap(measure, profile.name, title)
    header = max(HEADER, 60 + 56 * len(office))
    # The canvas grows with what it holds, so a long office name or category is never cut off.
    height = header + 50 + sum(step for *_, step in above) + CODE_BOX + 50 + sum(step for *_, step in below) + MARGIN
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, header), fill="#0b3d6e")
    for i, part in enumerate(office):
        draw.text((MARGIN, 40 + 56 * i), part, font=title, fill="white")
    y = header + 50
    for part, font, step in above:
        draw.text((MARGIN, y), part, font=font, fill="#1a1a1a")
        y += step
    draw.rounded_rectangle((MARGIN - 16, y, WIDTH - MARGIN + 16, y + CODE_BOX), radius=16, outline="#0b3d6e", width=5)
    draw.text((WIDTH // 2, y + CODE_BOX // 2), code, font=big, fill="#0b3d6e", anchor="mm")
    y += CODE_BOX + 50
    for part, font, step in below:
        draw.text((MARGIN, y), part, font=font, fill="#1a1a1a")
        y += step
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _wrap(draw: ImageDraw.ImageDraw, text: str, font) -> list[str]:
    # Thai has no spaces between words: break between the segmenter's words to fit the width.
    lines: list[str] = []
    for word in line_pieces(text):
        candidate = (lines[-1] + word) if lines else word.lstrip()
        if lines and draw.textlength(candidate.rstrip(), font=font) <= WIDTH - 2 * MARGIN:
            lines[-1] = candidate
        elif word.strip():
            lines.append(word.lstrip())
    return [line.rstrip() for line in lines]
