"""Running reference numbers (เลขรับ): one counter per fiscal year, taken atomically."""
from __future__ import annotations

from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base


class ReferenceCounter(Base):
    """The last reference number given out in one fiscal year."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(primary_key=True)  #: P: fiscal year (BE)
    last: Mapped[int] = mapped_column(default=0)  #: P

    @classmethod
    def take(cls, session: Session, year: int) -> int:
        """Return the next number of a fiscal year; concurrent callers never get the same one."""
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        # One upsert: the row lock it takes serialises concurrent filings in the same year.
        statement = insert(cls).values(year=year, last=1)
        statement = statement.on_conflict_do_update(index_elements=[cls.year], set_={"last": cls.last + 1})
        return connection.execute(statement.returning(cls.last)).scalar_one()
