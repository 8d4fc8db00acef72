"""The gettext catalogues: extract the Thai source texts, merge them into the English catalogue, compile it."""
from __future__ import annotations

import re
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from flask.cli import AppGroup

from models.complaint import CHANNELS, STATUS_LABELS
from models.staff import ROLE_LABELS
from staff.i18n import TRANSLATIONS
from staff.layout import MENU
from staff import audit_words, office_profile
from staff.passwords import password_problem
from staff.signin_views import ERRORS

ROOT = TRANSLATIONS.parent
DOMAIN = "messages"
#: Where the words are: (files, extraction method, whether the console shows them in English too).
SOURCES = (
    ("staff/templates/staff/*.html", "jinja2.ext:babel_extract", True),
    ("stats/templates/stats/staff_reports.html", "jinja2.ext:babel_extract", True),
    ("staff/*.py", "python", True),
    ("intake/templates/public/*.html", "jinja2.ext:babel_extract", False),
)
#: The calls whose first argument is a Thai source text.
KEYWORDS = {"_": None, "translate": None, "flash": None, "AccountError": None, "CaseDeskError": None,
            "ProfileRefused": None, "_clean_text": (3,)}
_THAI = re.compile(r"[\u0E00-\u0E7F]")

translations_command = AppGroup("translations", help="Extract, update and compile the gettext catalogues.")


def label_texts() -> set[str]:
    """Return the console's words that live in data (menus, statuses, roles, channels, error pages)."""
    texts = {label for _, label, _ in MENU} | {text for pair in ERRORS.values() for text in pair}
    texts |= {password_problem("short"), password_problem("onlyletterslong")}
    texts |= set(STATUS_LABELS.values()) | set(ROLE_LABELS.values()) | set(CHANNELS.values())
    texts |= set(office_profile.TITLES.values()) | set(office_profile.SOURCES.values())
    texts |= set(audit_words.ACTIONS.values()) | {words for _, _, words in audit_words.DETAILS}
    return {text for text in texts if _THAI.search(text)}


def source_catalog(console_only: bool = False) -> Catalog:
    """Return every Thai source text with where it is used (the .pot); the console's alone when asked."""
    catalog = Catalog(project="Sujarit", domain=DOMAIN, fuzzy=False)
    for pattern, method, console in SOURCES:
        if console_only and not console:
            continue
        for path in sorted(ROOT.glob(pattern)):
            for lineno, message, _comments, _context in extract_from_file(method, path, keywords=KEYWORDS):
                if isinstance(message, str) and _THAI.search(message):
                    catalog.add(message, locations=[(str(path.relative_to(ROOT)), lineno)])
    for text in sorted(label_texts() - {message.id for message in catalog}):
        catalog.add(text, locations=[("models", 0)])
    return catalog


def catalogue_path(language: str, suffix: str = "po") -> Path:
    """Return the file of one language's catalogue."""
    return TRANSLATIONS / language / "LC_MESSAGES" / f"{DOMAIN}.{suffix}"


def read_catalogue(language: str) -> Catalog:
    """Read one language's .po catalogue."""
    with catalogue_path(language).open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def compile_catalogue(language: str) -> Path:
    """Write the .mo file gettext reads at run time from the .po file translators edit."""
    catalog = read_catalogue(language)
    target = catalogue_path(language, "mo")
    with target.open("wb") as handle:
        write_mo(handle, catalog)
    return target


@translations_command.command("update")
def update_command() -> None:
    """Write translations/messages.pot and merge the console's texts into the English catalogue."""
    everything = source_catalog()
    with (TRANSLATIONS / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, everything, width=100, sort_output=True)
    english = read_catalogue("en")
    english.update(source_catalog(console_only=True), no_fuzzy_matching=True)
    with catalogue_path("en").open("wb") as handle:
        write_po(handle, english, width=100, sort_output=True, ignore_obsolete=True)
    untranslated = [m.id for m in english if m.id and not m.string]
    click.echo(f"{len(untranslated)} console texts still need an English translation in {catalogue_path('en')}")


@translations_command.command("compile")
def compile_command() -> None:
    """Compile every .po catalogue into the .mo file the application reads."""
    for po in sorted(TRANSLATIONS.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        click.echo(compile_catalogue(po.parts[-3]))
