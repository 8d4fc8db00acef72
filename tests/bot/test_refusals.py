"""Failures are not silent: only an invalid reply token becomes a push; any other refusal is told, not retried."""
from __future__ import annotations

import dataclasses

from sqlalchemy import select

from bot import texts
from bot.worker import Worker, WorkerOptions
from models import db
from models.line import OutboxMessage
from staff.casedesk import change_status
from tests.bot.conftest import texts_of
from tests.bot.test_long_content import _case

GROUP = "C" + "5" * 32


def _with_staff_group(app) -> None:
    app.config["PROFILE"] = dataclasses.replace(app.config["PROFILE"], staff_group_id=GROUP)


def test_a_refused_reply_is_not_pushed_again_the_citizen_is_told_and_staff_alerted(app, line_user, fake_line):
    _with_staff_group(app)
    fake_line.fail("reply", 400)
    line_user.say(texts.CMD_TRACKING)
    calls = fake_line.requests()
    assert [c["path"] for c in calls].count("/v2/bot/message/reply") == 1  # a 400 is not tried again
    pushes = [c["body"] for c in fake_line.delivered() if c["path"].endswith("/push")]
    to_user = [p for p in pushes if p["to"] == line_user.user_id]
    to_staff = [p for p in pushes if p["to"] == GROUP]
    assert len(to_user) == 1 and "/track" in texts_of(to_user[0]["messages"])
    assert texts.T_ASK not in texts_of(to_user[0]["messages"])  # the refused content itself never went out
    assert len(to_staff) == 1 and texts_of(to_staff[0]["messages"]) == texts.STAFF_SEND_FAILED.format(status=400)
    assert db.session.scalar(select(OutboxMessage)) is None  # nothing of the refused message is kept


def test_a_refused_status_push_alerts_staff_without_content(app, officer, line_user, fake_line):
    code, complaint, key = _case(app, officer, line_user, fake_line)
    _with_staff_group(app)
    before = len(fake_line.requests())
    fake_line.fail("push", 400)
    change_status(officer, complaint, key, "in_progress", "รับเรื่อง", reply="ขอเอกสารเพิ่มเติมค่ะ")
    db.commit()
    Worker(app, WorkerOptions(threads=1)).run_once()
    Worker(app, WorkerOptions(threads=1)).run_once()
    delivered = [c["body"] for c in fake_line.delivered(before)]
    alerts = [b for b in delivered if b["to"] == GROUP]
    notices = [b for b in delivered if b["to"] == line_user.user_id]
    assert [texts_of(a["messages"]) for a in alerts] == [texts.STAFF_SEND_FAILED.format(status=400)]
    assert "ขอเอกสารเพิ่มเติม" not in texts_of([m for b in delivered for m in b["messages"]])
    assert code not in texts_of([m for b in delivered for m in b["messages"]])
    assert len(notices) == 1 and "/track" in texts_of(notices[0]["messages"])
    assert db.session.scalar(select(OutboxMessage)) is None


def test_an_invalid_reply_token_still_falls_back_to_a_push(line_user, fake_line):
    fake_line.state.reply_token_seconds = 0  # every token has expired by the time the worker replies
    messages = line_user.say(texts.CMD_TRACKING)
    assert texts.T_ASK in texts_of(messages)
    assert [(c["path"], bool(c["body"].get("_ok"))) for c in fake_line.requests()] == [
        ("/v2/bot/message/reply", False), ("/v2/bot/message/push", True)]
