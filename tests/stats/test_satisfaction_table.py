"""The satisfaction table, checked cell by cell on a hand-made dataset, and the Thai level bands."""
from __future__ import annotations

import pytest

from stats.document import build_report, json_ready
from stats.fiscal import whole_year
from stats.satisfaction import level_of
from tests.stats.conftest import bkk

AS_OF = bkk(2025, 3, 15, 12)
SUGGESTION = "อยากให้มีที่จอดรถเพิ่ม"


def _dataset(ratings):
    ratings("TAX", bkk(2024, 9, 30, 23), (5, 5, 5, 5))  # FY 2567: outside
    ratings("TAX", bkk(2024, 10, 1, 0, 30), (5, 4, 3, 4), SUGGESTION)
    ratings("REG", bkk(2024, 10, 20, 10), (4, 4, 4, 4))
    ratings("WATER", bkk(2024, 12, 5, 10), (3, 2, 5, 4))
    ratings("BUILD", bkk(2024, 12, 6, 10), (1, 2, 3, 4))
    ratings("TAX", bkk(2025, 3, 16, 10), (5, 5, 5, 5), "หลังวันที่ของรายงาน")  # after the as-of instant


def _cells(lines):
    return [(x["name"], x["respondents"], x["mean"], x["sd"], x["percent"], x["level"]) for x in lines]


def test_year_table_cell_by_cell(ratings):
    _dataset(ratings)
    data = json_ready(build_report("satisfaction", whole_year(2568), AS_OF).data)
    assert _cells(data["months"]) == [
        ("ต.ค. 67", 2, 4.0, 0.53, 80.0, "มาก"),
        ("พ.ย. 67", 0, None, None, None, "–"),
        ("ธ.ค. 67", 2, 3.0, 1.31, 60.0, "ปานกลาง"),
        ("ม.ค. 68", 0, None, None, None, "–"),
        ("ก.พ. 68", 0, None, None, None, "–"),
        ("มี.ค. 68", 0, None, None, None, "–"),
    ]
    assert _cells(data["aspects"]) == [
        ("ด้านกระบวนการ/ขั้นตอนการให้บริการ", 4, 3.25, 1.71, 65.0, "ปานกลาง"),
        ("ด้านเจ้าหน้าที่/บุคลากรผู้ให้บริการ", 4, 3.0, 1.15, 60.0, "ปานกลาง"),
        ("ด้านสิ่งอำนวยความสะดวก", 4, 3.75, 0.96, 75.0, "มาก"),
        ("ด้านคุณภาพการให้บริการ", 4, 4.0, 0.0, 80.0, "มาก"),
    ]
    assert [(x["key"], x["respondents"], x["mean"], x["sd"], x["level"]) for x in data["service_points"]] == [
        ("TAX", 1, 4.0, 0.82, "มาก"), ("REG", 1, 4.0, 0.0, "มาก"), ("WELFARE", 0, None, None, "–"),
        ("BUILD", 1, 2.5, 1.29, "น้อย"), ("WATER", 1, 3.5, 1.29, "ปานกลาง")]
    assert [(x["key"], x["respondents"], x["mean"], x["sd"]) for x in data["divisions"]] == [
        ("palad", 1, 4.0, 0.0), ("finance", 1, 4.0, 0.82), ("engineering", 2, 3.0, 1.31), ("welfare", 0, None, None)]
    assert _cells([data["overall"]]) == [("ภาพรวม", 4, 3.5, 1.1, 70.0, "ปานกลาง")]
    assert [(i["ita_year"], i["code"]) for i in data["ita"]] == [(2569, "O10")]
    assert data["channels"] == {"qr": 4, "line": 0}
    assert "suggestions" not in data


def test_suggestions_appear_in_the_staff_edition_only(ratings):
    _dataset(ratings)
    public = build_report("satisfaction", whole_year(2568), AS_OF)
    staff = build_report("satisfaction", whole_year(2568), AS_OF, edition="staff")
    assert public.notes == [] and SUGGESTION not in public.data.__repr__()
    assert staff.data["suggestions"] == [{"date": "1 ตุลาคม 2567", "service_point": "จุดบริการชำระภาษีที่ดินและสิ่งปลูกสร้าง",
                                          "text": SUGGESTION}]
    assert staff.filename("pdf") == "satisfaction-staff-2568.pdf"


@pytest.mark.parametrize("mean, level", [
    (5.0, "มากที่สุด"), (4.51, "มากที่สุด"), (4.5, "มาก"), (3.51, "มาก"), (3.5, "ปานกลาง"), (2.51, "ปานกลาง"),
    (2.5, "น้อย"), (1.51, "น้อย"), (1.5, "น้อยที่สุด"), (1.0, "น้อยที่สุด"), (None, "–")])
def test_level_bands(mean, level):
    assert level_of(mean) == level
