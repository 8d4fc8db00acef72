"""The case desk: list complaints by their plain metadata, open them with an officer's key, act on them.

Every view, download and decryption is written to the audit log. Plaintext exists only in memory,
for the officer whose key opened it.
"""
from __future__ import annotations

import json
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import load_only, selectinload

from config.thai import thai_date, to_local
from intake.complaints import ComplaintDraft, Receipt, file_complaint
from intake.reference import parse_reference, reference_text
from intake.evidence import sniff
from intake.signals import complaint_status_changed
from models import (CHANNELS, DESK_CHANNELS, QUESTION, Attachment, AuditEntry, Complaint, ComplaintContent,
                    ComplaintStatus, InvalidTransition, NoAccess, OpenedComplaint, StaffUser, db, server_keys, utcnow)
from models.complaint import TRANSITIONS
from models.keyring import normalize_tracking_code
from staff.reply_letter import BODY_LIMIT, ReplyLetter, render_letter
from stats.fiscal import Month, fiscal_months, fiscal_year_of, local_midnight_utc

#: Fiscal years the month filter offers, this one first.
MONTH_FILTER_YEARS = 3
NOTE_LIMIT = 5000
SUBJECT_LIMIT = 200
AGENCY_LIMIT = 200
#: Rows per page of the case list.
PAGE_SIZE = 25
#: Received times are kept to the minute (issue 9), so the reference number, given in filing order,
#: orders complaints of the same minute.
SORTS = {"newest": (Complaint.received_at.desc(), Complaint.reference_year.desc(), Complaint.reference_number.desc()),
         "oldest": (Complaint.received_at.asc(), Complaint.reference_year.asc(), Complaint.reference_number.asc()),
         "due": (Complaint.due_at.asc(),),
         "reference": (Complaint.reference_year.desc(), Complaint.reference_number.desc())}


class CaseDeskError(ValueError):
    """An officer's request the case desk refuses: a Thai catalogue text and the values it names."""

    def __init__(self, message: str, **values):
        super().__init__(message)
        self.message, self.values = message, values


def month_choices(now: datetime, chosen: str = "") -> list[tuple[int, list[Month]]]:
    """Return the months a case list can be narrowed to, per Buddhist-Era fiscal year (newest first): the
    months begun in the last few fiscal years, and the chosen month's year if that is older."""
    this_year = fiscal_year_of(to_local(now).date())
    years = list(range(this_year, this_year - MONTH_FILTER_YEARS, -1))
    if chosen and Month.parse(chosen).fiscal_year < years[-1]:
        years.append(Month.parse(chosen).fiscal_year)
    today = Month.of(to_local(now).date())
    return [(fy, [m for m in reversed(fiscal_months(fy)) if m.first_day <= today.first_day]) for fy in years]


@dataclass(frozen=True)
class CaseFilters:
    """What the list is narrowed to, how it is sorted and which page: plain metadata only."""

    status: str = ""
    category: str = ""
    channel: str = ""
    month: str = ""  # YYYY-MM in the Buddhist Era (a Common-Era "2026-03" in a link is read too)
    overdue: bool = False
    division: str = ""
    assigned: str = ""  # "", "me" or "none"
    sort: str = "newest"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "CaseFilters":
        """Read filters from query arguments, ignoring values that are not valid choices."""
        status = args.get("status", "")
        channel = args.get("channel", "")
        try:
            month = Month.parse(args.get("month", "")).be_iso()
        except ValueError:
            month = ""
        sort = args.get("sort", "newest")
        assigned = args.get("assigned", "")
        return cls(status=status if status in {s.value for s in ComplaintStatus} else "",
                   category=args.get("category", "")[:64], channel=channel if channel in CHANNELS else "",
                   month=month, overdue=args.get("overdue") == "1", division=args.get("division", "")[:64],
                   assigned=assigned if assigned in ("me", "none") else "",
                   sort=sort if sort in SORTS else "newest", page=max(1, min(args.get("page", 1, type=int) or 1, 10**6)))

    def describe(self) -> str:
        """Return the filters in plain words for the audit log."""
        parts = [f"{k}={v}" for k, v in (("status", self.status), ("category", self.category),
                                          ("channel", self.channel), ("month", self.month),
                                          ("division", self.division), ("assigned", self.assigned)) if v]
        return " ".join(parts + (["overdue"] if self.overdue else []))

    def args(self, **changes) -> dict:
        """Return these filters as query arguments, with some changed (for paging and sort links)."""
        chosen = replace(self, **changes)
        values = {k: v for k, v in vars(chosen).items()
                  if v and not (k == "sort" and v == "newest") and not (k == "page" and v == 1)}
        if chosen.overdue:
            values["overdue"] = "1"
        return values


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list: metadata, and the subject when the officer's key opens it."""

    id: uuid.UUID
    received_at: datetime
    category: str
    channel: str
    status: ComplaintStatus
    due_at: datetime
    overdue: bool
    attachments: int
    reference: str = ""
    subject: str = ""
    assignee: str = ""
    division: str = ""
    citizen_wrote: bool = False


