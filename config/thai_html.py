"""Thai lines in web pages: browsers break Thai by their own dictionary (Chromium cuts "ดำเนิน|การ"), so
every page marks the segmenter's words instead: each Thai word in a `white-space: nowrap` span, a `<wbr>`
between two words (config.thai.line_pieces), the text escaped piece by piece."""
from __future__ import annotations

import dataclasses
import re
from html import unescape
from typing import Iterable

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


#: Texts every visitor sees alike (the templates' own words, the office profile's names). Their marked
#: form is kept for the life of the process, so a page costs the segmenter only its visitor's own text;
#: anything else (a complainant's words, a reply) is segmented for its page and never kept.
_PUBLIC_TEXT: set[str] = set()
#: The profile's texts, longest first: a template line that names the office is public too.
_PROFILE_TEXT: list[str] = []
_marked_public: dict[str, str] = {}
#: Jinja markup, HTML tags and comments: what lies between them in a template is its own text.
_TEMPLATE_MARKUP = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}|<!--.*?-->|<[^>]*>", re.S)
_QUOTED = re.compile(r"""["']([^"'<>]*[\u0e01-\u0e5b][^"'<>]*)["']""")
#: A translated text's placeholder ("เวลาทำการ {hours}"): what surrounds it is the template's own text.
_PLACEHOLDER = re.compile(r"{[a-z_]*}")


def add_public_text(texts: Iterable[str]) -> None:
    """Let these texts' marked form be kept for the process: they read the same for every visitor."""
    _PUBLIC_TEXT.update(text.strip() for text in texts if text and _THAI.search(text))


def add_profile_text(texts: Iterable[str]) -> None:
    """Add the office profile's texts: public alone, and inside a template line that names them."""
    texts = [text.strip() for text in texts if text and text.strip()]
    add_public_text(texts)
    _PROFILE_TEXT[:] = sorted(set(_PROFILE_TEXT) | set(texts), key=len, reverse=True)


def _is_public(text: str) -> bool:
    """Return True when text is public as a whole, or is template text around the profile's texts."""
    key = text.strip()
    if key in _PUBLIC_TEXT:
        return True
    for known in _PROFILE_TEXT:
        if known in key:
            key = key.replace(known, "\0")
    parts = [part.strip() for part in key.split("\0")]
    return len(parts) > 1 and all(not part or part in _PUBLIC_TEXT or not _THAI.search(part) for part in parts)


def template_texts(sources: Iterable[str]) -> Iterable[str]:
    """Yield the Thai text of template sources: the runs between markup and the quoted strings inside it."""
    for source in sources:
        yield from _TEMPLATE_MARKUP.split(source)
        for markup in _TEMPLATE_MARKUP.finditer(source):
            for quoted in _QUOTED.findall(markup.group()):
                yield from _PLACEHOLDER.split(quoted)


def profile_texts(profile) -> Iterable[str]:
    """Yield every text of the office profile (names of the office, points, categories, aspects ...)."""
    if isinstance(profile, str):
        yield profile
    elif dataclasses.is_dataclass(profile):
        for item in dataclasses.fields(profile):
            yield from profile_texts(getattr(profile, item.name))
    elif isinstance(profile, dict):
        for value in profile.values():
            yield from profile_texts(value)
    elif isinstance(profile, (list, tuple)):
        for value in profile:
            yield from profile_texts(value)


def mark_words(text: str) -> str:
    """Return plain text as HTML whose lines break only between Thai words (text without Thai is only escaped)."""
    if not _THAI.search(text):
        return str(escape(text))
    marked = _marked_public.get(text)
    if marked is None:
        if not _is_public(text):
            return _marked(text)
        marked = _marked_public[text] = _marked(text)
    return marked


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
