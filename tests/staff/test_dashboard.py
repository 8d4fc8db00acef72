"""The executive dashboard counts by status and month from plain metadata; executives never see content."""
from __future__ import annotations

import io
import re
from datetime import timedelta

from PIL import Image

from intake.ratings import record_rating
from intake.service_points import sync_service_points
from models import Complaint, db, server_keys, utcnow
from tests.staff.conftest import SECRET_ACCUSED, SECRET_DETAILS, SECRET_NAME, csrf_token, file_sample
from tests.conftest import page_text

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
    dashboard = page_text(executive.get("/staff/dashboard/"))
    assert 'data-status="received">2<' in dashboard and 'data-status="completed">1<' in dashboard
    assert 'data-status="total">3<' in dashboard
    pages = [dashboard]
    for path in ("/staff/", "/staff/account", "/staff/reports/"):
        response = executive.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        pages.append(page_text(response))
    secrets = [SECRET_DETAILS, SECRET_ACCUSED, SECRET_NAME, "081-234-5678", NOTE, REPLY, "U" + "b" * 32,
               "ใบเสร็จ.png"] + [r.tracking_code for r in receipts]
    for page in pages:
        for secret in secrets:
            assert secret not in page
    # Executives cannot reach content by guessing a URL either.
    assert executive.get(url).status_code == 403
    assert not re.search(r"/staff/cases/[0-9a-f-]{36}", dashboard)


def test_dashboard_shows_overdue_processing_times_last_year_and_satisfaction_as_charts(app, accounts, recovery_key):
    late, quick, last_year = (Complaint.find_by_code(db.session, server_keys().index, file_sample().tracking_code)
                              for _ in range(3))
    now = utcnow()
    late.due_at = now - timedelta(days=1)
    quick.received_at, quick.closed_at, quick.status = now - timedelta(days=4), now, "completed"
    last_year.received_at = last_year.status_changed_at = now - timedelta(days=365)
    sync_service_points(app.config["PROFILE"])
    point = app.config["PROFILE"].service_points[0].code
    record_rating(point, {a.code: 4 for a in app.config["PROFILE"].aspects}, channel="web")
    db.commit()

    executive = app.test_client()
    accounts["executive"].sign_in(executive)
    page = page_text(executive.get("/staff/dashboard/"))
    assert 'data-tile="overdue">1<' in page
    assert 'data-tile="mean-days">4.0<' in page and 'data-tile="within-target">1/1<' in page
    assert 'data-tile="satisfaction">4.00<' in page
    assert page.count('<img class="chart"') == 3 and "<script>" not in page and "onchange" not in page
    for name in ("received", "processing", "satisfaction"):
        chart = executive.get("/staff/dashboard/chart", query_string={"name": name})
        assert chart.status_code == 200 and chart.mimetype == "image/png"
        assert Image.open(io.BytesIO(chart.data)).size[0] > 600
    assert executive.get("/staff/dashboard/chart", query_string={"name": "nothing"}).status_code == 404
