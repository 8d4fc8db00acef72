"""Helpers that build hand-made complaint and rating datasets through the real intake services."""
from __future__ import annotations

import uuid
from datetime import datetime

import pytest

from intake.complaints import ComplaintDraft, file_complaint
from intake.ratings import record_rating
from intake.service_points import sync_service_points
from models import Complaint, ComplaintStatus, db
from models.staff import RecoveryKey
from config.thai import BANGKOK


def bkk(*parts: int) -> datetime:
    """Return an aware Bangkok time."""
    return datetime(*parts, tzinfo=BANGKOK)


@pytest.fixture
def complaints(app, recovery_key):
    """Return a function that files a complaint at a chosen time and optionally closes it later."""
    private = RecoveryKey.parse_private(recovery_key)
    label = RecoveryKey.current(db.session).recipient_label

    def make(received: datetime, *, channel: str = "web", category: str = "bribery",
             status: ComplaintStatus | None = None, at: datetime | None = None) -> Complaint:
        receipt = file_complaint(ComplaintDraft(category=category, details="รายละเอียดเรื่องร้องเรียนสำหรับทดสอบ"),
                                 channel=channel, now=received)
        complaint = db.session.get(Complaint, uuid.UUID(receipt.complaint_id))
        if status is not None:
            opened = complaint.open_with(label, private)
            seq = complaint.next_event_seq()
            complaint.transition(status, by_staff_id=None, note_sealed=opened.seal_note(seq, "บันทึกทดสอบ"), at=at)
        db.session.flush()
        return complaint

    yield make
    db.commit()


@pytest.fixture
def move(app, recovery_key):
    """Return a function that changes a complaint's status at a chosen time, as an officer would."""
    private = RecoveryKey.parse_private(recovery_key)
    label = RecoveryKey.current(db.session).recipient_label

    def change(complaint: Complaint, status: ComplaintStatus, at: datetime) -> None:
        opened = complaint.open_with(label, private)
        seq = complaint.next_event_seq()
        complaint.transition(status, by_staff_id=None, note_sealed=opened.seal_note(seq, "บันทึกทดสอบ"), at=at)
        db.session.flush()

    yield change
    db.commit()


@pytest.fixture
def ratings(app):
    """Return a function that records a rating at a point and time with chosen scores."""
    sync_service_points(app.config["PROFILE"])

    def make(point: str, when: datetime, scores: tuple[int, int, int, int], suggestion: str = ""):
        aspects = [a.code for a in app.config["PROFILE"].aspects]
        return record_rating(point, dict(zip(aspects, scores)), suggestion, channel="qr", now=when)

    yield make
    db.commit()
