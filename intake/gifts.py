"""Staff's No Gift Policy duties: report a gift, answer the monthly check-in, acknowledge the declaration.

The console and the LINE dialog call these same functions. Givers' names and descriptions are staff
personal data (tier C): only the reporter, executives and integrity officers open them, and each
opening is audited.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select

from config.thai import be_year, to_local
from intake.errors import IntakeError
from models import AuditEntry, StaffUser, db, server_keys, utcnow
from models.gifts import (
    GIVER_KINDS, OCCASIONS, OUTCOMES, DeclarationAck, GiftCheckin, GiftReport, NoGiftDeclaration, may_keep,
)

#: Roles that may open anyone's register entry and see the flags (besides the reporter).
READERS = frozenset({"executive", "integrity"})
NAME_LIMIT, DESCRIPTION_LIMIT, NOTE_LIMIT = 200, 1000, 1000
VALUE_LIMIT = 100_000_000


class NotAllowed(PermissionError):
    """The staff member may not see or do this."""


def threshold() -> int:
    """Return the profile's gift threshold in baht."""
    return current_app.config["PROFILE"].gift_threshold_baht


def month_key(day: date) -> str:
    """Return the check-in key of the month a day falls in: "YYYY-MM" (CE)."""
    return f"{day.year:04d}-{day.month:02d}"


def month_asked(now: datetime) -> str:
    """Return the month a check-in made at `now` asks about: the month before (Bangkok time)."""
    today = to_local(now).date()
    return month_key(date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1))


def report_gift(staff: StaffUser, *, received_on: date | str | None, occasion: str, giver_kind: str, giver_name: str,
                description: str, value_baht: int | str | None, outcome: str, channel: str,
                now: datetime | None = None) -> GiftReport:
    """Validate and register one gift; flag it for the executive when it must be; raise IntakeError in Thai."""
    now = now or utcnow()
    errors: dict[str, str] = {}
    day = _date(received_on)
    if day is None:
        errors["received_on"] = "กรุณาระบุวันที่ได้รับหรือได้รับการเสนอให้ (วัน/เดือน/ปี)"
    elif day > to_local(now).date():
        errors["received_on"] = "วันที่ต้องไม่อยู่ในอนาคต"
    if occasion not in OCCASIONS:
        errors["occasion"] = "กรุณาเลือกโอกาส"
    if giver_kind not in GIVER_KINDS:
        errors["giver_kind"] = "กรุณาเลือกประเภทผู้ให้"
    giver_name, description = (giver_name or "").strip(), (description or "").strip()
    if not giver_name or len(giver_name) > NAME_LIMIT:
        errors["giver_name"] = f"กรุณาระบุชื่อผู้ให้ (ไม่เกิน {NAME_LIMIT} ตัวอักษร)"
    if not description or len(description) > DESCRIPTION_LIMIT:
        errors["description"] = f"กรุณาระบุว่าเป็นทรัพย์สินหรือประโยชน์อะไร (ไม่เกิน {DESCRIPTION_LIMIT:,} ตัวอักษร)"
    value = _baht(value_baht)
    if value is None:
        errors["value_baht"] = "กรุณาระบุมูลค่าโดยประมาณเป็นจำนวนบาท (ตัวเลข 0 ขึ้นไป)"
    if outcome not in OUTCOMES:
        errors["outcome"] = "กรุณาเลือกว่าได้ดำเนินการอย่างไร"
    if errors:
        raise IntakeError(errors)
    limit = threshold()
    gift = GiftReport(id=uuid.uuid4(), staff_id=staff.id, division=staff.division, received_on=day, reported_at=now,
                      channel=channel, occasion=occasion, giver_kind=giver_kind, value_baht=value, outcome=outcome,
                      flagged=value > limit or (outcome == "kept" and not may_keep(giver_kind, value, limit)))
    gift.seal(server_keys().keyring, giver_name, description)
    db.session.add(gift)
    _answer_checkin(staff, month_key(day), "reported", channel, now)
    AuditEntry.record(db.session, "gift.reported", staff_id=staff.id, target_type="gift", target_id=gift.id,
                      detail="flagged" if gift.flagged else None)
    db.session.flush()
    return gift


def nil_return(staff: StaffUser, month: str, channel: str, now: datetime | None = None) -> GiftCheckin:
    """Answer a month's check-in with "nobody gave me anything" (answering twice keeps the first answer)."""
    return _answer_checkin(staff, month, "nil", channel, now or utcnow())


