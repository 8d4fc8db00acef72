"""The audit log in words: "เปิดดูเรื่อง …" with the person's name, instead of action codes and row ids."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from config.thai import thai_date
from intake.reference import reference_text
from models import AuditEntry, Complaint, ComplaintStatus, StaffUser, db
from models.staff import ROLE_LABELS
from staff import office_profile
from staff.i18n import translate

#: What each action says; {target} is the record in words (a person, a complaint, a report, a version).
ACTIONS = {
    "signin": "เข้าสู่ระบบ",
    "signout": "ออกจากระบบ",
    "signin.failed": "เข้าสู่ระบบไม่สำเร็จ",
    "signin.locked": "บัญชีถูกระงับชั่วคราว",
    "key.unlock_failed": "เปิดกุญแจส่วนตัวไม่สำเร็จ",
    "key.created": "สร้างกุญแจส่วนตัว",
    "totp.enrolled": "ตั้งค่าการยืนยันตัวตนสองขั้นตอน",
    "password.changed": "เปลี่ยนรหัสผ่าน",
    "user.created": "เพิ่มผู้ใช้ {target}",
    "user.roles": "เปลี่ยนบทบาทของ {target}",
    "user.deactivated": "ปิดบัญชีของ {target}",
    "user.reactivated": "เปิดบัญชีของ {target} อีกครั้ง",
    "user.unlocked": "ปลดล็อกบัญชีของ {target}",
    "user.password_reset": "ตั้งรหัสผ่านใหม่ให้ {target}",
    "user.totp_reset": "รีเซ็ตการยืนยันตัวตนสองขั้นตอนของ {target}",
    "complaint.list": "เปิดรายการเรื่องร้องเรียน",
    "complaint.view": "เปิดดูเรื่อง {target}",
    "complaint.status": "เปลี่ยนสถานะเรื่อง {target}",
    "complaint.note": "เพิ่มบันทึกภายในในเรื่อง {target}",
    "complaint.reply": "ส่งคำตอบถึงผู้ร้องเรียนในเรื่อง {target}",
    "evidence.download": "ดาวน์โหลดหลักฐานของเรื่อง {target}",
    "key.grant": "มอบสิทธิ์เปิดเรื่องร้องเรียนให้ {target}",
    "key.recover": "ใช้กุญแจกู้คืนมอบสิทธิ์ให้ {target}",
    "audit.view": "เปิดดูบันทึกการใช้งาน",
    "report.made": "สร้างรายงาน",
    "report.download": "ดาวน์โหลดรายงาน",
    "profile.edit": "แก้ไขข้อมูลสำนักงาน ฉบับที่ {target}",
}
#: The details the code writes, in words: (action, pattern of the stored detail, Thai text with the pattern's groups).
DETAILS = (
    ("signin.failed", r"wrong password", "รหัสผ่านไม่ถูกต้อง"),
    ("signin.failed", r"wrong TOTP code", "รหัสยืนยันไม่ถูกต้อง"),
    ("signin.locked", r"(?P<count>\d+) failed attempts", "ใส่รหัสผิด {count} ครั้ง"),
    ("user.deactivated", r"(?P<count>\d+) complaint grants revoked", "เพิกถอนสิทธิ์ {count} เรื่อง"),
    ("user.password_reset", r"key pair replaced", "กุญแจเดิมสูญหาย ต้องมอบสิทธิ์ใหม่"),
    ("key.grant", r"(?P<count>\d+) complaints", "{count} เรื่อง"),
    ("key.recover", r"(?P<count>\d+) complaints, recovery key (?P<key>\S+)", "{count} เรื่อง ด้วยกุญแจกู้คืน {key}"),
    ("complaint.view", r"content decrypted", "ถอดรหัสเนื้อหา"),
    ("complaint.status", r"→ (?P<status>\w+)", "เป็น “{status}”"),
    ("complaint.status", r"→ (?P<status>\w+) with reply", "เป็น “{status}” พร้อมคำตอบถึงผู้ร้องเรียน"),
)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass(frozen=True)
class AuditLine:
    """One audit entry as a sentence: when, who, what (with the record named), and the detail in words."""

    entry: AuditEntry
    who: str
    what: str
    detail: str
    complaint_id: str | None


def action_label(action: str) -> str:
    """Return an action's words with "…" for its record, for the filter menu."""
    return translate(ACTIONS[action], target="…") if action in ACTIONS else action


def complaint_label(complaint: Complaint) -> str:
    """Name a complaint without its content: its reference (ร.12/2569), else its category and day."""
    return reference_text(complaint) or (
        f"{current_app.config['PROFILE'].category_name(complaint.category)} {thai_date(complaint.received_at)}")


def _detail(entry: AuditEntry) -> str:
    text = entry.detail or ""
    if entry.action == "profile.edit":
        return ", ".join(translate(office_profile.title([key])) for key in text.split(", ") if key)
    if entry.action in ("user.created", "user.roles") and text.startswith("roles="):
        return ", ".join(translate(ROLE_LABELS.get(r, r)) for r in text[6:].split(",") if r)
    for action, pattern, words in DETAILS:
        found = re.fullmatch(pattern, text) if action == entry.action else None
        if found:
            values = found.groupdict()
            if "status" in values:
                values["status"] = translate(ComplaintStatus(values["status"]).label)
            return translate(words, **values)
    return text


def describe(entries: list[AuditEntry]) -> list[AuditLine]:
    """Put a page of audit entries into words, naming people and complaints with one query each."""
    people = dict(db.session.execute(select(StaffUser.id, StaffUser.display_name)).all())
    complaint_of = {}
    for e in entries:
        if e.target_type == "complaint":
            complaint_of[e.id] = e.target_id
        elif e.target_type == "attachment" and _UUID.search(e.detail or ""):
            complaint_of[e.id] = _UUID.search(e.detail).group(0)
    ids = {uuid.UUID(c) for c in complaint_of.values() if c and _UUID.fullmatch(c)}
    complaints = {str(c.id): c for c in db.session.scalars(select(Complaint).where(Complaint.id.in_(ids)))} if ids else {}
    lines = []
    for e in entries:
        complaint = complaints.get(complaint_of.get(e.id, ""))
        if complaint is not None:
            target = complaint_label(complaint)
        elif e.target_type == "staff_user" and e.target_id and e.target_id.isdigit():
            target = people.get(int(e.target_id), e.target_id)
        else:
            target = e.target_id or ""
        detail = "" if e.action == "evidence.download" else _detail(e)  # its detail only names the complaint
        what = translate(ACTIONS[e.action], target=target) if e.action in ACTIONS else e.action
        lines.append(AuditLine(e, people.get(e.staff_id, "–") if e.staff_id else translate("ระบบ"), what, detail,
                               str(complaint.id) if complaint is not None else None))
    return lines
