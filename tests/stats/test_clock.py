"""The report clock: which periods are due, exactly one report per period with two clocks, delivery."""
from __future__ import annotations

import json
import time
from collections import Counter
from email import message_from_bytes, policy

import pytest
import time_machine
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app import create_app
from models import ComplaintStatus as S, StaffUser, db
from models.report import ArchivedReport, ClockLock
from staff.passwords import hash_password
from stats.clock import LEASE, LOCK_NAME, Clock, due_periods, run_due
from stats.signals import report_published
from tests.conftest import free_port
from stats.fiscal import Month
from tests.stats.conftest import bkk


@pytest.mark.parametrize("now, keys", [
    (bkk(2025, 11, 30, 23, 59), ["2568-10"]),
    (bkk(2025, 12, 1, 0, 0), ["2568-10", "2568-11"]),
    (bkk(2025, 3, 31, 23, 59), ["2567-10", "2567-11", "2567-12", "2568-01", "2568-02"]),
    (bkk(2025, 4, 1, 0, 0), ["2567-10", "2567-11", "2567-12", "2568-01", "2568-02", "2568-03", "2568-H1"]),
    (bkk(2025, 10, 1, 0, 0), ["2567-10", "2567-11", "2567-12", "2568-01", "2568-02", "2568-03", "2568-04",
                              "2568-05", "2568-06", "2568-07", "2568-08", "2568-09", "2568-H1", "2568-H2", "2568"]),
])
def test_due_periods(now, keys):
    assert [p.key for p in due_periods(now)] == keys


def test_due_periods_resume_across_fiscal_years():
    assert [p.key for p in due_periods(bkk(2025, 11, 5, 8), since=Month(2025, 9))] == [
        "2568-09", "2568-H1", "2568-H2", "2568", "2568-10"]


def _archived(kind=None):
    query = select(ArchivedReport.kind, ArchivedReport.period, ArchivedReport.fmt)
    return Counter(db.session.execute(query if kind is None else query.where(ArchivedReport.kind == kind)).all())


def test_two_clocks_across_a_month_boundary_make_each_report_once(app):
    with time_machine.travel(bkk(2025, 11, 30, 23, 59, 58), tick=True):
        clocks = [Clock(app), Clock(app)]
        for clock in clocks:
            clock.start()
        deadline = time.monotonic() + 60
        try:
            while time.monotonic() < deadline:
                db.rollback()
                made = _archived()
                if ("satisfaction", "2568-11", "json") in made and ("satisfaction", "2568-10", "json") in made:
                    break
                time.sleep(0.2)
        finally:
            for clock in clocks:
                clock.stop()
    db.rollback()
    made = _archived()
    expected = {(kind, period, fmt) for kind in ("complaints", "satisfaction") for period in ("2568-10", "2568-11")
                for fmt in ("pdf", "xlsx", "csv", "json")}
    assert set(made) == expected
    assert set(made.values()) == {1}, made


def test_a_second_clock_stands_by_while_the_lease_is_held(app):
    with db.unit_of_work() as session:
        assert ClockLock.acquire(session, LOCK_NAME, "clock-a", LEASE)
    assert run_due(bkk(2025, 11, 1, 0, 1), holder="clock-b") == []
    assert _archived() == Counter()
    with db.unit_of_work() as session:
        ClockLock.release(session, LOCK_NAME, "clock-a")
    assert run_due(bkk(2025, 11, 1, 0, 1), holder="clock-b") == [("complaints", "2568-10"), ("satisfaction", "2568-10")]
    assert run_due(bkk(2025, 11, 1, 0, 2), holder="clock-a") == []  # idempotent: the period exists


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def test_delivery_emails_the_files_and_announces_for_line(app, settings):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    announced = []
    mail_app = create_app(settings.with_overrides(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False))

    def listen(sender, **kwargs):
        announced.append(kwargs)

    try:
        with mail_app.app_context(), report_published.connected_to(listen):
            for name, roles, email in [("boss", "executive", "nayok@example.go.th"),
                                       ("clerk", "officer", "officer@example.go.th"),
                                       ("other", "staff", "staff@example.go.th"), ("nomail", "officer", None)]:
                db.session.add(StaffUser(username=name, display_name=name, roles=roles, email=email,
                                         password_hash=hash_password("x" * 12)))
            db.commit()
            run_due(bkk(2025, 11, 1, 0, 1), holder="mail-test")
    finally:
        controller.stop()
    assert [(a["kind"], a["period"]) for a in announced] == [("complaints", "2568-10"), ("satisfaction", "2568-10")]
    assert announced[0]["summary"] == ("สถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ ตุลาคม 2568: รับเรื่อง 0 เรื่อง "
                                       "ดำเนินการแล้วเสร็จ 0 เรื่อง อยู่ระหว่างดำเนินการ 0 เรื่อง")
    assert announced[0]["link"].endswith("/transparency#complaints")
    assert len(inbox.messages) == 2
    envelope = inbox.messages[0]
    assert sorted(envelope.rcpt_tos) == ["nayok@example.go.th", "officer@example.go.th"]
    message = message_from_bytes(envelope.content, policy=policy.default)
    assert "สถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ" in message["Subject"]
    names = [part.get_filename() for part in message.iter_attachments()]
    assert names == ["complaints-2568-10.pdf", "complaints-2568-10.xlsx"]
    assert next(message.iter_attachments()).get_content()[:5] == b"%PDF-"


