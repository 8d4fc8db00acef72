"""Monthly roll-ups of the ratings and snapshots of the complaints' standing, for fast statistics.

Ratings.

A satisfaction year table over a million ratings reads a few thousand roll-up rows for its closed
months instead of five million answers. Triggers maintain them, so every way a rating is written
(the web form, LINE, a bulk load, the demo's seed) counts, and a roll-up can never drift from
the rows it sums; `flask stats rollup rebuild` recomputes them from the raw rows all the same.
Ratings are never changed or deleted once written, so only inserts are counted; should that ever
change, the rebuild puts the roll-ups right. A month here is a Bangkok calendar month, "YYYY-MM": Thailand has kept UTC+7 without daylight time
since 1920, so the database shifts UTC by seven hours, as stats.fiscal does with its time zone.

Complaints. A complaint's status changes, so a report as of T is replayed from history; a snapshot
holds that replay at a month or day boundary (how many complaints of each month, channel and category
stood in each status, overdue or not), and a report as of a later T starts from it and replays only
the complaints that changed since. A trigger deletes every snapshot a late write could falsify (a
complaint or status change dated at or before it, or a complaint's month, channel, category or due
date edited), so a snapshot that exists always equals the replay it stands for.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, SmallInteger, String, delete, event, func, insert, literal_column, select
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.rating import Rating, RatingAnswer


class RatingAnswerMonth(Base):
    """How many answers of one score one aspect got at one service point in one Bangkok month."""

    __tablename__ = "rating_answer_months"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    service_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"), primary_key=True)
    aspect: Mapped[str] = mapped_column(String(32), primary_key=True)
    score: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class RatingMonth(Base):
    """How many people rated one service point through one channel in one Bangkok month."""

    __tablename__ = "rating_months"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    service_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class ComplaintSnapshot(Base):
    """A replay of every complaint's standing at a month or day boundary, for the months from `first_month` on."""

    __tablename__ = "complaint_snapshots"

    as_of: Mapped[datetime] = mapped_column(primary_key=True)
    #: Month boundaries are kept (past periods are made as of them); a day's lasts until the next day's.
    month_boundary: Mapped[bool]
    first_month: Mapped[str] = mapped_column(String(7))
    made_at: Mapped[datetime]


class ComplaintSnapshotCount(Base):
    """How many complaints received in one month, channel and category stood in one status at a snapshot."""

    __tablename__ = "complaint_snapshot_counts"

    as_of: Mapped[datetime] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    category: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    late: Mapped[bool] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


#: (roll-up, raw table, the raw columns it groups by besides the month)
_ROLLUPS = ((RatingAnswerMonth.__table__, RatingAnswer.__table__, ("service_point_id", "aspect", "score")),
            (RatingMonth.__table__, Rating.__table__, ("service_point_id", "channel")))


