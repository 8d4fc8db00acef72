"""The LINE inbox (durable webhook events) and conversation state."""
from __future__ import annotations

from datetime import datetime

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
