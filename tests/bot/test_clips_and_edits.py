"""Evidence in all the forms people have (video and voice clips), and messages unsent or edited mid-dialog."""
from __future__ import annotations

import io

from sqlalchemy import select

from bot import texts
from intake.evidence import ACCEPTED, sniff
from models import Attachment, Complaint, crypto, db
from tests.bot.conftest import event, postbacks, texts_of
from tests.conftest import OFFICER_PASSWORD
from tests.intake.helpers import complaint_form, count
from tests.conftest import page_text

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 4000
M4A = b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00M4A mp42isom" + b"\x00" * 2000


def _start(user) -> None:
    choose = postbacks(user.say(texts.CMD_COMPLAINT))
    assert "ขั้นที่ 2/5" in texts_of(user.tap(next(d for label, d in choose.items() if "สินบน" in label)))


def _post(user, the_event) -> list[dict]:
    before = len(user.fake.requests())
    assert user.post(the_event).status_code == 200
    user.drain()
    return [m for r in user.fake.delivered(before) for m in r["body"]["messages"]]


def _said(user, text: str) -> str:
    """Send a text and return its LINE message id."""
    the_event = event("text", user.user_id, text=text)
    _post(user, the_event)
    return the_event["message"]["id"]


def _to_summary(user) -> list[dict]:
    user.say(texts.Q_EVIDENCE_DONE)
    user.say(texts.C_ANONYMOUS)
    return user.say(texts.C_UPDATES_NO)


def test_clips_are_judged_from_their_content():
    assert sniff(MP4)[:2] == ("video/mp4", "video") and sniff(M4A)[:2] == ("audio/mp4", "audio")
    assert sniff(b"\x1aE\xdf\xa3" + b"\x00" * 10)[1] == "video" and sniff(b"ID3\x04" + b"\x00" * 10)[1] == "audio"
    assert sniff(b"#!AMR\n")[1] == "audio" and sniff(b"RIFF\x00\x00\x00\x00WAVEfmt ")[1] == "audio"
    assert sniff(b"MZ\x90\x00 video.mp4") is None


def test_a_video_and_a_voice_clip_as_evidence_in_line(app, officer, line_user, fake_line):
    _start(line_user)
    line_user.say("เจ้าหน้าที่เรียกเงินค่าอนุญาตโดยไม่มีใบเสร็จ")
    line_user.say(texts.Q_DONE_DETAILS)
    fake_line.seed("700001", MP4, "video/mp4")
    fake_line.seed("700002", M4A, "audio/x-m4a")
    before = len(fake_line.requests())
    assert "ได้รับคลิปวิดีโอแล้ว" in texts_of(line_user.send("video", message_id="700001"))
    loading = [c for c in fake_line.requests(before) if c["path"] == "/v2/bot/chat/loading/start"]
    assert [c["body"]["chatId"] for c in loading] == [line_user.user_id]  # the dots while the clip downloads
    assert "ได้รับคลิปเสียงแล้ว" in texts_of(line_user.send("audio", message_id="700002"))
    summary = _to_summary(line_user)
    assert "2 รายการ" in texts_of(summary)
    line_user.tap(postbacks(summary)[texts.C_CONFIRM])
    kinds = sorted(a.kind for a in db.session.scalars(select(Attachment)))
    media = sorted(a.media_type for a in db.session.scalars(select(Attachment)))
    assert kinds == ["audio", "video"] and media == ["audio/mp4", "video/mp4"]


def test_a_clip_over_the_limit_and_an_unknown_file_get_clear_messages(app, line_user, fake_line):
    app.config["SETTINGS"] = app.config["SETTINGS"].with_overrides(max_clip_bytes=1024 * 1024)
    _start(line_user)
    line_user.say("เจ้าหน้าที่เรียกเงินค่าอนุญาตโดยไม่มีใบเสร็จ")
    line_user.say(texts.Q_DONE_DETAILS)
    fake_line.seed("700003", MP4 + b"\x00" * (1024 * 1024), "video/mp4")
    refused = texts_of(line_user.send("video", message_id="700003"))
    assert "คลิป" in refused and "เกิน 1 MB" in refused
    fake_line.seed("700004", b"\x7fELF not a clip", "application/octet-stream")
    assert ACCEPTED in texts_of(line_user.send("file", message_id="700004", file_name="clip.mp4"))


