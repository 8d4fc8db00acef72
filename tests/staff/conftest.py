"""Staff-console fixtures: accounts of every role with real keys and TOTP, and signing in over HTTP."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pyotp
import pytest
from flask import g

from intake.complaints import ComplaintDraft, file_complaint
from intake.evidence import Evidence
from models import StaffUser, db, server_keys, utcnow
from staff.passwords import hash_password
from tests.conftest import OFFICER_PASSWORD, TEST_KDF_COST, certify_reader

PASSWORD = "staff-pass-1234"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, url: str = "/staff/login") -> str:
    """Return a CSRF token from a staff form the client can open."""
    # Tests keep one app context across requests, so flask-wtf's per-request cache in `g` would hand
    # one client's token to another client.
    g.pop("csrf_token", None)
    page = client.get(url).get_data(as_text=True)
    return _CSRF.search(page).group(1)


def totp_code(user: StaffUser, secret: str) -> str:
    """Return a TOTP code the server has not seen for this user yet (codes work once)."""
    totp = pyotp.TOTP(secret)
    counter = totp.timecode(utcnow())
    db.session.refresh(user)
    if user.totp_last_counter is not None and counter <= user.totp_last_counter:
        counter = user.totp_last_counter + 1
    return totp.generate_otp(counter)


@dataclass
class Account:
    """A staff member the tests sign in as."""

    user: StaffUser
    password: str
    totp_secret: str | None

    def sign_in(self, client) -> None:
        """Sign in over HTTP: password, then the TOTP code when the role demands one."""
        response = client.post("/staff/login", data={"username": self.user.username, "password": self.password,
                                                     "csrf_token": csrf_token(client)})
        assert response.status_code == 302, response.get_data(as_text=True)
        if self.totp_secret:
            assert response.headers["Location"].startswith("/staff/login/code")
            code = totp_code(self.user, self.totp_secret)
            response = client.post("/staff/login/code", data={"code": code,
                                                              "csrf_token": csrf_token(client, "/staff/login/code")})
            assert response.status_code == 302, response.get_data(as_text=True)


def make_account(username: str, roles: str, *, password: str = PASSWORD, totp: bool = True,
                 certified: bool = True) -> Account:
    """Create an active account; officers get a key pair (certified as readers unless told), TOTP-roles a secret."""
    user = StaffUser(username=username, display_name=f"ทดสอบ {username}", roles=roles,
                     password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    if "officer" in roles:
        user.create_key_pair(password, TEST_KDF_COST)
        if certified:
            certify_reader(user)
    secret = None
    if totp and ("officer" in roles or "admin" in roles):
        secret = pyotp.random_base32()
        user.set_totp_secret(server_keys().keyring, secret)
    db.commit()
    return Account(user, password, secret)


@pytest.fixture
def accounts(app):
    """Return one account per role (officer, admin, executive, integrity, staff)."""
    return {role: make_account(role, role) for role in ("officer", "admin", "executive", "integrity", "staff")}


@pytest.fixture
def officer_account(app, officer):
    """Return the shared `officer` fixture as an Account with an enrolled TOTP secret."""
    secret = pyotp.random_base32()
    officer.set_totp_secret(server_keys().keyring, secret)
    db.commit()
    return Account(officer, OFFICER_PASSWORD, secret)


SECRET_DETAILS = "นายสมปอง ปลัดฝ่ายโยธา เรียกรับเงิน 5,000 บาท เพื่อเร่งออกใบอนุญาต"
SECRET_ACCUSED = "นายสมปอง ลับมาก"
SECRET_NAME = "นางสาวผู้แจ้ง ปกปิด"


def file_sample(channel: str = "web", *, line_user: str = "", evidence: bool = False, category: str = "bribery"):
    """File a complaint through the intake service, as the web form or the bot does; return the receipt."""
    draft = ComplaintDraft(category=category, details=SECRET_DETAILS, accused=SECRET_ACCUSED,
                           place_time="ห้องงานโยธา 3 มี.ค.", anonymous=False, name=SECRET_NAME, phone="081-234-5678",
                           wants_updates=bool(line_user), line_user=line_user,
                           evidence=[Evidence("image", "image/png", "ใบเสร็จ.png", PNG)] if evidence else [])
    receipt = file_complaint(draft, channel=channel)
    db.commit()
    return receipt
