"""Getting messages to LINE: expired reply tokens, 5xx and 429 with retries, status pushes, staff alerts, parking."""
from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy import select, update

from bot import texts
from bot.notify import push_text
from bot.worker import Worker, WorkerOptions
from intake.signals import complaint_status_changed
from models import Complaint, ComplaintStatus, db, server_keys, utcnow
from models.line import InboxEvent, OutboxMessage
from tests.bot.conftest import event, texts_of
from tests.bot.test_complaint_dialog import _file_complaint
from tests.conftest import OFFICER_PASSWORD


def test_an_expired_reply_token_falls_back_to_a_push(line_user, fake_line):
    the_event = event("text", line_user.user_id, text=texts.CMD_TRACKING)
    assert line_user.post(the_event).status_code == 200
    fake_line.expire(the_event["replyToken"])
    line_user.drain()
    calls = fake_line.requests()
    assert [(c["path"], bool(c["body"].get("_ok"))) for c in calls] == [
        ("/v2/bot/message/reply", False), ("/v2/bot/message/push", True)]
    push = calls[1]
    assert push["body"]["to"] == line_user.user_id and texts.T_ASK in texts_of(push["body"]["messages"])
    assert len(push["headers"]["X-Line-Retry-Key"]) == 36


def test_a_500_then_success_delivers_one_message(line_user, fake_line):
    fake_line.fail("reply", 500)
    messages = line_user.say(texts.CMD_TRACKING)
    assert texts.T_ASK in texts_of(messages)
    replies = [c for c in fake_line.requests() if c["path"].endswith("/reply")]
    assert len(replies) == 2 and len(fake_line.delivered()) == 1


def test_a_push_answered_500_then_429_is_delivered_once(app, fake_line):
    fake_line.fail("push", 500, 429)
    push_text("Cdeadbeefdeadbeefdeadbeefdeadbeef", "รายงานประจำเดือนพร้อมแล้ว", retry_key="0b8f0e4c-2a64-4a3c-9a55-6c1b7e2f0d11")
    push_text("Cdeadbeefdeadbeefdeadbeefdeadbeef", "รายงานประจำเดือนพร้อมแล้ว", retry_key="0b8f0e4c-2a64-4a3c-9a55-6c1b7e2f0d11")
    pushes = [c for c in fake_line.requests() if c["path"].endswith("/push")]
    assert len(pushes) == 4 and len(fake_line.delivered()) == 1  # 500, 429, accepted, 409 (already accepted)


def test_a_message_line_keeps_refusing_is_retried_later_not_lost(line_user, fake_line):
    fake_line.fail("reply", 503, 503, 503)
    line_user.say(texts.CMD_TRACKING)
    row = db.session.scalar(select(OutboxMessage))
    assert row.status == "pending" and row.attempts == 1 and row.next_attempt_at > utcnow()
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.commit()
    line_user.drain()
    assert db.session.scalar(select(OutboxMessage)) is None
    assert len(fake_line.delivered()) == 1


def test_status_change_pushes_a_thai_notice_to_the_filer(app, officer, line_user, fake_line):
    receipt = _file_complaint(line_user, fake_line, wants_updates=True)
    code = receipt[-1]["text"].rsplit(" ", 1)[-1]
    complaint = Complaint.find_by_code(db.session, server_keys().index, code)
    opened = complaint.open_with(officer.recipient_label, officer.unlock_private_key(OFFICER_PASSWORD))
    assert opened.content().line_user == line_user.user_id
    seq = complaint.next_event_seq()
    complaint.transition(ComplaintStatus.IN_PROGRESS, by_staff_id=officer.id, note_sealed=opened.seal_note(seq, "รับ"),
                         reply_sealed=opened.seal_reply(seq, "กำลังตรวจสอบข้อเท็จจริง"))
    complaint_status_changed.send(app, complaint_id=complaint.id, status=ComplaintStatus.IN_PROGRESS,
                                  reply="กำลังตรวจสอบข้อเท็จจริง", line_user=opened.content().line_user)
    db.commit()
    before = len(fake_line.requests())
    line_user.drain()
    [push] = fake_line.delivered(before)
    assert push["path"] == "/v2/bot/message/push" and push["body"]["to"] == line_user.user_id
    assert push["headers"]["X-Line-Retry-Key"]
    words = texts_of(push["body"]["messages"])
    assert "อยู่ระหว่างดำเนินการ" in words and "กำลังตรวจสอบข้อเท็จจริง" in words and code not in words


def test_no_push_when_the_filer_did_not_ask(app, officer, line_user, fake_line):
    complaint_status_changed.send(app, complaint_id="x", status=ComplaintStatus.COMPLETED, reply="", line_user="")
    db.commit()
    line_user.drain()
    assert db.session.scalar(select(OutboxMessage)) is None


def test_staff_group_hears_of_a_new_complaint_without_content(app, officer, line_user, fake_line):
    group = "C" + "a" * 32
    app.config["PROFILE"] = dataclasses.replace(app.config["PROFILE"], staff_group_id=group)
    _file_complaint(line_user, fake_line)
    line_user.drain()
    alerts = [c for c in fake_line.delivered() if c["body"].get("to") == group]
    assert len(alerts) == 1
    assert texts_of(alerts[0]["body"]["messages"]) == texts.STAFF_NEW_COMPLAINT
    assert "มีเรื่องร้องเรียนใหม่" in texts.STAFF_NEW_COMPLAINT


def test_an_event_that_keeps_failing_is_parked_and_staff_are_told(app, line_user, fake_line):
    group = "C" + "b" * 32
    app.config["PROFILE"] = dataclasses.replace(app.config["PROFILE"], staff_group_id=group)
    line_user.worker = Worker(app, WorkerOptions(threads=1, max_attempts=2))
    line_user.say(texts.CMD_COMPLAINT)
    line_user.say("1")
    fake_line.fail("content", *[500] * 6)  # three quick tries per attempt, two attempts
    fake_line.seed("777", b"\x89PNG\r\n\x1a\n")
    line_user.send("image", message_id="777")
    image_event = db.session.scalar(select(InboxEvent).where(InboxEvent.attempts == 1, InboxEvent.status == "pending"))
    assert image_event.last_error.startswith("LineApiError")
    db.session.execute(update(InboxEvent).where(InboxEvent.id == image_event.id).values(next_attempt_at=utcnow()))
    db.commit()
    line_user.drain()
    db.session.refresh(image_event)
    assert image_event.status == "parked"
    delivered = fake_line.delivered()
    assert any(c["body"].get("to") == group and texts_of(c["body"]["messages"]) == texts.WORKER_ALERT for c in delivered)
    assert any(c["body"].get("to") == line_user.user_id and texts.APOLOGY in texts_of(c["body"]["messages"])
               for c in delivered)
    # The parked event does not hold up the user's next ones.
    assert "รวม 1 ข้อความ" in texts_of(line_user.say("เรื่องนี้เกิดขึ้นที่สำนักงาน อบต."))
