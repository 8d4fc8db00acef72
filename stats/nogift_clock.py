"""What the report clock does for the No Gift Policy: the 6- and 12-month reports, monthly check-ins and
festival reminders, each exactly once however many clocks run (the lease, then a unique row)."""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Callable

from flask import current_app

from config.thai import thai_date, to_local
from models import db
from models.gifts import GiftNotice
from models.report import ArchivedReport
from stats import nogift
from stats.delivery import recipients, send_mail
from stats.fiscal import Month, half, whole_year
from stats.signals import no_gift_notice

log = logging.getLogger(__name__)
CHECKIN_QUESTION = "เดือนที่ผ่านมามีผู้ให้ของขวัญหรือประโยชน์แก่ท่านหรือไม่"


def first_working_day(month: Month) -> date:
    """Return the first Monday-to-Friday of a month (public holidays are not known to the product)."""
    day = month.first_day
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def due_reports(now: datetime):
    """Return the No Gift report periods that should exist at `now`: the first half once March is over,
    the year once September is."""
    last = Month.of(to_local(now).date()).previous()
    periods = []
    if last.month in (3, 4, 5, 6, 7, 8, 9):
        periods.append(half(last.fiscal_year, 1))
    if last.month == 9:
        periods.append(whole_year(last.fiscal_year))
    return periods


def run(now: datetime, renew: Callable[[], bool]) -> list[tuple[str, str]]:
    """Make the due No Gift reports and send the due notices; `renew` keeps the clock's lease, or says it is lost."""
    made = []
    for period in due_reports(now):
        if not renew():
            return made
        with db.unit_of_work() as session:
            if ArchivedReport.exists(session, "no_gift", period.key):
                continue
            nogift.make_no_gift_report(period, now)
        made.append(("no_gift", period.key))
        log.info("report clock: made no_gift %s", period.key)
    for kind, key, text in due_notices(now):
        if not renew():
            return made
        with db.unit_of_work() as session:
            if not GiftNotice.claim(session, kind, key):
                continue
            notify_staff(kind, key, text)
        made.append((kind, key))
        log.info("report clock: sent the no-gift %s notice", kind)
    return made


def due_notices(now: datetime) -> list[tuple[str, str, str]]:
    """Return (kind, key, text) of the notices due today: this month's check-in from its first working day,
    and each festival's reminder in the days before it."""
    profile = current_app.config["PROFILE"]
    today = to_local(now).date()
    notices = []
    this_month = Month.of(today)
    if today >= first_working_day(this_month):
        asked = this_month.previous()
        notices.append(("checkin", asked.iso(), f"{CHECKIN_QUESTION} ({asked.label_full()})\n“{nogift.SLOGAN}”"))
    for festival in profile.festivals:
        for year in (today.year, today.year + 1):
            try:
                day = date(year, festival.month, festival.day)
            except ValueError:
                continue
            if day - timedelta(days=festival.days_before) <= today <= day:
                notices.append(("festival", f"{festival.name}:{year}",
                                f"ใกล้{festival.name} ({thai_date(day)}) ขอความร่วมมือบุคลากรทุกคน "
                                f"“{nogift.SLOGAN}” หากมีผู้ให้ โปรดปฏิเสธ และรายงานในระบบ"))
    return notices


def notify_staff(kind: str, key: str, text: str) -> None:
    """Tell every staff member: LINE listens for the linked ones; the others get an e-mail."""
    app = current_app._get_current_object()
    no_gift_notice.send(app, kind=kind, key=key, text=text)
    addresses = [u.email for u in recipients("no_gift") if u.email and u.line_index is None]
    link = f"{app.config['SETTINGS'].public_base_url}/staff/gifts/"
    send_mail(f"[{app.config['PROFILE'].short_name}] No Gift Policy", addresses, f"{text}\n\n{link}\n")
