"""Kill a real worker process (SIGKILL) at random points during 500 events: every complaint exists exactly once."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot import texts
from models import Complaint, db
from models.line import InboxEvent, OutboxMessage
from tests.bot.conftest import event
from tests.conftest import OFFICER_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
USERS = 50


def _script(user_id: str, marker: str) -> list[dict]:
    """Return the ten events of one user filing an anonymous complaint."""
    said = [texts.CMD_COMPLAINT, "1", f"เรื่องหมายเลข {marker} เจ้าหน้าที่เรียกรับเงิน", "เกิดขึ้นที่สำนักงาน",
            texts.Q_DONE_DETAILS, texts.Q_NO_EVIDENCE, texts.C_ANONYMOUS, texts.C_UPDATES_NO]
    return ([event("follow", user_id)] + [event("text", user_id, text=t) for t in said]
            + [event("postback", user_id, data="step=c_confirm&do=file")])


def _start_worker(test_environ, fake_url) -> subprocess.Popen:
    env = {**os.environ, **test_environ, "LINE_API_BASE": fake_url, "LINE_DATA_API_BASE": fake_url,
           "LOG_LEVEL": "WARNING"}
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app:create_app", "bot", "worker",
                                "--threads", "3", "--lease", "1"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    process.stdout.readline()  # "LINE worker: ..." once it is running
    return process


def _open_events() -> int:
    db.session.expire_all()
    open_events = db.session.scalar(select(func.count(InboxEvent.id)).where(InboxEvent.status.in_(("pending", "processing"))))
    open_messages = db.session.scalar(select(func.count(OutboxMessage.id)))
    db.rollback()
    return open_events + open_messages


def _claimed() -> int:
    """Return how many events a worker had claimed and not finished (what a kill leaves behind)."""
    db.session.expire_all()
    claimed = db.session.scalar(select(func.count(InboxEvent.id)).where(InboxEvent.status == "processing"))
    db.rollback()
    return claimed


@pytest.mark.slow
@pytest.mark.timeout(150)
def test_sigkilled_worker_loses_and_doubles_nothing(app, officer, line_user, fake_line, test_environ):
    # The 500-event backlog is this test's, not a real chat's: tokens live through it (expiry is tested elsewhere).
    fake_line.state.reply_token_seconds = 150
    seed = random.randrange(1 << 30)
    chooser = random.Random(seed)
    markers = {f"U{n:031d}{chooser.randrange(16):x}": f"M{n:03d}" for n in range(USERS)}
    scripts = [_script(user, marker) for user, marker in markers.items()]
    for step in range(10):  # interleave users, as real traffic does, one webhook call per step
        assert line_user.post(*[s[step] for s in scripts]).status_code == 200
    assert _open_events() == USERS * 10

    kills, cut_short, deadline = 0, 0, time.monotonic() + 110
    while _open_events() and time.monotonic() < deadline:
        worker = _start_worker(test_environ, fake_line.url)
        if kills < 8:
            time.sleep(chooser.uniform(0.05, 0.9))
            if worker.poll() is None:
                worker.send_signal(signal.SIGKILL)
                kills += 1
            worker.wait()
            cut_short += _claimed() > 0
            continue
        while _open_events() and time.monotonic() < deadline:
            time.sleep(0.2)
        worker.send_signal(signal.SIGTERM)
        worker.wait(20)
    assert _open_events() == 0, f"work left after the deadline (seed {seed}, {kills} kills)"
    # Up to 8 kills; a fast machine may finish the work before the last ones. What matters is that
    # several kills landed while the worker held claimed events.
    assert cut_short >= 3, f"only {cut_short} of {kills} kills caught the worker with events claimed (seed {seed})"

    key = officer.unlock_private_key(OFFICER_PASSWORD)
    found = Counter()
    for complaint in db.session.scalars(select(Complaint)):
        details = complaint.open_with(officer.recipient_label, key).content().details
        found[details.split()[1]] += 1
    assert found == Counter({marker: 1 for marker in markers.values()}), f"seed {seed}"
    # Every user was given a tracking code, and never two different ones.
    codes: dict[str, set[str]] = {}
    tokens = {e["replyToken"]: e["source"]["userId"] for s in scripts for e in s}
    for call in fake_line.delivered():
        body = call["body"]
        user = body.get("to") or tokens.get(body.get("replyToken"))
        for message in body["messages"]:
            if message.get("text", "").startswith("รหัสติดตามเรื่องของท่าน"):
                codes.setdefault(user, set()).add(message["text"].rsplit(" ", 1)[-1])
    assert set(codes) == set(markers) and all(len(c) == 1 for c in codes.values()), f"seed {seed}"
