"""The case desk as an office works it: desk intake, reference numbers, assignment, forwarding, sealed subjects,
search, inline previews, the two-way follow-up behind the tracking code and the reply letter."""
from __future__ import annotations

import io
import re
import unicodedata
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy import select

from config.thai import to_local
from intake.reference import fiscal_year_be
from intake.signals import complaint_followed_up, complaint_status_changed
from intake.tracking import track
from models import AuditEntry, Complaint, db, server_keys, utcnow
from staff import casedesk
from staff.reply_letter import ReplyLetter
from tests.staff.conftest import PNG, SECRET_DETAILS, csrf_token, file_sample
from tests.conftest import page_text

PDF = b"%PDF-1.4\n% scanned letter\n"


def _complaint(receipt) -> Complaint:
    db.session.expire_all()
    return Complaint.find_by_code(db.session, server_keys().index, receipt.tracking_code)


def _actions(staff_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.staff_id == staff_id)
                                   .order_by(AuditEntry.id)))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_a_letter_registered_at_the_desk_is_filed_like_the_web_and_gets_a_slip(app, client, officer_account,
                                                                                recovery_key):
    officer_account.sign_in(client)
    token = csrf_token(client, "/staff/cases/new")
    refused = client.post("/staff/cases/new", data={"channel": "letter", "category": "bribery", "details": "สั้น",
                                                    "csrf_token": token})
    assert refused.status_code == 400
    page = page_text(refused)
    assert "อย่างน้อย 10 ตัวอักษร" in page and "สั้น" in page  # the form keeps what was typed
    response = client.post("/staff/cases/new", content_type="multipart/form-data", data={
        "channel": "letter", "category": "bribery", "details": SECRET_DETAILS, "identity": "anonymous",
        "received_on": to_local(utcnow()).date().isoformat(), "csrf_token": token,
        "evidence": [(io.BytesIO(PDF), "หนังสือร้องเรียน.pdf")]})
    assert response.status_code == 200
    slip = page_text(response)
    code = re.search(r'data-testid="slip-code">([0-9A-Z-]{19})<', slip).group(1)
    year = fiscal_year_be(utcnow())
    assert f"ร.1/{year}" in slip
    complaint = Complaint.find_by_code(db.session, server_keys().index, code)
    assert complaint.channel == "letter" and (complaint.reference_year, complaint.reference_number) == (year, 1)
    assert [a.media_type for a in complaint.attachments] == ["application/pdf"]
    preview = client.get(f"/staff/cases/{complaint.id}/preview/{complaint.attachments[0].id}")
    assert preview.data == PDF and preview.mimetype == "application/pdf"
    assert preview.headers["X-Frame-Options"] == "SAMEORIGIN" and preview.headers["Cache-Control"] == "no-store"
    assert "<iframe" in page_text(client.get(f"/staff/cases/{complaint.id}"))  # shown in the page
    assert client.get(f"/staff/cases/{complaint.id}/print").status_code == 200
    assert "complaint.print" in _actions(officer_account.user.id)
    assert SECRET_DETAILS.encode() not in complaint.details_sealed
    assert "complaint.register" in _actions(officer_account.user.id)
    web = file_sample()
    assert web.reference == f"ร.2/{year}"  # one running number for every channel


def test_reference_numbers_restart_each_fiscal_year(app, recovery_key, officer):
    from intake.complaints import ComplaintDraft, file_complaint

    draft = ComplaintDraft(category="bribery", details=SECRET_DETAILS)
    now = utcnow()
    receipts = [file_complaint(draft, channel="phone", now=now - timedelta(days=400)),
                file_complaint(draft, channel="phone", now=now), file_complaint(draft, channel="phone", now=now)]
    db.commit()
    years = [fiscal_year_be(now - timedelta(days=400)), fiscal_year_be(now), fiscal_year_be(now)]
    assert [r.reference for r in receipts] == [f"ร.1/{years[0]}", f"ร.1/{years[1]}", f"ร.2/{years[1]}"]


