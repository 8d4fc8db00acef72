"""The offline simulator in a real browser, over real HTTP, with the worker running inside the web process."""
from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

import bot
from app import create_app
from intake.service_points import sync_service_points
from models import db
from tests.bot.conftest import png
from tests.conftest import _clean, free_port


@pytest.fixture
def simulated_site(settings, officer, tmp_path):
    """Serve a simulated app (fake LINE API at /_fake-line of itself) with the embedded worker."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    application = create_app(settings.with_overrides(public_base_url=url, line_api_base=f"{url}/_fake-line",
                                                     line_data_api_base=f"{url}/_fake-line"))
    with application.app_context():
        sync_service_points(application.config["PROFILE"])
        db.commit()
    server = make_server("127.0.0.1", port, application, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bot.start_embedded(application)
    yield url
    application.extensions["sujarit.line_worker"].stop()
    server.shutdown()
    _clean(settings.database_url)


@pytest.mark.browser
def test_a_person_files_a_complaint_in_the_simulator(simulated_site, phone, artifacts, tmp_path):
    picture = tmp_path / "หลักฐาน.png"
    picture.write_bytes(png("green"))
    page = phone
    page.set_default_timeout(10_000)
    page.goto(f"{simulated_site}/simulator")
    page.get_by_role("button", name="เริ่มแชท (เพิ่มเพื่อน)").click()
    page.get_by_text("ยินดีต้อนรับ").wait_for()
    page.locator(".rich-menu").get_by_role("button", name="แจ้งเรื่องร้องเรียน").click()
    page.get_by_role("button", name="1. เรียกรับสินบน", exact=True).click()  # the profile's short label
    page.get_by_text("ขั้นที่ 2/5").wait_for()
    page.get_by_label("พิมพ์ข้อความ").fill("เจ้าหน้าที่ขอเงินค่าดำเนินการโดยไม่มีใบเสร็จ")
    page.get_by_role("button", name="ส่ง", exact=True).click()
    page.locator("#quick").get_by_role("button", name="เล่าครบแล้ว").click()
    page.get_by_text("ขั้นที่ 3/5").wait_for()
    page.locator("#image-input").set_input_files(str(picture))
    page.get_by_text("หลักฐาน 1/5").wait_for()
    page.locator("#quick").get_by_role("button", name="ส่งตำแหน่ง").click()
    page.get_by_text("หลักฐาน 2/5").wait_for()
    page.locator("#quick").get_by_role("button", name="ส่งหลักฐานครบแล้ว").click()
    page.locator("#quick").get_by_role("button", name="ไม่ประสงค์ออกนาม").click()
    page.locator("#quick").get_by_role("button", name="ไม่ต้องแจ้ง").click()
    page.get_by_text("2 รายการ").wait_for()
    page.get_by_role("button", name="ยืนยันส่งเรื่อง").click()
    code = page.get_by_text("รหัสติดตามเรื่องของท่าน")
    code.wait_for()
    page.screenshot(path=str(artifacts / "bot-simulator-receipt.png"), full_page=True)
    assert len(code.inner_text().rsplit(" ", 1)[-1]) == 19


def test_no_simulator_or_fake_api_with_real_line_credentials(settings):
    real = create_app(settings.with_overrides(line_simulated=False, line_channel_secret="real-secret",
                                              line_channel_access_token="real-token", line_api_base="",
                                              line_data_api_base=""))
    client = real.test_client()
    assert client.get("/simulator").status_code == 404
    assert client.get("/_fake-line/_control/requests").status_code == 404
    assert client.post("/simulator/send", data={"kind": "text", "text": "x"}).status_code in {400, 404}