def _postgresql_triggers() -> list[str]:
    # A statement-level trigger with a transition table: a bulk insert of a million answers is one
    # grouped upsert, not a million.
    statements = []
    for rollup, raw, keys in _ROLLUPS:
        columns = ", ".join(keys)
        month = "to_char(created_at + interval '7 hours', 'YYYY-MM')"
        statements += [
            f"CREATE OR REPLACE FUNCTION {rollup.name}_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"INSERT INTO {rollup.name} (month, {columns}, n) "
            f"SELECT {month}, {columns}, count(*) FROM fresh GROUP BY 1, {columns} "
            f"ON CONFLICT (month, {columns}) DO UPDATE SET n = {rollup.name}.n + EXCLUDED.n; "
            f"RETURN NULL; END $$",
            f"DROP TRIGGER IF EXISTS {rollup.name}_insert ON {raw.name}",
            f"CREATE TRIGGER {rollup.name}_insert AFTER INSERT ON {raw.name} REFERENCING NEW TABLE AS fresh "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {rollup.name}_insert()"]
    return statements


def _sqlite_triggers() -> list[str]:
    # SQLite reads fractional seconds to the millisecond, rounding 23:59:59.9999 into the next month:
    # the stored text is cut to whole seconds first.
    statements = []
    for rollup, raw, keys in _ROLLUPS:
        columns = ", ".join(keys)
        values = ", ".join(f"NEW.{key}" for key in keys)
        statements += [
            f"DROP TRIGGER IF EXISTS {rollup.name}_insert",
            f"CREATE TRIGGER {rollup.name}_insert AFTER INSERT ON {raw.name} BEGIN "
            f"INSERT INTO {rollup.name} (month, {columns}, n) "
            f"VALUES (strftime('%Y-%m', substr(NEW.created_at, 1, 19), '+7 hours'), {values}, 1) "
            f"ON CONFLICT (month, {columns}) DO UPDATE SET n = n + 1; END"]
    return statements


#: (trigger, table, when, the earliest instant the written row can change the standing of)
_STALE = (("complaint_snapshots_filed", "complaints", "INSERT", "received_at"),
          ("complaint_snapshots_history", "complaint_events", "INSERT", "at"),
          ("complaint_snapshots_edited", "complaints", "UPDATE OF received_at, channel, category, due_at",
           "CASE WHEN NEW.received_at < OLD.received_at THEN NEW.received_at ELSE OLD.received_at END"))


def _stale_triggers(dialect: str) -> list[str]:
    # The delete finds nothing unless the write is dated at or before a snapshot: filings and status
    # changes are dated now. On PostgreSQL an insert is checked once per statement, so a bulk load
    # costs one delete.
    statements = []
    for name, table, when, since in _STALE:
        if when == "INSERT":
            since = f"(SELECT min({since}) FROM fresh)" if dialect == "postgresql" else f"NEW.{since}"
        body = (f"DELETE FROM complaint_snapshot_counts WHERE as_of >= {since}; "
                f"DELETE FROM complaint_snapshots WHERE as_of >= {since};")
        if dialect == "postgresql":
            each = "REFERENCING NEW TABLE AS fresh FOR EACH STATEMENT" if when == "INSERT" else "FOR EACH ROW"
            statements += [
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"{body} RETURN NULL; END $$",
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"CREATE TRIGGER {name} AFTER {when} ON {table} {each} EXECUTE FUNCTION {name}()"]
        else:
            statements += [f"DROP TRIGGER IF EXISTS {name}",
                           f"CREATE TRIGGER {name} AFTER {when} ON {table} BEGIN {body} END"]
    return statements


def create_triggers(connection) -> None:
    """Create (or replace) the triggers that keep the roll-ups current and the snapshots true."""
    dialect = connection.dialect.name
    statements = (_postgresql_triggers() if dialect == "postgresql" else _sqlite_triggers()) + _stale_triggers(dialect)
    for statement in statements:
        connection.exec_driver_sql(statement)


def drop_triggers(connection) -> None:
    """Drop the triggers (and on PostgreSQL their functions) that keep the roll-ups current and snapshots true."""
    names = [(f"{rollup.name}_insert", raw.name) for rollup, raw, _keys in _ROLLUPS]
    for name, table in names + [(name, table) for name, table, _when, _since in _STALE]:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


def bangkok_month(dialect: str, column):
    """Return SQL naming the Bangkok month ("YYYY-MM") of a UTC timestamp column."""
    if dialect == "postgresql":
        return func.to_char(column + literal_column("interval '7 hours'"), "YYYY-MM")
    return func.strftime("%Y-%m", func.substr(column, 1, 19), "+7 hours")


def rebuild(connection) -> int:
    """Recompute every roll-up from the raw rows; return how many roll-up rows there are."""
    total = 0
    for rollup, raw, keys in _ROLLUPS:
        connection.execute(delete(rollup))
        month = bangkok_month(connection.dialect.name, raw.c.created_at).label("month")
        grouped = (select(month, *(raw.c[key] for key in keys), func.count())
                   .group_by(month, *(raw.c[key] for key in keys)))
        connection.execute(insert(rollup).from_select(["month", *keys, "n"], grouped))
        total += connection.execute(select(func.count()).select_from(rollup)).scalar_one()
    return total


# Tables made from the models (tests, the demo, benches) get the triggers too; migrations add them
# with the same function.
event.listen(Base.metadata, "after_create",
             lambda _target, connection, **_kw: create_triggers(connection))
