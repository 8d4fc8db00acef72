"""Pushes that are not replies: status notices to citizens, alerts to the staff group, texts for other packages."""
from __future__ import annotations

import uuid

from flask import Flask, current_app

from bot import outbox, texts, ui
from bot.line_limits import TEXT_MAX, fit_text, utf16_len
from bot.line_api import line_api
from bot.worker import wake_workers
from config.thai import thai_date
from intake.signals import complaint_filed, complaint_status_changed
from models import Complaint, db


def push_text(to: str, text: str, *, retry_key: str) -> None:
    """Push a text to a LINE user, group or room now; the same retry key is never delivered twice.

    Raises bot.line_api.LineApiError when LINE still refuses after a few quick tries.
    """
    line_api().push(to, [ui.say(text)], retry_key)


def queue_staff_alert(text: str, retry_key: str | None = None, to: str = "") -> None:
    """Queue a text (never case content) for the staff group or one staff member, in the current transaction."""
    to = to or current_app.config["PROFILE"].staff_group_id
    if to:
        outbox.queue("staff_alert", to=to, messages=[ui.say(text)], retry_key=retry_key)


def _on_complaint_filed(app: Flask, *, complaint_id, **_facts) -> None:
    # Derived from the complaint id: however often this runs for one complaint, staff hear of it once.
    queue_staff_alert(texts.STAFF_NEW_COMPLAINT, str(uuid.uuid5(uuid.NAMESPACE_URL, f"sujarit:filed:{complaint_id}")))
    wake_workers()


def _on_status_changed(app: Flask, *, complaint_id, status, reply: str = "", line_user: str = "", **_facts) -> None:
    if not line_user:
        return
    # Which complaint this is about, in words the citizen recognises: its category and the day it was received.
    complaint = db.session.get(Complaint, complaint_id)
    head = texts.STATUS_PUSH.format(category=app.config["PROFILE"].category_name(complaint.category),
                                    received=thai_date(complaint.received_at), status=status.label)
    foot = texts.STATUS_PUSH_FOOTER
    if reply:
        # A long reply is shortened at a word so the notice fits LINE's limit; /track has it whole.
        room = TEXT_MAX - utf16_len(head + texts.STATUS_PUSH_REPLY.format(reply="") + texts.STATUS_PUSH_CUT + foot)
        shortened = fit_text(reply, room)
        head += texts.STATUS_PUSH_REPLY.format(reply=shortened)
        if shortened != reply:
            foot = texts.STATUS_PUSH_CUT + foot
    outbox.queue("status", to=line_user,
                 messages=[ui.say(head + foot, [ui.send_text(texts.Q_SEE_STATUS, texts.CMD_TRACKING)])])
    wake_workers()


def init_app(app: Flask) -> None:
    """Listen to intake's signals for this app."""
    complaint_filed.connect(_on_complaint_filed, sender=app, weak=False)
    complaint_status_changed.connect(_on_status_changed, sender=app, weak=False)
