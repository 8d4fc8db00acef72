"""Ratings store plain scores and an encrypted suggestion; tracking shows progress and replies only."""
from __future__ import annotations

import pytest

from intake.complaints import ComplaintDraft, file_complaint
from intake.errors import IntakeError
from intake.ratings import record_rating
from intake.service_points import sync_service_points
from intake.tracking import track
from models import Complaint, ComplaintStatus, db, server_keys
from tests.conftest import OFFICER_PASSWORD

FULL = {"process": 5, "staff": 4, "facilities": 3, "quality": "5"}


@pytest.fixture
def points(app):
    sync_service_points(app.config["PROFILE"])
    db.commit()


def test_rating_round_trip(app, points):
    rating = record_rating("TAX", FULL, "  อยากให้มีที่จอดรถเพิ่ม ", channel="web")
    db.commit()
    assert sorted((a.aspect, a.score) for a in rating.answers) == [
        ("facilities", 3), ("process", 5), ("quality", 5), ("staff", 4)]
    assert rating.suggestion(server_keys().keyring) == "อยากให้มีที่จอดรถเพิ่ม"
    assert "อยากให้".encode() not in rating.suggestion_enc


@pytest.mark.parametrize("point, scores, field", [
    ("NOPE", FULL, "point"),
    ("TAX", dict(FULL, staff=6), "staff"),
    ("TAX", {k: v for k, v in FULL.items() if k != "quality"}, "quality"),
    ("TAX", dict(FULL, process="x"), "process"),
])
def test_bad_ratings_are_refused(app, points, point, scores, field):
    with pytest.raises(IntakeError) as caught:
        record_rating(point, scores, channel="web")
    assert field in caught.value.errors


def test_tracking_shows_status_and_reply(app, officer):
    receipt = file_complaint(ComplaintDraft(category="misconduct", details="เจ้าหน้าที่ไม่อยู่ปฏิบัติงาน"), channel="web")
    assert track(receipt.tracking_code).status_label == "รับเรื่องแล้ว"
    complaint = Complaint.find_by_code(db.session, server_keys().index, receipt.tracking_code)
    opened = complaint.open_with(officer.recipient_label, officer.unlock_private_key(OFFICER_PASSWORD))
    seq = complaint.next_event_seq()
    complaint.transition(ComplaintStatus.COMPLETED, by_staff_id=officer.id, note_sealed=opened.seal_note(seq, "ok"),
                         reply_sealed=opened.seal_reply(seq, "ได้ตักเตือนเจ้าหน้าที่แล้ว"))
    complaint.annotate(by_staff_id=officer.id, note_sealed=opened.seal_note(complaint.next_event_seq(), "ภายใน"))
    db.commit()
    view = track(receipt.tracking_code.replace("-", "").lower())
    assert view.status == ComplaintStatus.COMPLETED and view.category_name.startswith("ประพฤติมิชอบ")
    assert [s.reply for s in view.history] == ["", "ได้ตักเตือนเจ้าหน้าที่แล้ว"]
    assert track("0000-0000-0000-0000") is None and track("garbage") is None
