"""Small facts about this installation, as key and value."""
from __future__ import annotations

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base


class Meta(Base):
    """Small facts about this installation (setup done, schema notes)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))

    @classmethod
    def get(cls, session: Session, key: str) -> str | None:
        """Return the value stored under a key, or None."""
        return session.scalar(select(cls.value).where(cls.key == key))

    @classmethod
    def put(cls, session: Session, key: str, value: str) -> None:
        """Store a value under a key."""
        session.merge(cls(key=key, value=value))
