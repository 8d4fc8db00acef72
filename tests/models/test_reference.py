"""Running reference numbers: concurrent filings in one fiscal year never share a number."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.orm import Session

from models import ReferenceCounter, db


def test_concurrent_takes_get_distinct_consecutive_numbers(app):
    engine = db.engine

    def take_five(_worker: int) -> list[int]:
        numbers = []
        for _ in range(5):
            with Session(engine) as session, session.begin():
                numbers.append(ReferenceCounter.take(session, 2570))
        return numbers

    with ThreadPoolExecutor(max_workers=4) as pool:
        taken = [n for numbers in pool.map(take_five, range(4)) for n in numbers]
    assert sorted(taken) == list(range(1, 21))
    with Session(engine) as session, session.begin():
        assert ReferenceCounter.take(session, 2571) == 1  # each fiscal year starts again at 1
