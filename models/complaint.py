"""Corruption complaints: plain metadata, sealed content, status history, evidence, key grants.

A complaint's content is encrypted under its own random data key. The data key is sealed to each
complaint officer's public key and to the office recovery key (tier S), so neither the database nor
the server's keyring can open it. Replies meant for the citizen are encrypted under a second key
that opens with the tracking code, so the citizen can read them on /track.
"""
from __future__ import annotations

import enum
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models import crypto
from models.base import Base, utcnow
from models.keyring import BlindIndex, new_tracking_code, normalize_tracking_code


class ComplaintStatus(str, enum.Enum):
    """Where a complaint stands; each rolls up into exactly one ITA count."""

    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FORWARDED = "forwarded"
    NOT_ACCEPTED = "not_accepted"

    @property
    def label(self) -> str:
        """Return the Thai status label shown to citizens and staff."""
        return STATUS_LABELS[self]

    @property
    def is_closed(self) -> bool:
        """Return True when the complaint counts as ดำเนินการแล้วเสร็จ in the ITA statistics."""
        return self in CLOSED_STATUSES


STATUS_LABELS = {
    ComplaintStatus.RECEIVED: "รับเรื่องแล้ว",
    ComplaintStatus.IN_PROGRESS: "อยู่ระหว่างดำเนินการ",
    ComplaintStatus.COMPLETED: "ดำเนินการแล้วเสร็จ",
    ComplaintStatus.FORWARDED: "ส่งต่อหน่วยงานที่เกี่ยวข้องแล้ว",
    ComplaintStatus.NOT_ACCEPTED: "ไม่อยู่ในอำนาจหน้าที่/ไม่รับไว้พิจารณา",
}
CLOSED_STATUSES = frozenset({ComplaintStatus.COMPLETED, ComplaintStatus.FORWARDED, ComplaintStatus.NOT_ACCEPTED})
TRANSITIONS = {
    ComplaintStatus.RECEIVED: {ComplaintStatus.IN_PROGRESS, ComplaintStatus.COMPLETED,
                               ComplaintStatus.FORWARDED, ComplaintStatus.NOT_ACCEPTED},
    ComplaintStatus.IN_PROGRESS: {ComplaintStatus.COMPLETED, ComplaintStatus.FORWARDED,
                                  ComplaintStatus.NOT_ACCEPTED},
    # A closed case may be reopened, with a note, when new facts arrive.
    ComplaintStatus.COMPLETED: {ComplaintStatus.IN_PROGRESS},
    ComplaintStatus.FORWARDED: {ComplaintStatus.IN_PROGRESS},
    ComplaintStatus.NOT_ACCEPTED: {ComplaintStatus.IN_PROGRESS},
}

CHANNELS = {"web": "เว็บไซต์", "line": "LINE", "counter": "ยื่นด้วยตนเอง", "letter": "หนังสือ", "phone": "โทรศัพท์"}
SEALED_FIELDS = ("details", "accused", "place_time", "contact", "line_user")


class InvalidTransition(ValueError):
    """A status change the complaint workflow does not allow."""


class NoAccess(PermissionError):
    """The key offered holds no grant for this complaint."""


@dataclass
class ComplaintContent:
    """What the complainant told us; exists in plaintext only in memory."""

    details: str
    accused: str = ""
    place_time: str = ""
    contact: dict[str, str] = field(default_factory=dict)  # name, phone, email; empty = anonymous
    line_user: str = ""  # the LINE user id, when filed in LINE and updates were asked for

    def field_bytes(self, name: str) -> bytes:
        value = getattr(self, name)
        return json.dumps(value, ensure_ascii=False).encode() if isinstance(value, dict) else value.encode()


@dataclass(frozen=True)
class Recipient:
    """Someone a data key is sealed to: a complaint officer or the office recovery key."""

    label: str  # "staff:<id>" or "recovery:<id>"
    public_key: bytes


