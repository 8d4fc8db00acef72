"""Making reports and keeping every version: rendered once, archived with its as-of time and SHA-256."""
from __future__ import annotations

from datetime import datetime

from models import db, server_keys
from models.report import ArchivedReport
from stats.document import build_report
from stats.fiscal import Period
from stats.render import render

#: The formats the clock archives for every period (HTML and PNG are made on request).
ARCHIVED_FORMATS = ("pdf", "xlsx", "csv", "json")


def make_report(kind: str, period: Period, as_of: datetime, formats: tuple[str, ...] = ARCHIVED_FORMATS,
                edition: str = "public", digits: str = "arabic") -> list[ArchivedReport]:
    """Count once, render each format, and archive each file as a new version."""
    report = build_report(kind, period, as_of, edition, digits)
    keyring = server_keys().keyring if edition == "staff" else None
    return [ArchivedReport.add(db.session, kind=report.archive_kind, period=period.key, fmt=fmt, as_of=as_of,
                               filename=report.filename(fmt), data=render(report, fmt), keyring=keyring)
            for fmt in formats]


def ensure_report(kind: str, period: Period, as_of: datetime) -> list[ArchivedReport]:
    """Make the period's report unless a version is archived already; return what was made."""
    if ArchivedReport.exists(db.session, kind, period.key):
        return []
    return make_report(kind, period, as_of)
