"""The case desk's pages: thin routes over staff.casedesk."""
from __future__ import annotations

from datetime import date
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for

from intake.complaints import ComplaintDraft
from intake.errors import IntakeError
from intake.evidence import evidence_from_uploads
from models import CHANNELS, DESK_CHANNELS, ComplaintStatus, NoAccess, utcnow
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
    cases = casedesk.list_cases(current_user(), filters, current_private_key())
    profile = current_app.config["PROFILE"]
    return render_template("staff/cases.html", cases=cases, filters=filters, statuses=list(ComplaintStatus),
                           categories=profile.categories, channels=CHANNELS, category_name=profile.category_name,
                           divisions=profile.divisions, months=casedesk.month_choices(utcnow(), filters.month))


@bp.route("/find", methods=["POST"])
@require_roles("officer")
def find():
    """Open the case a reference number or tracking code names (posted, so no code lands in a URL or history)."""
    complaint = casedesk.find_case(current_user(), request.form.get("q", "")[:40])
    if complaint is None:
        flash(translate("ไม่พบเรื่องตามเลขรับหรือรหัสติดตามนี้ กรุณาพิมพ์เลขรับ เช่น ร.12/2569 หรือรหัสติดตาม 16 ตัวอักษร"),
              "error")
        return redirect(url_for("staff_cases.index"))
    return redirect(url_for("staff_cases.show", complaint_id=complaint.id))


@bp.route("/new", methods=["GET", "POST"])
@require_roles("officer")
def register():
    """Register a complaint handed in at the desk; show the receipt slip with the tracking code once."""
    profile = current_app.config["PROFILE"]
    form = request.form
    errors: dict[str, str] = {}
    if request.method == "POST":
        evidence, evidence_error = evidence_from_uploads(request.files.getlist("evidence"))
        draft = ComplaintDraft(
            category=form.get("category", ""), details=form.get("details", ""), accused=form.get("accused", ""),
            place_time=form.get("place_time", ""), anonymous=form.get("identity", "anonymous") != "named",
            name=form.get("name", ""), phone=form.get("phone", ""), email=form.get("email", ""), evidence=evidence)
        try:
            received_on = date.fromisoformat(form.get("received_on", "")) if form.get("received_on") else None
        except ValueError:
            received_on, errors["received_on"] = None, translate("กรุณาเลือกวันที่รับเรื่อง")
        try:
            if evidence_error:
                raise IntakeError({"evidence": evidence_error})
            if not errors:
                receipt = casedesk.register(current_user(), draft, form.get("channel", ""), received_on)
                return render_template("staff/slip.html", receipt=receipt, channel=CHANNELS[form["channel"]])
        except IntakeError as refused:
            errors.update(refused.errors)
        except casedesk.CaseDeskError as exc:
            errors["channel"] = translate(exc.message, **exc.values)
    return render_template("staff/register.html", form=form, errors=errors, categories=profile.categories,
                           channels={c: CHANNELS[c] for c in DESK_CHANNELS}), 400 if errors else 200


def _render_case(complaint_id: str, template: str, action: str):
    complaint = _complaint_or_404(complaint_id)
    try:
        view = casedesk.view_case(current_user(), complaint, current_private_key(), action)
    except NoAccess:
        return _no_access()
    profile = current_app.config["PROFILE"]
    return render_template(template, case=view, c=complaint, channels=CHANNELS, profile=profile,
                           category_name=profile.category_name(complaint.category), officers=casedesk.officers(),
                           divisions=profile.divisions, division_name=profile.division_name)


@bp.route("/<complaint_id>")
@require_roles("officer")
def show(complaint_id: str):
    """Open one complaint with the officer's key."""
    return _render_case(complaint_id, "staff/case.html", "complaint.view")


@bp.route("/<complaint_id>/print")
@require_roles("officer")
def print_view(complaint_id: str):
    """Show one complaint laid out for paper, opened with the officer's key."""
    return _render_case(complaint_id, "staff/case_print.html", "complaint.print")


def _act(complaint_id: str, action, done: str):
    """Run one case-desk action from a form, flash its outcome and go back to the case."""
    complaint = _complaint_or_404(complaint_id)
    try:
        action(complaint)
    except NoAccess:
        return _no_access()
    except casedesk.CaseDeskError as exc:
        flash(translate(exc.message, **exc.values), "error")
    else:
        flash(done, "success")
    return redirect(url_for("staff_cases.show", complaint_id=complaint_id))


