"""Forgetting on time: expired conversations, their draft evidence, and handled inbox rows."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from models import db
from models.line import Conversation, DraftEvidence, InboxEvent

#: Handled events are kept this long, only so a late redelivery is still recognised.
KEEP_HANDLED = timedelta(days=7)
CONVERSATION_LIFETIME = timedelta(hours=24)


def purge_expired(now: datetime) -> None:
    """Delete conversations past their 24 hours with their evidence, and old handled events."""
    with db.unit_of_work() as session:
        expired = select(Conversation.user_index).where(Conversation.expires_at < now)
        session.execute(delete(DraftEvidence).where(DraftEvidence.user_index.in_(expired)))
        session.execute(delete(DraftEvidence).where(DraftEvidence.created_at < now - CONVERSATION_LIFETIME))
        session.execute(delete(Conversation).where(Conversation.expires_at < now))
        session.execute(delete(InboxEvent).where(InboxEvent.status.in_(("done", "ignored")),
                                                 InboxEvent.processed_at < now - KEEP_HANDLED))
