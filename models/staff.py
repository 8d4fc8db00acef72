"""Staff accounts, their key material, and the office recovery key."""
from __future__ import annotations

import base64
import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models import crypto
from models.base import Base, utcnow
from models.complaint import ComplaintKey

ROLES = ("admin", "officer", "executive", "integrity", "staff")
ROLE_LABELS = {"admin": "ผู้ดูแลระบบ", "officer": "เจ้าหน้าที่รับเรื่องร้องเรียน",
               "executive": "ผู้บริหาร", "integrity": "ผู้รับผิดชอบนโยบาย No Gift", "staff": "บุคลากร"}


class StaffUser(Base):
    """A member of staff who signs in to the console."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[str] = mapped_column(String(100), default="staff")  # comma-separated ROLES
    division: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret_enc: Mapped[bytes | None]  #: C: the TOTP secret (server keyring)
    line_user_enc: Mapped[bytes | None]  #: C: LINE user id for report delivery (server keyring)
    #: P: keyed hash of the linked LINE user id ("staff_line" purpose), to know a linked user without the id
    line_index: Mapped[bytes | None] = mapped_column(unique=True)
    public_key: Mapped[bytes | None]  #: P: X25519 public key complaints are sealed to
    verify_key: Mapped[bytes | None]  #: P: Ed25519 key that checks the certificates this user signs
    private_key_wrapped: Mapped[bytes | None]  #: S: X25519 private key under the password-derived key
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    language: Mapped[str] = mapped_column(String(2), default="th")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    totp_last_counter: Mapped[int | None]  #: P: the last accepted TOTP time step, so a code works once
    password_changed_at: Mapped[datetime | None]

    @property
    def role_set(self) -> frozenset[str]:
        """Return the roles this user holds."""
        return frozenset(r for r in self.roles.split(",") if r)

    def has_role(self, role: str) -> bool:
        """Return True when the user holds the role."""
        return role in self.role_set

    @property
    def recipient_label(self) -> str:
        """Return the label complaint keys sealed to this user are filed under."""
        return f"staff:{self.id}"

    def set_totp_secret(self, keyring, secret: str | None) -> None:
        """Store the TOTP secret encrypted (None removes it)."""
        self.totp_secret_enc = self.encrypt_c(keyring, "totp_secret", secret)

    def totp_secret(self, keyring) -> str | None:
        """Return the TOTP secret, or None when none is enrolled."""
        raw = self.decrypt_c(keyring, "totp_secret", self.totp_secret_enc)
        return None if raw is None else raw.decode()

    def set_line_user(self, keyring, line_user_id: str | None) -> None:
        """Store the user's LINE user id (for report delivery) encrypted."""
        self.line_user_enc = self.encrypt_c(keyring, "line_user", line_user_id)

    def link_line(self, keyring, index, line_user_id: str) -> None:
        """Link a LINE account: its id encrypted, a keyed hash to find this account by it."""
        self.set_line_user(keyring, line_user_id)
        self.line_index = index.digest("staff_line", line_user_id)

    def unlink_line(self) -> None:
        """Forget the linked LINE account."""
        self.line_user_enc, self.line_index = None, None

    def line_user(self, keyring) -> str | None:
        """Return the user's LINE user id, or None."""
        raw = self.decrypt_c(keyring, "line_user", self.line_user_enc)
        return None if raw is None else raw.decode()

    def _key_ad(self) -> bytes:
        return crypto.associated_data("staff_user", self.id, "private_key")

    def create_key_pair(self, password: str, cost: tuple[int, int, int]):
        """Make this user's key pair, wrapping the private half under their password; return it."""
        private = crypto.generate_private_key()
        self.public_key = crypto.public_bytes(private)
        self.verify_key = crypto.verify_key_bytes(private)
        self.private_key_wrapped = crypto.wrap_with_password(crypto.private_bytes(private), password,
                                                             self._key_ad(), cost)
        return private

    def unlock_private_key(self, password: str):
        """Unwrap the private key with the password, or raise DecryptionError."""
        if not self.private_key_wrapped:
            raise crypto.DecryptionError("this user has no key pair")
        return crypto.private_key_from_bytes(
            crypto.unwrap_with_password(self.private_key_wrapped, password, self._key_ad()))

    def rewrap_private_key(self, private_key, new_password: str, cost: tuple[int, int, int]) -> None:
        """Wrap the (already unlocked) private key under a new password."""
        self.private_key_wrapped = crypto.wrap_with_password(crypto.private_bytes(private_key), new_password,
                                                             self._key_ad(), cost)

    def wrap_for_session(self, private_key) -> tuple[bytes, bytes]:
        """Re-wrap the private key under a fresh session key; return (session key, wrapped key)."""
        session_key = crypto.new_key()
        ad = crypto.associated_data("staff_session", self.id, "private_key")
        return session_key, crypto.encrypt(session_key, crypto.private_bytes(private_key), ad)

    def unwrap_for_session(self, session_key: bytes, wrapped: bytes):
        """Open a session-wrapped private key, or raise DecryptionError."""
        ad = crypto.associated_data("staff_session", self.id, "private_key")
        return crypto.private_key_from_bytes(crypto.decrypt(session_key, wrapped, ad))

    def revoke_complaint_access(self, session: Session) -> int:
        """Delete every complaint key sealed to this user; return how many were removed."""
        grants = list(session.scalars(select(ComplaintKey).where(ComplaintKey.recipient == self.recipient_label)))
        for grant in grants:
            grant.complaint.keys.remove(grant)  # delete-orphan removes the row
        return len(grants)

    def replace_key_pair(self, session: Session, password: str, cost: tuple[int, int, int]):
        """Give the user a fresh key pair (their old one is lost) and drop the grants sealed to the old one."""
        self.revoke_complaint_access(session)
        return self.create_key_pair(password, cost)

    @classmethod
    def complaint_officers(cls, session: Session) -> list["StaffUser"]:
        """Return the active complaint officers who have a key pair (certified or not)."""
        users = session.scalars(select(cls).where(cls.active.is_(True), cls.public_key.is_not(None)))
        return [u for u in users if u.has_role("officer")]


