"""The complaint table, checked cell by cell on a hand-made dataset across a fiscal-year boundary."""
from __future__ import annotations

from models import ComplaintStatus as S
from stats.document import build_report
from stats.fiscal import half, month_period, Month, whole_year
from tests.stats.conftest import bkk

ZERO_CHANNELS = {"web": 0, "line": 0, "counter": 0, "letter": 0, "phone": 0, "referred": 0}


def _dataset(complaints):
    complaints(bkk(2024, 9, 30, 23, 30))  # FY 2567: outside
    complaints(bkk(2024, 10, 1, 0, 10), channel="line", status=S.COMPLETED, at=bkk(2024, 10, 20, 9))
    complaints(bkk(2024, 10, 15, 10), category="procurement", status=S.COMPLETED, at=bkk(2025, 3, 20, 9))
    complaints(bkk(2024, 12, 31, 23, 59), channel="counter", category="misconduct", status=S.FORWARDED,
               at=bkk(2025, 1, 5, 9))
    complaints(bkk(2025, 1, 10, 8), channel="line", status=S.IN_PROGRESS, at=bkk(2025, 1, 11, 9))
    complaints(bkk(2025, 1, 11, 8), category="unfair_service", status=S.NOT_ACCEPTED, at=bkk(2025, 1, 12, 9))
    complaints(bkk(2025, 3, 10, 8), channel="letter", category="abuse_of_power", status=S.COMPLETED,
               at=bkk(2025, 3, 14, 16))
    complaints(bkk(2025, 3, 16, 8))  # after the as-of instant


def test_year_table_cell_by_cell_with_zero_months_and_the_as_of_cut(complaints):
    _dataset(complaints)
    report = build_report("complaints", whole_year(2568), bkk(2025, 3, 15, 12))
    rows = [(m["month"], m["label"], m["received"], m["completed"], m["forwarded"], m["not_accepted"],
             m["in_progress"]) for m in report.data["months"]]
    assert rows == [
        ("2024-10", "ต.ค. 67", 2, 1, 0, 0, 1),
        ("2024-11", "พ.ย. 67", 0, 0, 0, 0, 0),
        ("2024-12", "ธ.ค. 67", 1, 0, 1, 0, 0),
        ("2025-01", "ม.ค. 68", 2, 0, 0, 1, 1),
        ("2025-02", "ก.พ. 68", 0, 0, 0, 0, 0),
        ("2025-03", "มี.ค. 68", 1, 1, 0, 0, 0),
    ]
    assert report.data["total"] == {"received": 6, "completed": 2, "forwarded": 1, "not_accepted": 1,
                                    "in_progress": 2, "closed": 4, "overdue": 2}
    assert report.data["fiscal_year"] == 2568
    october, november = report.data["months"][0], report.data["months"][1]
    assert october["by_channel"] == dict(ZERO_CHANNELS, web=1, line=1)
    assert october["by_category"] == {"bribery": 1, "unfair_service": 0, "abuse_of_power": 0, "budget_property": 0,
                                      "procurement": 1, "misconduct": 0}
    assert november["by_channel"] == ZERO_CHANNELS and set(november["by_category"].values()) == {0}
    assert report.tables[0].total == ["รวม", 6, 2, 1, 1, 2, ""]
    assert report.tables[0].rows[1] == ["พ.ย. 67", 0, 0, 0, 0, 0, "ไม่มีเรื่องร้องเรียน"]


def test_a_later_as_of_counts_later_closures_and_later_complaints(complaints):
    _dataset(complaints)
    report = build_report("complaints", half(2568, 1), bkk(2025, 4, 1, 0, 0))
    assert [(m["received"], m["closed"]) for m in report.data["months"]] == [
        (2, 2), (0, 0), (1, 1), (2, 1), (0, 0), (2, 1)]
    assert (report.data["total"]["received"], report.data["total"]["closed"]) == (7, 5)


def test_a_month_file_holds_exactly_its_own_month(complaints):
    _dataset(complaints)
    report = build_report("complaints", month_period(Month(2025, 1)), bkk(2025, 9, 30, 12))
    assert [m["month"] for m in report.data["months"]] == ["2025-01"]
    assert (report.data["total"]["received"], report.data["total"]["closed"]) == (2, 1)
    assert report.filename("xlsx") == "complaints-2568-01.xlsx"


def test_the_previous_fiscal_year_keeps_its_boundary_complaint(complaints):
    _dataset(complaints)
    report = build_report("complaints", whole_year(2567), bkk(2025, 3, 15, 12))
    assert len(report.data["months"]) == 12
    assert report.data["months"][-1]["received"] == 1 and report.data["total"]["received"] == 1
