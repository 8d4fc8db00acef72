"""The LINE inbox (durable webhook events), conversation state, draft evidence and the outbox.

Everything here is tier F: encrypted under the short-lived epoch keys of `models.flight` (never the
server keyring), so old copies left in the WAL, free pages or dead rows stop opening after the window.
Keyed hashes of a LINE user rotate daily and are destroyed like the epoch keys. Rows that are done keep
only what deduplication or operations need: no content, no user hash, times to the hour.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


def to_the_hour(moment: datetime) -> datetime:
    """Return a time cut to the hour, as kept on rows that are done."""
    return moment.replace(minute=0, second=0, microsecond=0)


class _InFlight:
    """Tier-F fields: encrypted under the current epoch key, bound to the row and field."""

    #: The `_enc` columns are tier F, not under the server keyring: key rotation leaves them alone.
    keyring_columns = False

    def seal_f(self, flight, field: str, value: str | bytes) -> bytes:
        data = value.encode() if isinstance(value, str) else value
        return flight.encrypt(data, self._tier_c_ad(field))

    def open_f(self, flight, field: str, blob: bytes) -> bytes:
        return flight.decrypt(blob, self._tier_c_ad(field))


class InboxEvent(_InFlight, Base):
    """A webhook event, stored before it is acknowledged and processed later by the worker."""

    __tablename__ = "line_inbox"
    __table_args__ = (Index("ix_line_inbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_event_id: Mapped[str] = mapped_column(String(64), unique=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    event_type: Mapped[str] = mapped_column(String(32))
    #: F: keyed hash of the chat (user, group or room) under the day's key; cleared once handled
    user_index: Mapped[bytes | None] = mapped_column(index=True)
    payload_enc: Mapped[bytes]  #: F: the event JSON (epoch key); emptied once handled or parked
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, processing, done, parked, ignored
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    processed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))  # the exception's class name only

    def _tier_c_id(self) -> str:
        return self.webhook_event_id

    def set_payload(self, flight, raw_json: bytes) -> None:
        """Store the event's JSON under the current epoch key."""
        self.payload_enc = self.seal_f(flight, "payload", raw_json)

    def payload(self, flight) -> bytes:
        """Return the event's JSON."""
        return self.open_f(flight, "payload", self.payload_enc)

    def _keep_only_the_trace(self, now: datetime) -> None:
        # What deduplication and operations need: the event id, its type, the status, the hour.
        self.payload_enc, self.user_index, self.claimed_at = b"", None, None
        self.received_at = self.next_attempt_at = self.processed_at = to_the_hour(now)

    def claim(self, now: datetime) -> None:
        """Take the event for processing; a crash leaves it to be claimed again when the lease runs out."""
        self.status, self.claimed_at, self.attempts = "processing", now, self.attempts + 1

    def finish(self, now: datetime, status: str = "done") -> None:
        """Record the event as handled ("done" or "ignored") and drop its content and its user hash."""
        self.status = status
        self._keep_only_the_trace(now)

    def fail(self, error: str, now: datetime, *, max_attempts: int, backoff: timedelta) -> bool:
        """Schedule another try after `backoff`, or park it without its content; return True when parked."""
        self.last_error = error[:200]
        if self.attempts >= max_attempts:
            self.status = "parked"
            self._keep_only_the_trace(now)
            return True
        self.status, self.next_attempt_at = "pending", now + backoff
        return False


class Conversation(_InFlight, Base):
    """Where one LINE user is in a dialog; purged on completion or after 24 hours."""

    __tablename__ = "conversations"

    #: F: keyed hash of the LINE user id under the day's key (destroyed with the epoch keys)
    user_index: Mapped[bytes] = mapped_column(primary_key=True)
    flow: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    draft_enc: Mapped[bytes | None]  #: F: the draft so far (epoch key)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    def _tier_c_id(self) -> str:
        return self.user_index.hex()

    def set_draft(self, flight, draft_json: bytes) -> None:
        """Store the draft under the current epoch key."""
        self.draft_enc = self.seal_f(flight, "draft", draft_json)

    def draft(self, flight) -> bytes | None:
        """Return the draft's JSON, or None."""
        return None if self.draft_enc is None else self.open_f(flight, "draft", self.draft_enc)


class OutboxMessage(_InFlight, Base):
    """Messages for LINE, committed with the change that caused them and sent after the commit."""

    __tablename__ = "line_outbox"
    __table_args__ = (Index("ix_line_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: P: a random UUID sent as X-Line-Retry-Key, so a resent push is never delivered twice
    retry_key: Mapped[str] = mapped_column(String(36), unique=True)
    purpose: Mapped[str] = mapped_column(String(32))  # reply, status, staff_alert, worker_alert
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    payload_enc: Mapped[bytes]  #: F: {"to", "reply_token", "messages"} (epoch key); emptied on giving up
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, sending, failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))  # the exception's class and status only

    def _tier_c_id(self) -> str:
        return self.retry_key

    def set_payload(self, flight, payload_json: bytes) -> None:
        """Store the message and its addressee under the current epoch key."""
        self.payload_enc = self.seal_f(flight, "payload", payload_json)

    def payload(self, flight) -> bytes:
        """Return the message and its addressee as JSON."""
        return self.open_f(flight, "payload", self.payload_enc)

    def fail(self, error: str, now: datetime, *, max_attempts: int, backoff: timedelta) -> bool:
        """Schedule another try after `backoff`, or give up, keeping only purpose and hour; True when it gave up."""
        self.last_error = error[:200]
        self.attempts += 1
        if self.attempts >= max_attempts:
            self.status, self.payload_enc, self.claimed_at = "failed", b"", None
            self.created_at = self.next_attempt_at = to_the_hour(now)
            return True
        self.status, self.next_attempt_at = "pending", now + backoff
        return False


class DraftEvidence(Base):
    """An evidence file or location received in a LINE complaint dialog, sealed as it arrived, until filing."""

    __tablename__ = "line_draft_evidence"
    #: Its `_enc` columns are sealed (tier S), not under the server keyring.
    keyring_columns = False

    id: Mapped[int] = mapped_column(primary_key=True)
    #: F: the conversation's user hash (day key), so it goes with the conversation
    user_index: Mapped[bytes] = mapped_column(index=True)
    #: P: the LINE message id, so a redelivered image is stored once
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # image, file, location
    media_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: S: the file name, sealed under the data key the complaint will have (kept in the tier-F draft
    #: until filing, then sealed to the officers and the recovery key): no copy the server can read
    filename_enc: Mapped[bytes]
    data_enc: Mapped[bytes]  #: S: the file's bytes or the location JSON, sealed the same way
