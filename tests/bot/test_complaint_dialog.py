"""A whole complaint in LINE, as signed webhooks, checked against what the SDK sent the fake LINE API."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from bot import texts
from intake.tracking import track
from models import Complaint, db
from models.line import Conversation, DraftEvidence
from tests.bot.conftest import png, postbacks, texts_of
from tests.conftest import OFFICER_PASSWORD


def _file_complaint(user, fake, *, wants_updates=False):
    messages = user.say(texts.CMD_COMPLAINT)
    assert "ขั้นที่ 1/5" in texts_of(messages)
    choose = postbacks(messages)
    bribery = next(data for label, data in choose.items() if "สินบน" in label)
    assert "ขั้นที่ 2/5" in texts_of(user.tap(bribery))
    assert "รวม 1 ข้อความ" in texts_of(user.say("เจ้าหน้าที่กองช่างเรียกเงินห้าพันบาท"))
    assert "รวม 2 ข้อความ" in texts_of(user.say("เพื่อให้อนุมัติใบอนุญาตก่อสร้างเร็วขึ้น เมื่อวันที่ 3 พ.ย."))
    evidence_prompt = user.say(texts.Q_DONE_DETAILS)
    quick = [item["action"]["type"] for item in evidence_prompt[-1]["quickReply"]["items"]]
    assert {"camera", "cameraRoll", "location"} <= set(quick)
    fake.seed("900001", png("red"))
    fake.seed("900002", png("blue"))
    assert "หลักฐาน 1/5" in texts_of(user.send("image", message_id="900001"))
    assert "หลักฐาน 2/5" in texts_of(user.send("image", message_id="900002"))
    assert "หลักฐาน 3/5" in texts_of(user.send("location"))
    assert "ขั้นที่ 4/5" in texts_of(user.say(texts.Q_EVIDENCE_DONE))
    assert texts.C_UPDATES in texts_of(user.say(texts.C_ANONYMOUS))
    summary = user.say(texts.C_UPDATES_YES if wants_updates else texts.C_UPDATES_NO)
    assert "3 รายการ" in texts_of(summary) and "ไม่มีผลกระทบต่อตนเองหรือครอบครัว" in texts_of(summary)
    return user.tap(postbacks(summary)[texts.C_CONFIRM])


def test_complaint_with_two_images_and_a_location(app, officer, line_user, fake_line):
    receipt = _file_complaint(line_user, fake_line)
    code = receipt[-1]["text"].rsplit(" ", 1)[-1]
    assert receipt[0]["type"] == "flex" and code in texts_of(receipt[:1])
    view = track(code)
    assert view is not None and view.channel == "line" and view.category_name.startswith("เรียกรับสินบน")

    complaint = Complaint.find_by_code(db.session, app.extensions["sujarit.keys"].index, code)
    opened = complaint.open_with(officer.recipient_label, officer.unlock_private_key(OFFICER_PASSWORD))
    content = opened.content()
    assert content.details.startswith("เจ้าหน้าที่กองช่างเรียกเงินห้าพันบาท\nเพื่อให้อนุมัติ")
    assert content.contact == {} and content.line_user == ""
    kinds = [(a.kind, a.media_type) for a in complaint.attachments]
    assert sorted(kinds) == [("image", "image/png"), ("image", "image/png"), ("location", "application/json")]
    location = next(a for a in complaint.attachments if a.kind == "location")
    assert json.loads(opened.read_attachment(location)[1])["latitude"] == 14.97
    assert png("blue") in [opened.read_attachment(a)[1] for a in complaint.attachments]

    # The draft is gone; the images were fetched from the data API once each.
    assert db.session.scalar(select(func.count(Conversation.user_index))) == 0
    assert db.session.scalar(select(func.count(DraftEvidence.id))) == 0
    fetched = [r["path"] for r in fake_line.requests() if r["path"].endswith("/content")]
    assert fetched == ["/v2/bot/message/900001/content", "/v2/bot/message/900002/content"]
    # Every answer went out as a reply, none as a push.
    assert {r["path"] for r in fake_line.delivered()} == {"/v2/bot/message/reply"}


def test_second_confirm_files_nothing_more(app, officer, line_user, fake_line):
    _file_complaint(line_user, fake_line)
    again = line_user.tap("step=c_confirm&do=file")
    assert texts.C_NO_DRAFT in texts_of(again)
    assert db.session.scalar(select(func.count(Complaint.id))) == 1
