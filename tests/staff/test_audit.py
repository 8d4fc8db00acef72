"""Admins read and filter the audit log: who did what to which record, and when; never any content."""
from __future__ import annotations

from models import Complaint, db, server_keys
from tests.staff.conftest import SECRET_DETAILS, file_sample


def test_admin_filters_the_audit_log_by_action_user_record_and_day(app, accounts, recovery_key):
    first = Complaint.find_by_code(db.session, server_keys().index, file_sample().tracking_code)
    second = Complaint.find_by_code(db.session, server_keys().index, file_sample().tracking_code)
    officer = app.test_client()
    accounts["officer"].sign_in(officer)
    officer.get(f"/staff/cases/{first.id}")
    officer.get(f"/staff/cases/{second.id}")

    admin = app.test_client()
    accounts["admin"].sign_in(admin)
    views = admin.get("/staff/admin/audit", query_string={"action": "complaint.view"}).get_data(as_text=True)
    assert str(first.id) in views and str(second.id) in views and "signin" not in views.split("<tbody>")[1]
    one = admin.get("/staff/admin/audit", query_string={"target": str(first.id)}).get_data(as_text=True)
    assert str(first.id) in one and str(second.id) not in one
    by_admin = admin.get("/staff/admin/audit", query_string={"staff": accounts["admin"].user.id,
                                                             "action": "complaint"}).get_data(as_text=True)
    assert "ไม่พบรายการ" in by_admin
    far_past = admin.get("/staff/admin/audit", query_string={"until": "2001-01-01"}).get_data(as_text=True)
    assert "ไม่พบรายการ" in far_past
    everything = admin.get("/staff/admin/audit").get_data(as_text=True)
    assert accounts["officer"].user.display_name in everything and "audit.view" in everything
    assert SECRET_DETAILS not in everything
