"""The rich menu: four large Thai buttons, drawn with Pillow and registered through the Messaging API."""
from __future__ import annotations

import io

from linebot.v3.messaging import RichMenuRequest
from PIL import Image, ImageDraw, ImageFont

from bot import texts
from config.thai import FONT_BOLD, FONT_REGULAR
from bot.line_api import LineApi

WIDTH, HEIGHT = 2500, 843
#: (label, the command's postback action, what the chat shows, background colour)
BUTTONS = [
    (texts.CMD_COMPLAINT, "complaint", "#1F5E3B"),
    (texts.CMD_RATING, "rating", "#2E7D9A"),
    (texts.CMD_TRACKING, "tracking", "#8A5A14"),
    (texts.CMD_INFO, "info", "#5B4B8A"),
]
SUBTITLES = {"complaint": "เป็นความลับ ปลอดภัย", "rating": "หลังรับบริการ", "tracking": "ด้วยรหัสติดตาม",
             "info": "คู่มือ นโยบาย เวลาทำการ"}
#: The staff menu, shown only to linked staff (LINE's per-user rich menu); citizens keep the one above.
STAFF_BUTTONS = [
    (texts.CMD_GIFT, "gift", "#8A1C1C"),
    (texts.CMD_CHECKIN, "gift_checkin", "#1F5E3B"),
    (texts.CMD_ACK, "gift_ack", "#2E7D9A"),
    (texts.CMD_STAFF_REPORTS, "gift_reports", "#5B4B8A"),
]
STAFF_SUBTITLES = {"gift": "ของขวัญหรือประโยชน์ที่ได้รับ", "gift_checkin": "มีผู้ให้ในเดือนที่ผ่านมาหรือไม่",
                   "gift_ack": "ประกาศนโยบาย No Gift", "gift_reports": "No Gift Policy"}


def _areas() -> list[tuple[int, int, int, int]]:
    half_w, half_h = WIDTH // 2, HEIGHT // 2
    return [(0, 0, half_w, half_h), (half_w, 0, WIDTH - half_w, half_h),
            (0, half_h, half_w, HEIGHT - half_h), (half_w, half_h, WIDTH - half_w, HEIGHT - half_h)]


def render_image(buttons=BUTTONS, subtitles=SUBTITLES) -> bytes:
    """Return the rich-menu picture (citizens' by default) as PNG."""
    title = ImageFont.truetype(str(FONT_BOLD), 110)
    small = ImageFont.truetype(str(FONT_REGULAR), 64)
    image = Image.new("RGB", (WIDTH, HEIGHT), "#FFFFFF")
    draw = ImageDraw.Draw(image)
    for (label, action, colour), (x, y, w, h) in zip(buttons, _areas()):
        draw.rectangle((x + 6, y + 6, x + w - 6, y + h - 6), fill=colour)
        centre = x + w // 2
        draw.text((centre, y + h // 2 - 40), label, font=title, fill="#FFFFFF", anchor="mm")
        draw.text((centre, y + h // 2 + 85), subtitles[action], font=small, fill="#E8F0EA", anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def menu_request(office_short_name: str, buttons=BUTTONS, chat_bar: str = "เมนู") -> RichMenuRequest:
    """Return the rich-menu definition: each area posts its command back."""
    areas = [{"bounds": {"x": x, "y": y, "width": w, "height": h},
              "action": {"type": "postback", "label": label, "data": f"action={action}", "displayText": label}}
             for (label, action, _), (x, y, w, h) in zip(buttons, _areas())]
    return RichMenuRequest.from_dict({"size": {"width": WIDTH, "height": HEIGHT}, "selected": True,
                                      "name": f"Sujarit {office_short_name}"[:300], "chatBarText": chat_bar,
                                      "areas": areas})


def register(api: LineApi, office_short_name: str, image: bytes, staff: bool = False) -> str:
    """Create the rich menu, upload its picture and make it everyone's default (the staff menu is given to
    each linked staff member instead); return its id."""
    request = (menu_request(office_short_name, STAFF_BUTTONS, "เมนูบุคลากร") if staff
               else menu_request(office_short_name))
    menu_id = api.call("rich menu", lambda: api.messaging.create_rich_menu(request)).rich_menu_id
    # line-bot-sdk 3.27 ignores `_content_type` on this call and would send the picture as JSON.
    api.call("rich menu image", lambda: api.blob.set_rich_menu_image(
        menu_id, image, _headers={"Content-Type": "image/png"}))
    if not staff:
        api.call("default rich menu", lambda: api.messaging.set_default_rich_menu(menu_id))
    return menu_id
