"""The staff reports page: signed-in executives and officers make, download and look back at reports."""
from __future__ import annotations

import csv
import hashlib
import io

import time_machine
from sqlalchemy import select

from models import AuditEntry, db
from models.report import ArchivedReport
from tests.staff.conftest import csrf_token, make_account
from tests.stats.conftest import bkk
from tests.conftest import page_text

NOW = bkk(2025, 3, 15, 12)
SUGGESTION = "ควรเพิ่มเก้าอี้ที่จุดรอคิว"


def _make(client, kind, period, fmt, **extra):
    return client.post("/staff/reports/", data={"kind": kind, "period": period, "format": fmt,
                                                "csrf_token": csrf_token(client, "/staff/reports/"), **extra})


def test_page_needs_sign_in_and_the_right_role(app, client):
    response = client.get("/staff/reports/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    make_account("clerk", "staff").sign_in(client)
    assert client.get("/staff/reports/").status_code == 403


def test_executive_gets_the_staff_edition_with_suggestions_and_each_make_is_a_new_version(app, client, ratings):
    ratings("TAX", bkk(2024, 11, 3, 10), (5, 4, 4, 5), SUGGESTION)
    make_account("nayok", "executive").sign_in(client)
    with time_machine.travel(NOW, tick=False):
        page = page_text(client.get("/staff/reports/"))
        assert 'value="2568-03"' in page and 'value="2568-04"' not in page  # only periods that have begun
        first = _make(client, "satisfaction", "2568-H1", "csv")
        second = _make(client, "satisfaction", "2568-H1", "csv")
    assert first.status_code == 200
    assert 'filename="satisfaction-staff-2568-H1.csv"' in first.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(first.data.decode("utf-8-sig"))))
    assert ["3 พฤศจิกายน 2567", "จุดบริการชำระภาษีที่ดินและสิ่งปลูกสร้าง", SUGGESTION] in rows
    stored = db.session.scalars(select(ArchivedReport).order_by(ArchivedReport.version)).all()
    assert [(r.kind, r.period, r.version, r.confidential) for r in stored] == [
        ("satisfaction_staff", "2568-H1", 1, True), ("satisfaction_staff", "2568-H1", 2, True)]
    assert SUGGESTION.encode() not in stored[0].content  # tier C at rest
    assert stored[0].sha256 == hashlib.sha256(first.data).hexdigest()
    listing = page_text(client.get("/staff/reports/"))
    assert listing.count("satisfaction-staff-2568-H1.csv") == 2
    assert second.status_code == 200


def test_officer_downloads_an_archived_version_unchanged(app, client, complaints):
    complaints(bkk(2025, 1, 5, 9))
    officer = make_account("officer2", "officer")
    officer.sign_in(client)
    with time_machine.travel(NOW, tick=False):
        made = _make(client, "complaints", "2568-01", "pdf")
    assert made.status_code == 200 and made.data[:5] == b"%PDF-"
    row = db.session.scalar(select(ArchivedReport))
    again = client.get(f"/staff/reports/archive/{row.id}")
    assert again.data == made.data and again.headers["X-Report-SHA256"] == row.sha256
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_type == "report")).all()
    assert sorted(actions) == ["report.download", "report.made"]
    with time_machine.travel(NOW, tick=False):
        thai = page_text(_make(client, "complaints", "2568-01", "html", digits="thai"))
    assert "มกราคม ๒๕๖๘" in thai and "<td>๑</td>" in thai


def test_a_period_that_has_not_begun_is_refused_in_thai(app, client):
    make_account("nayok", "executive").sign_in(client)
    with time_machine.travel(NOW, tick=False):
        response = _make(client, "complaints", "2568-09", "pdf")
        assert response.status_code == 302
        page = page_text(client.get("/staff/reports/"))
    assert "กรุณาเลือกรายงาน รอบเวลาที่เริ่มแล้ว และรูปแบบไฟล์ให้ครบ" in page
    assert db.session.scalar(select(ArchivedReport)) is None


def test_an_officer_edits_the_analysis_before_the_version_is_archived(app, client, complaints):
    complaints(bkk(2025, 2, 3, 9))
    complaints(bkk(2025, 3, 3, 9), category="procurement")
    make_account("clerk", "officer").sign_in(client)
    with time_machine.travel(NOW, tick=False):
        preview = page_text(_make(client, "complaints", "2568-03", "csv", step="preview"))
        assert "ผลการวิเคราะห์: เรื่องร้องเรียน 1 เรื่อง เท่ากับกุมภาพันธ์ 2568 (1 เรื่อง)" in preview
        assert db.session.scalar(select(ArchivedReport.id)) is None  # a preview archives nothing
        edited = "ผลการวิเคราะห์: เรื่องจัดซื้อจัดจ้างเรื่องเดียว ได้ส่งให้กองคลังตรวจสอบแล้ว"
        made = _make(client, "complaints", "2568-03", "csv", step="make", analysis=edited)
    assert edited in made.data.decode("utf-8-sig")
    assert db.session.scalar(select(ArchivedReport.fmt)) == "csv"
