"""The reports page of the staff console (executives and officers): make, download and look back."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from models import AuditEntry, db, server_keys, utcnow
from models.report import ArchivedReport
from staff import layout
from staff.auth import current_user, require_roles
from stats.archive import make_report
from stats.document import KIND_LABELS, MEDIA_TYPES
from config.thai import to_local
from stats.fiscal import fiscal_year_of, half, month_period, period_from_key, quarter, whole_year

bp = Blueprint("staff_reports", __name__, url_prefix="/staff/reports")
layout.install(bp)

FORMAT_LABELS = {"pdf": "PDF (บันทึกข้อความ)", "xlsx": "Excel (XLSX)", "csv": "CSV", "html": "HTML",
                 "json": "JSON", "png": "แผนภูมิ (PNG)"}
ARCHIVE_KINDS = {"complaints": KIND_LABELS["complaints"], "satisfaction": KIND_LABELS["satisfaction"],
                 "satisfaction_staff": KIND_LABELS["satisfaction"] + " (ฉบับเจ้าหน้าที่ มีข้อเสนอแนะ)",
                 "no_gift": "รายงานผลการดำเนินการตามนโยบาย No Gift Policy"}
YEARS_SHOWN = 3


def period_choices(now) -> list[tuple[int, list]]:
    """Return, per fiscal year (newest first), the periods that have begun: year, halves, quarters, months."""
    this_year = fiscal_year_of(to_local(now).date())
    choices = []
    for fy in range(this_year, this_year - YEARS_SHOWN, -1):
        periods = [whole_year(fy), half(fy, 1), half(fy, 2), *(quarter(fy, n) for n in range(1, 5)),
                   *(month_period(m) for m in whole_year(fy).months)]
        choices.append((fy, [p for p in periods if p.months[0].bounds_utc()[0] <= now]))
    return choices


@bp.get("/")
@require_roles("executive", "officer")
def index():
    """Show the report form and every archived version with its as-of time."""
    return render_template("stats/staff_reports.html", choices=period_choices(utcnow()), kinds=KIND_LABELS,
                           formats=FORMAT_LABELS, archive=ArchivedReport.listing(db.session, tuple(ARCHIVE_KINDS)),
                           archive_kinds=ARCHIVE_KINDS, period_label=lambda key: period_from_key(key).label)


@bp.post("/")
@require_roles("executive", "officer")
def make():
    """Count a report now, archive it as a new version and hand the file over."""
    kind, fmt, key = request.form.get("kind", ""), request.form.get("format", ""), request.form.get("period", "")
    now = utcnow()
    try:
        period = period_from_key(key)
    except ValueError:
        period = None
    if kind not in KIND_LABELS or fmt not in FORMAT_LABELS or period is None \
            or period.months[0].bounds_utc()[0] > now:
        flash("กรุณาเลือกรายงาน รอบเวลาที่เริ่มแล้ว และรูปแบบไฟล์ให้ครบ", "error")
        return redirect(url_for(".index"))
    # Staff see the satisfaction report with the citizens' suggestions; public pages never do.
    edition = "staff" if kind == "satisfaction" else "public"
    digits = "thai" if request.form.get("digits") == "thai" else "arabic"
    (archived,) = make_report(kind, period, now, (fmt,), edition=edition, digits=digits)
    AuditEntry.record(db.session, "report.made", staff_id=current_user().id, target_type="report",
                      target_id=archived.id, detail=archived.filename)
    return _file(archived)


@bp.get("/archive/<int:report_id>")
@require_roles("executive", "officer")
def archived(report_id: int):
    """Hand over one archived version exactly as it was made."""
    row = db.session.get(ArchivedReport, report_id)
    if row is None or row.kind not in ARCHIVE_KINDS:
        abort(404)
    AuditEntry.record(db.session, "report.download", staff_id=current_user().id, target_type="report",
                      target_id=row.id, detail=row.filename)
    return _file(row)


def _file(row: ArchivedReport) -> Response:
    return Response(row.read(server_keys().keyring), content_type=MEDIA_TYPES[row.fmt], headers={
        "Content-Disposition": f'attachment; filename="{row.filename}"', "Cache-Control": "no-store",
        "X-Report-SHA256": row.sha256})
