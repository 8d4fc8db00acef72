"""The durable inbox: webhook events stored before they are acknowledged, claimed by the worker in order."""
from __future__ import annotations

import functools
import json
import logging
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from models import db, server_keys
from models.line import InboxEvent

log = logging.getLogger(__name__)
_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
#: A handled event's id is kept this long to recognise a redelivery; an event older than this (by its
#: own signed `timestamp`) is acknowledged and ignored, so a body replayed after the purge does nothing.
DEDUPE_WINDOW = timedelta(hours=24)


def chat_id(event: dict) -> str:
    """Return whom the bot talks to for an event: the user in a one-to-one chat, else the group or room."""
    source = event.get("source") or {}
    if source.get("type") == "group":
        return source.get("groupId", "")
    if source.get("type") == "room":
        return source.get("roomId", "")
    return source.get("userId", "")


def user_index(line_id: str, days_ago: int = 0) -> bytes | None:
    """Return the keyed hash that stands for a LINE user (or group) id today; its key lives two days."""
    return server_keys().flight.daily_digest("line_user", line_id, days_ago=days_ago) if line_id else None


def _too_old(event: dict, now: datetime) -> bool:
    stamp = event.get("timestamp")
    return isinstance(stamp, (int, float)) and stamp / 1000 < (now - DEDUPE_WINDOW).timestamp()


def store(events: list[dict], now: datetime) -> None:
    """Write events to the inbox, encrypted, and commit; a redelivery or an event older than the dedupe window is skipped."""
    flight = server_keys().flight
    fresh = [event for event in events if not _too_old(event, now)]
    if len(fresh) < len(events):
        log.warning("webhook: %s event(s) older than the dedupe window ignored", len(events) - len(fresh))
    rows = []
    for event in fresh:
        row = InboxEvent(webhook_event_id=str(event["webhookEventId"])[:64])
        row.set_payload(flight, json.dumps(event, ensure_ascii=False).encode())
        rows.append({"webhook_event_id": row.webhook_event_id, "received_at": now,
                     "event_type": str(event.get("type", "unknown"))[:32],
                     "user_index": user_index(chat_id(event)), "payload_enc": row.payload_enc,
                     "status": "pending", "attempts": 0, "next_attempt_at": now})
    if rows:
        # The acknowledgement's own short transaction, outside the request's ORM session: one statement
        # built once per backend (its compiled form is cached), committed before LINE hears 200.
        with db.transaction() as connection:
            connection.execute(_insert_statement(connection.dialect.name), rows)


@functools.cache
def _insert_statement(dialect: str):
    return _INSERT[dialect](InboxEvent.__table__).on_conflict_do_nothing(index_elements=["webhook_event_id"])


def claim(now: datetime, lease: timedelta, limit: int) -> list[InboxEvent]:
    """Take due events, at most one per user and only when none of that user's earlier events is open."""
    earlier = aliased(InboxEvent)
    open_before = exists().where(earlier.user_index == InboxEvent.user_index, earlier.id < InboxEvent.id,
                                 earlier.status.in_(("pending", "processing")))
    due = or_(and_(InboxEvent.status == "pending", InboxEvent.next_attempt_at <= now),
              and_(InboxEvent.status == "processing", InboxEvent.claimed_at < now - lease))
    query = select(InboxEvent).where(due, ~open_before).order_by(InboxEvent.id).limit(limit)
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=InboxEvent)
    events = db.session.scalars(query).all()
    for event in events:
        event.claim(now)
    return list(events)
