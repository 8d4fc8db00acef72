"""Every staff member's No Gift page: acknowledge, answer the check-in, report a gift, link LINE; the register."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from intake import gifts, staff_line
from intake.errors import IntakeError
from models import GiftError, db, utcnow
from config.thai import thai_date
from models.gifts import CHECKIN_ANSWERS, DECISIONS, GIVER_KINDS, OCCASIONS, OUTCOMES
from staff import layout
from staff.auth import current_user, require_roles, require_signed_in
from staff.i18n import translate
from stats.fiscal import Month

bp = Blueprint("staff_gifts", __name__, url_prefix="/staff/gifts", template_folder="templates")
layout.install(bp)
LABELS = {"occasions": OCCASIONS, "giver_kinds": GIVER_KINDS, "outcomes": OUTCOMES, "decisions": DECISIONS}


def words() -> dict:
    """Return the date and month wording the No Gift pages use."""
    return {"thai_day": thai_date, "month_label": lambda key: Month.parse(key).label_full(),
            "checkin_answers": CHECKIN_ANSWERS}


bp.context_processor(words)


def duties() -> dict:
    """Return what the signed-in staff member has to do: the declaration to acknowledge, the check-in to answer."""
    user = current_user()
    declaration = gifts.current_declaration()
    month = gifts.month_asked(utcnow())
    return {"declaration": declaration,
            "acknowledged": declaration is not None and gifts.has_acknowledged(user, declaration),
            "checkin_month": month, "checkin": gifts.checkin_answer(user, month)}


@bp.route("/", methods=["GET", "POST"])
@require_signed_in
def index():
    """Show the staff member's duties, the gift report form and their own reports; take a new report."""
    user, errors = current_user(), {}
    if request.method == "POST":
        form = request.form
        try:
            gift = gifts.report_gift(user, received_on=form.get("received_on"), occasion=form.get("occasion", ""),
                                     giver_kind=form.get("giver_kind", ""), giver_name=form.get("giver_name", ""),
                                     description=form.get("description", ""), value_baht=form.get("value_baht"),
                                     outcome=form.get("outcome", ""), channel="web")
        except IntakeError as exc:
            errors = exc.errors
        else:
            flash(translate("บันทึกรายงานแล้ว ส่งให้ผู้บริหารพิจารณา") if gift.flagged else translate("บันทึกรายงานแล้ว"),
                  "success")
            return redirect(url_for(".index"))
    return _page(errors=errors, form=request.form)


@bp.get("/<gift_id>")
@require_signed_in
def show(gift_id: str):
    """Open one register entry (reporter, executives and integrity officers only; audited)."""
    try:
        gift, giver, description, note = gifts.open_gift(current_user(), gift_id)
    except LookupError:
        abort(404)
    except gifts.NotAllowed:
        db.commit()  # the refusal is audited too
        abort(403)
    profile = current_app.config["PROFILE"]
    return render_template("staff/gift.html", gift=gift, giver=giver, description=description, note=note,
                           division=profile.division_name(gift.division or ""), **LABELS)


@bp.post("/<gift_id>/decide")
@require_roles("executive")
def decide(gift_id: str):
    """Record the executive's decision on a flagged entry."""
    try:
        gifts.decide(current_user(), gift_id, request.form.get("decision", ""), request.form.get("note", ""))
    except LookupError:
        abort(404)
    except GiftError as exc:
        flash(translate(str(exc)), "error")
    else:
        flash(translate("บันทึกคำวินิจฉัยแล้ว"), "success")
    return redirect(url_for(".show", gift_id=gift_id))


@bp.get("/register")
@require_roles("executive", "integrity")
def register():
    """List every entry (plain metadata only), the flagged ones first."""
    entries = gifts.register_of(current_user())
    entries.sort(key=lambda g: (not (g.flagged and g.decision is None), not g.flagged))
    return render_template("staff/gift_register.html", entries=entries,
                           division_name=current_app.config["PROFILE"].division_name, **LABELS)


@bp.post("/checkin")
@require_signed_in
def checkin():
    """Answer last month's check-in: nobody gave me anything."""
    gifts.nil_return(current_user(), gifts.month_asked(utcnow()), "web")
    flash(translate("ขอบคุณที่ตอบ บันทึกแล้ว"), "success")
    return redirect(url_for(".index"))


@bp.post("/acknowledge")
@require_signed_in
def acknowledge():
    """Acknowledge this year's declaration with one tap."""
    declaration = gifts.current_declaration()
    if declaration is None:
        abort(404)
    gifts.acknowledge(current_user(), declaration, "web")
    flash(translate("รับทราบประกาศแล้ว"), "success")
    return redirect(url_for(".index"))


@bp.post("/line")
@require_signed_in
def line_link():
    """Make a one-time code to link LINE, or end the link."""
    user = current_user()
    if request.form.get("action") == "unlink":
        staff_line.unlink(user, user)
        flash(translate("ยกเลิกการเชื่อมบัญชี LINE แล้ว"), "success")
        return redirect(url_for(".index"))
    return _page(link_code=staff_line.new_link_code(user))


def _page(*, errors: dict | None = None, form=None, link_code: str | None = None):
    user = current_user()
    mine = [g for g in gifts.register_of(user) if g.staff_id == user.id]
    return render_template("staff/gifts.html", **duties(), mine=mine, errors=errors or {}, form=form or {},
                           threshold=gifts.threshold(), linked=user.line_index is not None, link_code=link_code,
                           link_word=staff_line.LINK_WORD, **LABELS)
