"""The office profile is edited in the console: versioned, audited, in force in every process without a restart."""
from __future__ import annotations

import io
import json
import tomllib
from html.parser import HTMLParser

import zxingcpp
from PIL import Image
from sqlalchemy import select

from app import create_app
from intake.service_points import sync_service_points
from models import AuditEntry, ProfileVersion, db
from tests.staff.conftest import csrf_token, make_account
from tests.conftest import page_text as html_of

NEW_POINT = {"code": "LIBRARY", "name": "จุดบริการห้องสมุดประชาชน", "division": "education"}


class _Form(HTMLParser):
    """Collect what a browser would send for the profile form: inputs, selected options and textareas."""

    def __init__(self):
        super().__init__()
        self.fields, self._textarea, self._select = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("checkbox", "file"):
            self.fields[name] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea, self.fields[name] = name, ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and "selected" in attrs:
            self.fields[self._select] = attrs["value"]

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def _form(client) -> dict:
    page = client.get("/staff/office/")
    assert page.status_code == 200
    parser = _Form()
    parser.feed(html_of(page))
    return parser.fields


def _admin(client):
    account = make_account("profile-admin", "admin")
    account.sign_in(client)
    return account


def test_a_new_service_point_works_in_another_process_without_a_restart(app, client, settings):
    sync_service_points(app.config["PROFILE"])
    db.commit()
    other_process = create_app(settings)  # started before the edit, never restarted
    admin = _admin(client)
    fields = _form(client)
    row = len(app.config["PROFILE"].service_points)
    for column, value in NEW_POINT.items():
        fields[f"t:{json.dumps(['service_points', row, column], ensure_ascii=False)}"] = value
    fields["note"] = "เปิดจุดบริการห้องสมุด"
    response = client.post("/staff/office/", data=fields)
    assert response.status_code == 302, html_of(response)

    with other_process.app_context():
        citizen = other_process.test_client()
        form = citizen.get("/r/LIBRARY")
        assert form.status_code == 200 and NEW_POINT["name"] in html_of(form)
        scores = {a.code: "5" for a in other_process.config["PROFILE"].aspects}
        thanks = citizen.post("/r/LIBRARY", data={**scores, "csrf_token": csrf_token(citizen, "/r/LIBRARY")})
        assert thanks.status_code == 200 and "ขอบคุณ" in html_of(thanks)

    poster = client.get("/staff/office/poster?point=LIBRARY&format=png")
    assert poster.status_code == 200 and poster.mimetype == "image/png"
    urls = {code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(poster.data)))}
    assert "http://127.0.0.1:5000/r/LIBRARY" in urls

    versions = db.session.scalars(select(ProfileVersion).order_by(ProfileVersion.version)).all()
    assert [(v.version, v.source) for v in versions] == [(1, "file"), (2, "console")]
    assert NEW_POINT in tomllib.loads(versions[1].toml)["service_points"]
    assert "# Office profile of the demo office" in versions[1].toml  # comments survive the form
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "profile.edit"))
    assert (entry.staff_id, entry.target_id, entry.detail) == (admin.user.id, "2", "service_points")
    audit = html_of(client.get("/staff/admin/audit", query_string={"action": "profile.edit"}))
    row = audit.split("<tbody>")[1]
    assert "แก้ไขข้อมูลสำนักงาน ฉบับที่ 2" in row and "<td>จุดบริการ</td>" in row and admin.user.display_name in row


def test_a_refused_toml_edit_keeps_the_text_and_saves_nothing(app, client):
    _admin(client)
    page = html_of(client.get("/staff/office/toml"))
    assert "[office]" in page
    broken = "[office\nname = 'x'"
    response = client.post("/staff/office/toml", data={"text": broken, "csrf_token": csrf_token(client, "/staff/office/toml")})
    assert response.status_code == 400
    text = html_of(response)
    assert "ข้อมูลสำนักงานไม่ถูกต้อง" in text and "[office\nname = &#39;x&#39;" in text
    missing_division = client.post("/staff/office/toml", data={
        "text": page_text(client).replace('division = "finance"', 'division = "nowhere"', 1),
        "csrf_token": csrf_token(client, "/staff/office/toml")})
    assert missing_division.status_code == 400 and "nowhere" in html_of(missing_division)
    assert db.session.scalar(select(ProfileVersion)) is None


def page_text(client) -> str:
    return html_of(client.get("/staff/office/export"))


def test_raw_edit_export_and_versions(app, client):
    _admin(client)
    text = page_text(client).replace("processing_days = 15", "processing_days = 20")
    response = client.post("/staff/office/toml", data={"text": text, "note": "ขยายเวลา",
                                                       "csrf_token": csrf_token(client, "/staff/office/toml")})
    assert response.status_code == 302
    with app.app_context():  # each request of a server opens its own app context
        client.get("/staff/office/")
    assert app.config["PROFILE"].processing_days == 20
    assert "processing_days = 20" in page_text(client)
    assert "processing_days = 15" in html_of(client.get("/staff/office/export?version=1"))
    again = client.post("/staff/office/toml", data={"text": text, "csrf_token": csrf_token(client, "/staff/office/toml")})
    assert again.status_code == 400 and "ไม่มีการเปลี่ยนแปลง" in html_of(again)
