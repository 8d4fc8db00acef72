"""Sign-in: password + TOTP, enrolment by QR code, throttling per name and client, TOTP lockout, idle timeout, cookies."""
from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import time_machine
from sqlalchemy import select

from models import AuditEntry, StaffUser, db, server_keys, utcnow
from models.staff import StaffSession
from intake.limits import limit_for
from staff import accounts as account_service
from tests.staff.conftest import PASSWORD, csrf_token, make_account, totp_code
from tests.conftest import page_text


def _post_password(client, username: str, password: str):
    return client.post("/staff/login", data={"username": username, "password": password,
                                             "csrf_token": csrf_token(client)})


def test_officer_signs_in_with_password_and_totp_and_gets_a_strict_cookie(app, client):
    account = make_account("somchai", "officer")
    response = _post_password(client, "somchai", PASSWORD)
    assert response.headers["Location"].startswith("/staff/login/code")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/staff" in cookie
    # Half signed-in: the password alone opens nothing.
    assert client.get("/staff/cases/").headers["Location"].startswith("/staff/login")

    code = totp_code(account.user, account.totp_secret)
    response = client.post("/staff/login/code", data={"code": code, "csrf_token": csrf_token(client, "/staff/login/code")})
    assert response.status_code == 302
    assert client.get("/staff/cases/").status_code == 200
    row = db.session.scalar(select(StaffSession).where(StaffSession.staff_id == account.user.id))
    assert row.stage == "active" and row.key_wrapped
    # The session key is only in the cookie: the server's row cannot open the wrapped key on its own.
    token, _, key_text = client.get_cookie("sujarit_staff", path="/staff").value.partition(".")
    assert key_text and row.id == StaffSession.digest(token) and token not in row.id
    assert db.session.scalars(select(AuditEntry.action).where(AuditEntry.staff_id == account.user.id)).all().count("signin") == 1


def test_a_totp_code_works_only_once(app, client):
    account = make_account("once", "admin")
    code = totp_code(account.user, account.totp_secret)
    for attempt in range(2):
        _post_password(client, "once", PASSWORD)
        response = client.post("/staff/login/code", data={"code": code, "csrf_token": csrf_token(client, "/staff/login/code")})
        if attempt == 0:
            assert response.status_code == 302
            client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/account")})
        else:
            assert response.status_code == 200 and "รหัสยืนยันไม่ถูกต้อง" in page_text(response)


