"""Thai lines in web pages: browsers break Thai by their own dictionary (Chromium cuts "ดำเนิน|การ"), so
every page marks the segmenter's words instead: each Thai word in a `white-space: nowrap` span, a `<wbr>`
between two words (config.thai.line_pieces), the text escaped piece by piece."""
from __future__ import annotations

import re
from html import unescape

from markupsafe import Markup, escape

from config.thai import line_pieces

#: The class of a kept-whole word; every stylesheet (and the standalone report file) says `.w{white-space:nowrap}`.
WORD_CLASS = "w"
_WORD_OPEN = f'<span class="{WORD_CLASS}">'
_RUN_OPEN = '<span class="t">'
_THAI = re.compile("[\u0e01-\u0e5b]")
#: A tag (quoted attribute values may hold ">"), or a comment.
_TAG = re.compile(r"""<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:[^>"']|"[^"]*"|'[^']*')*>""", re.S)
#: Elements whose text is left as it is: text-only elements, form values, and words already kept whole.
_LEAVE = {"script", "style", "title", "textarea", "option", "pre", "code"}


def _marked(text: str) -> str:
    pieces = line_pieces(text)
    out = []
    for i, piece in enumerate(pieces):
        if piece.isspace():
            out.append(str(escape(piece)))
            continue
        if i and not pieces[i - 1].isspace():
            out.append("<wbr>")
        # One Thai letter (or none) has nothing inside to break.
        kept = len(piece) > 1 and _THAI.search(piece)
        out.append(f"{_WORD_OPEN}{escape(piece)}</span>" if kept else str(escape(piece)))
    # One span around the run keeps it one flex or grid item, as the bare text was: a label laid out as a flex
    # row would otherwise set its words side by side, one item each, and never wrap them.
    return f"{_RUN_OPEN}{''.join(out)}</span>" if len(pieces) > 1 else "".join(out)


def mark_words(text: str) -> str:
    """Return plain text as HTML whose lines break only between Thai words (text without Thai is only escaped)."""
    return _marked(text) if _THAI.search(text) else str(escape(text))


def thai_wrap(value) -> Markup:
    """Jinja filter: escape text and mark its Thai words; given HTML (Markup), mark the text between its tags."""
    if not hasattr(value, "__html__"):
        return Markup(mark_words(str(value)))
    html = str(value.__html__())
    if not _THAI.search(html):
        return Markup(html)
    out, at, leave = [], 0, []
    for tag in _TAG.finditer(html):
        text = html[at:tag.start()]
        out.append(mark_words(unescape(text)) if text and not leave else text)
        out.append(tag.group())
        closing, name = tag.group(1), (tag.group(2) or "").lower()
        if tag.group().startswith((_WORD_OPEN, _RUN_OPEN)) or name in _LEAVE and not closing:
            leave.append(name)
        elif closing and leave and leave[-1] == name:
            leave.pop()
        at = tag.end()
    text = html[at:]
    out.append(mark_words(unescape(text)) if text and not leave else text)
    return Markup("".join(out))