def test_downtime_across_a_fiscal_year_boundary_leaves_no_hole(app, complaints, move):
    from stats.archive import make_report, published
    from stats.fiscal import Month, month_period, period_from_key

    # The clock made August's reports on 1 September, then was down from 20 September to 5 November.
    with time_machine.travel(bkk(2025, 9, 1, 0, 5), tick=False):
        make_report("complaints", month_period(Month(2025, 8)), bkk(2025, 9, 1), ("json",))
    late_september = complaints(bkk(2025, 9, 25, 10))
    move(late_september, S.COMPLETED, bkk(2025, 10, 3, 9))  # closed after September ended
    complaints(bkk(2025, 10, 10, 10))
    # An officer made an ad-hoc October file mid-month while the clock was down.
    with time_machine.travel(bkk(2025, 10, 15, 12), tick=False):
        make_report("complaints", month_period(Month(2025, 10)), bkk(2025, 10, 15, 12), ("pdf", "json"))
    db.commit()
    announced = []
    with time_machine.travel(bkk(2025, 11, 5, 8), tick=False), \
            report_published.connected_to(lambda sender, **kw: announced.append((kw["kind"], kw["period"]))):
        made = run_due(bkk(2025, 11, 5, 8), holder="back-up")
        assert run_due(bkk(2025, 11, 5, 9), holder="back-up") == []  # nothing twice
    due = ["2568-09", "2568-H1", "2568-H2", "2568", "2568-10"]
    statistics = [m for m in made if m[0] in ("complaints", "satisfaction")]  # the No Gift jobs run too
    assert statistics == [(kind, key) for key in due for kind in ("complaints", "satisfaction")]
    assert [a for a in announced if a[0] in ("complaints", "satisfaction")] == statistics  # each delivered once
    rows = db.session.execute(select(ArchivedReport.kind, ArchivedReport.period, ArchivedReport.fmt,
                                     ArchivedReport.as_of)).all()
    for kind in ("complaints", "satisfaction"):
        for key in due:
            end = period_from_key(key).bounds_utc()[1]
            finals = Counter(fmt for k, p, fmt, as_of in rows if (k, p) == (kind, key) and as_of == end)
            assert finals == {"pdf": 1, "xlsx": 1, "csv": 1, "json": 1}, (kind, key)
    # October's published file is the end-of-period one, not the ad-hoc version made on the 15th.
    october = published("complaints", period_from_key("2568-10"), "json", bkk(2025, 11, 5, 8))
    assert json.loads(october.read(None))["as_of"] == "2025-11-01T00:00:00+07:00"
    assert json.loads(october.read(None))["final"] is True
    september = json.loads(published("complaints", period_from_key("2568-09"), "json", bkk(2025, 11, 5, 8)).read(None))
    assert (september["total"]["received"], september["total"]["in_progress"]) == (1, 1)  # as it stood on 30 Sept


def test_a_mid_month_version_never_stands_in_for_the_end_of_month_one(app):
    from stats.archive import make_report
    from stats.fiscal import Month, month_period

    with time_machine.travel(bkk(2025, 10, 31, 23, 0), tick=False):
        make_report("complaints", month_period(Month(2025, 10)), bkk(2025, 10, 31, 23, 0), ("json",))
        make_report("satisfaction", month_period(Month(2025, 10)), bkk(2025, 10, 31, 23, 0), ("json",))
    db.commit()
    with time_machine.travel(bkk(2025, 11, 1, 0, 1), tick=False):
        assert run_due(bkk(2025, 11, 1, 0, 1), holder="clock") == [("complaints", "2568-10"),
                                                                   ("satisfaction", "2568-10")]