def test_assignment_subject_and_forwarding_show_in_the_list_and_search_finds_cases(app, client, officer_account,
                                                                                  recovery_key):
    first, second = file_sample(), file_sample()
    complaint = _complaint(second)
    officer_account.sign_in(client)
    url = f"/staff/cases/{complaint.id}"
    token = csrf_token(client, url)
    subject = "ปลัดฝ่ายโยธาเรียกเงินค่าใบอนุญาต"
    client.post(f"{url}/handling", data={"subject": subject, "assignee": str(officer_account.user.id),
                                         "division": "engineering", "csrf_token": token})
    bad = client.post(f"{url}/forwarding", data={"agency": "สำนักงาน ป.ป.ช. ประจำจังหวัด", "forwarded_on": "2020-01-01",
                                                 "csrf_token": token}, follow_redirects=True)
    assert "วันที่ส่งต่อต้องอยู่ระหว่างวันที่รับเรื่องกับวันนี้" in page_text(bad)
    client.post(f"{url}/forwarding", data={"agency": "สำนักงาน ป.ป.ช. ประจำจังหวัด", "csrf_token": token,
                                           "forwarded_on": to_local(utcnow()).date().isoformat()})
    complaint = _complaint(second)
    assert complaint.assigned_staff_id == officer_account.user.id and complaint.division == "engineering"
    assert complaint.forwarded_to == "สำนักงาน ป.ป.ช. ประจำจังหวัด" and complaint.forwarded_at is not None
    assert complaint.subject_sealed and subject.encode() not in complaint.subject_sealed  # sealed at rest
    listed = page_text(client.get("/staff/cases/", query_string={"assigned": "me"}))
    assert subject in listed and second.reference in listed and first.reference not in listed
    assert "กองช่าง" in listed
    token = csrf_token(client, "/staff/cases/")
    by_reference = client.post("/staff/cases/find", data={"q": second.reference, "csrf_token": token})
    assert by_reference.headers["Location"] == f"/staff/cases/{complaint.id}"
    by_code = client.post("/staff/cases/find", data={"q": first.tracking_code.lower(), "csrf_token": token})
    assert by_code.headers["Location"] == f"/staff/cases/{_complaint(first).id}"
    for nonsense in ("อะไรก็ได้", "ร.999/2500"):
        missing = client.post("/staff/cases/find", data={"q": nonsense, "csrf_token": token}, follow_redirects=True)
        assert "ไม่พบเรื่องตามเลขรับหรือรหัสติดตามนี้" in page_text(missing)
    assert not any(first.tracking_code in (e.detail or "") for e in db.session.scalars(select(AuditEntry)))
    oldest = page_text(client.get("/staff/cases/", query_string={"sort": "oldest"}))
    assert oldest.index(first.reference) < oldest.index(second.reference)
    actions = _actions(officer_account.user.id)
    assert "complaint.assign" in actions and "complaint.forwarded" in actions
    assert not any(subject in (e.detail or "") for e in db.session.scalars(select(AuditEntry)))


def test_without_an_unlocked_key_the_list_shows_no_subject(app, officer_account, recovery_key):
    complaint = _complaint(file_sample())
    opened = complaint.open_with(*_officer_key(officer_account))
    opened.seal_subject("เรื่องย่อที่ลับ")
    db.commit()
    rows = casedesk.list_cases(officer_account.user, casedesk.CaseFilters()).rows
    assert [r.subject for r in rows] == [""]
    rows = casedesk.list_cases(officer_account.user, casedesk.CaseFilters(), _officer_key(officer_account)[1]).rows
    assert [r.subject for r in rows] == ["เรื่องย่อที่ลับ"]


def _officer_key(account):
    return account.user.recipient_label, account.user.unlock_private_key(account.password)


def test_question_and_anonymous_answer_with_evidence_behind_the_tracking_code(app, client, officer_account,
                                                                             recovery_key):
    line_user = "U" + "b" * 32
    receipt = file_sample("line", line_user=line_user)
    complaint = _complaint(receipt)
    officer_account.sign_in(client)
    url = f"/staff/cases/{complaint.id}"
    heard, told = [], []

    def hear(_sender, **kw):
        heard.append(kw)

    def tell(_sender, **kw):
        told.append(kw)

    complaint_status_changed.connect(hear)
    complaint_followed_up.connect(tell)
    try:
        empty = client.post(f"{url}/question", data={"question": " ", "csrf_token": csrf_token(client, url)},
                            follow_redirects=True)
        assert "กรุณาพิมพ์คำถาม" in page_text(empty)
        question = "ท่านจำวันที่จ่ายเงินได้หรือไม่"
        client.post(f"{url}/question", data={"question": question, "csrf_token": csrf_token(client, url)})
        view = track(receipt.tracking_code)
        assert view.open_question and [(s.kind, s.reply) for s in view.history if s.kind] == [("question", question)]
        assert heard[-1]["kind"] == "question" and heard[-1]["reply"] == question and heard[-1]["line_user"] == line_user

        citizen = app.test_client()
        token = csrf_token(citizen, "/track")
        nothing = citizen.post("/track/answer", data={"code": receipt.tracking_code, "text": "", "csrf_token": token})
        assert nothing.status_code == 400 and "กรุณาพิมพ์ข้อความหรือแนบหลักฐาน" in page_text(nothing)
        answer = "จ่ายวันที่ 3 มีนาคม ที่ห้องงานโยธา มีพยานสองคน"
        sent = citizen.post("/track/answer", content_type="multipart/form-data", data={
            "code": receipt.tracking_code, "text": answer, "csrf_token": token,
            "evidence": [(io.BytesIO(PNG), "สลิปโอนเงิน.png")]})
        assert sent.status_code == 200 and answer in page_text(sent)
        assert told == [{"complaint_id": complaint.id}]
        for wrong_code in ("0000-0000-0000-0000", "not a code"):
            wrong = citizen.post("/track/answer", data={"code": wrong_code, "text": "x" * 20, "csrf_token": token})
            assert wrong.status_code == 404
    finally:
        complaint_status_changed.disconnect(hear)
        complaint_followed_up.disconnect(tell)

    complaint = _complaint(receipt)
    event = complaint.events[-1]
    assert event.kind == "answer" and event.staff_id is None and answer.encode() not in event.reply_sealed
    added = [a for a in complaint.attachments if a.shared_with_citizen]
    assert len(added) == 1 and PNG not in added[0].content_sealed and complaint.citizen_wrote_at is not None
    assert "ผู้ร้องส่งข้อความใหม่" in page_text(client.get("/staff/cases/"))  # the officer is told
    page = page_text(client.get(url))
    assert answer in page and question in page and "สลิปโอนเงิน.png" in page
    assert _complaint(receipt).citizen_wrote_at is None  # seen
    preview = client.get(f"{url}/preview/{added[0].id}")
    assert preview.status_code == 200 and preview.data == PNG and preview.mimetype == "image/png"
    assert preview.headers["Content-Disposition"] == "inline" and preview.headers["Cache-Control"] == "no-store"
    assert "evidence.preview" in _actions(officer_account.user.id)


