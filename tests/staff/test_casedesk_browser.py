"""In a real browser: a walk-in complaint from the desk to the reply letter, with the complainant's anonymous
answer on /track in between; and feedback from the web and LINE reaching the inbox and the dashboard."""
from __future__ import annotations

import io
import re
import unicodedata

import pyotp
import pytest
from pypdf import PdfReader

from models import Complaint, db, server_keys, utcnow
from models.staff import RecoveryKey
from staff.casedesk import cited_complaint
from staff.reply_letter import ReplyLetter
from bot import texts
from tests.bot.conftest import LineUser, png, postbacks, texts_of
from tests.staff.conftest import PASSWORD, make_account
from tests.staff.live_line import fake_line, settings  # noqa: F401  (fixtures)
from tests.conftest import page_text, unmarked

pytestmark = pytest.mark.browser

DETAILS = "นายช่างโยธาเรียกเงินสามพันบาทเพื่อเซ็นรับรองแบบบ้าน ผู้ร้องนำหนังสือร้องเรียนมายื่นด้วยตนเอง"
QUESTION = "ท่านจ่ายเงินให้ใคร วันไหน และมีหลักฐานการโอนหรือไม่"
ANSWER = "โอนให้ทางบัญชีธนาคารเมื่อวันที่ 3 มีนาคม แนบสลิปมาแล้ว"
LETTER = ("ตามที่ท่านได้ยื่นหนังสือร้องเรียนกรณีเจ้าหน้าที่เรียกรับเงินเพื่อรับรองแบบบ้าน "
          "หน่วยงานได้ตั้งคณะกรรมการสอบข้อเท็จจริงแล้ว และจะแจ้งผลให้ท่านทราบต่อไป")


def _sign_in(page, url: str, username: str, account) -> None:
    page.goto(f"{url}/staff/login")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.get_by_label("รหัสยืนยัน").fill(pyotp.TOTP(account.totp_secret).now())
    page.get_by_role("button", name="ยืนยัน").click()
    page.wait_for_url("**/staff/**")


