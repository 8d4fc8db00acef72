"""The rating roll-ups equal a full recount of the raw ratings, however the ratings were written."""
from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select

from config.thai import BANGKOK
from intake.service_points import sync_service_points
from models import Rating, RatingAnswer, RatingAnswerMonth, RatingMonth, ServicePoint, db
from models.rollup import rebuild
from stats.fiscal import whole_year
from stats.satisfaction import satisfaction_table
from tests.stats.conftest import bkk

YEAR_START = bkk(2024, 10, 1)


def _random_ratings(app, count: int, seed: int) -> None:
    """Write ratings at random instants of FY 2568, month edges included, through the ORM and through Core."""
    sync_service_points(app.config["PROFILE"])
    points = list(db.session.scalars(select(ServicePoint.id)))
    aspects = [a.code for a in app.config["PROFILE"].aspects]
    chance = random.Random(seed)
    edges = [bkk(2024, 10, 31, 23, 59, 59), bkk(2024, 11, 1), bkk(2025, 2, 28, 23, 59, 59, 999999), bkk(2025, 3, 1)]
    core_rows, core_answers = [], []
    for n in range(count):
        when = edges[n] if n < len(edges) else YEAR_START + timedelta(seconds=chance.randrange(365 * 86400))
        point, channel = chance.choice(points), chance.choice(("qr", "line"))
        scores = {aspect: chance.randint(1, 5) for aspect in aspects}
        if n % 2:
            rating = Rating(service_point_id=point, created_at=when, channel=channel)
            rating.answers = [RatingAnswer(aspect=a, score=s, service_point_id=point, created_at=when)
                              for a, s in scores.items()]
            db.session.add(rating)
        else:
            rating_id = uuid.uuid4()
            core_rows.append({"id": rating_id, "service_point_id": point, "created_at": when, "channel": channel})
            core_answers += [{"rating_id": rating_id, "aspect": a, "score": s, "service_point_id": point,
                              "created_at": when} for a, s in scores.items()]
    db.session.flush()
    db.session.execute(insert(Rating), core_rows)
    db.session.execute(insert(RatingAnswer), core_answers)
    db.commit()


def _month(instant: datetime) -> str:
    return instant.astimezone(BANGKOK).strftime("%Y-%m")


def _recount() -> tuple[Counter, Counter]:
    answers, people = Counter(), Counter()
    for point, aspect, score, at in db.session.execute(
            select(RatingAnswer.service_point_id, RatingAnswer.aspect, RatingAnswer.score, RatingAnswer.created_at)):
        answers[(_month(at), point, aspect, score)] += 1
    for point, channel, at in db.session.execute(select(Rating.service_point_id, Rating.channel, Rating.created_at)):
        people[(_month(at), point, channel)] += 1
    return answers, people


def _rollups() -> tuple[Counter, Counter]:
    answers = Counter({(r.month, r.service_point_id, r.aspect, r.score): r.n
                       for r in db.session.scalars(select(RatingAnswerMonth))})
    people = Counter({(r.month, r.service_point_id, r.channel): r.n for r in db.session.scalars(select(RatingMonth))})
    return answers, people


def test_rollups_equal_a_full_recount_after_random_inserts_and_after_a_rebuild(app):
    _random_ratings(app, 300, seed=15)
    recount = _recount()
    assert sum(recount[1].values()) == 300
    assert _rollups() == recount
    # The month edges land in the Bangkok month they belong to.
    assert recount[1] and {"2024-10", "2024-11", "2025-02", "2025-03"} <= {key[0] for key in recount[1]}
    with db.unit_of_work():
        rows = rebuild(db.session.connection())
    assert rows == len(recount[0]) + len(recount[1])
    assert _rollups() == recount


def test_rollup_rebuild_command_repairs_damaged_rollups(app):
    _random_ratings(app, 40, seed=7)
    recount = _recount()
    with db.unit_of_work() as session:
        session.execute(RatingMonth.__table__.delete())
        session.execute(RatingAnswerMonth.__table__.update().values(n=RatingAnswerMonth.n + 3))
    assert _rollups() != recount
    result = app.test_cli_runner().invoke(args=["stats", "rollups"])
    assert result.exit_code == 0, result.output
    assert "คำนวณตารางสรุปผลประเมินรายเดือนใหม่" in result.output
    db.rollback()
    assert _rollups() == recount


def _expected_months(as_of: datetime) -> dict[str, tuple[int, int, int]]:
    """Return respondents, answers and their score total per month, from the raw rows up to `as_of`."""
    people, answers, total = Counter(), Counter(), Counter()
    for (at,) in db.session.execute(select(Rating.created_at).where(Rating.created_at <= as_of)):
        people[_month(at)] += 1
    for score, at in db.session.execute(select(RatingAnswer.score, RatingAnswer.created_at)
                                        .where(RatingAnswer.created_at <= as_of)):
        answers[_month(at)] += 1
        total[_month(at)] += score
    return {month: (people[month], answers[month], total[month]) for month in people}


def test_year_table_equals_a_recount_on_both_sides_of_the_running_month(app):
    _random_ratings(app, 400, seed=2568)
    for as_of in (bkk(2025, 9, 30, 23, 59, 59), bkk(2025, 3, 14, 12), bkk(2025, 3, 1), bkk(2024, 12, 31, 23, 59)):
        table = satisfaction_table(whole_year(2568), as_of.astimezone(timezone.utc))
        expected = _expected_months(as_of)
        got = {line.key: (line.respondents, line.scores.n, line.scores.total) for line in table.by_month
               if line.respondents}
        assert got == expected, as_of
        assert table.overall.respondents == sum(p for p, _, _ in expected.values())
