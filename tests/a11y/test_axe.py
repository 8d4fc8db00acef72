"""Axe-core (from npm, injected by Playwright into Debian's chromium) finds no serious or critical
accessibility violation on the citizen pages and the main console pages."""
from __future__ import annotations

import json
from pathlib import Path

import pyotp
import pytest

from intake.complaints import ComplaintDraft, file_complaint
from intake.service_points import sync_service_points
from models import Complaint, db, server_keys
from models.staff import RecoveryKey
from tests.staff.conftest import PASSWORD, make_account

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document);
  return {passed: result.passes.length, violations: result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))};
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.skip("accessibility test skipped: axe-core is not installed (python3 tasks.py test runs npm ci)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def audited(chromium, axe_source):
    """Return a function that checks the page a browser shows now and collects what axe finds."""
    found: dict[str, list] = {}
    # The pages forbid inline scripts (CSP); the test's own injected copy of axe is let through.
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH", bypass_csp=True)
    page = context.new_page()

    def check(name: str) -> None:
        page.add_script_tag(content=axe_source)
        result = page.evaluate(RUN_AXE)
        assert result["passed"] > 10, name  # axe really ran its rules on this page
        if result["violations"]:
            found[name] = result["violations"]

    yield page, check, found
    context.close()


def _sign_in(page, url: str, account) -> None:
    page.goto(f"{url}/staff/login")
    page.get_by_label("ชื่อผู้ใช้").fill(account.user.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.get_by_label("รหัสยืนยัน").fill(pyotp.TOTP(account.totp_secret).now())
    page.get_by_role("button", name="ยืนยัน").click()
    page.wait_for_url("**/staff/**")


def test_citizen_and_console_pages_have_no_serious_accessibility_violation(live_server, audited, artifacts):
    page, check, found = audited
    url, app = live_server.url, live_server.app
    with app.app_context():
        sync_service_points(app.config["PROFILE"])
        account = make_account("a11y", "officer,admin")
        RecoveryKey.create(db.session)
        db.commit()
        receipt = file_complaint(ComplaintDraft(category="bribery", details="เจ้าหน้าที่เรียกเงินเพื่อเร่งออกใบอนุญาต"),
                                 channel="web")
        db.commit()
        complaint_id = Complaint.find_by_code(db.session, server_keys().index, receipt.tracking_code).id

    for path in ("/", "/complaint", "/feedback", "/track", "/r/TAX"):
        page.goto(url + path)
        check(path)
    page.goto(url + "/complaint")
    page.get_by_role("button", name="ส่งเรื่องร้องเรียน").click()
    page.locator("#error-summary").wait_for()
    check("/complaint with errors")
    page.get_by_label("เรื่องที่เกิดขึ้น").fill("เจ้าหน้าที่เรียกเงินค่าดำเนินการโดยไม่มีใบเสร็จ")
    page.locator("input[name=category]").first.check()
    page.get_by_role("button", name="ส่งเรื่องร้องเรียน").click()
    page.get_by_text("รหัสติดตามเรื่องของท่าน").wait_for()
    check("receipt")
    page.goto(url + "/track")
    page.locator("#code").fill("7KQ2-M9XD-4TRB-HW3X")
    page.get_by_role("button", name="ดูสถานะ").click()
    page.locator("#code-error").wait_for()
    check("/track with a wrong code")

    _sign_in(page, url, account)
    for path in ("/staff/cases/", f"/staff/cases/{complaint_id}", "/staff/keys/", "/staff/dashboard/",
                 "/staff/reports/", "/staff/admin/users", "/staff/admin/audit", "/staff/office/",
                 "/staff/office/toml", "/staff/account"):
        page.goto(url + path)
        check(path)
    (artifacts / "axe-violations.json").write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
