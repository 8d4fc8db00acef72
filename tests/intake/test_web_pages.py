"""The public pages: each channel works end to end, and bad input gets a clear Thai answer with nothing stored."""
from __future__ import annotations

import io
import re
import time

import pytest

from intake.limits import Limit
from intake.service_points import sync_service_points
from models import Attachment, Complaint, Feedback, Rating, db, server_keys
from models.rating import Throttle
from tests.intake.helpers import THAI, complaint_form, count, csrf_token, heading
from tests.conftest import page_text

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
GOOD = {"category": "bribery", "details": "เจ้าหน้าที่เรียกเงินเพื่อเร่งออกใบอนุญาตก่อสร้าง"}
SCORES = {"process": "5", "staff": "4", "facilities": "3", "quality": "5"}


@pytest.fixture
def points(app):
    sync_service_points(app.config["PROFILE"])
    db.commit()


@pytest.fixture
def quick_track(app):
    app.config["TRACK_SECONDS"] = 0


def test_home_links_every_channel(client, points, app):
    html = page_text(client.get("/"))
    for href in ("/complaint", "/track", "/feedback", "/transparency", "/r/TAX", "/r/WATER",
                 app.config["PROFILE"].add_friend_url):
        assert f'href="{href}"' in html
    assert '<html lang="th">' in html and "/static/public/public.css" in html


def test_complaint_page_promises_protection_and_links_guideline_and_privacy(client, app):
    html = page_text(client.get("/complaint"))
    assert "ผู้แจ้งจะได้รับความคุ้มครอง" in html and "ไม่มีผลกระทบต่อตนเองและครอบครัว" in html
    links = app.config["PROFILE"].links
    assert links["complaint_guideline"] in html and links["privacy_policy"] in html
    assert 'enctype="multipart/form-data"' in html and '<label for="details">' in html


def test_complaint_with_image_gives_a_receipt_the_tracking_page_knows(client, officer, recovery_key, quick_track):
    data = dict(GOOD, **complaint_form(client), evidence=(io.BytesIO(PNG), "slip.png"))
    response = client.post("/complaint", data=data, content_type="multipart/form-data")
    assert response.status_code == 200 and heading(response).startswith("หน่วยงานได้รับเรื่อง")
    assert response.headers["Cache-Control"] == "no-store"
    code = re.search(r'id="tracking-code"[^>]*>([0-9A-Z-]{19})<', page_text(response)).group(1)
    assert count(Complaint) == 1 and count(Attachment) == 1
    tracked = client.post("/track", data={"csrf_token": csrf_token(client, "/track"), "code": code.lower()})
    assert tracked.status_code == 200 and "รับเรื่องแล้ว" in page_text(tracked)


def test_receipt_can_be_saved_as_an_image(client):
    response = client.post("/complaint/receipt.png", data={
        "csrf_token": csrf_token(client), "code": "7KQ2-M9XD-4TRB-HW3N", "received": "1 ม.ค. 2569",
        "category": "เรียกรับสินบน"})
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG") and "attachment" in response.headers["Content-Disposition"]
    refused = client.post("/complaint/receipt.png", data={"csrf_token": csrf_token(client), "code": "<script>"})
    assert refused.status_code == 400


@pytest.mark.parametrize("data, field, words", [
    ({}, "category", "กรุณาเลือกประเภทเรื่องร้องเรียน"),
    ({"category": "bribery"}, "details", "กรุณาเล่ารายละเอียด"),
    (dict(GOOD, identity="named"), "contact", "ช่องทางติดต่อ"),
    (dict(GOOD, identity="named", phone="โทรมาสิ"), "phone", "หมายเลขโทรศัพท์ไม่ถูกต้อง"),
])
def test_missing_or_wrong_fields_are_named_in_thai_and_nothing_is_stored(client, officer, recovery_key, data, field,
                                                                         words):
    response = client.post("/complaint", data=dict(data, csrf_token=csrf_token(client)))
    html = page_text(response)
    assert response.status_code == 400 and words in html
    assert f'href="#{field}"' in html and "ข้อมูลยังไม่ถูกบันทึก" in html
    assert count(Complaint) == 0


def test_what_was_typed_is_kept_when_the_form_comes_back(client, officer, recovery_key):
    response = client.post("/complaint", data={"csrf_token": csrf_token(client), "details": "ข้อความที่พิมพ์ไว้ยาวพอ",
                                               "accused": "หัวหน้างานพัสดุ"})
    html = page_text(response)
    assert "ข้อความที่พิมพ์ไว้ยาวพอ</textarea>" in html and 'value="หัวหน้างานพัสดุ"' in html


