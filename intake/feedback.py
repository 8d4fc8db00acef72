"""General feedback (suggestions, general complaints, praise): kept apart from corruption complaints."""
from __future__ import annotations

import uuid
from datetime import datetime

from flask import current_app

from intake.errors import IntakeError
from models import Feedback, db, server_keys, utcnow

TOPICS = {
    "suggestion": "ข้อเสนอแนะเพื่อปรับปรุงการให้บริการ",
    "complaint": "เรื่องร้องทุกข์ / ร้องเรียนทั่วไป (ไม่ใช่การทุจริต)",
    "praise": "คำชมเชย",
}
TEXT_LIMIT = 3000
CONTACT_LIMIT = 300


def record_feedback(topic: str, text: str, *, division: str = "", contact: str = "", channel: str,
                    now: datetime | None = None) -> Feedback:
    """Validate and store one piece of general feedback; raise IntakeError with Thai messages."""
    profile = current_app.config["PROFILE"]
    text, contact, division = (text or "").strip(), (contact or "").strip(), (division or "").strip()
    errors: dict[str, str] = {}
    if topic not in TOPICS:
        errors["topic"] = "กรุณาเลือกประเภทของความคิดเห็น"
    if len(text) < 5:
        errors["text"] = "กรุณาพิมพ์ความคิดเห็นหรือข้อเสนอแนะอย่างน้อย 5 ตัวอักษร"
    elif len(text) > TEXT_LIMIT:
        errors["text"] = f"ข้อความยาวเกินไป (ไม่เกิน {TEXT_LIMIT:,} ตัวอักษร)"
    if division and division not in {d.code for d in profile.divisions}:
        errors["division"] = "กรุณาเลือกหน่วยงานจากรายการ"
    if len(contact) > CONTACT_LIMIT:
        errors["contact"] = f"ช่องทางติดต่อยาวเกินไป (ไม่เกิน {CONTACT_LIMIT:,} ตัวอักษร)"
    if errors:
        raise IntakeError(errors)
    item = Feedback(id=uuid.uuid4(), created_at=now or utcnow(), channel=channel, topic=topic,
                    division=division or None)
    item.set_content(server_keys().keyring, text, contact)
    db.session.add(item)
    db.session.flush()
    return item