def _squash(text: str) -> str:
    # NFKC spells SARA AM as NIKHAHIT + SARA AA, as the PDF stores it; line breaks move spaces.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_walk_in_complaint_from_the_desk_to_the_reply_letter(live_server, desktop, phone, artifacts, tmp_path):
    app = live_server.app
    with app.app_context():
        account = make_account("somsri", "officer")
        RecoveryKey.create(db.session)
        db.commit()
    page = desktop
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmation before an irreversible step
    _sign_in(page, live_server.url, "somsri", account)

    # The officer registers the walk-in complaint with the scanned letter.
    page.goto(f"{live_server.url}/staff/cases/")
    page.get_by_role("link", name="ลงทะเบียนรับเรื่อง").click()
    page.locator("select[name=channel]").select_option("counter")
    page.locator("select[name=category]").select_option("bribery")
    page.locator("textarea[name=details]").fill(DETAILS)
    page.locator("input[name=accused]").fill("นายช่างโยธา")
    page.locator("input[name=identity][value=named]").check()
    page.locator("input[name=name]").fill("นางมาลี ใจกล้า")
    page.locator("input[name=phone]").fill("081-234-5678")
    page.locator("input[name=evidence]").set_input_files(
        {"name": "หนังสือร้องเรียน.png", "mimeType": "image/png", "buffer": png("white")})
    page.get_by_role("button", name="บันทึกและออกใบรับเรื่อง").click()
    code = page.get_by_test_id("slip-code").inner_text()
    reference = page.get_by_test_id("slip-reference").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code) and reference.startswith("ร.1/")

    # The receipt slip prints without the console around it.
    page.emulate_media(media="print")
    assert page.locator("header.top").is_hidden() and page.get_by_test_id("slip-code").is_visible()
    page.pdf(path=str(artifacts / "desk-receipt-slip.pdf"), format="A5")
    slip_text = "".join(p.extract_text() for p in PdfReader(str(artifacts / "desk-receipt-slip.pdf")).pages)
    assert code in slip_text and _squash(reference) in _squash(slip_text)
    page.emulate_media(media="screen")

    # It is assigned, given a subject, and the complainant is asked a question.
    page.get_by_role("link", name="เปิดเรื่องนี้").click()
    assert page.get_by_test_id("details").inner_text() == DETAILS
    page.locator("#handling input[name=subject]").fill("นายช่างเรียกเงินรับรองแบบบ้าน")
    page.locator("#handling select[name=assignee]").select_option(label="ทดสอบ somsri")
    page.locator("#handling select[name=division]").select_option("engineering")
    page.get_by_role("button", name="บันทึกการมอบหมาย").click()
    page.get_by_text("บันทึกการมอบหมายแล้ว").wait_for()
    assert page.get_by_test_id("assignee").inner_text() == "ทดสอบ somsri · กองช่าง"
    page.locator("#question textarea[name=question]").fill(QUESTION)
    page.get_by_role("button", name="ส่งคำถาม").click()
    page.get_by_text("ส่งคำถามถึงผู้ร้องเรียนแล้ว").wait_for()

    # The complainant answers on /track with a photo, without saying who they are.
    phone.goto(f"{live_server.url}/track")
    phone.locator("#code").fill(code)
    phone.get_by_role("button", name="ดูสถานะ").click()
    phone.get_by_text(QUESTION).wait_for()
    assert phone.get_by_role("heading", name="ตอบคำถามของเจ้าหน้าที่").is_visible()
    phone.locator("#text").fill(ANSWER)
    phone.locator("#evidence").set_input_files({"name": "สลิปโอนเงิน.png", "mimeType": "image/png",
                                                "buffer": png("green")})
    phone.get_by_role("button", name="ส่งถึงเจ้าหน้าที่").click()
    phone.locator("#answer-sent").wait_for()
    assert phone.locator("li.answer", has_text=ANSWER).is_visible()
    phone.screenshot(path=str(artifacts / "track-answer-sent.png"), full_page=True)

    # The officer is told in the list, and sees the answer and the photo in the page.
    page.goto(f"{live_server.url}/staff/cases/")
    row = page.locator("tr", has_text=reference)
    assert "ผู้ร้องส่งข้อความใหม่" in row.inner_text() and "นายช่างเรียกเงินรับรองแบบบ้าน" in row.inner_text()
    row.get_by_role("link", name="เปิดดู").click()
    assert page.get_by_test_id("answer").inner_text() == ANSWER
    photo = page.get_by_alt_text("หลักฐาน: สลิปโอนเงิน.png")
    photo.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth === 40", arg=photo.element_handle())
    page.screenshot(path=str(artifacts / "staff-case-follow-up.png"), full_page=True)

    # The reply letter: a Thai official letter whose PDF text is exactly what was written.
    page.locator("#letter input[name=number]").fill("นม 71201/456")
    page.locator("#letter textarea[name=body]").fill(LETTER)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="จัดทำและส่งหนังสือตอบ").click()
    letter_path = tmp_path / "letter.pdf"
    download_info.value.save_as(letter_path)
    (artifacts / "reply-letter.pdf").write_bytes(letter_path.read_bytes())
    with app.test_request_context():
        complaint = Complaint.find_by_code(db.session, server_keys().index, code)
        source = ReplyLetter(number="นม 71201/456", date=utcnow(), subject="แจ้งผลการพิจารณาเรื่องร้องเรียน",
                             to="นางมาลี ใจกล้า", reference=cited_complaint(complaint), body=LETTER).lines()
        db.session.rollback()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(letter_path.read_bytes())).pages)
    assert _squash(text) == _squash("".join(source))

    # The complainant finds the letter behind the tracking code too.
    phone.goto(f"{live_server.url}/track")
    phone.locator("#code").fill(code)
    phone.get_by_role("button", name="ดูสถานะ").click()
    with phone.expect_download() as citizen_download:
        phone.get_by_role("button", name=re.compile("ดาวน์โหลด หนังสือตอบ")).click()
    assert citizen_download.value.path().read_bytes() == letter_path.read_bytes()


