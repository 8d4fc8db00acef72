"""Making reports and keeping every version: rendered once, archived with its as-of time and SHA-256.

A period's end-of-period version is the one counted as of the period's end (its as_of is that instant,
whenever it is made); it is the version published and delivered, whatever ad-hoc versions exist.
"""
from __future__ import annotations

from datetime import datetime

from config.thai import thai_date
from models import db, server_keys, utcnow
from models.report import ArchivedReport
from stats.complaints import recorded_late
from stats.document import Report, build_report
from stats.fiscal import Period
from stats.render import render

#: The formats the clock archives for every period (HTML and PNG are made on request).
ARCHIVED_FORMATS = ("pdf", "xlsx", "csv", "json")


def period_end(period: Period) -> datetime:
    """Return the instant an end-of-period report counts to: midnight after the period's last day, Bangkok."""
    return period.bounds_utc()[1]


def make_report(kind: str, period: Period, as_of: datetime, formats: tuple[str, ...] = ARCHIVED_FORMATS,
                edition: str = "public", digits: str = "arabic", analysis: str | None = None) -> list[ArchivedReport]:
    """Count once, render each format, and archive each file as a new version."""
    report = build_report(kind, period, as_of, edition, digits)
    if analysis and analysis.strip():
        report.with_analysis(analysis)
    _say_what_came_late(report)
    keyring = server_keys().keyring if edition == "staff" else None
    return [ArchivedReport.add(db.session, kind=report.archive_kind, period=period.key, fmt=fmt, as_of=as_of,
                               filename=report.filename(fmt), data=render(report, fmt), keyring=keyring)
            for fmt in formats]


def _say_what_came_late(report: Report) -> None:
    """Name, in a remade report, the records dated inside it that were written after the earlier version."""
    if report.kind != "complaints":
        return
    earlier = ArchivedReport.latest(db.session, report.archive_kind, report.period.key, as_of_from=report.as_of)
    if earlier is None:
        return
    late = recorded_late(report.period, report.as_of, since=earlier.created_at)
    if late:
        note = (f"ฉบับนี้มีข้อมูลที่บันทึกย้อนหลัง {late} รายการ หลังจากจัดทำฉบับที่ {earlier.version} "
                f"เมื่อ {thai_date(earlier.created_at, with_time=True)} ตัวเลขจึงต่างจากฉบับนั้น")
        report.remarks.append(note)
        report.data["late_records"] = late


def ensure_report(kind: str, period: Period) -> list[ArchivedReport]:
    """Make the period's end-of-period report unless one is archived already; return what was made."""
    end = period_end(period)
    if ArchivedReport.latest(db.session, kind, period.key, as_of_from=end) is not None:
        return []
    return make_report(kind, period, end)


def published(kind: str, period: Period, fmt: str, now: datetime | None = None) -> ArchivedReport | None:
    """Return the version the public gets: the newest end-of-period one once the period is over."""
    now = now or utcnow()
    end = period_end(period)
    if now < end:
        return None
    return ArchivedReport.latest(db.session, kind, period.key, fmt, as_of_from=end)
