"""Sign-in, the second factor, sign-out, one's own account and the console language."""
from __future__ import annotations

import qrcode
import qrcode.image.svg
from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from models import ROLES, StaffUser, db
from models.staff import ROLE_LABELS
from staff import accounts, i18n, layout
from staff.auth import (clear_session_cookie, current_session, current_user, require_signed_in,
                        set_session_cookie)

bp = Blueprint("staff_auth", __name__, url_prefix="/staff", template_folder="templates",
               static_folder="static", static_url_path="/static")
layout.install(bp)


def _next_url() -> str:
    target = request.values.get("next", "")
    # Only a path inside the console: never an open redirect.
    if target.startswith("/staff") and "//" not in target and "\\" not in target:
        return target
    return url_for("staff_auth.home")


@bp.route("/")
@require_signed_in
def home():
    """Send each role to where its work is."""
    user = current_user()
    for role, endpoint in (("officer", "staff_cases.index"), ("executive", "staff_dashboard.index"),
                           ("admin", "staff_admin.users")):
        if user.has_role(role):
            return redirect(url_for(endpoint))
    # Everyone else's work is the No Gift page: acknowledge, answer the check-in, report a gift.
    return redirect(url_for("staff_gifts.index"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Ask for the user name and password."""
    if current_user() is not None:
        return redirect(_next_url())
    error = None
    if request.method == "POST":
        try:
            accepted = accounts.check_password(request.form.get("username", ""), request.form.get("password", ""),
                                               request.remote_addr)
        except accounts.AccountError as exc:
            error = i18n.translate(exc.message, **exc.values)
        else:
            _, token, key = accounts.start_session(accepted)
            target = _next_url() if accepted.stage == "active" else url_for("staff_auth.second_factor",
                                                                              next=request.values.get("next", ""))
            return set_session_cookie(redirect(target), token, key)
    # A refused attempt answers 200 so the failure count it recorded is committed.
    return render_template("staff/login.html", error=error, username=request.form.get("username", ""))


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor():
    """Ask for the TOTP code, or enrol an authenticator on first sign-in."""
    row = current_session()
    if row is None:
        return redirect(url_for("staff_auth.login"))
    if row.stage == "active":
        return redirect(_next_url())
    error = None
    if request.method == "POST":
        try:
            accounts.confirm_second_factor(row, request.form.get("code", ""))
        except accounts.AccountError as exc:
            if row in db.session.deleted:  # locked out: start again from the password
                return clear_session_cookie(make_response(render_template("staff/login.html", error=i18n.translate(exc.message, **exc.values))))
            error = i18n.translate(exc.message, **exc.values)
        else:
            return redirect(_next_url())
    qr_svg = secret = None
    if row.stage == "enroll":
        user = db.session.get(StaffUser, row.staff_id)
        uri = accounts.enrollment_uri(row, user)
        qr_svg = Markup(qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).to_string(
            encoding="unicode"))
        secret = accounts.enrollment_secret(row)
    return render_template("staff/second_factor.html", error=error, enroll=row.stage == "enroll", qr_svg=qr_svg,
                           secret=secret)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out of this browser."""
    row = current_session()
    if row is not None:
        accounts.sign_out(row)
    return clear_session_cookie(redirect(url_for("staff_auth.login")))


@bp.route("/account", methods=["GET", "POST"])
@require_signed_in
def account():
    """Show one's own account and change the password."""
    user, error = current_user(), None
    if request.method == "POST":
        try:
            accounts.change_password(user, current_session(), request.form.get("old", ""),
                                     request.form.get("new", ""), request.form.get("confirm", ""))
        except accounts.AccountError as exc:
            error = i18n.translate(exc.message, **exc.values)
        else:
            flash(i18n.translate("เปลี่ยนรหัสผ่านแล้ว อุปกรณ์อื่นที่เข้าสู่ระบบไว้ถูกออกจากระบบ"), "success")
            return redirect(url_for("staff_auth.account"))
    return render_template("staff/account.html", user=user, error=error,
                           roles=[ROLE_LABELS[r] for r in ROLES if user.has_role(r)])


@bp.route("/language", methods=["POST"])
def language():
    """Switch the console between Thai and English."""
    chosen = request.form.get("language", "th")
    chosen = chosen if chosen in i18n.LANGUAGES else "th"
    user = current_user()
    if user is not None:
        accounts.set_language(user, chosen)
    response = make_response(redirect(_next_url()))
    response.set_cookie(i18n.LANGUAGE_COOKIE, chosen, path="/staff", samesite="Lax", httponly=True,
                        max_age=365 * 24 * 3600)
    return response


ERRORS = {
    403: ("ไม่มีสิทธิ์เข้าถึงหน้านี้", "บทบาทของท่านไม่อนุญาตให้เปิดหน้านี้ หากจำเป็นต้องใช้ กรุณาติดต่อผู้ดูแลระบบ"),
    404: ("ไม่พบหน้าที่ต้องการ", "ไม่พบหน้าหรือรายการนี้ อาจถูกลบไปแล้วหรือที่อยู่ไม่ถูกต้อง"),
    400: ("แบบฟอร์มหมดอายุ", "แบบฟอร์มนี้หมดอายุหรือไม่สมบูรณ์ ข้อมูลยังไม่ถูกบันทึก กรุณากลับไปที่หน้าเดิม โหลดหน้าใหม่ แล้วลองอีกครั้ง"),
}


def error_page(error: HTTPException):
    """Explain a refusal, a missing page or an expired form in the console's words."""
    if error.code not in ERRORS:
        return error
    title, text = ERRORS[error.code]
    # An unmatched address belongs to no blueprint, so the layout's helpers come along explicitly.
    return render_template("staff/error.html", title=title, text=text, **layout.helpers()), error.code