def test_a_video_on_the_web_form(app, client, officer, recovery_key):
    data = {"category": "bribery", "details": "เจ้าหน้าที่เรียกเงินเพื่อเร่งออกใบอนุญาตก่อสร้าง",
            **complaint_form(client), "evidence": (io.BytesIO(MP4), "คลิป.mp4")}
    response = client.post("/complaint", data=data, content_type="multipart/form-data")
    assert response.status_code == 200, page_text(response)[:500]
    assert count(Complaint) == 1
    [clip] = db.session.scalars(select(Attachment)).all()
    assert (clip.kind, clip.media_type, clip.size_bytes) == ("video", "video/mp4", crypto.padded_size(len(MP4)))


def test_unsent_messages_leave_the_draft_and_the_summary_shows_it(app, officer, line_user, fake_line):
    _start(line_user)
    _said(line_user, "เจ้าหน้าที่เรียกเงินค่าอนุญาตโดยไม่มีใบเสร็จ")
    typo = _said(line_user, "ข้อความนี้พิมพ์ผิดห้องแชท")
    unsend = event("text", line_user.user_id, text="-")
    unsend.pop("message"), unsend.pop("replyToken")
    unsend.update(type="unsend", unsend={"messageId": typo})
    assert _post(line_user, unsend) == []  # LINE gives no reply token for an unsend
    line_user.say(texts.Q_DONE_DETAILS)
    fake_line.seed("800001", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    assert "หลักฐาน 1/5" in texts_of(line_user.send("image", message_id="800001"))
    _post(line_user, dict(unsend, webhookEventId=unsend["webhookEventId"][:-1] + "Z", unsend={"messageId": "800001"}))
    summary = texts_of(_to_summary(line_user))
    assert "ข้อความนี้พิมพ์ผิด" not in summary and "เรียกเงินค่าอนุญาต" in summary and "0 รายการ" in summary


def test_an_edited_message_replaces_the_original_and_confirming_shows_changes_first(app, officer, line_user,
                                                                                    fake_line):
    _start(line_user)
    first = _said(line_user, "เจ้าหน้าที่เรียกเงินห้าพันบาท")
    second = _said(line_user, "ที่สำนักงานเมื่อวันจันทร์")
    line_user.say(texts.Q_DONE_DETAILS)
    summary = _to_summary(line_user)
    confirm = postbacks(summary)[texts.C_CONFIRM]
    edited = event("text", line_user.user_id, text="-")
    edited.update(type="messageEdited", timestamp=edited["timestamp"] + 1000,
                  message={"type": "text", "id": first, "text": "เจ้าหน้าที่เรียกเงินสามพันบาท"})
    answer = texts_of(_post(line_user, edited))
    assert texts.C_EDITED in answer and "สามพันบาท" in answer and "ห้าพันบาท" not in answer  # the new summary
    older = dict(edited, webhookEventId=edited["webhookEventId"][:-1] + "Y", timestamp=edited["timestamp"] - 500,
                 message={"type": "text", "id": first, "text": "ฉบับแก้ที่มาช้ากว่า"})
    _post(line_user, older)  # edits may arrive out of order: the latest timestamp stays
    unsend = dict(edited, type="unsend", webhookEventId=edited["webhookEventId"][:-1] + "X", unsend={"messageId": second})
    unsend.pop("message"), unsend.pop("replyToken")
    _post(line_user, unsend)
    again = texts_of(line_user.tap(confirm))
    assert texts.C_REVISED in again and "วันจันทร์" not in again  # not filed: the changed summary first
    assert count(Complaint) == 0
    line_user.tap(confirm)
    complaint = db.session.scalar(select(Complaint))
    details = complaint.open_with(officer.recipient_label, officer.unlock_private_key(OFFICER_PASSWORD)).content().details
    assert details == "เจ้าหน้าที่เรียกเงินสามพันบาท"
