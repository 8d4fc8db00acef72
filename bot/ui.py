"""Builders of LINE message JSON: text with quick replies, and Flex bubbles."""
from __future__ import annotations

from urllib.parse import urlencode

from bot import texts

LABEL_MAX = 20  # LINE's limit for quick-reply labels
BUTTON_LABEL_MAX = 40  # LINE's limit for Flex button labels
BRAND = "#1F5E3B"


def _label(text: str, limit: int = LABEL_MAX) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def say(text: str, quick: list[dict] | None = None) -> dict:
    """Return a text message, with quick-reply buttons when given."""
    message = {"type": "text", "text": text[:5000]}
    if quick:
        message["quickReply"] = {"items": [{"type": "action", "action": a} for a in quick[:13]]}
    return message


def send_text(label: str, text: str | None = None) -> dict:
    """Return an action that sends a text as if the user typed it."""
    return {"type": "message", "label": _label(label), "text": text or label}


def postback(label: str, data: dict, display: str | None = None, limit: int = LABEL_MAX) -> dict:
    """Return an action that posts data back to the bot, showing `display` in the chat."""
    action = {"type": "postback", "label": _label(label, limit), "data": urlencode(data)}
    if display:
        action["displayText"] = display[:300]
    return action


def camera() -> dict:
    return {"type": "camera", "label": texts.Q_CAMERA}


def camera_roll() -> dict:
    return {"type": "cameraRoll", "label": texts.Q_ROLL}


def location() -> dict:
    return {"type": "location", "label": texts.Q_LOCATION}


def menu_actions() -> list[dict]:
    """Return the main menu as quick replies."""
    return [send_text(texts.CMD_COMPLAINT), send_text(texts.CMD_RATING), send_text(texts.CMD_TRACKING),
            send_text(texts.CMD_INFO)]


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
    return {"type": "flex", "altText": alt[:400], "contents": contents}
