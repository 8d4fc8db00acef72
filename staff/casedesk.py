"""The case desk: list complaints by their plain metadata, open them with an officer's key, act on them.

Every view, download and decryption is written to the audit log. Plaintext exists only in memory,
for the officer whose key opened it.
"""
from __future__ import annotations

import json
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from intake.evidence import sniff
from intake.signals import complaint_status_changed
from models import (CHANNELS, Attachment, AuditEntry, Complaint, ComplaintContent, ComplaintStatus,
                    InvalidTransition, NoAccess, OpenedComplaint, StaffUser, db, utcnow)
from models.complaint import TRANSITIONS
from stats.fiscal import Month

NOTE_LIMIT = 5000
#: The most rows the list shows; filters narrow it further.
LIST_LIMIT = 500


class CaseDeskError(ValueError):
    """An officer's request the case desk refuses: a Thai catalogue text and the values it names."""

    def __init__(self, message: str, **values):
        super().__init__(message)
        self.message, self.values = message, values


@dataclass(frozen=True)
class CaseFilters:
    """What the list is narrowed to; every filter is plain metadata."""

    status: str = ""
    category: str = ""
    channel: str = ""
    month: str = ""  # YYYY-MM (CE or BE)
    overdue: bool = False

    @classmethod
    def from_args(cls, args) -> "CaseFilters":
        """Read filters from query arguments, ignoring values that are not valid choices."""
        status = args.get("status", "")
        channel = args.get("channel", "")
        month = args.get("month", "")
        try:
            Month.parse(month)
        except ValueError:
            month = ""
        return cls(status=status if status in {s.value for s in ComplaintStatus} else "",
                   category=args.get("category", "")[:64], channel=channel if channel in CHANNELS else "",
                   month=month, overdue=args.get("overdue") == "1")

    def describe(self) -> str:
        """Return the filters in plain words for the audit log."""
        parts = [f"{k}={v}" for k, v in (("status", self.status), ("category", self.category),
                                          ("channel", self.channel), ("month", self.month)) if v]
        return " ".join(parts + (["overdue"] if self.overdue else []))


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list: metadata only."""

    id: uuid.UUID
    received_at: datetime
    category: str
    channel: str
    status: ComplaintStatus
    due_at: datetime
    overdue: bool
    attachments: int


@dataclass
class CaseList:
    """The filtered list and the counts by status over the same filters (status aside)."""

    rows: list[CaseRow]
    counts: dict[ComplaintStatus, int]
    total: int
    overdue: int
    limited: bool


def list_cases(officer: StaffUser, filters: CaseFilters, limit: int = LIST_LIMIT) -> CaseList:
    """Return the complaints that match the filters, newest first, with counts by status."""
    query = select(Complaint)
    if filters.category:
        query = query.where(Complaint.category == filters.category)
    if filters.channel:
        query = query.where(Complaint.channel == filters.channel)
    if filters.month:
        start, end = Month.parse(filters.month).bounds_utc()
        query = query.where(Complaint.received_at >= start, Complaint.received_at < end)
    now = utcnow()
    if filters.overdue:
        open_statuses = [s.value for s in ComplaintStatus if not s.is_closed]
        query = query.where(Complaint.status.in_(open_statuses), Complaint.due_at < now)
    matching = query.subquery()
    counted = db.session.execute(select(matching.c.status, func.count()).group_by(matching.c.status)).all()
    counts = Counter({ComplaintStatus(s): n for s, n in counted})
    if filters.status:
        query = query.where(Complaint.status == filters.status)
    # Metadata columns only: the list never loads a sealed field.
    metadata = load_only(Complaint.received_at, Complaint.category, Complaint.channel, Complaint.status,
                         Complaint.due_at)
    complaints = db.session.scalars(query.options(metadata).order_by(Complaint.received_at.desc()).limit(limit)).all()
    attachment_counts = dict(db.session.execute(
        select(Attachment.complaint_id, func.count()).where(Attachment.complaint_id.in_([c.id for c in complaints]))
        .group_by(Attachment.complaint_id)).all()) if complaints else {}
    rows = [CaseRow(c.id, c.received_at, c.category, c.channel, ComplaintStatus(c.status), c.due_at, c.is_overdue,
                    attachment_counts.get(c.id, 0)) for c in complaints]
    AuditEntry.record(db.session, "complaint.list", staff_id=officer.id, detail=filters.describe() or None)
    return CaseList(rows=rows, counts={s: counts.get(s, 0) for s in ComplaintStatus}, total=sum(counts.values()),
                    overdue=sum(1 for r in rows if r.overdue), limited=len(rows) == limit)


def find(complaint_id: str) -> Complaint | None:
    """Return the complaint with this id, or None (also for an id that is not a UUID)."""
    try:
        return db.session.get(Complaint, uuid.UUID(complaint_id))
    except ValueError:
        return None


def open_case(officer: StaffUser, complaint: Complaint, private_key) -> OpenedComplaint:
    """Open a complaint with the officer's key; raise NoAccess when they hold no grant."""
    if private_key is None:
        raise NoAccess("the officer's key is not unlocked in this session")
    return complaint.open_with(officer.recipient_label, private_key)


