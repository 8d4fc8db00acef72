"""Complaint snapshots: a table counted from a snapshot and the changes since equals a full replay."""
from __future__ import annotations

import random
from datetime import timedelta, timezone

from sqlalchemy import func, select

from models import ComplaintSnapshot, ComplaintStatus as S, db
from models.complaint import TRANSITIONS
from stats.complaints import complaint_table
from stats.fiscal import whole_year
from stats.standing import ensure_snapshot, take_snapshot
from tests.stats.conftest import bkk

FIELDS = ("received", "completed", "forwarded", "not_accepted", "overdue", "by_channel", "by_category")
YEAR = whole_year(2568)
#: Mid-month, at boundaries and in the last minutes of months: where a snapshot and the changes since meet.
AS_OF = [bkk(2024, 12, 1), bkk(2025, 1, 15, 12), bkk(2025, 3, 31, 23, 59), bkk(2025, 4, 1), bkk(2025, 4, 3, 8),
         bkk(2025, 6, 20, 17), bkk(2025, 9, 30, 23, 59, 59), bkk(2025, 10, 1), bkk(2025, 11, 20)]


def _history(complaints, move, count: int, seed: int) -> None:
    """File complaints over FY 2568 and move each through a random, allowed history."""
    chance = random.Random(seed)
    for _ in range(count):
        when = bkk(2024, 10, 1) + timedelta(minutes=chance.randrange(365 * 24 * 60))
        complaint = complaints(when, channel=chance.choice(("web", "line", "letter")),
                               category=chance.choice(("bribery", "procurement")))
        for _ in range(chance.randrange(4)):
            when += timedelta(days=chance.randrange(1, 50), minutes=chance.randrange(600))
            move(complaint, chance.choice(sorted(TRANSITIONS[S(complaint.status)])), when)
    db.commit()


def _table(as_of):
    return [tuple(getattr(m, f) for f in FIELDS) for m in complaint_table(YEAR, as_of.astimezone(timezone.utc)).months]


def _snapshot_every_boundary() -> None:
    for month in YEAR.months[1:] + (YEAR.months[-1].next(), YEAR.months[-1].next().next()):
        take_snapshot(month.bounds_utc()[0])
    db.commit()


def test_tables_from_snapshots_equal_the_full_replay_at_every_instant(app, complaints, move):
    _history(complaints, move, 60, seed=2568)
    replayed = {as_of: _table(as_of) for as_of in AS_OF}
    assert sum(m[0] for m in replayed[AS_OF[-1]]) == 60
    _snapshot_every_boundary()
    assert db.session.scalar(select(func.count()).select_from(ComplaintSnapshot)) == 13
    for as_of in AS_OF:
        assert _table(as_of) == replayed[as_of], as_of


def test_a_late_entry_drops_the_snapshots_it_would_falsify(app, complaints, move):
    _history(complaints, move, 20, seed=7)
    _snapshot_every_boundary()
    february_before = _table(bkk(2025, 6, 20, 17))[4]
    late = complaints(bkk(2025, 2, 14, 10), category="procurement")  # a paper complaint entered months later
    move(late, S.COMPLETED, bkk(2025, 5, 2, 9))
    db.commit()
    left = list(db.session.scalars(select(ComplaintSnapshot.as_of).order_by(ComplaintSnapshot.as_of)))
    assert left == [bkk(2024, 11, 1).astimezone(timezone.utc), bkk(2024, 12, 1).astimezone(timezone.utc),
                    bkk(2025, 1, 1).astimezone(timezone.utc), bkk(2025, 2, 1).astimezone(timezone.utc)]
    with_snapshots = {as_of: _table(as_of) for as_of in AS_OF}
    db.session.execute(ComplaintSnapshot.__table__.delete())
    db.commit()
    assert {as_of: _table(as_of) for as_of in AS_OF} == with_snapshots
    february = with_snapshots[bkk(2025, 6, 20, 17)][4]
    assert (february[0], february[1]) == (february_before[0] + 1, february_before[1] + 1)


def _utc(*parts):
    return bkk(*parts).astimezone(timezone.utc)


def test_the_clock_keeps_month_boundaries_and_the_last_midnight(app, complaints, move):
    _history(complaints, move, 5, seed=1)
    assert ensure_snapshot(_utc(2025, 3, 1, 0, 30)) == [_utc(2025, 2, 1), _utc(2025, 2, 28)]
    assert ensure_snapshot(_utc(2025, 3, 1, 1, 30)) == [_utc(2025, 3, 1)]  # a month's first midnight is both
    assert ensure_snapshot(_utc(2025, 3, 1, 20)) == []
    assert ensure_snapshot(_utc(2025, 3, 20, 9)) == [_utc(2025, 3, 20)]
    db.commit()
    kept = list(db.session.execute(select(ComplaintSnapshot.as_of, ComplaintSnapshot.month_boundary)
                                   .order_by(ComplaintSnapshot.as_of)))
    assert kept == [(_utc(2025, 2, 1), True), (_utc(2025, 3, 1), True), (_utc(2025, 3, 20), False)]
    as_of = _utc(2025, 3, 20, 9)
    from_day = _table(as_of)
    db.session.execute(ComplaintSnapshot.__table__.delete())
    db.commit()
    assert _table(as_of) == from_day
