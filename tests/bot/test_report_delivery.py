"""A report the clock makes is announced in the staff LINE group, through the bot's outbox, once."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

from stats.clock import run_due
from tests.bot.conftest import texts_of

STAFF_GROUP = "C" + "5" * 32


def test_clock_reports_reach_the_staff_group_once(app, line_user, fake_line):
    app.config["PROFILE"] = dataclasses.replace(app.config["PROFILE"], staff_group_id=STAFF_GROUP)
    now = datetime(2026, 11, 1, 1, 0, tzinfo=timezone.utc)  # 08:00 on 1 November in Bangkok
    made = run_due(now)
    assert ("complaints", "2569-10") in made
    line_user.drain()
    run_due(now)  # a second tick makes nothing new and announces nothing again
    line_user.drain()
    pushes = [r["body"] for r in fake_line.delivered() if r["path"].endswith("/push")]
    to_group = [p for p in pushes if p["to"] == STAFF_GROUP]
    complaint_notices = [p for p in to_group if "ตุลาคม 2569" in texts_of(p["messages"]) and "รับเรื่อง" in texts_of(p["messages"])]
    assert len(complaint_notices) == 1
    assert "/transparency#complaints" in texts_of(complaint_notices[0]["messages"])