class Complaint(Base):
    """A corruption or misconduct complaint."""

    __tablename__ = "complaints"
    # Covers the statistics (month, channel, category, status then and now, overdue): a year table over a
    # million complaints reads this index, not the wide rows with their sealed columns.
    __table_args__ = (Index("ix_complaints_received_status", "received_at", "status", "status_changed_at", "channel",
                            "category", "due_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    tracking_index: Mapped[bytes] = mapped_column(unique=True)  #: P: keyed hash of the tracking code
    received_at: Mapped[datetime] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(64))
    status: Mapped[ComplaintStatus] = mapped_column(String(16), default=ComplaintStatus.RECEIVED)
    #: Indexed: a report as of T replays the history of only the complaints changed after T.
    status_changed_at: Mapped[datetime] = mapped_column(index=True)
    #: P: the status before the current one and since when it held, so a report as of a time between the two
    #: changes needs no history lookup (only complaints changed twice since need one).
    previous_status: Mapped[str | None] = mapped_column(String(16))
    previous_changed_at: Mapped[datetime | None]
    due_at: Mapped[datetime]
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    #: P: when the row was written, which a back-dated received_at (a letter filed late) can precede;
    #: a remade report names the rows recorded after its earlier version.
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    wants_updates: Mapped[bool] = mapped_column(default=False)
    details_sealed: Mapped[bytes]  #: S: what happened
    accused_sealed: Mapped[bytes]  #: S: name or position of the official
    place_time_sealed: Mapped[bytes]  #: S: where and when
    contact_sealed: Mapped[bytes]  #: S: name, phone, e-mail (empty when anonymous)
    line_user_sealed: Mapped[bytes]  #: S: LINE user id for status pushes
    citizen_key_by_code: Mapped[bytes]  #: S: reply key, opened by the tracking code
    citizen_key_by_data: Mapped[bytes]  #: S: reply key, opened by the data key

    keys: Mapped[list["ComplaintKey"]] = relationship(back_populates="complaint", cascade="all, delete-orphan")
    events: Mapped[list["ComplaintEvent"]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintEvent.seq")
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="Attachment.created_at")

    @classmethod
    def file(cls, session: Session, index: BlindIndex, *, channel: str, category: str,
             content: ComplaintContent, recipients: list[Recipient], received_at: datetime,
             due_at: datetime, wants_updates: bool) -> tuple["Complaint", "OpenedComplaint", str]:
        """Create a sealed complaint; return it, its opened form and the one-time tracking code."""
        if not recipients:
            raise ValueError("a complaint needs at least one recipient (the recovery key at least)")
        code = new_tracking_code()
        complaint = cls(id=uuid.uuid4(), tracking_index=index.digest("tracking", code),
                        received_at=received_at, channel=channel, category=category,
                        status=ComplaintStatus.RECEIVED, status_changed_at=received_at, due_at=due_at,
                        wants_updates=wants_updates)
        data_key = crypto.new_key()
        opened = OpenedComplaint(complaint, data_key)
        for name in SEALED_FIELDS:
            setattr(complaint, f"{name}_sealed", opened.encrypt(name, content.field_bytes(name)))
        citizen_key = crypto.new_key()
        complaint.citizen_key_by_code = crypto.encrypt(
            _code_key(code, complaint.id), citizen_key, crypto.associated_data("complaint", complaint.id, "citizen_key"))
        complaint.citizen_key_by_data = opened.encrypt("citizen_key", citizen_key)
        for recipient in recipients:
            opened.grant(recipient)
        complaint.events.append(ComplaintEvent(seq=1, at=received_at, status=ComplaintStatus.RECEIVED))
        session.add(complaint)
        return complaint, opened, code

    @classmethod
    def find_by_code(cls, session: Session, index: BlindIndex, code: str) -> "Complaint | None":
        """Find a complaint by the tracking code a citizen typed, or return None."""
        normalized = normalize_tracking_code(code)
        if normalized is None:
            return None
        return session.scalar(select(cls).where(cls.tracking_index == index.digest("tracking", normalized)))

    def open_with(self, recipient_label: str, private_key) -> "OpenedComplaint":
        """Open the data key with a recipient's private key, or raise NoAccess."""
        grant = next((k for k in self.keys if k.recipient == recipient_label), None)
        if grant is None:
            raise NoAccess(f"{recipient_label} holds no key for this complaint")
        try:
            data_key = crypto.open_sealed(private_key, grant.sealed_key, grant.associated_data())
        except crypto.DecryptionError:
            raise NoAccess(f"the key offered by {recipient_label} does not open this complaint") from None
        return OpenedComplaint(self, data_key)

    def citizen_replies(self, code: str) -> dict[int, str]:
        """Return the replies meant for the citizen, by event number, opened with the tracking code."""
        normalized = normalize_tracking_code(code)
        if normalized is None:
            raise NoAccess("not a tracking code")
        try:
            key = crypto.decrypt(_code_key(normalized, self.id), self.citizen_key_by_code,
                                 crypto.associated_data("complaint", self.id, "citizen_key"))
        except crypto.DecryptionError:
            raise NoAccess("the tracking code does not open this complaint") from None
        return {e.seq: e.read_reply(key) for e in self.events if e.reply_sealed}

    def transition(self, to: ComplaintStatus, *, by_staff_id: int | None, note_sealed: bytes | None,
                   reply_sealed: bytes | None = None, at: datetime | None = None) -> "ComplaintEvent":
        """Move to another status, recording who, when and why; refuse what the workflow forbids."""
        to = ComplaintStatus(to)
        if to not in TRANSITIONS[ComplaintStatus(self.status)]:
            raise InvalidTransition(f"{ComplaintStatus(self.status).label} → {to.label} is not allowed")
        if note_sealed is None:
            raise InvalidTransition("a status change needs a note")
        at = at or utcnow()
        event = ComplaintEvent(seq=self.next_event_seq(), at=at, status=to, from_status=self.status,
                               staff_id=by_staff_id, note_sealed=note_sealed, reply_sealed=reply_sealed)
        self.events.append(event)
        self.previous_status, self.previous_changed_at = ComplaintStatus(self.status).value, self.status_changed_at
        self.status = to
        self.status_changed_at = at
        self.closed_at = at if to.is_closed else None
        return event

    def annotate(self, *, by_staff_id: int | None, note_sealed: bytes | None = None,
                 reply_sealed: bytes | None = None, at: datetime | None = None) -> "ComplaintEvent":
        """Add an internal note or a reply to the history without changing the status."""
        if note_sealed is None and reply_sealed is None:
            raise ValueError("an annotation needs a note or a reply")
        event = ComplaintEvent(seq=self.next_event_seq(), at=at or utcnow(), status=self.status,
                               from_status=self.status, staff_id=by_staff_id, note_sealed=note_sealed,
                               reply_sealed=reply_sealed)
        self.events.append(event)
        return event

    def next_event_seq(self) -> int:
        """Return the number the next history entry takes."""
        return max((e.seq for e in self.events), default=0) + 1

    @property
    def is_overdue(self) -> bool:
        """Return True when the case is open past its processing-time target."""
        return not ComplaintStatus(self.status).is_closed and utcnow() > self.due_at


def _code_key(code: str, complaint_id: uuid.UUID) -> bytes:
    return crypto.derive_key(code.encode(), b"sujarit tracking-code key v1", salt=complaint_id.bytes)


class OpenedComplaint:
    """A complaint together with its data key, in memory, for someone allowed to read it."""

    def __init__(self, complaint: Complaint, data_key: bytes):
        self.complaint = complaint
        self._data_key = data_key

    def _ad(self, name: str) -> bytes:
        return crypto.associated_data("complaint", self.complaint.id, name)

    def encrypt(self, name: str, plaintext: bytes) -> bytes:
        """Seal bytes for one named field of this complaint."""
        return crypto.encrypt(self._data_key, plaintext, self._ad(name))

    def decrypt(self, name: str, blob: bytes) -> bytes:
        """Open bytes sealed for one named field of this complaint."""
        return crypto.decrypt(self._data_key, blob, self._ad(name))

    def content(self) -> ComplaintContent:
        """Return the complaint's sealed content in plaintext."""
        c = self.complaint
        read = {name: self.decrypt(name, getattr(c, f"{name}_sealed")).decode() for name in SEALED_FIELDS}
        return ComplaintContent(details=read["details"], accused=read["accused"], place_time=read["place_time"],
                                contact=json.loads(read["contact"]) if read["contact"] else {},
                                line_user=read["line_user"])

    def grant(self, recipient: Recipient) -> None:
        """Seal the data key to one more recipient (a newly added officer)."""
        if any(k.recipient == recipient.label for k in self.complaint.keys):
            return
        grant = ComplaintKey(complaint_id=self.complaint.id, recipient=recipient.label)
        grant.sealed_key = crypto.seal(recipient.public_key, self._data_key, grant.associated_data())
        self.complaint.keys.append(grant)

    def revoke(self, recipient_label: str) -> None:
        """Remove a recipient's sealed copy of the data key."""
        self.complaint.keys[:] = [k for k in self.complaint.keys if k.recipient != recipient_label]

    def seal_note(self, seq: int, text: str) -> bytes:
        """Seal an officer's internal note for history entry `seq`."""
        return self.encrypt(f"event:{seq}:note", text.encode())

    def read_note(self, event: "ComplaintEvent") -> str:
        """Open an officer's internal note."""
        return "" if not event.note_sealed else self.decrypt(f"event:{event.seq}:note", event.note_sealed).decode()

    def _citizen_key(self) -> bytes:
        return self.decrypt("citizen_key", self.complaint.citizen_key_by_data)

    def seal_reply(self, seq: int, text: str) -> bytes:
        """Encrypt a reply for the citizen under the key the tracking code opens."""
        return crypto.encrypt(self._citizen_key(), text.encode(),
                              crypto.associated_data("complaint_event", self.complaint.id, f"{seq}:reply"))

    def read_reply(self, event: "ComplaintEvent") -> str:
        """Open a reply meant for the citizen."""
        return event.read_reply(self._citizen_key()) if event.reply_sealed else ""

    def add_attachment(self, *, kind: str, media_type: str, filename: str, data: bytes,
                       at: datetime | None = None) -> "Attachment":
        """Seal an evidence file (or a location, as JSON) and attach it."""
        attachment = Attachment(id=uuid.uuid4(), complaint_id=self.complaint.id, kind=kind, media_type=media_type,
                                size_bytes=len(data), created_at=at or utcnow())
        attachment.content_sealed = self.encrypt(f"attachment:{attachment.id}:content", data)
        attachment.filename_sealed = self.encrypt(f"attachment:{attachment.id}:filename", filename.encode())
        self.complaint.attachments.append(attachment)
        return attachment

    def read_attachment(self, attachment: "Attachment") -> tuple[str, bytes]:
        """Return an attachment's file name and bytes."""
        return (self.decrypt(f"attachment:{attachment.id}:filename", attachment.filename_sealed).decode(),
                self.decrypt(f"attachment:{attachment.id}:content", attachment.content_sealed))


class ComplaintKey(Base):
    """The complaint's data key sealed to one recipient."""

    __tablename__ = "complaint_keys"
    __table_args__ = (UniqueConstraint("complaint_id", "recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    recipient: Mapped[str] = mapped_column(String(40), index=True)
    sealed_key: Mapped[bytes]  #: S: the data key, sealed to the recipient's public key

    complaint: Mapped[Complaint] = relationship(back_populates="keys")

    def associated_data(self) -> bytes:
        return crypto.associated_data("complaint_key", self.complaint_id, self.recipient)


class ComplaintEvent(Base):
    """One entry of a complaint's status history."""

    __tablename__ = "complaint_events"
    __table_args__ = (UniqueConstraint("complaint_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int]
    at: Mapped[datetime]
    status: Mapped[ComplaintStatus] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(16))
    #: P: when the entry was written; `at` may be earlier when a change is recorded after the fact.
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    note_sealed: Mapped[bytes | None]  #: S: the officer's internal note
    reply_sealed: Mapped[bytes | None]  #: S: a reply for the citizen, opened by the tracking code

    complaint: Mapped[Complaint] = relationship(back_populates="events")

    @property
    def is_internal(self) -> bool:
        """Return True for a note-only entry, which the citizen must not see at all."""
        return self.from_status == self.status and not self.reply_sealed

    def read_reply(self, citizen_key: bytes) -> str:
        """Open this entry's reply with the citizen key."""
        return crypto.decrypt(citizen_key, self.reply_sealed,
                              crypto.associated_data("complaint_event", self.complaint_id, f"{self.seq}:reply")).decode()


class Attachment(Base):
    """An evidence file or location sent with a complaint."""

    __tablename__ = "attachments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    complaint_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # image, file, location
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    created_at: Mapped[datetime]
    filename_sealed: Mapped[bytes]  #: S: the original file name
    content_sealed: Mapped[bytes]  #: S: the file's bytes

    complaint: Mapped[Complaint] = relationship(back_populates="attachments")

