"""In a real browser: a staff member links LINE in the simulator, gets the check-in, reports a gift above the
threshold in the LINE dialog; the executive sees the flag in the console and decides; the staff member
acknowledges the declaration."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from models import GiftReport, NoGiftDeclaration, db, utcnow
from stats import nogift, nogift_clock
from stats.fiscal import fiscal_year_of
from config.thai import to_local
from tests.staff.conftest import PASSWORD, make_account
from tests.conftest import unmarked

pytestmark = pytest.mark.browser
GIVER = "ห้างหุ้นส่วน ก่อสร้างรุ่งเรือง"


def _sign_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/staff/login")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_staff_member_in_line_and_the_executive_in_the_console(simulated, phone, chromium, artifacts):
    app, url = simulated.app, simulated.url
    with app.app_context():
        staff = make_account("malee", "staff").user
        make_account("nayok", "executive")
        year = fiscal_year_of(to_local(utcnow()).date())
        declaration = NoGiftDeclaration(fiscal_year=year, status="draft", drafted_by=staff.id,
                                        **{**nogift.declaration_draft(year), "announced_on": to_local(utcnow()).date()})
        db.session.add(declaration)
        declaration.approve(staff.id)
        nogift.publish_declaration(declaration, utcnow())
        db.commit()

    console = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH").new_page()
    console.set_default_timeout(15_000)
    _sign_in(console, url, "malee")
    console.wait_for_url("**/staff/gifts/")
    console.get_by_role("button", name="ขอรหัสเชื่อมบัญชี LINE").click()
    link_text = console.locator("#link-text").inner_text()

    chat = phone
    chat.set_default_timeout(15_000)
    chat.goto(f"{url}/simulator")
    chat.get_by_role("button", name="เริ่มแชท (เพิ่มเพื่อน)").click()
    chat.get_by_text("ยินดีต้อนรับ").wait_for()
    chat.get_by_label("พิมพ์ข้อความ").fill(link_text)
    chat.get_by_role("button", name="ส่ง", exact=True).click()
    chat.get_by_text("เชื่อมบัญชีเจ้าหน้าที่ของ ทดสอบ malee แล้ว").wait_for()

    with app.app_context():  # the clock's monthly check-in, as on the first working day
        made = nogift_clock.run(utcnow(), lambda: True)
        db.commit()
    assert any(kind == "checkin" for kind, _ in made)
    chat.get_by_text("มีผู้ให้ของขวัญหรือประโยชน์แก่ท่านหรือไม่").last.wait_for()
    chat.locator("#quick").get_by_role("button", name="มี ขอรายงาน").click()
    chat.locator("#quick").get_by_role("button", name="วันนี้").click()
    chat.locator("#quick").get_by_role("button", name="ปีใหม่").click()
    chat.locator("#quick").get_by_role("button", name="ผู้รับจ้าง/ผู้ขาย").click()
    chat.get_by_text("กรุณาพิมพ์ชื่อผู้ให้").wait_for()
    for answer, next_question in ((GIVER, "ทรัพย์สินหรือประโยชน์ที่ได้รับคืออะไร"),
                                  ("กระเช้าของขวัญและบัตรกำนัล", "มูลค่าโดยประมาณกี่บาท"),
                                  ("4500", "ท่านดำเนินการอย่างไร")):
        chat.get_by_label("พิมพ์ข้อความ").fill(answer)
        chat.get_by_role("button", name="ส่ง", exact=True).click()
        chat.get_by_text(next_question).wait_for()
    chat.locator("#quick").get_by_role("button", name="ส่งมอบให้หน่วยงาน").click()
    chat.get_by_role("button", name="ส่งรายงาน").click()
    chat.get_by_text("รายการนี้ส่งให้ผู้บริหารพิจารณา").wait_for()
    chat.screenshot(path=str(artifacts / "staff-line-gift-report.png"), full_page=True)

    executive = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH").new_page()
    executive.set_default_timeout(15_000)
    _sign_in(executive, url, "nayok")
    executive.goto(f"{url}/staff/gifts/register")
    flagged = executive.locator("tr.flagged")
    assert "4,500" in flagged.inner_text() and GIVER not in unmarked(executive.content())
    flagged.get_by_role("link").click()
    assert executive.locator("#giver").inner_text() == GIVER
    executive.get_by_label("ให้ส่งมอบเป็นของหน่วยงาน").check()
    executive.get_by_label("หมายเหตุ").fill("รับเป็นของหน่วยงาน แจกในงานปีใหม่ของชุมชน")
    executive.get_by_role("button", name="บันทึกคำวินิจฉัย").click()
    executive.get_by_text("บันทึกคำวินิจฉัยแล้ว").wait_for()
    executive.screenshot(path=str(artifacts / "executive-gift-decision.png"), full_page=True)

    console.goto(f"{url}/staff/gifts/")
    assert "ให้ส่งมอบเป็นของหน่วยงาน" in console.locator("#mine").inner_text()
    console.get_by_role("button", name="รับทราบประกาศ").click()
    console.get_by_text("ท่านรับทราบประกาศแล้ว").wait_for()
    executive.goto(f"{url}/staff/nogift/declaration")
    assert "(1/3)" in executive.get_by_role("heading", name="การรับทราบประกาศ").inner_text()  # + the officer
    with app.app_context():
        gift = db.session.scalar(select(GiftReport))
        assert (gift.channel, gift.flagged, gift.decision, gift.value_baht) == ("line", True, "hand_over", 4500)
