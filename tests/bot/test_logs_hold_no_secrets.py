"""A whole case, from a LINE complaint to the officer's reply, logs no content, identity or code.

The records are read as the code emits them (pytest's handler sits before the redaction filter), with
SQLAlchemy's statement log switched on, so neither a log call nor a query parameter can carry a secret.
"""
from __future__ import annotations

import logging

from models import Complaint, db, server_keys
from staff import casedesk
from tests.bot.conftest import texts_of
from tests.bot.test_complaint_dialog import _file_complaint
from tests.conftest import OFFICER_PASSWORD
from tests.intake.helpers import csrf_token

REPLY = "ผลการตรวจสอบ: ได้ตั้งกรรมการสอบข้อเท็จจริงแล้ว-RQ42"


def test_a_whole_case_leaves_no_secret_in_the_logs(app, client, officer, line_user, fake_line, caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    try:
        receipt = _file_complaint(line_user, fake_line, wants_updates=True)
        code = receipt[-1]["text"].rsplit(" ", 1)[-1]
        tracked = client.post("/track", data={"csrf_token": csrf_token(client, "/track"), "code": code})
        assert tracked.status_code == 200

        complaint = Complaint.find_by_code(db.session, server_keys().index, code)
        key = officer.unlock_private_key(OFFICER_PASSWORD)
        casedesk.view_case(officer, complaint, key)
        casedesk.change_status(officer, complaint, key, "completed", "สอบแล้วพบมูล", reply=REPLY)
        db.commit()
        line_user.drain()
        assert REPLY in texts_of([m for r in fake_line.delivered() for m in r["body"]["messages"]])
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    assert "INSERT INTO complaints" in logged  # the statement log really was captured
    for secret in (code, code.replace("-", ""), line_user.user_id, "เจ้าหน้าที่กองช่างเรียกเงิน", "ใบอนุญาตก่อสร้าง",
                   "สอบแล้วพบมูล", "RQ42"):
        assert secret not in logged, f"{secret!r} reached a log record"
