"""The public blueprint: thin routes over the intake services, and the shared public layout."""
from __future__ import annotations

import secrets
import time
from urllib.parse import quote

from flask import Blueprint, abort, current_app, render_template, request, send_from_directory, session
from flask_babel import get_locale
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from config.thai import FONT_REGULAR, thai_date
from intake import limits
from intake.complaints import ComplaintDraft, file_complaint
from intake.errors import IntakeError
from intake.evidence import evidence_from_uploads
from intake.feedback import TOPICS, record_feedback
from intake.followup import add_follow_up, shared_file
from intake.ratings import active_service_points, find_service_point, record_rating
from intake.receipt_image import receipt_png
from intake.respondent import QUESTIONS, respondent_answers
from intake.tracking import track
from models import server_keys, utcnow
from models.keyring import normalize_tracking_code

public = Blueprint("public", __name__, template_folder="templates", static_folder="static",
                   static_url_path="/static/public")

#: Every /track answer takes at least this long, so a wrong code cannot be told from a right one by time.
TRACK_SECONDS = 0.35
FONT_MAX_AGE = 30 * 24 * 3600
#: How long a browser remembers (as keyed hashes) the complaints it filed, to refuse the same one twice.
FILED_MEMORY = 24 * 3600
TOO_MANY_KEPT = ("ระบบได้รับข้อมูลจากเครือข่ายของท่านถี่เกินไป ข้อความที่ท่านกรอกยังอยู่ครบ "
                 "กรุณารอประมาณหนึ่งนาทีแล้วกดส่งอีกครั้ง")


@public.after_request
def _private_pages(response):
    # What a citizen typed or received must not linger in caches (app.secure_headers adds the rest).
    if request.endpoint not in {"public.static", "public.font"}:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _too_many():
    return render_template("public/error.html", code=429, title="มีการส่งข้อมูลถี่เกินไป",
                           message="ระบบได้รับข้อมูลจากเครือข่ายของท่านถี่เกินไป กรุณารอสักครู่แล้วลองใหม่ "
                                   "หากเร่งด่วน โปรดติดต่อหน่วยงานทางโทรศัพท์"), 429


@public.get("/static/public/fonts/<any('Sarabun-Regular.ttf', 'Sarabun-Bold.ttf'):name>")
def font(name: str):
    """Serve the Sarabun font from its package, so Thai reads the same on every phone without a CDN."""
    return send_from_directory(FONT_REGULAR.parent, name, mimetype="font/ttf", max_age=FONT_MAX_AGE)


@public.get("/favicon.ico")
def favicon():
    """Serve the office's tab icon (browsers ask for it at the root)."""
    return send_from_directory(public.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=FONT_MAX_AGE)


@public.get("/")
def home():
    """Show the landing page with every citizen channel."""
    return render_template("public/home.html", points=active_service_points())


@public.route("/complaint", methods=["GET", "POST"])
def complaint():
    """Show the corruption-complaint form; on a valid submission, file it and show the receipt once."""
    if request.method == "GET":
        return render_template("public/complaint.html", form={}, errors={}, nonce=secrets.token_urlsafe(16))
    form = request.form
    evidence, evidence_error = evidence_from_uploads(request.files.getlist("evidence"))
    errors = {"evidence": evidence_error} if evidence_error else {}
    draft = ComplaintDraft(
        category=form.get("category", ""), details=form.get("details", ""), accused=form.get("accused", ""),
        place_time=form.get("place_time", ""), anonymous=form.get("identity", "anonymous") != "named",
        name=form.get("name", ""), phone=form.get("phone", ""), email=form.get("email", ""),
        wants_updates=form.get("wants_updates") == "yes", evidence=evidence)
    nonce = form.get("submission", "")
    if _filed_from_here(draft):
        return _already_filed()
    try:
        if errors:
            raise IntakeError(errors)
        receipt = file_complaint(draft, channel="web")
    except IntakeError as refused:
        errors.update(refused.errors)
        return _complaint_form(form, errors, nonce), 400
    if not nonce:  # not from our form page: nothing is filed (the response rolls back), nothing typed is lost
        return _complaint_form(form, {"submission": "แบบฟอร์มนี้ไม่สมบูรณ์ กรุณาตรวจข้อมูลแล้วกดส่งอีกครั้ง"}, ""), 400
    if not limits.first_submission(nonce):
        return _already_filed()
    if not _passed_human_check(form) and not limits.allow("complaint", request.remote_addr):
        # Nothing is filed (the response rolls back), but nothing typed is lost: the form comes back filled,
        # with a small question a person answers to send it anyway.
        return _complaint_form(form, {"check": "ระบบได้รับเรื่องจากเครือข่ายของท่านถี่เกินไป ข้อความที่ท่านพิมพ์ยังอยู่ครบ"
                                               " (ไฟล์แนบต้องเลือกใหม่) กรุณาตอบคำถามด้านล่างแล้วกดส่งอีกครั้ง"},
                              nonce, ask=True), 429
    _remember_filed(draft)
    return render_template("public/receipt.html", receipt=receipt)


