"""What citizens actually type: a broken road is not corruption, status pushes say which complaint, @mentions."""
from __future__ import annotations

from sqlalchemy import select

from bot import texts
from models import Feedback, db, server_keys
from staff.casedesk import change_status
from tests.bot.conftest import event, postbacks, texts_of
from tests.bot.test_long_content import _case

ROAD = "อยากแจ้งเรื่องถนนพัง หน้าบ้านหมู่ 3 เป็นหลุมใหญ่"


def test_a_broken_road_gets_the_general_path_in_line(app, line_user):
    offered = line_user.say(ROAD)
    assert texts.F_OFFER in texts_of(offered) and texts.NOT_UNDERSTOOD not in texts_of(offered)
    topics = postbacks(line_user.tap(postbacks(offered)[texts.Q_FB_GENERAL]))
    summary = line_user.tap(topics["ร้องทุกข์ทั่วไป"])
    assert "ถนนพัง" in texts_of(summary) and texts.F_SEND in postbacks(summary)
    assert texts.F_THANKS in texts_of(line_user.tap(postbacks(summary)[texts.F_SEND]))
    [item] = db.session.scalars(select(Feedback)).all()
    assert (item.channel, item.topic) == ("line", "complaint")
    assert item.content(server_keys().keyring)[0] == ROAD and ROAD.encode() not in item.text_enc


def test_the_offer_can_turn_into_a_corruption_complaint_keeping_the_words(app, line_user):
    offered = line_user.say("เจ้าหน้าที่เรียกเงินใต้โต๊ะตอนขอใบอนุญาต")
    started = line_user.tap(postbacks(offered)[texts.Q_FB_CORRUPTION])
    assert "ขั้นที่ 1/5" in texts_of(started)
    bribery = next(d for label, d in postbacks(started).items() if "สินบน" in label)
    line_user.tap(bribery)
    for word in (texts.Q_DONE_DETAILS, texts.Q_NO_EVIDENCE, texts.C_ANONYMOUS):
        line_user.say(word)
    assert "เรียกเงินใต้โต๊ะ" in texts_of(line_user.say(texts.C_UPDATES_NO))  # the summary holds the typed words


def test_feedback_from_the_menu_and_short_words_still_get_the_menu(app, line_user):
    assert texts.IDLE_HELP in texts_of(line_user.say("สวัสดีค่ะ"))
    assert texts.IDLE_HELP in texts_of(line_user.say(texts.Q_EVIDENCE_DONE))  # a stale button is not a message
    topics = postbacks(line_user.say(texts.CMD_FEEDBACK))
    assert texts.F_TEXT.split(" ")[0] in texts_of(line_user.tap(topics["ข้อเสนอแนะ"]))
    summary = line_user.say("อยากให้เปิดบริการช่วงพักเที่ยงด้วยค่ะ")
    line_user.tap(postbacks(summary)[texts.F_SEND])
    assert db.session.scalar(select(Feedback)).topic == "suggestion"


def test_a_status_push_names_the_complaint_and_offers_to_see_its_status(app, officer, line_user, fake_line):
    code, complaint, key = _case(app, officer, line_user, fake_line)
    before = len(fake_line.requests())
    change_status(officer, complaint, key, "in_progress", "รับเรื่อง", reply="กำลังตรวจสอบ")
    db.commit()
    line_user.drain()
    [push] = fake_line.delivered(before)
    [message] = push["body"]["messages"]
    category = app.config["PROFILE"].category_name(complaint.category)
    assert category in message["text"] and "แจ้งเมื่อ" in message["text"] and code not in message["text"]
    [quick] = message["quickReply"]["items"]
    assert quick["action"] == {"type": "message", "label": texts.Q_SEE_STATUS, "text": texts.CMD_TRACKING}
    assert texts.T_ASK in texts_of(line_user.say(quick["action"]["text"]))


def test_a_mention_and_a_command_in_a_group_work_as_the_plain_command(app, line_user, fake_line):
    group = {"type": "group", "groupId": "C" + "2" * 32, "userId": line_user.user_id}
    text = f"@สุจริต {texts.CMD_TRACKING}"
    mentioned = event("text", line_user.user_id, text=text, source=group)
    mentioned["message"]["mention"] = {"mentionees": [{"index": 0, "length": 7, "type": "user", "isSelf": True}]}
    plain = event("text", line_user.user_id, text=texts.CMD_TRACKING, source=group)
    answers = []
    for the_event in (mentioned, plain):
        before = len(fake_line.requests())
        assert line_user.post(the_event).status_code == 200
        line_user.drain()
        answers.append(texts_of([m for r in fake_line.delivered(before) for m in r["body"]["messages"]]))
    assert answers[0] == answers[1] and "ไม่รับเรื่องร้องเรียนในกลุ่มแชท" in answers[0]
    other = event("text", line_user.user_id, text=f"@คนอื่น {texts.CMD_TRACKING}", source=group)
    other["message"]["mention"] = {"mentionees": [{"index": 0, "length": 6, "type": "user", "isSelf": False}]}
    before = len(fake_line.requests())
    line_user.post(other)
    line_user.drain()
    assert fake_line.delivered(before) == []  # a message to someone else is not a command to the bot
