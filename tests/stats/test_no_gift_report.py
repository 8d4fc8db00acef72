"""The No Gift 6-month report from a hand-made register: JSON and XLSX cell by cell, PDF text equals its source,
and no public output carries a giver's name or what was given."""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import zipfile
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from intake.gifts import acknowledge, decide, nil_return, report_gift
from models import CultureActivity, NoGiftDeclaration, NoGiftNote, StaffUser, db, server_keys
from staff.passwords import hash_password
from stats import nogift
from stats.document import build_report
from stats.fiscal import half, whole_year
from stats.render import render
from stats.render.sheet import HEADER_ROW
from tests.stats.conftest import bkk
from tests.conftest import unmarked

#: FY 2568's No Gift report is assessed, as the previous year, by ITA 2569 (O20) in the demo profile.
ITA_LABELS = [(2569, "O20")]
AS_OF = bkk(2025, 4, 1, 0, 5)
NAMES = ["บริษัท รับเหมาใจดี จำกัด", "นางสมใจ ผู้มาติดต่อ", "คุณป้าข้างบ้าน", "ร้านสงกรานต์"]
WHATS = ["กระเช้าและบัตรกำนัลห้าพัน", "ผลไม้หนึ่งตะกร้า", "ขนมเทียนทำเอง", "เสื้อลายดอก"]


def _person(username: str, division: str | None, roles: str = "staff") -> StaffUser:
    user = StaffUser(username=username, display_name=username, roles=roles, division=division,
                     password_hash=hash_password("staff-pass-1234"), created_at=bkk(2024, 9, 1, 9))
    db.session.add(user)
    db.session.flush()
    return user


@pytest.fixture
def register(app):
    """A hand-made register: a flagged gift decided, one on each side of the fiscal-half boundary, nil returns."""
    one, two = _person("one", "engineering"), _person("two", "finance")
    boss = _person("boss", None, "executive")

    def gift(who, day, occasion, kind, value, outcome, n):
        return report_gift(who, received_on=day, occasion=occasion, giver_kind=kind, giver_name=NAMES[n],
                           description=WHATS[n], value_baht=value, outcome=outcome, channel="web",
                           now=datetime.fromisoformat(day + "T10:00:00+07:00"))

    flagged = gift(one, "2024-12-30", "new_year", "contractor", 5000, "handed_over", 0)
    gift(two, "2025-01-02", "new_year", "citizen", 500, "declined", 1)
    gift(one, "2025-03-31", "personal", "relative", 1200, "kept", 2)  # last day of the first half
    gift(two, "2025-04-01", "songkran", "citizen", 800, "returned", 3)  # first day of the second half
    for who in (one, two):
        nil_return(who, "2024-10", "web", now=bkk(2024, 11, 1, 9))
    nil_return(two, "2025-03", "line", now=bkk(2025, 4, 1, 0, 1))
    nil_return(one, "2025-04", "web", now=bkk(2025, 5, 1, 9))  # after the as-of time: not counted
    decide(boss, flagged.id, "hand_over", "ส่งมอบเป็นของหน่วยงาน")
    flagged.decided_at = bkk(2025, 1, 5, 9)
    declaration = NoGiftDeclaration(fiscal_year=2568, title="ประกาศ", body="ข้อ 1", signer_name="นายก",
                                    signer_position="นายก", announced_on=bkk(2024, 12, 6).date(), drafted_by=boss.id,
                                    status="draft")
    db.session.add(declaration)
    declaration.approve(boss.id)
    acknowledge(one, declaration, "web").at = bkk(2025, 1, 10, 9)
    db.session.add(CultureActivity(held_on=bkk(2025, 2, 2).date(), title="ประชุมชี้แจงนโยบาย No Gift", kind="meeting",
                                   led_by="ปลัด", attendance=25, summary="ชี้แจงแนวทาง", created_by=boss.id,
                                   created_at=bkk(2025, 2, 2, 16)))
    db.session.add(NoGiftNote(period="2568-H1", text="บุคลากรบางส่วนยังไม่ตอบแบบรายงาน\nควรแจ้งเตือนทาง LINE",
                              updated_by=boss.id))
    db.commit()
    return {"one": one, "two": two, "boss": boss}


