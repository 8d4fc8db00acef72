"""The gift register in the console: who reports, who reads (and who gets 403), flags, decisions, the audit trail."""
from __future__ import annotations

import hashlib
import io

from pypdf import PdfReader
from sqlalchemy import func, select

from intake.gifts import decide
from models import AuditEntry, DeclarationAck, GiftReport, NoGiftDeclaration, db, server_keys
from models.line import OutboxMessage
from models.report import ArchivedReport
from tests.models.test_confidentiality import database_bytes
from tests.staff.conftest import csrf_token, make_account
from tests.conftest import page_text

GIVER = "นายผู้รับเหมา ใจดีมาก"
WHAT = "กระเช้าของขวัญและบัตรกำนัลห้างสรรพสินค้า"


def _report(client, value="5000", outcome="kept", giver_kind="contractor"):
    return client.post("/staff/gifts/", data={
        "csrf_token": csrf_token(client, "/staff/gifts/"), "received_on": "2025-01-02", "occasion": "new_year",
        "giver_kind": giver_kind, "giver_name": GIVER, "description": WHAT, "value_baht": value, "outcome": outcome})


def _audits(action: str, gift_id) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == action, AuditEntry.target_id == str(gift_id)))


def test_any_staff_member_reports_and_a_gift_above_the_threshold_is_flagged(app, accounts):
    client = app.test_client()
    accounts["staff"].sign_in(client)
    response = _report(client, value="3,500", outcome="handed_over", giver_kind="citizen")
    assert response.status_code == 302
    page = page_text(client.get("/staff/gifts/"))
    assert "บันทึกรายงานแล้ว ส่งให้ผู้บริหารพิจารณา" in page and "รอผู้บริหารพิจารณา" in page
    gift = db.session.scalar(select(GiftReport))
    assert gift.flagged and gift.value_baht == 3500 and gift.channel == "web"
    assert _audits("gift.reported", gift.id) == 1


def test_within_the_threshold_or_declined_is_not_flagged_but_kept_from_a_contractor_is(app, accounts):
    client = app.test_client()
    accounts["staff"].sign_in(client)
    _report(client, value="3000", outcome="kept", giver_kind="citizen")
    _report(client, value="200", outcome="declined", giver_kind="contractor")
    _report(client, value="200", outcome="kept", giver_kind="contractor")
    flags = [g.flagged for g in db.session.scalars(select(GiftReport).order_by(GiftReport.reported_at))]
    assert flags == [False, False, True]


def test_bad_input_gets_thai_errors_and_keeps_what_was_typed(app, accounts):
    client = app.test_client()
    accounts["staff"].sign_in(client)
    page = page_text(_report(client, value="ห้าพัน"))
    assert "กรุณาระบุมูลค่าโดยประมาณเป็นจำนวนบาท" in page and GIVER in page
    assert db.session.scalar(select(func.count()).select_from(GiftReport)) == 0


def test_only_the_reporter_executives_and_integrity_officers_read_an_entry_and_each_view_is_audited(app, accounts):
    reporter = app.test_client()
    accounts["staff"].sign_in(reporter)
    _report(reporter)
    gift = db.session.scalar(select(GiftReport))
    url = f"/staff/gifts/{gift.id}"
    other = make_account("staff2", "staff")
    readers = {"staff": accounts["staff"], "executive": accounts["executive"], "integrity": accounts["integrity"]}
    refused = {"officer": accounts["officer"], "admin": accounts["admin"], "staff2": other}
    for name, account in readers.items():
        client = reporter if name == "staff" else app.test_client()
        if name != "staff":
            account.sign_in(client)
        response = client.get(url)
        assert response.status_code == 200, name
        assert GIVER in page_text(response) and WHAT in page_text(response)
    for name, account in refused.items():
        client = app.test_client()
        account.sign_in(client)
        response = client.get(url)
        assert response.status_code == 403, name
        assert GIVER not in page_text(response)
    db.session.expire_all()
    viewers = set(db.session.scalars(select(AuditEntry.staff_id).where(AuditEntry.action == "gift.view",
                                                                       AuditEntry.target_id == str(gift.id))))
    assert viewers == {a.user.id for a in readers.values()}
    refusals = set(db.session.scalars(select(AuditEntry.staff_id).where(AuditEntry.action == "gift.refused")))
    assert refusals == {a.user.id for a in refused.values()}
    # The register lists plain metadata only: readers see it, the names stay behind the audited view.
    client = app.test_client()
    accounts["executive"].sign_in(client)
    register = client.get("/staff/gifts/register")
    assert register.status_code == 200 and GIVER not in page_text(register)
    assert "รอผู้บริหารพิจารณา" in page_text(register)
    staff_client = app.test_client()
    other.sign_in(staff_client)
    assert staff_client.get("/staff/gifts/register").status_code == 403


