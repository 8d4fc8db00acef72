"""Service points, satisfaction ratings and general feedback."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow


class ServicePoint(Base):
    """A service counter where citizens rate the service by QR code."""

    __tablename__ = "service_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    division: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Rating(Base):
    """One citizen's rating of one service; no identity is kept."""

    __tablename__ = "ratings"
    __table_args__ = (Index("ix_ratings_point_created", "service_point_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    service_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    channel: Mapped[str] = mapped_column(String(16))
    suggestion_enc: Mapped[bytes | None]  #: C: the free-text suggestion (server keyring)
    #: Optional answers about the respondent, as plain codes for the usual breakdowns (never an identity).
    respondent_sex: Mapped[str | None] = mapped_column(String(16))
    respondent_age: Mapped[str | None] = mapped_column(String(16))
    respondent_occupation: Mapped[str | None] = mapped_column(String(16))

    answers: Mapped[list["RatingAnswer"]] = relationship(back_populates="rating", cascade="all, delete-orphan")
    service_point: Mapped[ServicePoint] = relationship()

    def set_suggestion(self, keyring, text: str) -> None:
        """Store the suggestion encrypted (an empty one is stored as nothing)."""
        self.suggestion_enc = self.encrypt_c(keyring, "suggestion", text) if text else None

    def suggestion(self, keyring) -> str:
        """Return the suggestion text."""
        return (self.decrypt_c(keyring, "suggestion", self.suggestion_enc) or b"").decode()


class RatingAnswer(Base):
    """A score from 1 to 5 for one survey aspect."""

    __tablename__ = "rating_answers"
    # The rating's service point and time are copied here (plain metadata, never changed), so the
    # satisfaction tables count this one table with a covering index instead of joining a million ratings.
    __table_args__ = (Index("ix_rating_answers_created_point", "created_at", "service_point_id", "aspect", "score"),)

    rating_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ratings.id", ondelete="CASCADE"), primary_key=True)
    aspect: Mapped[str] = mapped_column(String(32), primary_key=True)
    score: Mapped[int] = mapped_column(SmallInteger)
    service_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"))
    created_at: Mapped[datetime]

    rating: Mapped[Rating] = relationship(back_populates="answers")


class Feedback(Base):
    """A general suggestion or complaint that is not about corruption, kept apart from complaints."""

    __tablename__ = "feedback"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    channel: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(64), default="general")
    division: Mapped[str | None] = mapped_column(String(64))
    text_enc: Mapped[bytes]  #: C: what the citizen wrote (server keyring)
    contact_enc: Mapped[bytes | None]  #: C: optional contact details (server keyring)
    handled_at: Mapped[datetime | None]

    def set_content(self, keyring, text: str, contact: str = "") -> None:
        """Store what the citizen wrote and how to reach them, encrypted."""
        self.text_enc = self.encrypt_c(keyring, "text", text)
        self.contact_enc = self.encrypt_c(keyring, "contact", contact) if contact else None

    def content(self, keyring) -> tuple[str, str]:
        """Return (text, contact)."""
        return (self.decrypt_c(keyring, "text", self.text_enc).decode(),
                (self.decrypt_c(keyring, "contact", self.contact_enc) or b"").decode())


class Throttle(Base):
    """A counter of attempts per keyed hash of (limit, client address, time window); no address is stored."""

    __tablename__ = "throttles"

    key: Mapped[bytes] = mapped_column(primary_key=True)  #: P: keyed hash, unlinkable across windows
    hits: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime] = mapped_column(index=True)

    @classmethod
    def hit(cls, connection, key: bytes, expires_at: datetime) -> int:
        """Count one attempt under a key on a connection; return the attempts so far in its window."""
        if connection.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        statement = insert(cls).values(key=key, hits=1, expires_at=expires_at)
        statement = statement.on_conflict_do_update(index_elements=[cls.key], set_={"hits": cls.hits + 1})
        return connection.execute(statement.returning(cls.hits)).scalar_one()

    @classmethod
    def purge(cls, connection, now: datetime) -> int:
        """Delete the counters of windows that have ended; return how many."""
        from sqlalchemy import delete

        return connection.execute(delete(cls).where(cls.expires_at < now)).rowcount