def _answer_checkin(staff: StaffUser, month: str, answer: str, channel: str, now: datetime) -> GiftCheckin:
    row = db.session.scalar(select(GiftCheckin).where(GiftCheckin.staff_id == staff.id, GiftCheckin.month == month))
    if row is None:
        row = GiftCheckin(staff_id=staff.id, month=month, answer=answer, channel=channel, answered_at=now)
        db.session.add(row)
    elif answer == "reported" and row.answer == "nil":
        row.answer = "reported"  # a gift reported later for a month answered "nothing" corrects the answer
    db.session.flush()
    return row


def checkin_answer(staff: StaffUser, month: str) -> GiftCheckin | None:
    """Return the staff member's answer for a month, or None."""
    return db.session.scalar(select(GiftCheckin).where(GiftCheckin.staff_id == staff.id, GiftCheckin.month == month))


def can_read(viewer: StaffUser, gift: GiftReport) -> bool:
    """Return True when the viewer may open the register entry's details."""
    return gift.staff_id == viewer.id or bool(viewer.role_set & READERS)


def open_gift(viewer: StaffUser, gift_id) -> tuple[GiftReport, str, str, str]:
    """Return an entry with its giver's name, description and decision note, auditing the view."""
    gift = _gift(gift_id)
    if not can_read(viewer, gift):
        AuditEntry.record(db.session, "gift.refused", staff_id=viewer.id, target_type="gift", target_id=gift.id)
        raise NotAllowed("gift")
    AuditEntry.record(db.session, "gift.view", staff_id=viewer.id, target_type="gift", target_id=gift.id)
    return (gift, *gift.opened(server_keys().keyring))


def register_of(viewer: StaffUser, flagged_only: bool = False) -> list[GiftReport]:
    """Return the entries the viewer may list (their own, or everyone's for readers), newest first."""
    query = select(GiftReport).order_by(GiftReport.reported_at.desc())
    if not viewer.role_set & READERS:
        query = query.where(GiftReport.staff_id == viewer.id)
    if flagged_only:
        query = query.where(GiftReport.flagged.is_(True))
    return list(db.session.scalars(query.limit(500)))


def decide(executive: StaffUser, gift_id, decision: str, note: str = "") -> GiftReport:
    """Record an executive's decision on a flagged entry."""
    if not executive.has_role("executive"):
        raise NotAllowed("decide")
    gift = _gift(gift_id)
    note = (note or "").strip()[:NOTE_LIMIT]
    gift.decide(server_keys().keyring, decision, note, executive.id)
    AuditEntry.record(db.session, "gift.decided", staff_id=executive.id, target_type="gift", target_id=gift.id,
                      detail=decision)
    return gift


def current_declaration(now: datetime | None = None) -> NoGiftDeclaration | None:
    """Return the approved declaration of the current fiscal year, or None."""
    today = to_local(now or utcnow()).date()
    year = be_year(today.year + (today.month >= 10))  # the fiscal year ends on 30 September
    return db.session.scalar(select(NoGiftDeclaration).where(NoGiftDeclaration.fiscal_year == year,
                                                             NoGiftDeclaration.status == "approved"))


def acknowledge(staff: StaffUser, declaration: NoGiftDeclaration, channel: str) -> DeclarationAck:
    """Record that a staff member acknowledges the declaration (once; a second tap changes nothing)."""
    if declaration.status != "approved":
        raise IntakeError({"declaration": "ประกาศยังไม่ได้รับอนุมัติ"})
    ack = db.session.get(DeclarationAck, (declaration.id, staff.id))
    if ack is None:
        ack = DeclarationAck(declaration_id=declaration.id, staff_id=staff.id, at=utcnow(), channel=channel)
        db.session.add(ack)
        AuditEntry.record(db.session, "declaration.acknowledged", staff_id=staff.id, target_type="declaration",
                          target_id=declaration.id)
        db.session.flush()
    return ack


def has_acknowledged(staff: StaffUser, declaration: NoGiftDeclaration) -> bool:
    """Return True when the staff member acknowledged the declaration."""
    return db.session.get(DeclarationAck, (declaration.id, staff.id)) is not None


def _gift(gift_id) -> GiftReport:
    try:
        key = gift_id if isinstance(gift_id, uuid.UUID) else uuid.UUID(str(gift_id))
    except ValueError:
        raise LookupError("gift") from None
    gift = db.session.get(GiftReport, key)
    if gift is None:
        raise LookupError("gift")
    return gift


def _date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _baht(value) -> int | None:
    text = str(value if value is not None else "").replace(",", "").replace("บาท", "").strip()
    text = text.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))
    try:
        number = round(float(text))
    except ValueError:
        return None
    return number if 0 <= number <= VALUE_LIMIT else None