class StaffSession(Base):
    """A signed-in browser: the officer's private key wrapped under a key that only the cookie holds."""

    __tablename__ = "staff_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  #: P: SHA-256 of the cookie's session id
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(16))  # totp (password given), enroll (TOTP to set up), active
    key_wrapped: Mapped[bytes | None]  #: S: private key under the cookie's session key (useless without it)
    pending_totp_enc: Mapped[bytes | None]  #: C: a TOTP secret being enrolled (server keyring)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    @staticmethod
    def digest(token: str) -> str:
        """Return the stored form of a cookie's session id."""
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def start(cls, session: Session, user: StaffUser, stage: str, private_key=None) -> tuple["StaffSession", str, bytes]:
        """Open a session for a user; return it, the cookie's session id and the cookie's session key."""
        token = secrets.token_urlsafe(32)
        row = cls(id=cls.digest(token), staff_id=user.id, stage=stage, created_at=utcnow(), last_seen_at=utcnow())
        session_key = b""
        if private_key is not None:
            session_key, row.key_wrapped = user.wrap_for_session(private_key)
        session.add(row)
        return row, token, session_key

    @classmethod
    def find(cls, session: Session, token: str) -> "StaffSession | None":
        """Return the session a cookie's id names, or None."""
        return session.get(cls, cls.digest(token)) if token else None

    def is_expired(self, idle: timedelta, longest: timedelta) -> bool:
        """Return True when the session sat idle too long or has lived too long."""
        now = utcnow()
        return now - self.last_seen_at > idle or now - self.created_at > longest

    def private_key(self, user: StaffUser, session_key: bytes):
        """Return the officer's private key opened with the cookie's session key, or None."""
        if not self.key_wrapped or not session_key:
            return None
        try:
            return user.unwrap_for_session(session_key, self.key_wrapped)
        except crypto.DecryptionError:
            return None

    def set_pending_totp(self, keyring, secret: str | None) -> None:
        """Keep a TOTP secret being enrolled, encrypted, until the first code confirms it."""
        self.pending_totp_enc = self.encrypt_c(keyring, "pending_totp", secret)

    def pending_totp(self, keyring) -> str | None:
        """Return the TOTP secret being enrolled, or None."""
        raw = self.decrypt_c(keyring, "pending_totp", self.pending_totp_enc)
        return None if raw is None else raw.decode()

    @classmethod
    def purge_expired(cls, session: Session, idle: timedelta, longest: timedelta) -> None:
        """Delete the sessions nobody can use any more (idle or too old)."""
        now = utcnow()
        session.execute(delete(cls).where((cls.last_seen_at < now - idle) | (cls.created_at < now - longest)))

    @classmethod
    def end_all(cls, session: Session, staff_id: int, keep: str | None = None) -> None:
        """Sign a user out everywhere (except, optionally, the session with id `keep`)."""
        query = delete(cls).where(cls.staff_id == staff_id)
        if keep:
            query = query.where(cls.id != keep)
        session.execute(query)