def _already_filed():
    return render_template("public/error.html", code=409, title="ท่านส่งเรื่องนี้ไปแล้ว",
                           message="ระบบได้รับเรื่องนี้แล้วและไม่บันทึกซ้ำ รหัสติดตามแสดงเพียงครั้งเดียว"
                                   "ในหน้าที่แสดงหลังการส่ง หากไม่ได้จดไว้ โปรดติดต่อหน่วยงาน"), 409


def _filed_digest(draft: ComplaintDraft) -> str:
    # A keyed hash (only the server can test a text against it) of what makes a complaint the same one.
    return server_keys().index.digest("filed", f"{draft.category}\x00{draft.details.strip()}").hex()[:32]


def _filed_from_here(draft: ComplaintDraft) -> bool:
    """Return True when this browser filed the same complaint within a day (Back, then send again)."""
    now = int(utcnow().timestamp())
    return any(digest == _filed_digest(draft) and now - at < FILED_MEMORY for digest, at in session.get("filed", []))


def _remember_filed(draft: ComplaintDraft) -> None:
    now = int(utcnow().timestamp())
    recent = [(d, at) for d, at in session.get("filed", []) if now - at < FILED_MEMORY][-4:]
    session["filed"] = recent + [(_filed_digest(draft), now)]


def _complaint_form(form, errors: dict[str, str], nonce: str, *, ask: bool = False) -> str:
    question = None
    if ask:
        a, b = secrets.randbelow(8) + 2, secrets.randbelow(8) + 2
        session["complaint_check"] = a + b
        question = f"{a} บวก {b} เท่ากับเท่าไร"
    return render_template("public/complaint.html", form=form, errors=errors, question=question,
                           nonce=nonce or secrets.token_urlsafe(16))


def _passed_human_check(form) -> bool:
    # A person who answered the question gets through once; a script that floods the channel rarely does.
    expected = session.pop("complaint_check", None)
    answer = "".join(ch for ch in form.get("check", "") if ch.isdigit())
    return expected is not None and answer == str(expected)


@public.post("/complaint/receipt.png")
def receipt_image():
    """Draw the receipt the citizen just got as a PNG to keep; nothing is looked up or stored."""
    if not limits.allow("receipt_image", request.remote_addr, count_refusals=True):
        return _too_many()
    code = normalize_tracking_code(request.form.get("code", ""))
    if code is None:
        abort(400)
    png = receipt_png(code, request.form.get("received", "")[:60], request.form.get("category", "")[:120],
                      request.form.get("due", "")[:60])
    return current_app.response_class(png, mimetype="image/png", headers={
        "Content-Disposition": 'attachment; filename="sujarit-receipt.png"'})


