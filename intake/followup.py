"""The complainant's side of the two-way follow-up: answering behind the tracking code, anonymously."""
from __future__ import annotations

from flask import current_app

from intake.complaints import check_evidence
from intake.errors import IntakeError
from intake.evidence import Evidence
from intake.signals import complaint_followed_up
from models import Complaint, db, server_keys

TEXT_LIMIT = 5000


def add_follow_up(code: str, text: str, evidence: list[Evidence]) -> bool:
    """Seal what the complainant adds under their tracking code and tell the officers; False for an unknown code."""
    complaint = Complaint.find_by_code(db.session, server_keys().index, code)
    if complaint is None:
        return False
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if not text and not evidence:
        errors["text"] = "กรุณาพิมพ์ข้อความหรือแนบหลักฐานอย่างน้อยหนึ่งอย่าง"
    elif len(text) > TEXT_LIMIT:
        errors["text"] = f"ข้อความยาวเกินไป (ไม่เกิน {TEXT_LIMIT:,} ตัวอักษร)"
    evidence_error = check_evidence(evidence)
    if evidence_error:
        errors["evidence"] = evidence_error
    if errors:
        raise IntakeError(errors)
    complaint.add_citizen_message(code, text, [(e.kind, e.media_type, e.filename, e.data) for e in evidence])
    db.session.flush()
    complaint_followed_up.send(current_app._get_current_object(), complaint_id=complaint.id)
    return True


def shared_file(code: str, attachment_id: str) -> tuple[str, str, bytes] | None:
    """Return (file name, media type, bytes) of a file shared behind a tracking code, or None."""
    complaint = Complaint.find_by_code(db.session, server_keys().index, code)
    if complaint is None:
        return None
    found = next(((a, name, data) for a, name, data in complaint.citizen_files(code).values()
                  if str(a.id) == attachment_id), None)
    return None if found is None else (found[1], found[0].media_type, found[2])
