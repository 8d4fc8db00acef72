"""Admins read and filter the audit log: who did what to which record, and when; never any content."""
from __future__ import annotations

from config.thai import be_day, be_year, to_local
from models import Complaint, db, server_keys, utcnow
from tests.staff.conftest import SECRET_DETAILS, file_sample
from tests.conftest import page_text


def test_admin_filters_the_audit_log_by_action_user_record_and_day(app, accounts, recovery_key):
    first = Complaint.find_by_code(db.session, server_keys().index, file_sample().tracking_code)
    second = Complaint.find_by_code(db.session, server_keys().index, file_sample().tracking_code)
    officer = app.test_client()
    accounts["officer"].sign_in(officer)
    officer.get(f"/staff/cases/{first.id}")
    officer.get(f"/staff/cases/{second.id}")

    admin = app.test_client()
    accounts["admin"].sign_in(admin)
    views = page_text(admin.get("/staff/admin/audit", query_string={"action": "complaint.view"}))
    rows = views.split("<tbody>")[1]
    assert rows.count('data-action="complaint.view"') == 2 and 'data-action="signin"' not in rows
    one = page_text(admin.get("/staff/admin/audit", query_string={"target": str(first.id)}))
    assert one.split("<tbody>")[1].count("<tr") == 1
    by_admin = page_text(admin.get("/staff/admin/audit", query_string={"staff": accounts["admin"].user.id,
                                                             "action": "complaint"}))
    assert "ไม่พบรายการ" in by_admin
    far_past = page_text(admin.get("/staff/admin/audit", query_string={"until": "1/1/2544"}))
    assert "ไม่พบรายการ" in far_past
    today = be_day(to_local(utcnow()).date())
    assert page_text(admin.get("/staff/admin/audit", query_string={"since": today})).count(
        'data-action="complaint.view"') == 2
    everything = page_text(admin.get("/staff/admin/audit"))
    assert SECRET_DETAILS not in everything


def test_the_audit_log_reads_in_words_with_names_and_buddhist_era_dates(app, accounts, recovery_key):
    complaint = Complaint.find_by_code(db.session, server_keys().index, file_sample().tracking_code)
    officer = app.test_client()
    accounts["officer"].sign_in(officer)
    officer.get(f"/staff/cases/{complaint.id}")
    admin = app.test_client()
    accounts["admin"].sign_in(admin)
    rows = page_text(admin.get("/staff/admin/audit")).split("<tbody>")[1]
    viewed = next(row for row in rows.split("<tr")[1:] if 'data-action="complaint.view"' in row)
    assert accounts["officer"].user.display_name in viewed
    assert f"เปิดดูเรื่อง ร.{complaint.reference_number}/{complaint.reference_year}" in viewed  # its เลขรับ
    assert str(be_year(to_local(utcnow()).year)) in viewed and "complaint.view" not in viewed.split(">", 1)[1]
    assert "ถอดรหัสเนื้อหา" in viewed and "<td>เข้าสู่ระบบ</td>" in rows
    assert ">signin<" not in rows and "staff_user" not in rows and str(complaint.id) not in rows
