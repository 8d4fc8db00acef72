"""The access-grants page: an officer who can read grants a newly added officer."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from models import NoAccess, StaffUser, db
from staff import grants, layout
from staff.auth import current_private_key, current_user, require_roles
from staff.i18n import translate

bp = Blueprint("staff_keys", __name__, url_prefix="/staff/keys", template_folder="templates")
layout.install(bp)


@bp.route("/")
@require_roles("officer")
def index():
    """Show which officers cannot open some complaints."""
    return render_template("staff/keys.html", overview=grants.access_overview(), me=current_user())


@bp.route("/grant/<int:user_id>", methods=["POST"])
@require_roles("officer")
def grant(user_id: int):
    """Grant an officer every complaint the signed-in officer can open."""
    grantee = db.session.get(StaffUser, user_id)
    if grantee is None:
        abort(404)
    try:
        count = grants.grant_by_officer(current_user(), current_private_key(), grantee)
    except NoAccess:
        flash(translate("กุญแจของท่านไม่ได้ถูกเปิดในการเข้าสู่ระบบครั้งนี้ กรุณาออกจากระบบแล้วเข้าสู่ระบบใหม่"), "error")
    except ValueError:
        flash(translate("เจ้าหน้าที่คนนี้ยังไม่มีกุญแจ (จะสร้างเมื่อเข้าสู่ระบบครั้งแรก)"), "error")
    else:
        flash(translate("มอบสิทธิ์แล้ว {count} เรื่อง", count=count), "success")
    return redirect(url_for("staff_keys.index"))
