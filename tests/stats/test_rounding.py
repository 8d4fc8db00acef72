"""Rounding half up to two decimals at the band edges (x.xx5), the same in every format, level from the printed mean."""
from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from stats.document import build_report
from stats.fiscal import month_period, Month
from stats.numbers import half_up
from stats.render import render
from tests.stats.conftest import bkk
from tests.conftest import unmarked


@pytest.mark.parametrize("value, printed", [
    (Fraction(901, 200), "4.51"), (4.505, "4.51"), (Fraction(701, 200), "3.51"), (2.675, "2.68"), (1.005, "1.01"),
    (72.5, "72.50"), (Fraction(9, 8), "1.13"), (4.5049, "4.50"), (0, "0.00")])
def test_half_up(value, printed):
    assert str(half_up(value)) == printed


@pytest.fixture
def edge_report(ratings):
    # 101 answers of one score and 99 of the score below: means of exactly 4.505, 3.505, 2.505 and 1.505.
    for i in range(200):
        ratings("TAX", bkk(2024, 10, 1 + i % 28, 10), (5, 4, 3, 2) if i < 101 else (4, 3, 2, 1))
    return build_report("satisfaction", month_period(Month(2024, 10)), bkk(2024, 11, 1, 0, 0))


EDGES = [("ด้านกระบวนการ/ขั้นตอนการให้บริการ", "4.51", "90.10", "มากที่สุด"),
         ("ด้านเจ้าหน้าที่/บุคลากรผู้ให้บริการ", "3.51", "70.10", "มาก"),
         ("ด้านสิ่งอำนวยความสะดวก", "2.51", "50.10", "ปานกลาง"),
         ("ด้านคุณภาพการให้บริการ", "1.51", "30.10", "น้อย")]


def test_band_edges_in_json_csv_xlsx_html_and_pdf(edge_report):
    data = json.loads(render(edge_report, "json"))
    assert [(a["name"], a["mean"], a["percent"], a["level"]) for a in data["aspects"]] == [
        (name, float(mean), float(percent), level) for name, mean, percent, level in EDGES]

    rows = list(csv.reader(io.StringIO(render(edge_report, "csv").decode("utf-8-sig"))))
    for name, mean, percent, level in EDGES:
        row = next(r for r in rows if r and r[0] == name)
        assert row[1:] == ["200", mean, row[3], percent, level]
        assert re.fullmatch(r"\d+\.\d\d", row[3])  # S.D. with two decimals too

    sheet = load_workbook(io.BytesIO(render(edge_report, "xlsx")))["รายด้าน"]
    cells = {row[0].value: row for row in sheet.iter_rows() if row[0].value in {e[0] for e in EDGES}}
    for name, mean, percent, level in EDGES:
        row = cells[name]
        assert (row[2].value, row[4].value, row[5].value) == (float(mean), float(percent), level)
        assert row[2].number_format == row[4].number_format == "0.00"

    html = unmarked(render(edge_report, "html").decode())
    for name, mean, percent, level in EDGES:
        assert f"<th scope=\"row\">{name}</th><td>200</td><td>{mean}</td>" in html
        assert f"<td>{percent}</td><td>{level}</td>" in html

    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(render(edge_report, "pdf"))).pages))
    for name, mean, percent, level in EDGES:
        assert re.sub(r"\s+", "", f"{name}200{mean}") in text and f"{percent}{level}" in text


def test_the_level_follows_the_printed_mean(edge_report):
    aspect = edge_report.data["aspects"][0]
    assert aspect["mean"] == Decimal("4.51") and aspect["level"] == "มากที่สุด"  # 4.505 printed 4.51
    assert "4.51–5.00" in render(edge_report, "csv").decode("utf-8-sig")  # the bands are printed
