"""The clock under frozen time, two clocks running: each No Gift check-in, reminder and report is made once."""
from __future__ import annotations

import time
from collections import Counter
from email import message_from_bytes, policy

import pytest
import time_machine
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app import create_app

from models import GiftNotice, StaffUser, db, server_keys, utcnow
from models.line import OutboxMessage
from models.report import ArchivedReport
from staff.passwords import hash_password
from stats import nogift_clock
from stats.clock import Clock, due_periods
from stats.fiscal import Month
from tests.conftest import free_port
from tests.stats.conftest import bkk
from tests.stats.test_clock import Inbox
from tests.conftest import page_text


@pytest.mark.parametrize("month, day", [((2025, 3), 3), ((2025, 6), 2), ((2025, 11), 3), ((2026, 2), 2)])
def test_first_working_day(month, day):
    assert nogift_clock.first_working_day(Month(*month)).day == day


def test_due_notices_ask_about_last_month_from_the_first_working_day_and_remind_before_festivals(app):
    assert nogift_clock.due_notices(bkk(2025, 3, 2, 12)) == []  # 1-2 March 2025 is a weekend
    assert nogift_clock.due_notices(bkk(2025, 3, 3, 8)) == [
        ("checkin", "2025-02", "เดือนที่ผ่านมามีผู้ให้ของขวัญหรือประโยชน์แก่ท่านหรือไม่ (กุมภาพันธ์ 2568)\n"
                               "“งดรับ งดให้ ของขวัญ และของกำนัลในทุกโอกาส”")]
    kinds = [(kind, key) for kind, key, _ in nogift_clock.due_notices(bkk(2025, 4, 7, 9))]
    assert kinds == [("checkin", "2025-03"), ("festival", "วันสงกรานต์:2025")]
    text = nogift_clock.due_notices(bkk(2024, 12, 26, 9))[1][2]
    assert "วันขึ้นปีใหม่" in text and "1 มกราคม 2568" in text and "งดรับ งดให้ ของขวัญ และของกำนัลในทุกโอกาส" in text
    assert [k for k, *_ in nogift_clock.due_notices(bkk(2025, 4, 14, 9))] == ["checkin"]  # after Songkran
    assert [p.key for p in nogift_clock.due_reports(bkk(2025, 4, 1))] == ["2568-H1"]
    assert [p.key for p in nogift_clock.due_reports(bkk(2025, 10, 1))] == ["2568-H1", "2568"]
    assert nogift_clock.due_reports(bkk(2025, 3, 31, 23, 59)) == []


def test_two_clocks_across_1_april_make_each_check_in_and_report_once(app):
    keys = server_keys()
    for n, roles in enumerate(("staff", "staff", "executive")):
        user = StaffUser(username=f"u{n}", display_name=f"u{n}", roles=roles, password_hash=hash_password("x" * 12))
        db.session.add(user)
        db.session.flush()
        user.link_line(keys.keyring, keys.index, f"U{n:032d}")
    # The monthly statistics are there already: this test watches the No Gift work only.
    for period in due_periods(bkk(2025, 4, 1)):
        for kind in ("complaints", "satisfaction"):
            ArchivedReport.add(db.session, kind=kind, period=period.key, fmt="json", as_of=utcnow(),
                               filename="x.json", data=b"{}")
    db.commit()
    with time_machine.travel(bkk(2025, 3, 31, 23, 59, 57), tick=True):
        clocks = [Clock(app), Clock(app)]
        for clock in clocks:
            clock.start()
        deadline = time.monotonic() + 90
        try:
            while time.monotonic() < deadline:
                db.rollback()
                if (ArchivedReport.exists(db.session, "no_gift_staff", "2568-H1")
                        and db.session.scalar(select(GiftNotice.id).where(GiftNotice.key == "2025-03"))):
                    break
                time.sleep(0.2)
        finally:
            for clock in clocks:
                clock.stop()
    db.rollback()
    notices = Counter(db.session.execute(select(GiftNotice.kind, GiftNotice.key)).all())
    assert notices == Counter({("checkin", "2025-02"): 1, ("checkin", "2025-03"): 1})
    files = Counter(db.session.execute(select(ArchivedReport.kind, ArchivedReport.fmt)
                                       .where(ArchivedReport.kind.like("no_gift%"))).all())
    assert files == Counter({("no_gift", f): 1 for f in ("pdf", "xlsx", "csv", "json")}
                            | {("no_gift_staff", f): 1 for f in ("pdf", "xlsx", "html", "json")})
    # One push per linked staff member per notice and per report, however many clocks ran.
    pushes = Counter(db.session.scalars(select(OutboxMessage.purpose)))
    assert pushes == Counter({"staff_notice": 6, "staff_report": 3})


def test_the_report_is_on_transparency_under_the_years_code(app, client):
    with time_machine.travel(bkk(2025, 4, 1, 0, 0), tick=False):
        nogift_clock.run(utcnow(), lambda: True)
        db.commit()
        page = page_text(client.get("/transparency"))
    section = page[page.index('id="no-gift-report"'):]
    # FY 2568's report is assessed, as the previous year, by ITA 2569's O20 in the demo frameworks.
    assert ">O20</span>" in section[:600] and "no-gift-2568-H1.pdf" in section


def test_staff_not_linked_to_line_get_the_check_in_and_the_report_by_e_mail(app, settings):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    mail_app = create_app(settings.with_overrides(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False))
    try:
        with mail_app.app_context():
            keys = server_keys()
            for name, roles, email in [("linked", "staff", "linked@example.go.th"),
                                       ("clerk", "staff", "clerk@example.go.th"), ("nayok", "executive", "nayok@example.go.th")]:
                user = StaffUser(username=name, display_name=name, roles=roles, email=email,
                                 password_hash=hash_password("x" * 12))
                db.session.add(user)
                db.session.flush()
                if name == "linked":
                    user.link_line(keys.keyring, keys.index, "U" + "7" * 32)
            for period in due_periods(bkk(2025, 4, 1)):  # the monthly statistics are not this test's business
                for kind in ("complaints", "satisfaction"):
                    ArchivedReport.add(db.session, kind=kind, period=period.key, fmt="json", as_of=utcnow(),
                                       filename="x.json", data=b"{}")
            db.commit()
            nogift_clock.run(bkk(2025, 4, 1, 8), lambda: True)
    finally:
        controller.stop()
    by_subject = {message_from_bytes(e.content, policy=policy.default)["Subject"]: sorted(e.rcpt_tos)
                  for e in inbox.messages}
    report = next(s for s in by_subject if "ผลการดำเนินการตามนโยบายไม่รับของขวัญ" in s and "ฉบับผู้บริหาร" not in s)
    assert by_subject[report] == ["clerk@example.go.th", "linked@example.go.th", "nayok@example.go.th"]
    deciders = next(s for s in by_subject if "ฉบับผู้บริหาร" in s)
    assert by_subject[deciders] == ["nayok@example.go.th"]
    checkin = next(s for s in by_subject if s.endswith("No Gift Policy"))
    assert by_subject[checkin] == ["clerk@example.go.th", "nayok@example.go.th"]  # the linked one hears in LINE
