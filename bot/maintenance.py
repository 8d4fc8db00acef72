"""Forgetting on time: expired conversations, their draft evidence, handled inbox rows, the SQLite WAL."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from bot.inbox import DEDUPE_WINDOW
from models import db, server_keys
from models.line import Conversation, DraftEvidence, InboxEvent
from models.rating import Throttle

#: Handled events (their id, type and hour only) are kept this long, so a late redelivery is recognised;
#: the extra hour covers their times being cut to the hour.
KEEP_HANDLED = DEDUPE_WINDOW + timedelta(hours=1)
CONVERSATION_LIFETIME = timedelta(hours=24)


def purge_expired(now: datetime) -> None:
    """Forget what is due: expired drafts, old handled events and counters, epoch keys, SQLite's WAL."""
    server_keys().flight.advance(now)
    with db.unit_of_work() as session:
        expired = select(Conversation.user_index).where(Conversation.expires_at < now)
        session.execute(delete(DraftEvidence).where(DraftEvidence.user_index.in_(expired)))
        session.execute(delete(DraftEvidence).where(DraftEvidence.created_at < now - CONVERSATION_LIFETIME))
        session.execute(delete(Conversation).where(Conversation.expires_at < now))
        session.execute(delete(InboxEvent).where(InboxEvent.status.in_(("done", "ignored")),
                                                 InboxEvent.processed_at < now - KEEP_HANDLED))
        Throttle.purge(session.connection(), now)
    if db.engine.dialect.name == "sqlite":
        # secure_delete zeroed the rows in the database pages; old page images also wait in the WAL.
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