WEB_FEEDBACK = "อยากให้เปิดจุดชำระภาษีช่วงพักเที่ยง คนทำงานมาไม่ทัน"
LINE_FEEDBACK = "ไฟถนนหน้าโรงเรียนดับมาสามวันแล้ว ช่วยซ่อมด้วย"


def _feedback_from_line(app, fake_line) -> None:
    """A LINE user sends feedback through the bot: signed webhooks, the worker, the fake LINE API."""
    with app.app_context():
        citizen = LineUser(app, app.test_client(), fake_line)
        topics = postbacks(citizen.say(texts.CMD_FEEDBACK))
        citizen.tap(topics["ร้องทุกข์ทั่วไป"])
        summary = citizen.say(LINE_FEEDBACK)
        assert texts.F_THANKS in texts_of(citizen.tap(postbacks(summary)[texts.F_SEND]))


def test_feedback_from_the_web_and_line_reaches_the_inbox_and_the_dashboard(live_server, fake_line, desktop, phone,
                                                                             artifacts):
    app = live_server.app
    with app.app_context():
        account = make_account("malee", "officer")
        RecoveryKey.create(db.session)
        db.commit()
    phone.goto(f"{live_server.url}/feedback")
    phone.locator("input[name=topic][value=suggestion]").check()
    phone.locator("#text").fill(WEB_FEEDBACK)
    phone.locator("#contact").fill("089-111-2222")
    phone.get_by_role("button", name="ส่งข้อเสนอแนะ").click()
    phone.wait_for_load_state()
    _feedback_from_line(app, fake_line)

    page = desktop
    _sign_in(page, live_server.url, "malee", account)
    page.get_by_role("link", name="ความคิดเห็นและข้อเสนอแนะ").click()
    assert page.get_by_test_id("feedback-received").inner_text() == "2"
    assert sorted(page.get_by_test_id("feedback-channel").all_inner_texts()) == ["LINE", "เว็บไซต์"]
    assert WEB_FEEDBACK not in unmarked(page.content())  # the list decrypts nothing
    page.locator("tr", has_text="เว็บไซต์").get_by_role("link", name="อ่าน").click()
    assert page.get_by_test_id("feedback-text").inner_text() == WEB_FEEDBACK
    assert "089-111-2222" in page.content()
    page.locator("select[name=division]").select_option("finance")
    page.get_by_role("button", name="บันทึกหน่วยงาน").click()
    page.get_by_text("ส่งต่อหน่วยงานแล้ว").wait_for()
    assert page.get_by_test_id("feedback-division").inner_text() == "กองคลัง"
    page.get_by_role("button", name="ดำเนินการแล้ว").click()
    page.get_by_text("บันทึกว่าดำเนินการแล้ว").wait_for()
    page.get_by_role("link", name="กลับไปที่รายการ").click()
    assert page.locator("tbody tr").count() == 1 and "LINE" in page.locator("tbody tr").inner_text()
    page.locator("tbody tr").get_by_role("link", name="อ่าน").click()
    assert page.get_by_test_id("feedback-text").inner_text() == LINE_FEEDBACK

    page.goto(f"{live_server.url}/staff/dashboard/")
    assert page.get_by_test_id("feedback-received").inner_text() == "2"
    assert page.get_by_test_id("feedback-handled").inner_text() == "1"
    page.screenshot(path=str(artifacts / "staff-dashboard-feedback.png"), full_page=True)
    with app.app_context():
        from sqlalchemy import select

        from models import AuditEntry

        actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"feedback.list", "feedback.view", "feedback.route", "feedback.handled"} <= actions
