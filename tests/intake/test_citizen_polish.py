"""Citizen pages as a citizen meets them: limits stated, nothing typed lost, clear answers, no repeated steps."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from app import create_app
from intake.complaints import ComplaintDraft, file_complaint
from intake.receipt_image import receipt_png
from intake.service_points import sync_service_points
from intake.tracking import track
from config.thai import to_local
from models import Complaint, ComplaintStatus, Rating, db, server_keys, utcnow
from stats.fiscal import Month
from tests.conftest import OFFICER_PASSWORD
from tests.intake.helpers import complaint_form, count, csrf_token
from tests.conftest import page_text

GOOD = {"category": "bribery", "details": "เจ้าหน้าที่เรียกเงินเพื่อเร่งออกใบอนุญาตก่อสร้าง"}
SCORES = {"process": "5", "staff": "4", "facilities": "3", "quality": "5"}
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def quick_track(app):
    app.config["TRACK_SECONDS"] = 0


def test_long_details_are_counted_not_cut_and_refused_with_the_text_kept(client, officer, recovery_key):
    page = page_text(client.get("/complaint"))
    assert 'data-limit="5000"' in page and 'maxlength="5000"' not in page and "ไม่เกิน 5,000 ตัวอักษร" in page
    long_text = "ก" * 5001
    response = client.post("/complaint", data=dict(GOOD, details=long_text, csrf_token=csrf_token(client)))
    assert response.status_code == 400 and long_text in page_text(response)
    assert "ไม่เกิน 5,000 ตัวอักษร" in page_text(response) and count(Complaint) == 0


def test_a_file_over_its_limit_comes_back_as_a_form_error_that_keeps_the_text(settings, officer, recovery_key):
    small = create_app(settings.with_overrides(max_upload_bytes=1024 * 1024))
    with small.app_context():
        client = small.test_client()
        page = page_text(client.get("/complaint"))
        assert 'data-max-bytes="1048576"' in page and 'data-max-files="5"' in page  # checked before sending too
        photo = (io.BytesIO(JPEG + b"\x00" * 1_200_000), "photo.jpg")
        response = client.post("/complaint", data=dict(GOOD, csrf_token=csrf_token(client), evidence=[photo]),
                               content_type="multipart/form-data")
        text = page_text(response)
        assert response.status_code == 400 and "เกิน 1 MB" in text and GOOD["details"] in text
        assert db.session.scalar(select(Complaint)) is None


def test_five_phone_photos_fit(app, settings):
    assert settings.max_upload_bytes >= 8 * 1024 * 1024  # one photo from a current phone
    assert app.config["MAX_CONTENT_LENGTH"] >= 5 * settings.max_upload_bytes  # five of them in one complaint


def test_the_receipt_image_grows_to_fit_and_the_page_sends_the_due_date(client, app, officer, recovery_key):
    with app.test_request_context():
        short = Image.open(io.BytesIO(receipt_png("7KQ2-M9XD-4TRB-HW3N", "1 มกราคม 2569", "สั้น", "15 มกราคม 2569")))
        long = Image.open(io.BytesIO(receipt_png("7KQ2-M9XD-4TRB-HW3N", "1 มกราคม 2569", "ยาวมาก " * 40,
                                                 "15 มกราคม 2569")))
    assert long.size[1] > short.size[1] > 1000
    # the bottom rows are white margin: nothing drawn runs off the canvas
    bottom = long.crop((0, long.size[1] - 40, long.size[0], long.size[1])).convert("L")
    assert bottom.getextrema()[0] == 255
    receipt = page_text(client.post("/complaint", data=dict(GOOD, **complaint_form(client))))
    assert 'name="due"' in receipt


def test_a_wrong_code_stays_in_the_box_and_an_empty_one_is_explained(client, quick_track):
    token = csrf_token(client, "/track")
    wrong = client.post("/track", data={"csrf_token": token, "code": "7KQ2-M9XD-4TRB-HW3X"})
    assert wrong.status_code == 404 and 'value="7KQ2-M9XD-4TRB-HW3X"' in page_text(wrong)
    empty = client.post("/track", data={"csrf_token": token, "code": "  "})
    assert empty.status_code == 400 and "กรุณากรอกรหัสติดตามเรื่อง" in page_text(empty)
    assert "novalidate" in page_text(client.get("/track"))


def test_a_reply_without_a_status_change_is_not_a_repeated_step(app, officer):
    receipt = file_complaint(ComplaintDraft(**GOOD), channel="web")
    complaint = Complaint.find_by_code(db.session, server_keys().index, receipt.tracking_code)
    opened = complaint.open_with(officer.recipient_label, officer.unlock_private_key(OFFICER_PASSWORD))
    seq = complaint.next_event_seq()
    complaint.annotate(by_staff_id=officer.id, note_sealed=opened.seal_note(seq, "ภายใน"),
                       reply_sealed=opened.seal_reply(seq, "ขอข้อมูลเพิ่มเติม"))
    db.commit()
    view = track(receipt.tracking_code)
    assert [(s.status_label, s.status_changed, s.reply) for s in view.history] == [
        ("รับเรื่องแล้ว", True, ""), ("รับเรื่องแล้ว", False, "ขอข้อมูลเพิ่มเติม")]
    assert view.status == ComplaintStatus.RECEIVED


def test_the_track_page_heads_a_reply_only_step_as_a_message(client, app, officer, quick_track):
    receipt = file_complaint(ComplaintDraft(**GOOD), channel="web")
    complaint = Complaint.find_by_code(db.session, server_keys().index, receipt.tracking_code)
    opened = complaint.open_with(officer.recipient_label, officer.unlock_private_key(OFFICER_PASSWORD))
    seq = complaint.next_event_seq()
    complaint.annotate(by_staff_id=officer.id, note_sealed=opened.seal_note(seq, "ภายใน"),
                       reply_sealed=opened.seal_reply(seq, "ขอข้อมูลเพิ่มเติม"))
    db.commit()
    page = client.post("/track", data={"csrf_token": csrf_token(client, "/track"), "code": receipt.tracking_code})
    steps = page_text(page).split('<ol class="timeline">')[1].split("</ol>")[0]
    assert steps.count("<strong>รับเรื่องแล้ว</strong>") == 1 and "ข้อความเพิ่มเติมจากหน่วยงาน" in steps


def test_favicon_and_one_charset_in_downloads(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
    assert Image.open(io.BytesIO(icon.data)).format == "ICO"
    month = Month.of(to_local(utcnow()).date()).be_iso()
    download = client.get(f"/transparency/files/complaints-{month}.csv")
    assert download.status_code == 200 and download.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_the_rating_form_asks_optional_respondent_questions_stored_as_codes(client, app):
    sync_service_points(app.config["PROFILE"])
    db.commit()
    page = page_text(client.get("/r/TAX"))
    assert 'name="respondent_sex"' in page and 'name="respondent_age"' in page and "(ไม่บังคับ)" in page
    client.post("/r/TAX", data=dict(SCORES, respondent_sex="female", respondent_age="30-39",
                                    respondent_occupation="made-up", csrf_token=csrf_token(client, "/r/TAX")))
    rating = db.session.scalar(select(Rating))
    assert (rating.respondent_sex, rating.respondent_age, rating.respondent_occupation) == ("female", "30-39", None)
