"""Staff in LINE: link the account with a one-time code, report a gift, answer the check-in, acknowledge.

Every staff command is guarded: from anyone but linked staff its words are ordinary input, answered
exactly as the same words would be if no staff command existed, so the citizen side never learns who is staff.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from flask import current_app

from bot import conversation, texts, ui
from bot.conversation import Chat
from bot.flows.base import IDLE_TEXTS, Input, not_understood, register
from bot.line_api import LineApiError, line_api
from config.thai import BE_OFFSET, MONTHS_FULL, be_year, thai_date, to_local
from intake import gifts, staff_line
from intake.errors import IntakeError
from models import Meta, StaffUser, db, utcnow
from models.gifts import GIVER_KINDS, OCCASIONS, OUTCOMES

#: Where the id of the staff rich menu is kept (made by `flask line richmenu`).
STAFF_MENU_KEY = "line.staff_rich_menu"
_DATE = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{4})$")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def _staff(chat: Chat) -> StaffUser | None:
    return staff_line.staff_for_line(chat.user_id)


def is_staff(chat: Chat) -> bool:
    """Return True when the LINE user is linked staff (the guard of every staff command)."""
    return _staff(chat) is not None


def staff_actions() -> list[dict]:
    """Return the staff menu as quick replies."""
    return [ui.send_text(texts.CMD_GIFT), ui.send_text(texts.CMD_CHECKIN), ui.send_text(texts.CMD_ACK),
            ui.send_text(texts.CMD_STAFF_REPORTS)]


# Linking.

def link(chat: Chat, inp: Input) -> list[dict] | None:
    """Claim "เชื่อมบัญชี XXXX-XXXX" typed outside a flow: link the staff account, give the staff menu."""
    if not inp.text.startswith(staff_line.LINK_WORD):
        return None
    staff = staff_line.link_by_text(chat.user_id, inp.text)
    if staff is None:
        return [ui.say(texts.S_LINK_FAILED)]
    give_staff_menu(chat.user_id)
    return [ui.say(texts.S_LINKED.format(name=staff.display_name), staff_actions())]


def give_staff_menu(line_user_id: str) -> None:
    """Show this user the staff rich menu (LINE's per-user menu), when one is registered."""
    menu_id = Meta.get(db.session, STAFF_MENU_KEY)
    if menu_id:
        api = line_api()
        try:
            api.call("link rich menu", lambda: api.messaging.link_rich_menu_id_to_user(line_user_id, menu_id))
        except LineApiError:
            current_app.logger.warning("could not give a linked staff member the staff rich menu")


def take_staff_menu(line_user_id: str) -> None:
    """Give the user back the default (citizen) rich menu."""
    api = line_api()
    try:
        api.call("unlink rich menu", lambda: api.messaging.unlink_rich_menu_id_from_user(line_user_id))
    except LineApiError:
        current_app.logger.warning("could not take the staff rich menu back")


# The check-in and the acknowledgement: one tap each.

def checkin_prompt(month: str) -> list[dict]:
    """Return the monthly question with its two one-tap answers."""
    label = _month_label(month)
    return [ui.say(texts.S_CHECKIN_ASK.format(month=label),
                   [ui.postback(texts.S_NIL, {"action": "gift_nil", "month": month}, texts.S_NIL),
                    ui.postback(texts.S_HAS_GIFT, {"action": "gift"}, texts.S_HAS_GIFT)])]


def start_checkin(chat: Chat, args: dict) -> list[dict]:
    return checkin_prompt(gifts.month_asked(utcnow()))


def start_nil(chat: Chat, args: dict) -> list[dict]:
    month = args.get("month", "")
    if not re.fullmatch(r"\d{4}-\d{2}", month):
        return [ui.say(texts.EXPIRED_ACTION, staff_actions())]
    gifts.nil_return(_staff(chat), month, "line")
    return [ui.say(texts.S_NIL_THANKS.format(month=_month_label(month)), staff_actions())]


def start_ack(chat: Chat, args: dict) -> list[dict]:
    declaration = gifts.current_declaration()
    if declaration is None:
        return [ui.say(texts.S_ACK_NONE, staff_actions())]
    gifts.acknowledge(_staff(chat), declaration, "line")
    return [ui.say(texts.S_ACK_DONE.format(title=declaration.title), staff_actions())]


def start_reports(chat: Chat, args: dict) -> list[dict]:
    link = f"{current_app.config['SETTINGS'].public_base_url}/transparency#no-gift"
    return [ui.say(texts.S_REPORTS.format(link=link), staff_actions())]


def _month_label(month: str) -> str:
    year, number = (int(x) for x in month.split("-"))
    return f"{MONTHS_FULL[number - 1]} {be_year(year)}"


# The gift report dialog.

def start_gift(chat: Chat, args: dict) -> list[dict]:
    chat.start("gift", "g_date")
    return [ui.say(texts.G_INTRO, _date_quick())]


def _date_quick() -> list[dict]:
    return [ui.send_text(texts.G_TODAY), ui.send_text(texts.G_YESTERDAY), ui.cancel_action()]


def prompt_date(chat: Chat) -> list[dict]:
    return [ui.say(texts.G_DATE_HINT, _date_quick())]


def step_date(chat: Chat, inp: Input) -> list[dict]:
    day = _read_date(inp.text) if inp.kind == "text" else None
    if day is None or day > to_local(utcnow()).date():
        return prompt_date(chat)
    chat.go("gift", "g_occasion", received_on=day.isoformat())
    return prompt_occasion(chat)


def _read_date(text: str) -> date | None:
    today = to_local(utcnow()).date()
    if text == texts.G_TODAY:
        return today
    if text == texts.G_YESTERDAY:
        return today - timedelta(days=1)
    match = _DATE.match(text.translate(_THAI_DIGITS))
    if not match:
        return None
    day, month, year = (int(x) for x in match.groups())
    try:
        return date(year - BE_OFFSET if year > 2400 else year, month, day)
    except ValueError:
        return None


def _choices(step: str, options: dict[str, str]) -> list[dict]:
    return [ui.postback(label, {"step": step, "code": code}, label) for code, label in options.items()]


def _chosen(inp: Input, options: dict[str, str]) -> str | None:
    if inp.kind == "postback":
        code = inp.data.get("code", "")
    else:
        code = next((c for c, label in options.items() if inp.text == label), "")
    return code if code in options else None


def prompt_occasion(chat: Chat) -> list[dict]:
    return [ui.say(texts.G_OCCASION, _choices("g_occasion", OCCASIONS) + [ui.cancel_action()])]


def step_occasion(chat: Chat, inp: Input) -> list[dict]:
    code = _chosen(inp, OCCASIONS)
    if code is None:
        return not_understood(chat)
    chat.go("gift", "g_giver_kind", occasion=code)
    return prompt_giver_kind(chat)


def prompt_giver_kind(chat: Chat) -> list[dict]:
    return [ui.say(texts.G_GIVER_KIND, _choices("g_giver_kind", GIVER_KINDS) + [ui.cancel_action()])]


def step_giver_kind(chat: Chat, inp: Input) -> list[dict]:
    code = _chosen(inp, GIVER_KINDS)
    if code is None:
        return not_understood(chat)
    chat.go("gift", "g_giver_name", giver_kind=code)
    return prompt_giver_name(chat)


def prompt_giver_name(chat: Chat) -> list[dict]:
    return [ui.say(texts.G_GIVER_NAME, [ui.cancel_action()])]


def step_giver_name(chat: Chat, inp: Input) -> list[dict]:
    if inp.kind != "text" or not inp.text or len(inp.text) > gifts.NAME_LIMIT:
        return not_understood(chat)
    chat.go("gift", "g_description", giver_name=inp.text)
    return prompt_description(chat)


def prompt_description(chat: Chat) -> list[dict]:
    return [ui.say(texts.G_DESCRIPTION, [ui.cancel_action()])]


def step_description(chat: Chat, inp: Input) -> list[dict]:
    if inp.kind != "text" or not inp.text or len(inp.text) > gifts.DESCRIPTION_LIMIT:
        return not_understood(chat)
    chat.go("gift", "g_value", description=inp.text)
    return prompt_value(chat)


def prompt_value(chat: Chat) -> list[dict]:
    return [ui.say(texts.G_VALUE, [ui.cancel_action()])]


def step_value(chat: Chat, inp: Input) -> list[dict]:
    text = inp.text.translate(_THAI_DIGITS).replace(",", "").replace("บาท", "").strip() if inp.kind == "text" else ""
    if not text.isdigit() or int(text) > gifts.VALUE_LIMIT:
        return [ui.say(texts.G_VALUE_HINT)] + prompt_value(chat)
    chat.go("gift", "g_outcome", value_baht=int(text))
    return prompt_outcome(chat)


def prompt_outcome(chat: Chat) -> list[dict]:
    return [ui.say(texts.G_OUTCOME, _choices("g_outcome", OUTCOMES) + [ui.cancel_action()])]


def step_outcome(chat: Chat, inp: Input) -> list[dict]:
    code = _chosen(inp, OUTCOMES)
    if code is None:
        return not_understood(chat)
    chat.go("gift", "g_confirm", outcome=code)
    return prompt_confirm(chat)


def prompt_confirm(chat: Chat) -> list[dict]:
    d = chat.data
    rows = [ui.row(texts.G_DATE, thai_date(date.fromisoformat(d["received_on"]))),
            ui.row(texts.G_OCCASION_LABEL, OCCASIONS[d["occasion"]]),
            ui.row(texts.G_GIVER_LABEL, f"{GIVER_KINDS[d['giver_kind']]}: {d['giver_name']}"),
            ui.row(texts.G_WHAT_LABEL, d["description"]),
            ui.row(texts.G_VALUE_LABEL, f"{d['value_baht']:,} บาท"),
            ui.row(texts.G_OUTCOME_LABEL, OUTCOMES[d["outcome"]])]
    confirm = ui.button(ui.postback(texts.G_CONFIRM, {"step": "g_confirm", "go": "1"}, texts.G_CONFIRM), primary=True)
    message = ui.bubble(texts.G_CONFIRM_TITLE, texts.G_CONFIRM_TITLE, rows, [confirm])
    message["quickReply"] = {"items": [{"type": "action", "action": ui.cancel_action()}]}
    return [message]


def step_confirm(chat: Chat, inp: Input) -> list[dict]:
    staff = _staff(chat)
    if staff is None:  # unlinked halfway: nothing is filed
        conversation.forget(chat)
        return [ui.say(texts.CANCELLED, ui.menu_actions())]
    if not (inp.kind == "postback" and inp.data.get("go") == "1"):
        return not_understood(chat)
    d = chat.data
    try:
        gift = gifts.report_gift(staff, received_on=d["received_on"], occasion=d["occasion"],
                                 giver_kind=d["giver_kind"], giver_name=d["giver_name"], description=d["description"],
                                 value_baht=d["value_baht"], outcome=d["outcome"], channel="line")
    except IntakeError as exc:
        errors = "\n".join(f"• {message}" for message in exc.errors.values())
        conversation.forget(chat)
        return [ui.say(texts.C_FIX.format(errors=errors), staff_actions())]
    conversation.forget(chat)
    return [ui.say(texts.G_FLAGGED if gift.flagged else texts.G_SAVED, staff_actions())]


IDLE_TEXTS.append(link)
register("gift", start_gift, {"g_date": (step_date, prompt_date), "g_occasion": (step_occasion, prompt_occasion),
                              "g_giver_kind": (step_giver_kind, prompt_giver_kind),
                              "g_giver_name": (step_giver_name, prompt_giver_name),
                              "g_description": (step_description, prompt_description),
                              "g_value": (step_value, prompt_value), "g_outcome": (step_outcome, prompt_outcome),
                              "g_confirm": (step_confirm, prompt_confirm)}, words=(texts.CMD_GIFT,), guard=is_staff)
register("gift_checkin", start_checkin, {}, words=(texts.CMD_CHECKIN,), guard=is_staff)
register("gift_nil", start_nil, {}, guard=is_staff)
register("gift_ack", start_ack, {}, words=(texts.CMD_ACK,), guard=is_staff)
register("gift_reports", start_reports, {}, words=(texts.CMD_STAFF_REPORTS,), guard=is_staff)
