"""Filing corruption complaints: one function for the web form and the LINE bot alike."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app

from intake.errors import IntakeError
from intake.evidence import ACCEPTED, MAX_FILES, Evidence, size_limit, sniff, too_big_message
from intake.signals import complaint_filed
from models import CHANNELS, Complaint, ComplaintContent, complaint_recipients, db, server_keys, utcnow

LIMITS = {"details": 5000, "accused": 500, "place_time": 500, "name": 200, "phone": 20, "email": 200}
_PHONE = re.compile(r"^\+?[0-9๐-๙][0-9๐-๙ \-]{7,18}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class ComplaintDraft:
    """What a citizen hands in, before validation."""

    category: str
    details: str
    accused: str = ""
    place_time: str = ""
    anonymous: bool = True
    name: str = ""
    phone: str = ""
    email: str = ""
    wants_updates: bool = False
    line_user: str = ""
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class Receipt:
    """What the citizen gets back: the tracking code is shown once and stored nowhere."""

    tracking_code: str
    complaint_id: str
    received_at: datetime
    due_at: datetime
    category_name: str


def validate(draft: ComplaintDraft) -> ComplaintDraft:
    """Return a cleaned draft, or raise IntakeError with a Thai message per field."""
    profile = current_app.config["PROFILE"]
    errors: dict[str, str] = {}
    clean = {name: (getattr(draft, name) or "").strip() for name in LIMITS}
    if draft.category not in {c.code for c in profile.categories}:
        errors["category"] = "กรุณาเลือกประเภทเรื่องร้องเรียน"
    if len(clean["details"]) < 10:
        errors["details"] = "กรุณาเล่ารายละเอียดของเรื่องที่ร้องเรียนอย่างน้อย 10 ตัวอักษร"
    for name, limit in LIMITS.items():
        if len(clean[name]) > limit:
            errors[name] = f"ข้อความยาวเกินไป (ไม่เกิน {limit:,} ตัวอักษร)"
    if draft.anonymous:
        clean.update(name="", phone="", email="")
    else:
        if clean["phone"] and not _PHONE.match(clean["phone"]):
            errors["phone"] = "หมายเลขโทรศัพท์ไม่ถูกต้อง เช่น 081-234-5678"
        if clean["email"] and not _EMAIL.match(clean["email"]):
            errors["email"] = "อีเมลไม่ถูกต้อง เช่น somchai@example.com"
        if not (clean["name"] or clean["phone"] or clean["email"]):
            errors["contact"] = "หากไม่ประสงค์ระบุตัวตน กรุณาเลือก “ไม่ประสงค์ออกนาม” หรือกรอกช่องทางติดต่ออย่างน้อยหนึ่งช่องทาง"
    if len(draft.evidence) > MAX_FILES:
        errors["evidence"] = f"แนบหลักฐานได้ไม่เกิน {MAX_FILES} รายการ"
    for item in draft.evidence:
        if len(item.data) > size_limit(item.kind):
            errors["evidence"] = too_big_message(item.filename, item.kind)
        elif item.kind != "location" and sniff(item.data) is None:
            errors["evidence"] = f"ไฟล์ “{item.filename}” ไม่ใช่ไฟล์ที่ระบบรับได้ รับได้เฉพาะ{ACCEPTED}"
    if errors:
        raise IntakeError(errors)
    return ComplaintDraft(category=draft.category, anonymous=draft.anonymous, wants_updates=draft.wants_updates,
                          line_user=draft.line_user if draft.wants_updates else "", evidence=list(draft.evidence),
                          **clean)


def file_complaint(draft: ComplaintDraft, *, channel: str, now: datetime | None = None) -> Receipt:
    """Validate a draft, seal it to the complaint officers and the recovery key, and store it."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel}")
    clean = validate(draft)
    profile = current_app.config["PROFILE"]
    session = db.session
    recipients = complaint_recipients(session)
    if not recipients:
        raise RuntimeError("no complaint officer or recovery key is set up; run `flask setup` first")
    received_at = now or utcnow()
    contact = {k: v for k, v in (("name", clean.name), ("phone", clean.phone), ("email", clean.email)) if v}
    content = ComplaintContent(details=clean.details, accused=clean.accused, place_time=clean.place_time,
                               contact=contact, line_user=clean.line_user)
    complaint, opened, code = Complaint.file(
        session, server_keys().index, channel=channel, category=clean.category, content=content,
        recipients=recipients, received_at=received_at,
        due_at=received_at + timedelta(days=profile.processing_days), wants_updates=clean.wants_updates)
    for item in clean.evidence:
        opened.add_attachment(kind=item.kind, media_type=item.media_type, filename=item.filename,
                              data=item.data, at=received_at)
    session.flush()
    complaint_filed.send(current_app._get_current_object(), complaint_id=complaint.id, channel=channel,
                         received_at=received_at)
    return Receipt(tracking_code=code, complaint_id=str(complaint.id), received_at=received_at,
                   due_at=complaint.due_at, category_name=profile.category_name(clean.category))