def test_a_disguised_file_is_refused_by_its_content(client, officer, recovery_key):
    data = dict(GOOD, csrf_token=csrf_token(client), evidence=(io.BytesIO(b"MZ\x90\x00<?php system($_GET[1]);"),
                                                               "photo.jpg"))
    response = client.post("/complaint", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and "photo.jpg" in page_text(response)
    page = page_text(response)
    assert "ไม่ใช่ไฟล์ที่ระบบรับได้" in page and "คลิปวิดีโอ" in page  # it names what is accepted
    assert count(Complaint) == 0 and count(Attachment) == 0


def test_an_oversized_upload_gets_a_thai_413_page(client, app, officer, recovery_key):
    too_big = b"%PDF-1.7\n" + b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    data = dict(GOOD, csrf_token=csrf_token(client), evidence=(io.BytesIO(too_big), "scan.pdf"))
    response = client.post("/complaint", data=data, content_type="multipart/form-data")
    assert response.status_code == 413 and heading(response) == "ไฟล์แนบมีขนาดใหญ่เกินไป"
    assert "ข้อมูลยังไม่ถูกบันทึก" in page_text(response)
    assert count(Complaint) == 0


@pytest.mark.parametrize("path, data", [("/complaint", GOOD), ("/r/TAX", SCORES), ("/feedback", {
    "topic": "suggestion", "text": "อยากให้มีที่จอดรถ"}), ("/track", {"code": "7KQ2-M9XD-4TRB-HW3N"})])
def test_a_missing_csrf_token_gets_a_thai_400_page(client, points, officer, recovery_key, path, data):
    response = client.post(path, data=data)
    assert response.status_code == 400 and heading(response) == "แบบฟอร์มหมดอายุหรือไม่สมบูรณ์"
    assert count(Complaint) == 0 and count(Rating) == 0 and count(Feedback) == 0


@pytest.mark.parametrize("path", ["/r/NOPE", "/r/%3Cscript%3E"])
def test_an_unknown_service_point_gets_a_thai_404_page(client, points, path):
    response = client.get(path)
    assert response.status_code == 404 and heading(response) == "ไม่พบหน้าที่ต้องการ"
    assert THAI.search(page_text(response))


def test_rating_form_shows_the_profile_aspects_on_the_five_level_scale(client, points, app):
    html = page_text(client.get("/r/tax"))
    profile = app.config["PROFILE"]
    assert "จุดบริการชำระภาษีที่ดินและสิ่งปลูกสร้าง" in html
    for aspect in profile.aspects:
        assert aspect.question in html and html.count(f'name="{aspect.code}"') == 5
    assert all(label in html for label in profile.scale)


def test_a_rating_is_stored_then_the_same_browser_waits_an_hour(client, points):
    token = csrf_token(client, "/r/TAX")
    first = client.post("/r/TAX", data=dict(SCORES, csrf_token=token, suggestion="บริการรวดเร็วมาก"))
    assert first.status_code == 200 and heading(first) == "ขอบคุณที่ให้ข้อมูล"
    again = client.post("/r/TAX", data=dict(SCORES, csrf_token=token))
    assert again.status_code == 429 and "ประเมินจุดบริการนี้แล้ว" in page_text(again)
    assert client.get("/r/TAX").status_code == 200 and "ประเมินได้อีกครั้งหลัง" in page_text(client.get("/r/TAX"))
    other = client.post("/r/WATER", data=dict(SCORES, csrf_token=token))
    assert other.status_code == 200
    assert count(Rating) == 2


def test_a_rating_with_a_missing_score_is_refused_and_kept_on_screen(client, points):
    response = client.post("/r/TAX", data={"csrf_token": csrf_token(client, "/r/TAX"), "process": "5",
                                           "staff": "9", "suggestion": "ข้อความเดิม"})
    html = page_text(response)
    assert response.status_code == 400 and "กรุณาให้คะแนน" in html and "ข้อความเดิม</textarea>" in html
    assert count(Rating) == 0


def test_feedback_is_stored_encrypted_apart_from_complaints(client, app):
    response = client.post("/feedback", data={"csrf_token": csrf_token(client, "/feedback"), "topic": "complaint",
                                              "text": "ไฟถนนหมู่ 4 ดับ", "division": "engineering",
                                              "contact": "081-234-5678"})
    assert response.status_code == 200 and count(Feedback) == 1 and count(Complaint) == 0
    item = db.session.query(Feedback).one()
    assert item.content(server_keys().keyring) == ("ไฟถนนหมู่ 4 ดับ", "081-234-5678")
    assert "ไฟถนน".encode() not in item.text_enc and item.division == "engineering"


def test_feedback_without_text_is_refused(client):
    response = client.post("/feedback", data={"csrf_token": csrf_token(client, "/feedback"), "topic": "praise"})
    assert response.status_code == 400 and "กรุณาพิมพ์ความคิดเห็น" in page_text(response)
    assert count(Feedback) == 0


@pytest.mark.parametrize("code, message", [
    ("7KQ2-M9XD-4TRB-HW3N", "ไม่พบเรื่องที่ตรงกับรหัสติดตามนี้"),
    ("12345", "รหัสติดตามไม่ถูกต้อง"),
    ("'; DROP TABLE complaints; --", "รหัสติดตามไม่ถูกต้อง"),
])
def test_made_up_and_malformed_codes_get_a_clear_message(client, quick_track, code, message):
    response = client.post("/track", data={"csrf_token": csrf_token(client, "/track"), "code": code})
    assert response.status_code == 404 and message in page_text(response)


def test_right_and_wrong_codes_take_the_same_padded_time(client, app, officer, recovery_key):
    from intake.complaints import ComplaintDraft, file_complaint

    code = file_complaint(ComplaintDraft(**GOOD), channel="web").tracking_code
    db.commit()
    app.config["TRACK_SECONDS"] = 0.3
    token = csrf_token(client, "/track")
    for typed, status in ((code, 200), ("7KQ2-M9XD-4TRB-HW3N", 404), ("x", 404)):
        started = time.monotonic()
        assert client.post("/track", data={"csrf_token": token, "code": typed}).status_code == status
        assert time.monotonic() - started >= 0.3  # every answer waits out the same floor


def test_tracking_attempts_are_rate_limited_without_keeping_the_address(client, app, quick_track):
    app.config["INTAKE_LIMITS"] = {"track": Limit(3, 600)}
    token = csrf_token(client, "/track")
    answers = [client.post("/track", data={"csrf_token": token, "code": "7KQ2-M9XD-4TRB-HW3N"}).status_code
               for _ in range(4)]
    assert answers == [404, 404, 404, 429]
    rows = db.session.query(Throttle).all()
    assert len(rows) == 1 and rows[0].hits == 4 and len(rows[0].key) == 32
    assert b"127.0.0.1" not in rows[0].key


def test_web_processes_share_one_limit(app, settings, quick_track):
    from app import create_app

    second = create_app(settings)  # another web process on the same database
    second.config.update(TRACK_SECONDS=0, INTAKE_LIMITS={"track": Limit(2, 600)})
    app.config["INTAKE_LIMITS"] = {"track": Limit(2, 600)}
    clients = [app.test_client(), second.test_client()]
    tokens = [csrf_token(c, "/track") for c in clients]
    answers = [clients[i % 2].post("/track", data={"csrf_token": tokens[i % 2], "code": "x"}).status_code
               for i in range(3)]
    assert answers == [404, 404, 429]


def test_a_refreshed_receipt_does_not_file_the_complaint_twice(client, officer, recovery_key):
    html = page_text(client.get("/complaint"))
    nonce = re.search(r'name="submission" value="([^"]+)"', html).group(1)
    data = dict(GOOD, csrf_token=csrf_token(client), submission=nonce)
    assert client.post("/complaint", data={"csrf_token": data["csrf_token"], "submission": nonce}).status_code == 400
    assert client.post("/complaint", data=data).status_code == 200  # a refused try does not use the number up
    again = client.post("/complaint", data=data)
    assert again.status_code == 409 and heading(again) == "ท่านส่งเรื่องนี้ไปแล้ว"
    assert count(Complaint) == 1


def test_a_limited_complaint_comes_back_filled_and_a_person_gets_through(client, app, officer, recovery_key):
    app.config["INTAKE_LIMITS"] = {"complaint": Limit(1, 3600)}
    assert client.post("/complaint", data=dict(GOOD, **complaint_form(client))).status_code == 200
    typed = dict(GOOD, details="ถูกเรียกเงินสองพันบาทที่จุดบริการ ไม่มีใบเสร็จ", accused="นายตัวอย่าง", **complaint_form(client))
    limited = client.post("/complaint", data=typed)
    html = page_text(limited)
    assert limited.status_code == 429 and count(Complaint) == 1
    assert "ถูกเรียกเงินสองพันบาทที่จุดบริการ ไม่มีใบเสร็จ</textarea>" in html and 'value="นายตัวอย่าง"' in html
    assert "ข้อความที่ท่านพิมพ์ยังอยู่ครบ" in html
    a, b = map(int, re.search(r"(\d+) บวก (\d+) เท่ากับเท่าไร", html).groups())
    wrong = client.post("/complaint", data=dict(typed, check=str(a + b + 1)))
    assert wrong.status_code == 429 and count(Complaint) == 1  # a wrong answer asks again, still filled
    a, b = map(int, re.search(r"(\d+) บวก (\d+) เท่ากับเท่าไร", page_text(wrong)).groups())
    through = client.post("/complaint", data=dict(typed, check=str(a + b)))
    assert through.status_code == 200 and "รหัสติดตาม" in page_text(through)
    assert count(Complaint) == 2


def test_a_complaint_without_its_one_time_number_is_not_filed(client, officer, recovery_key):
    response = client.post("/complaint", data=dict(GOOD, csrf_token=csrf_token(client)))
    assert response.status_code == 400 and count(Complaint) == 0
    assert "เจ้าหน้าที่เรียกเงินเพื่อเร่งออกใบอนุญาตก่อสร้าง</textarea>" in page_text(response)


def test_pages_holding_a_complaint_or_receipt_are_never_stored(client, officer, recovery_key):
    assert client.get("/complaint").headers["Cache-Control"] == "no-store"
    refused = client.post("/complaint", data={"csrf_token": csrf_token(client), "details": "x"})
    assert refused.headers["Cache-Control"] == "no-store"
    receipt = client.post("/complaint", data=dict(GOOD, **complaint_form(client)))
    assert receipt.status_code == 200 and receipt.headers["Cache-Control"] == "no-store"
