"""Tracking a complaint by its code: the status history and the replies meant for the citizen."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from models import ANSWER, QUESTION, Complaint, ComplaintStatus, db, server_keys


@dataclass(frozen=True)
class TrackingStep:
    """One entry of the history as the citizen sees it."""

    at: datetime
    status_label: str
    reply: str
    status_changed: bool = True  # False for a reply sent without a change of status
    kind: str = ""  # "", QUESTION from the office, or ANSWER: what the complainant added
    files: tuple["SharedFile", ...] = ()


@dataclass(frozen=True)
class SharedFile:
    """A file behind the tracking code: the complainant's evidence or a letter from the office."""

    id: str
    filename: str
    media_type: str


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

    @property
    def open_question(self) -> bool:
        """Return True when the office's latest question has no answer after it yet."""
        asked = [s.kind for s in self.history if s.kind in (QUESTION, ANSWER)]
        return bool(asked) and asked[-1] == QUESTION


def track(code: str) -> TrackingView | None:
    """Return the tracking view for a code, or None when the code is malformed or unknown."""
    complaint = Complaint.find_by_code(db.session, server_keys().index, code)
    if complaint is None:
        return None
    replies = complaint.citizen_replies(code)
    status = ComplaintStatus(complaint.status)
    files = {a.event_seq: [] for a in complaint.attachments}
    for attachment, name, _data in complaint.citizen_files(code).values():
        files[attachment.event_seq].append(SharedFile(str(attachment.id), name, attachment.media_type))
    history = tuple(TrackingStep(e.at, ComplaintStatus(e.status).label, replies.get(e.seq, ""),
                                 e.from_status != e.status, e.kind or "", tuple(files.get(e.seq, ())))
                    for e in complaint.events if not e.is_internal)
    return TrackingView(status=status, status_label=status.label, received_at=complaint.received_at,
                        due_at=complaint.due_at, category_name=current_app.config["PROFILE"].category_name(complaint.category),
                        channel=complaint.channel, history=history)