def test_the_json_counts_what_was_registered_in_the_first_half(register):
    data = build_report("no_gift", half(2568, 1), AS_OF).data
    assert [(i["ita_year"], i["code"]) for i in data["ita"]] == ITA_LABELS
    assert data["total"] == {"count": 3, "value_baht": 6700, "flagged": 1, "decided": 1}
    assert [(o["outcome"], o["count"], o["value_baht"]) for o in data["by_outcome"]] == [
        ("declined", 1, 500), ("returned", 0, 0), ("handed_over", 1, 5000), ("kept", 1, 1200)]
    divisions = {d["division"]: (d["count"], d["value_baht"], d["flagged"]) for d in data["by_division"]}
    assert divisions["engineering"] == (2, 6200, 1) and divisions["finance"] == (1, 500, 0)
    assert sum(d["count"] for d in data["by_division"]) == 3
    assert [(c["month"], c["staff"], c["answered"], c["nil"], c["reported"], c["percent"]) for c in data["checkins"]] == [
        ("2024-10", 3, 2, 2, 0, Decimal("66.67")), ("2024-11", 3, 0, 0, 0, Decimal("0.00")),
        ("2024-12", 3, 1, 0, 1, Decimal("33.33")), ("2025-01", 3, 1, 0, 1, Decimal("33.33")),
        ("2025-02", 3, 0, 0, 0, Decimal("0.00")), ("2025-03", 3, 2, 1, 1, Decimal("66.67"))]
    assert data["acknowledgement"] == {"staff": 3, "acknowledged": 1, "percent": Decimal("33.33")}
    assert data["activities"] == [{"date": "2025-02-02", "title": "ประชุมชี้แจงนโยบาย No Gift", "kind": "การประชุม",
                                   "led_by": "ปลัด", "attendance": 25}]
    assert data["problems"] == "บุคลากรบางส่วนยังไม่ตอบแบบรายงาน\nควรแจ้งเตือนทาง LINE"
    assert "flagged" not in data  # the public edition carries aggregates only
    year = build_report("no_gift", whole_year(2568), AS_OF.replace(month=10)).data
    assert year["total"]["count"] == 4 and year["by_outcome"][1]["count"] == 1  # 1 April lands in the year


def test_the_staff_edition_lists_flagged_cases_and_decisions_without_names(register):
    data = build_report("no_gift", half(2568, 1), AS_OF, edition="staff").data
    assert data["flagged"] == [{"date": "2024-12-30", "division": "กองช่าง", "occasion": "ปีใหม่",
                                "giver_kind": "ผู้รับจ้าง/ผู้ขาย", "value_baht": 5000, "outcome": "ส่งมอบให้หน่วยงาน",
                                "decision": "ให้ส่งมอบเป็นของหน่วยงาน"}]


