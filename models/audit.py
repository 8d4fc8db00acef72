"""The audit log: who did what to which record, and when; never any content."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, utcnow


class AuditEntry(Base):
    """One audited action."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)  # e.g. complaint.view
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(String(500))  # plain words, never content

    @classmethod
    def record(cls, session: Session, action: str, *, staff_id: int | None = None,
               target_type: str | None = None, target_id: object = None, detail: str | None = None) -> "AuditEntry":
        """Add an audit entry to the session."""
        entry = cls(at=utcnow(), staff_id=staff_id, action=action, target_type=target_type,
                    target_id=None if target_id is None else str(target_id), detail=detail)
        session.add(entry)
        return entry
