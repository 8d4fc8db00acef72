"""The console's words: gettext catalogues through Flask-Babel, Thai the source language, English by choice."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import Flask, request
from flask_babel import Babel, gettext, refresh

from staff.auth import current_user
from config.thai import thai_date, to_local

LANGUAGES = {"th": "ไทย", "en": "English"}
LANGUAGE_COOKIE = "staff_lang"
TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"


def current_language() -> str:
    """Return the language the console speaks to this user: their choice, else the cookie, else Thai."""
    user = current_user()
    if user is not None and user.language in LANGUAGES:
        return user.language
    chosen = request.cookies.get(LANGUAGE_COOKIE, "th")
    return chosen if chosen in LANGUAGES else "th"


def select_locale() -> str:
    """Speak the staff member's language in the console and Thai on every citizen page."""
    return current_language() if request.path.startswith("/staff") else "th"


def translate(text: str, **values) -> str:
    """Return a Thai source text in this request's language, with {names} filled in."""
    if not text:
        return text  # gettext("") is the catalogue's header, not an empty text
    text = gettext(text)
    return text.format(**values) if values else text


def datetime_in(language: str, instant: datetime | None) -> str:
    """Return a timestamp as staff read it: Buddhist-Era Thai, or ISO in Bangkok time in English."""
    if instant is None:
        return "–"
    if language == "en":
        return to_local(instant).strftime("%Y-%m-%d %H:%M")
    return thai_date(instant, with_time=True)


def init_app(app: Flask) -> None:
    """Load the catalogues and let every template say `_("ข้อความ", name=value)`."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, default_locale="th", locale_selector=select_locale)
    # Flask-Babel caches the locale in `g`, which outlives a request when an app context is kept open.
    app.before_request(refresh)
    # The {name} placeholders of the Thai source texts, not gettext's %(name)s, in templates too.
    app.jinja_env.globals["_"] = translate