@dataclass
class CaseList:
    """One page of the filtered list and the counts by status over the same filters (status aside)."""

    rows: list[CaseRow]
    counts: dict[ComplaintStatus, int]
    total: int
    overdue: int
    matching: int = 0
    page: int = 1
    pages: int = 1


def _narrow(query, officer: StaffUser, filters: CaseFilters):
    """Narrow a query by every filter but the status."""
    if filters.category:
        query = query.where(Complaint.category == filters.category)
    if filters.channel:
        query = query.where(Complaint.channel == filters.channel)
    if filters.division:
        query = query.where(Complaint.division == filters.division)
    if filters.assigned == "me":
        query = query.where(Complaint.assigned_staff_id == officer.id)
    elif filters.assigned == "none":
        query = query.where(Complaint.assigned_staff_id.is_(None))
    if filters.month:
        start, end = Month.parse(filters.month).bounds_utc()
        query = query.where(Complaint.received_at >= start, Complaint.received_at < end)
    if filters.overdue:
        open_statuses = [s.value for s in ComplaintStatus if not s.is_closed]
        query = query.where(Complaint.status.in_(open_statuses), Complaint.due_at < utcnow())
    return query


def find_case(officer: StaffUser, typed: str) -> Complaint | None:
    """Find the one complaint a typed reference (ร.12/2569) or tracking code names, or None."""
    code = normalize_tracking_code(typed)
    reference = parse_reference(typed)
    if code is not None:
        query = select(Complaint).where(Complaint.tracking_index == server_keys().index.digest("tracking", code))
    elif reference is not None:
        year, number = reference
        query = select(Complaint).where(Complaint.reference_year == year, Complaint.reference_number == number)
    else:
        return None
    found = db.session.scalar(query)
    # What was typed is not logged: a tracking code opens the complainant's side of the case.
    AuditEntry.record(db.session, "complaint.find", staff_id=officer.id, target_type="complaint" if found else None,
                      target_id=found.id if found else None, detail="found" if found else "not found")
    return found


