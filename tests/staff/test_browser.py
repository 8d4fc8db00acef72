"""In a real browser: an officer signs in with a TOTP code, opens a complaint filed through the LINE bot
in the same test, completes it with a reply; the citizen's /track page shows the reply and the fake
LINE API receives the push."""
from __future__ import annotations

import pyotp
import pytest

from models import db
from models.staff import RecoveryKey
from tests.bot.conftest import LineUser, texts_of
from tests.bot.test_complaint_dialog import _file_complaint
from tests.staff.conftest import PASSWORD, make_account
from tests.staff.live_line import fake_line, settings  # noqa: F401  (fixtures)
from tests.conftest import page_text

pytestmark = pytest.mark.browser

REPLY = "หน่วยงานตรวจสอบแล้ว ได้ตั้งกรรมการสอบข้อเท็จจริงและลงโทษทางวินัยแล้ว"


def test_officer_completes_a_line_complaint_and_the_citizen_sees_the_reply(live_server, fake_line, desktop, phone,
                                                                          artifacts):
    app = live_server.app
    with app.app_context():
        account = make_account("somsri", "officer")
        RecoveryKey.create(db.session)
        db.commit()
        citizen = LineUser(app, app.test_client(), fake_line)
        receipt = _file_complaint(citizen, fake_line, wants_updates=True)
        code = receipt[-1]["text"].rsplit(" ", 1)[-1]
        filed = len(fake_line.requests())

    page = desktop
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmation before an irreversible change
    page.goto(f"{live_server.url}/staff/cases/")
    assert "/staff/login" in page.url
    page.get_by_label("ชื่อผู้ใช้").fill("somsri")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.get_by_label("รหัสยืนยัน").fill(pyotp.TOTP(account.totp_secret).now())
    page.get_by_role("button", name="ยืนยัน").click()
    page.wait_for_url("**/staff/cases/")
    page.get_by_role("link", name="เปิดดู").click()
    assert page.get_by_test_id("details").inner_text().startswith("เจ้าหน้าที่กองช่างเรียกเงินห้าพันบาท")
    assert "LINE" in page.content()
    assert "(14.97, 102.1)" in page.get_by_test_id("location").inner_text()  # the bot's location, opened in place
    page.get_by_label("สถานะใหม่").select_option("completed")
    page.get_by_label("บันทึกเหตุผล (จำเป็น เห็นเฉพาะเจ้าหน้าที่)").fill("สอบข้อเท็จจริงแล้ว มีมูล")
    page.get_by_label("คำตอบถึงผู้ร้องเรียน (ไม่บังคับ ผู้ร้องเห็นในหน้าติดตามเรื่องและใน LINE)").fill(REPLY)
    page.get_by_role("button", name="เปลี่ยนสถานะ").click()
    page.get_by_text("บันทึกการเปลี่ยนสถานะแล้ว").wait_for()
    assert page.get_by_test_id("status").inner_text() == "ดำเนินการแล้วเสร็จ"
    page.screenshot(path=str(artifacts / "staff-case-completed.png"), full_page=True)

    with app.app_context():
        citizen.drain()  # the bot's worker delivers what the status change queued
        pushes = [r for r in fake_line.delivered(filed) if r["path"].endswith("/push")]
    assert [p["body"]["to"] for p in pushes] == [citizen.user_id]
    assert REPLY in texts_of(pushes[0]["body"]["messages"])
    assert "ดำเนินการแล้วเสร็จ" in texts_of(pushes[0]["body"]["messages"])

    phone.goto(f"{live_server.url}/track")
    phone.locator("#code").fill(code)
    phone.get_by_role("button", name="ดูสถานะ").click()
    phone.get_by_text(REPLY).wait_for()
    assert "ดำเนินการแล้วเสร็จ" in phone.locator("main").inner_text()
    phone.screenshot(path=str(artifacts / "track-shows-officer-reply.png"), full_page=True)
