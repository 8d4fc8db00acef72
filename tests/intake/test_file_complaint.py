"""`file_complaint` validates with Thai messages and stores nothing on bad input."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from intake.complaints import ComplaintDraft, file_complaint
from intake.errors import IntakeError
from intake.evidence import Evidence, evidence_from_upload
from models import Attachment, Complaint, db, server_keys
from tests.conftest import OFFICER_PASSWORD

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("draft, field", [
    (ComplaintDraft(category="nope", details="รายละเอียดครบถ้วนเพียงพอ"), "category"),
    (ComplaintDraft(category="bribery", details="สั้น"), "details"),
    (ComplaintDraft(category="bribery", details="ก" * 5001), "details"),
    (ComplaintDraft(category="bribery", details="รายละเอียดครบถ้วนเพียงพอ", anonymous=False), "contact"),
    (ComplaintDraft(category="bribery", details="รายละเอียดครบถ้วนเพียงพอ", anonymous=False, phone="abc"), "phone"),
    (ComplaintDraft(category="bribery", details="รายละเอียดครบถ้วนเพียงพอ", anonymous=False, email="x@"), "email"),
    (ComplaintDraft(category="bribery", details="รายละเอียดครบถ้วนเพียงพอ",
                    evidence=[Evidence("image", "image/png", "a.png", b"MZ\x90\x00 not an image")]), "evidence"),
])
def test_bad_drafts_are_refused_in_thai_and_nothing_is_stored(app, officer, draft, field):
    with pytest.raises(IntakeError) as caught:
        file_complaint(draft, channel="web")
    assert field in caught.value.errors
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in caught.value.errors[field])  # the message is Thai
    db.rollback()
    assert count(Complaint) == 0


def test_evidence_type_comes_from_content_not_name():
    assert evidence_from_upload("photo.png", b"%PDF-1.7 ...").media_type == "application/pdf"
    assert evidence_from_upload("evil.jpg", b"<?php echo 1; ?>") is None


def test_filed_complaint_carries_sealed_evidence_and_due_date(app, officer):
    receipt = file_complaint(ComplaintDraft(category="bribery", details="รายละเอียดครบถ้วนเพียงพอ",
                                            anonymous=True, name="ไม่ควรถูกเก็บ",
                                            evidence=[evidence_from_upload("slip.png", PNG)]), channel="web")
    db.commit()
    assert (receipt.due_at - receipt.received_at).days == app.config["PROFILE"].processing_days
    complaint = Complaint.find_by_code(db.session, server_keys().index, receipt.tracking_code)
    opened = complaint.open_with(officer.recipient_label, officer.unlock_private_key(OFFICER_PASSWORD))
    assert opened.content().contact == {}  # anonymous drops any contact typed before choosing it
    assert count(Attachment) == 1
    assert opened.read_attachment(complaint.attachments[0]) == ("slip.png", PNG)
