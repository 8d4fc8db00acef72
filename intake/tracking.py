"""Tracking a complaint by its code: the status history and the replies meant for the citizen."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from models import Complaint, ComplaintStatus, db, server_keys


@dataclass(frozen=True)
class TrackingStep:
    """One entry of the history as the citizen sees it."""

    at: datetime
    status_label: str
    reply: str
    status_changed: bool = True  # False for a reply sent without a change of status


@dataclass(frozen=True)
class TrackingView:
    """What a tracking code shows: no content, no identity, only progress and replies."""

    status: ComplaintStatus
    status_label: str
    received_at: datetime
    due_at: datetime
    category_name: str
    channel: str
    history: tuple[TrackingStep, ...]


def track(code: str) -> TrackingView | None:
    """Return the tracking view for a code, or None when the code is malformed or unknown."""
    complaint = Complaint.find_by_code(db.session, server_keys().index, code)
    if complaint is None:
        return None
    replies = complaint.citizen_replies(code)
    status = ComplaintStatus(complaint.status)
    history = tuple(TrackingStep(e.at, ComplaintStatus(e.status).label, replies.get(e.seq, ""), e.from_status != e.status)
                    for e in complaint.events if not e.is_internal)
    return TrackingView(status=status, status_label=status.label, received_at=complaint.received_at,
                        due_at=complaint.due_at, category_name=current_app.config["PROFILE"].category_name(complaint.category),
                        channel=complaint.channel, history=history)
