"""The executive dashboard counts by status and month from plain metadata; executives never see content."""
from __future__ import annotations

import re

from models import Complaint, db, server_keys
from tests.staff.conftest import SECRET_ACCUSED, SECRET_DETAILS, SECRET_NAME, csrf_token, file_sample

NOTE = "บันทึกลับ: ผู้ถูกร้องเป็นญาติรองนายก"
REPLY = "คำตอบลับถึงผู้ร้อง เรื่องได้รับการแก้ไขแล้ว"


def test_executive_pages_count_by_status_and_month_and_never_show_sealed_content(app, accounts, recovery_key):
    receipts = [file_sample("line", line_user="U" + "b" * 32), file_sample("web"), file_sample("web", evidence=True)]
    officer = app.test_client()
    accounts["officer"].sign_in(officer)
    complaint = Complaint.find_by_code(db.session, server_keys().index, receipts[0].tracking_code)
    url = f"/staff/cases/{complaint.id}"
    officer.post(f"{url}/status", data={"status": "completed", "note": NOTE, "reply": REPLY,
                                        "csrf_token": csrf_token(officer, url)})

    executive = app.test_client()
    accounts["executive"].sign_in(executive)
    dashboard = executive.get("/staff/dashboard/").get_data(as_text=True)
    assert 'data-status="received">2<' in dashboard and 'data-status="completed">1<' in dashboard
    assert 'data-status="total">3<' in dashboard
    pages = [dashboard]
    for path in ("/staff/", "/staff/account", "/staff/reports/"):
        response = executive.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        pages.append(response.get_data(as_text=True))
    secrets = [SECRET_DETAILS, SECRET_ACCUSED, SECRET_NAME, "081-234-5678", NOTE, REPLY, "U" + "b" * 32,
               "ใบเสร็จ.png"] + [r.tracking_code for r in receipts]
    for page in pages:
        for secret in secrets:
            assert secret not in page
    # Executives cannot reach content by guessing a URL either.
    assert executive.get(url).status_code == 403
    assert not re.search(r"/staff/cases/[0-9a-f-]{36}", dashboard)
