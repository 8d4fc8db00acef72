"""Key grants: seal complaints' data keys to an officer, by another officer's key or the recovery key."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from models import AuditEntry, Complaint, ComplaintKey, NoAccess, Recipient, StaffUser, db
from models.staff import RecoveryKey


@dataclass(frozen=True)
class OfficerAccess:
    """How many complaints an officer cannot open yet."""

    officer: StaffUser
    missing: int


def access_overview() -> list[OfficerAccess]:
    """Return every active officer with how many complaints hold no key sealed to them."""
    total = db.session.scalar(select(func.count()).select_from(Complaint)) or 0
    held = dict(db.session.execute(select(ComplaintKey.recipient, func.count()).group_by(ComplaintKey.recipient)).all())
    users = db.session.scalars(select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.display_name))
    return [OfficerAccess(u, total - held.get(u.recipient_label, 0)) for u in users if u.has_role("officer")]


def _grant_with(recipient_label: str, private_key, grantee: StaffUser) -> int:
    if grantee.public_key is None or not grantee.active or not grantee.has_role("officer"):
        raise ValueError("only an active officer with a key pair can be granted access")
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


def grant_by_officer(granter: StaffUser, private_key, grantee: StaffUser) -> int:
    """Grant another officer every complaint the granter can open; return how many were granted."""
    if private_key is None:
        raise NoAccess("the granting officer's key is not unlocked")
    granted = _grant_with(granter.recipient_label, private_key, grantee)
    AuditEntry.record(db.session, "key.grant", staff_id=granter.id, target_type="staff_user", target_id=grantee.id,
                      detail=f"{granted} complaints")
    return granted


def grant_by_recovery(recovery_private_key, grantee: StaffUser) -> int:
    """Grant an officer every complaint sealed to the office recovery key; return how many."""
    recovery = RecoveryKey.matching(db.session, recovery_private_key)
    if recovery is None:
        raise NoAccess("this is not one of the office's recovery keys")
    granted = _grant_with(recovery.recipient_label, recovery_private_key, grantee)
    AuditEntry.record(db.session, "key.recover", target_type="staff_user", target_id=grantee.id,
                      detail=f"{granted} complaints, recovery key {recovery.fingerprint}")
    return granted
