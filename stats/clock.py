"""The report clock: on the 1st of each month (Asia/Bangkok) make last month's reports, once.

Every run asks "does the end-of-period report for period P exist?" and makes only what is missing,
counted as of P's end (history replayed), so a clock that was down catches up when it starts, across
fiscal years, with the figures it would have made on time; ad-hoc versions never stand in for it.
Two clocks never make a period twice: a lease row in the database lets one clock act at a time.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy import select

from models import db, utcnow
from models.report import ArchivedReport, ClockLock
from stats.archive import ensure_report
from stats import nogift_clock
from stats.standing import ensure_snapshot
from stats.delivery import deliver
from stats.document import KINDS
from config.thai import BANGKOK, to_local
from stats.fiscal import Month, Period, fiscal_months, half, month_period, period_from_key, whole_year

log = logging.getLogger(__name__)
LOCK_NAME = "report-clock"
LEASE = timedelta(minutes=15)


def due_periods(now: datetime, since: Month | None = None) -> list[Period]:
    """Return the periods whose end-of-period reports should exist at `now`: every finished month from
    `since` (or from the start of last month's fiscal year, whichever is earlier), and in each fiscal year
    touched the first half once March is over, the second half and the year once September is."""
    last = Month.of(to_local(now).date()).previous()
    start = Month(last.year - (last.month < 10), 10)
    if since is not None and since < start:
        start = since
    periods = []
    for fiscal_year in range(start.fiscal_year, last.fiscal_year + 1):
        months = [m for m in fiscal_months(fiscal_year) if start <= m <= last]
        periods += [month_period(m) for m in months]
        done = [m for m in fiscal_months(fiscal_year) if m <= last]
        if len(done) >= 6:
            periods.append(half(fiscal_year, 1))
        if len(done) == 12:
            periods += [half(fiscal_year, 2), whole_year(fiscal_year)]
    return periods


def last_reported_month() -> Month | None:
    """Return the newest month whose end-of-period complaint report is archived (where a catch-up resumes)."""
    rows = db.session.execute(select(ArchivedReport.period, ArchivedReport.as_of)
                              .where(ArchivedReport.kind == "complaints", ArchivedReport.fmt == "json"))
    months = []
    for key, as_of in rows:
        period = period_from_key(key)
        if period.kind == "month" and as_of >= period.bounds_utc()[1]:
            months.append(period.months[0])
    return max(months, default=None)


def run_due(now: datetime | None = None, holder: str | None = None) -> list[tuple[str, str]]:
    """Make every missing due report if this clock holds the lease; return (kind, period) of what was made."""
    now = now or utcnow()
    holder = holder or _default_holder()
    with db.unit_of_work() as session:
        if not ClockLock.acquire(session, LOCK_NAME, holder, LEASE):
            log.info("report clock: another clock holds the lease; standing by")
            return []
    made = []
    try:
        with db.unit_of_work():
            resume = last_reported_month()
        for period in due_periods(now, resume.next() if resume else None):
            for kind in KINDS:
                with db.unit_of_work() as session:
                    # Renew the lease as we go, so a long catch-up is never taken over halfway.
                    if not ClockLock.acquire(session, LOCK_NAME, holder, LEASE):
                        return made
                    files = ensure_report(kind, period)
                if files:
                    made.append((kind, period.key))
                    log.info("report clock: made %s %s", kind, period.key)
                    with db.unit_of_work():  # what LINE delivery queues commits with the announcement
                        deliver(kind, files)
        made += nogift_clock.run(now, lambda: _renew(holder))
        with db.unit_of_work():  # later reports start from it instead of replaying every complaint
            ensure_snapshot(now)
    finally:
        with db.unit_of_work() as session:
            ClockLock.release(session, LOCK_NAME, holder)
    return made


def _renew(holder: str) -> bool:
    with db.unit_of_work() as session:
        return ClockLock.acquire(session, LOCK_NAME, holder, LEASE)


def _default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


class Clock:
    """APScheduler in Asia/Bangkok running `run_due` at start, at 00:00 on the 1st, and hourly for standby."""

    def __init__(self, app: Flask):
        self.app = app
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.scheduler = BackgroundScheduler(timezone=BANGKOK)
        options = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 3600}
        self.scheduler.add_job(self.tick, CronTrigger(day=1, hour=0, minute=0, timezone=BANGKOK),
                               id="monthly", **options)
        self.scheduler.add_job(self.tick, IntervalTrigger(hours=1, timezone=BANGKOK), id="catch-up", **options)

    def tick(self) -> list[tuple[str, str]]:
        """Run the due reports inside the app (errors are logged; the next tick retries)."""
        with self.app.app_context():
            try:
                return run_due(holder=self.holder)
            except Exception:
                log.exception("report clock: run failed; the next tick retries")
                return []

    def start(self) -> None:
        """Catch up now, then keep the schedule in a background thread."""
        self.scheduler.start()
        self.scheduler.add_job(self.tick, id="catch-up-at-start", max_instances=1)

    def stop(self) -> None:
        """Stop the schedule, waiting for a running job."""
        self.scheduler.shutdown(wait=True)
