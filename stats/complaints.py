"""Monthly complaint statistics (ITA O29 in 2566, O19 in 2568, ...), counted from plain metadata in SQL.

Each complaint is counted by the status it had at the as-of instant (stats.standing), never by its
current one, so a past period made again gives the figures it gave the first time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from models import CHANNELS, Complaint, ComplaintEvent, ComplaintStatus, db
from stats.buckets import months_until, window
from stats.fiscal import Month, Period
from stats.standing import standing

#: How each status at the as-of instant is counted: the three closed ones apart, the rest in progress.
OUTCOMES = {ComplaintStatus.COMPLETED.value: "completed", ComplaintStatus.FORWARDED.value: "forwarded",
            ComplaintStatus.NOT_ACCEPTED.value: "not_accepted"}


@dataclass
class MonthCounts:
    """One month's row: received that month, and where those stood at the as-of instant."""

    month: Month
    received: int = 0
    completed: int = 0
    forwarded: int = 0
    not_accepted: int = 0
    overdue: int = 0  # open at the as-of instant and past their processing-time target
    by_channel: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)

    @property
    def closed(self) -> int:
        """Return the ITA's ดำเนินการแล้วเสร็จ count: completed, forwarded or not accepted."""
        return self.completed + self.forwarded + self.not_accepted

    @property
    def in_progress(self) -> int:
        return self.received - self.closed


@dataclass
class ComplaintTable:
    """The complaint statistics of one period as of one instant."""

    period: Period
    as_of: datetime
    months: list[MonthCounts]

    def total(self, name: str) -> int:
        """Return the period's total of one count (received, completed, forwarded, ..., in_progress)."""
        return sum(getattr(m, name) for m in self.months)

    @property
    def received(self) -> int:
        return self.total("received")

    @property
    def completed(self) -> int:
        return self.total("completed")

    @property
    def closed(self) -> int:
        return self.total("closed")

    @property
    def in_progress(self) -> int:
        return self.total("in_progress")

    def channel_totals(self) -> dict[str, int]:
        """Return received complaints per channel over the period."""
        return _sum_dicts(m.by_channel for m in self.months)

    def category_totals(self) -> dict[str, int]:
        """Return received complaints per category over the period."""
        return _sum_dicts(m.by_category for m in self.months)


def complaint_table(period: Period, as_of: datetime) -> ComplaintTable:
    """Count a period's complaints per month, channel, category and status, as they stood at `as_of`."""
    profile = current_app.config["PROFILE"]
    months = months_until(period, as_of)
    rows = [MonthCounts(m, by_channel=dict.fromkeys(CHANNELS, 0),
                        by_category=dict.fromkeys((c.code for c in profile.categories), 0)) for m in months]
    if not months:
        return ComplaintTable(period, as_of, rows)
    row_of = {m.iso(): row for m, row in zip(months, rows)}
    for (month, channel, category, status, late), count in standing(months, as_of).items():
        _add(row_of[month], channel, category, count, status, late)
    return ComplaintTable(period, as_of, rows)


def _add(row: MonthCounts, channel: str, category: str, count: int, status: str, late: bool) -> None:
    row.received += count
    outcome = OUTCOMES.get(status)
    if outcome:
        setattr(row, outcome, getattr(row, outcome) + count)
    elif late:
        row.overdue += count
    row.by_channel[channel] = row.by_channel.get(channel, 0) + count
    row.by_category[category] = row.by_category.get(category, 0) + count


def recorded_late(period: Period, as_of: datetime, since: datetime) -> int:
    """Return how many complaints and status changes of a period, dated up to `as_of`, were written after `since`."""
    months = months_until(period, as_of)
    if not months:
        return 0
    in_window = window(Complaint.received_at, months, as_of)
    complaints = select(func.count()).select_from(Complaint).where(in_window, Complaint.recorded_at > since)
    changes = (select(func.count()).select_from(ComplaintEvent).join(Complaint)
               .where(in_window, ComplaintEvent.at <= as_of, ComplaintEvent.recorded_at > since,
                      ComplaintEvent.from_status.is_not(None), ComplaintEvent.from_status != ComplaintEvent.status,
                      Complaint.recorded_at <= since))
    return db.session.scalar(complaints) + db.session.scalar(changes)


def _sum_dicts(dicts) -> dict[str, int]:
    total: dict[str, int] = {}
    for d in dicts:
        for key, value in d.items():
            total[key] = total.get(key, 0) + value
    return total
