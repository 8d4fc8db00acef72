"""The complaint flow: category, details, evidence, identity, updates, confirm, receipt."""
from __future__ import annotations

import json

from bot import conversation, texts, ui
from bot.conversation import Chat
from bot.flows.base import Input, not_understood, profile as _profile, prompt, register
from bot.line_api import LineApiError, line_api
from config.thai import thai_date
from intake.complaints import LIMITS, ComplaintDraft, file_complaint, validate
from intake.errors import IntakeError
from intake.evidence import ACCEPTED, MAX_FILES, evidence_from_upload, size_limit, too_big_message

#: What a citizen can send as evidence in LINE.
EVIDENCE_KINDS = {"image", "file", "location", "video", "audio"}


def start_complaint(chat: Chat, args: dict) -> list[dict]:
    chat.start("complaint", "c_category", details=[])
    return [ui.say(texts.C_INTRO)] + prompt_category(chat)


def prompt_category(chat: Chat) -> list[dict]:
    categories = _profile().categories
    buttons = [ui.button(ui.postback(f"{n}. {c.label}", {"step": "c_category", "cat": c.code}, c.name,
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
        return _add_detail(chat, inp, [ui.send_text(texts.Q_DONE_DETAILS), ui.cancel_action()])
    if inp.kind in EVIDENCE_KINDS:
        return take_evidence(chat, inp, [ui.send_text(texts.Q_DONE_DETAILS), ui.cancel_action()])
    return not_understood(chat)


def _add_detail(chat: Chat, inp: Input, quick: list[dict]) -> list[dict]:
    limit = LIMITS["details"]
    if len(_details_text(chat)) + len(inp.text) + 1 > limit:
        return [ui.say(texts.C_DETAILS_LONG.format(limit=limit), quick)]
    details, ids = chat.data.setdefault("details", []), chat.data.setdefault("detail_ids", [])
    ids += [""] * (len(details) - len(ids))  # a draft begun before message ids were kept
    details.append(inp.text)
    ids.append(inp.message_id)
    return [ui.say(texts.C_DETAILS_MORE.format(count=len(chat.data["details"])), quick)]


def revise(chat: Chat, message_id: str, text: str | None, at: int) -> bool:
    """Take a message the user unsent (text None) out of the draft, or put its edited text in; True if changed."""
    ids, details = chat.data.get("detail_ids", []), chat.data.get("details", [])
    edited_at = chat.data.setdefault("edited_at", {})
    if message_id and message_id in ids:
        n = ids.index(message_id)
        if at < edited_at.get(message_id, 0):
            return False  # edits may arrive out of order: the latest timestamp wins
        if text is None:
            del ids[n], details[n]
            edited_at.pop(message_id, None)
        else:
            details[n], edited_at[message_id] = text, at
    elif not (message_id and text is None and conversation.remove_evidence(chat, message_id)):
        return False
    # The summary the user may have seen is out of date: confirming shows the new one first.
    chat.data["revised"] = True
    return True


def _evidence_quick() -> list[dict]:
    return [ui.camera(), ui.camera_roll(), ui.location(), ui.send_text(texts.Q_EVIDENCE_DONE),
            ui.send_text(texts.Q_NO_EVIDENCE), ui.cancel_action()]


def prompt_evidence(chat: Chat) -> list[dict]:
    return [ui.say(texts.C_EVIDENCE.format(max=MAX_FILES), _evidence_quick())]


def step_evidence(chat: Chat, inp: Input) -> list[dict]:
    if inp.is_(texts.Q_EVIDENCE_DONE) or inp.is_(texts.Q_NO_EVIDENCE):
        chat.go("complaint", "c_identity")
        return prompt_identity(chat)
    if inp.kind in EVIDENCE_KINDS:
        return take_evidence(chat, inp, _evidence_quick())
    if inp.kind == "text" and inp.text:
        # Words sent at this step are more of the story: keep them with the details.
        return _add_detail(chat, inp, _evidence_quick())
    return not_understood(chat)


def take_evidence(chat: Chat, inp: Input, quick: list[dict]) -> list[dict]:
    """Fetch a picture, file or clip from LINE at once (or take a location) and keep it encrypted for the draft."""
    if conversation.evidence_count(chat) >= MAX_FILES:
        return [ui.say(texts.C_EVIDENCE_FULL.format(max=MAX_FILES), quick)]
    if inp.kind == "location":
        data = json.dumps(inp.location, ensure_ascii=False).encode()
        count = conversation.add_evidence(chat, inp.message_id, "location", "application/json",
                                          "ตำแหน่งที่เกิดเหตุ.json", data)
    else:
        if inp.kind in {"video", "audio"}:
            line_api().show_loading(chat.user_id)  # a clip takes a while to download: LINE shows the dots
        try:
            data = bytes(line_api().content(inp.message_id))
        except LineApiError as exc:
            if exc.transient:
                raise  # LINE is having trouble: the worker tries this event again later
            return [ui.say(texts.C_EVIDENCE_GONE, quick)]
        item = evidence_from_upload(inp.file_name, data)
        if item is None:
            return [ui.say(texts.C_EVIDENCE_BAD_FILE.format(accepted=ACCEPTED), quick)]
        if len(data) > size_limit(item.kind):
            return [ui.say(too_big_message(item.filename, item.kind), quick)]
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
    data.pop("revised", None)  # this summary shows the draft as it is now
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
    if chat.data.get("revised"):
        return [ui.say(texts.C_REVISED)] + prompt_confirm(chat)
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


register("complaint", start_complaint, {
    "c_category": (step_category, prompt_category), "c_details": (step_details, prompt_details),
    "c_evidence": (step_evidence, prompt_evidence), "c_identity": (step_identity, prompt_identity),
    "c_name": (step_name, prompt_name), "c_phone": (step_phone, prompt_phone),
    "c_updates": (step_updates, prompt_updates), "c_confirm": (step_confirm, prompt_confirm)})