def list_cases(officer: StaffUser, filters: CaseFilters, private_key=None, page_size: int = PAGE_SIZE) -> CaseList:
    """Return one page of the complaints that match, sorted as asked, with counts by status.

    The subjects are opened with the officer's key, row by row, and exist only in this response.
    """
    query = _narrow(select(Complaint), officer, filters)
    matching = query.subquery()
    counted = db.session.execute(select(matching.c.status, func.count()).group_by(matching.c.status)).all()
    counts = Counter({ComplaintStatus(s): n for s, n in counted})
    if filters.status:
        query = query.where(Complaint.status == filters.status)
    found = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, -(-found // page_size))
    page = min(filters.page, pages)
    # Metadata columns and the sealed subject only: the list never loads the complaint's content.
    metadata = load_only(Complaint.received_at, Complaint.category, Complaint.channel, Complaint.status,
                         Complaint.due_at, Complaint.reference_year, Complaint.reference_number,
                         Complaint.assigned_staff_id, Complaint.division, Complaint.subject_sealed,
                         Complaint.citizen_wrote_at)
    complaints = db.session.scalars(query.options(metadata, selectinload(Complaint.keys))
                                    .order_by(*SORTS[filters.sort], Complaint.id)
                                    .offset((page - 1) * page_size).limit(page_size)).all()
    ids = [c.id for c in complaints]
    attachment_counts = dict(db.session.execute(
        select(Attachment.complaint_id, func.count()).where(Attachment.complaint_id.in_(ids))
        .group_by(Attachment.complaint_id)).all()) if ids else {}
    names = _staff_names({c.assigned_staff_id for c in complaints})
    profile = current_app.config["PROFILE"]
    rows = [CaseRow(c.id, c.received_at, c.category, c.channel, ComplaintStatus(c.status), c.due_at, c.is_overdue,
                    attachment_counts.get(c.id, 0), reference_text(c), _subject(officer, c, private_key),
                    names.get(c.assigned_staff_id, ""), profile.division_name(c.division) if c.division else "",
                    c.citizen_wrote_at is not None) for c in complaints]
    AuditEntry.record(db.session, "complaint.list", staff_id=officer.id,
                      detail=" ".join(filter(None, [filters.describe(), f"page={page}",
                                                    "subjects decrypted" if private_key is not None else ""])))
    return CaseList(rows=rows, counts={s: counts.get(s, 0) for s in ComplaintStatus}, total=sum(counts.values()),
                    overdue=sum(1 for r in rows if r.overdue), matching=found, page=page, pages=pages)


def _subject(officer: StaffUser, complaint: Complaint, private_key) -> str:
    if private_key is None or complaint.subject_sealed is None:
        return ""
    try:
        return complaint.open_with(officer.recipient_label, private_key).subject()
    except NoAccess:
        return ""


def _staff_names(ids) -> dict[int, str]:
    ids = {i for i in ids if i}
    return dict(db.session.execute(select(StaffUser.id, StaffUser.display_name).where(StaffUser.id.in_(ids))).all()) \
        if ids else {}


def officers() -> list[StaffUser]:
    """Return the active complaint officers a case can be assigned to."""
    users = db.session.scalars(select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.display_name))
    return [u for u in users if u.has_role("officer")]


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
    kind: str = ""  # "", QUESTION to the complainant, or ANSWER from them


@dataclass(frozen=True)
class EvidenceItem:
    """One attachment as the case view lists it; a location is shown in place, not only downloaded."""

    attachment: Attachment
    filename: str
    location: dict | None = None

    @property
    def previewable(self) -> str:
        """Return how the page shows the file in place: "image", "pdf", "video", "audio", or "" (download only)."""
        return preview_kind(self.attachment.media_type)


def preview_kind(media_type: str) -> str:
    """Return how a browser shows a file of this type in the case page, or "" when it cannot."""
    if media_type == "application/pdf":
        return "pdf"
    kind = media_type.split("/", 1)[0]
    return kind if kind in ("image", "video", "audio") else ""


@dataclass
class CaseView:
    """A complaint as an officer sees it, opened."""

    complaint: Complaint
    content: ComplaintContent
    history: list[HistoryEntry]
    attachments: list[EvidenceItem]
    next_statuses: list[ComplaintStatus] = field(default_factory=list)
    reference: str = ""
    subject: str = ""
    assignee: str = ""


def view_case(officer: StaffUser, complaint: Complaint, private_key, action: str = "complaint.view") -> CaseView:
    """Open a complaint for reading (or printing), recording it in the audit log."""
    opened = open_case(officer, complaint, private_key)
    names = _staff_names({e.staff_id for e in complaint.events} | {complaint.assigned_staff_id})
    history = [HistoryEntry(e.seq, e.at, ComplaintStatus(e.status), e.from_status != e.status,
                            names.get(e.staff_id, ""), opened.read_note(e),
                            opened.read_reply(e), e.kind or "")
               for e in complaint.events]
    attachments = [_evidence_item(opened, a) for a in complaint.attachments]
    complaint.citizen_wrote_at = None  # an officer has now seen what the complainant added
    AuditEntry.record(db.session, action, staff_id=officer.id, target_type="complaint",
                      target_id=complaint.id, detail="content decrypted")
    return CaseView(complaint=complaint, content=opened.content(), history=history, attachments=attachments,
                    next_statuses=sorted(TRANSITIONS[ComplaintStatus(complaint.status)], key=list(ComplaintStatus).index),
                    reference=reference_text(complaint), subject=opened.subject(),
                    assignee=names.get(complaint.assigned_staff_id, ""))


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


