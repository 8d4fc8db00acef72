"""Delivering a new report to executives and officers: e-mail with the files, and a signal for LINE."""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from models import StaffUser, db, server_keys
from models.report import ArchivedReport
from stats.document import KIND_LABELS, MEDIA_TYPES
from stats.fiscal import period_from_key
from stats.signals import report_published

log = logging.getLogger(__name__)
#: Formats attached to the e-mail; the rest stay on the transparency page.
ATTACHED = ("pdf", "xlsx")


def recipients() -> list[StaffUser]:
    """Return the active executives and officers."""
    users = db.session.scalars(select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.id))
    return [u for u in users if u.role_set & {"executive", "officer"}]


def summary_of(kind: str, files: list[ArchivedReport]) -> str:
    """Return a short Thai summary (counts only) of a report, from its archived JSON."""
    import json

    data = json.loads(next(f for f in files if f.fmt == "json").read(server_keys().keyring))
    label = period_from_key(files[0].period).label
    if kind == "complaints":
        t = data["total"]
        return (f"{KIND_LABELS[kind]} {label}: รับเรื่อง {t['received']} เรื่อง ดำเนินการแล้วเสร็จ "
                f"{t['completed']} เรื่อง อยู่ระหว่างดำเนินการ {t['in_progress']} เรื่อง")
    o = data["overall"]
    if o["mean"] is None:
        return f"{KIND_LABELS[kind]} {label}: ยังไม่มีผู้ตอบแบบสำรวจ"
    return (f"{KIND_LABELS[kind]} {label}: ผู้ตอบ {o['respondents']} คน ค่าเฉลี่ย {o['mean']:.2f} "
            f"(ร้อยละ {o['percent']:.2f}) ระดับ{o['level']}")


def deliver(kind: str, files: list[ArchivedReport]) -> None:
    """Announce a new report (LINE listens) and e-mail it when SMTP is configured."""
    app = current_app._get_current_object()
    summary = summary_of(kind, files)
    link = f"{app.config['SETTINGS'].public_base_url}/transparency#{kind}"
    report_published.send(app, kind=kind, period=files[0].period, summary=summary, link=link)
    settings = app.config["SETTINGS"]
    addresses = [u.email for u in recipients() if u.email]
    if not settings.smtp_host or not addresses:
        return
    message = EmailMessage()
    message["Subject"] = f"[{app.config['PROFILE'].short_name}] {summary.split(':')[0]}"
    message["From"] = settings.smtp_from
    message["To"] = ", ".join(addresses)
    message.set_content(f"เรียน ผู้บริหารและเจ้าหน้าที่\n\n{summary}\n\nรายงานฉบับเต็มแนบมาพร้อมนี้ "
                        f"และดูได้ที่ {link}\n\n{app.config['PROFILE'].name}\n")
    for f in files:
        if f.fmt in ATTACHED:
            maintype, _, subtype = MEDIA_TYPES[f.fmt].partition(";")[0].partition("/")
            message.add_attachment(f.read(server_keys().keyring), maintype=maintype, subtype=subtype,
                                   filename=f.filename)
    send_email(message, settings)


def send_email(message: EmailMessage, settings) -> None:
    """Send one e-mail through the configured SMTP server; a failure is logged, never raised."""
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        # What the e-mail announces is stored already; a failed e-mail must not undo it.
        log.error("e-mail failed: %s", type(exc).__name__)
