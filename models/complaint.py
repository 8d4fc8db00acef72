"""Corruption complaints: plain metadata, sealed content, status history, evidence, key grants.

A complaint's content is encrypted under its own random data key. The data key is sealed to each
complaint officer's public key and to the office recovery key (tier S), so neither the database nor
the server's keyring can open it. Replies meant for the citizen are encrypted under a second key
that opens with the tracking code, so the citizen can read them on /track.
"""
from __future__ import annotations

import base64
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

CHANNELS = {"web": "เว็บไซต์", "line": "LINE", "counter": "ยื่นด้วยตนเอง", "letter": "หนังสือ", "phone": "โทรศัพท์",
            "referred": "หน่วยงานอื่นส่งต่อ"}
#: Channels an officer registers at the case desk on the complainant's behalf.
DESK_CHANNELS = ("counter", "letter", "phone", "referred")
#: Kinds of history entry besides status changes and notes: a question to the complainant, their answer.
QUESTION, ANSWER = "question", "answer"
SEALED_FIELDS = ("details", "accused", "place_time", "contact", "line_user")
#: Smallest padded size of a field: every valid contact (name, phone, e-mail at their longest, in Thai
#: script) fits in 2 KiB, so a named complaint's contact is as long as an anonymous one's.
PAD_MINIMUM = {"contact": 2048}


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
                            "category", "due_at"),
                      UniqueConstraint("reference_year", "reference_number", name="uq_complaints_reference"))

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
    #: Indexed: a report counted from a snapshot finds the complaints fallen due since.
    due_at: Mapped[datetime] = mapped_column(index=True)
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
    reference_year: Mapped[int | None]  #: P: fiscal year (BE) of the running reference number (เลขรับ)
    reference_number: Mapped[int | None]  #: P: the running number within that fiscal year
    assigned_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)  #: P
    division: Mapped[str | None] = mapped_column(String(64), index=True)  #: P: the division handling it
    forwarded_to: Mapped[str | None] = mapped_column(String(200))  #: P: the agency the case was sent to
    forwarded_at: Mapped[datetime | None]  #: P: when it was sent there
    subject_sealed: Mapped[bytes | None]  #: S: a one-line subject an officer writes
    citizen_wrote_at: Mapped[datetime | None]  #: P: the complainant added something no officer has opened yet

    keys: Mapped[list["ComplaintKey"]] = relationship(back_populates="complaint", cascade="all, delete-orphan")
    events: Mapped[list["ComplaintEvent"]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintEvent.seq")
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="Attachment.created_at")

    @classmethod
    def file(cls, session: Session, index: BlindIndex, *, channel: str, category: str,
             content: ComplaintContent, recipients: list[Recipient], received_at: datetime,
             due_at: datetime, wants_updates: bool,
             cipher: "ComplaintCipher | None" = None) -> tuple["Complaint", "OpenedComplaint", str]:
        """Create a sealed complaint (under `cipher`'s id and key when its pieces were sealed as they arrived);
        return it, its opened form and the one-time tracking code."""
        if not recipients:
            raise ValueError("a complaint needs at least one recipient (the recovery key at least)")
        cipher = cipher or ComplaintCipher.new()
        code = new_tracking_code()
        complaint = cls(id=cipher.complaint_id, tracking_index=index.digest("tracking", code),
                        received_at=received_at, channel=channel, category=category,
                        status=ComplaintStatus.RECEIVED, status_changed_at=received_at, due_at=due_at,
                        wants_updates=wants_updates)
        opened = cipher.opened(complaint)
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
        """Return the texts shared with the citizen (replies, questions, their answers) by event number."""
        key = self._citizen_key_by_code(code)
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
                 reply_sealed: bytes | None = None, at: datetime | None = None,
                 kind: str | None = None) -> "ComplaintEvent":
        """Add an internal note, a reply or a question to the history without changing the status."""
        if note_sealed is None and reply_sealed is None:
            raise ValueError("an annotation needs a note or a reply")
        if kind == QUESTION and reply_sealed is None:
            raise ValueError("a question needs its text for the complainant")
        event = ComplaintEvent(seq=self.next_event_seq(), at=at or utcnow(), status=self.status,
                               from_status=self.status, staff_id=by_staff_id, note_sealed=note_sealed,
                               reply_sealed=reply_sealed, kind=kind)
        self.events.append(event)
        return event

    def add_citizen_message(self, code: str, text: str, files: list[tuple[str, str, str, bytes]],
                            at: datetime | None = None) -> "ComplaintEvent":
        """Record what the complainant added behind the tracking code: a text and (kind, type, name, bytes) files.

        Both are sealed under the key the tracking code opens (the officers open it with the data key),
        so the server, which never stores the code, cannot read them.
        """
        key = self._citizen_key_by_code(code)
        at = at or utcnow()
        seq = self.next_event_seq()
        event = ComplaintEvent(seq=seq, at=at, status=self.status, from_status=self.status, kind=ANSWER,
                               reply_sealed=_seal_reply(key, self.id, seq, text))
        self.events.append(event)
        for kind, media_type, filename, data in files:
            _attach(self, _seal_attachment(key, self.id, uuid.uuid4(), filename, data), kind=kind,
                    media_type=media_type, at=at, shared_with_citizen=True, event_seq=seq)
        self.citizen_wrote_at = at
        return event

    def _citizen_key_by_code(self, code: str) -> bytes:
        normalized = normalize_tracking_code(code)
        if normalized is None:
            raise NoAccess("not a tracking code")
        try:
            return crypto.decrypt(_code_key(normalized, self.id), self.citizen_key_by_code,
                                  crypto.associated_data("complaint", self.id, "citizen_key"))
        except crypto.DecryptionError:
            raise NoAccess("the tracking code does not open this complaint") from None

    def citizen_files(self, code: str) -> dict[uuid.UUID, tuple["Attachment", str, bytes]]:
        """Return the files shared with the complainant (theirs and the office's letters), opened with the code."""
        key = self._citizen_key_by_code(code)
        return {a.id: (a, *_read_attachment(key, a)) for a in self.attachments if a.shared_with_citizen}

    def assign(self, *, staff_id: int | None, division: str | None) -> None:
        """Hand the case to an officer and a division (None clears either)."""
        self.assigned_staff_id = staff_id
        self.division = division or None

    def record_forwarding(self, agency: str, on: datetime) -> None:
        """Record the agency the case was sent to and when."""
        self.forwarded_to = agency
        self.forwarded_at = on

    def next_event_seq(self) -> int:
        """Return the number the next history entry takes."""
        return max((e.seq for e in self.events), default=0) + 1

    @property
    def is_overdue(self) -> bool:
        """Return True when the case is open past its processing-time target."""
        return not ComplaintStatus(self.status).is_closed and utcnow() > self.due_at