def test_first_sign_in_enrols_totp_with_a_qr_code(app, client):
    make_account("newadmin", "admin", totp=False)
    response = _post_password(client, "newadmin", PASSWORD)
    page = page_text(client.get(response.headers["Location"]))
    assert "<svg" in page and "ตั้งค่าการยืนยันตัวตนสองขั้นตอน" in page
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    token = csrf_token(client, "/staff/login/code")
    wrong = client.post("/staff/login/code", data={"code": "000000", "csrf_token": token})
    assert "รหัสยืนยันไม่ถูกต้อง" in page_text(wrong)
    user = db.session.scalar(select(StaffUser).where(StaffUser.username == "newadmin"))
    assert user.totp_secret_enc is None  # nothing enrolled until a code proves the app has it
    client.post("/staff/login/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token})
    db.session.refresh(user)
    assert user.totp_secret(server_keys().keyring) == secret
    assert client.get("/staff/admin/users").status_code == 200


def test_executive_and_staff_sign_in_with_a_password_only(app, client):
    make_account("exec", "executive")
    response = _post_password(client, "exec", PASSWORD)
    assert response.status_code == 302 and client.get("/staff/dashboard/").status_code == 200


def test_unknown_user_and_wrong_password_get_the_same_answer(app, client):
    make_account("real", "executive")
    unknown = page_text(_post_password(client, "nobody", PASSWORD))
    wrong = page_text(_post_password(client, "real", "wrong-password-1"))
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in unknown and "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in wrong


def _from(client, address: str, username: str, password: str):
    return client.post("/staff/login", data={"username": username, "password": password,
                                             "csrf_token": csrf_token(client)},
                       environ_overrides={"REMOTE_ADDR": address})


def test_sign_in_throttles_per_name_and_client_alike_for_real_and_unknown_names(app, client):
    make_account("target", "executive")
    attempts = limit_for("signin").attempts
    stranger = "198.51.100.7"
    for name in ("target", "nobody"):
        answers = {page_text(_from(client, stranger, name, "wrong-pass-99")).count("ไม่ถูกต้อง")
                   for _ in range(attempts)}
        assert answers == {1}
        refused = page_text(_from(client, stranger, name, PASSWORD if name == "target" else "x"))
        assert "หลายครั้งเกินไป กรุณารอ 15 นาที" in refused  # even the right password waits, from there
    # The officer's own desk is not locked out by what the stranger did.
    officer_desk = app.test_client()
    response = _from(officer_desk, "192.0.2.10", "target", PASSWORD)
    assert response.status_code == 302
    user = db.session.scalar(select(StaffUser).where(StaffUser.username == "target"))
    db.session.refresh(user)
    assert user.locked_until is None


def test_wrong_totp_codes_count_towards_the_lockout(app, client):
    make_account("guess", "officer")
    _post_password(client, "guess", PASSWORD)
    with time_machine.travel(utcnow(), tick=False) as clock:
        for _ in range(account_service.LOCK_AFTER):
            clock.shift(timedelta(minutes=3))
            page = client.post("/staff/login/code", data={"code": "123456",
                                                          "csrf_token": csrf_token(client, "/staff/login/code")})
    assert "ระงับชั่วคราว" in page_text(page)
    user = db.session.scalar(select(StaffUser).where(StaffUser.username == "guess"))
    db.session.refresh(user)
    assert user.failed_logins >= account_service.LOCK_AFTER and user.locked_until is not None


def test_an_idle_session_times_out(app, client):
    account = make_account("idle", "officer")
    account.sign_in(client)
    assert client.get("/staff/cases/").status_code == 200
    with time_machine.travel(utcnow() + timedelta(minutes=31)):
        response = client.get("/staff/cases/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")
    assert db.session.scalar(select(StaffSession).where(StaffSession.staff_id == account.user.id)) is None


def test_sign_out_ends_the_server_session(app, client):
    account = make_account("leaver", "officer")
    account.sign_in(client)
    cookie = client.get_cookie("sujarit_staff", path="/staff").value
    client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/account")})
    other = app.test_client()
    other.set_cookie("sujarit_staff", cookie, path="/staff")
    assert other.get("/staff/cases/").status_code == 302  # a copied cookie is worthless after sign-out


def test_forms_refuse_a_post_without_the_csrf_token_and_say_so_in_thai(app, client):
    make_account("csrf", "executive")
    response = client.post("/staff/login", data={"username": "csrf", "password": PASSWORD})
    assert response.status_code == 400 and "แบบฟอร์มหมดอายุ" in page_text(response)
    assert client.get("/staff/no-such-page").status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in page_text(client.get("/staff/no-such-page"))


def test_changing_the_password_rewraps_the_private_key(app, client):
    account = make_account("changer", "officer")
    account.sign_in(client)
    public_before = account.user.public_key
    token = csrf_token(client, "/staff/account")
    bad = client.post("/staff/account", data={"old": PASSWORD, "new": "new-pass-5678", "confirm": "different-1",
                                              "csrf_token": token})
    assert "ไม่ตรงกัน" in page_text(bad)
    client.post("/staff/account", data={"old": PASSWORD, "new": "new-pass-5678", "confirm": "new-pass-5678",
                                        "csrf_token": token})
    user = db.session.get(StaffUser, account.user.id)
    db.session.refresh(user)
    assert user.public_key == public_before  # same key pair, so every grant still works
    assert user.unlock_private_key("new-pass-5678") is not None
    account.password = "new-pass-5678"
    account.sign_in(app.test_client())


def test_language_switches_to_english_and_back(app, client):
    account = make_account("bilingual", "executive")
    account.sign_in(client)
    assert "ภาพรวมผู้บริหาร" in page_text(client.get("/staff/dashboard/"))
    client.post("/staff/language", data={"language": "en", "next": "/staff/dashboard/",
                                         "csrf_token": csrf_token(client, "/staff/dashboard/")})
    page = page_text(client.get("/staff/dashboard/"))
    assert "Executive dashboard" in page and 'lang="en"' in page
    assert db.session.get(StaffUser, account.user.id).language == "en"


def test_sign_in_refusals_speak_english_when_chosen(app, client):
    make_account("english", "executive")
    client.post("/staff/language", data={"language": "en", "csrf_token": csrf_token(client)})
    page = page_text(_post_password(client, "english", "wrong-pass-99"))
    assert "Wrong user name or password" in page and "Staff sign-in" in page


def test_signing_in_clears_away_sessions_left_to_expire(app, client):
    left = make_account("forgot", "officer")
    left.sign_in(app.test_client())  # never signs out
    with time_machine.travel(utcnow() + timedelta(hours=13)):
        make_account("next", "executive")
        _post_password(client, "next", PASSWORD)
    assert db.session.scalar(select(StaffSession).where(StaffSession.staff_id == left.user.id)) is None
