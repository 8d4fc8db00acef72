"""The report archive (every generated report, kept unchanged) and the clock's lease lock."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import String, UniqueConstraint, event, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, defer, mapped_column

from models.base import Base, utcnow


class ArchivedReport(Base):
    """One version of one report for one period in one format."""

    __tablename__ = "report_archive"
    __table_args__ = (UniqueConstraint("kind", "period", "fmt", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # complaints, satisfaction, satisfaction_staff, no_gift
    period: Mapped[str] = mapped_column(String(16))  # 2568-03, 2568-Q2, 2568-H1, 2568
    fmt: Mapped[str] = mapped_column(String(8))
    version: Mapped[int]
    as_of: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    filename: Mapped[str] = mapped_column(String(120))
    sha256: Mapped[str] = mapped_column(String(64))  # of the file as handed out (plaintext)
    confidential: Mapped[bool] = mapped_column(default=False)
    content: Mapped[bytes]  #: P for public editions (counts and means); C for staff editions (suggestion texts)

    def _tier_c_id(self) -> str:
        # The id is unknown before the insert, and the row may never change afterwards.
        return f"{self.kind}:{self.period}:{self.fmt}:{self.version}"

    @classmethod
    def add(cls, session: Session, *, kind: str, period: str, fmt: str, as_of: datetime, filename: str,
            data: bytes, keyring=None) -> "ArchivedReport":
        """Store a new version of a report file; encrypt it under the keyring when one is given (staff editions)."""
        attempts = 0
        while True:
            latest = session.scalar(select(func.max(cls.version)).where(cls.kind == kind, cls.period == period,
                                                                       cls.fmt == fmt))
            row = cls(kind=kind, period=period, fmt=fmt, version=(latest or 0) + 1, as_of=as_of, created_at=utcnow(),
                      filename=filename, sha256=hashlib.sha256(data).hexdigest(), confidential=keyring is not None)
            row.content = row.encrypt_c(keyring, "content", data) if keyring is not None else data
            try:
                with session.begin_nested():
                    session.add(row)
                return row
            except IntegrityError:
                # Someone archived the same report at the same moment and took this version number.
                attempts += 1
                if attempts == 3:
                    raise

    def read(self, keyring) -> bytes:
        """Return the file's bytes, opening a staff edition with the keyring."""
        return self.decrypt_c(keyring, "content", self.content) if self.confidential else self.content

    @classmethod
    def latest(cls, session: Session, kind: str, period: str, fmt: str | None = None,
               as_of_from: datetime | None = None) -> "ArchivedReport | None":
        """Return the newest version of a report (in one format, counted as of `as_of_from` or later), or None."""
        query = select(cls).where(cls.kind == kind, cls.period == period)
        if fmt is not None:
            query = query.where(cls.fmt == fmt)
        if as_of_from is not None:
            query = query.where(cls.as_of >= as_of_from)
        return session.scalar(query.order_by(cls.created_at.desc(), cls.version.desc()).limit(1))

    @classmethod
    def exists(cls, session: Session, kind: str, period: str) -> bool:
        """Return True when any version of a report for the period is archived."""
        return session.scalar(select(cls.id).where(cls.kind == kind, cls.period == period).limit(1)) is not None

    @classmethod
    def listing(cls, session: Session, kinds: tuple[str, ...], limit: int = 500) -> list["ArchivedReport"]:
        """Return archived versions of those kinds, newest first, without loading their contents."""
        return list(session.scalars(select(cls).options(defer(cls.content)).where(cls.kind.in_(kinds))
                                    .order_by(cls.created_at.desc(), cls.id.desc()).limit(limit)))


@event.listens_for(ArchivedReport, "before_update")
def _archive_is_append_only(_mapper, _connection, target: ArchivedReport) -> None:
    raise ValueError(f"archived report {target.id} is immutable; make a new version instead")


class ClockLock(Base):
    """A named lease: whoever holds it unexpired is the one clock allowed to act."""

    __tablename__ = "clock_locks"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    lease_until: Mapped[datetime]

    @classmethod
    def acquire(cls, session: Session, name: str, holder: str, lease: timedelta) -> bool:
        """Take or renew the lease when it is free, expired or already ours; return True on success."""
        now = utcnow()
        taken = session.execute(update(cls).where(cls.name == name, (cls.lease_until < now) | (cls.holder == holder))
                                .values(holder=holder, lease_until=now + lease)).rowcount
        if taken:
            return True
        try:
            with session.begin_nested():
                session.execute(insert(cls).values(name=name, holder=holder, lease_until=now + lease))
        except IntegrityError:
            return False
        return True

    @classmethod
    def release(cls, session: Session, name: str, holder: str) -> None:
        """Give the lease up, if we hold it."""
        session.execute(update(cls).where(cls.name == name, cls.holder == holder).values(lease_until=utcnow()))
