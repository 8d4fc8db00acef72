"""Builders of LINE message JSON: text with quick replies, and Flex bubbles, each within LINE's limits."""
from __future__ import annotations

from urllib.parse import urlencode

from bot import line_limits, texts
from bot.line_limits import fit_label, fit_text

LABEL_MAX = line_limits.ACTION_LABEL_MAX
BUTTON_LABEL_MAX = line_limits.FLEX_BUTTON_LABEL_MAX
BRAND = "#1F5E3B"


def say(text: str, quick: list[dict] | None = None) -> dict:
    """Return a text message (cut at a word to LINE's length), with quick-reply buttons when given."""
    message = {"type": "text", "text": fit_text(text)}
    if quick:
        message["quickReply"] = {"items": [{"type": "action", "action": a}
                                           for a in quick[:line_limits.QUICK_REPLY_ITEMS]]}
    return message


def send_text(label: str, text: str | None = None) -> dict:
    """Return an action that sends a text as if the user typed it."""
    return {"type": "message", "label": fit_label(label), "text": fit_label(text or label, line_limits.MESSAGE_TEXT_MAX)}


def postback(label: str, data: dict, display: str | None = None, limit: int = LABEL_MAX) -> dict:
    """Return an action that posts data back to the bot, showing `display` in the chat."""
    action = {"type": "postback", "label": fit_label(label, limit), "data": urlencode(data)}
    if display:
        action["displayText"] = fit_label(display, line_limits.DISPLAY_TEXT_MAX)
    return action


def link(label: str, uri: str, limit: int = BUTTON_LABEL_MAX) -> dict:
    """Return an action that opens a web page."""
    return {"type": "uri", "label": fit_label(label, limit), "uri": uri}


def camera() -> dict:
    return {"type": "camera", "label": texts.Q_CAMERA}


def camera_roll() -> dict:
    return {"type": "cameraRoll", "label": texts.Q_ROLL}


def location() -> dict:
    return {"type": "location", "label": texts.Q_LOCATION}


def menu_actions() -> list[dict]:
    """Return the main menu as quick replies."""
    return [send_text(texts.CMD_COMPLAINT), send_text(texts.CMD_FEEDBACK), send_text(texts.CMD_RATING),
            send_text(texts.CMD_TRACKING), send_text(texts.CMD_INFO)]


def cancel_action() -> dict:
    return send_text(texts.CMD_CANCEL)


def text_line(text: str, *, size: str = "sm", weight: str = "regular", color: str = "#333333", **extra) -> dict:
    """Return a wrapped Flex text component."""
    return {"type": "text", "text": text or " ", "size": size, "weight": weight, "color": color, "wrap": True, **extra}


def row(label: str, value: str) -> dict:
    """Return a label: value row for summaries."""
    return {"type": "box", "layout": "baseline", "spacing": "sm", "contents": [
        text_line(label, color="#777777", flex=2), text_line(value, flex=5)]}


def button(action: dict, primary: bool = False) -> dict:
    """Return a Flex button."""
    return {"type": "button", "action": action, "style": "primary" if primary else "secondary",
            "height": "sm", "color": BRAND if primary else "#E8EFEA"}


def bubble(alt: str, title: str, body: list[dict], buttons: list[dict] | None = None) -> dict:
    """Return a Flex message of one bubble with a header, a body and optional buttons."""
    contents = {
        "type": "bubble",
        "header": {"type": "box", "layout": "vertical", "backgroundColor": BRAND, "contents": [
            text_line(title, size="md", weight="bold", color="#FFFFFF")]},
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": body or [text_line(" ")]},
    }
    if buttons:
        contents["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "contents": buttons}
    return {"type": "flex", "altText": fit_text(alt, 400), "contents": contents}