def test_the_executive_decides_once_and_no_one_else_can(app, accounts):
    reporter = app.test_client()
    accounts["staff"].sign_in(reporter)
    _report(reporter)
    gift = db.session.scalar(select(GiftReport))
    integrity = app.test_client()
    accounts["integrity"].sign_in(integrity)
    url = f"/staff/gifts/{gift.id}/decide"
    token = csrf_token(integrity, f"/staff/gifts/{gift.id}")
    assert integrity.post(url, data={"csrf_token": token, "decision": "hand_over"}).status_code == 403
    executive = app.test_client()
    accounts["executive"].sign_in(executive)
    page = page_text(executive.get(f"/staff/gifts/{gift.id}"))
    assert "บันทึกคำวินิจฉัย" in page
    token = csrf_token(executive, f"/staff/gifts/{gift.id}")
    executive.post(url, data={"csrf_token": token, "decision": "hand_over", "note": "ส่งมอบเป็นของ อบต."})
    again = executive.post(url, data={"csrf_token": token, "decision": "allow_keep"}, follow_redirects=True)
    assert "รายการนี้มีคำวินิจฉัยแล้ว" in page_text(again)
    db.session.expire_all()
    gift = db.session.get(GiftReport, gift.id)
    assert gift.decision == "hand_over" and gift.decided_by == accounts["executive"].user.id
    assert _audits("gift.decided", gift.id) == 1
    mine = page_text(reporter.get(f"/staff/gifts/{gift.id}"))
    assert "ให้ส่งมอบเป็นของหน่วยงาน" in mine and "ส่งมอบเป็นของ อบต." in mine


def test_a_database_dump_holds_no_giver_description_note_or_line_id(app, accounts, settings):
    client = app.test_client()
    accounts["staff"].sign_in(client)
    _report(client)
    gift = db.session.scalar(select(GiftReport))
    decide(accounts["executive"].user, gift.id, "give_back", "ให้ส่งคืนบริษัทผู้รับเหมาภายในสามวัน")
    keys = server_keys()
    accounts["staff"].user.link_line(keys.keyring, keys.index, "U0123456789abcdef0123456789abcdef")
    db.commit()
    dump = database_bytes(settings.database_url)
    for needle in (GIVER, WHAT, "ให้ส่งคืนบริษัทผู้รับเหมาภายในสามวัน", "U0123456789abcdef0123456789abcdef"):
        assert needle.encode() not in dump, needle
    assert gift.opened(keys.keyring)[:2] == (GIVER, WHAT)  # the running application (server keyring) reads them


