"""The feedback inbox's pages: thin routes over staff.feedback_inbox."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from intake.feedback import TOPICS
from models import CHANNELS, utcnow
from staff import feedback_inbox, layout
from staff.auth import current_user, require_roles
from staff.casedesk import CaseDeskError
from staff.i18n import translate
from config.thai import to_local
from stats.feedback import feedback_counts
from stats.fiscal import fiscal_year_of, whole_year

bp = Blueprint("staff_feedback", __name__, url_prefix="/staff/feedback", template_folder="templates")
layout.install(bp)
ROLES = ("officer", "admin")


def _item_or_404(feedback_id: str):
    item = feedback_inbox.find(feedback_id)
    if item is None:
        abort(404)
    return item


@bp.route("/")
@require_roles(*ROLES)
def index():
    """List feedback, open first, with this fiscal year's counts."""
    filters = feedback_inbox.InboxFilters.from_args(request.args)
    inbox = feedback_inbox.list_feedback(current_user(), filters)
    year = fiscal_year_of(to_local(utcnow()).date())
    profile = current_app.config["PROFILE"]
    return render_template("staff/feedback.html", inbox=inbox, filters=filters, topics=TOPICS, channels=CHANNELS,
                           divisions=profile.divisions, division_name=profile.division_name, year=year,
                           counts=feedback_counts(whole_year(year)))


@bp.route("/<feedback_id>")
@require_roles(*ROLES)
def show(feedback_id: str):
    """Read one piece of feedback, decrypted for this request."""
    item = _item_or_404(feedback_id)
    text, contact = feedback_inbox.read(current_user(), item)
    profile = current_app.config["PROFILE"]
    return render_template("staff/feedback_item.html", item=item, text=text, contact=contact, topics=TOPICS,
                           channels=CHANNELS, divisions=profile.divisions, division_name=profile.division_name)


@bp.route("/<feedback_id>/route", methods=["POST"])
@require_roles(*ROLES)
def route(feedback_id: str):
    """Send the feedback to a division."""
    item = _item_or_404(feedback_id)
    try:
        feedback_inbox.route(current_user(), item, request.form.get("division", ""))
    except CaseDeskError as exc:
        flash(translate(exc.message, **exc.values), "error")
    else:
        flash(translate("ส่งต่อหน่วยงานแล้ว"), "success")
    return redirect(url_for("staff_feedback.show", feedback_id=feedback_id))


@bp.route("/<feedback_id>/handled", methods=["POST"])
@require_roles(*ROLES)
def handled(feedback_id: str):
    """Mark the feedback handled, or open it again."""
    item = _item_or_404(feedback_id)
    done = request.form.get("handled") == "1"
    feedback_inbox.mark_handled(current_user(), item, done)
    flash(translate("บันทึกว่าดำเนินการแล้ว") if done else translate("เปิดเรื่องอีกครั้งแล้ว"), "success")
    return redirect(url_for("staff_feedback.show", feedback_id=feedback_id))
