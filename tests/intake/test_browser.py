"""A citizen on a phone: rates a counter, files a complaint with a photo, and tracks it with the receipt's code."""
from __future__ import annotations

import re

import pytest

from intake.service_points import sync_service_points
from models import StaffUser, db
from models.staff import RecoveryKey
from staff.passwords import hash_password
from tests.conftest import OFFICER_PASSWORD, TEST_KDF_COST, certify_reader

pytestmark = pytest.mark.browser

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def office(live_server):
    with live_server.app.app_context():
        sync_service_points(live_server.app.config["PROFILE"])
        officer = StaffUser(username="officer1", display_name="เจ้าหน้าที่", roles="officer",
                            password_hash=hash_password(OFFICER_PASSWORD))
        db.session.add(officer)
        db.session.flush()
        officer.create_key_pair(OFFICER_PASSWORD, TEST_KDF_COST)
        certify_reader(officer)
        RecoveryKey.create(db.session)
        db.commit()
    return live_server


def test_citizen_on_a_phone_rates_complains_and_tracks(office, phone, artifacts):
    page = phone
    page.goto(f"{office.url}/r/TAX")
    assert page.locator("h1").inner_text() == "แบบประเมินความพึงพอใจการให้บริการ"
    for aspect, score in (("process", 5), ("staff", 4), ("facilities", 3), ("quality", 5)):
        page.locator(f'input[name="{aspect}"][value="{score}"]').check()
    page.get_by_label("ข้อเสนอแนะเพิ่มเติม").fill("เจ้าหน้าที่บริการดีมาก")
    page.screenshot(path=artifacts / "intake-rating-form.png", full_page=True)
    page.get_by_role("button", name="ส่งแบบประเมิน").click()
    assert page.locator("h1").inner_text() == "ขอบคุณที่ให้ข้อมูล"
    page.screenshot(path=artifacts / "intake-rating-thanks.png", full_page=True)

    page.goto(f"{office.url}/complaint")
    page.get_by_label("ใช้อำนาจหน้าที่โดยมิชอบ").check()
    page.get_by_label("เรื่องที่เกิดขึ้น").fill("เจ้าหน้าที่สั่งงดน้ำประปาบ้านผู้แจ้งหลังผู้แจ้งค้านโครงการในที่ประชุม")
    page.get_by_label("ผู้ถูกร้องเรียน").fill("เจ้าหน้าที่ประปา")
    page.locator("#evidence").set_input_files(files=[{"name": "meter.png", "mimeType": "image/png", "buffer": PNG}])
    page.screenshot(path=artifacts / "intake-complaint-form.png", full_page=True)
    page.get_by_role("button", name="ส่งเรื่องร้องเรียน").click()
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    page.screenshot(path=artifacts / "intake-complaint-receipt.png", full_page=True)

    page.goto(f"{office.url}/track")
    page.get_by_label("รหัสติดตามเรื่อง").fill(code)
    page.get_by_role("button", name="ดูสถานะ").click()
    assert page.locator("#status").inner_text() == "รับเรื่องแล้ว"
    page.screenshot(path=artifacts / "intake-track-status.png", full_page=True)

    page.goto(f"{office.url}/track")
    page.get_by_label("รหัสติดตามเรื่อง").fill("0000-0000-0000-0000")
    page.get_by_role("button", name="ดูสถานะ").click()
    assert "ไม่พบเรื่องที่ตรงกับรหัสติดตามนี้" in page.locator("[role=alert]").inner_text()
