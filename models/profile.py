"""The office profile's versions: each edit is a new row holding the whole TOML text; none is overwritten."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, utcnow


class ProfileVersion(Base):
    """One version of the office profile (public facts about the office, never secrets)."""

    __tablename__ = "profile_versions"

    version: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    source: Mapped[str] = mapped_column(String(16))  # file | console | import
    note: Mapped[str] = mapped_column(String(200), default="")
    toml: Mapped[str] = mapped_column(Text)

    @classmethod
    def latest_number(cls, session: Session) -> int:
        """Return the newest version's number, 0 when the profile has never been stored."""
        return session.scalar(select(func.max(cls.version))) or 0