def _code_key(code: str, complaint_id: uuid.UUID) -> bytes:
    return crypto.derive_key(code.encode(), b"sujarit tracking-code key v1", salt=complaint_id.bytes)


def _reply_ad(complaint_id: uuid.UUID, seq: int) -> bytes:
    return crypto.associated_data("complaint_event", complaint_id, f"{seq}:reply")


def _seal_reply(key: bytes, complaint_id: uuid.UUID, seq: int, text: str) -> bytes:
    return crypto.encrypt(key, crypto.pad(text.encode()), _reply_ad(complaint_id, seq))


def _attachment_ad(complaint_id: uuid.UUID, attachment_id: uuid.UUID, part: str) -> bytes:
    return crypto.associated_data("complaint", complaint_id, f"attachment:{attachment_id}:{part}")


def _seal_attachment(key: bytes, complaint_id: uuid.UUID, attachment_id: uuid.UUID, filename: str,
                     data: bytes) -> "SealedAttachment":
    content = crypto.encrypt(key, crypto.pad(data), _attachment_ad(complaint_id, attachment_id, "content"))
    name = crypto.encrypt(key, crypto.pad(filename.encode()), _attachment_ad(complaint_id, attachment_id, "filename"))
    return SealedAttachment(attachment_id, len(content) - crypto.FIELD_OVERHEAD, name, content)


def _attach(complaint: Complaint, sealed: "SealedAttachment", *, kind: str, media_type: str, at: datetime | None,
            shared_with_citizen: bool = False, event_seq: int | None = None) -> "Attachment":
    attachment = Attachment(id=sealed.attachment_id, complaint_id=complaint.id, kind=kind, media_type=media_type,
                            size_bytes=sealed.size_bytes, created_at=at or utcnow(),
                            filename_sealed=sealed.filename_sealed, content_sealed=sealed.content_sealed,
                            shared_with_citizen=shared_with_citizen, event_seq=event_seq)
    complaint.attachments.append(attachment)
    return attachment


def _read_attachment(key: bytes, attachment: "Attachment") -> tuple[str, bytes]:
    def part(name: str, blob: bytes) -> bytes:
        return crypto.unpad(crypto.decrypt(key, blob, _attachment_ad(attachment.complaint_id, attachment.id, name)))
    return part("filename", attachment.filename_sealed).decode(), part("content", attachment.content_sealed)


@dataclass(frozen=True)
class SealedAttachment:
    """An evidence item sealed before it is attached (in LINE, as it arrived; padded to its size bucket)."""

    attachment_id: uuid.UUID
    size_bytes: int  # the size bucket
    filename_sealed: bytes
    content_sealed: bytes


