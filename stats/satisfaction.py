"""Satisfaction statistics (ITA O16/O17): respondents, mean, S.D., percent and Thai level, in SQL."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Iterator

from flask import current_app
from sqlalchemy import func, select

from models import Rating, RatingAnswer, RatingAnswerMonth, RatingMonth, ServicePoint, db, server_keys
from stats.buckets import month_bucket, months_until, window
from stats.fiscal import Period
from stats.numbers import half_up

#: Lower bound of each Thai level of the 5-level scale, from the top (DOMAIN.md).
LEVELS = ((4.51, "มากที่สุด"), (3.51, "มาก"), (2.51, "ปานกลาง"), (1.51, "น้อย"), (0.0, "น้อยที่สุด"))


#: Where ratings come from, in the words reports name them.
RATING_CHANNELS = {"qr": "คิวอาร์โค้ด ณ จุดบริการ", "line": "LINE"}
#: The interpretation bands printed under every satisfaction table, as the level is read.
BANDS = (("4.51–5.00", "มากที่สุด"), ("3.51–4.50", "มาก"), ("2.51–3.50", "ปานกลาง"), ("1.51–2.50", "น้อย"),
         ("1.00–1.50", "น้อยที่สุด"))


def level_of(mean: float | Fraction | None) -> str:
    """Return the Thai level read from a mean as printed (two decimals, half up): 4.51–5.00 มากที่สุด …"""
    printed = half_up(mean)
    if printed is None:
        return "–"
    return next(name for bound, name in LEVELS if printed >= Decimal(str(bound)))


@dataclass
class Scores:
    """Running sums of scores, enough for n, mean and sample S.D. of any roll-up."""

    n: int = 0
    total: int = 0
    squares: int = 0
    counts: dict[int, int] = field(default_factory=lambda: dict.fromkeys(range(1, 6), 0))

    def add(self, score: int, count: int) -> None:
        """Add `count` answers of one score."""
        self.n += count
        self.total += score * count
        self.squares += score * score * count
        self.counts[score] = self.counts.get(score, 0) + count

    def merge(self, other: "Scores") -> None:
        """Add another roll-up into this one."""
        for score, count in other.counts.items():
            self.add(score, count)

    @property
    def mean(self) -> Fraction | None:
        return Fraction(self.total, self.n) if self.n else None

    @property
    def sd(self) -> float | None:
        if not self.n:
            return None
        if self.n == 1:
            return 0.0
        variance = (self.squares - self.total * self.total / self.n) / (self.n - 1)
        return math.sqrt(max(variance, 0.0))

    @property
    def percent(self) -> Fraction | None:
        return None if self.mean is None else self.mean / 5 * 100

    @property
    def level(self) -> str:
        return level_of(self.mean)


@dataclass
class Line:
    """One row of a satisfaction table: who or what, respondents, and the scores."""

    key: str
    name: str
    respondents: int
    scores: Scores


@dataclass
class SatisfactionTable:
    """The satisfaction statistics of one period as of one instant."""

    period: Period
    as_of: datetime
    by_month: list[Line]
    by_aspect: list[Line]
    by_point: list[Line]
    by_division: list[Line]
    overall: Line
    by_channel: dict[str, int] = field(default_factory=dict)  # respondents per rating channel (qr, line)


def satisfaction_table(period: Period, as_of: datetime) -> SatisfactionTable:
    """Roll a period's ratings up per month, aspect, service point and division, as at `as_of`."""
    profile = current_app.config["PROFILE"]
    months = months_until(period, as_of)
    points = {p.id: p for p in db.session.scalars(select(ServicePoint))}
    cells: dict[tuple[int, int, str], Scores] = {}
    respondents: dict[tuple[int, int], int] = {}
    by_channel = dict.fromkeys(RATING_CHANNELS, 0)
    # Months over by the as-of instant are read from their roll-ups; the one still running, live.
    closed = [i for i, m in enumerate(months) if m.bounds_utc()[1] <= as_of]
    index_of = {months[i].iso(): i for i in closed}
    if closed:
        answers = (select(RatingAnswerMonth.month, RatingAnswerMonth.service_point_id, RatingAnswerMonth.aspect,
                          RatingAnswerMonth.score, RatingAnswerMonth.n)
                   .where(RatingAnswerMonth.month.in_(list(index_of)), RatingAnswerMonth.n > 0))
        people = (select(RatingMonth.month, RatingMonth.service_point_id, RatingMonth.channel, RatingMonth.n)
                  .where(RatingMonth.month.in_(list(index_of)), RatingMonth.n > 0))
        _count(db.session.execute(answers), db.session.execute(people), index_of.__getitem__,
               cells, respondents, by_channel)
    running = months[len(closed):]
    if running:
        answer_bucket = month_bucket(RatingAnswer.created_at, running).label("bucket")
        answers = (select(answer_bucket, RatingAnswer.service_point_id, RatingAnswer.aspect, RatingAnswer.score,
                          func.count())
                   .where(window(RatingAnswer.created_at, running, as_of))
                   .group_by(answer_bucket, RatingAnswer.service_point_id, RatingAnswer.aspect, RatingAnswer.score))
        bucket = month_bucket(Rating.created_at, running).label("bucket")
        people = (select(bucket, Rating.service_point_id, Rating.channel, func.count())
                  .where(window(Rating.created_at, running, as_of))
                  .group_by(bucket, Rating.service_point_id, Rating.channel))
        _count(db.session.execute(answers), db.session.execute(people), lambda bucket: len(closed) + bucket,
               cells, respondents, by_channel)

    tally = _Tally(cells, respondents)
    division_of = {pid: p.division for pid, p in points.items()}
    month_scores, month_people = tally.by(lambda i, _p, _a: months[i].iso())
    by_month = [Line(m.iso(), m.label_short(), month_people.get(m.iso(), 0), month_scores.get(m.iso(), Scores()))
                for m in months]
    aspect_scores, _ = tally.by(lambda _i, _p, aspect: aspect)
    by_aspect = [Line(a.code, a.name, tally.people, aspect_scores.get(a.code, Scores())) for a in profile.aspects]
    point_scores, point_people = tally.by(lambda _i, p, _a: points[p].code)
    names = {p.code: p.name for p in points.values()}
    point_order = [p.code for p in profile.service_points if p.code in names]
    point_order += sorted(c for c in point_people if c not in point_order)
    by_point = [Line(code, names[code], point_people.get(code, 0), point_scores.get(code, Scores()))
                for code in point_order]
    division_scores, division_people = tally.by(lambda _i, p, _a: division_of[p])
    division_codes = [d.code for d in profile.divisions if d.code in set(division_of.values())]
    by_division = [Line(code, profile.division_name(code), division_people.get(code, 0),
                        division_scores.get(code, Scores())) for code in division_codes]
    overall_scores, _ = tally.by(lambda *_: "all")
    overall = Line("all", "ภาพรวม", tally.people, overall_scores.get("all", Scores()))
    return SatisfactionTable(period, as_of, by_month, by_aspect, by_point, by_division, overall, by_channel)