@dataclass
class HistoryEntry:
    """One history entry, opened."""

    seq: int
    at: datetime
    status: ComplaintStatus
    changed: bool
    staff_name: str
    note: str
    reply: str


@dataclass(frozen=True)
class EvidenceItem:
    """One attachment as the case view lists it; a location is shown in place, not only downloaded."""

    attachment: Attachment
    filename: str
    location: dict | None = None


@dataclass
class CaseView:
    """A complaint as an officer sees it, opened."""

    complaint: Complaint
    content: ComplaintContent
    history: list[HistoryEntry]
    attachments: list[EvidenceItem]
    next_statuses: list[ComplaintStatus] = field(default_factory=list)


def view_case(officer: StaffUser, complaint: Complaint, private_key) -> CaseView:
    """Open a complaint for reading, recording the view in the audit log."""
    opened = open_case(officer, complaint, private_key)
    names = dict(db.session.execute(select(StaffUser.id, StaffUser.display_name).where(
        StaffUser.id.in_({e.staff_id for e in complaint.events if e.staff_id}))).all())
    history = [HistoryEntry(e.seq, e.at, ComplaintStatus(e.status), e.from_status != e.status,
                            names.get(e.staff_id, ""), opened.read_note(e), opened.read_reply(e))
               for e in complaint.events]
    attachments = [_evidence_item(opened, a) for a in complaint.attachments]
    AuditEntry.record(db.session, "complaint.view", staff_id=officer.id, target_type="complaint",
                      target_id=complaint.id, detail="content decrypted")
    return CaseView(complaint=complaint, content=opened.content(), history=history, attachments=attachments,
                    next_statuses=sorted(TRANSITIONS[ComplaintStatus(complaint.status)], key=list(ComplaintStatus).index))


def _evidence_item(opened: OpenedComplaint, attachment: Attachment) -> EvidenceItem:
    filename, data = opened.read_attachment(attachment)
    location = None
    if attachment.kind == "location":
        try:
            raw = json.loads(data)
            location = {k: raw.get(k) for k in ("title", "address", "latitude", "longitude")}
        except (ValueError, AttributeError):
            location = None  # not the JSON the bot stores: offer the file as it is
    return EvidenceItem(attachment, filename, location)


def _clean_text(text: str, required: bool, message: str) -> str:
    text = (text or "").strip()
    if required and not text:
        raise CaseDeskError(message)
    if len(text) > NOTE_LIMIT:
        raise CaseDeskError("ข้อความยาวเกินไป")
    return text


