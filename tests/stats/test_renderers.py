"""Renderers: the PDF carries real Thai text, the XLSX cells equal the JSON, CSV opens in Excel."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import shutil
import subprocess
import unicodedata

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from models import ComplaintStatus as S
from stats.document import build_report
from stats.fiscal import whole_year
from stats.render import render
from stats.render.sheet import HEADER_ROW
from tests.stats.conftest import bkk
from tests.conftest import unmarked

AS_OF = bkk(2025, 3, 15, 12)


@pytest.fixture
def complaint_report(complaints):
    complaints(bkk(2024, 10, 3, 9), channel="line", status=S.COMPLETED, at=bkk(2024, 10, 20, 9))
    complaints(bkk(2024, 12, 24, 9), category="procurement")
    complaints(bkk(2025, 2, 2, 9), category="misconduct", status=S.FORWARDED, at=bkk(2025, 2, 9, 9))
    return build_report("complaints", whole_year(2568), AS_OF)


def _squash(text: str) -> str:
    # NFKC spells SARA AM as NIKHAHIT + SARA AA, as the PDF stores it; line breaks move spaces.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_pdf_memo_text_equals_the_thai_source(app, complaint_report, artifacts):
    pdf = render(complaint_report, "pdf")
    (artifacts / "complaints-2568.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    profile = app.config["PROFILE"]
    for source in ["บันทึกข้อความ", "ส่วนราชการ", f"{profile.complaint_unit} {profile.name}", "เรื่อง",
                   complaint_report.subject, "เรียน", profile.executive_title, complaint_report.body,
                   "จำนวนเรื่องร้องเรียนทั้งหมด", "ดำเนินการแล้วเสร็จ", "อยู่ระหว่างดำเนินการ", "มี.ค. 68",
                   "จึงเรียนมาเพื่อโปรดทราบ", f"ปลัด{profile.name}", "ทราบ"]:
        assert _squash(source) in _squash(text), source
    fonts = {str(font) for page in reader.pages for font in _fonts(page)}
    assert any("Sarabun" in f for f in fonts), fonts


def _fonts(page):
    resources = page["/Resources"]["/Font"]
    return [resources[name].get_object()["/BaseFont"] for name in resources]


def test_pdf_page_renders_to_an_image_artifact(complaint_report, artifacts):
    pdf = render(complaint_report, "pdf")
    if shutil.which("pdftoppm"):
        path = artifacts / "complaints-2568.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path),
                        str(artifacts / "complaints-2568-page1")], check=True, timeout=60)
        image = artifacts / "complaints-2568-page1.png"
    else:  # without poppler, keep the chart embedded in the PDF as the artefact
        chart = next(img for page in PdfReader(io.BytesIO(pdf)).pages for img in page.images)
        image = artifacts / "complaints-2568-chart.png"
        image.write_bytes(chart.data)
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and image.stat().st_size > 5000


def test_xlsx_cells_equal_the_json(complaint_report):
    data = json.loads(render(complaint_report, "json"))
    book = load_workbook(io.BytesIO(render(complaint_report, "xlsx")))
    sheet = book["รายเดือน"]
    assert [c.value for c in sheet[HEADER_ROW]] == ["เดือน", "จำนวนเรื่องร้องเรียนทั้งหมด", "ดำเนินการแล้วเสร็จ",
                                                   "ส่งต่อหน่วยงานอื่น", "ไม่รับไว้พิจารณา", "อยู่ระหว่างดำเนินการ",
                                                   "หมายเหตุ"]
    body = [[c.value for c in row] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    counts = ("received", "completed", "forwarded", "not_accepted", "in_progress")
    assert body[:len(data["months"])] == [[m["label"], *(m[c] for c in counts), None if m["received"] else "ไม่มีเรื่องร้องเรียน"]
                                         for m in data["months"]]
    assert body[len(data["months"])] == ["รวม", *(data["total"][c] for c in counts), None]
    assert "ข้อมูล ณ วันที่ 15 มีนาคม 2568 เวลา 12.00 น." in sheet["A3"].value


def test_satisfaction_xlsx_cells_equal_the_json(ratings):
    ratings("TAX", bkk(2024, 10, 1, 10), (5, 4, 3, 4))
    ratings("REG", bkk(2024, 11, 2, 10), (2, 3, 4, 4))
    report = build_report("satisfaction", whole_year(2568), AS_OF)
    data = json.loads(render(report, "json"))
    sheet = load_workbook(io.BytesIO(render(report, "xlsx")))["รายด้าน"]
    body = [[c.value for c in row] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    assert body[:-1] == [[a["name"], a["respondents"], a["mean"], a["sd"], a["percent"], a["level"]]
                         for a in data["aspects"]]


def test_csv_has_a_bom_and_thai_headers(complaint_report):
    raw = render(complaint_report, "csv")
    assert raw[:3] == b"\xef\xbb\xbf"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header = rows.index(["เดือน", "จำนวนเรื่องร้องเรียนทั้งหมด", "ดำเนินการแล้วเสร็จ", "ส่งต่อหน่วยงานอื่น",
                         "ไม่รับไว้พิจารณา", "อยู่ระหว่างดำเนินการ", "หมายเหตุ"])
    assert rows[header + 1] == ["ต.ค. 67", "1", "1", "0", "0", "0", ""]
    assert rows[header + 2] == ["พ.ย. 67", "0", "0", "0", "0", "0", "ไม่มีเรื่องร้องเรียน"]
    assert rows[header + 7] == ["รวม", "3", "1", "1", "0", "1", ""]


def test_html_and_png(complaint_report):
    html = unmarked(render(complaint_report, "html").decode())
    assert complaint_report.subject in html and "data:image/png;base64," in html and "<td>1</td>" in html
    assert render(complaint_report, "png")[:4] == b"\x89PNG"


def test_satisfaction_memo_carries_suggestions_in_the_staff_edition_only(ratings, artifacts):
    suggestion = "อยากให้เปิดบริการช่วงพักเที่ยง"
    ratings("TAX", bkk(2024, 10, 1, 10), (5, 4, 3, 4), suggestion)
    ratings("WATER", bkk(2024, 12, 2, 10), (2, 3, 4, 4))
    texts = {}
    for edition in ("public", "staff"):
        report = build_report("satisfaction", whole_year(2568), AS_OF, edition=edition)
        pdf = render(report, "pdf")
        (artifacts / report.filename("pdf")).write_bytes(pdf)
        texts[edition] = _squash("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
        assert _squash(report.body) in texts[edition]
        assert _squash("ด้านสิ่งอำนวยความสะดวก") in texts[edition] and _squash("ปานกลาง") in texts[edition]
    assert _squash(suggestion) in texts["staff"]
    assert _squash(suggestion) not in texts["public"]


def test_thai_digits_in_the_documents_people_read(complaint_report):
    complaint_report.digits = "thai"
    text = _squash("".join(p.extract_text() for p in PdfReader(io.BytesIO(render(complaint_report, "pdf"))).pages))
    assert _squash("ปีงบประมาณ พ.ศ. ๒๕๖๘") in text and "2568" not in text
    html = unmarked(render(complaint_report, "html").decode())
    assert "<td>๑</td>" in html and "ม.ค. ๖๘" in html and "data:image/png;base64," in html
    assert json.loads(render(complaint_report, "json"))["fiscal_year"] == 2568  # data files keep Arabic digits


FORMULAS = ['=HYPERLINK("http://evil.example","ดูผล")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)",
            "\t=1+1", "\r=1+1"]


def test_suggestions_that_start_like_formulas_stay_text_in_xlsx_and_csv(ratings):
    for n, text in enumerate(FORMULAS):
        ratings("TAX", bkk(2024, 10, 1 + n, 10), (5, 4, 3, 4), text)
    report = build_report("satisfaction", whole_year(2568), AS_OF, edition="staff")
    assert {text for _, _, text in report.notes} == {text.strip() for text in FORMULAS}
    # Tab and CR are stripped from suggestions on the way in; any other export may still carry them.
    report = dataclasses.replace(report, notes=[("1 ต.ค. 67", "TAX", text) for text in FORMULAS])
    sheet = load_workbook(io.BytesIO(render(report, "xlsx")))["ข้อเสนอแนะ"]
    cells = {row[2].value: row[2].data_type for row in sheet.iter_rows(min_row=2)}
    assert set(cells) == {t.replace("\r", "\n") for t in FORMULAS}  # XML reads a CR back as LF
    assert set(cells.values()) == {"s"}  # text, never "f" (formula)
    rows = list(csv.reader(io.StringIO(render(report, "csv").decode("utf-8-sig"))))
    written = [row[2] for row in rows if len(row) == 3 and row[2].lstrip("'") in FORMULAS]
    assert sorted(written) == sorted("'" + text for text in FORMULAS)
