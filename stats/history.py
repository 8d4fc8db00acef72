"""A complaint's status and status date as they stood at an instant, replayed from its history in SQL.

Most complaints have not changed since the as-of instant, and for them the current status is the
answer; for those changed once since, the status before (kept on the complaint); only those changed
twice or more since look up their last history entry up to the instant (one indexed lookup each).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, or_, select
from sqlalchemy.sql.elements import ColumnElement

from models import Complaint
from models import ComplaintEvent


def _last_entry(column, as_of: datetime, changes_only: bool = False) -> ColumnElement:
    query = select(column).where(ComplaintEvent.complaint_id == Complaint.id, ComplaintEvent.at <= as_of)
    if changes_only:
        query = query.where(or_(ComplaintEvent.from_status.is_(None),
                                ComplaintEvent.from_status != ComplaintEvent.status))
    return (query.order_by(ComplaintEvent.at.desc(), ComplaintEvent.seq.desc()).limit(1)
            .correlate(Complaint).scalar_subquery())


def status_at(as_of: datetime) -> ColumnElement:
    """Return the status value each complaint had at `as_of`."""
    return case((Complaint.status_changed_at <= as_of, Complaint.status),
                (Complaint.previous_changed_at <= as_of, Complaint.previous_status),
                else_=_last_entry(ComplaintEvent.status, as_of))


def status_since(as_of: datetime) -> ColumnElement:
    """Return when each complaint entered the status it had at `as_of`."""
    return case((Complaint.status_changed_at <= as_of, Complaint.status_changed_at),
                (Complaint.previous_changed_at <= as_of, Complaint.previous_changed_at),
                else_=_last_entry(ComplaintEvent.at, as_of, changes_only=True))
