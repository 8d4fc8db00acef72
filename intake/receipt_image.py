"""The complaint receipt drawn as a PNG the citizen can keep in their phone's photos."""
from __future__ import annotations

import io

from flask import current_app
from PIL import Image, ImageDraw, ImageFont

from config.thai import FONT_BOLD as BOLD, FONT_REGULAR as REGULAR

WIDTH, HEIGHT, MARGIN = 1080, 1080, 72


def receipt_png(code: str, received: str, category: str) -> bytes:
    """Return a PNG of the receipt: office, tracking code, when, and how to follow it up."""
    profile = current_app.config["PROFILE"]
    base_url = current_app.config["SETTINGS"].public_base_url
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    title, body, big = (ImageFont.truetype(str(BOLD), 44), ImageFont.truetype(str(REGULAR), 34),
                        ImageFont.truetype(str(BOLD), 78))
    draw.rectangle((0, 0, WIDTH, 150), fill="#0b3d6e")
    draw.text((MARGIN, 45), profile.name, font=title, fill="white")
    y = 200
    for line, font in (("หลักฐานการรับเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", title),
                       (f"ประเภทเรื่อง: {category}" if category else "", body),
                       (f"วันที่รับเรื่อง: {received}" if received else "", body),
                       ("รหัสติดตามเรื่อง", body)):
        for part in _wrap(draw, line, font):
            draw.text((MARGIN, y), part, font=font, fill="#1a1a1a")
            y += 64
    draw.rounded_rectangle((MARGIN - 16, y, WIDTH - MARGIN + 16, y + 140), radius=16, outline="#0b3d6e", width=5)
    draw.text((WIDTH // 2, y + 70), code, font=big, fill="#0b3d6e", anchor="mm")
    y += 190
    for line in ("ติดตามความคืบหน้าได้ที่", f"{base_url}/track",
                 "เก็บรหัสนี้เป็นความลับ ผู้ที่มีรหัสจะเห็นสถานะและคำตอบของหน่วยงาน",
                 "หน่วยงานไม่เก็บรหัสนี้ไว้ หากทำหายจะออกรหัสใหม่ให้ไม่ได้",
                 f"ติดต่อ {profile.complaint_unit} โทร {profile.phone}" if profile.phone else ""):
        for part in _wrap(draw, line, body):
            draw.text((MARGIN, y), part, font=body, fill="#1a1a1a")
            y += 54
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _wrap(draw: ImageDraw.ImageDraw, text: str, font) -> list[str]:
    # Thai puts spaces between phrases, not words: break at those spaces to fit the width.
    lines: list[str] = []
    for word in text.split(" ") if text else []:
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= WIDTH - 2 * MARGIN:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines
