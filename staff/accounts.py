"""Staff accounts: signing in (password, TOTP, lockout), passwords, and what admins change."""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import pyotp
from sqlalchemy import func, select

from intake import staff_line
from models import AuditEntry, ROLES, StaffUser, db, drop_certificates, is_reader, server_keys, utcnow
from models import crypto
from models.crypto import DecryptionError
from models.staff import StaffSession
from intake import limits
from staff import grants
from staff.auth import TOTP_ROLES, session_limits
from staff.passwords import hash_password, password_problem, verify_password

#: Wrong TOTP codes allowed before each further code must wait; the wait doubles, then the account locks.
#: (Passwords are throttled per user name and client in check_password, so strangers lock nobody out.)
FREE_FAILURES = 3
FIRST_DELAY = timedelta(seconds=30)
LOCK_AFTER = 6
LOCK_FOR = timedelta(minutes=15)
ISSUER = "Sujarit"


class AccountError(ValueError):
    """Something a staff member or admin asked for that cannot be done: a Thai catalogue text and its values."""

    def __init__(self, message: str, **values):
        super().__init__(message.format(**values) if values else message)
        self.message, self.values = message, values


@dataclass(frozen=True)
class PasswordAccepted:
    """The password matched: what the browser does next, and the officer's unlocked key (if any)."""

    user: StaffUser
    stage: str  # active, totp, enroll
    private_key: object | None


@cache
def _dummy_hash() -> str:
    # Checked for unknown names, so the answer takes as long as for a real account.
    return hash_password("no such user: timing shield")


def needs_totp(user: StaffUser) -> bool:
    """Return True when the user's roles demand a second factor."""
    return bool(user.role_set & TOTP_ROLES)


def _must_wait(until: datetime) -> AccountError:
    seconds = max(1, int((until - utcnow()).total_seconds()))
    if seconds > 90:
        return AccountError("บัญชีนี้ถูกระงับชั่วคราวเพราะใส่รหัสผิดหลายครั้ง กรุณารอ {minutes} นาที หรือติดต่อผู้ดูแลระบบ",
                            minutes=seconds // 60 + 1)
    return AccountError("ใส่รหัสผิดหลายครั้ง กรุณารอ {seconds} วินาทีแล้วลองใหม่", seconds=seconds)


def _refuse_if_waiting(user: StaffUser) -> None:
    if user.locked_until is not None and user.locked_until > utcnow():
        raise _must_wait(user.locked_until)


def record_failure(user: StaffUser) -> None:
    """Count a failed attempt, making the next one wait longer, and lock the account when it goes on."""
    user.failed_logins += 1
    if user.failed_logins >= LOCK_AFTER:
        user.locked_until = utcnow() + LOCK_FOR
        AuditEntry.record(db.session, "signin.locked", staff_id=user.id, target_type="staff_user", target_id=user.id,
                          detail=f"{user.failed_logins} failed attempts")
    elif user.failed_logins >= FREE_FAILURES:
        user.locked_until = utcnow() + FIRST_DELAY * 2 ** (user.failed_logins - FREE_FAILURES)


def check_password(username: str, password: str, client: str | None = None) -> PasswordAccepted:
    """Check a user name and password from a client address; return what happens next, or raise AccountError.

    Every refusal before the password is known to be right reads the same for real and unknown names,
    and attempts are counted per name *and* client: a stranger elsewhere cannot lock an officer out.
    """
    name = username.strip().lower()
    if not (limits.allow("signin", f"{name}\x00{client}", count_refusals=True)
            and limits.allow("signin_client", client, count_refusals=True)):
        raise AccountError("มีการลองเข้าสู่ระบบจากเครื่องนี้หลายครั้งเกินไป กรุณารอ {minutes} นาทีแล้วลองใหม่",
                           minutes=limits.limit_for("signin").seconds // 60)
    user = db.session.scalar(select(StaffUser).where(func.lower(StaffUser.username) == name))
    if user is None or not user.active:
        verify_password(_dummy_hash(), password)
        raise AccountError("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")
    if not verify_password(user.password_hash, password):
        AuditEntry.record(db.session, "signin.failed", staff_id=user.id, target_type="staff_user", target_id=user.id,
                          detail="wrong password")
        raise AccountError("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")
    _refuse_if_waiting(user)  # locked by wrong TOTP codes, which only someone with the password can send
    private_key = _unlock_or_create_key(user, password)
    if not needs_totp(user):
        stage = "active"
    else:
        stage = "totp" if user.totp_secret_enc else "enroll"
    return PasswordAccepted(user, stage, private_key)


def _unlock_or_create_key(user: StaffUser, password: str):
    if user.private_key_wrapped:
        try:
            private = user.unlock_private_key(password)
        except DecryptionError:
            # The hash matched but the key did not open: the wrap is damaged. Signing in still works.
            AuditEntry.record(db.session, "key.unlock_failed", staff_id=user.id, target_type="staff_user",
                              target_id=user.id)
            return None
        if user.verify_key is None:
            user.verify_key = crypto.verify_key_bytes(private)  # a key pair made before certificates existed
        return private
    if user.has_role("officer"):
        # An officer added by an admin gets a key pair at first sign-in, when the password is at hand; it reads
        # nothing until a reader certifies it (models.readers).
        private = user.create_key_pair(password, server_keys().kdf_cost)
        AuditEntry.record(db.session, "key.created", staff_id=user.id, target_type="staff_user", target_id=user.id)
        return private
    return None


def start_session(accepted: PasswordAccepted) -> tuple[StaffSession, str, bytes]:
    """Open the browser's session after the password; return the row, cookie id and session key."""
    StaffSession.purge_expired(db.session, *session_limits())
    row, token, key = StaffSession.start(db.session, accepted.user, accepted.stage, accepted.private_key)
    if accepted.stage == "enroll":
        row.set_pending_totp(server_keys().keyring, pyotp.random_base32())
    if accepted.stage == "active":
        _signed_in(accepted.user)
    db.session.flush()
    return row, token, key


def _signed_in(user: StaffUser) -> None:
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, utcnow()
    AuditEntry.record(db.session, "signin", staff_id=user.id, target_type="staff_user", target_id=user.id)


def _accept_code(user: StaffUser, secret: str, code: str) -> bool:
    totp = pyotp.TOTP(secret)
    code = "".join(ch for ch in code if ch.isdigit())
    now = totp.timecode(utcnow())
    for counter in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(counter), code):
            if user.totp_last_counter is not None and counter <= user.totp_last_counter:
                return False  # a code works once
            user.totp_last_counter = counter
            return True
    return False


def enrollment_uri(row: StaffSession, user: StaffUser) -> str:
    """Return the otpauth:// URI an authenticator app reads from the enrollment QR code."""
    secret = row.pending_totp(server_keys().keyring)
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def enrollment_secret(row: StaffSession) -> str:
    """Return the TOTP secret being enrolled, for typing in by hand."""
    return row.pending_totp(server_keys().keyring)


def confirm_second_factor(row: StaffSession, code: str) -> StaffUser:
    """Check a TOTP code for a half signed-in session (enrolling on first use); raise AccountError."""
    user = db.session.get(StaffUser, row.staff_id)
    keyring = server_keys().keyring
    _refuse_if_waiting(user)
    secret = row.pending_totp(keyring) if row.stage == "enroll" else user.totp_secret(keyring)
    if not secret or not _accept_code(user, secret, code):
        record_failure(user)
        AuditEntry.record(db.session, "signin.failed", staff_id=user.id, target_type="staff_user", target_id=user.id,
                          detail="wrong TOTP code")
        if user.locked_until is not None and user.failed_logins >= LOCK_AFTER:
            db.session.delete(row)
            raise _must_wait(user.locked_until)
        raise AccountError("รหัสยืนยันไม่ถูกต้องหรือหมดอายุ กรุณาใช้รหัสล่าสุดจากแอปยืนยันตัวตน")
    if row.stage == "enroll":
        user.set_totp_secret(keyring, secret)
        row.set_pending_totp(keyring, None)
        AuditEntry.record(db.session, "totp.enrolled", staff_id=user.id, target_type="staff_user", target_id=user.id)
    row.stage = "active"
    _signed_in(user)
    return user


def sign_out(row: StaffSession) -> None:
    """End one browser's session."""
    AuditEntry.record(db.session, "signout", staff_id=row.staff_id, target_type="staff_user", target_id=row.staff_id)
    db.session.delete(row)


def change_password(user: StaffUser, row: StaffSession, old: str, new: str, confirm: str) -> None:
    """Change one's own password, re-wrapping the private key; other sessions are signed out."""
    if not verify_password(user.password_hash, old):
        raise AccountError("รหัสผ่านปัจจุบันไม่ถูกต้อง")
    if new != confirm:
        raise AccountError("รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน")
    if problem := password_problem(new):
        raise AccountError(problem)
    if user.private_key_wrapped:
        try:
            private = user.unlock_private_key(old)
        except DecryptionError:
            raise AccountError("เปิดกุญแจส่วนตัวด้วยรหัสผ่านเดิมไม่ได้ กรุณาติดต่อผู้ดูแลระบบ") from None
        user.rewrap_private_key(private, new, server_keys().kdf_cost)
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    StaffSession.end_all(db.session, user.id, keep=row.id)
    AuditEntry.record(db.session, "password.changed", staff_id=user.id, target_type="staff_user", target_id=user.id)


def set_language(user: StaffUser, language: str) -> None:
    """Remember the language a user reads the console in."""
    if language in ("th", "en"):
        user.language = language


# --- what admins do ---------------------------------------------------------------------------

def _clean_roles(roles: list[str]) -> str:
    chosen = [r for r in ROLES if r in set(roles)]
    if not chosen:
        raise AccountError("กรุณาเลือกบทบาทอย่างน้อยหนึ่งบทบาท")
    return ",".join(chosen)


def create_user(admin: StaffUser, *, username: str, display_name: str, roles: list[str], password: str,
                division: str = "", email: str = "") -> StaffUser:
    """Add a staff account (officers get their key pair now, from the first password)."""
    username, display_name = username.strip().lower(), display_name.strip()
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise AccountError("ชื่อผู้ใช้ต้องเป็นตัวอักษรอังกฤษหรือตัวเลข (ใช้ . _ - ได้)")
    if not display_name:
        raise AccountError("กรุณากรอกชื่อที่แสดง")
    if db.session.scalar(select(StaffUser).where(func.lower(StaffUser.username) == username)):
        raise AccountError("ชื่อผู้ใช้ {username} มีอยู่แล้ว", username=username)
    if problem := password_problem(password):
        raise AccountError(problem)
    user = StaffUser(username=username, display_name=display_name, roles=_clean_roles(roles),
                     password_hash=hash_password(password), division=division or None, email=email or None,
                     active=True, failed_logins=0, language="th", created_at=utcnow())
    db.session.add(user)
    db.session.flush()
    if user.has_role("officer"):
        user.create_key_pair(password, server_keys().kdf_cost)
    AuditEntry.record(db.session, "user.created", staff_id=admin.id, target_type="staff_user", target_id=user.id,
                      detail=f"roles={user.roles}")
    return user


def set_roles(admin: StaffUser, user: StaffUser, roles: list[str]) -> None:
    """Change a user's roles; taking the officer role away revokes every complaint grant they held."""
    new = _clean_roles(roles)
    if user.id == admin.id and "admin" not in new.split(","):
        raise AccountError("ไม่สามารถถอดบทบาทผู้ดูแลระบบของตนเองได้")
    was_officer, was_reader = user.has_role("officer"), is_reader(db.session, user)
    user.roles = new
    if was_officer and not user.has_role("officer"):
        user.revoke_complaint_access(db.session)
        drop_certificates(db.session, user)
        if was_reader:
            grants.announce_lost_reader(user, by=admin, why="officer role removed")
    AuditEntry.record(db.session, "user.roles", staff_id=admin.id, target_type="staff_user", target_id=user.id,
                      detail=f"roles={new}")


def deactivate(admin: StaffUser, user: StaffUser) -> int:
    """Remove a user: sign them out, stop sealing to them and revoke their grants; return grants revoked."""
    if user.id == admin.id:
        raise AccountError("ไม่สามารถปิดบัญชีของตนเองได้")
    was_reader = is_reader(db.session, user)
    user.active = False
    staff_line.unlink(user, admin)  # removing the account ends its LINE link
    revoked = user.revoke_complaint_access(db.session)
    drop_certificates(db.session, user)
    if was_reader:
        grants.announce_lost_reader(user, by=admin, why="account removed")
    StaffSession.end_all(db.session, user.id)
    AuditEntry.record(db.session, "user.deactivated", staff_id=admin.id, target_type="staff_user", target_id=user.id,
                      detail=f"{revoked} complaint grants revoked")
    return revoked


def reactivate(admin: StaffUser, user: StaffUser) -> None:
    """Let a removed user sign in again (an officer must be granted access anew)."""
    user.active = True
    AuditEntry.record(db.session, "user.reactivated", staff_id=admin.id, target_type="staff_user", target_id=user.id)


def unlock(admin: StaffUser, user: StaffUser) -> None:
    """Lift a lockout."""
    user.failed_logins, user.locked_until = 0, None
    AuditEntry.record(db.session, "user.unlocked", staff_id=admin.id, target_type="staff_user", target_id=user.id)


def reset_password(admin: StaffUser, user: StaffUser, password: str) -> bool:
    """Set a new password for someone who forgot theirs; return True when their old key was lost.

    The old private key was wrapped under the forgotten password, so it cannot be recovered: an
    officer gets a fresh key pair and must be granted access again by another officer or by recovery.
    """
    if problem := password_problem(password):
        raise AccountError(problem)
    lost_key = user.private_key_wrapped is not None
    was_reader = is_reader(db.session, user)
    drop_certificates(db.session, user)
    if user.has_role("officer"):
        user.replace_key_pair(db.session, password, server_keys().kdf_cost)
    else:
        user.revoke_complaint_access(db.session)
        user.public_key = user.private_key_wrapped = None
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.failed_logins, user.locked_until = 0, None
    StaffSession.end_all(db.session, user.id)
    AuditEntry.record(db.session, "user.password_reset", staff_id=admin.id, target_type="staff_user",
                      target_id=user.id, detail="key pair replaced" if lost_key else None)
    if was_reader:
        grants.announce_lost_reader(user, by=admin, why="password reset: key pair replaced")
    return lost_key


def reset_totp(admin: StaffUser, user: StaffUser) -> None:
    """Remove a user's second factor so they enrol a new one at next sign-in."""
    user.set_totp_secret(server_keys().keyring, None)
    user.totp_last_counter = None
    StaffSession.end_all(db.session, user.id)
    AuditEntry.record(db.session, "user.totp_reset", staff_id=admin.id, target_type="staff_user", target_id=user.id)
