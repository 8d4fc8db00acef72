"""The dialogs: one small handler per event type, per command and per step of a flow."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from flask import current_app

from bot import conversation, texts, ui
from bot.conversation import Chat
from bot.line_api import LineApiError, line_api
from intake.complaints import LIMITS, ComplaintDraft, file_complaint, validate
from intake.errors import IntakeError
from intake.evidence import MAX_FILES, evidence_from_upload
from intake.ratings import active_service_points, find_service_point, record_rating
from intake.tracking import track
from models.keyring import normalize_tracking_code
from config.thai import thai_date

_RATE_LINK = re.compile(rf"^{texts.RATE_PREFIX}\s*(?:จุดบริการ)?\s*([A-Za-z0-9_-]{{1,32}})$")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
COMMANDS = {texts.CMD_COMPLAINT: "complaint", texts.CMD_RATING: "rating", texts.CMD_TRACKING: "tracking",
            texts.CMD_INFO: "info"}


@dataclass
class Input:
    """What the user sent, whatever its shape."""

    kind: str  # text, postback, image, file, location, sticker, video, audio, other
    text: str = ""
    data: dict = field(default_factory=dict)
    message_id: str = ""
    file_name: str = ""
    location: dict = field(default_factory=dict)

    @classmethod
    def from_event(cls, event: dict) -> "Input":
        """Read the input out of a message or postback event."""
        if event.get("type") == "postback":
            return cls("postback", data=dict(parse_qsl(event.get("postback", {}).get("data", ""))))
        message = event.get("message") or {}
        kind = message.get("type", "other")
        if kind == "text":
            return cls("text", text=(message.get("text") or "").strip())
        if kind == "location":
            keep = ("title", "address", "latitude", "longitude")
            return cls("location", message_id=str(message.get("id", "")),
                       location={k: message[k] for k in keep if k in message})
        if kind not in {"image", "file", "sticker", "video", "audio"}:
            kind = "other"
        return cls(kind, message_id=str(message.get("id", "")), file_name=message.get("fileName", ""))

    def is_(self, word: str) -> bool:
        """Return True when the user typed (or a quick reply sent) exactly this word."""
        return self.kind == "text" and self.text == word

    def number(self, low: int, high: int) -> int | None:
        """Return a number in [low, high] the user typed, in Arabic or Thai digits, else None."""
        token = self.text.translate(_THAI_DIGITS).split(" ")[0] if self.kind == "text" else ""
        return int(token) if token.isdigit() and low <= int(token) <= high else None

    def command(self) -> tuple[str, dict] | None:
        """Return the command this input asks for (from the menu, the rich menu or a QR deep link), if any."""
        if self.kind == "postback" and self.data.get("action") in {*COMMANDS.values(), "cancel"}:
            return self.data["action"], self.data
        if self.kind != "text":
            return None
        if self.text == texts.CMD_CANCEL:
            return "cancel", {}
        if self.text in COMMANDS:
            return COMMANDS[self.text], {}
        link = _RATE_LINK.match(self.text)
        return ("rating", {"point": link.group(1).upper()}) if link else None


def _profile():
    return current_app.config["PROFILE"]


# Events.

def handle_event(event: dict) -> list[dict] | None:
    """Return the messages answering one webhook event, or None when the event is ignored."""
    handler = EVENT_HANDLERS.get(event.get("type", ""))
    return None if handler is None else handler(event)


def on_follow(event: dict) -> list[dict]:
    return [ui.say(texts.GREETING.format(office=_profile().name), ui.menu_actions())]


def on_unfollow(event: dict) -> list[dict]:
    user_id = (event.get("source") or {}).get("userId", "")
    if user_id:
        conversation.forget(conversation.load(user_id))
    return []


def on_join(event: dict) -> list[dict]:
    return [ui.say(texts.JOINED_GROUP.format(office=_profile().name))]


def on_input(event: dict) -> list[dict]:
    source = event.get("source") or {}
    inp = Input.from_event(event)
    if source.get("type") != "user":
        return _in_group(inp)
    chat = conversation.load(source.get("userId", ""))
    messages = route(chat, inp)
    conversation.save(chat)
    return messages


def _in_group(inp: Input) -> list[dict]:
    # In a group the bot stays quiet unless asked for something, and then points to a private chat.
    if inp.command() is None:
        return []
    link = _profile().add_friend_url
    return [ui.say(texts.GROUP_NOTICE.format(link=f"\n{link}" if link else ""))]


def route(chat: Chat, inp: Input) -> list[dict]:
    """Send the input to a command, to the current step, or to the idle answer."""
    command = inp.command()
    if command:
        name, args = command
        if name == "cancel":
            return cancel(chat)
        if name == "info":
            return info() + (prompt(chat) if chat.flow else [])
        if chat.flow and chat.flow != name:
            return [ui.say(texts.BUSY.format(what=texts.FLOW_NAMES[chat.flow]))] + prompt(chat)
        if chat.flow == name and not args.get("point"):
            return prompt(chat)
        return STARTS[name](chat, args)
    if inp.kind == "postback" and inp.data.get("step") != chat.step:
        if inp.data.get("step") == "c_confirm":
            return [ui.say(texts.C_NO_DRAFT, ui.menu_actions())]
        return [ui.say(texts.EXPIRED_ACTION, ui.menu_actions())] + (prompt(chat) if chat.flow else [])
    if chat.flow:
        return STEPS[chat.step](chat, inp)
    return idle(chat, inp)


def prompt(chat: Chat) -> list[dict]:
    """Return the question of the step the user is at."""
    return PROMPTS[chat.step](chat)


def cancel(chat: Chat) -> list[dict]:
    had_flow = chat.flow is not None
    conversation.forget(chat)
    return [ui.say(texts.CANCELLED if had_flow else texts.NOTHING_TO_CANCEL, ui.menu_actions())]


def idle(chat: Chat, inp: Input) -> list[dict]:
    if inp.kind == "text" and normalize_tracking_code(inp.text):
        return show_tracking(chat, inp)
    if inp.kind == "sticker":
        return [ui.say(texts.STICKER_IDLE, ui.menu_actions())]
    return [ui.say(texts.IDLE_HELP, ui.menu_actions())]


def not_understood(chat: Chat) -> list[dict]:
    return [ui.say(texts.NOT_UNDERSTOOD)] + prompt(chat)


# Information.

def info() -> list[dict]:
    profile = _profile()
    rows = [ui.text_line(profile.name, weight="bold")]
    for label, value in ((texts.I_ADDRESS, profile.address), (texts.I_PHONE, profile.phone),
                         (texts.I_HOURS, profile.hours)):
        if value:
            rows.append(ui.row(label, value))
    links = [(texts.I_GUIDELINE, profile.links.get("complaint_guideline")),
             (texts.I_PRIVACY, profile.links.get("privacy_policy")),
             (texts.I_EIT, profile.links.get("eit_survey")),
             (texts.I_WEBSITE, profile.links.get("main_website") or profile.website)]
    buttons = [ui.button({"type": "uri", "label": label, "uri": uri}) for label, uri in links if uri]
    return [ui.bubble(texts.I_TITLE, texts.I_TITLE, rows, buttons)]


# Complaint.

def start_complaint(chat: Chat, args: dict) -> list[dict]:
    chat.start("complaint", "c_category", details=[])
    return [ui.say(texts.C_INTRO)] + prompt_category(chat)


def prompt_category(chat: Chat) -> list[dict]:
    categories = _profile().categories
    buttons = [ui.button(ui.postback(f"{n}. {c.name}", {"step": "c_category", "cat": c.code}, c.name,
                                     limit=ui.BUTTON_LABEL_MAX))
               for n, c in enumerate(categories, 1)]
    message = ui.bubble(texts.C_CATEGORY_TITLE, texts.C_CATEGORY_TITLE, [], buttons)
    message["contents"].pop("body")
    message["quickReply"] = {"items": [{"type": "action", "action": ui.cancel_action()}]}
    return [message]


def step_category(chat: Chat, inp: Input) -> list[dict]:
    categories = _profile().categories
    code = inp.data.get("cat") if inp.kind == "postback" else None
    number = inp.number(1, len(categories))
    if number:
        code = categories[number - 1].code
    if code not in {c.code for c in categories}:
        return [ui.say(texts.C_CATEGORY_HINT.format(n=len(categories)))] + prompt_category(chat)
    chat.go("complaint", "c_details", category=code)
    return prompt_details(chat)


def prompt_details(chat: Chat) -> list[dict]:
    name = _profile().category_name(chat.data["category"])
    return [ui.say(texts.C_DETAILS.format(category=name), [ui.send_text(texts.Q_DONE_DETAILS), ui.cancel_action()])]


def _details_text(chat: Chat) -> str:
    return "\n".join(chat.data.get("details", []))


def step_details(chat: Chat, inp: Input) -> list[dict]:
    if inp.is_(texts.Q_DONE_DETAILS):
        if not chat.data.get("details"):
            return [ui.say(texts.C_DETAILS_EMPTY)] + prompt_details(chat)
        if len(_details_text(chat)) < 10:
            return [ui.say(texts.C_DETAILS_SHORT, [ui.cancel_action()])]
        chat.go("complaint", "c_evidence")
        return prompt_evidence(chat)
    if inp.kind == "text" and inp.text:
        return _add_detail(chat, inp.text, [ui.send_text(texts.Q_DONE_DETAILS), ui.cancel_action()])
    if inp.kind in {"image", "file", "location"}:
        return take_evidence(chat, inp, [ui.send_text(texts.Q_DONE_DETAILS), ui.cancel_action()])
    return not_understood(chat)


def _add_detail(chat: Chat, text: str, quick: list[dict]) -> list[dict]:
    limit = LIMITS["details"]
    if len(_details_text(chat)) + len(text) + 1 > limit:
        return [ui.say(texts.C_DETAILS_LONG.format(limit=limit), quick)]
    chat.data.setdefault("details", []).append(text)
    return [ui.say(texts.C_DETAILS_MORE.format(count=len(chat.data["details"])), quick)]


def _evidence_quick() -> list[dict]:
    return [ui.camera(), ui.camera_roll(), ui.location(), ui.send_text(texts.Q_EVIDENCE_DONE),
            ui.send_text(texts.Q_NO_EVIDENCE), ui.cancel_action()]


def prompt_evidence(chat: Chat) -> list[dict]:
    return [ui.say(texts.C_EVIDENCE.format(max=MAX_FILES), _evidence_quick())]


def step_evidence(chat: Chat, inp: Input) -> list[dict]:
    if inp.is_(texts.Q_EVIDENCE_DONE) or inp.is_(texts.Q_NO_EVIDENCE):
        chat.go("complaint", "c_identity")
        return prompt_identity(chat)
    if inp.kind in {"image", "file", "location"}:
        return take_evidence(chat, inp, _evidence_quick())
    if inp.kind == "text" and inp.text:
        # Words sent at this step are more of the story: keep them with the details.
        return _add_detail(chat, inp.text, _evidence_quick())
    return not_understood(chat)


def take_evidence(chat: Chat, inp: Input, quick: list[dict]) -> list[dict]:
    """Fetch an image or file from LINE at once (or take a location) and keep it encrypted for the draft."""
    if inp.kind in {"video", "audio"}:
        return [ui.say(texts.C_EVIDENCE_MEDIA, quick)]
    if conversation.evidence_count(chat) >= MAX_FILES:
        return [ui.say(texts.C_EVIDENCE_FULL.format(max=MAX_FILES), quick)]
    if inp.kind == "location":
        data = json.dumps(inp.location, ensure_ascii=False).encode()
        count = conversation.add_evidence(chat, inp.message_id, "location", "application/json",
                                          "ตำแหน่งที่เกิดเหตุ.json", data)
    else:
        limit = current_app.config["SETTINGS"].max_upload_bytes
        try:
            data = bytes(line_api().content(inp.message_id))
        except LineApiError as exc:
            if exc.transient:
                raise  # LINE is having trouble: the worker tries this event again later
            return [ui.say(texts.C_EVIDENCE_GONE, quick)]
        item = evidence_from_upload(inp.file_name, data) if len(data) <= limit else None
        if item is None:
            return [ui.say(texts.C_EVIDENCE_BAD_FILE.format(mb=limit // (1024 * 1024)), quick)]
        count = conversation.add_evidence(chat, inp.message_id, item.kind, item.media_type, item.filename, data)
    what = texts.C_EVIDENCE_WHAT.get(inp.kind, texts.C_EVIDENCE_WHAT["file"])
    return [ui.say(texts.C_EVIDENCE_GOT.format(what=what, count=count, max=MAX_FILES), quick)]


def prompt_identity(chat: Chat) -> list[dict]:
    return [ui.say(texts.C_IDENTITY, [ui.send_text(texts.C_ANONYMOUS), ui.send_text("ระบุตัวตน", texts.C_NAMED),
                                      ui.cancel_action()])]


def step_identity(chat: Chat, inp: Input) -> list[dict]:
    if inp.is_(texts.C_ANONYMOUS):
        chat.go("complaint", "c_updates", anonymous=True, name="", phone="")
        return prompt_updates(chat)
    if inp.is_(texts.C_NAMED):
        chat.go("complaint", "c_name", anonymous=False)
        return prompt_name(chat)
    return not_understood(chat)


def prompt_name(chat: Chat) -> list[dict]:
    return [ui.say(texts.C_ASK_NAME, [ui.send_text(texts.Q_SKIP), ui.cancel_action()])]


def step_name(chat: Chat, inp: Input) -> list[dict]:
    if inp.kind != "text" or not inp.text:
        return not_understood(chat)
    name = "" if inp.is_(texts.Q_SKIP) else inp.text
    if len(name) > LIMITS["name"]:
        return [ui.say(texts.C_FIX.format(errors=f"ชื่อยาวเกิน {LIMITS['name']} ตัวอักษร"))] + prompt_name(chat)
    chat.go("complaint", "c_phone", name=name)
    return prompt_phone(chat)


def prompt_phone(chat: Chat) -> list[dict]:
    return [ui.say(texts.C_ASK_PHONE, [ui.send_text(texts.Q_SKIP), ui.cancel_action()])]


def step_phone(chat: Chat, inp: Input) -> list[dict]:
    if inp.kind != "text" or not inp.text:
        return not_understood(chat)
    phone = "" if inp.is_(texts.Q_SKIP) else inp.text
    if not phone and not chat.data.get("name"):
        chat.go("complaint", "c_name")
        return [ui.say(texts.C_NEED_CONTACT)] + prompt_name(chat)
    try:
        validate(_draft(chat, phone=phone))
    except IntakeError as exc:
        if "phone" in exc.errors:
            return [ui.say(exc.errors["phone"])] + prompt_phone(chat)
    chat.go("complaint", "c_updates", phone=phone)
    return prompt_updates(chat)


def prompt_updates(chat: Chat) -> list[dict]:
    return [ui.say(texts.C_UPDATES, [ui.send_text(texts.C_UPDATES_YES), ui.send_text(texts.C_UPDATES_NO),
                                     ui.cancel_action()])]


def step_updates(chat: Chat, inp: Input) -> list[dict]:
    if not (inp.is_(texts.C_UPDATES_YES) or inp.is_(texts.C_UPDATES_NO)):
        return not_understood(chat)
    chat.go("complaint", "c_confirm", wants_updates=inp.is_(texts.C_UPDATES_YES))
    return prompt_confirm(chat)


def prompt_confirm(chat: Chat) -> list[dict]:
    profile, data = _profile(), chat.data
    details = _details_text(chat)
    excerpt = details if len(details) <= 300 else details[:299] + "…"
    if data.get("anonymous", True):
        who = texts.C_ANONYMOUS
    else:
        who = " / ".join(v for v in (data.get("name"), data.get("phone")) if v)
    body = [
        ui.row("ประเภท", profile.category_name(data["category"])),
        ui.row("รายละเอียด", excerpt),
        ui.row("หลักฐาน", f"{conversation.evidence_count(chat)} รายการ"),
        ui.row("ผู้แจ้ง", who),
        ui.row("แจ้งผลทาง LINE", "รับแจ้ง" if data.get("wants_updates") else "ไม่รับแจ้ง"),
        {"type": "separator"},
        ui.text_line(texts.C_NOTICE.format(office=profile.name), size="xs", color="#555555"),
    ]
    buttons = [ui.button(ui.postback(texts.C_CONFIRM, {"step": "c_confirm", "do": "file"}, texts.C_CONFIRM), True),
               ui.button(ui.cancel_action())]
    return [ui.bubble(texts.C_NOTICE_TITLE, texts.C_NOTICE_TITLE, body, buttons)]


def _draft(chat: Chat, **changes) -> ComplaintDraft:
    data = {**chat.data, **changes}
    return ComplaintDraft(category=data.get("category", ""), details=_details_text(chat),
                          anonymous=data.get("anonymous", True), name=data.get("name", ""),
                          phone=data.get("phone", ""), wants_updates=bool(data.get("wants_updates")),
                          line_user=chat.user_id if data.get("wants_updates") else "")


#: Where to send the citizen back to when filing refuses a field.
_FIX_STEP = {"category": "c_category", "details": "c_details", "evidence": "c_evidence", "name": "c_name",
             "phone": "c_phone", "contact": "c_identity"}


def step_confirm(chat: Chat, inp: Input) -> list[dict]:
    if not (inp.kind == "postback" and inp.data.get("do") == "file") and not inp.is_(texts.C_CONFIRM):
        return [ui.say(texts.C_CONFIRM_HINT)] + prompt_confirm(chat)
    draft = _draft(chat)
    draft.evidence = conversation.evidence(chat)
    try:
        receipt = file_complaint(draft, channel="line")
    except IntakeError as exc:
        field_name = next((f for f in exc.errors if f in _FIX_STEP), "details")
        chat.go("complaint", _FIX_STEP[field_name])
        errors = "\n".join(f"• {message}" for message in exc.errors.values())
        return [ui.say(texts.C_FIX.format(errors=errors))] + prompt(chat)
    conversation.forget(chat)
    profile = _profile()
    body = [
        ui.text_line("รหัสติดตามเรื่อง", color="#777777"),
        ui.text_line(receipt.tracking_code, size="xl", weight="bold", color=ui.BRAND),
        ui.row("ประเภท", receipt.category_name),
        ui.row("รับเรื่องเมื่อ", thai_date(receipt.received_at, with_time=True)),
        ui.row("กำหนดแล้วเสร็จ", thai_date(receipt.due_at)),
        ui.text_line(texts.C_RECEIPT.format(unit=profile.complaint_unit, days=profile.processing_days,
                                            due=thai_date(receipt.due_at)), size="xs", color="#555555"),
    ]
    return [ui.bubble(texts.C_RECEIPT_TITLE, texts.C_RECEIPT_TITLE, body),
            ui.say(texts.C_CODE_ONLY.format(code=receipt.tracking_code), ui.menu_actions())]


# Rating.

def start_rating(chat: Chat, args: dict) -> list[dict]:
    code = args.get("point", "")
    if code:
        point = find_service_point(code)
        if point is not None:
            chat.start("rating", "r_score", point=point.code, point_name=point.name, scores={})
            return prompt_score(chat)
    if not active_service_points():
        return [ui.say(texts.R_NO_POINTS, ui.menu_actions())]
    chat.start("rating", "r_point", scores={})
    return ([ui.say(texts.R_UNKNOWN_POINT)] if code else []) + prompt_point(chat)


def prompt_point(chat: Chat) -> list[dict]:
    buttons = [ui.button(ui.postback(p.name, {"step": "r_point", "point": p.code}, p.name,
                                     limit=ui.BUTTON_LABEL_MAX))
               for p in active_service_points()[:12]]
    message = ui.bubble(texts.R_PICK_TITLE, texts.R_PICK_TITLE, [ui.text_line(texts.R_PICK)], buttons)
    message["quickReply"] = {"items": [{"type": "action", "action": ui.cancel_action()}]}
    return [message]


def step_point(chat: Chat, inp: Input) -> list[dict]:
    point = find_service_point(inp.data.get("point", "")) if inp.kind == "postback" else None
    if point is None:
        return [ui.say(texts.R_PICK_HINT)] + prompt_point(chat)
    chat.go("rating", "r_score", point=point.code, point_name=point.name)
    return prompt_score(chat)


def prompt_score(chat: Chat) -> list[dict]:
    aspects, scale = _profile().aspects, _profile().scale
    n = len(chat.data["scores"])
    aspect = aspects[n]
    quick = [ui.postback(f"{s} {scale[s - 1]}", {"step": "r_score", "score": s}, f"{s} {scale[s - 1]}")
             for s in range(5, 0, -1)]
    text = texts.R_ASPECT.format(point=chat.data["point_name"], n=n + 1, total=len(aspects), aspect=aspect.name,
                                 question=aspect.question)
    return [ui.say(text, quick + [ui.cancel_action()])]


def step_score(chat: Chat, inp: Input) -> list[dict]:
    score = inp.number(1, 5)
    if inp.kind == "postback" and str(inp.data.get("score", "")).isdigit():
        score = int(inp.data["score"])
    if score is None or not 1 <= score <= 5:
        return [ui.say(texts.R_SCORE_HINT)] + prompt_score(chat)
    aspects = _profile().aspects
    chat.data["scores"][aspects[len(chat.data["scores"])].code] = score
    if len(chat.data["scores"]) < len(aspects):
        return prompt_score(chat)
    chat.go("rating", "r_suggestion")
    return prompt_suggestion(chat)


def prompt_suggestion(chat: Chat) -> list[dict]:
    return [ui.say(texts.R_SUGGESTION, [ui.send_text(texts.R_NO_SUGGESTION), ui.cancel_action()])]


def step_suggestion(chat: Chat, inp: Input) -> list[dict]:
    if inp.kind != "text" or not inp.text:
        return not_understood(chat)
    suggestion = "" if inp.is_(texts.R_NO_SUGGESTION) else inp.text
    try:
        record_rating(chat.data["point"], chat.data["scores"], suggestion, channel="line")
    except IntakeError as exc:
        errors = "\n".join(f"• {message}" for message in exc.errors.values())
        return [ui.say(texts.C_FIX.format(errors=errors))] + prompt_suggestion(chat)
    conversation.forget(chat)
    return [ui.say(texts.R_THANKS.format(office=_profile().name), ui.menu_actions())]


# Tracking.

def start_tracking(chat: Chat, args: dict) -> list[dict]:
    chat.start("tracking", "t_code")
    return prompt_code(chat)


def prompt_code(chat: Chat) -> list[dict]:
    return [ui.say(texts.T_ASK, [ui.cancel_action()])]


def show_tracking(chat: Chat, inp: Input) -> list[dict]:
    if inp.kind != "text" or not inp.text:
        return not_understood(chat)
    view = track(inp.text)
    if view is None:
        return [ui.say(texts.T_NOT_FOUND, [ui.cancel_action()])]
    conversation.forget(chat)
    body = [ui.text_line(view.status_label, size="lg", weight="bold", color=ui.BRAND),
            ui.row(texts.T_CATEGORY, view.category_name),
            ui.row(texts.T_RECEIVED, thai_date(view.received_at)),
            ui.row(texts.T_DUE, thai_date(view.due_at)),
            {"type": "separator"},
            ui.text_line(texts.T_HISTORY, weight="bold")]
    for step in view.history:
        body.append(ui.row(thai_date(step.at), step.status_label))
        if step.reply:
            body.append(ui.text_line(f"{texts.T_REPLY}: {step.reply}", size="xs", color="#555555"))
    return [ui.bubble(texts.T_TITLE, texts.T_TITLE, body), ui.say(texts.MENU_TITLE, ui.menu_actions())]


EVENT_HANDLERS = {"follow": on_follow, "unfollow": on_unfollow, "join": on_join, "message": on_input,
                  "postback": on_input}
STARTS = {"complaint": start_complaint, "rating": start_rating, "tracking": start_tracking}
STEPS = {"c_category": step_category, "c_details": step_details, "c_evidence": step_evidence,
         "c_identity": step_identity, "c_name": step_name, "c_phone": step_phone, "c_updates": step_updates,
         "c_confirm": step_confirm, "r_point": step_point, "r_score": step_score, "r_suggestion": step_suggestion,
         "t_code": show_tracking}
PROMPTS = {"c_category": prompt_category, "c_details": prompt_details, "c_evidence": prompt_evidence,
           "c_identity": prompt_identity, "c_name": prompt_name, "c_phone": prompt_phone,
           "c_updates": prompt_updates, "c_confirm": prompt_confirm, "r_point": prompt_point,
           "r_score": prompt_score, "r_suggestion": prompt_suggestion, "t_code": prompt_code}
