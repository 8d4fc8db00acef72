"""No trail back to a person: no lasting pseudonym of a LINE user, no recoverable client address, no replays."""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from bot import texts
from bot.inbox import DEDUPE_WINDOW, user_index
from bot.maintenance import purge_expired
from intake import limits
from models import Rating, db, utcnow
from models.flight import WINDOW
from models.line import Conversation, InboxEvent
from tests.bot.conftest import event, postbacks, texts_of
from tests.forensics import ServerSecrets, every_row_value, raw_database_files

ADDRESS = "203.0.113.77"


@pytest.fixture
def settings(settings, tmp_path):
    """A key-state folder of this test's own: these tests move the clock on."""
    return settings.with_overrides(flight_key_dir=tmp_path / "flight")


def _rows() -> set:
    return set(every_row_value())


def _identifying(rows: set) -> set:
    """Return the values of rows that could tie them together: bytes, and strings long enough to be an id."""
    return {value for _, row in rows for value in row
            if isinstance(value, bytes) and value or isinstance(value, str) and len(value) >= 12}


def _rate(user, point: str = "TAX") -> list[dict]:
    messages = user.say(f"ประเมิน {point}")
    while texts.R_SUGGESTION not in texts_of(messages) and postbacks(messages):
        messages = user.tap(postbacks(messages)["5 มากที่สุด"])
    return user.say(texts.R_NO_SUGGESTION) if texts.R_SUGGESTION in texts_of(messages) else messages


def test_a_rating_and_a_complaint_by_one_user_share_no_value(app, officer, line_user):
    before = _rows()
    assert "ขอบคุณสำหรับการประเมิน" in texts_of(_rate(line_user))
    after_rating = _rows()
    for said in (texts.CMD_COMPLAINT, "1", "เจ้าหน้าที่เรียกเงินค่าธรรมเนียมเกินอัตรา", texts.Q_DONE_DETAILS,
                 texts.Q_NO_EVIDENCE, texts.C_ANONYMOUS, texts.C_UPDATES_NO):
        line_user.say(said)
    assert "รหัสติดตามเรื่อง" in texts_of(line_user.tap("step=c_confirm&do=file"))
    after_complaint = _rows()

    # The rows the rating left and the rows the complaint left (new or changed) have no value in common.
    of_rating = _identifying(after_rating - before)
    of_complaint = _identifying(after_complaint - after_rating)
    assert of_rating and of_complaint
    assert of_rating & of_complaint == set()
    everything = _identifying(after_complaint)
    assert line_user.user_id.encode() not in b"".join(v if isinstance(v, bytes) else v.encode() for v in everything)
    # The inbox keeps the event ids for deduplication, and nothing of the user.
    assert db.session.scalar(select(func.count(InboxEvent.id)).where(InboxEvent.user_index.is_not(None))) == 0


def test_rating_the_same_counter_again_within_the_hour_is_refused_in_line(app, line_user):
    _rate(line_user)
    again = texts_of(line_user.say("ประเมิน TAX"))
    assert "ท่านได้ประเมินจุดบริการชำระภาษี" in again and "แล้วค่ะ" in again and "ชั่วโมงละหนึ่งครั้ง" in again
    assert db.session.scalar(select(func.count(Rating.id))) == 1
    # Another counter is fine, and the same one an hour later.
    assert "ข้อ 1/4" in texts_of(line_user.say("ประเมิน WATER"))
    line_user.say(texts.CMD_CANCEL)
    with time_machine.travel(utcnow() + timedelta(minutes=61), tick=True):
        assert "ข้อ 1/4" in texts_of(line_user.say("ประเมิน TAX"))


def _digests_of(address: str, secrets: ServerSecrets, windows: list[int]) -> set[bytes]:
    """Return every keyed hash of the address an insider can make with every key the server has."""
    found = set()
    for key in secrets.raw_keys:
        for action in limits.DEFAULT_LIMITS:
            messages = [f"throttle\x00{action}\x00{address}"] + \
                       [f"throttle\x00{action}\x00{w}\x00{address}" for w in windows]
            found |= {hmac.new(key, m.encode(), hashlib.sha256).digest() for m in messages}
    return found


def test_no_stored_value_is_a_function_of_a_client_address_once_its_window_passed(app, settings):
    now = utcnow()
    assert limits.allow("complaint", ADDRESS) and limits.allow("track", ADDRESS)
    db.commit()
    windows = [int(now.timestamp()) // s for s in (600, 3600)]
    stored = {v for _, row in every_row_value() for v in row if isinstance(v, bytes)}
    # While the window runs, the server can recognise the address (that is what the counter is for).
    assert _digests_of(ADDRESS, ServerSecrets.taken_now(settings), windows) & stored

    with time_machine.travel(now + timedelta(hours=1, minutes=1), tick=True):
        limits.allow("complaint", "198.51.100.1")  # any later request: the ended windows' keys are dropped
        db.commit()
        secrets = ServerSecrets.taken_now(settings)
        raw, _ = raw_database_files(settings.database_url)
        stored_then = stored | {v for _, row in every_row_value() for v in row if isinstance(v, bytes)}
        assert _digests_of(ADDRESS, secrets, windows) & stored_then == set()
        for digest in _digests_of(ADDRESS, secrets, windows):
            assert digest not in raw
        purge_expired(utcnow())


def test_a_signed_event_replayed_after_the_dedupe_window_is_not_processed_again(app, line_user, fake_line):
    original = event("text", line_user.user_id, text=texts.CMD_INFO)
    body = json.dumps({"destination": "Ubot", "events": [original]}).encode()
    assert line_user.post(body=body).status_code == 200
    line_user.drain()
    replies = len(fake_line.delivered())
    assert replies == 1

    with time_machine.travel(utcnow() + DEDUPE_WINDOW + timedelta(hours=2), tick=True):
        purge_expired(utcnow())
        assert db.session.scalar(select(func.count(InboxEvent.id))) == 0  # the dedupe record is gone
        assert line_user.post(body=body).status_code == 200  # acknowledged, so LINE stops sending it
        line_user.drain()
        assert db.session.scalar(select(func.count(InboxEvent.id))) == 0
        assert len(fake_line.delivered()) == replies


def test_an_event_left_unhandled_past_the_window_is_dropped_unread(app, line_user, fake_line):
    assert line_user.post(event("text", line_user.user_id, text=texts.CMD_INFO)).status_code == 200
    with time_machine.travel(utcnow() + WINDOW + timedelta(hours=1), tick=True):
        line_user.drain()
        row = db.session.scalar(select(InboxEvent))
        assert row.status == "ignored" and row.payload_enc == b"" and row.user_index is None
        assert fake_line.delivered() == []


def test_a_dialog_goes_on_across_midnight_under_the_new_day_hash(app, line_user):
    midnight = (utcnow() + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    with time_machine.travel(midnight - timedelta(minutes=10), tick=True):
        line_user.say(texts.CMD_COMPLAINT)
        line_user.say("1")
        yesterday = db.session.scalar(select(Conversation.user_index))
    with time_machine.travel(midnight + timedelta(minutes=10), tick=True):
        assert "รวม 1 ข้อความ" in texts_of(line_user.say("เจ้าหน้าที่เรียกเงินค่าธรรมเนียมเกินอัตรา"))
        assert db.session.scalars(select(Conversation.user_index)).all() == [user_index(line_user.user_id)]
        assert user_index(line_user.user_id) != yesterday