@public.route("/r/<point_code>", methods=["GET", "POST"])
def rate(point_code: str):
    """Show one service point's rating form; on a valid submission, record it and thank the citizen."""
    point = find_service_point(point_code.upper())
    if point is None:
        abort(404)
    again = limits.rated_until(session, point.code)
    if again is not None:
        return render_template("public/rated.html", point=point, again=again), 200 if request.method == "GET" else 429
    if request.method == "GET":
        return render_template("public/rate.html", point=point, form={}, errors={})
    scores = {aspect.code: request.form.get(aspect.code, "") for aspect in current_app.config["PROFILE"].aspects}
    try:
        record_rating(point.code, scores, request.form.get("suggestion", ""), channel="web",
                      respondent=respondent_answers(request.form))
    except IntakeError as refused:
        return render_template("public/rate.html", point=point, form=request.form, errors=refused.errors), 400
    thanks = _rating_thanks(point)
    # Counted last, just before the commit: the counter's row stays locked for as short a time as can be.
    if not limits.allow("rating", request.remote_addr):
        return render_template("public/rate.html", point=point, form=request.form,
                               errors={"limit": TOO_MANY_KEPT}), 429
    limits.remember_rating(session, point.code)
    return thanks


def _rating_thanks(point) -> str:
    """Return a point's thank-you page: the same for every citizen, so made once per profile and language."""
    profile = current_app.config["PROFILE"]
    kept = current_app.extensions.get("sujarit.rating_thanks")
    if kept is None or kept[0] is not profile:  # a newly loaded profile may rename the point or the office
        kept = current_app.extensions["sujarit.rating_thanks"] = (profile, {})
    key = (point.code, point.name, str(get_locale()))
    if key not in kept[1]:
        kept[1][key] = render_template("public/thanks.html", kind="rating", point=point)
    return kept[1][key]


@public.route("/feedback", methods=["GET", "POST"])
def feedback():
    """Show the general feedback form; on a valid submission, record it and thank the citizen."""
    if request.method == "GET":
        return render_template("public/feedback.html", topics=TOPICS, form={}, errors={})
    form = request.form
    try:
        record_feedback(form.get("topic", ""), form.get("text", ""), division=form.get("division", ""),
                        contact=form.get("contact", ""), channel="web")
    except IntakeError as refused:
        return render_template("public/feedback.html", topics=TOPICS, form=form, errors=refused.errors), 400
    if not limits.allow("feedback", request.remote_addr):
        return render_template("public/feedback.html", topics=TOPICS, form=form, errors={"limit": TOO_MANY_KEPT}), 429
    return render_template("public/thanks.html", kind="feedback")


@public.route("/track", methods=["GET", "POST"])
def tracking():
    """Show the tracking form; on a code, show its status history (every answer takes the same time)."""
    if request.method == "GET":
        return render_template("public/track.html", view=None, error="")
    started = time.monotonic()
    try:
        if not limits.allow("track", request.remote_addr, count_refusals=True):
            return _too_many()
        typed = request.form.get("code", "")[:40]
        if not typed.strip():
            view, error = None, "กรุณากรอกรหัสติดตามเรื่อง 16 ตัวอักษรที่ได้รับตอนส่งเรื่อง เช่น 7KQ2-M9XD-4TRB-HW3N"
        elif normalize_tracking_code(typed) is None:
            view, error = None, ("รหัสติดตามไม่ถูกต้อง รหัสมี 16 ตัวอักษร (ตัวอักษรภาษาอังกฤษและตัวเลข) "
                                 "เช่น 7KQ2-M9XD-4TRB-HW3N")
        else:
            view = track(typed)
            error = "" if view else ("ไม่พบเรื่องที่ตรงกับรหัสติดตามนี้ กรุณาตรวจสอบรหัสอีกครั้ง "
                                     "รหัสแสดงเพียงครั้งเดียวตอนส่งเรื่อง หากทำหายโปรดติดต่อหน่วยงาน")
        status = 200 if view else 404 if typed.strip() else 400
        # A code that found nothing stays in the box to be corrected; a found one is not echoed back.
        return render_template("public/track.html", view=view, error=error, typed="" if view else typed,
                               code=normalize_tracking_code(typed), answer={}, errors={}), status
    finally:
        _track_floor(started)