class RecoveryKey(Base):
    """The office recovery key's public half; its private half is on paper in the office safe."""

    __tablename__ = "recovery_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_key: Mapped[bytes]  #: P: X25519 public key
    verify_key: Mapped[bytes | None]  #: P: Ed25519 key that checks reader certificates it signed (the root)
    fingerprint: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def recipient_label(self) -> str:
        """Return the label complaint keys sealed to the recovery key are filed under."""
        return f"recovery:{self.id}"

    @staticmethod
    def fingerprint_of(public_key: bytes) -> str:
        """Return a short fingerprint to check a printed key against."""
        return hashlib.sha256(public_key).hexdigest()[:16]

    @classmethod
    def create(cls, session: Session) -> tuple["RecoveryKey", str]:
        """Make a new active recovery key pair; return the row and the private half as printable text."""
        for old in session.scalars(select(cls).where(cls.active.is_(True))):
            old.active = False
        private = crypto.generate_private_key()
        key = cls.add(session, private, active=True)
        raw = crypto.private_bytes(private)
        body = base64.b32encode(raw).decode().rstrip("=")
        check = hashlib.sha256(raw).hexdigest()[:4].upper()
        groups = [body[i:i + 4] for i in range(0, len(body), 4)]
        return key, "SJR1-" + "-".join(groups) + "-" + check

    @classmethod
    def add(cls, session: Session, private_key, *, active: bool) -> "RecoveryKey":
        """Store the public halves of a recovery key pair."""
        public = crypto.public_bytes(private_key)
        key = cls(public_key=public, verify_key=crypto.verify_key_bytes(private_key),
                  fingerprint=cls.fingerprint_of(public), active=active, created_at=utcnow())
        session.add(key)
        session.flush()
        return key

    @staticmethod
    def parse_private(text: str):
        """Read a printed recovery key back into a private key, or raise DecryptionError on a typo."""
        compact = re.sub(r"[\s\-]", "", text or "").upper()
        if not compact.startswith("SJR1") or len(compact) != 4 + 52 + 4:
            raise crypto.DecryptionError("not a Sujarit recovery key (it starts with SJR1-)")
        body, check = compact[4:56], compact[56:]
        try:
            raw = base64.b32decode(body + "====")
        except ValueError:
            raise crypto.DecryptionError("the recovery key has a character that cannot be in it") from None
        if hashlib.sha256(raw).hexdigest()[:4].upper() != check:
            raise crypto.DecryptionError("the recovery key's check group does not match: look for a typo")
        return crypto.private_key_from_bytes(raw)

    @classmethod
    def matching(cls, session: Session, private_key) -> "RecoveryKey | None":
        """Return the recovery key (active or retired) whose private half this is, or None."""
        return session.scalar(select(cls).where(cls.public_key == crypto.public_bytes(private_key)))

    @classmethod
    def current(cls, session: Session) -> "RecoveryKey | None":
        """Return the active recovery key."""
        return session.scalar(select(cls).where(cls.active.is_(True)).order_by(cls.id.desc()))
