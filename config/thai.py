"""Thai conventions every surface shares: Bangkok time, the Buddhist Era, Thai months and digits, Sarabun."""
from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import fontpkg_sarabun
from pythainlp.tokenize import word_tokenize

BANGKOK = ZoneInfo("Asia/Bangkok")
BE_OFFSET = 543
MONTHS_FULL = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
               "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


#: Digits written against Latin letters are part of a code ("O29", "A4") and stay as written.
_NUMBER = re.compile(r"(?<![A-Za-z0-9])[0-9]+(?![A-Za-z])")


def thai_digits(text: object) -> str:
    """Write Arabic digits as Thai digits, except inside codes such as the ITA indicator "O29"."""
    return _NUMBER.sub(lambda m: m.group().translate(_THAI_DIGITS), str(text))


def be_year(ce_year: int) -> int:
    """Return the Buddhist-Era year of a Common-Era year."""
    return ce_year + BE_OFFSET


def to_local(instant: datetime) -> datetime:
    """Return an aware instant in Bangkok time."""
    return instant.astimezone(BANGKOK)


def thai_date(instant: datetime | date, digits: str = "arabic", with_time: bool = False) -> str:
    """Return "22 พฤศจิกายน 2569" (Bangkok time), optionally with "เวลา 10.30 น."."""
    local = to_local(instant) if isinstance(instant, datetime) else instant
    text = f"{local.day} {MONTHS_FULL[local.month - 1]} {be_year(local.year)}"
    if with_time and isinstance(local, datetime):
        text += f" เวลา {local.hour:02d}.{local.minute:02d} น."
    return thai_digits(text) if digits == "thai" else text


def parse_be_date(text: str) -> date | None:
    """Read a day typed as staff write it, "24/11/2569" (Buddhist Era), or as ISO "2026-11-24"; None if neither."""
    text = (text or "").strip()
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return date(year - BE_OFFSET if year > 2400 else year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        return None


def be_day(day: date | None) -> str:
    """Write a day as "24/11/2569" (Buddhist Era), the form staff type it in."""
    return f"{day.day}/{day.month}/{be_year(day.year)}" if day else ""


_FONT_FILES = Path(fontpkg_sarabun.ROOT) / "files"
#: Sarabun (SIL Open Font License), the Thai government's standard typeface, from the fontpkg-sarabun package.
FONT_REGULAR = _FONT_FILES / "Sarabun-Regular.ttf"
FONT_BOLD = _FONT_FILES / "Sarabun-Bold.ttf"


def thai_words(text: str) -> list[str]:
    """Split text into words, Thai by PyThaiNLP's dictionary segmenter (newmm), keeping spaces as pieces."""
    # Thai has no spaces between words: every surface that breaks or cuts a line must do it between these pieces.
    return word_tokenize(text, engine="newmm", keep_whitespace=True) if text else []


#: A line never breaks right after an opening bracket or quote, nor right before closing punctuation: "(คน)" stays whole.
_OPENING, _CLOSING = "([“‘", ")]”’,.:;!?"


def line_pieces(text: str) -> tuple[str, ...]:
    """Split text into the pieces a line may break between: words (with the brackets and punctuation they
    hold on to) and runs of whitespace."""
    # Not cached across calls: the text may be a complainant's, which must not outlive the page or file it is in.
    pieces: list[str] = []
    for word in thai_words(text):
        before = pieces[-1] if pieces else ""
        if before and not before.isspace() and not word.isspace() and (before[-1] in _OPENING or word[0] in _CLOSING):
            pieces[-1] = before + word
        else:
            pieces.append(word)
    return tuple(pieces)
