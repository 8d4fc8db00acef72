"""Staff in LINE: the one-time link code, the staff rich menu, the gift dialog, the check-in; citizens learn nothing."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, text

from bot import texts
from bot.outbox import claim_due, deliver
from config.thai import BANGKOK
from intake import staff_line
from models import GiftCheckin, GiftReport, Meta, StaffUser, db, utcnow
from staff.passwords import hash_password
from stats import nogift_clock
from tests.bot.conftest import LineUser, postbacks, texts_of


def _staff(username="somsri", roles="staff") -> StaffUser:
    user = StaffUser(username=username, display_name=f"สมศรี {username}", roles=roles, division="engineering",
                     password_hash=hash_password("staff-pass-1234"))
    db.session.add(user)
    db.commit()
    return user


def _link(line_user, user: StaffUser) -> list[dict]:
    code = staff_line.new_link_code(user)
    db.commit()
    return line_user.say(f"เชื่อมบัญชี {code}")


def _send_outbox() -> None:
    ids = claim_due(utcnow(), lease=timedelta(seconds=60))
    db.commit()
    for message_id in ids:
        deliver(message_id)


def test_a_code_links_once_and_the_link_is_a_hash_and_a_ciphertext(app, line_user, fake_line):
    user = _staff()
    code = staff_line.new_link_code(user)
    db.commit()
    messages = line_user.say(f"เชื่อมบัญชี {code.lower()}")
    assert "เชื่อมบัญชีเจ้าหน้าที่ของ สมศรี somsri แล้ว" in texts_of(messages)
    assert texts.CMD_GIFT in texts_of(messages)
    db.session.expire_all()
    assert staff_line.staff_for_line(line_user.user_id).id == user.id
    row = db.session.execute(text("SELECT * FROM staff_users WHERE id = :id"), {"id": user.id}).one()
    blob = b"".join(v if isinstance(v, (bytes, memoryview)) else str(v).encode() for v in row)
    assert line_user.user_id.encode() not in blob
    # The code works once: another LINE user typing it gets nowhere.
    stranger = LineUser(app, app.test_client(), fake_line)
    assert texts.S_LINK_FAILED in texts_of(stranger.say(f"เชื่อมบัญชี {code}"))
    assert staff_line.staff_for_line(stranger.user_id) is None


def test_linking_gives_the_staff_rich_menu_and_unlinking_takes_it_back(app, line_user, fake_line):
    result = app.test_cli_runner().invoke(args=["line", "richmenu", "--staff"])
    assert result.exit_code == 0, result.output
    menu_id = Meta.get(db.session, "line.staff_rich_menu")
    created = [c for c in fake_line.requests() if c["path"] == "/v2/bot/richmenu"][-1]["body"]
    assert [a["action"]["data"] for a in created["areas"]] == ["action=gift", "action=gift_checkin",
                                                              "action=gift_ack", "action=gift_reports"]
    assert not any(c["path"].startswith("/v2/bot/user/all/") for c in fake_line.requests())  # not the default
    user = _staff()
    _link(line_user, user)
    paths = [c["path"] for c in fake_line.requests()]
    assert f"/v2/bot/user/{line_user.user_id}/richmenu/{menu_id}" in paths
    staff_line.unlink(db.session.get(StaffUser, user.id), user)
    db.commit()
    unlinked = [c for c in fake_line.requests() if c["path"] == f"/v2/bot/user/{line_user.user_id}/richmenu"]
    assert unlinked and unlinked[-1]["method"] == "DELETE"
    assert texts_of(line_user.say(texts.CMD_GIFT)) == texts_of(line_user.say(texts.Q_SKIP))  # no longer staff


def test_citizens_get_the_same_answer_to_staff_words_as_to_any_other_button_word(app, line_user):
    stale_button = texts_of(line_user.say(texts.Q_SKIP))  # a button's word outside its step
    for word in (texts.CMD_GIFT, texts.CMD_CHECKIN, texts.CMD_ACK, texts.CMD_STAFF_REPORTS):
        assert texts_of(line_user.say(word)) == stale_button, word
    stale_postback = texts_of(line_user.tap("action=no_such_thing"))
    assert texts_of(line_user.tap("action=gift_nil&month=2025-03")) == stale_postback
    assert texts_of(line_user.tap("action=gift")) == stale_postback
    # In the middle of a complaint the words are what the citizen typed, not a command that interrupts.
    line_user.say(texts.CMD_COMPLAINT)
    line_user.say("1")
    assert "รับข้อความแล้ว" in texts_of(line_user.say(f"{texts.CMD_GIFT} ที่เจ้าหน้าที่เรียกเอาไปจากร้านค้า"))
    assert db.session.scalar(select(func.count()).select_from(GiftCheckin)) == 0


def test_a_gift_above_the_threshold_reported_in_line_is_flagged(app, line_user):
    user = _staff()
    _link(line_user, user)
    assert "ได้รับหรือมีผู้เสนอให้เมื่อวันที่เท่าไร" in texts_of(line_user.say(texts.CMD_GIFT))
    assert "ในโอกาสใด" in texts_of(line_user.say("2/1/2568"))
    choices = postbacks(line_user.say("x"))  # not understood: asked again, with the choices
    line_user.tap(choices["ปีใหม่"])
    kinds = postbacks(line_user.send("text", text="ไม่ใช่ตัวเลือก"))
    line_user.tap(kinds["ผู้รับจ้าง/ผู้ขาย"])
    line_user.say("บริษัท ก่อสร้างดี จำกัด")
    line_user.say("กระเช้าของขวัญพร้อมบัตรกำนัล")
    assert texts.G_VALUE_HINT in texts_of(line_user.say("ห้าพันบาท"))
    outcomes = postbacks(line_user.say("๕,๐๐๐"))
    summary = line_user.tap(outcomes["ส่งมอบให้หน่วยงาน"])
    assert "บริษัท ก่อสร้างดี จำกัด" in texts_of(summary) and "5,000 บาท" in texts_of(summary)
    done = line_user.tap(postbacks(summary)[texts.G_CONFIRM])
    assert texts.G_FLAGGED in texts_of(done)
    gift = db.session.scalar(select(GiftReport))
    assert gift.flagged and gift.channel == "line" and gift.value_baht == 5000 and gift.staff_id == user.id
    assert gift.received_on.isoformat() == "2025-01-02" and gift.division == "engineering"


def test_the_check_in_reaches_linked_staff_and_one_tap_answers_it(app, line_user, fake_line, time_machine):
    time_machine.move_to(datetime(2025, 3, 3, 9, 0, tzinfo=BANGKOK))  # Monday, the first working day of March
    user = _staff()
    _link(line_user, user)
    before = len(fake_line.requests())
    made = nogift_clock.run(utcnow(), lambda: True)
    assert ("checkin", "2025-02") in made
    _send_outbox()
    pushed = [m for r in fake_line.delivered(before) if r["body"]["to"] == line_user.user_id
              for m in r["body"]["messages"]]
    assert "เดือนที่ผ่านมามีผู้ให้ของขวัญหรือประโยชน์แก่ท่านหรือไม่ (กุมภาพันธ์ 2568)" in texts_of(pushed)
    answer = line_user.tap(postbacks(pushed)[texts.S_NIL])
    assert "บันทึกว่าเดือนกุมภาพันธ์ 2568ไม่มีผู้ให้" in texts_of(answer)
    checkin = db.session.scalar(select(GiftCheckin))
    assert (checkin.staff_id, checkin.month, checkin.answer, checkin.channel) == (user.id, "2025-02", "nil", "line")