def _announce(complaint: Complaint, opened: OpenedComplaint, status: ComplaintStatus, reply: str,
              kind: str = "") -> None:
    # The LINE bot listens; the LINE user id is opened here, in memory, with the officer's key.
    line_user = opened.content().line_user if complaint.wants_updates else ""
    complaint_status_changed.send(current_app._get_current_object(), complaint_id=complaint.id, status=status,
                                  reply=reply, line_user=line_user, kind=kind)


def ask_question(officer: StaffUser, complaint: Complaint, private_key, question: str) -> None:
    """Ask the complainant a question they read and answer behind their tracking code (and see in LINE)."""
    opened = open_case(officer, complaint, private_key)
    question = _clean_text(question, True, "กรุณาพิมพ์คำถาม")
    seq = complaint.next_event_seq()
    complaint.annotate(by_staff_id=officer.id, reply_sealed=opened.seal_reply(seq, question), kind=QUESTION)
    AuditEntry.record(db.session, "complaint.question", staff_id=officer.id, target_type="complaint",
                      target_id=complaint.id, detail=reference_text(complaint) or None)
    db.session.flush()
    _announce(complaint, opened, ComplaintStatus(complaint.status), question, kind=QUESTION)


def case_reference(complaint: Complaint) -> str:
    """Return the short reference staff use for a case in file names."""
    return str(complaint.id).split("-")[0].upper()


