"""The No Gift Policy desk: the yearly declaration, culture activities and the 6- and 12-month reports."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from config.thai import to_local
from intake.evidence import sniff
from models import (
    ActivityPhoto, AuditEntry, CultureActivity, DeclarationAck, GiftError, NoGiftDeclaration, NoGiftNote, StaffUser, db,
    utcnow,
)
from models.gifts import ACTIVITY_KINDS
from models.report import ArchivedReport
from staff import layout
from staff.auth import current_user, require_roles, require_signed_in
from staff.gifts_views import words
from staff.i18n import translate
from stats import nogift
from stats.nogift_clock import notify_staff
from stats.fiscal import fiscal_year_of, half, period_from_key, whole_year

bp = Blueprint("staff_nogift", __name__, url_prefix="/staff/nogift", template_folder="templates")
layout.install(bp)
bp.context_processor(words)
DESK = ("admin", "executive", "integrity")
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")
MAX_PHOTOS = 10


def _this_year() -> int:
    return fiscal_year_of(to_local(utcnow()).date())


def _declaration(year: int) -> NoGiftDeclaration | None:
    return db.session.scalar(select(NoGiftDeclaration).where(NoGiftDeclaration.fiscal_year == year))


@bp.route("/declaration", methods=["GET", "POST"])
@require_roles(*DESK)
def declaration():
    """Show this year's declaration and who has acknowledged it; admins draft and edit it."""
    year, user = _this_year(), current_user()
    current = _declaration(year)
    if request.method == "POST":
        if not user.has_role("admin"):
            abort(403)
        form = request.form
        try:
            announced_on = date.fromisoformat(form.get("announced_on", ""))
        except ValueError:
            flash(translate("กรุณาระบุวันที่ประกาศ"), "error")
            return redirect(url_for(".declaration"))
        fields = [form.get(k, "").strip() for k in ("title", "body", "signer_name", "signer_position")]
        if not all(fields):
            flash(translate("กรุณากรอกข้อมูลประกาศให้ครบ"), "error")
            return redirect(url_for(".declaration"))
        if current is None:
            current = NoGiftDeclaration(fiscal_year=year, drafted_by=user.id, status="draft", title="", body="",
                                        signer_name="", signer_position="", announced_on=announced_on)
            db.session.add(current)
        try:
            current.edit(*fields, announced_on)
        except GiftError as exc:
            flash(translate(str(exc)), "error")
        else:
            AuditEntry.record(db.session, "declaration.drafted", staff_id=user.id, target_type="declaration",
                              target_id=year)
            flash(translate("บันทึกแล้ว"), "success")
        return redirect(url_for(".declaration"))
    draft = nogift.declaration_draft(year)
    staff = db.session.scalars(select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.display_name))
    acked = set()
    if current is not None:
        acked = set(db.session.scalars(select(DeclarationAck.staff_id)
                                       .where(DeclarationAck.declaration_id == current.id)))
    return render_template("staff/declaration.html", year=year, declaration=current, draft=draft,
                           staff=list(staff), acked=acked, today=to_local(utcnow()).date().isoformat())


@bp.post("/declaration/approve")
@require_roles("executive")
def approve():
    """Approve this year's declaration: it is rendered, archived and published."""
    current = _declaration(_this_year())
    if current is None:
        abort(404)
    try:
        current.approve(current_user().id)
    except GiftError as exc:
        flash(translate(str(exc)), "error")
        return redirect(url_for(".declaration"))
    archived = nogift.publish_declaration(current, utcnow())
    AuditEntry.record(db.session, "declaration.approved", staff_id=current_user().id, target_type="report",
                      target_id=archived.id, detail=archived.sha256)
    notify_staff("declaration", str(current.fiscal_year),
                 f"{current.title}\nประกาศแล้ว กรุณาอ่านและกด “รับทราบประกาศ” “{nogift.SLOGAN}”")
    flash(translate("อนุมัติและเผยแพร่ประกาศแล้ว"), "success")
    return redirect(url_for(".declaration"))


@bp.post("/declaration/scan")
@require_roles("admin")
def scan():
    """Attach the signed paper's scan (PDF, JPEG or PNG) to the approved declaration and publish it."""
    current = _declaration(_this_year())
    if current is None or current.status != "approved":
        abort(404)
    upload = request.files.get("scan")
    data = upload.read() if upload else b""
    found = sniff(data) if data else None
    if found is None or found[0] not in nogift.SCAN_FORMATS:
        flash(translate("รับได้เฉพาะไฟล์ PDF, JPG หรือ PNG"), "error")
        return redirect(url_for(".declaration"))
    current.scan, current.scan_media_type = data, found[0]
    archived = nogift.publish_scan(current, utcnow())
    AuditEntry.record(db.session, "declaration.scan", staff_id=current_user().id, target_type="report",
                      target_id=archived.id, detail=archived.sha256)
    flash(translate("บันทึกแล้ว"), "success")
    return redirect(url_for(".declaration"))


