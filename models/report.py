"""The report archive: every generated report, kept unchanged, with its as-of time and digest."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class ArchivedReport(Base):
    """One version of one report for one period in one format."""

    __tablename__ = "report_archive"
    __table_args__ = (UniqueConstraint("kind", "period", "fmt", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # complaints, satisfaction, no_gift
    period: Mapped[str] = mapped_column(String(16))  # 2568-03, 2568-Q2, 2568-H1, 2568
    fmt: Mapped[str] = mapped_column(String(8))
    version: Mapped[int]
    as_of: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    filename: Mapped[str] = mapped_column(String(120))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes]  # P: reports hold counts and means only; staff editions live elsewhere


@event.listens_for(ArchivedReport, "before_update")
def _archive_is_append_only(_mapper, _connection, target: ArchivedReport) -> None:
    raise ValueError(f"archived report {target.id} is immutable; make a new version instead")

