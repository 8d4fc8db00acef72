"""Forms that behave, in a real browser under the strict CSP: confirmations, Back after filing, no violations."""
from __future__ import annotations

import pyotp
import pytest

from models import Complaint, db
from tests.intake.helpers import count
from tests.staff.conftest import PASSWORD, file_sample, make_account

DETAILS = "เจ้าหน้าที่ขอเงินสามพันบาทเพื่อให้ใบอนุญาตออกเร็วขึ้น"


def _watch_csp(page) -> list[str]:
    """Collect every Content-Security-Policy complaint the page makes in the console."""
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    return violations


@pytest.mark.browser
def test_back_after_filing_and_submitting_again_files_nothing_new(live_server, officer, phone, artifacts):
    page = phone
    violations = _watch_csp(page)
    page.goto(f"{live_server.url}/complaint")
    page.locator('input[name="category"][value="bribery"]').check()
    page.locator("#details").fill(DETAILS)
    page.get_by_role("button", name="ส่งเรื่องร้องเรียน").click()
    page.get_by_text("รหัสติดตาม").first.wait_for()
    with live_server.app.app_context():
        assert count(Complaint) == 1
    page.go_back()
    page.locator("#details").wait_for()
    if not page.locator("#details").input_value():  # the browser may not restore what was typed
        page.locator('input[name="category"][value="bribery"]').check()
        page.locator("#details").fill(DETAILS)
    page.get_by_role("button", name="ส่งเรื่องร้องเรียน").click()
    page.get_by_text("ท่านส่งเรื่องนี้ไปแล้ว").wait_for()
    page.screenshot(path=str(artifacts / "complaint-back-and-submit-again.png"), full_page=True)
    with live_server.app.app_context():
        assert count(Complaint) == 1
    assert violations == []


@pytest.mark.browser
def test_staff_confirmation_appears_and_cancelling_changes_nothing(live_server, desktop, artifacts):
    with live_server.app.app_context():
        account = make_account("confirmer", "officer")
        file_sample()
        complaint_id = db.session.query(Complaint).one().id
    page = desktop
    violations = _watch_csp(page)
    page.goto(f"{live_server.url}/staff/login")
    page.get_by_label("ชื่อผู้ใช้").fill("confirmer")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.get_by_label("รหัสยืนยัน").fill(pyotp.TOTP(account.totp_secret).now())
    page.get_by_role("button", name="ยืนยัน").click()
    page.wait_for_url("**/staff/cases/")
    page.goto(f"{live_server.url}/staff/cases/{complaint_id}")
    before = page.get_by_test_id("status").inner_text()
    page.get_by_label("สถานะใหม่").select_option("in_progress")
    page.get_by_label("บันทึกเหตุผล (จำเป็น เห็นเฉพาะเจ้าหน้าที่)").fill("เริ่มสอบข้อเท็จจริง")
    asked: list[str] = []

    def cancel(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", cancel)
    page.get_by_role("button", name="เปลี่ยนสถานะ").click()
    page.wait_for_timeout(500)
    assert asked == ["ยืนยันการเปลี่ยนสถานะ?"]
    page.reload()
    assert page.get_by_test_id("status").inner_text() == before  # nothing changed
    with live_server.app.app_context():
        db.session.expire_all()
        assert len(db.session.get(Complaint, complaint_id).events) == 1

    page.get_by_label("สถานะใหม่").select_option("in_progress")
    page.get_by_label("บันทึกเหตุผล (จำเป็น เห็นเฉพาะเจ้าหน้าที่)").fill("เริ่มสอบข้อเท็จจริง")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="เปลี่ยนสถานะ").click()
    page.get_by_text("บันทึกการเปลี่ยนสถานะแล้ว").wait_for()
    assert page.get_by_test_id("status").inner_text() != before
    page.screenshot(path=str(artifacts / "staff-confirmed-status-change.png"), full_page=True)
    assert violations == []


@pytest.mark.browser
def test_pages_and_report_files_show_without_csp_violations(live_server, officer, phone):
    page = phone
    violations = _watch_csp(page)
    for path in ("/", "/complaint", "/feedback", "/track", "/transparency", "/transparency/files/complaints-2569.html"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
    # The report file's own styles apply (allowed by their hash), so its table has borders.
    assert page.locator("table.stats td").first.evaluate("cell => getComputedStyle(cell).borderTopStyle") == "solid"
    assert violations == []
