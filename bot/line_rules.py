"""LINE's checks of what a bot sends, for the fake API: the SDK's own models, then every documented limit.

Each check returns LINE's error details, [{"message", "property"}], empty when LINE would accept the request.
"""
from __future__ import annotations

import io
import json
import re
from urllib.parse import urlsplit

from linebot.v3.messaging import PushMessageRequest, ReplyMessageRequest, RichMenuRequest
from PIL import Image, UnidentifiedImageError
from pydantic.v1 import ValidationError

from bot import line_limits as L

Details = list[dict[str, str]]
_SDK_MODELS = {"reply": ReplyMessageRequest, "push": PushMessageRequest}


def _detail(prop: str, message: str) -> dict[str, str]:
    return {"message": message, "property": prop}


def _sdk(model, body: dict) -> Details:
    """Parse the body with the SDK's model, as LINE's own schema would."""
    try:
        model.from_dict(body)
    except ValidationError as exc:
        return [_detail(".".join(str(part) for part in error["loc"]), error["msg"]) for error in exc.errors()]
    except (ValueError, TypeError, AttributeError) as exc:  # the SDK's own lookups of discriminators
        return [_detail("messages", str(exc).splitlines()[0][:200])]
    return []


def _json_bytes(node) -> int:
    return len(json.dumps(node, ensure_ascii=False, separators=(",", ":")).encode())


def check_action(prop: str, action: dict, label_max: int = L.ACTION_LABEL_MAX) -> Details:
    """Return what LINE refuses in one action object."""
    found: Details = []
    kind, label = action.get("type"), action.get("label")
    if label is not None and not 1 <= L.grapheme_len(label) <= label_max:
        found.append(_detail(f"{prop}.label", f"Length must be between 1 and {label_max}"))
    if kind == "postback":
        if not 0 < L.utf16_len(action.get("data") or "") <= L.POSTBACK_DATA_MAX:
            found.append(_detail(f"{prop}.data", f"Length must be between 1 and {L.POSTBACK_DATA_MAX}"))
        if L.grapheme_len(action.get("displayText") or "") > L.DISPLAY_TEXT_MAX:
            found.append(_detail(f"{prop}.displayText", f"Length must be between 0 and {L.DISPLAY_TEXT_MAX}"))
    elif kind == "message":
        if not 0 < L.grapheme_len(action.get("text") or "") <= L.MESSAGE_TEXT_MAX:
            found.append(_detail(f"{prop}.text", f"Length must be between 1 and {L.MESSAGE_TEXT_MAX}"))
    elif kind == "uri":
        uri = action.get("uri") or ""
        if not 0 < len(uri) <= L.URI_MAX:
            found.append(_detail(f"{prop}.uri", f"Length must be between 1 and {L.URI_MAX}"))
        if urlsplit(uri).scheme not in L.URI_SCHEMES:
            found.append(_detail(f"{prop}.uri", "invalid uri scheme"))
    return found


def _flex_actions(prop: str, node) -> Details:
    """Check every action inside a Flex container; a button's label may be longer."""
    found: Details = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "action" and isinstance(value, dict):
                limit = L.FLEX_BUTTON_LABEL_MAX if node.get("type") == "button" else L.ACTION_LABEL_MAX
                found += check_action(f"{prop}.action", value, limit)
            else:
                found += _flex_actions(f"{prop}.{key}", value)
    elif isinstance(node, list):
        for n, value in enumerate(node):
            found += _flex_actions(f"{prop}[{n}]", value)
    return found


def _check_flex(prop: str, message: dict) -> Details:
    found: Details = []
    alt = message.get("altText") or ""
    if not 0 < L.utf16_len(alt) <= L.ALT_TEXT_MAX:
        found.append(_detail(f"{prop}.altText", f"Length must be between 1 and {L.ALT_TEXT_MAX}"))
    container = message.get("contents") or {}
    if container.get("type") == "carousel":
        bubbles = container.get("contents") or []
        if not 1 <= len(bubbles) <= L.CAROUSEL_BUBBLES_MAX:
            found.append(_detail(f"{prop}.contents.contents", f"Size must be between 1 and {L.CAROUSEL_BUBBLES_MAX}"))
        if _json_bytes(container) > L.CAROUSEL_BYTES_MAX:
            found.append(_detail(f"{prop}.contents", "A carousel must be 50 KB or less"))
    else:
        bubbles = [container]
    for n, bubble in enumerate(bubbles):
        if _json_bytes(bubble) > L.BUBBLE_BYTES_MAX:
            found.append(_detail(f"{prop}.contents[{n}]", "A bubble must be 30 KB or less"))
    return found + _flex_actions(f"{prop}.contents", container)


