"""The executive dashboard: overdue cases, processing times, this year against last, satisfaction; counts only."""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, abort, current_app, render_template, request
from sqlalchemy import func, select

from config.thai import to_local
from models import Complaint, ComplaintStatus, db, utcnow
from staff import layout
from staff.auth import require_roles
from staff.i18n import translate
from stats.complaints import complaint_table
from stats.document import Chart
from stats.fiscal import fiscal_year_of, whole_year
from stats.satisfaction import satisfaction_table

bp = Blueprint("staff_dashboard", __name__, url_prefix="/staff/dashboard", template_folder="templates")
layout.install(bp)
ROLES = ("executive", "officer", "admin")


@dataclass(frozen=True)
class ProcessingTimes:
    """How long the complaints closed in a fiscal year took, in days, against the profile's target."""

    closed: int
    mean_days: float | None
    median_days: float | None
    within_target: int
    target_days: int
    by_month: list[float | None]  # mean days of the complaints received in each month of the year, once closed


def counts_by_status() -> dict[ComplaintStatus, int]:
    """Return how many complaints stand in each status now."""
    counted = dict(db.session.execute(select(Complaint.status, func.count()).group_by(Complaint.status)).all())
    return {s: counted.get(s.value, 0) for s in ComplaintStatus}


def overdue_count(now: datetime) -> int:
    """Return how many open complaints are past their due date."""
    open_statuses = [ComplaintStatus.RECEIVED.value, ComplaintStatus.IN_PROGRESS.value]
    return db.session.scalar(select(func.count()).select_from(Complaint).where(
        Complaint.status.in_(open_statuses), Complaint.due_at < now)) or 0


def processing_times(year: int) -> ProcessingTimes:
    """Measure the days from receipt to closing of the complaints a fiscal year received."""
    period = whole_year(year)
    start, end = period.bounds_utc()
    rows = db.session.execute(select(Complaint.received_at, Complaint.closed_at).where(
        Complaint.received_at >= start, Complaint.received_at < end, Complaint.closed_at.is_not(None))).all()
    days = [(received, (closed - received).total_seconds() / 86400) for received, closed in rows]
    target = current_app.config["PROFILE"].processing_days
    per_month: dict[str, list[float]] = {}
    for received, taken in days:
        per_month.setdefault(f"{to_local(received):%Y-%m}", []).append(taken)
    by_month = [statistics.fmean(per_month[m.iso()]) if m.iso() in per_month else None for m in period.months]
    taken = [t for _, t in days]
    return ProcessingTimes(len(taken), statistics.fmean(taken) if taken else None,
                           statistics.median(taken) if taken else None, sum(1 for t in taken if t <= target),
                           target, by_month)


def _year_arg() -> tuple[int, int]:
    this_year = fiscal_year_of(to_local(utcnow()).date())
    year = request.args.get("year", type=int) or this_year
    return (year if this_year - 10 <= year <= this_year else this_year), this_year


def _chart(name: str, year: int) -> Chart:
    now = utcnow()
    months = [m.label_short() for m in whole_year(year).months]
    if name == "received":
        this, last = complaint_table(whole_year(year), now), complaint_table(whole_year(year - 1), now)
        def counts(table):
            return [m.received for m in table.months] + [0] * (12 - len(table.months))
        return Chart(translate("เรื่องร้องเรียนที่รับ ปีงบประมาณ {year} เทียบกับปีก่อน", year=year), months,
                     {translate("ปีงบประมาณ {year}", year=year - 1): counts(last),
                      translate("ปีงบประมาณ {year}", year=year): counts(this)}, translate("จำนวนเรื่อง"))
    if name == "processing":
        times = processing_times(year)
        return Chart(translate("ระยะเวลาดำเนินการเฉลี่ย (วัน) ตามเดือนที่รับเรื่อง"), months,
                     {translate("วัน"): [round(d, 2) if d is not None else 0 for d in times.by_month]},
                     translate("วัน"))
    if name == "satisfaction":
        table = satisfaction_table(whole_year(year), now)
        scores = [line.scores.mean or 0 for line in table.by_month] + [0] * (12 - len(table.by_month))
        return Chart(translate("คะแนนความพึงพอใจเฉลี่ยรายเดือน (เต็ม 5)"), months,
                     {translate("คะแนนเฉลี่ย"): [round(s, 2) for s in scores]}, translate("คะแนน"), y_max=5)
    abort(404)


@bp.route("/")
@require_roles(*ROLES)
def index():
    """Show what needs attention and how the office is doing; never any content."""
    now = utcnow()
    year, this_year = _year_arg()
    return render_template("staff/dashboard.html", by_status=counts_by_status(), overdue=overdue_count(now),
                           table=complaint_table(whole_year(year), now), last_year=complaint_table(whole_year(year - 1), now),
                           times=processing_times(year), satisfaction=satisfaction_table(whole_year(year), now),
                           year=year, years=range(this_year, this_year - 5, -1))


@bp.route("/chart")
@require_roles(*ROLES)
def chart():
    """Draw one of the dashboard's charts as a PNG (server-side: the page runs no script)."""
    # matplotlib loads on the first chart, not at start-up: the worker and clock processes never draw.
    from stats.render.chart import render_png

    year, _ = _year_arg()
    png = render_png(_chart(request.args.get("name", "received"), year), width=8, height=3.6, dpi=110)
    return current_app.response_class(png, mimetype="image/png", headers={"Cache-Control": "private, max-age=300"})