def test_declaration_drafted_approved_published_and_acknowledged(app, accounts):
    admin = app.test_client()
    accounts["admin"].sign_in(admin)
    page = page_text(admin.get("/staff/nogift/declaration"))
    profile = app.config["PROFILE"]
    assert profile.executive_name in page and "งดรับ งดให้ ของขวัญ และของกำนัลในทุกโอกาส" in page
    token = csrf_token(admin, "/staff/nogift/declaration")
    draft = {"csrf_token": token, "title": "นโยบายไม่รับของขวัญ (No Gift Policy) ประจำปี", "body": "ข้อ 1 ไม่รับ\nข้อ 2 ไม่ให้",
             "signer_name": profile.executive_name, "signer_position": profile.executive_title,
             "announced_on": "2025-12-06"}
    assert admin.post("/staff/nogift/declaration", data=draft).status_code == 302
    staff = app.test_client()
    accounts["staff"].sign_in(staff)
    assert 'id="acknowledge"' not in page_text(staff.get("/staff/gifts/"))  # a draft is not announced
    keys = server_keys()
    accounts["staff"].user.link_line(keys.keyring, keys.index, "U" + "5" * 32)
    db.commit()
    executive = app.test_client()
    accounts["executive"].sign_in(executive)
    token = csrf_token(executive, "/staff/nogift/declaration")
    assert executive.post("/staff/nogift/declaration/approve", data={"csrf_token": token}).status_code == 302
    # Linked staff are told in LINE (one push each); the console home shows the button to everyone.
    assert list(db.session.scalars(select(OutboxMessage.purpose))) == ["staff_notice"]
    archived = ArchivedReport.latest(db.session, "no_gift_declaration",
                                     str(db.session.scalar(select(NoGiftDeclaration.fiscal_year))), "pdf")
    assert archived.sha256 == hashlib.sha256(archived.content).hexdigest()
    text_of_pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(archived.content)).pages).replace(" ", "")
    for source in ("ประกาศ" + profile.name, "เรื่อง", "ข้อ๑ไม่รับ", "ประกาศณวันที่๖เดือนธันวาคมพ.ศ.๒๕๖๘",
                   f"({profile.executive_name})".replace(" ", "")):
        assert source in text_of_pdf.replace("\u0e4d\u0e32", "\u0e33"), source
    # Edits after approval are refused.
    token = csrf_token(admin, "/staff/nogift/declaration")
    admin.post("/staff/nogift/declaration", data=dict(draft, csrf_token=token, body="แก้"))
    db.session.expire_all()
    assert db.session.scalar(select(NoGiftDeclaration.body)).startswith("ข้อ 1")
    # One tap acknowledges; the desk sees who has and has not.
    page = page_text(staff.get("/staff/gifts/"))
    assert 'id="acknowledge"' in page
    staff.post("/staff/gifts/acknowledge", data={"csrf_token": csrf_token(staff, "/staff/gifts/")})
    staff.post("/staff/gifts/acknowledge", data={"csrf_token": csrf_token(staff, "/staff/gifts/")})
    assert db.session.scalar(select(func.count()).select_from(DeclarationAck)) == 1
    assert "ท่านรับทราบประกาศแล้ว" in page_text(staff.get("/staff/gifts/"))
    desk = page_text(executive.get("/staff/nogift/declaration"))
    assert "การรับทราบประกาศ (1/5)" in desk and "ยังไม่รับทราบ" in desk


def test_nil_return_answers_last_months_check_in_once(app, accounts):
    client = app.test_client()
    accounts["staff"].sign_in(client)
    page = page_text(client.get("/staff/gifts/"))
    assert "เดือนที่ผ่านมามีผู้ให้ของขวัญหรือประโยชน์แก่ท่านหรือไม่" in page and 'id="nil-return"' in page
    client.post("/staff/gifts/checkin", data={"csrf_token": csrf_token(client, "/staff/gifts/")})
    page = page_text(client.get("/staff/gifts/"))
    assert "ตอบแล้ว: ไม่มีผู้ให้" in page and 'id="nil-return"' not in page


def test_a_staff_members_home_is_the_no_gift_page(app, accounts):
    client = app.test_client()
    accounts["staff"].sign_in(client)
    response = client.get("/staff/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/gifts/")