def check_messages(messages) -> Details:
    """Return what LINE refuses in the `messages` of a reply or push."""
    if not isinstance(messages, list) or not 1 <= len(messages) <= L.MAX_MESSAGES:
        return [_detail("messages", f"Size must be between 1 and {L.MAX_MESSAGES}")]
    found: Details = []
    for n, message in enumerate(messages):
        prop = f"messages[{n}]"
        if message.get("type") == "text":
            if not 0 < L.utf16_len(message.get("text") or "") <= L.TEXT_MAX:
                found.append(_detail(f"{prop}.text", f"Length must be between 1 and {L.TEXT_MAX}"))
        elif message.get("type") == "flex":
            found += _check_flex(prop, message)
        items = (message.get("quickReply") or {}).get("items")
        if items is not None:
            if not 1 <= len(items) <= L.QUICK_REPLY_ITEMS:
                found.append(_detail(f"{prop}.quickReply.items", f"Size must be between 1 and {L.QUICK_REPLY_ITEMS}"))
            for i, item in enumerate(items):
                action = item.get("action") or {}
                if "label" not in action:
                    found.append(_detail(f"{prop}.quickReply.items[{i}].action.label", "May not be empty"))
                found += check_action(f"{prop}.quickReply.items[{i}].action", action)
    return found


def check_send(kind: str, body: dict) -> Details:
    """Return what LINE refuses in a reply or push request body."""
    found = _sdk(_SDK_MODELS[kind], body)
    if kind == "push" and not re.match(L.TO_PATTERN, str(body.get("to", ""))):
        found.append(_detail("to", "The property, 'to', in the request body is invalid"))
    return found or check_messages(body.get("messages"))


def check_loading(body: dict) -> Details:
    """Return what LINE refuses in a loading-animation request."""
    found = []
    if not re.match(r"^U[0-9a-f]{32}$", str(body.get("chatId", ""))):
        found.append(_detail("chatId", "The property, 'chatId', in the request body is invalid"))
    if body.get("loadingSeconds", 20) not in L.LOADING_SECONDS:
        found.append(_detail("loadingSeconds", "Must be one of 5, 10, ... 60"))
    return found


def check_rich_menu(body: dict) -> Details:
    """Return what LINE refuses in a rich-menu object."""
    found = _sdk(RichMenuRequest, body)
    size = body.get("size") or {}
    width, height = size.get("width", 0), size.get("height", 0)
    if not (L.RICH_MENU_WIDTH[0] <= width <= L.RICH_MENU_WIDTH[1] and height >= L.RICH_MENU_MIN_HEIGHT
            and width / height >= L.RICH_MENU_MIN_RATIO):
        found.append(_detail("size", "invalid rich menu size"))
    if L.grapheme_len(body.get("chatBarText") or "") > L.RICH_MENU_CHAT_BAR_MAX:
        found.append(_detail("chatBarText", f"Length must be between 0 and {L.RICH_MENU_CHAT_BAR_MAX}"))
    if L.grapheme_len(body.get("name") or "") > L.RICH_MENU_NAME_MAX:
        found.append(_detail("name", f"Length must be between 0 and {L.RICH_MENU_NAME_MAX}"))
    areas = body.get("areas") or []
    if len(areas) > L.RICH_MENU_AREAS_MAX:
        found.append(_detail("areas", f"Size must be between 0 and {L.RICH_MENU_AREAS_MAX}"))
    for n, area in enumerate(areas):
        b = area.get("bounds") or {}
        if b.get("x", 0) + b.get("width", 0) > width or b.get("y", 0) + b.get("height", 0) > height:
            found.append(_detail(f"areas[{n}].bounds", "The area is outside the rich menu"))
        found += check_action(f"areas[{n}].action", area.get("action") or {})
    return found


def check_rich_menu_image(menu: dict, content_type: str, data: bytes) -> Details:
    """Return what LINE refuses in a rich-menu picture: JPEG or PNG, 1 MB at most, the menu's size."""
    if content_type not in {"image/jpeg", "image/png"}:
        return [_detail("Content-Type", "The content type must be image/jpeg or image/png")]
    if len(data) > L.RICH_MENU_IMAGE_BYTES:
        return [_detail("body", "The image must be 1 MB or less")]
    try:
        image = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        return [_detail("body", "The body is not an image")]
    if image.format != {"image/jpeg": "JPEG", "image/png": "PNG"}[content_type]:
        return [_detail("body", "The image does not match its content type")]
    size = menu.get("size") or {}
    if image.size != (size.get("width"), size.get("height")):
        return [_detail("body", "The image size must match the rich menu size")]
    return []