@bp.get("/declaration.pdf")
@require_signed_in
def declaration_pdf():
    """Hand out this year's declaration: the archived PDF once approved; drafts only to the desk."""
    current = _declaration(_this_year())
    if current is None:
        abort(404)
    if current.status == "approved":
        archived = ArchivedReport.latest(db.session, "no_gift_declaration", str(current.fiscal_year), "pdf")
        data = archived.read(server_keys().keyring)
    elif current_user().role_set & set(DESK):
        data = nogift.declaration_pdf(current)
    else:
        abort(404)
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="no-gift-declaration-{current.fiscal_year}.pdf"'})


@bp.route("/activities", methods=["GET", "POST"])
@require_roles("officer", "admin", "integrity")
def activities():
    """List culture activities and record one, with photos (the chosen ones public)."""
    error = None
    if request.method == "POST":
        error = _record_activity(request.form, request.files.getlist("photos"))
        if error is None:
            flash(translate("บันทึกแล้ว"), "success")
            return redirect(url_for(".activities"))
    rows = db.session.scalars(select(CultureActivity).order_by(CultureActivity.held_on.desc()).limit(200)).all()
    return render_template("staff/activities.html", activities=rows, kinds=ACTIVITY_KINDS, error=error,
                           form=request.form)


def _record_activity(form, files) -> str | None:
    try:
        held_on = date.fromisoformat(form.get("held_on", ""))
        attendance = int(form.get("attendance", ""))
    except ValueError:
        return translate("กรุณาระบุวันที่และจำนวนผู้เข้าร่วมเป็นตัวเลข")
    title, led_by, summary = (form.get(k, "").strip() for k in ("title", "led_by", "summary"))
    kind = form.get("kind", "")
    if not title or not led_by or kind not in ACTIVITY_KINDS or attendance < 0:
        return translate("กรุณากรอกข้อมูลกิจกรรมให้ครบ")
    photos = []
    for upload in [f for f in files if f and f.filename][:MAX_PHOTOS]:
        data = upload.read()
        found = sniff(data)
        if found is None or found[0] not in PHOTO_TYPES:
            return translate("รับได้เฉพาะรูปภาพ JPG, PNG หรือ WEBP")
        photos.append(ActivityPhoto(media_type=found[0], data=data, public=form.get("public_photos") == "1"))
    activity = CultureActivity(held_on=held_on, title=title[:300], kind=kind, led_by=led_by[:200],
                               attendance=attendance, summary=summary, created_by=current_user().id,
                               created_at=utcnow(), photos=photos)
    db.session.add(activity)
    db.session.flush()
    AuditEntry.record(db.session, "activity.recorded", staff_id=current_user().id, target_type="activity",
                      target_id=activity.id)
    return None


@bp.route("/report", methods=["GET", "POST"])
@require_roles("executive", "officer", "integrity")
def report():
    """Edit a period's "problems and suggestions" and make its report now (archived and delivered)."""
    year = _this_year()
    periods = [p for fy in (year, year - 1) for p in (half(fy, 1), whole_year(fy))
               if p.months[0].bounds_utc()[0] <= utcnow()]
    try:
        period = period_from_key(request.values.get("period", periods[0].key))
    except ValueError:
        abort(404)
    note = db.session.get(NoGiftNote, period.key)
    if request.method == "POST":
        user = current_user()
        if note is None:
            note = NoGiftNote(period=period.key, text="", updated_by=user.id)
            db.session.add(note)
        note.text, note.updated_by, note.updated_at = request.form.get("problems", "").strip()[:5000], user.id, utcnow()
        if request.form.get("action") == "make":
            files = nogift.make_no_gift_report(period, utcnow())
            AuditEntry.record(db.session, "report.made", staff_id=user.id, target_type="report",
                              target_id=files[0].id, detail=files[0].filename)
            flash(translate("จัดทำรายงานและส่งถึงผู้บริหารและบุคลากรแล้ว"), "success")
        else:
            flash(translate("บันทึกแล้ว"), "success")
        return redirect(url_for(".report", period=period.key))
    archive = ArchivedReport.listing(db.session, ("no_gift", "no_gift_staff"))
    return render_template("staff/nogift_report.html", periods=periods, period=period, note=note, archive=archive)


@bp.get("/photo/<int:photo_id>")
@require_roles("officer", "admin", "integrity")
def photo(photo_id: int):
    """Show an activity photo to the desk."""
    row = db.session.get(ActivityPhoto, photo_id)
    if row is None:
        abort(404)
    return Response(row.data, mimetype=row.media_type)