def change_status(officer: StaffUser, complaint: Complaint, private_key, to: str, note: str, reply: str = "") -> None:
    """Move a complaint to another status with a required note and an optional reply to the citizen."""
    opened = open_case(officer, complaint, private_key)
    note = _clean_text(note, True, "กรุณากรอกบันทึก")
    reply = _clean_text(reply, False, "")
    try:
        target = ComplaintStatus(to)
    except ValueError:
        raise CaseDeskError("ยังไม่มีสถานะที่เปลี่ยนไปได้") from None
    seq = complaint.next_event_seq()
    try:
        complaint.transition(target, by_staff_id=officer.id, note_sealed=opened.seal_note(seq, note),
                             reply_sealed=opened.seal_reply(seq, reply) if reply else None)
    except InvalidTransition:
        raise CaseDeskError("เปลี่ยนสถานะจาก “{old}” เป็น “{new}” ไม่ได้",
                            old=ComplaintStatus(complaint.status).label, new=target.label) from None
    AuditEntry.record(db.session, "complaint.status", staff_id=officer.id, target_type="complaint",
                      target_id=complaint.id, detail=f"→ {target.value}" + (" with reply" if reply else ""))
    db.session.flush()
    _announce(complaint, opened, target, reply)


def add_note(officer: StaffUser, complaint: Complaint, private_key, note: str, reply: str = "") -> None:
    """Add an internal note and/or a reply to the citizen without changing the status."""
    opened = open_case(officer, complaint, private_key)
    note = _clean_text(note, False, "")
    reply = _clean_text(reply, False, "")
    if not note and not reply:
        raise CaseDeskError("กรุณากรอกข้อความ")
    seq = complaint.next_event_seq()
    complaint.annotate(by_staff_id=officer.id, note_sealed=opened.seal_note(seq, note) if note else None,
                       reply_sealed=opened.seal_reply(seq, reply) if reply else None)
    AuditEntry.record(db.session, "complaint.reply" if reply else "complaint.note", staff_id=officer.id,
                      target_type="complaint", target_id=complaint.id)
    db.session.flush()
    if reply:
        _announce(complaint, opened, ComplaintStatus(complaint.status), reply)


def _announce(complaint: Complaint, opened: OpenedComplaint, status: ComplaintStatus, reply: str) -> None:
    # The LINE bot listens; the LINE user id is opened here, in memory, with the officer's key.
    line_user = opened.content().line_user if complaint.wants_updates else ""
    complaint_status_changed.send(current_app._get_current_object(), complaint_id=complaint.id, status=status,
                                  reply=reply, line_user=line_user)


def case_reference(complaint: Complaint) -> str:
    """Return the short reference staff use for a case in file names."""
    return str(complaint.id).split("-")[0].upper()


def download_evidence(officer: StaffUser, complaint: Complaint, private_key, attachment_id: str) -> tuple[str, str, bytes]:
    """Return (file name, media type, bytes) of one evidence file, recording the download.

    The name is the office's (case reference and number) with the extension of the type sniffed from
    the bytes: the citizen's own name (``….html``, ``….hta``) never reaches the officer's disk.
    """
    opened = open_case(officer, complaint, private_key)
    number, attachment = next(((n, a) for n, a in enumerate(complaint.attachments, 1) if str(a.id) == attachment_id),
                              (0, None))
    if attachment is None:
        raise LookupError("no such attachment on this complaint")
    _, data = opened.read_attachment(attachment)
    found = sniff(data)
    if found is not None:
        media_type, _, extension = found
    elif attachment.kind == "location":
        media_type, extension = "application/json", ".json"
    else:
        media_type, extension = "application/octet-stream", ".bin"
    AuditEntry.record(db.session, "evidence.download", staff_id=officer.id, target_type="attachment",
                      target_id=attachment.id, detail=f"complaint {complaint.id}")
    return f"sujarit-{case_reference(complaint)}-evidence-{number}{extension}", media_type, data