def _track_floor(started: float) -> None:
    floor = current_app.config.get("TRACK_SECONDS", TRACK_SECONDS)
    time.sleep(max(0.0, floor - (time.monotonic() - started)))


@public.post("/track/answer")
def track_answer():
    """Add the complainant's answer and evidence behind their tracking code, anonymously, then show the history."""
    started = time.monotonic()
    try:
        if not limits.allow("track", request.remote_addr, count_refusals=True):
            return _too_many()
        code = normalize_tracking_code(request.form.get("code", ""))
        if code is None:
            abort(404)
        evidence, evidence_error = evidence_from_uploads(request.files.getlist("evidence"))
        try:
            if evidence_error:
                raise IntakeError({"evidence": evidence_error})
            found = add_follow_up(code, request.form.get("text", ""), evidence)
        except IntakeError as refused:
            return render_template("public/track.html", view=track(code), error="", code=code,
                                   answer=request.form, errors=refused.errors), 400
        if not found:
            abort(404)
        return render_template("public/track.html", view=track(code), error="", code=code, answer={}, errors={},
                               sent=True)
    finally:
        _track_floor(started)


@public.post("/track/file/<attachment_id>")
def track_file(attachment_id: str):
    """Hand the complainant a file shared behind their tracking code (their evidence, the office's letter)."""
    started = time.monotonic()
    try:
        if not limits.allow("track", request.remote_addr, count_refusals=True):
            return _too_many()
        found = shared_file(request.form.get("code", ""), attachment_id)
        if found is None:
            abort(404)
        filename, media_type, data = found
        return current_app.response_class(data, mimetype=media_type, headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})
    finally:
        _track_floor(started)


@public.app_context_processor
def _public_helpers():
    return {"thai_date": thai_date, "now": utcnow, "respondent_questions": QUESTIONS}


ERRORS = {
    400: ("คำขอไม่ถูกต้อง", "ระบบไม่สามารถรับข้อมูลนี้ได้ กรุณากลับไปที่แบบฟอร์มแล้วลองใหม่อีกครั้ง"),
    404: ("ไม่พบหน้าที่ต้องการ", "ไม่พบหน้าหรือจุดบริการนี้ หากท่านสแกนคิวอาร์โค้ดที่จุดบริการ "
                               "กรุณาสแกนอีกครั้ง หรือแจ้งเจ้าหน้าที่"),
    405: ("ไม่รองรับวิธีการนี้", "กรุณาเปิดหน้านี้จากแบบฟอร์มของระบบ"),
}


@public.errorhandler(CSRFError)
def _csrf_error(error):
    return render_template(
        "public/error.html", code=400, title="แบบฟอร์มหมดอายุหรือไม่สมบูรณ์",
        message="ระบบไม่พบรหัสยืนยันของแบบฟอร์ม (อาจเปิดหน้าไว้นานเกินไป หรือเบราว์เซอร์ปิดคุกกี้) "
                "ข้อมูลยังไม่ถูกบันทึก กรุณาเปิดแบบฟอร์มใหม่แล้วส่งอีกครั้ง"), 400


@public.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    settings = current_app.config["SETTINGS"]
    limit_mb = max(settings.max_upload_bytes, settings.max_clip_bytes) // (1024 * 1024)
    return render_template(
        "public/error.html", code=413, title="ไฟล์แนบมีขนาดใหญ่เกินไป",
        message=f"ไฟล์ที่แนบรวมกันต้องมีขนาดไม่เกิน {limit_mb} MB ข้อมูลยังไม่ถูกบันทึก "
                "กรุณาย่อขนาดรูปภาพหรือแนบไฟล์ให้น้อยลง แล้วส่งอีกครั้ง"), 413


@public.errorhandler(HTTPException)
def error_page(error: HTTPException):
    """Explain an HTTP error on a Thai public page."""
    title, message = ERRORS.get(error.code, ("เกิดข้อผิดพลาด", "กรุณาลองใหม่อีกครั้ง"))
    return render_template("public/error.html", code=error.code, title=title, message=message), error.code
