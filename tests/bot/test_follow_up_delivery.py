"""The two-way follow-up in LINE: an officer's question is pushed to a filer who asked for updates, and the
staff group hears (without content) that a complainant added something."""
from __future__ import annotations

import dataclasses
import re

from bot import texts
from intake.followup import add_follow_up
from models import Complaint, db, server_keys
from staff import casedesk
from tests.bot.conftest import texts_of
from tests.bot.test_complaint_dialog import _file_complaint
from tests.conftest import OFFICER_PASSWORD

QUESTION = "ท่านพอจำชื่อเจ้าหน้าที่ได้หรือไม่"


def _filed(line_user, fake_line):
    receipt = _file_complaint(line_user, fake_line, wants_updates=True)
    code = re.search(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){3}", texts_of(receipt)).group(0)
    return code, Complaint.find_by_code(db.session, server_keys().index, code)


def test_an_officers_question_is_pushed_with_where_to_answer(app, officer, line_user, fake_line):
    code, complaint = _filed(line_user, fake_line)
    casedesk.ask_question(officer, complaint, officer.unlock_private_key(OFFICER_PASSWORD), QUESTION)
    db.commit()
    before = len(fake_line.requests())
    line_user.drain()
    [push] = fake_line.delivered(before)
    assert push["path"] == "/v2/bot/message/push" and push["body"]["to"] == line_user.user_id
    words = texts_of(push["body"]["messages"])
    assert QUESTION in words and f"{app.config['SETTINGS'].public_base_url}/track" in words and code not in words


def test_staff_group_hears_of_a_follow_up_without_content(app, officer, line_user, fake_line):
    group = "C" + "b" * 32
    app.config["PROFILE"] = dataclasses.replace(app.config["PROFILE"], staff_group_id=group)
    code, _complaint = _filed(line_user, fake_line)
    line_user.drain()
    before = len(fake_line.requests())
    assert add_follow_up(code, "ชื่อนายสมชาย ฝ่ายโยธา", [])
    db.commit()
    line_user.drain()
    alerts = [c for c in fake_line.delivered(before) if c["body"].get("to") == group]
    assert [texts_of(a["body"]["messages"]) for a in alerts] == [texts.STAFF_FOLLOW_UP]


def test_tracking_in_line_shows_the_offices_question_not_the_complainants_answer(app, officer, line_user,
                                                                                 fake_line):
    code, complaint = _filed(line_user, fake_line)
    casedesk.ask_question(officer, complaint, officer.unlock_private_key(OFFICER_PASSWORD), QUESTION)
    assert add_follow_up(code, "ชื่อนายสมชาย ฝ่ายโยธา", [])
    db.commit()
    line_user.drain()
    line_user.say(texts.CMD_TRACKING)
    words = texts_of(line_user.say(code))
    assert f"{texts.T_QUESTION}: {QUESTION}" in words and "นายสมชาย" not in words
