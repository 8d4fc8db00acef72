"""No Gift Policy records: the gift register, monthly check-ins, the yearly declaration, culture activities."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.base import Base, utcnow

# Labels fit a LINE quick-reply button (20 characters): the LINE dialog offers them as they are.
OCCASIONS = {"new_year": "ปีใหม่", "songkran": "สงกรานต์", "festival": "เทศกาลอื่น ๆ", "duty": "ขณะปฏิบัติหน้าที่",
             "personal": "โอกาสส่วนตัว", "other": "อื่น ๆ"}
GIVER_KINDS = {"citizen": "ประชาชน/ผู้รับบริการ", "contractor": "ผู้รับจ้าง/ผู้ขาย",
               "agency": "หน่วยงานอื่น", "relative": "ญาติ", "other": "อื่น ๆ"}
OUTCOMES = {"declined": "ปฏิเสธไม่รับ", "returned": "ส่งคืนผู้ให้", "handed_over": "ส่งมอบให้หน่วยงาน",
            "kept": "รับไว้ตามธรรมจรรยา"}
DECISIONS = {"allow_keep": "อนุญาตให้รับไว้ได้", "hand_over": "ให้ส่งมอบเป็นของหน่วยงาน",
             "give_back": "ให้ส่งคืนผู้ให้", "noted": "รับทราบ (ดำเนินการเหมาะสมแล้ว)"}
ACTIVITY_KINDS = {"meeting": "การประชุม", "seminar": "การสัมมนา/อบรม", "briefing": "การชี้แจง/ประชาสัมพันธ์",
                  "other": "กิจกรรมอื่น ๆ"}
CHECKIN_ANSWERS = {"nil": "ไม่มีผู้ให้", "reported": "รายงานการรับแล้ว"}


class GiftError(ValueError):
    """A No Gift record refuses a change; the message is Thai, for the person who asked."""


def may_keep(giver_kind: str, value_baht: int, threshold_baht: int) -> bool:
    """Return True when a gift may be kept by custom: from a relative, or at most the threshold from a
    non-relative who has no business with the office (a contractor's gift is never kept)."""
    if giver_kind == "relative":
        return True
    return giver_kind != "contractor" and value_baht <= threshold_baht


class GiftReport(Base):
    """One gift or benefit a member of staff was offered or received, as they reported it."""

    __tablename__ = "gift_reports"
    __table_args__ = (Index("ix_gift_reports_received_on", "received_on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    division: Mapped[str | None] = mapped_column(String(64))  # the reporter's division when reported
    received_on: Mapped[date]
    reported_at: Mapped[datetime] = mapped_column(default=utcnow)
    channel: Mapped[str] = mapped_column(String(16))  # web, line
    occasion: Mapped[str] = mapped_column(String(16))
    giver_kind: Mapped[str] = mapped_column(String(16))
    value_baht: Mapped[int]
    outcome: Mapped[str] = mapped_column(String(16))
    flagged: Mapped[bool] = mapped_column(default=False)
    giver_name_enc: Mapped[bytes]  #: C: who gave it (server keyring)
    description_enc: Mapped[bytes]  #: C: what it was (server keyring)
    decision: Mapped[str | None] = mapped_column(String(16))
    decision_note_enc: Mapped[bytes | None]  #: C: the executive's note on the decision (server keyring)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    decided_at: Mapped[datetime | None]

    def seal(self, keyring, giver_name: str, description: str) -> None:
        """Store the giver's name and the description encrypted."""
        self.giver_name_enc = self.encrypt_c(keyring, "giver_name", giver_name)
        self.description_enc = self.encrypt_c(keyring, "description", description)

    def opened(self, keyring) -> tuple[str, str, str]:
        """Return (giver name, description, decision note)."""
        note = self.decrypt_c(keyring, "decision_note", self.decision_note_enc) or b""
        return (self.decrypt_c(keyring, "giver_name", self.giver_name_enc).decode(),
                self.decrypt_c(keyring, "description", self.description_enc).decode(), note.decode())

    def decide(self, keyring, decision: str, note: str, by: int) -> None:
        """Record the executive's decision on a flagged report, once."""
        if not self.flagged:
            raise GiftError("รายการนี้ไม่ต้องให้ผู้บริหารพิจารณา")
        if self.decision is not None:
            raise GiftError("รายการนี้มีคำวินิจฉัยแล้ว")
        if decision not in DECISIONS:
            raise GiftError("กรุณาเลือกคำวินิจฉัย")
        self.decision, self.decided_by, self.decided_at = decision, by, utcnow()
        self.decision_note_enc = self.encrypt_c(keyring, "decision_note", note) if note else None


class GiftCheckin(Base):
    """One staff member's answer to one month's question "did anyone give you anything?"."""

    __tablename__ = "gift_checkins"
    __table_args__ = (UniqueConstraint("staff_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    month: Mapped[str] = mapped_column(String(7), index=True)  # the month asked about, "YYYY-MM" (CE)
    answer: Mapped[str] = mapped_column(String(16))  # nil, reported
    channel: Mapped[str] = mapped_column(String(16))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)


class GiftNotice(Base):
    """A scheduled message that went out (a check-in, a festival reminder): its row makes it go out once."""

    __tablename__ = "gift_notices"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # checkin, festival
    key: Mapped[str] = mapped_column(String(64))  # the month asked about, or festival and year
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)

    @classmethod
    def claim(cls, session: Session, kind: str, key: str) -> bool:
        """Record that a notice goes out; return False when it already went out (or another clock took it)."""
        if session.scalar(select(cls.id).where(cls.kind == kind, cls.key == key)) is not None:
            return False
        try:
            with session.begin_nested():
                session.execute(insert(cls).values(kind=kind, key=key, sent_at=utcnow()))
        except IntegrityError:
            return False
        return True


class NoGiftDeclaration(Base):
    """The yearly announcement of the No Gift Policy, drafted by an admin and approved by the executive."""

    __tablename__ = "no_gift_declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)  #: P: a public announcement
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_position: Mapped[str] = mapped_column(String(200))
    announced_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft, approved
    drafted_by: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    approved_at: Mapped[datetime | None]
    scan: Mapped[bytes | None]  #: P: the signed paper, scanned (published with the announcement)
    scan_media_type: Mapped[str | None] = mapped_column(String(64))

    acknowledgements: Mapped[list["DeclarationAck"]] = relationship(cascade="all, delete-orphan")

    def edit(self, title: str, body: str, signer_name: str, signer_position: str, announced_on: date) -> None:
        """Change the draft; an approved announcement is fixed."""
        if self.status != "draft":
            raise GiftError("ประกาศที่อนุมัติแล้วแก้ไขไม่ได้")
        self.title, self.body, self.signer_name, self.signer_position, self.announced_on = (
            title, body, signer_name, signer_position, announced_on)

    def approve(self, by: int) -> None:
        """Approve the draft, once."""
        if self.status != "draft":
            raise GiftError("ประกาศนี้อนุมัติแล้ว")
        self.status, self.approved_by, self.approved_at = "approved", by, utcnow()


class DeclarationAck(Base):
    """A staff member's acknowledgement of the year's declaration."""

    __tablename__ = "declaration_acks"

    declaration_id: Mapped[int] = mapped_column(ForeignKey("no_gift_declarations.id", ondelete="CASCADE"),
                                                primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    channel: Mapped[str] = mapped_column(String(16))


class CultureActivity(Base):
    """A meeting, seminar or briefing that builds the habit of refusing gifts (public record)."""

    __tablename__ = "culture_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16))
    led_by: Mapped[str] = mapped_column(String(200))
    attendance: Mapped[int]
    summary: Mapped[str] = mapped_column(Text)  #: P: published on /transparency
    created_by: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    photos: Mapped[list["ActivityPhoto"]] = relationship(cascade="all, delete-orphan", order_by="ActivityPhoto.id")


class ActivityPhoto(Base):
    """A photo of an activity; only the chosen ones are public."""

    __tablename__ = "activity_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("culture_activities.id", ondelete="CASCADE"), index=True)
    media_type: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes]  #: P: a photo of an official event
    public: Mapped[bool] = mapped_column(default=False)


class NoGiftNote(Base):
    """The editable "problems and suggestions" section of one period's No Gift report."""

    __tablename__ = "no_gift_notes"

    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    text: Mapped[str] = mapped_column(Text)  #: P: printed in every edition of the report
    updated_by: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class StaffLinkCode(Base):
    """A one-time code that links a LINE account to a staff account; stored only as a keyed hash."""

    __tablename__ = "staff_link_codes"

    code_index: Mapped[bytes] = mapped_column(primary_key=True)  #: P: keyed hash of the code
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime]
