"""The feedback inbox: general suggestions and complaints from the web and LINE, read, routed and handled.

Feedback is tier C (the server keyring): each reading decrypts one item for one request and is audited.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from intake.feedback import TOPICS
from models import AuditEntry, Feedback, StaffUser, db, server_keys, utcnow
from staff.casedesk import CaseDeskError

PAGE_SIZE = 25


@dataclass(frozen=True)
class InboxFilters:
    """Which feedback the inbox lists: open or handled, by topic, channel and division."""

    state: str = "open"  # open, handled or all
    topic: str = ""
    division: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "InboxFilters":
        """Read filters from query arguments, ignoring values that are not valid choices."""
        state = args.get("state", "open")
        topic = args.get("topic", "")
        return cls(state=state if state in ("open", "handled", "all") else "open",
                   topic=topic if topic in TOPICS else "", division=args.get("division", "")[:64],
                   page=max(1, min(args.get("page", 1, type=int) or 1, 10**6)))


@dataclass
class Inbox:
    """One page of feedback (metadata only) and the open and handled counts."""

    items: list[Feedback]
    open: int
    handled: int
    page: int
    pages: int


def list_feedback(user: StaffUser, filters: InboxFilters) -> Inbox:
    """Return one page of feedback, newest first; nothing is decrypted to list it."""
    query = select(Feedback)
    if filters.topic:
        query = query.where(Feedback.topic == filters.topic)
    if filters.division:
        query = query.where(Feedback.division == filters.division)
    base = query.subquery()
    by_state = dict(db.session.execute(select(base.c.handled_at.is_not(None), func.count())
                                       .group_by(base.c.handled_at.is_not(None))).all())
    if filters.state == "open":
        query = query.where(Feedback.handled_at.is_(None))
    elif filters.state == "handled":
        query = query.where(Feedback.handled_at.is_not(None))
    found = {"open": by_state.get(False, 0), "handled": by_state.get(True, 0)}.get(filters.state, sum(by_state.values()))
    pages = max(1, -(-found // PAGE_SIZE))
    page = min(filters.page, pages)
    items = db.session.scalars(query.order_by(Feedback.created_at.desc(), Feedback.id)
                               .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    AuditEntry.record(db.session, "feedback.list", staff_id=user.id, detail=f"state={filters.state} page={page}")
    return Inbox(items=items, open=by_state.get(False, 0), handled=by_state.get(True, 0), page=page, pages=pages)


def find(feedback_id: str) -> Feedback | None:
    """Return one piece of feedback by id, or None (also for an id that is not a UUID)."""
    try:
        return db.session.get(Feedback, uuid.UUID(feedback_id))
    except ValueError:
        return None


def read(user: StaffUser, item: Feedback) -> tuple[str, str]:
    """Return (text, contact) decrypted for this request, recording the reading."""
    AuditEntry.record(db.session, "feedback.view", staff_id=user.id, target_type="feedback", target_id=item.id)
    return item.content(server_keys().keyring)


def route(user: StaffUser, item: Feedback, division: str) -> None:
    """Send a piece of feedback to a division."""
    if division and division not in {d.code for d in current_app.config["PROFILE"].divisions}:
        raise CaseDeskError("กรุณาเลือกหน่วยงานจากรายการ")
    item.route_to(division)
    AuditEntry.record(db.session, "feedback.route", staff_id=user.id, target_type="feedback", target_id=item.id,
                      detail=f"division={division or '-'}")


def mark_handled(user: StaffUser, item: Feedback, handled: bool, now: datetime | None = None) -> None:
    """Mark a piece of feedback handled, or open it again."""
    item.mark_handled((now or utcnow()) if handled else None)
    AuditEntry.record(db.session, "feedback.handled" if handled else "feedback.reopened", staff_id=user.id,
                      target_type="feedback", target_id=item.id)