def read_evidence(officer: StaffUser, complaint: Complaint, private_key, attachment_id: str,
                  action: str = "evidence.download") -> tuple[str, str, bytes]:
    """Return (the office's file name, the sniffed media type, bytes) of one evidence file, recording the read.

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
    AuditEntry.record(db.session, action, staff_id=officer.id, target_type="attachment",
                      target_id=attachment.id, detail=f"complaint {complaint.id}")
    return f"sujarit-{case_reference(complaint)}-evidence-{number}{extension}", media_type, data


def register(officer: StaffUser, draft: ComplaintDraft, channel: str, received_on: date | None = None) -> Receipt:
    """File a complaint handed in at the desk (in person, by letter, phone or referral) through the one intake."""
    if channel not in DESK_CHANNELS:
        raise CaseDeskError("กรุณาเลือกช่องทางที่ได้รับเรื่อง")
    now = utcnow()
    received_at = now
    if received_on is not None and received_on != to_local(now).date():
        # A letter stamped on an earlier day counts from that day; the time of day is not known.
        if received_on > to_local(now).date():
            raise CaseDeskError("วันที่รับเรื่องต้องไม่เป็นวันในอนาคต")
        received_at = local_midnight_utc(received_on)
    receipt = file_complaint(draft, channel=channel, now=received_at)
    AuditEntry.record(db.session, "complaint.register", staff_id=officer.id, target_type="complaint",
                      target_id=receipt.complaint_id, detail=f"{receipt.reference} {channel}")
    return receipt


def update_handling(officer: StaffUser, complaint: Complaint, private_key, *, assignee: str, division: str,
                    subject: str) -> None:
    """Set who handles the case, in which division, and its sealed one-line subject."""
    opened = open_case(officer, complaint, private_key)
    subject = " ".join((subject or "").split())
    if len(subject) > SUBJECT_LIMIT:
        raise CaseDeskError("เรื่องย่อยาวเกินไป (ไม่เกิน {limit} ตัวอักษร)", limit=SUBJECT_LIMIT)
    staff_id = int(assignee) if assignee.isdigit() else None
    if staff_id is not None and staff_id not in {u.id for u in officers()}:
        raise CaseDeskError("กรุณาเลือกเจ้าหน้าที่จากรายการ")
    if division and division not in {d.code for d in current_app.config["PROFILE"].divisions}:
        raise CaseDeskError("กรุณาเลือกหน่วยงานจากรายการ")
    complaint.assign(staff_id=staff_id, division=division)
    opened.seal_subject(subject)
    AuditEntry.record(db.session, "complaint.assign", staff_id=officer.id, target_type="complaint",
                      target_id=complaint.id, detail=f"{reference_text(complaint)} staff={staff_id or '-'} "
                                                     f"division={division or '-'}")


def record_forwarding(officer: StaffUser, complaint: Complaint, private_key, agency: str, on: str) -> None:
    """Record the agency the case was forwarded to and the date it was sent."""
    open_case(officer, complaint, private_key)
    agency = " ".join((agency or "").split())
    if not agency or len(agency) > AGENCY_LIMIT:
        raise CaseDeskError("กรุณากรอกชื่อหน่วยงานที่ส่งต่อ (ไม่เกิน {limit} ตัวอักษร)", limit=AGENCY_LIMIT)
    try:
        day = date.fromisoformat(on)
    except ValueError:
        raise CaseDeskError("กรุณาเลือกวันที่ส่งต่อ") from None
    if day > to_local(utcnow()).date() or day < to_local(complaint.received_at).date():
        raise CaseDeskError("วันที่ส่งต่อต้องอยู่ระหว่างวันที่รับเรื่องกับวันนี้")
    complaint.record_forwarding(agency, local_midnight_utc(day))
    AuditEntry.record(db.session, "complaint.forwarded", staff_id=officer.id, target_type="complaint",
                      target_id=complaint.id, detail=reference_text(complaint) or None)


def cited_complaint(complaint: Complaint) -> str:
    """Return how a letter cites the complaint it answers (อ้างถึง): its reference and the day it arrived."""
    reference = reference_text(complaint)
    return f"เรื่องร้องเรียน{f' เลขรับ {reference}' if reference else ''} ลงวันที่ {thai_date(complaint.received_at)}"


def reply_letter(officer: StaffUser, complaint: Complaint, private_key, *, number: str, to: str, subject: str,
                 body: str) -> tuple[str, bytes]:
    """Make the reply letter PDF, share it with the complainant behind the tracking code; return (name, PDF)."""
    opened = open_case(officer, complaint, private_key)
    fields = {"number": number, "to": to, "subject": subject}
    fields = {k: " ".join((v or "").split()) for k, v in fields.items()}
    body = (body or "").strip()
    if not all(fields.values()) or not body:
        raise CaseDeskError("กรุณากรอกเลขที่หนังสือ เรื่อง ผู้รับ และข้อความให้ครบ")
    if len(body) > BODY_LIMIT or any(len(v) > SUBJECT_LIMIT for v in fields.values()):
        raise CaseDeskError("ข้อความยาวเกินไป")
    now = utcnow()
    reference = reference_text(complaint)
    pdf = render_letter(ReplyLetter(number=fields["number"], date=now, subject=fields["subject"], to=fields["to"],
                                    reference=cited_complaint(complaint), body=body))
    seq = complaint.next_event_seq()
    complaint.annotate(by_staff_id=officer.id, at=now, reply_sealed=opened.seal_reply(
        seq, f"หน่วยงานส่งหนังสือตอบ เรื่อง {fields['subject']} ดาวน์โหลดได้จากรายการด้านล่าง"))
    filename = f"หนังสือตอบ-{(reference or 'เรื่องร้องเรียน').replace('/', '-')}.pdf"
    opened.add_attachment(kind="file", media_type="application/pdf", filename=filename, data=pdf, at=now,
                          shared_with_citizen=True, event_seq=seq)
    AuditEntry.record(db.session, "complaint.letter", staff_id=officer.id, target_type="complaint",
                      target_id=complaint.id, detail=reference or None)
    db.session.flush()
    _announce(complaint, opened, ComplaintStatus(complaint.status), f"หน่วยงานส่งหนังสือตอบ เรื่อง {fields['subject']}")
    return filename, pdf
