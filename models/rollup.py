"""Monthly roll-ups of the ratings, kept current by the database itself as ratings arrive.

A satisfaction year table over a million ratings reads a few thousand roll-up rows for its closed
months instead of five million answers. Triggers maintain them, so every way a rating is written
(the web form, LINE, a bulk load, the demo's seed) counts, and a roll-up can never drift from
the rows it sums; `flask stats rollup rebuild` recomputes them from the raw rows all the same.
Ratings are never changed or deleted once written, so only inserts are counted; should that ever
change, the rebuild puts the roll-ups right. A month here is a Bangkok calendar month, "YYYY-MM": Thailand has kept UTC+7 without daylight time
since 1920, so the database shifts UTC by seven hours, as stats.fiscal does with its time zone.
"""
from __future__ import annotations

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


def create_triggers(connection) -> None:
    """Create (or replace) the triggers that keep the roll-ups current."""
    statements = _postgresql_triggers() if connection.dialect.name == "postgresql" else _sqlite_triggers()
    for statement in statements:
        connection.exec_driver_sql(statement)


def drop_triggers(connection) -> None:
    """Drop the triggers (and on PostgreSQL their functions) that keep the roll-ups current."""
    for rollup, raw, _keys in _ROLLUPS:
        name = f"{rollup.name}_insert"
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {raw.name}")
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


def _bangkok_month(connection, column):
    if connection.dialect.name == "postgresql":
        return func.to_char(column + literal_column("interval '7 hours'"), "YYYY-MM")
    return func.strftime("%Y-%m", func.substr(column, 1, 19), "+7 hours")


def rebuild(connection) -> int:
    """Recompute every roll-up from the raw rows; return how many roll-up rows there are."""
    total = 0
    for rollup, raw, keys in _ROLLUPS:
        connection.execute(delete(rollup))
        month = _bangkok_month(connection, raw.c.created_at).label("month")
        grouped = (select(month, *(raw.c[key] for key in keys), func.count())
                   .group_by(month, *(raw.c[key] for key in keys)))
        connection.execute(insert(rollup).from_select(["month", *keys, "n"], grouped))
        total += connection.execute(select(func.count()).select_from(rollup)).scalar_one()
    return total


# Tables made from the models (tests, the demo, benches) get the triggers too; migrations add them
# with the same function.
event.listen(Base.metadata, "after_create",
             lambda _target, connection, **_kw: create_triggers(connection))
