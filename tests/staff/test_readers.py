"""Readers are certified by readers: roles and passwords (what an admin controls) never make one.

An admin who gives itself the officer role, or resets an officer's password, cannot read a complaint
filed afterwards until a reader certifies the key; each certification and revocation reaches every
reader (LINE outbox, e-mail, the readers page) and is checked from the signatures every time.
"""
from __future__ import annotations

import dataclasses
import json
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from sqlalchemy import select

from models import ReaderCertificate, StaffUser, complaint_recipients, db, is_reader, server_keys
from models.line import OutboxMessage
from staff import accounts
from tests.conftest import free_port
from tests.staff.conftest import SECRET_DETAILS, csrf_token, file_sample, make_account
from tests.staff.test_keys import _complaint
from tests.stats.test_clock import Inbox
from tests.conftest import page_text

STAFF_GROUP = "C" + "7" * 32
READER_LINE = "U" + "a" * 32


def _alerts() -> list[dict]:
    flight = server_keys().flight  # the outbox is tier F (issue 9)
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "staff_alert"))
    return [json.loads(row.payload(flight)) for row in rows]


def _post(client, url: str, page: str, **data):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page)})


def test_admin_made_officer_and_reset_officer_read_nothing_new_until_a_reader_certifies_them(
        app, settings, client, officer_account, recovery_key):
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app.config["SETTINGS"] = settings.with_overrides(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False)
        app.config["PROFILE"] = dataclasses.replace(app.config["PROFILE"], staff_group_id=STAFF_GROUP)
        reader = officer_account.user
        reader.email = "reader@example.go.th"
        reader.set_line_user(server_keys().keyring, READER_LINE)
        forgetful = make_account("forgetful", "officer")
        admin = make_account("itadmin", "admin")
        db.commit()
        assert is_reader(db.session, forgetful.user)

        # The IT admin ticks "officer" on its own account and signs in again: a key pair, but no reader.
        admin_browser = app.test_client()
        admin.sign_in(admin_browser)
        page = f"/staff/admin/users/{admin.user.id}"
        _post(admin_browser, page, page, action="roles", roles=["admin", "officer"])
        # ... and resets an officer's password (the officer's new key is made then).
        page = f"/staff/admin/users/{forgetful.user.id}"
        _post(admin_browser, page, page, action="password", password="fresh-pass-999")
        forgetful.password = "fresh-pass-999"
        admin_browser = app.test_client()
        admin.sign_in(admin_browser)
        db.session.refresh(admin.user)
        assert admin.user.public_key is not None and not is_reader(db.session, admin.user)
        assert not is_reader(db.session, forgetful.user)
        forgetful_browser = app.test_client()
        forgetful.sign_in(forgetful_browser)

        complaint = _complaint(file_sample())  # filed after both changes
        sealed_to = {k.recipient for k in complaint.keys}
        assert admin.user.recipient_label not in sealed_to and forgetful.user.recipient_label not in sealed_to
        for browser in (admin_browser, forgetful_browser):
            answer = browser.get(f"/staff/cases/{complaint.id}")
            assert answer.status_code == 403 and SECRET_DETAILS not in page_text(answer)
        # The reader heard that the reset ended the officer's reading.
        assert any("forgetful" in a["messages"][0]["text"] for a in _alerts() if a["to"] == READER_LINE)

        # A reader certifies the admin: from then on the admin reads, and everyone is told.
        reader_browser = app.test_client()
        officer_account.sign_in(reader_browser)
        keys_page = page_text(reader_browser.get("/staff/keys/"))
        assert "ยังไม่ได้รับรอง" in keys_page and admin.user.display_name in keys_page
        _post(reader_browser, f"/staff/keys/certify/{admin.user.id}", "/staff/keys/")
        assert SECRET_DETAILS in page_text(admin_browser.get(f"/staff/cases/{complaint.id}"))
        assert SECRET_DETAILS not in page_text(forgetful_browser.get(f"/staff/cases/{complaint.id}"))
        assert admin.user.recipient_label in {r.label for r in complaint_recipients(db.session)}
    finally:
        controller.stop()

    news = [a for a in _alerts() if "itadmin" in a["messages"][0]["text"]]
    assert {a["to"] for a in news} >= {STAFF_GROUP, READER_LINE}
    mails = [message_from_bytes(e.content, policy=policy.default) for e in inbox.messages]
    certified_mail = [m for m in mails if "itadmin" in m.get_content()]
    assert certified_mail and "reader@example.go.th" in certified_mail[0]["To"]
    # Officers see it in their own view of the access log, and a notice on every page.
    log_page = page_text(reader_browser.get("/staff/keys/"))
    assert "บันทึกการรับรองและถอนผู้อ่าน" in log_page and "รับรองเป็นผู้อ่าน" in log_page
    assert "มีการรับรองหรือถอนผู้อ่านเรื่องร้องเรียน" in page_text(reader_browser.get("/staff/cases/"))


def test_a_certificate_counts_only_with_a_valid_signature_on_the_current_keys(app, officer_account, recovery_key):
    reader = officer_account.user
    other = make_account("other", "officer")
    labels = {r.label for r in complaint_recipients(db.session)}
    assert {reader.recipient_label, other.user.recipient_label} <= labels
    # Someone with the database rewrites a certificate to point at their own key: the signature no longer holds.
    forger = make_account("forger", "officer", certified=False).user
    cert = db.session.scalar(select(ReaderCertificate).where(ReaderCertificate.staff_id == other.user.id))
    db.session.add(ReaderCertificate(staff_id=forger.id, public_key=forger.public_key, verify_key=forger.verify_key,
                                     signer_label=cert.signer_label, signer_key=cert.signer_key,
                                     signature=cert.signature))
    db.commit()
    assert not is_reader(db.session, forger)
    # A role removed and given back does not bring the certificate back.
    admin = make_account("boss", "admin")
    accounts.set_roles(admin.user, other.user, ["staff"])
    accounts.set_roles(admin.user, other.user, ["officer"])
    db.commit()
    assert not is_reader(db.session, other.user)


def test_revoking_a_reader_stops_sealing_and_keeps_those_it_certified(app, client, officer_account, recovery_key):
    middle = make_account("middle", "officer")
    newcomer = make_account("newcomer", "officer", certified=False)
    middle_browser = app.test_client()
    middle.sign_in(middle_browser)
    _post(middle_browser, f"/staff/keys/certify/{newcomer.user.id}", "/staff/keys/")
    assert is_reader(db.session, newcomer.user)
    # newcomer's certificate hangs on middle: revoking middle must not cut newcomer off.
    officer_account.sign_in(client)
    _post(client, f"/staff/keys/revoke/{middle.user.id}", "/staff/keys/")
    db.session.expire_all()
    assert not is_reader(db.session, middle.user) and is_reader(db.session, newcomer.user)
    labels = {k.recipient for k in _complaint(file_sample()).keys}
    assert middle.user.recipient_label not in labels and newcomer.user.recipient_label in labels
    assert db.session.get(StaffUser, middle.user.id).active  # the account stays; it just reads nothing
