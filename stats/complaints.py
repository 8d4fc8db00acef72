"""Monthly complaint statistics (ITA O29 in 2566, O31 in 2564), counted from plain metadata in SQL."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import and_, case, func, select

from models import CHANNELS, Complaint, db
from models.complaint import CLOSED_STATUSES
from stats.buckets import month_bucket, months_until, window
from stats.fiscal import Month, Period


@dataclass
class MonthCounts:
    """One month's row: received that month, and of those, completed by the as-of date."""

    month: Month
    received: int = 0
    completed: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)

    @property
    def in_progress(self) -> int:
        return self.received - self.completed


@dataclass
class ComplaintTable:
    """The complaint statistics of one period as of one instant."""

    period: Period
    as_of: datetime
    months: list[MonthCounts]

    @property
    def received(self) -> int:
        return sum(m.received for m in self.months)

    @property
    def completed(self) -> int:
        return sum(m.completed for m in self.months)

    @property
    def in_progress(self) -> int:
        return self.received - self.completed

    def channel_totals(self) -> dict[str, int]:
        """Return received complaints per channel over the period."""
        return _sum_dicts(m.by_channel for m in self.months)

    def category_totals(self) -> dict[str, int]:
        """Return received complaints per category over the period."""
        return _sum_dicts(m.by_category for m in self.months)


def complaint_table(period: Period, as_of: datetime) -> ComplaintTable:
    """Count a period's complaints per month, channel and category, as they stood at `as_of`."""
    profile = current_app.config["PROFILE"]
    months = months_until(period, as_of)
    rows = [MonthCounts(m, by_channel=dict.fromkeys(CHANNELS, 0),
                        by_category=dict.fromkeys((c.code for c in profile.categories), 0)) for m in months]
    if not months:
        return ComplaintTable(period, as_of, rows)
    bucket = month_bucket(Complaint.received_at, months).label("bucket")
    done = case((and_(Complaint.closed_at.is_not(None), Complaint.closed_at <= as_of,
                      Complaint.status.in_([s.value for s in CLOSED_STATUSES])), 1), else_=0)
    query = (select(bucket, Complaint.channel, Complaint.category, func.count(), func.sum(done))
             .where(window(Complaint.received_at, months, as_of))
             .group_by(bucket, Complaint.channel, Complaint.category))
    for index, channel, category, count, completed in db.session.execute(query):
        row = rows[index]
        row.received += count
        row.completed += int(completed or 0)
        row.by_channel[channel] = row.by_channel.get(channel, 0) + count
        row.by_category[category] = row.by_category.get(category, 0) + count
    return ComplaintTable(period, as_of, rows)


def _sum_dicts(dicts) -> dict[str, int]:
    total: dict[str, int] = {}
    for d in dicts:
        for key, value in d.items():
            total[key] = total.get(key, 0) + value
    return total
