"""Reports true to history: cases closed, re-opened and re-closed across months, counted as they stood at T."""
from __future__ import annotations

import csv
import io

import pytest

from models import ComplaintStatus as S, db
from stats.archive import make_report
from stats.document import build_report, json_ready
from stats.export import write_register
from stats.fiscal import Month, half, month_period
from tests.stats.conftest import bkk

MARCH = month_period(Month(2025, 3))
H1 = half(2568, 1)
COUNTS = ("received", "completed", "forwarded", "not_accepted", "in_progress")


@pytest.fixture
def cases(complaints, move):
    a = complaints(bkk(2025, 1, 10, 9))
    move(a, S.COMPLETED, bkk(2025, 3, 10, 9))
    move(a, S.IN_PROGRESS, bkk(2025, 5, 5, 9))  # re-opened in May: new facts
    move(a, S.COMPLETED, bkk(2025, 6, 2, 9))
    b = complaints(bkk(2025, 3, 5, 9), channel="line", category="procurement")
    move(b, S.FORWARDED, bkk(2025, 3, 20, 9))
    move(b, S.IN_PROGRESS, bkk(2025, 4, 10, 9))
    move(b, S.NOT_ACCEPTED, bkk(2025, 4, 15, 9))
    c = complaints(bkk(2025, 3, 25, 9), channel="letter")
    move(c, S.IN_PROGRESS, bkk(2025, 3, 26, 9))
    move(c, S.COMPLETED, bkk(2025, 7, 1, 9))
    complaints(bkk(2025, 3, 28, 9))  # never touched
    db.commit()


def _row(report, month: str) -> tuple:
    row = next(m for m in report.data["months"] if m["month"] == month)
    return tuple(row[c] for c in COUNTS)


@pytest.mark.parametrize("as_of, march, january", [
    # March's end: A completed (Jan row), B forwarded, C and D open.
    (bkk(2025, 4, 1, 0, 0), (3, 0, 1, 0, 2), (1, 1, 0, 0, 0)),
    # B re-opened on 10 April: no longer forwarded.
    (bkk(2025, 4, 12, 12), (3, 0, 0, 0, 3), (1, 1, 0, 0, 0)),
    # A re-opened on 5 May: its January row is in progress again; B not accepted since 15 April.
    (bkk(2025, 5, 10, 12), (3, 0, 0, 1, 2), (1, 0, 0, 0, 1)),
    # A re-closed in June, C closed on 1 July.
    (bkk(2025, 7, 31, 12), (3, 1, 0, 1, 1), (1, 1, 0, 0, 0)),
])
def test_a_past_period_cell_by_cell_at_several_as_of_times(app, cases, as_of, march, january):
    month = build_report("complaints", MARCH, as_of)
    assert _row(month, "2025-03") == march
    first_half = build_report("complaints", H1, as_of)
    assert _row(first_half, "2025-03") == march and _row(first_half, "2025-01") == january
    assert [_row(first_half, m) for m in ("2024-10", "2024-11", "2024-12", "2025-02")] == [(0, 0, 0, 0, 0)] * 4
    assert month.data["months"][0]["by_channel"]["line"] == 1 and month.data["months"][0]["by_category"]["procurement"] == 1


def _register(as_of) -> list[list[str]]:
    out = io.StringIO()
    write_register(out, H1, as_of)
    return [row[3:] for row in csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff")))][1:]


def test_the_register_shows_status_and_dates_as_of_t(app, cases):
    bribery, procurement = "เรียกรับสินบน / เรียกรับผลประโยชน์", "การจัดซื้อจัดจ้างไม่โปร่งใส"
    assert _register(bkk(2025, 4, 1, 0, 0)) == [
        [bribery, "ดำเนินการแล้วเสร็จ", "10 มีนาคม 2568"],
        [procurement, "ส่งต่อหน่วยงานที่เกี่ยวข้องแล้ว", "20 มีนาคม 2568"],
        [bribery, "อยู่ระหว่างดำเนินการ", ""],
        [bribery, "รับเรื่องแล้ว", ""],
    ]
    assert _register(bkk(2025, 5, 10, 12)) == [
        [bribery, "อยู่ระหว่างดำเนินการ", ""],  # never the June closing date
        [procurement, "ไม่อยู่ในอำนาจหน้าที่/ไม่รับไว้พิจารณา", "15 เมษายน 2568"],
        [bribery, "อยู่ระหว่างดำเนินการ", ""],
        [bribery, "รับเรื่องแล้ว", ""],
    ]
    assert _register(bkk(2025, 7, 31, 12))[0] == [bribery, "ดำเนินการแล้วเสร็จ", "2 มิถุนายน 2568"]


def _figures(report) -> dict:
    data = json_ready(report.data)
    return {k: v for k, v in data.items() if k != "made_at"}


def test_making_a_past_period_again_gives_the_same_figures(app, cases):
    end = bkk(2025, 4, 1, 0, 0)
    assert _figures(build_report("complaints", MARCH, end)) == _figures(build_report("complaints", MARCH, end))
    first = make_report("complaints", MARCH, end, ("json", "csv"))
    again = make_report("complaints", MARCH, end, ("json", "csv"))
    db.commit()
    assert first[1].read(None) == again[1].read(None)  # the CSV, byte for byte
    assert "late_records" not in json_ready(__import__("json").loads(again[0].read(None)))


def test_a_remade_period_says_what_was_entered_late(app, cases, complaints):
    import json

    end = bkk(2025, 4, 1, 0, 0)
    (first,) = make_report("complaints", MARCH, end, ("json",))
    db.commit()
    complaints(bkk(2025, 3, 30, 10), channel="letter")  # a letter received in March, typed in later
    db.commit()
    again, csv_file = make_report("complaints", MARCH, end, ("json", "csv"))
    before, after = json.loads(first.read(None)), json.loads(again.read(None))
    assert after["total"]["received"] == before["total"]["received"] + 1
    assert after["late_records"] == 1
    assert "ฉบับนี้มีข้อมูลที่บันทึกย้อนหลัง 1 รายการ หลังจากจัดทำฉบับที่ 1" in csv_file.read(None).decode("utf-8-sig")
