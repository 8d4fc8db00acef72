"""Where complaints stood at an instant: counts per month received, channel, category, status and lateness.

A count as of T is replayed from each complaint's status history (stats.history), never read from
its current status. A snapshot (models.rollup.ComplaintSnapshot) holds such a replay at a month
boundary T0 (kept) or at the last midnight (for reports as of now); a count as of a later T starts from it and replays only the complaints that may stand
differently at T than at T0: received, changed or fallen due between T0 and T.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, insert, not_, or_, select, union
from sqlalchemy.sql.elements import ColumnElement

from config.thai import to_local
from models import Complaint, ComplaintEvent, ComplaintSnapshot, ComplaintSnapshotCount, db, utcnow
from models.rollup import bangkok_month
from stats.buckets import window
from stats.fiscal import Month, fiscal_year_of, local_midnight_utc, whole_year

#: (month "YYYY-MM", channel, category, status, overdue flag)
Key = tuple[str, str, str, str, bool]
#: A boundary is snapshotted only once nothing can still be filed or changed dated at or before it
#: (filings and changes are dated now, to the minute).
SETTLED = timedelta(hours=1)


def replay(where: ColumnElement, as_of: datetime) -> Counter:
    """Count the complaints matching `where` by the key they had at `as_of`."""
    month = bangkok_month(db.engine.dialect.name, Complaint.received_at).label("month")
    late = (Complaint.due_at < as_of).label("late")
    # The common case is one scan: a complaint unchanged since the as-of instant counts by its current
    # status, one changed once since by the status it had before; only complaints changed twice or more
    # since (re-opened, re-closed) replay their history, in a second, small pass.
    twice = and_(Complaint.status_changed_at > as_of,
                 or_(Complaint.previous_changed_at.is_(None), Complaint.previous_changed_at > as_of))
    then = case((Complaint.status_changed_at <= as_of, Complaint.status), else_=Complaint.previous_status)
    keys = (month, Complaint.channel, Complaint.category, then, late)
    common = select(*keys, func.count()).where(where, not_(twice)).group_by(*keys)
    # The last history entry up to the as-of instant of each of the rest: one join, not a lookup per complaint.
    last = (select(month, Complaint.channel, Complaint.category, ComplaintEvent.status, late,
                   func.row_number().over(partition_by=ComplaintEvent.complaint_id,
                                          order_by=(ComplaintEvent.at.desc(), ComplaintEvent.seq.desc())).label("nth"))
            .join(Complaint, Complaint.id == ComplaintEvent.complaint_id)
            .where(where, twice, ComplaintEvent.at <= as_of).subquery())
    last_keys = (last.c.month, last.c.channel, last.c.category, last.c.status, last.c.late)
    replayed = select(*last_keys, func.count()).where(last.c.nth == 1).group_by(*last_keys)
    counts: Counter = Counter()
    for statement in (common, replayed):
        for month_key, channel, category, status, is_late, count in db.session.execute(statement):
            counts[(month_key, channel, category, str(getattr(status, "value", status)), bool(is_late))] += count
    return counts


def standing(months: tuple[Month, ...], as_of: datetime) -> Counter:
    """Count the complaints received in `months` up to `as_of` by the key they had at `as_of`."""
    in_window = window(Complaint.received_at, months, as_of)
    snapshot = db.session.scalar(
        select(ComplaintSnapshot.as_of)
        .where(ComplaintSnapshot.as_of <= as_of, ComplaintSnapshot.as_of > months[0].bounds_utc()[0],
               ComplaintSnapshot.first_month <= months[0].iso())
        .order_by(ComplaintSnapshot.as_of.desc()).limit(1))
    if snapshot is None:
        return replay(in_window, as_of)
    counts: Counter = Counter()
    wanted = [m.iso() for m in months]
    for key in db.session.execute(
            select(ComplaintSnapshotCount.month, ComplaintSnapshotCount.channel, ComplaintSnapshotCount.category,
                   ComplaintSnapshotCount.status, ComplaintSnapshotCount.late, ComplaintSnapshotCount.n)
            .where(ComplaintSnapshotCount.as_of == snapshot, ComplaintSnapshotCount.month.in_(wanted))):
        counts[(key[0], key[1], key[2], key[3], bool(key[4]))] += key[5]
    # Each kind of move is found through its own index; one OR would scan every complaint.
    moved_ids = union(select(Complaint.id).where(Complaint.received_at > snapshot, Complaint.received_at <= as_of),
                      select(ComplaintEvent.complaint_id).where(ComplaintEvent.at > snapshot, ComplaintEvent.at <= as_of),
                      select(Complaint.id).where(Complaint.due_at >= snapshot, Complaint.due_at < as_of))
    moved = and_(in_window, Complaint.id.in_(moved_ids.scalar_subquery()))
    counts.subtract(replay(and_(moved, Complaint.received_at <= snapshot), snapshot))
    counts.update(replay(moved, as_of))
    return +counts


def take_snapshot(boundary: datetime, month_boundary: bool = True) -> None:
    """Store the replay at a boundary of the complaints of its fiscal year and the year before."""
    fiscal_year = fiscal_year_of(to_local(boundary - timedelta(microseconds=1)).date())
    first = whole_year(fiscal_year - 1).months[0]
    _drop(ComplaintSnapshot.as_of == boundary)
    counts = replay(and_(Complaint.received_at >= first.bounds_utc()[0], Complaint.received_at <= boundary), boundary)
    db.session.add(ComplaintSnapshot(as_of=boundary, month_boundary=month_boundary, first_month=first.iso(),
                                     made_at=utcnow()))
    db.session.flush()
    if counts:
        db.session.execute(insert(ComplaintSnapshotCount), [
            {"as_of": boundary, "month": month, "channel": channel, "category": category, "status": status,
             "late": late, "n": n} for (month, channel, category, status, late), n in counts.items()])


def ensure_snapshot(now: datetime) -> list[datetime]:
    """Snapshot the latest settled month and day boundaries unless they are; return the boundaries snapshotted."""
    settled = to_local(now - SETTLED).date()
    month, day = Month.of(settled).bounds_utc()[0], local_midnight_utc(settled)
    taken = [boundary for boundary in dict.fromkeys((month, day))
             if db.session.get(ComplaintSnapshot, boundary) is None]
    for boundary in taken:
        take_snapshot(boundary, month_boundary=boundary == month)
    # A day's snapshot only speeds up reports as of now: yesterday's goes once today's exists.
    _drop(and_(ComplaintSnapshot.as_of < day, ComplaintSnapshot.month_boundary.is_(False)))
    return taken


def _drop(which: ColumnElement) -> None:
    gone = select(ComplaintSnapshot.as_of).where(which)
    db.session.execute(ComplaintSnapshotCount.__table__.delete().where(ComplaintSnapshotCount.as_of.in_(gone)))
    db.session.execute(ComplaintSnapshot.__table__.delete().where(which))
