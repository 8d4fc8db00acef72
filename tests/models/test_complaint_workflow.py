"""Status changes live on the complaint and refuse what the workflow forbids."""
from __future__ import annotations

import pytest

from intake.complaints import ComplaintDraft, file_complaint
from models import Complaint, ComplaintStatus, InvalidTransition, db, server_keys
from tests.conftest import OFFICER_PASSWORD


def test_transition_history_notes_and_citizen_reply(app, officer, recovery_key):
    receipt = file_complaint(ComplaintDraft(category="procurement", details="จัดซื้อวัสดุราคาสูงเกินจริง"), channel="line")
    complaint = Complaint.find_by_code(db.session, server_keys().index, receipt.tracking_code)
    opened = complaint.open_with(officer.recipient_label, officer.unlock_private_key(OFFICER_PASSWORD))

    with pytest.raises(InvalidTransition):
        complaint.transition(ComplaintStatus.IN_PROGRESS, by_staff_id=officer.id, note_sealed=None)
    seq = complaint.next_event_seq()
    complaint.transition(ComplaintStatus.IN_PROGRESS, by_staff_id=officer.id,
                         note_sealed=opened.seal_note(seq, "มอบหมายหัวหน้าสำนักปลัดตรวจสอบ"))
    seq = complaint.next_event_seq()
    complaint.transition(ComplaintStatus.COMPLETED, by_staff_id=officer.id,
                         note_sealed=opened.seal_note(seq, "สอบข้อเท็จจริงแล้ว"),
                         reply_sealed=opened.seal_reply(seq, "ตรวจสอบแล้ว ได้ลงโทษทางวินัย"))
    db.commit()
    assert complaint.status == ComplaintStatus.COMPLETED and complaint.closed_at is not None
    with pytest.raises(InvalidTransition):
        complaint.transition(ComplaintStatus.FORWARDED, by_staff_id=officer.id, note_sealed=b"x")

    assert [e.status for e in complaint.events] == ["received", "in_progress", "completed"]
    assert opened.read_note(complaint.events[1]) == "มอบหมายหัวหน้าสำนักปลัดตรวจสอบ"
    assert complaint.citizen_replies(receipt.tracking_code) == {3: "ตรวจสอบแล้ว ได้ลงโทษทางวินัย"}

    seq = complaint.next_event_seq()
    complaint.transition(ComplaintStatus.IN_PROGRESS, by_staff_id=officer.id, note_sealed=opened.seal_note(seq, "เปิดใหม่"))
    assert complaint.closed_at is None and not ComplaintStatus(complaint.status).is_closed


def test_every_status_rolls_up_into_one_ita_count():
    for status in ComplaintStatus:
        assert status.label and isinstance(status.is_closed, bool)
    assert {s for s in ComplaintStatus if not s.is_closed} == {ComplaintStatus.RECEIVED, ComplaintStatus.IN_PROGRESS}
