"""Rating by deep link, tracking, information, cancel anywhere, the unexpected, groups, expiry, and quiet logs."""
from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import func, select, update

from bot import texts
from bot.maintenance import purge_expired
from intake.complaints import ComplaintDraft, file_complaint
from models import Rating, db, server_keys, utcnow
from models.line import Conversation, DraftEvidence
from tests.bot.conftest import event, png, postbacks, texts_of


def test_follow_greets_with_the_menu(line_user):
    [greeting] = line_user.send("follow")
    assert "ยินดีต้อนรับ" in greeting["text"]
    assert [i["action"]["text"] for i in greeting["quickReply"]["items"]] == [
        texts.CMD_COMPLAINT, texts.CMD_FEEDBACK, texts.CMD_RATING, texts.CMD_TRACKING, texts.CMD_INFO]


def test_rating_arriving_by_deep_link(app, line_user):
    first = line_user.say("ประเมิน TAX")
    assert "จุดบริการชำระภาษี" in texts_of(first) and "ข้อ 1/4" in texts_of(first)
    labels = postbacks(first)
    assert list(labels)[:5] == ["5 มากที่สุด", "4 มาก", "3 ปานกลาง", "2 น้อย", "1 น้อยที่สุด"]
    second = line_user.tap(labels["5 มากที่สุด"])
    assert "ข้อ 2/4" in texts_of(second)
    line_user.say("๔")  # Thai digits count too
    line_user.tap(postbacks(second)["3 ปานกลาง"])
    assert texts.R_SUGGESTION in texts_of(line_user.tap(postbacks(second)["5 มากที่สุด"]))
    assert "ขอบคุณสำหรับการประเมิน" in texts_of(line_user.say("อยากให้มีที่จอดรถมากขึ้น"))
    rating = db.session.scalar(select(Rating))
    assert rating.channel == "line" and rating.service_point.code == "TAX"
    assert {a.aspect: a.score for a in rating.answers} == {"process": 5, "staff": 4, "facilities": 3, "quality": 5}
    assert rating.suggestion(server_keys().keyring) == "อยากให้มีที่จอดรถมากขึ้น"


def test_rating_from_the_menu_and_an_unknown_point(app, line_user):
    unknown = line_user.say("ประเมิน NOPE")
    assert texts.R_UNKNOWN_POINT in texts_of(unknown)
    point = next(data for label, data in postbacks(unknown).items() if "ประปา" in label)
    assert "ข้อ 1/4" in texts_of(line_user.tap(point))


def test_tracking_by_code(app, officer, line_user):
    receipt = file_complaint(ComplaintDraft(category="misconduct", details="เจ้าหน้าที่ไม่อยู่ปฏิบัติงานในเวลาราชการ"),
                             channel="web")
    db.commit()
    assert texts.T_ASK in texts_of(line_user.say(texts.CMD_TRACKING))
    assert texts.T_NOT_FOUND in texts_of(line_user.say("0000-0000-0000-0000"))
    shown = texts_of(line_user.say(receipt.tracking_code.lower().replace("-", " ")))
    assert "รับเรื่องแล้ว" in shown and "ประพฤติมิชอบ" in shown and "เจ้าหน้าที่ไม่อยู่" not in shown
    # A code pasted with no flow open is tracked as well.
    assert "รับเรื่องแล้ว" in texts_of(line_user.say(receipt.tracking_code))


def test_cancel_in_the_middle_forgets_everything(app, line_user, fake_line):
    line_user.say(texts.CMD_COMPLAINT)
    line_user.say("2")
    line_user.say("เรื่องลับที่ยังไม่อยากส่ง")
    fake_line.seed("55", png())
    line_user.send("image", message_id="55")
    assert db.session.scalar(select(func.count(DraftEvidence.id))) == 1
    assert texts.CANCELLED in texts_of(line_user.say(texts.CMD_CANCEL))
    assert db.session.scalar(select(func.count(DraftEvidence.id))) == 0
    assert db.session.scalar(select(func.count(Conversation.user_index))) == 0
    assert texts.IDLE_HELP in texts_of(line_user.say(texts.Q_DONE_DETAILS))
    assert texts.NOTHING_TO_CANCEL in texts_of(line_user.say(texts.CMD_CANCEL))


