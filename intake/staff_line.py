"""Linking a staff account to a LINE account with a one-time code typed in the LINE chat.

The link is a keyed hash (to recognise the LINE user) and the LINE user id encrypted under the server
keyring (to push to them); no plain user id is ever stored next to a name.
"""
from __future__ import annotations

import re
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from intake.signals import staff_line_unlinked
from models import AuditEntry, StaffUser, db, server_keys, utcnow
from models.gifts import StaffLinkCode
from models.keyring import CROCKFORD

CODE_LIFETIME = timedelta(minutes=15)
#: What the staff member types in LINE: "เชื่อมบัญชี ABCD-EFGH".
LINK_WORD = "เชื่อมบัญชี"
LINK_TEXT = re.compile(rf"^{LINK_WORD}\s*([0-9A-Za-z]{{4}})-?([0-9A-Za-z]{{4}})$")


def _index(code: str) -> bytes:
    return server_keys().index.digest("staff_link_code", code.upper())


def new_link_code(staff: StaffUser) -> str:
    """Make a fresh one-time code (40 random bits, 15 minutes) for the staff member; an older one stops working."""
    db.session.execute(delete(StaffLinkCode).where(StaffLinkCode.staff_id == staff.id))
    code = "".join(secrets.choice(CROCKFORD) for _ in range(8))
    db.session.add(StaffLinkCode(code_index=_index(code), staff_id=staff.id, expires_at=utcnow() + CODE_LIFETIME))
    AuditEntry.record(db.session, "line.link_code", staff_id=staff.id, target_type="staff_user", target_id=staff.id)
    return f"{code[:4]}-{code[4:]}"


def link_by_text(line_user_id: str, text: str) -> StaffUser | None:
    """Link the LINE user to the account whose code the text carries; return the account, or None."""
    match = LINK_TEXT.match(text.strip())
    if not match or not line_user_id:
        return None
    row = db.session.get(StaffLinkCode, _index("".join(match.groups())))
    if row is None:
        return None
    db.session.delete(row)  # a code works once, even when it has expired
    staff = db.session.get(StaffUser, row.staff_id)
    if row.expires_at < utcnow() or staff is None or not staff.active:
        return None
    keys = server_keys()
    previous = staff_for_line(line_user_id)
    if previous is not None and previous.id != staff.id:
        previous.unlink_line()  # one LINE account speaks for one staff member
        db.session.flush()
    staff.link_line(keys.keyring, keys.index, line_user_id)
    AuditEntry.record(db.session, "line.linked", staff_id=staff.id, target_type="staff_user", target_id=staff.id)
    return staff


def staff_for_line(line_user_id: str) -> StaffUser | None:
    """Return the active staff account linked to a LINE user, or None (citizens are never told either way)."""
    if not line_user_id:
        return None
    index = server_keys().index.digest("staff_line", line_user_id)
    return db.session.scalar(select(StaffUser).where(StaffUser.line_index == index, StaffUser.active.is_(True)))


def unlink(staff: StaffUser, by: StaffUser) -> None:
    """End the staff member's LINE link (the bot hears of it and gives back the citizens' menu)."""
    line_user_id = staff.line_user(server_keys().keyring)
    if line_user_id is None:
        return
    staff.unlink_line()
    AuditEntry.record(db.session, "line.unlinked", staff_id=by.id, target_type="staff_user", target_id=staff.id)
    staff_line_unlinked.send(current_app._get_current_object(), line_user=line_user_id)


def linked_staff(roles: frozenset[str] | None = None) -> list[tuple[StaffUser, str]]:
    """Return (account, LINE user id) of every active linked staff member, optionally only those with a role."""
    keyring = server_keys().keyring
    users = db.session.scalars(select(StaffUser).where(StaffUser.active.is_(True), StaffUser.line_index.is_not(None))
                               .order_by(StaffUser.id))
    return [(u, u.line_user(keyring)) for u in users if roles is None or u.role_set & roles]