def _count(answers, people, index_of, cells: dict, respondents: dict, by_channel: dict) -> None:
    """Add (month, point, aspect, score, count) and (month, point, channel, count) rows to the tallies."""
    for month, point_id, aspect, score, count in answers:
        cells.setdefault((index_of(month), point_id, aspect), Scores()).add(score, count)
    for month, point_id, channel, count in people:
        key = (index_of(month), point_id)
        respondents[key] = respondents.get(key, 0) + count
        by_channel[channel] = by_channel.get(channel, 0) + count


class _Tally:
    """The SQL result (scores per month, point and aspect; respondents per month and point), rolled up on demand."""

    def __init__(self, cells: dict[tuple[int, int, str], Scores], respondents: dict[tuple[int, int], int]):
        self.cells, self.respondents = cells, respondents
        self.people = sum(respondents.values())

    def by(self, key_of) -> tuple[dict[str, Scores], dict[str, int]]:
        """Return scores and respondents per key, where key_of(month index, point id, aspect) names the row."""
        scores: dict[str, Scores] = {}
        for (index, point_id, aspect), cell in self.cells.items():
            scores.setdefault(key_of(index, point_id, aspect), Scores()).merge(cell)
        people: dict[str, int] = {}
        for (index, point_id), count in self.respondents.items():
            key = key_of(index, point_id, None)
            people[key] = people.get(key, 0) + count
        return scores, people


def suggestions(period: Period, as_of: datetime) -> Iterator[tuple[datetime, str, str]]:
    """Yield (when, service point name, suggestion) for the staff edition; opened with the server keyring."""
    months = months_until(period, as_of)
    if not months:
        return
    keyring = server_keys().keyring
    query = (select(Rating, ServicePoint.name).join(ServicePoint, ServicePoint.id == Rating.service_point_id)
             .where(window(Rating.created_at, months, as_of), Rating.suggestion_enc.is_not(None))
             .order_by(Rating.created_at).execution_options(yield_per=500))
    for rating, point_name in db.session.execute(query):
        yield rating.created_at, point_name, rating.suggestion(keyring)