def test_the_unexpected_gets_help_and_the_state_is_kept(app, line_user):
    line_user.say(texts.CMD_COMPLAINT)
    sticker = line_user.send("sticker")
    assert texts.C_CATEGORY_HINT.format(n=6) in texts_of(sticker) and texts.C_CATEGORY_TITLE in texts_of(sticker)
    assert texts.C_CATEGORY_HINT.format(n=6) in texts_of(line_user.say("อยากร้องเรียนค่ะ"))
    busy = line_user.say(texts.CMD_RATING)
    assert "กำลังแจ้งเรื่องร้องเรียนค้างอยู่" in texts_of(busy)
    info = texts_of(line_user.say(texts.CMD_INFO))
    assert "044-000-000" in info and texts.I_PRIVACY in info and texts.C_CATEGORY_TITLE in info
    assert "ขั้นที่ 2/5" in texts_of(line_user.say("1"))
    assert texts.NOT_UNDERSTOOD in texts_of(line_user.send("sticker"))
    assert "รวม 1 ข้อความ" in texts_of(line_user.say("ยังอยู่ในขั้นรายละเอียด"))
    assert "ขั้นที่ 3/5" in texts_of(line_user.say(texts.Q_DONE_DETAILS))
    sticker = texts_of(line_user.send("sticker"))
    assert texts.NOT_UNDERSTOOD in sticker and "ขั้นที่ 3/5" in sticker


def test_short_details_and_a_bad_phone_are_explained(app, line_user):
    line_user.say(texts.CMD_COMPLAINT)
    line_user.say("3")
    line_user.say("สั้น")
    assert texts.C_DETAILS_SHORT in texts_of(line_user.say(texts.Q_DONE_DETAILS))
    line_user.say("เจ้าหน้าที่ใช้รถราชการไปธุระส่วนตัวทุกวันเสาร์")
    line_user.say(texts.Q_DONE_DETAILS)
    line_user.say(texts.Q_NO_EVIDENCE)
    assert texts.C_ASK_NAME in texts_of(line_user.say(texts.C_NAMED))
    line_user.say("สมหญิง รักดี")
    assert "หมายเลขโทรศัพท์ไม่ถูกต้อง" in texts_of(line_user.say("โทรมาได้เลย"))
    assert texts.C_UPDATES in texts_of(line_user.say("081-234-5678"))
    summary = texts_of(line_user.say(texts.C_UPDATES_NO))
    assert "สมหญิง รักดี / 081-234-5678" in summary


def test_a_file_that_is_not_an_image_or_pdf_is_refused(app, line_user, fake_line):
    line_user.say(texts.CMD_COMPLAINT)
    line_user.say("1")
    line_user.say("รายละเอียดยาวพอสมควรแล้วนะคะ")
    line_user.say(texts.Q_DONE_DETAILS)
    fake_line.seed("66", b"MZ\x90\x00 not a document", "application/octet-stream")
    refused = line_user.send("file", message_id="66", file_name="เอกสาร.pdf.exe")
    assert "รับได้เฉพาะรูปภาพ" in texts_of(refused)
    fake_line.seed("67", b"%PDF-1.4\n%fake but well-formed enough\n", "application/pdf")
    assert "ได้รับไฟล์แล้ว" in texts_of(line_user.send("file", message_id="67", file_name="ใบเสร็จ.pdf"))
    assert texts.C_EVIDENCE_GONE in texts_of(line_user.send("image", message_id="404"))


def test_in_a_group_the_bot_takes_no_complaints(line_user):
    group = {"type": "group", "groupId": "C" + "1" * 32, "userId": line_user.user_id}
    before = len(line_user.fake.requests())
    assert line_user.post(event("text", line_user.user_id, text="คุยกันเรื่องอื่น", source=group)).status_code == 200
    assert line_user.post(event("text", line_user.user_id, text=texts.CMD_COMPLAINT, source=group)).status_code == 200
    line_user.drain()
    [reply] = line_user.fake.delivered(before)
    assert "ไม่รับเรื่องร้องเรียนในกลุ่มแชท" in texts_of(reply["body"]["messages"])
    assert db.session.scalar(select(func.count(Conversation.user_index))) == 0


def test_a_conversation_expires_after_24_hours(app, line_user):
    line_user.say(texts.CMD_COMPLAINT)
    line_user.say("1")
    db.session.execute(update(Conversation).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.commit()
    assert texts.F_OFFER in texts_of(line_user.say("ข้อความหลังจากหายไปหนึ่งวัน"))  # not the old draft
    db.session.execute(update(Conversation).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.commit()
    purge_expired(utcnow())
    assert db.session.scalar(select(func.count(Conversation.user_index))) == 0


def test_logs_never_carry_ids_codes_or_content(app, officer, line_user, fake_line, caplog):
    from tests.bot.test_complaint_dialog import _file_complaint

    caplog.set_level(logging.DEBUG)
    fake_line.fail("reply", 500)
    receipt = _file_complaint(line_user, fake_line, wants_updates=True)
    code = receipt[-1]["text"].rsplit(" ", 1)[-1]
    logged = caplog.text
    assert "trying again" in logged
    for secret in (line_user.user_id, code, "ห้าพันบาท", "สินบน"):
        assert secret not in logged
