"""What LINE accepts: the Messaging API's documented limits, how LINE counts characters, and cuts that fit.

Sources, cited per limit below:
  [spec] line/line-openapi, messaging-api.yml (the schema named);
  [ref]  the Messaging API reference, https://developers.line.biz/en/reference/messaging-api/ (the anchor named);
  [count] https://developers.line.biz/en/docs/messaging-api/text-character-count/ : texts count in UTF-16
          code units; action labels, postback displayText and message-action text count in grapheme clusters.
"""
from __future__ import annotations

import regex

from config.thai import line_pieces

#: [spec] ReplyMessageRequest / PushMessageRequest `messages`: maxItems 5 (and at least one) [ref #send-reply-message].
MAX_MESSAGES = 5
#: [ref #text-message] text: "Max character limit: 5000", counted in UTF-16 code units [count].
TEXT_MAX = 5000
#: [spec] QuickReply.items: maxItems 13 [ref #items-object].
QUICK_REPLY_ITEMS = 13
#: [ref #action-objects] label: max 20 characters (graphemes [count]) in quick replies and templates ...
ACTION_LABEL_MAX = 20
#: [ref #f-button] ... and max 40 for the action of a Flex button.
FLEX_BUTTON_LABEL_MAX = 40
#: [ref #postback-action] data: max 300 characters; displayText: max 300 (graphemes [count]).
POSTBACK_DATA_MAX = 300
DISPLAY_TEXT_MAX = 300
#: [ref #message-action] text: max 300 (graphemes [count]).
MESSAGE_TEXT_MAX = 300
#: [ref #uri-action] uri: max 1000 characters; schemes http, https, line, tel.
URI_MAX = 1000
URI_SCHEMES = ("http", "https", "line", "tel")
#: [ref #flex-message] altText: max 1500 characters.
ALT_TEXT_MAX = 1500
#: [ref #f-bubble] "The maximum size of JSON data that defines a bubble is 30 KB."
BUBBLE_BYTES_MAX = 30 * 1024
#: [ref #f-carousel] max 12 bubbles; "The maximum size of JSON data that defines a carousel is 50 KB."
CAROUSEL_BUBBLES_MAX = 12
CAROUSEL_BYTES_MAX = 50 * 1024
#: [spec] X-Line-Retry-Key: format uuid ("123e4567-e89b-12d3-a456-426614174000") [ref #retry-api-request].
RETRY_KEY_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
#: [ref #send-push-message] to: a user id (U), group id (C) or room id (R), each followed by 32 hex digits.
TO_PATTERN = r"^[UCR][0-9a-f]{32}$"
#: [ref #display-a-loading-indicator] loadingSeconds: 5 to 60 in steps of 5; chatId: a user id only.
LOADING_SECONDS = tuple(range(5, 61, 5))
#: [spec] RichMenuRequest: chatBarText maxLength 14, name maxLength 300; RichMenuResponse.areas maxItems 20.
RICH_MENU_CHAT_BAR_MAX = 14
RICH_MENU_NAME_MAX = 300
RICH_MENU_AREAS_MAX = 20
#: [ref #rich-menu-object / #upload-rich-menu-image] width 800-2500 px, height at least 250 px,
#: width/height at least 1.45; the image JPEG or PNG, at most 1 MB, as large as the menu.
RICH_MENU_WIDTH = (800, 2500)
RICH_MENU_MIN_HEIGHT = 250
RICH_MENU_MIN_RATIO = 1.45
RICH_MENU_IMAGE_BYTES = 1024 * 1024
#: [ref #reply-token] a reply token can be used once, within about a minute of the event.
REPLY_TOKEN_SECONDS = 60

ELLIPSIS = "…"
_GRAPHEME = regex.compile(r"\X")


def utf16_len(text: str) -> int:
    """Return the length LINE counts for a text: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def grapheme_len(text: str) -> int:
    """Return the length LINE counts for a label: grapheme clusters."""
    return len(_GRAPHEME.findall(text))


def _cut(text: str, limit: int, measure) -> str:
    if measure(text) <= limit:
        return text
    room = limit - measure(ELLIPSIS)
    kept, used = [], 0
    for word in line_pieces(text):
        size = measure(word)
        if used + size > room:
            if not kept:  # one word longer than the room: cut it between graphemes
                for grapheme in _GRAPHEME.findall(word):
                    if used + measure(grapheme) > room:
                        break
                    kept.append(grapheme)
                    used += measure(grapheme)
            break
        kept.append(word)
        used += size
    return "".join(kept).rstrip() + ELLIPSIS


def fit_text(text: str, limit: int = TEXT_MAX) -> str:
    """Return the text cut at a word boundary so it is at most `limit` UTF-16 units, ending in "…" when cut."""
    return _cut(text, limit, utf16_len)


def fit_label(text: str, limit: int = ACTION_LABEL_MAX) -> str:
    """Return a label cut at a word (else grapheme) boundary to at most `limit` graphemes, "…" when cut."""
    return _cut(text, limit, grapheme_len)
