"""The case desk: filters and counts, opening sealed content, status changes with replies, evidence, audit."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import time_machine
from sqlalchemy import select

from intake.complaints import ComplaintDraft, file_complaint
from intake.evidence import Evidence
from intake.signals import complaint_status_changed
from intake.tracking import track
from models import AuditEntry, Complaint, ComplaintStatus, db, server_keys, utcnow
from config.thai import BANGKOK, to_local
from stats.fiscal import Month
from tests.staff.conftest import PNG, SECRET_ACCUSED, SECRET_DETAILS, SECRET_NAME, csrf_token, file_sample
from tests.conftest import page_text


def _complaint(receipt) -> Complaint:
    return Complaint.find_by_code(db.session, server_keys().index, receipt.tracking_code)


def _audited(action: str, staff_id: int) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action,
                                                             AuditEntry.staff_id == staff_id)))


def test_list_filters_by_status_category_channel_month_and_overdue(app, client, officer_account, recovery_key):
    web = file_sample("web", category="bribery")
    line = file_sample("line", category="procurement")
    with time_machine.travel(utcnow() - timedelta(days=40)):
        old = file_sample("web", category="bribery")
    officer_account.sign_in(client)

    def listed(**args):
        page = page_text(client.get("/staff/cases/", query_string=args))
        return {str(_complaint(r).id) for r in (web, line, old) if str(_complaint(r).id) in page}

    everything = listed()
    assert len(everything) == 3
    assert listed(channel="line") == {str(_complaint(line).id)}
    assert listed(category="bribery") == {str(_complaint(web).id), str(_complaint(old).id)}
    assert listed(overdue="1") == {str(_complaint(old).id)}  # 40 days > the profile's 15-day target
    assert listed(month=Month.of(to_local(_complaint(old).received_at).date()).iso()) == {str(_complaint(old).id)}
    assert listed(month=Month.of(to_local(utcnow()).date()).iso()) == {str(_complaint(web).id), str(_complaint(line).id)}
    assert listed(status="completed") == set()
    page = page_text(client.get("/staff/cases/"))
    assert 'data-status="received">3<' in page and "เกินกำหนด" in page
    # The list is plain metadata: no sealed word appears in it.
    assert SECRET_DETAILS not in page and SECRET_NAME not in page
    assert _audited("complaint.list", officer_account.user.id)


def test_the_month_filter_offers_thai_months_of_buddhist_era_fiscal_years(app, client, officer_account, recovery_key):
    with time_machine.travel(datetime(2026, 9, 30, 16, 30, tzinfo=BANGKOK)):  # the last evening of FY 2569
        september = file_sample("web")
    with time_machine.travel(datetime(2026, 11, 10, 9, 0, tzinfo=BANGKOK)):
        november = file_sample("web")
        officer_account.sign_in(client)
        page = page_text(client.get("/staff/cases/", query_string={"month": "2569-09"}))
        assert 'type="month"' not in page
        years = re.findall(r'<optgroup label="([^"]+)">', page)
        assert years == ["ปีงบประมาณ 2570", "ปีงบประมาณ 2569", "ปีงบประมาณ 2568"]
        options = re.findall(r'<option value="(25\d\d-\d\d)"( selected)?>([^<]+)</option>', page)
        assert options[:3] == [("2569-11", "", "พฤศจิกายน 2569"), ("2569-10", "", "ตุลาคม 2569"),
                               ("2569-09", " selected", "กันยายน 2569")]
        assert "2569-12" not in page  # a month that has not begun is not offered
        ids = {str(_complaint(r).id): r for r in (september, november)}
        listed = {i for i in ids if f"/staff/cases/{i}\"" in page}
        assert listed == {str(_complaint(september).id)}
        # A Common-Era month in an old link still means the same month.
        again = page_text(client.get("/staff/cases/", query_string={"month": "2026-09"}))
        assert '<option value="2569-09" selected>' in again and f"/staff/cases/{_complaint(november).id}\"" not in again
        # An old month from a link is offered with its own year, not a run of every year in between.
        old = page_text(client.get("/staff/cases/", query_string={"month": "2001-05"}))
        assert re.findall(r'<optgroup label="([^"]+)">', old)[-2:] == ["ปีงบประมาณ 2568", "ปีงบประมาณ 2544"]
        assert '<option value="2544-05" selected>' in old


def test_viewing_a_case_opens_sealed_fields_and_is_audited(app, client, officer_account, recovery_key):
    receipt = file_sample(evidence=True)
    complaint = _complaint(receipt)
    officer_account.sign_in(client)
    page = page_text(client.get(f"/staff/cases/{complaint.id}"))
    assert SECRET_DETAILS in page and SECRET_ACCUSED in page and SECRET_NAME in page and "ใบเสร็จ.png" in page
    views = _audited("complaint.view", officer_account.user.id)
    assert len(views) == 1 and views[0].target_id == str(complaint.id)
    client.get(f"/staff/cases/{complaint.id}")
    assert len(_audited("complaint.view", officer_account.user.id)) == 2  # every view, not the first only
    # The audit log says who, when and what; never the content.
    assert all(SECRET_DETAILS not in (e.detail or "") for e in db.session.scalars(select(AuditEntry)))


def test_evidence_downloads_decrypted_and_audited(app, client, officer_account, recovery_key):
    complaint = _complaint(file_sample(evidence=True))
    attachment = complaint.attachments[0]
    officer_account.sign_in(client)
    response = client.get(f"/staff/cases/{complaint.id}/evidence/{attachment.id}")
    assert response.status_code == 200 and response.data == PNG and response.mimetype == "image/png"
    assert "attachment;" in response.headers["Content-Disposition"] and response.headers["Cache-Control"] == "no-store"
    entries = _audited("evidence.download", officer_account.user.id)
    assert [e.target_id for e in entries] == [str(attachment.id)]
    assert client.get(f"/staff/cases/{complaint.id}/evidence/not-an-id").status_code == 404


def test_status_change_needs_a_note_and_the_reply_reaches_tracking_and_the_bot_signal(app, client, officer_account,
                                                                                      recovery_key):
    receipt = file_sample("line", line_user="U" + "a" * 32)
    complaint = _complaint(receipt)
    officer_account.sign_in(client)
    url = f"/staff/cases/{complaint.id}"
    token = csrf_token(client, url)
    heard = []

    def listener(_sender, **kw):
        heard.append(kw)

    complaint_status_changed.connect(listener)
    try:
        response = client.post(f"{url}/status", data={"status": "in_progress", "note": " ", "csrf_token": token},
                               follow_redirects=True)
        assert "กรุณากรอกบันทึก" in page_text(response)
        assert db.session.get(Complaint, complaint.id).status == ComplaintStatus.RECEIVED
        client.post(f"{url}/status", data={"status": "in_progress", "note": "มอบหมายนิติกรสอบข้อเท็จจริง",
                                           "csrf_token": token})
        client.post(f"{url}/status", data={"status": "completed", "note": "สอบแล้ว มีมูล ลงโทษทางวินัย",
                                           "reply": "หน่วยงานตรวจสอบแล้วและได้ดำเนินการทางวินัย", "csrf_token": token})
        refused = client.post(f"{url}/status", data={"status": "forwarded", "note": "ผิดขั้นตอน", "csrf_token": token},
                              follow_redirects=True)
        assert "เปลี่ยนสถานะจาก “ดำเนินการแล้วเสร็จ” เป็น “ส่งต่อหน่วยงานที่เกี่ยวข้องแล้ว” ไม่ได้" in page_text(refused)
    finally:
        complaint_status_changed.disconnect(listener)

    db.session.expire_all()
    complaint = db.session.get(Complaint, complaint.id)
    assert complaint.status == ComplaintStatus.COMPLETED and complaint.closed_at is not None
    view = track(receipt.tracking_code)
    assert view.status == ComplaintStatus.COMPLETED
    assert [s.reply for s in view.history if s.reply] == ["หน่วยงานตรวจสอบแล้วและได้ดำเนินการทางวินัย"]
    assert [(h["status"], h["reply"], h["line_user"]) for h in heard] == [
        (ComplaintStatus.IN_PROGRESS, "", "U" + "a" * 32),
        (ComplaintStatus.COMPLETED, "หน่วยงานตรวจสอบแล้วและได้ดำเนินการทางวินัย", "U" + "a" * 32)]
    page = page_text(client.get(url))
    assert "สอบแล้ว มีมูล ลงโทษทางวินัย" in page  # the sealed note opens for the officer
    assert len(_audited("complaint.status", officer_account.user.id)) == 2


def test_internal_note_and_reply_without_a_status_change(app, client, officer_account, recovery_key):
    receipt = file_sample()
    complaint = _complaint(receipt)
    officer_account.sign_in(client)
    url = f"/staff/cases/{complaint.id}"
    token = csrf_token(client, url)
    client.post(f"{url}/note", data={"note": "โทรหาผู้ร้องแล้ว ไม่รับสาย", "reply": "", "csrf_token": token})
    client.post(f"{url}/note", data={"note": "", "reply": "ขอเอกสารเพิ่มเติม โปรดติดต่อสำนักปลัด",
                                     "csrf_token": token})
    empty = client.post(f"{url}/note", data={"note": "", "reply": "", "csrf_token": token}, follow_redirects=True)
    assert "กรุณากรอกข้อความ" in page_text(empty)
    db.session.expire_all()
    complaint = db.session.get(Complaint, complaint.id)
    assert complaint.status == ComplaintStatus.RECEIVED and len(complaint.events) == 3
    assert "โทรหาผู้ร้องแล้ว".encode() not in complaint.events[1].note_sealed  # sealed at rest
    assert [s.reply for s in track(receipt.tracking_code).history if s.reply] == ["ขอเอกสารเพิ่มเติม โปรดติดต่อสำนักปลัด"]
    assert "โทรหาผู้ร้องแล้ว ไม่รับสาย" in page_text(client.get(url))
    assert _audited("complaint.note", officer_account.user.id) and _audited("complaint.reply", officer_account.user.id)


def test_the_list_pages_and_says_how_many_match(app, officer_account, recovery_key):
    from staff import casedesk

    receipts = [file_sample() for _ in range(3)]
    first = casedesk.list_cases(officer_account.user, casedesk.CaseFilters(), page_size=2)
    second = casedesk.list_cases(officer_account.user, casedesk.CaseFilters(page=2), page_size=2)
    assert (len(first.rows), len(second.rows), first.pages, first.matching, first.total) == (2, 1, 2, 3, 3)
    assert {r.id for r in first.rows + second.rows} == {_complaint(r).id for r in receipts}
    assert first.rows[0].reference == receipts[-1].reference  # newest first


GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


def test_evidence_is_named_by_the_office_with_the_sniffed_extension(app, client, officer_account, recovery_key):
    draft = ComplaintDraft(category="bribery", details=SECRET_DETAILS, evidence=[
        Evidence("image", "image/png", "ใบเสร็จ.html", PNG), Evidence("image", "image/gif", "run-me.hta", GIF)])
    receipt = file_complaint(draft, channel="web")
    db.commit()
    complaint = _complaint(receipt)
    officer_account.sign_in(client)
    reference = str(complaint.id).split("-")[0].upper()
    names = {}
    for attachment in complaint.attachments:
        response = client.get(f"/staff/cases/{complaint.id}/evidence/{attachment.id}")
        names[response.mimetype] = response.headers["Content-Disposition"]
    assert set(names) == {"image/png", "image/gif"}
    for media_type, disposition in names.items():
        name = re.fullmatch(r'attachment; filename="([^"]+)"', disposition).group(1)
        assert re.fullmatch(rf"sujarit-{reference}-evidence-[12]\.{media_type.split('/')[1]}", name), name
    assert ".html" not in " ".join(names.values()) and ".hta" not in " ".join(names.values())
