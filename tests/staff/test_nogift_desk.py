"""The No Gift desk: activities with chosen public photos, the signed scan, the report made on demand, the
LINE link ending with the account."""
from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from intake import staff_line
from models import ActivityPhoto, NoGiftDeclaration, StaffUser, db, server_keys, utcnow
from models.report import ArchivedReport
from stats import nogift
from stats.fiscal import fiscal_year_of
from config.thai import to_local
from tests.staff.conftest import csrf_token
from tests.conftest import page_text


def _picture(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), colour).save(out, "PNG")
    return out.getvalue()


def test_activities_are_recorded_and_only_chosen_photos_are_public(app, accounts):
    client = app.test_client()
    accounts["integrity"].sign_in(client)
    day = to_local(utcnow()).date().isoformat()
    for public, title in (("1", "ประชุมชี้แจงนโยบาย No Gift"), ("", "อบรมจริยธรรมเจ้าหน้าที่")):
        response = client.post("/staff/nogift/activities", content_type="multipart/form-data", data={
            "csrf_token": csrf_token(client, "/staff/nogift/activities"), "held_on": day, "title": title,
            "kind": "meeting", "led_by": "ปลัด อบต.", "attendance": "32", "summary": "ชี้แจงแนวทางงดรับของขวัญ",
            "public_photos": public, "photos": [(io.BytesIO(_picture("red")), "a.png")]})
        assert response.status_code == 302
    bad = client.post("/staff/nogift/activities", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, "/staff/nogift/activities"), "held_on": day, "title": "x", "kind": "meeting",
        "led_by": "y", "attendance": "3", "photos": [(io.BytesIO(b"MZ not a picture"), "a.exe")]})
    assert "รับได้เฉพาะรูปภาพ JPG, PNG หรือ WEBP" in page_text(bad)
    shown, hidden = db.session.scalars(select(ActivityPhoto).order_by(ActivityPhoto.id)).all()
    assert shown.public and not hidden.public
    page = page_text(app.test_client().get("/transparency"))
    assert "ประชุมชี้แจงนโยบาย No Gift" in page and "ผู้เข้าร่วม 32 คน" in page
    assert f"/transparency/activity-photo/{shown.id}" in page and f"activity-photo/{hidden.id}" not in page
    public = app.test_client()
    assert public.get(f"/transparency/activity-photo/{shown.id}").status_code == 200
    assert public.get(f"/transparency/activity-photo/{hidden.id}").status_code == 404
    staff = app.test_client()
    accounts["staff"].sign_in(staff)
    assert staff.get("/staff/nogift/activities").status_code == 403


def test_the_signed_scan_is_archived_and_published(app, accounts):
    year = fiscal_year_of(to_local(utcnow()).date())
    declaration = NoGiftDeclaration(fiscal_year=year, status="draft", drafted_by=accounts["admin"].user.id,
                                    announced_on=to_local(utcnow()).date(), **nogift.declaration_draft(year))
    db.session.add(declaration)
    declaration.approve(accounts["executive"].user.id)
    nogift.publish_declaration(declaration, utcnow())
    db.commit()
    client = app.test_client()
    accounts["admin"].sign_in(client)
    scan = b"%PDF-1.4\n% signed paper\n"
    response = client.post("/staff/nogift/declaration/scan", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, "/staff/nogift/declaration"), "scan": (io.BytesIO(scan), "signed.pdf")})
    assert response.status_code == 302
    archived = ArchivedReport.latest(db.session, "no_gift_scan", str(year), "pdf")
    assert archived.read(server_keys().keyring) == scan
    page = page_text(app.test_client().get("/transparency"))
    assert f"/transparency/archive/{archived.id}" in page and "ไฟล์สแกน" in page
    assert app.test_client().get(f"/transparency/archive/{archived.id}").data == scan


def test_the_report_desk_saves_problems_and_makes_both_editions(app, accounts):
    client = app.test_client()
    accounts["integrity"].sign_in(client)
    page = page_text(client.get("/staff/nogift/report"))
    period = page.split('name="period" value="', 1)[1].split('"', 1)[0]
    client.post("/staff/nogift/report", data={"csrf_token": csrf_token(client, "/staff/nogift/report"),
                                              "period": period, "problems": "ยังไม่มีปัญหา", "action": "make"})
    made = {(r.kind, r.fmt) for r in ArchivedReport.listing(db.session, ("no_gift", "no_gift_staff"))}
    assert made == {("no_gift", f) for f in ("pdf", "xlsx", "csv", "json")} | {
        ("no_gift_staff", f) for f in ("pdf", "xlsx", "html", "json")}
    assert "ยังไม่มีปัญหา" in page_text(client.get(f"/staff/nogift/report?period={period}"))


def test_removing_an_account_ends_its_line_link(app, accounts):
    keys = server_keys()
    target = accounts["staff"].user
    target.link_line(keys.keyring, keys.index, "U" + "1" * 32)
    db.commit()
    assert staff_line.staff_for_line("U" + "1" * 32).id == target.id
    client = app.test_client()
    accounts["admin"].sign_in(client)
    client.post(f"/staff/admin/users/{target.id}", data={
        "csrf_token": csrf_token(client, f"/staff/admin/users/{target.id}"), "action": "deactivate"})
    db.session.expire_all()
    user = db.session.get(StaffUser, target.id)
    assert not user.active and user.line_index is None and user.line_user_enc is None
