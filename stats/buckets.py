"""Bucketing timestamps into Bangkok months inside SQL, so counting stays one GROUP BY."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case
from sqlalchemy.sql.elements import ColumnElement

from stats.fiscal import Month, Period


def months_until(period: Period, as_of: datetime) -> tuple[Month, ...]:
    """Return the months of a period that have begun by the as-of instant."""
    return tuple(m for m in period.months if m.bounds_utc()[0] <= as_of)


def month_bucket(column, months: tuple[Month, ...]) -> ColumnElement:
    """Return a SQL expression giving the index of the month a timestamp falls in."""
    whens = [(column < month.bounds_utc()[1], index) for index, month in enumerate(months)]
    return case(*whens, else_=len(months))


def window(column, months: tuple[Month, ...], as_of: datetime) -> ColumnElement:
    """Return the WHERE clause for rows in those months, up to and including the as-of instant."""
    start, end = months[0].bounds_utc()[0], months[-1].bounds_utc()[1]
    return and_(column >= start, column < end, column <= as_of)