def test_xlsx_cells_equal_the_json(register):
    report = build_report("no_gift", half(2568, 1), AS_OF)
    data = json.loads(render(report, "json"))
    book = load_workbook(io.BytesIO(render(report, "xlsx")))

    def body(name):
        return [[c.value for c in row] for row in book[name].iter_rows(min_row=HEADER_ROW + 1)]

    total = data["total"]
    assert body("การดำเนินการ") == ([[o["label"], o["count"], o["value_baht"]] for o in data["by_outcome"]]
                                   + [["รวม", total["count"], total["value_baht"]]])
    assert body("ส่วนราชการ") == ([[d["name"], d["count"], d["value_baht"], d["flagged"]] for d in data["by_division"]]
                                 + [["รวม", total["count"], total["value_baht"], total["flagged"]]])
    assert body("ตอบรายเดือน") == [[c["label"], c["staff"], c["answered"], c["nil"], c["reported"], c["percent"]]
                                   for c in data["checkins"]]
    ack = data["acknowledgement"]
    assert body("รับทราบประกาศ") == [[ack["staff"], ack["acknowledged"], ack["percent"]]]
    assert body("กิจกรรม") == [["2 กุมภาพันธ์ 2568", "ประชุมชี้แจงนโยบาย No Gift", "การประชุม", "ปลัด", 25]]
    assert body("ปัญหาและข้อเสนอแนะ") == [[line] for line in data["problems"].splitlines()]
    assert body("การดำเนินการ")[0] == ["ปฏิเสธไม่รับ", 1, 500]  # and by hand, not only against the JSON
    assert body("ตอบรายเดือน")[0] == ["ต.ค. 67", 3, 2, 2, 0, 66.67]


def test_percentages_print_two_decimals_in_every_format(register):
    report = build_report("no_gift", half(2568, 1), AS_OF)
    rows = list(csv.reader(io.StringIO(render(report, "csv").decode("utf-8-sig"))))
    checkins = [r for r in rows if r and r[0] in ("ต.ค. 67", "พ.ย. 67", "ธ.ค. 67")]
    assert [r[-1] for r in checkins] == ["66.67", "0.00", "33.33"]
    html = unmarked(render(report, "html").decode())
    assert "<td>66.67</td>" in html and "<td>0.00</td>" in html and "<td>0.0</td>" not in html
    text = _squash("".join(page.extract_text() for page in PdfReader(io.BytesIO(render(report, "pdf"))).pages))
    assert _squash("พ.ย. 67 3 0 0 0 0.00") in text
    sheet = load_workbook(io.BytesIO(render(report, "xlsx")))["ตอบรายเดือน"]
    percent = [row[-1] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    assert [c.value for c in percent[:3]] == [66.67, 0, 33.33] and {c.number_format for c in percent} == {"0.00"}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_pdf_text_equals_its_source(register, edition, artifacts):
    report = build_report("no_gift", half(2568, 1), AS_OF, edition=edition)
    pdf = render(report, "pdf")
    (artifacts / report.filename("pdf")).write_bytes(pdf)
    text = _squash("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    sources = ["บันทึกข้อความ", report.subject, report.body, "จึงเรียนมาเพื่อโปรดทราบ"]
    for table in report.tables:
        sources += [table.caption, *table.headers]
        sources += [str(c) if not isinstance(c, (int, float)) else "" for row in table.rows for c in row]
    for source in filter(None, sources):
        assert _squash(source) in text, source


def test_no_public_output_carries_a_giver_or_what_was_given(register, client):
    secrets = [s.encode() for s in NAMES + WHATS]
    files = nogift.make_no_gift_report(half(2568, 1), AS_OF)
    db.commit()
    public = [f for f in files if not f.confidential]
    assert {f.fmt for f in public} == {"pdf", "xlsx", "csv", "json"}
    for f in files:  # staff editions too: reports never open the register's encrypted fields
        data = f.read(server_keys().keyring)
        texts = [data]
        if f.fmt == "xlsx":
            texts = [zipfile.ZipFile(io.BytesIO(data)).read(n) for n in zipfile.ZipFile(io.BytesIO(data)).namelist()]
        if f.fmt == "pdf":
            texts.append("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).encode())
        assert not any(s in t for s in secrets for t in texts), f.filename
    page = client.get("/transparency").get_data()
    assert not any(s in page for s in secrets)
    for f in public:
        answer = client.get(f"/transparency/archive/{f.id}")
        assert answer.status_code == 200 and not any(s in answer.data for s in secrets)
    assert all(client.get(f"/transparency/archive/{f.id}").status_code == 404 for f in files if f.confidential)
