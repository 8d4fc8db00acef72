"""The case desk's pages: thin routes over staff.casedesk."""
from __future__ import annotations


from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for

from models import CHANNELS, ComplaintStatus, NoAccess
from staff import casedesk, layout
from staff.auth import current_private_key, current_user, require_roles
from staff.i18n import translate

bp = Blueprint("staff_cases", __name__, url_prefix="/staff/cases", template_folder="templates")
layout.install(bp)


def _complaint_or_404(complaint_id: str):
    complaint = casedesk.find(complaint_id)
    if complaint is None:
        abort(404)
    return complaint


def _no_access():
    message = ("ท่านยังไม่ได้รับสิทธิ์เปิดเรื่องนี้" if current_private_key() is not None
               else "กุญแจของท่านไม่ได้ถูกเปิดในการเข้าสู่ระบบครั้งนี้ กรุณาออกจากระบบแล้วเข้าสู่ระบบใหม่")
    return render_template("staff/no_access.html", message=message), 403


@bp.route("/")
@require_roles("officer")
def index():
    """List complaints with filters and counts."""
    filters = casedesk.CaseFilters.from_args(request.args)
    cases = casedesk.list_cases(current_user(), filters)
    profile = current_app.config["PROFILE"]
    return render_template("staff/cases.html", cases=cases, filters=filters, statuses=list(ComplaintStatus),
                           categories=profile.categories, channels=CHANNELS, category_name=profile.category_name)


@bp.route("/<complaint_id>")
@require_roles("officer")
def show(complaint_id: str):
    """Open one complaint with the officer's key."""
    complaint = _complaint_or_404(complaint_id)
    try:
        view = casedesk.view_case(current_user(), complaint, current_private_key())
    except NoAccess:
        return _no_access()
    profile = current_app.config["PROFILE"]
    return render_template("staff/case.html", case=view, c=complaint, channels=CHANNELS,
                           category_name=profile.category_name(complaint.category))


@bp.route("/<complaint_id>/status", methods=["POST"])
@require_roles("officer")
def change_status(complaint_id: str):
    """Change the status with a note and an optional reply."""
    complaint = _complaint_or_404(complaint_id)
    try:
        casedesk.change_status(current_user(), complaint, current_private_key(), request.form.get("status", ""),
                               request.form.get("note", ""), request.form.get("reply", ""))
    except NoAccess:
        return _no_access()
    except casedesk.CaseDeskError as exc:
        flash(translate(exc.message, **exc.values), "error")
    else:
        flash(translate("บันทึกการเปลี่ยนสถานะแล้ว"), "success")
    return redirect(url_for("staff_cases.show", complaint_id=complaint_id))


@bp.route("/<complaint_id>/note", methods=["POST"])
@require_roles("officer")
def add_note(complaint_id: str):
    """Add an internal note or a reply without changing the status."""
    complaint = _complaint_or_404(complaint_id)
    reply = request.form.get("reply", "")
    try:
        casedesk.add_note(current_user(), complaint, current_private_key(), request.form.get("note", ""), reply)
    except NoAccess:
        return _no_access()
    except casedesk.CaseDeskError as exc:
        flash(translate(exc.message, **exc.values), "error")
    else:
        flash(translate("ส่งคำตอบแล้ว") if reply.strip() else translate("บันทึกแล้ว"), "success")
    return redirect(url_for("staff_cases.show", complaint_id=complaint_id))


@bp.route("/<complaint_id>/evidence/<attachment_id>")
@require_roles("officer")
def evidence(complaint_id: str, attachment_id: str):
    """Download one evidence file, decrypted for this officer."""
    complaint = _complaint_or_404(complaint_id)
    try:
        filename, media_type, data = casedesk.download_evidence(current_user(), complaint, current_private_key(),
                                                                attachment_id)
    except NoAccess:
        return _no_access()
    except LookupError:
        abort(404)
    return Response(data, mimetype=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
