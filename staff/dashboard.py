"""The executive dashboard: complaint counts by status and by month, from plain metadata only."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import func, select

from models import Complaint, ComplaintStatus, db, utcnow
from staff import layout
from staff.auth import require_roles
from stats.complaints import complaint_table
from stats.feedback import feedback_counts
from config.thai import to_local
from stats.fiscal import fiscal_year_of, whole_year

bp = Blueprint("staff_dashboard", __name__, url_prefix="/staff/dashboard", template_folder="templates")
layout.install(bp)


def counts_by_status() -> dict[ComplaintStatus, int]:
    """Return how many complaints stand in each status now."""
    counted = dict(db.session.execute(select(Complaint.status, func.count()).group_by(Complaint.status)).all())
    return {s: counted.get(s.value, 0) for s in ComplaintStatus}


@bp.route("/")
@require_roles("executive", "officer", "admin")
def index():
    """Show counts by status and the current fiscal year's months; never any content."""
    now = utcnow()
    this_year = fiscal_year_of(to_local(now).date())
    year = request.args.get("year", type=int) or this_year
    year = year if this_year - 10 <= year <= this_year else this_year
    table = complaint_table(whole_year(year), now)
    return render_template("staff/dashboard.html", by_status=counts_by_status(), table=table, year=year,
                           years=range(this_year, this_year - 5, -1), feedback=feedback_counts(whole_year(year)))
