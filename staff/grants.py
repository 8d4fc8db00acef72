"""Readers and key grants: a reader (or the recovery key) certifies an officer and seals the complaints to them.

Certifying signs the officer's current keys (models.readers) and grants every complaint the signer
can open; revoking withdraws the certificate and the grants. Each change is announced to every
reader: in the console (the access page and a notice), in LINE and by e-mail.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from models import (AuditEntry, Complaint, ComplaintKey, NoAccess, NotReader, Recipient, StaffUser, db,
                    server_keys, utcnow)
from models import readers
from models.staff import RecoveryKey
from staff.signals import reader_changed
from stats.delivery import send_mail

#: Audit actions that change who reads complaints; every reader sees them.
READER_ACTIONS = ("reader.certified", "reader.revoked")
#: What every reader is told (LINE, e-mail): names only, never case content.
ANNOUNCEMENTS = {
    "reader.certified": "แจ้งเตือนความปลอดภัย: {who} รับรองให้ {whom} เป็นผู้อ่านเรื่องร้องเรียน "
                        "หากท่านไม่ทราบเรื่องนี้ กรุณาตรวจสอบที่หน้าสิทธิ์เข้าถึงทันที",
    "reader.revoked": "แจ้งเตือนความปลอดภัย: {who} ถอนสิทธิ์อ่านเรื่องร้องเรียนของ {whom} "
                      "หากท่านไม่ทราบเรื่องนี้ กรุณาตรวจสอบที่หน้าสิทธิ์เข้าถึงทันที",
}
#: How long the console keeps reminding readers of a change.
NOTICE_DAYS = 7


@dataclass(frozen=True)
class OfficerAccess:
    """An officer's standing: certified reader or not, and how many complaints they cannot open yet."""

    officer: StaffUser
    reader: bool
    missing: int


def access_overview() -> list[OfficerAccess]:
    """Return every active officer with whether they read and how many complaints hold no key for them."""
    total = db.session.scalar(select(func.count()).select_from(Complaint)) or 0
    held = dict(db.session.execute(select(ComplaintKey.recipient, func.count()).group_by(ComplaintKey.recipient)).all())
    trail = readers.certificate_trail(db.session)
    users = db.session.scalars(select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.display_name))
    return [OfficerAccess(u, u.id in trail, total - held.get(u.recipient_label, 0)) for u in users
            if u.has_role("officer")]


def reader_log(days: int | None = None) -> list[AuditEntry]:
    """Return the certifications and revocations, newest first (within the last `days` when given)."""
    query = select(AuditEntry).where(AuditEntry.action.in_(READER_ACTIONS))
    if days is not None:
        query = query.where(AuditEntry.at >= utcnow() - timedelta(days=days))
    return list(db.session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(200)))


def _grant_with(recipient_label: str, private_key, grantee: StaffUser) -> int:
    target = Recipient(grantee.recipient_label, grantee.public_key)
    lacking = select(ComplaintKey.complaint_id).where(ComplaintKey.recipient == grantee.recipient_label)
    granted = 0
    for complaint in db.session.scalars(select(Complaint).where(Complaint.id.not_in(lacking))):
        try:
            complaint.open_with(recipient_label, private_key).grant(target)
        except NoAccess:
            continue  # the granter cannot open this one either
        granted += 1
    db.session.flush()
    return granted


def _require_reader(user: StaffUser, private_key) -> None:
    if private_key is None:
        raise NoAccess("the officer's key is not unlocked")
    if not readers.is_reader(db.session, user):
        raise NotReader("only a certified reader certifies or revokes")


def certify_by_officer(granter: StaffUser, private_key, grantee: StaffUser) -> int:
    """Certify an officer with a reader's key and grant them what the reader opens; return how many."""
    _require_reader(granter, private_key)
    readers.certify(db.session, granter.recipient_label, private_key, grantee)
    granted = _grant_with(granter.recipient_label, private_key, grantee)
    _announce("reader.certified", grantee, by=granter, detail=f"{granted} complaints")
    return granted


def grant_by_officer(granter: StaffUser, private_key, grantee: StaffUser) -> int:
    """Grant a certified reader every complaint the granter can open that they lack; return how many."""
    _require_reader(granter, private_key)
    if not readers.is_reader(db.session, grantee):
        raise NotReader("complaints are granted to certified readers only")
    granted = _grant_with(granter.recipient_label, private_key, grantee)
    AuditEntry.record(db.session, "key.grant", staff_id=granter.id, target_type="staff_user", target_id=grantee.id,
                      detail=f"{granted} complaints")
    return granted


def revoke_by_officer(revoker: StaffUser, private_key, subject: StaffUser) -> int:
    """Withdraw a reader's certificate and grants; return how many grants were removed."""
    _require_reader(revoker, private_key)
    removed = readers.revoke(db.session, revoker, private_key, subject)
    _announce("reader.revoked", subject, by=revoker, detail=f"{removed} complaint grants removed")
    return removed


def certify_by_recovery(recovery_private_key, grantee: StaffUser) -> int:
    """Certify an officer with the office recovery key and grant every complaint sealed to it; return how many."""
    recovery = RecoveryKey.matching(db.session, recovery_private_key)
    if recovery is None:
        raise NoAccess("this is not one of the office's recovery keys")
    readers.certify(db.session, recovery.recipient_label, recovery_private_key, grantee)
    granted = _grant_with(recovery.recipient_label, recovery_private_key, grantee)
    _announce("reader.certified", grantee, by=None,
              detail=f"{granted} complaints, recovery key {recovery.fingerprint}")
    return granted


def announce_lost_reader(user: StaffUser, *, by: StaffUser, why: str) -> None:
    """Tell every reader that an admin's change (password reset, role, removal) ended someone's reading."""
    _announce("reader.revoked", user, by=by, detail=why)


def _announce(action: str, subject: StaffUser, *, by: StaffUser | None, detail: str) -> None:
    AuditEntry.record(db.session, action, staff_id=by.id if by else None, target_type="staff_user",
                      target_id=subject.id, detail=detail)
    text = ANNOUNCEMENTS[action].format(who=by.display_name if by else "กุญแจกู้คืนของสำนักงาน",
                                        whom=f"{subject.display_name} ({subject.username})")
    told = {u.id: u for u in readers.valid_readers(db.session)}
    told.setdefault(subject.id, subject)  # a revoked reader hears of it too
    keyring = server_keys().keyring
    app = current_app._get_current_object()
    line_users = [line for u in told.values() if (line := u.line_user(keyring))]
    reader_changed.send(app, text=text, line_users=line_users)
    send_mail(f"[{app.config['PROFILE'].short_name}] แจ้งเตือนความปลอดภัย: ผู้อ่านเรื่องร้องเรียน",
              [u.email for u in told.values() if u.email], f"{text}\n\n{app.config['PROFILE'].name}\n")