class ComplaintCipher:
    """A complaint's id and data key: seals and opens its fields, before or after the complaint is filed."""

    def __init__(self, complaint_id: uuid.UUID, data_key: bytes):
        self.complaint_id = complaint_id
        self._data_key = data_key

    @classmethod
    def new(cls) -> "ComplaintCipher":
        """Choose the id and data key of a complaint about to be written (LINE: at its first piece)."""
        return cls(uuid.uuid4(), crypto.new_key())

    @classmethod
    def from_json(cls, data: dict) -> "ComplaintCipher":
        """Rebuild a cipher kept in a (tier-F) draft."""
        return cls(uuid.UUID(data["id"]), base64.b64decode(data["key"]))

    def to_json(self) -> dict:
        """Return the cipher for a tier-F draft: whoever holds this can read what it sealed."""
        return {"id": str(self.complaint_id), "key": base64.b64encode(self._data_key).decode()}

    def opened(self, complaint: "Complaint") -> "OpenedComplaint":
        """Return the complaint written under this cipher, opened."""
        return OpenedComplaint(complaint, self._data_key)

    def _ad(self, name: str) -> bytes:
        return crypto.associated_data("complaint", self.complaint_id, name)

    def encrypt(self, name: str, plaintext: bytes) -> bytes:
        """Seal bytes for one named field of this complaint, padded to their size bucket."""
        padded = crypto.pad(plaintext, PAD_MINIMUM.get(name, crypto.MIN_BUCKET))
        return crypto.encrypt(self._data_key, padded, self._ad(name))

    def decrypt(self, name: str, blob: bytes) -> bytes:
        """Open bytes sealed for one named field of this complaint."""
        return crypto.unpad(crypto.decrypt(self._data_key, blob, self._ad(name)))

    def seal_attachment(self, attachment_id: uuid.UUID, filename: str, data: bytes) -> SealedAttachment:
        """Seal an evidence file's name and bytes (or a location, as JSON) for this complaint."""
        return _seal_attachment(self._data_key, self.complaint_id, attachment_id, filename, data)


class OpenedComplaint(ComplaintCipher):
    """A complaint together with its data key, in memory, for someone allowed to read it."""

    def __init__(self, complaint: Complaint, data_key: bytes):
        super().__init__(complaint.id, data_key)
        self.complaint = complaint

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
        return _seal_reply(self._citizen_key(), self.complaint.id, seq, text)

    def seal_subject(self, text: str) -> None:
        """Seal the officer's one-line subject of the case (empty clears it)."""
        self.complaint.subject_sealed = self.encrypt("subject", text.encode()) if text else None

    def subject(self) -> str:
        """Return the officer's one-line subject, or ""."""
        sealed = self.complaint.subject_sealed
        return self.decrypt("subject", sealed).decode() if sealed else ""

    def read_reply(self, event: "ComplaintEvent") -> str:
        """Open a reply meant for the citizen."""
        return event.read_reply(self._citizen_key()) if event.reply_sealed else ""

    def add_attachment(self, *, kind: str, media_type: str, filename: str, data: bytes,
                       at: datetime | None = None, shared_with_citizen: bool = False,
                       event_seq: int | None = None) -> "Attachment":
        """Seal an evidence file (or a location, as JSON) and attach it; a shared one opens with the tracking code too."""
        key = self._citizen_key() if shared_with_citizen else self._data_key
        sealed = _seal_attachment(key, self.complaint.id, uuid.uuid4(), filename, data)
        return _attach(self.complaint, sealed, kind=kind, media_type=media_type, at=at,
                       shared_with_citizen=shared_with_citizen, event_seq=event_seq)

    def attach_sealed(self, *, kind: str, media_type: str, sealed: SealedAttachment,
                      at: datetime | None = None) -> "Attachment":
        """Attach an evidence item sealed earlier under this complaint's data key."""
        return _attach(self.complaint, sealed, kind=kind, media_type=media_type, at=at)

    def read_attachment(self, attachment: "Attachment") -> tuple[str, bytes]:
        """Return an attachment's file name and bytes."""
        return _read_attachment(self._citizen_key() if attachment.shared_with_citizen else self._data_key, attachment)


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
    # By time: a report counted from a snapshot finds the complaints that changed since, and nothing else.
    __table_args__ = (UniqueConstraint("complaint_id", "seq"), Index("ix_complaint_events_at", "at", "complaint_id"))

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
    reply_sealed: Mapped[bytes | None]  #: S: a text shared with the citizen, opened by the tracking code
    kind: Mapped[str | None] = mapped_column(String(16))  #: P: None, QUESTION or ANSWER (the complainant's)

    complaint: Mapped[Complaint] = relationship(back_populates="events")

    @property
    def is_internal(self) -> bool:
        """Return True for a note-only entry, which the citizen must not see at all."""
        return self.from_status == self.status and not self.reply_sealed

    def read_reply(self, citizen_key: bytes) -> str:
        """Open this entry's reply with the citizen key."""
        return crypto.unpad(crypto.decrypt(citizen_key, self.reply_sealed,
                                           _reply_ad(self.complaint_id, self.seq))).decode()


class Attachment(Base):
    """An evidence file or location sent with a complaint."""

    __tablename__ = "attachments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    complaint_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # image, file, location
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]  #: P: the padded size (its size bucket), not the exact size
    created_at: Mapped[datetime]
    filename_sealed: Mapped[bytes]  #: S: the original file name
    content_sealed: Mapped[bytes]  #: S: the file's bytes
    #: P: sealed under the key the tracking code opens (the complainant's own files, the office's letters)
    shared_with_citizen: Mapped[bool] = mapped_column(default=False)
    event_seq: Mapped[int | None]  #: P: the history entry it came with (a follow-up answer, a reply letter)

    complaint: Mapped[Complaint] = relationship(back_populates="attachments")

