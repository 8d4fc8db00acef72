"""/transparency: the public ITA evidence page the office links from its main website."""
from __future__ import annotations

import base64
import hashlib
import io
import re

import qrcode
from flask import Blueprint, Response, abort, current_app, render_template
from sqlalchemy import select

from models import db, server_keys, utcnow
from models.report import ArchivedReport
from stats.document import FORMATS, MEDIA_TYPES, build_report
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


@bp.get("/transparency")
def page():
    """Show the complaint guideline and channel, this year's statistics, No Gift files and the EIT QR code."""
    now = utcnow()
    fiscal_year = fiscal_year_of(to_local(now).date())
    complaints = build_report("complaints", whole_year(fiscal_year), now)
    satisfaction = build_report("satisfaction", whole_year(fiscal_year), now)
    months = [month_period(row_month) for row_month in whole_year(fiscal_year).months
              if row_month.bounds_utc()[0] <= now]
    no_gift = list(db.session.scalars(select(ArchivedReport).where(ArchivedReport.kind == "no_gift")
                                      .order_by(ArchivedReport.created_at.desc()).limit(50)))
    return render_template("stats/transparency.html", fiscal_year=fiscal_year, complaints=complaints,
                           satisfaction=satisfaction, months=months, downloads=DOWNLOADS, no_gift=no_gift,
                           rounds=[p for p in (*(quarter(fiscal_year, n) for n in range(1, 5)), half(fiscal_year, 1),
                                               half(fiscal_year, 2), whole_year(fiscal_year))
                                   if p.months[0].bounds_utc()[0] <= now])


@bp.get("/transparency/files/<name>")
def download(name: str):
    """Hand out a report file: the archived version when there is one, else counted now."""
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
    archived = ArchivedReport.latest(db.session, kind, period.key, fmt)
    if archived is not None:
        data = archived.read(server_keys().keyring)
    elif period.fiscal_year >= fiscal_year_of(to_local(now).date()) - LIVE_YEARS + 1:
        data = render(build_report(kind, period, now), fmt)
    else:
        abort(404)
    return _file_response(data, name, fmt)


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
    if archived is None or archived.confidential or archived.kind not in (*PUBLIC_KINDS, "no_gift"):
        abort(404)
    return _file_response(archived.read(server_keys().keyring), archived.filename, archived.fmt)


@bp.app_template_filter("thai_datetime")
def thai_datetime(instant) -> str:
    """Format an instant as a Thai date and time in the Buddhist Era."""
    return thai_date(instant, with_time=True)
