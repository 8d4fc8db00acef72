"""Messages to LINE, written in the same transaction as what caused them and delivered after it commits."""
from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select

from bot import texts, ui
from bot.line_api import LineApiError, line_api
from models import db, server_keys, utcnow
from models.line import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
#: Five messages is what LINE accepts in one reply or push.
MAX_MESSAGES = 5
#: Messages whose own failure is told to nobody else (no notice about a notice, no alert about an alert).
_QUIET = {"failure_notice", "staff_alert"}


def backoff(attempts: int) -> timedelta:
    """Return how long to wait before the next try: 2, 4, 8 ... seconds, at most 5 minutes."""
    return timedelta(seconds=min(2 ** attempts, 300))


def queue(purpose: str, *, to: str, messages: list[dict], reply_token: str = "",
          retry_key: str | None = None, sending: bool = False) -> OutboxMessage:
    """Add messages for LINE to the current transaction; `sending` keeps them for the caller to deliver."""
    if not messages:
        raise ValueError("nothing to send")
    now = utcnow()
    row = OutboxMessage(retry_key=retry_key or str(uuid.uuid4()), purpose=purpose, created_at=now,
                        next_attempt_at=now, status="sending" if sending else "pending",
                        claimed_at=now if sending else None, attempts=0)
    payload = {"to": to, "reply_token": reply_token, "messages": messages[:MAX_MESSAGES]}
    row.set_payload(server_keys().keyring, json.dumps(payload, ensure_ascii=False).encode())
    db.session.add(row)
    return row


def claim_due(now: datetime, lease: timedelta, limit: int = 20) -> list[int]:
    """Take pending messages that are due (or whose sender died) for delivery; return their ids."""
    query = (select(OutboxMessage)
             .where(or_(and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
                        and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - lease)))
             .order_by(OutboxMessage.id).limit(limit))
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = db.session.scalars(query).all()
    for row in rows:
        row.status, row.claimed_at = "sending", now
    return [row.id for row in rows]


def deliver(message_id: int) -> bool:
    """Send one claimed message in its own unit of work; return True when it went out."""
    with db.unit_of_work() as session:
        row = session.get(OutboxMessage, message_id)
        if row is None or row.status != "sending":
            return False
        payload = json.loads(row.payload(server_keys().keyring))
        try:
            line_api().deliver(to=payload["to"], reply_token=payload["reply_token"],
                               messages=payload["messages"], retry_key=row.retry_key)
        except LineApiError as exc:
            # A refusal (4xx other than 429) will not change by trying again.
            gave_up = row.fail(f"LineApiError {exc.status}", utcnow(),
                               max_attempts=MAX_ATTEMPTS if exc.transient else 1, backoff=backoff(row.attempts + 1))
            log.warning("LINE %s message not delivered (status %s)%s", row.purpose, exc.status,
                        "; giving up" if gave_up else "; will try again")
            if gave_up:
                _give_up(row, payload["to"], exc.status)
            return False
        session.delete(row)
        return True


def _give_up(row: OutboxMessage, to: str, status: int | None) -> None:
    """Forget a message LINE will not take, tell its reader where to look and staff that one failed."""
    from bot.notify import queue_staff_alert

    db.session.delete(row)  # the outbox keeps no content of a message that will never go
    if row.purpose in _QUIET:
        return
    if to:
        track = current_app.config["SETTINGS"].public_base_url.rstrip("/") + "/track"
        queue("failure_notice", to=to, messages=[ui.say(texts.SEND_FAILED.format(track=track))],
              retry_key=str(uuid.uuid5(uuid.NAMESPACE_URL, f"sujarit:notice:{row.retry_key}")))
    queue_staff_alert(texts.STAFF_SEND_FAILED.format(status=status or "-"),
                      retry_key=str(uuid.uuid5(uuid.NAMESPACE_URL, f"sujarit:alert:{row.retry_key}")))
