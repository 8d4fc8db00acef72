"""The readers page: a certified reader certifies, grants or revokes another officer, and sees every change."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from models import NoAccess, NotReader, StaffUser, db, is_reader
from staff import grants, layout
from staff.audit_log import staff_names
from staff.auth import current_private_key, current_user, require_roles
from staff.i18n import translate

bp = Blueprint("staff_keys", __name__, url_prefix="/staff/keys", template_folder="templates")
layout.install(bp)

@bp.route("/")
@require_roles("officer")
def index():
    """Show the officers, who among them reads, and the log of certifications."""
    me = current_user()
    return render_template("staff/keys.html", overview=grants.access_overview(), me=me,
                           me_reader=is_reader(db.session, me), log=grants.reader_log(), names=staff_names())


def _officer(user_id: int) -> StaffUser:
    user = db.session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    return user


def _act(action, user_id: int) -> int | None:
    """Run a readers action as the signed-in reader; return its count, or None after flashing why it failed."""
    try:
        return action(current_user(), current_private_key(), _officer(user_id))
    except NoAccess:
        flash(translate("กุญแจของท่านไม่ได้ถูกเปิดในการเข้าสู่ระบบครั้งนี้ กรุณาออกจากระบบแล้วเข้าสู่ระบบใหม่"), "error")
    except NotReader:
        flash(translate("ทำรายการนี้ไม่ได้: ต้องเป็นผู้อ่านที่ได้รับรอง และผู้ถูกถอนต้องไม่ใช่ผู้ที่รับรองท่าน (ให้ผู้อ่านคนอื่นทำ หรือใช้กุญแจกู้คืน)"), "error")
    return None


@bp.route("/certify/<int:user_id>", methods=["POST"])
@require_roles("officer")
def certify(user_id: int):
    """Certify an officer as a reader with the signed-in reader's key."""
    if (count := _act(grants.certify_by_officer, user_id)) is not None:
        flash(translate("รับรองแล้ว และมอบสิทธิ์ {count} เรื่อง", count=count), "success")
    return redirect(url_for("staff_keys.index"))


@bp.route("/grant/<int:user_id>", methods=["POST"])
@require_roles("officer")
def grant(user_id: int):
    """Grant a reader every complaint the signed-in reader can open."""
    if (count := _act(grants.grant_by_officer, user_id)) is not None:
        flash(translate("มอบสิทธิ์แล้ว {count} เรื่อง", count=count), "success")
    return redirect(url_for("staff_keys.index"))


@bp.route("/revoke/<int:user_id>", methods=["POST"])
@require_roles("officer")
def revoke(user_id: int):
    """Withdraw a reader's certificate and grants."""
    if (count := _act(grants.revoke_by_officer, user_id)) is not None:
        flash(translate("ถอนสิทธิ์แล้ว (ยกเลิกสิทธิ์ {count} เรื่อง)", count=count), "success")
    return redirect(url_for("staff_keys.index"))