def test_reply_letter_pdf_text_equals_its_source_and_reaches_the_complainant(app, client, officer_account,
                                                                             recovery_key):
    receipt = file_sample()
    complaint = _complaint(receipt)
    officer_account.sign_in(client)
    url = f"/staff/cases/{complaint.id}"
    body = ("ตามที่ท่านได้ร้องเรียนกรณีเจ้าหน้าที่เรียกรับเงินเพื่อเร่งออกใบอนุญาต หน่วยงานได้ตั้งคณะกรรมการ"
            "สอบข้อเท็จจริงแล้ว ผลปรากฏว่ามีมูล และได้ดำเนินการทางวินัยตามระเบียบแล้ว")
    response = client.post(f"{url}/letter", data={"number": "นม 71201/123", "to": "ผู้ร้องเรียน",
                                                  "subject": "แจ้งผลการพิจารณาเรื่องร้องเรียน", "body": body,
                                                  "csrf_token": csrf_token(client, url)})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    with app.test_request_context():
        source = ReplyLetter(number="นม 71201/123", date=utcnow(), subject="แจ้งผลการพิจารณาเรื่องร้องเรียน",
                             to="ผู้ร้องเรียน", body=body,
                             reference=casedesk.cited_complaint(_complaint(receipt))).lines()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert _squash(text) == _squash("".join(source))
    view = track(receipt.tracking_code)
    files = [f for s in view.history for f in s.files]
    assert [f.media_type for f in files] == ["application/pdf"]
    citizen = app.test_client()
    download = citizen.post(f"/track/file/{files[0].id}", data={"code": receipt.tracking_code,
                                                                "csrf_token": csrf_token(citizen, "/track")})
    assert download.status_code == 200 and download.data == response.data
    assert "complaint.letter" in _actions(officer_account.user.id)


def test_feedback_inbox_reads_routes_and_handles_and_the_year_counts_it(app, client, officer_account, accounts):
    from intake.feedback import record_feedback
    from stats.feedback import feedback_counts
    from stats.fiscal import whole_year

    web = record_feedback("suggestion", "อยากให้มีที่จอดรถเพิ่ม", contact="อีเมล a@example.com", channel="web")
    record_feedback("praise", "เจ้าหน้าที่กองคลังบริการดีมาก", channel="line")
    db.commit()
    assert web.text_enc and "ที่จอดรถ".encode() not in web.text_enc  # tier C at rest
    accounts["executive"].sign_in(client)
    assert client.get("/staff/feedback/").status_code == 403
    client = app.test_client()
    officer_account.sign_in(client)
    listed = page_text(client.get("/staff/feedback/"))
    assert listed.count("/staff/feedback/") >= 2 and "อยากให้มีที่จอดรถเพิ่ม" not in listed
    url = f"/staff/feedback/{web.id}"
    page = page_text(client.get(url))
    assert "อยากให้มีที่จอดรถเพิ่ม" in page and "a@example.com" in page
    bad = client.post(f"{url}/route", data={"division": "nowhere", "csrf_token": csrf_token(client, url)},
                      follow_redirects=True)
    assert "กรุณาเลือกหน่วยงานจากรายการ" in page_text(bad)
    client.post(f"{url}/route", data={"division": "palad", "csrf_token": csrf_token(client, url)})
    client.post(f"{url}/handled", data={"handled": "1", "csrf_token": csrf_token(client, url)})
    db.session.expire_all()
    assert web.division == "palad" and web.handled_at is not None
    counts = feedback_counts(whole_year(fiscal_year_be(utcnow())))
    assert (counts.received, counts.handled, counts.by_channel, counts.by_topic) == (
        2, 1, {"web": 1, "line": 1}, {"suggestion": 1, "praise": 1})
    assert "ดำเนินการแล้ว" in page_text(client.get("/staff/feedback/", query_string={"state": "handled"}))
    actions = _actions(officer_account.user.id)
    assert {"feedback.list", "feedback.view", "feedback.route", "feedback.handled"} <= set(actions)
    assert not any("ที่จอดรถ" in (e.detail or "") for e in db.session.scalars(select(AuditEntry)))
