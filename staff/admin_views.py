"""The admin's pages: staff accounts and the audit log (no complaint content)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from models import ROLES, AuditEntry, StaffUser, db
from models.staff import ROLE_LABELS
from staff import accounts, audit_log, audit_words, layout
from staff.auth import current_user, require_roles
from staff.i18n import translate

bp = Blueprint("staff_admin", __name__, url_prefix="/staff/admin", template_folder="templates")
layout.install(bp)


def _user_or_404(user_id: int) -> StaffUser:
    user = db.session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users", methods=["GET", "POST"])
@require_roles("admin")
def users():
    """List staff accounts and add one."""
    error = None
    if request.method == "POST":
        try:
            user = accounts.create_user(current_user(), username=request.form.get("username", ""),
                                        display_name=request.form.get("display_name", ""),
                                        roles=request.form.getlist("roles"), password=request.form.get("password", ""),
                                        division=request.form.get("division", ""), email=request.form.get("email", ""))
        except accounts.AccountError as exc:
            error = translate(exc.message, **exc.values)
        else:
            flash(translate("บันทึกแล้ว"), "success")
            return redirect(url_for("staff_admin.user", user_id=user.id))
    everyone = db.session.scalars(select(StaffUser).order_by(StaffUser.active.desc(), StaffUser.username)).all()
    return render_template("staff/users.html", users=everyone, roles=ROLES, role_labels=ROLE_LABELS, error=error,
                           form=request.form, divisions=current_app.config["PROFILE"].divisions)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require_roles("admin")
def user(user_id: int):
    """Manage one account: roles, lockout, password reset, second factor, removal."""
    target, admin = _user_or_404(user_id), current_user()
    error = None
    if request.method == "POST":
        action = request.form.get("action", "")
        try:
            if action == "roles":
                accounts.set_roles(admin, target, request.form.getlist("roles"))
                flash(translate("บันทึกแล้ว"), "success")
            elif action == "unlock":
                accounts.unlock(admin, target)
                flash(translate("บันทึกแล้ว"), "success")
            elif action == "password":
                lost = accounts.reset_password(admin, target, request.form.get("password", ""))
                flash(translate("ตั้งรหัสผ่านใหม่แล้ว"), "success")
                if lost:
                    flash(translate("กุญแจเดิมสูญหาย ต้องมอบสิทธิ์ใหม่"), "error")
            elif action == "totp":
                accounts.reset_totp(admin, target)
                flash(translate("บันทึกแล้ว"), "success")
            elif action == "deactivate":
                count = accounts.deactivate(admin, target)
                flash(translate("ปิดบัญชีแล้ว เพิกถอนสิทธิ์ {count} เรื่อง", count=count), "success")
            elif action == "reactivate":
                accounts.reactivate(admin, target)
                flash(translate("บันทึกแล้ว"), "success")
            else:
                abort(400)
        except accounts.AccountError as exc:
            error = translate(exc.message, **exc.values)
        else:
            return redirect(url_for("staff_admin.user", user_id=target.id))
    return render_template("staff/user.html", target=target, roles=ROLES, role_labels=ROLE_LABELS, error=error,
                           locked=target.locked_until is not None and target.failed_logins >= accounts.LOCK_AFTER)


@bp.route("/audit")
@require_roles("admin")
def audit():
    """Read and filter the audit log."""
    try:
        filters = audit_log.AuditFilters.from_args(request.args)
    except ValueError:
        abort(404)
    entries, more = audit_log.search(filters)
    AuditEntry.record(db.session, "audit.view", staff_id=current_user().id)
    return render_template("staff/audit.html", lines=audit_words.describe(entries), more=more, filters=filters,
                           actions=audit_log.actions(), names=audit_log.staff_names(),
                           action_label=audit_words.action_label,
                           page_args={k: v for k, v in request.args.items() if k != "page"})
