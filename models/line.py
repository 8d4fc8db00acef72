"""The LINE inbox (durable webhook events) and conversation state."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class InboxEvent(Base):
    """A webhook event, stored before it is acknowledged and processed later by the worker."""

    __tablename__ = "line_inbox"
    __table_args__ = (Index("ix_line_inbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_event_id: Mapped[str] = mapped_column(String(64), unique=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    event_type: Mapped[str] = mapped_column(String(32))
    user_index: Mapped[bytes | None] = mapped_column(index=True)  #: P: keyed hash of the source user id
    payload_enc: Mapped[bytes]  #: C: the event JSON (server keyring)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, processing, done, parked, ignored
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    processed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))  # the exception's class name only

    def _tier_c_id(self) -> str:
        return self.webhook_event_id

    def set_payload(self, keyring, raw_json: bytes) -> None:
        """Store the event's JSON encrypted."""
        self.payload_enc = self.encrypt_c(keyring, "payload", raw_json)

    def payload(self, keyring) -> bytes:
        """Return the event's JSON."""
        return self.decrypt_c(keyring, "payload", self.payload_enc)

    def claim(self, now: datetime) -> None:
        """Take the event for processing; a crash leaves it to be claimed again when the lease runs out."""
        self.status, self.claimed_at, self.attempts = "processing", now, self.attempts + 1

    def finish(self, now: datetime, status: str = "done") -> None:
        """Record the event as handled ("done" or "ignored") and drop its content."""
        self.status, self.processed_at, self.payload_enc = status, now, b""

    def fail(self, error: str, now: datetime, *, max_attempts: int, backoff: timedelta) -> bool:
        """Schedule another try after `backoff`, or park the event; return True when it was parked."""
        self.last_error = error[:200]
        if self.attempts >= max_attempts:
            self.status, self.processed_at = "parked", now
            return True
        self.status, self.next_attempt_at = "pending", now + backoff
        return False


class Conversation(Base):
    """Where one LINE user is in a dialog; purged on completion or after 24 hours."""

    __tablename__ = "conversations"

    user_index: Mapped[bytes] = mapped_column(primary_key=True)  #: P: keyed hash of the LINE user id
    flow: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    draft_enc: Mapped[bytes | None]  #: C: the draft so far (server keyring)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    def _tier_c_id(self) -> str:
        return self.user_index.hex()

    def set_draft(self, keyring, draft_json: bytes | None) -> None:
        """Store the draft encrypted."""
        self.draft_enc = self.encrypt_c(keyring, "draft", draft_json)

    def draft(self, keyring) -> bytes | None:
        """Return the draft's JSON, or None."""
        return self.decrypt_c(keyring, "draft", self.draft_enc)


class OutboxMessage(Base):
    """Messages for LINE, committed with the change that caused them and sent after the commit."""

    __tablename__ = "line_outbox"
    __table_args__ = (Index("ix_line_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: P: a random UUID sent as X-Line-Retry-Key, so a resent push is never delivered twice
    retry_key: Mapped[str] = mapped_column(String(36), unique=True)
    purpose: Mapped[str] = mapped_column(String(32))  # reply, status, staff_alert, worker_alert
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    payload_enc: Mapped[bytes]  #: C: {"to", "reply_token", "messages"} (server keyring)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, sending, failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))  # the exception's class and status only

    def _tier_c_id(self) -> str:
        return self.retry_key

    def set_payload(self, keyring, payload_json: bytes) -> None:
        """Store the message and its addressee encrypted."""
        self.payload_enc = self.encrypt_c(keyring, "payload", payload_json)

    def payload(self, keyring) -> bytes:
        """Return the message and its addressee as JSON."""
        return self.decrypt_c(keyring, "payload", self.payload_enc)

    def fail(self, error: str, now: datetime, *, max_attempts: int, backoff: timedelta) -> bool:
        """Schedule another try after `backoff`, or give up; return True when it gave up."""
        self.last_error = error[:200]
        self.attempts += 1
        if self.attempts >= max_attempts:
            self.status = "failed"
            return True
        self.status, self.next_attempt_at = "pending", now + backoff
        return False


class DraftEvidence(Base):
    """An evidence file or location received in a LINE complaint dialog, kept until the complaint is filed."""

    __tablename__ = "line_draft_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: P: keyed hash of the LINE user id (the conversation it belongs to)
    user_index: Mapped[bytes] = mapped_column(index=True)
    #: P: the LINE message id, so a redelivered image is stored once
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # image, file, location
    media_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    filename_enc: Mapped[bytes]  #: C: the file name (server keyring)
    data_enc: Mapped[bytes]  #: C: the file's bytes or the location JSON (server keyring)

    def _tier_c_id(self) -> str:
        return self.message_id

    def seal(self, keyring, filename: str, data: bytes) -> None:
        """Store the file name and content encrypted."""
        self.filename_enc = self.encrypt_c(keyring, "filename", filename)
        self.data_enc = self.encrypt_c(keyring, "data", data)

    def opened(self, keyring) -> tuple[str, bytes]:
        """Return the file name and content."""
        return (self.decrypt_c(keyring, "filename", self.filename_enc).decode(),
                self.decrypt_c(keyring, "data", self.data_enc))
