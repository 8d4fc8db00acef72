"""Pushes that are not replies: status notices to citizens, alerts to the staff group, texts for other packages."""
from __future__ import annotations

import uuid

from flask import Flask, current_app

from bot import outbox, texts, ui
from bot.line_limits import TEXT_MAX, fit_text, utf16_len
from bot.line_api import line_api
from bot.worker import wake_workers
from bot.flows.staff import checkin_prompt, staff_actions, take_staff_menu
from config.thai import thai_date
from intake.signals import complaint_filed, complaint_followed_up, complaint_status_changed, staff_line_unlinked
from intake.staff_line import linked_staff
from models import QUESTION, Complaint, db


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


def _on_status_changed(app: Flask, *, complaint_id, status, reply: str = "", line_user: str = "", kind: str = "",
                       **_facts) -> None:
    if not line_user:
        return
    if kind == QUESTION:
        _push_question(app, line_user, reply)
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


def _retry_key(*parts) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "sujarit:" + ":".join(str(p) for p in parts)))


def push_report_to_linked_staff(kind: str, period: str, summary: str, link: str) -> None:
    """Queue a new report's summary for each linked executive and officer (every linked staff member for
    the No Gift report), one push each, never twice."""
    roles = None if kind == "no_gift" else frozenset({"executive", "officer", "integrity"})
    for staff, line_user_id in linked_staff(roles):
        outbox.queue("staff_report", to=line_user_id, messages=[ui.say(f"{summary}\n{link}")],
                     retry_key=_retry_key("report", kind, period, staff.id))
    wake_workers()


def push_no_gift_notice(kind: str, key: str, text: str) -> None:
    """Queue a check-in (with its one-tap answers) or a festival reminder for each linked staff member."""
    for staff, line_user_id in linked_staff():
        if kind == "checkin":
            messages = [ui.say(text)] + checkin_prompt(key)
        else:
            messages = [ui.say(text, staff_actions())]
        outbox.queue("staff_notice", to=line_user_id, messages=messages,
                     retry_key=_retry_key("no-gift", kind, key, staff.id))
    wake_workers()


def _on_staff_unlinked(app: Flask, *, line_user: str) -> None:
    take_staff_menu(line_user)


def _push_question(app: Flask, line_user: str, question: str) -> None:
    # The answer is given on /track with the tracking code, which LINE never carries.
    url = app.config["SETTINGS"].public_base_url.rstrip("/") + "/track"
    room = TEXT_MAX - utf16_len(texts.QUESTION_PUSH.format(question="", url=url))
    outbox.queue("status", to=line_user,
                 messages=[ui.say(texts.QUESTION_PUSH.format(question=fit_text(question, room), url=url))])
    wake_workers()


def _on_followed_up(app: Flask, *, complaint_id, **_facts) -> None:
    # No content and no identity: only that a case has something new to read.
    queue_staff_alert(texts.STAFF_FOLLOW_UP)
    wake_workers()


def init_app(app: Flask) -> None:
    """Listen to intake's signals for this app."""
    complaint_filed.connect(_on_complaint_filed, sender=app, weak=False)
    complaint_status_changed.connect(_on_status_changed, sender=app, weak=False)
    staff_line_unlinked.connect(_on_staff_unlinked, sender=app, weak=False)
    complaint_followed_up.connect(_on_followed_up, sender=app, weak=False)
