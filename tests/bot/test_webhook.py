"""The webhook acknowledges only what is stored, refuses what LINE did not sign, and answers 503 when the database is down."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, func, select, text

from app import create_app
from models import db
from models.line import InboxEvent
from tests.bot.conftest import LineUser, event, texts_of
from tests.conftest import free_port


def _count() -> int:
    return db.session.scalar(select(func.count(InboxEvent.id)))


def test_wrong_or_missing_signature_is_refused(line_user):
    assert line_user.post(event("text", line_user.user_id, text="สวัสดี"), signature="bm90IGEgc2lnbmF0dXJl").status_code == 400
    assert line_user.post(event("text", line_user.user_id, text="สวัสดี"), signature="").status_code == 400
    assert _count() == 0


def test_malformed_json_with_a_valid_signature_stores_nothing(line_user):
    for body in (b"{not json", b"[]", json.dumps({"events": [{"type": "message"}]}).encode(), b"\xff\xfe"):
        assert line_user.post(body=body).status_code == 400
    assert _count() == 0


def test_the_verify_call_with_no_events_is_acknowledged(line_user):
    assert line_user.post().status_code == 200


def test_events_are_stored_encrypted_before_the_answer(line_user):
    the_event = event("text", line_user.user_id, text="ข้อความลับมาก")
    assert line_user.post(the_event).status_code == 200
    row = db.session.scalar(select(InboxEvent))
    assert row.status == "pending" and row.webhook_event_id == the_event["webhookEventId"]
    assert "ข้อความลับมาก".encode() not in row.payload_enc and line_user.user_id.encode() not in row.payload_enc
    assert len(row.user_index) == 32


def test_a_redelivered_event_is_processed_once(line_user, fake_line):
    the_event = event("text", line_user.user_id, text="ติดตามเรื่อง")
    assert line_user.post(the_event).status_code == 200
    line_user.drain()
    again = dict(the_event, deliveryContext={"isRedelivery": True})
    assert line_user.post(again).status_code == 200
    assert line_user.post(the_event, again).status_code == 200
    line_user.drain()
    assert _count() == 1
    assert len(fake_line.delivered()) == 1


def test_unknown_event_types_are_kept_and_ignored(line_user, fake_line):
    odd = event("text", line_user.user_id, text="x")
    odd.pop("message")
    odd["type"] = "somethingNewFromLine"
    assert line_user.post(odd).status_code == 200
    line_user.drain()
    assert db.session.scalar(select(InboxEvent)).status == "ignored"
    assert fake_line.delivered() == []


def test_database_down_answers_503_so_line_redelivers(settings, fake_line):
    down = settings.with_overrides(database_url=f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/gone",
                                   line_api_base=fake_line.url, line_data_api_base=fake_line.url)
    application = create_app(down)
    user = LineUser(application, application.test_client(), fake_line)
    with application.app_context():
        answer = user.post(event("text", user.user_id, text="สวัสดี"))
    assert answer.status_code == 503 and answer.headers["Retry-After"]


def test_events_of_one_user_are_handled_in_order(line_user, fake_line):
    line_user.say("แจ้งเรื่องร้องเรียน")
    line_user.say("1")
    words = ["หนึ่ง ข้อความแรกของเรื่อง", "สอง ข้อความที่สอง", "สาม ข้อความที่สาม"]
    before = len(fake_line.requests())
    assert line_user.post(*[event("text", line_user.user_id, text=w) for w in words]).status_code == 200
    line_user.drain()
    replies = [texts_of(r["body"]["messages"]) for r in fake_line.delivered(before)]
    assert [next(line for line in r.splitlines() if "รวม" in line)[:30] for r in replies] == [
        f"รับข้อความแล้วค่ะ (รวม {n} ข้อความ)"[:30] for n in (1, 2, 3)]


def test_the_acknowledgement_sets_no_cookie_and_holds_no_session(line_user):
    answer = line_user.post(event("text", line_user.user_id, text="สวัสดี"))
    assert answer.status_code == 200 and "Set-Cookie" not in answer.headers
    assert _count() == 1  # committed by the acknowledgement itself, before 200


def test_connections_a_database_restart_broke_are_replaced_without_a_ping(line_user, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: SQLite has no server to restart")
    assert line_user.post(event("text", line_user.user_id, text="ก่อน")).status_code == 200
    db.rollback()
    # What a database restart does to every open connection of this process's pool.
    admin = create_engine(database_url)
    with admin.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    admin.dispose()
    answers = [line_user.post(event("text", line_user.user_id, text=f"หลัง {n}")).status_code for n in range(3)]
    assert answers[0] in (200, 503) and answers[1:] == [200, 200]  # LINE redelivers a 503; nothing half-stored
    db.session.close()
    stored = sum(1 for code in answers if code == 200) + 1
    assert _count() == stored
