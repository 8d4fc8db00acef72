"""The rich menu: large Thai buttons in rows, drawn with Pillow and registered through the Messaging API."""
from __future__ import annotations

import io

from linebot.v3.messaging import RichMenuRequest
from PIL import Image, ImageDraw, ImageFont

from bot import texts
from bot.line_api import LineApi
from config.thai import FONT_BOLD, FONT_REGULAR

WIDTH, HEIGHT = 2500, 843
#: Each command's button: (label, what it says below the label, background colour).
BUTTONS = {
    "complaint": (texts.CMD_COMPLAINT, "เป็นความลับ ปลอดภัย", "#1F5E3B"),
    "feedback": (texts.CMD_FEEDBACK, "ถนน ไฟ น้ำ ขยะ ข้อเสนอแนะ", "#3C7A52"),
    "rating": (texts.CMD_RATING, "หลังรับบริการ", "#2E7D9A"),
    "tracking": (texts.CMD_TRACKING, "ด้วยรหัสติดตาม", "#8A5A14"),
    "info": (texts.CMD_INFO, "คู่มือ นโยบาย เวลาทำการ", "#5B4B8A"),
}
#: The citizens' menu, row by row (another menu, e.g. for staff, is another layout of BUTTONS-like entries).
LAYOUT = (("complaint", "feedback"), ("rating", "tracking", "info"))


def areas(layout=LAYOUT) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Return each button's command and its (x, y, width, height), rows sharing the height equally."""
    found = []
    for r, row in enumerate(layout):
        y, h = HEIGHT * r // len(layout), HEIGHT * (r + 1) // len(layout) - HEIGHT * r // len(layout)
        for c, action in enumerate(row):
            x, w = WIDTH * c // len(row), WIDTH * (c + 1) // len(row) - WIDTH * c // len(row)
            found.append((action, (x, y, w, h)))
    return found


def _font_to_fit(path, text: str, size: int, width: int, draw: ImageDraw.ImageDraw):
    font = ImageFont.truetype(str(path), size)
    while draw.textlength(text, font=font) > width and size > 30:
        size -= 6
        font = ImageFont.truetype(str(path), size)
    return font


def render_image(layout=LAYOUT) -> bytes:
    """Return the rich-menu picture as PNG."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "#FFFFFF")
    draw = ImageDraw.Draw(image)
    for action, (x, y, w, h) in areas(layout):
        label, subtitle, colour = BUTTONS[action]
        draw.rectangle((x + 6, y + 6, x + w - 6, y + h - 6), fill=colour)
        centre = x + w // 2
        title = _font_to_fit(FONT_BOLD, label, 100, w - 80, draw)
        small = _font_to_fit(FONT_REGULAR, subtitle, 56, w - 80, draw)
        draw.text((centre, y + h // 2 - 35), label, font=title, fill="#FFFFFF", anchor="mm")
        draw.text((centre, y + h // 2 + 70), subtitle, font=small, fill="#E8F0EA", anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def menu_request(office_short_name: str, layout=LAYOUT) -> RichMenuRequest:
    """Return the rich-menu definition: each area posts its command back."""
    menu_areas = [{"bounds": {"x": x, "y": y, "width": w, "height": h},
                   "action": {"type": "postback", "label": BUTTONS[action][0], "data": f"action={action}",
                              "displayText": BUTTONS[action][0]}}
                  for action, (x, y, w, h) in areas(layout)]
    return RichMenuRequest.from_dict({"size": {"width": WIDTH, "height": HEIGHT}, "selected": True,
                                      "name": f"Sujarit {office_short_name}"[:300], "chatBarText": "เมนู",
                                      "areas": menu_areas})


def register(api: LineApi, office_short_name: str, image: bytes) -> str:
    """Create the rich menu, upload its picture, make it everyone's default; return its id."""
    menu_id = api.call("rich menu", lambda: api.messaging.create_rich_menu(menu_request(office_short_name))).rich_menu_id
    # line-bot-sdk 3.27 ignores `_content_type` on this call and would send the picture as JSON.
    api.call("rich menu image", lambda: api.blob.set_rich_menu_image(
        menu_id, image, _headers={"Content-Type": "image/png"}))
    api.call("default rich menu", lambda: api.messaging.set_default_rich_menu(menu_id))
    return menu_id
