"""/transparency: the public ITA evidence page the office links from its main website."""
from __future__ import annotations

import base64
import hashlib
import io
import re
import threading
from dataclasses import dataclass
from datetime import datetime

import qrcode
from flask import Blueprint, Response, abort, current_app, render_template
from sqlalchemy import func, select

from models import ActivityPhoto, db, server_keys, utcnow
from models.report import ArchivedReport
from stats import nogift
from stats.archive import period_end, published
from stats.document import FORMATS, MEDIA_TYPES, Report, build_report
from config.thai import thai_date, to_local
from stats.fiscal import Period, fiscal_year_of, half, month_period, period_from_key, quarter, whole_year
from stats.render import render

bp = Blueprint("transparency", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/stats")
PUBLIC_KINDS = ("complaints", "satisfaction")
#: Fiscal years (this one and the one before) whose files are counted on request when none is archived;
#: older years are served from the archive only, so anonymous requests cannot make old reports at will.
LIVE_YEARS = 2
#: Download formats offered per month on the page.
DOWNLOADS = ("pdf", "xlsx", "csv", "html")
_FILE = re.compile(r"^(complaints|satisfaction)-(\d{4}(?:-(?:\d{2}|Q[1-4]|H[12]))?)\.([a-z]+)$")


@dataclass
class YearView:
    """One fiscal year on the page: its tables (as of now, or of its end), ITA labels and downloads."""

    fiscal_year: int
    complaints: Report
    satisfaction: Report
    months: list[tuple[Period, str]]  # each begun month and its file's standing (final, or "ข้อมูล ณ …")
    rounds: list[tuple[Period, str]]


_cache_lock = threading.Lock()
#: How long a cached page stands for the current month's live counts; a new archived report replaces it at once.
CACHE_SECONDS = 300


@bp.get("/transparency")
def page():
    """Show the complaint guideline and channel, this and last year's statistics side by side with their ITA
    labels, earlier years from the archive, No Gift files and the EIT QR code."""
    now = utcnow()
    fiscal_year = fiscal_year_of(to_local(now).date())
    key = (db.session.scalar(select(func.max(ArchivedReport.id))) or 0, fiscal_year)
    # Rendered pages of this app by (newest archived report id, fiscal year), each with when it was made.
    cache = current_app.extensions.setdefault("sujarit.transparency_cache", {})
    with _cache_lock:
        cached = cache.get(key)
    if cached and (now - cached[1]).total_seconds() < CACHE_SECONDS:
        return cached[0]
    years = [_year_view(fy, now) for fy in range(fiscal_year, fiscal_year - LIVE_YEARS, -1)]
    html = render_template("stats/transparency.html", fiscal_year=fiscal_year, years=years, downloads=DOWNLOADS,
                           no_gift=nogift.public_files(fiscal_year), activities=nogift.activities_of(fiscal_year),
                           slogan=nogift.SLOGAN, earlier=_earlier_years(fiscal_year - LIVE_YEARS), now=now,
                           labels=lambda topic, fy: current_app.config["PROFILE"].assessing(topic, fy))
    with _cache_lock:
        cache.clear()  # only the newest key is ever asked for again
        cache[key] = (html, now)
    return html


def _year_view(fiscal_year: int, now: datetime) -> YearView:
    year = whole_year(fiscal_year)
    as_of = min(now, year.bounds_utc()[1])
    begun = [p for p in (*(month_period(m) for m in year.months), *(quarter(fiscal_year, n) for n in range(1, 5)),
                         half(fiscal_year, 1), half(fiscal_year, 2), year) if p.bounds_utc()[0] <= now]
    standing = {p.key: ("ฉบับสิ้นรอบ" if now >= p.bounds_utc()[1] else f"ข้อมูล ณ {thai_date(now, with_time=True)}")
                for p in begun}
    return YearView(fiscal_year, build_report("complaints", year, as_of), build_report("satisfaction", year, as_of),
                    [(p, standing[p.key]) for p in begun if p.kind == "month"],
                    [(p, standing[p.key]) for p in begun if p.kind != "month"])


def _earlier_years(before: int) -> dict[int, list[ArchivedReport]]:
    """Return the published end-of-period files of fiscal years before `before`, from the archive."""
    rows = ArchivedReport.listing(db.session, PUBLIC_KINDS, limit=5000)
    chosen: dict[tuple[str, str, str], ArchivedReport] = {}
    for row in rows:
        period = period_from_key(row.period)
        if period.fiscal_year >= before or row.as_of < period.bounds_utc()[1] or row.fmt not in DOWNLOADS:
            continue
        chosen.setdefault((row.kind, row.period, row.fmt), row)  # newest first: the published version
    years: dict[int, list[ArchivedReport]] = {}
    for (_, key, _), row in sorted(chosen.items()):
        years.setdefault(period_from_key(key).fiscal_year, []).append(row)
    return dict(sorted(years.items(), reverse=True))


@bp.get("/transparency/files/<name>")
def download(name: str):
    """Hand out a report file: a finished period's end-of-period version, or its current count mid-period."""
    match = _FILE.match(name)
    if not match:
        abort(404)
    kind, key, fmt = match.groups()
    if fmt not in FORMATS:
        abort(404)
    try:
        period = period_from_key(key)
    except ValueError:
        abort(404)
    now = utcnow()
    if period.months[0].bounds_utc()[0] > now:
        abort(404)
    archived = published(kind, period, fmt, now)
    if archived is not None:
        data = archived.read(server_keys().keyring)
    elif period.fiscal_year >= fiscal_year_of(to_local(now).date()) - LIVE_YEARS + 1:
        # Not archived yet: a finished period is counted as of its end, exactly as its final version will be.
        data = render(build_report(kind, period, min(now, period_end(period))), fmt)
    else:
        abort(404)
    return _file_response(data, name, fmt)


@bp.get("/transparency/activity-photo/<int:photo_id>")
def activity_photo(photo_id: int):
    """Hand out an activity photo the office chose to publish."""
    photo = db.session.get(ActivityPhoto, photo_id)
    if photo is None or not photo.public:
        abort(404)
    return Response(photo.data, mimetype=photo.media_type, headers={"Cache-Control": "public, max-age=3600"})


@bp.get("/transparency/eit-qr.png")
def eit_qr():
    """Return the NACC EIT survey link as a QR code image."""
    link = current_app.config["PROFILE"].links.get("eit_survey")
    if not link:
        abort(404)
    out = io.BytesIO()
    qrcode.make(link, box_size=8, border=2).save(out, format="PNG")
    return Response(out.getvalue(), mimetype="image/png", headers={"Cache-Control": "public, max-age=3600"})


def _file_response(data: bytes, filename: str, fmt: str) -> Response:
    disposition = "inline" if fmt in ("pdf", "html", "png") else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{filename}"', "Cache-Control": "no-cache"}
    if fmt == "html":
        # The report page is a self-contained file with its own <style>: allow exactly that block, nothing else.
        style = re.search(rb"<style>(.*?)</style>", data, re.S)
        digest = base64.b64encode(hashlib.sha256(style.group(1) if style else b"").digest()).decode()
        headers["Content-Security-Policy"] = current_app.config["CONTENT_SECURITY_POLICY"].replace(
            "style-src 'self'", f"style-src 'self' 'sha256-{digest}'")
    return Response(data, content_type=MEDIA_TYPES[fmt], headers=headers)


def file_name(kind: str, period: Period, fmt: str) -> str:
    """Return the public file name of a report."""
    return f"{kind}-{period.key}.{fmt}"


@bp.app_template_global("report_file")
def report_file(kind: str, period: Period, fmt: str) -> str:
    """Return the URL of a public report file."""
    from flask import url_for

    return url_for("transparency.download", name=file_name(kind, period, fmt))


@bp.get("/transparency/archive/<int:report_id>")
def download_archived(report_id: int):
    """Hand out one archived public version exactly as it was made."""
    archived = db.session.get(ArchivedReport, report_id)
    if archived is None or archived.confidential or archived.kind not in (*PUBLIC_KINDS, *nogift.PUBLIC_FILES):
        abort(404)
    return _file_response(archived.read(server_keys().keyring), archived.filename, archived.fmt)


@bp.app_template_filter("thai_day")
def thai_day(day) -> str:
    """Format a date in Thai in the Buddhist Era."""
    return thai_date(day)


@bp.app_template_filter("thai_datetime")
def thai_datetime(instant) -> str:
    """Format an instant as a Thai date and time in the Buddhist Era."""
    return thai_date(instant, with_time=True)