@bp.route("/<complaint_id>/handling", methods=["POST"])
@require_roles("officer")
def handling(complaint_id: str):
    """Assign the case to an officer and a division, and set its sealed subject."""
    form = request.form
    return _act(complaint_id, lambda c: casedesk.update_handling(
        current_user(), c, current_private_key(), assignee=form.get("assignee", ""),
        division=form.get("division", ""), subject=form.get("subject", "")), translate("บันทึกการมอบหมายแล้ว"))


@bp.route("/<complaint_id>/forwarding", methods=["POST"])
@require_roles("officer")
def forwarding(complaint_id: str):
    """Record the agency the case was forwarded to and when."""
    form = request.form
    return _act(complaint_id, lambda c: casedesk.record_forwarding(
        current_user(), c, current_private_key(), form.get("agency", ""), form.get("forwarded_on", "")),
        translate("บันทึกการส่งต่อแล้ว"))


@bp.route("/<complaint_id>/question", methods=["POST"])
@require_roles("officer")
def question(complaint_id: str):
    """Ask the complainant a question behind their tracking code."""
    return _act(complaint_id, lambda c: casedesk.ask_question(
        current_user(), c, current_private_key(), request.form.get("question", "")),
        translate("ส่งคำถามถึงผู้ร้องเรียนแล้ว"))


@bp.route("/<complaint_id>/letter", methods=["POST"])
@require_roles("officer")
def letter(complaint_id: str):
    """Make the reply letter PDF, share it behind the tracking code and hand it to the officer."""
    complaint = _complaint_or_404(complaint_id)
    form = request.form
    try:
        filename, pdf = casedesk.reply_letter(current_user(), complaint, current_private_key(),
                                              number=form.get("number", ""), to=form.get("to", ""),
                                              subject=form.get("subject", ""), body=form.get("body", ""))
    except NoAccess:
        return _no_access()
    except casedesk.CaseDeskError as exc:
        flash(translate(exc.message, **exc.values), "error")
        return redirect(url_for("staff_cases.show", complaint_id=complaint_id, _anchor="letter"))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f"attachment; filename=\"reply-letter.pdf\"; filename*=UTF-8''{quote(filename)}"})


@bp.route("/<complaint_id>/status", methods=["POST"])
@require_roles("officer")
def change_status(complaint_id: str):
    """Change the status with a note and an optional reply."""
    form = request.form
    return _act(complaint_id, lambda c: casedesk.change_status(
        current_user(), c, current_private_key(), form.get("status", ""), form.get("note", ""), form.get("reply", "")),
        translate("บันทึกการเปลี่ยนสถานะแล้ว"))


@bp.route("/<complaint_id>/note", methods=["POST"])
@require_roles("officer")
def add_note(complaint_id: str):
    """Add an internal note or a reply without changing the status."""
    reply = request.form.get("reply", "")
    return _act(complaint_id, lambda c: casedesk.add_note(
        current_user(), c, current_private_key(), request.form.get("note", ""), reply),
        translate("ส่งคำตอบแล้ว") if reply.strip() else translate("บันทึกแล้ว"))


@bp.route("/<complaint_id>/evidence/<attachment_id>")
@require_roles("officer")
def evidence(complaint_id: str, attachment_id: str):
    """Download one evidence file, decrypted for this officer."""
    complaint = _complaint_or_404(complaint_id)
    try:
        filename, media_type, data = casedesk.read_evidence(current_user(), complaint, current_private_key(),
                                                            attachment_id)
    except NoAccess:
        return _no_access()
    except LookupError:
        abort(404)
    return Response(data, mimetype=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/<complaint_id>/preview/<attachment_id>")
@require_roles("officer")
def preview(complaint_id: str, attachment_id: str):
    """Show one evidence image or PDF inside the case page, decrypted for this request only."""
    complaint = _complaint_or_404(complaint_id)
    try:
        _filename, media_type, data = casedesk.read_evidence(current_user(), complaint, current_private_key(),
                                                             attachment_id, action="evidence.preview")
    except NoAccess:
        return _no_access()
    except LookupError:
        abort(404)
    if not casedesk.preview_kind(media_type):
        abort(404)
    response = Response(data, mimetype=media_type, headers={"Content-Disposition": "inline"})
    # Framed only by the case page itself (every other staff page refuses all framing).
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
    return response
