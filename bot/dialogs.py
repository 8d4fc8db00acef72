"""The dialogs: one small handler per event type and per command; each flow's steps live in `bot/flows/`."""
from __future__ import annotations

import bot.flows  # noqa: F401  (registers every flow's steps)
from bot import conversation, texts, ui
from bot.conversation import Chat
from bot.flows.base import STARTS, STEPS, Input, profile, prompt
from bot.flows.complaint import revise
from bot.flows.feedback import BUTTON_WORDS, OFFER_MIN_CHARS, offer
from bot.flows.tracking import show_tracking
from models.keyring import normalize_tracking_code


# Events.

def handle_event(event: dict) -> list[dict] | None:
    """Return the messages answering one webhook event, or None when the event is ignored."""
    handler = EVENT_HANDLERS.get(event.get("type", ""))
    if event.get("mode") == "standby" and handler is not on_unfollow:
        # Another channel answers this chat now (module channels): say nothing, change nothing.
        return None
    return None if handler is None else handler(event)


def on_follow(event: dict) -> list[dict]:
    return [ui.say(texts.GREETING.format(office=profile().name), ui.menu_actions())]


def on_unfollow(event: dict) -> list[dict]:
    user_id = (event.get("source") or {}).get("userId", "")
    if user_id:
        conversation.forget(conversation.load(user_id))
    return []


def on_unsend(event: dict) -> list[dict]:
    """Take a message the user took back out of the draft (LINE gives no reply token for this)."""
    source = event.get("source") or {}
    message_id = str((event.get("unsend") or {}).get("messageId", ""))
    if source.get("type") == "user" and message_id:
        chat = conversation.load(source.get("userId", ""))
        if chat.flow == "complaint":
            revise(chat, message_id, None, event.get("timestamp", 0))
            conversation.save(chat)
    return []


def on_edited(event: dict) -> list[dict]:
    """Put an edited text in place of the original in the draft."""
    source, message = event.get("source") or {}, event.get("message") or {}
    if source.get("type") != "user" or message.get("type") != "text":
        return []
    chat = conversation.load(source.get("userId", ""))
    if chat.flow != "complaint" or not revise(chat, str(message.get("id", "")), message.get("text") or "",
                                              event.get("timestamp", 0)):
        return []
    conversation.save(chat)
    return [ui.say(texts.C_EDITED)] + (prompt(chat) if chat.step == "c_confirm" else [])


def on_join(event: dict) -> list[dict]:
    return [ui.say(texts.JOINED_GROUP.format(office=profile().name))]


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
    link = profile().add_friend_url
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
        if chat.step == "f_offer":
            conversation.forget(chat)  # only an offer was open: a command is the citizen's answer to it
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


def cancel(chat: Chat) -> list[dict]:
    had_flow = chat.flow is not None
    conversation.forget(chat)
    return [ui.say(texts.CANCELLED if had_flow else texts.NOTHING_TO_CANCEL, ui.menu_actions())]


def idle(chat: Chat, inp: Input) -> list[dict]:
    if inp.kind == "text" and normalize_tracking_code(inp.text):
        return show_tracking(chat, inp)
    if inp.kind == "sticker":
        return [ui.say(texts.STICKER_IDLE, ui.menu_actions())]
    if inp.kind == "text" and len(inp.text) >= OFFER_MIN_CHARS and inp.text not in BUTTON_WORDS:
        return offer(chat, inp)  # words meant for the office: offer the general path, not "not understood"
    return [ui.say(texts.IDLE_HELP, ui.menu_actions())]


# Information.

def info() -> list[dict]:
    office = profile()
    rows = [ui.text_line(office.name, weight="bold")]
    for label, value in ((texts.I_ADDRESS, office.address), (texts.I_PHONE, office.phone),
                         (texts.I_HOURS, office.hours)):
        if value:
            rows.append(ui.row(label, value))
    links = [(texts.I_GUIDELINE, office.links.get("complaint_guideline")),
             (texts.I_PRIVACY, office.links.get("privacy_policy")),
             (texts.I_EIT, office.links.get("eit_survey")),
             (texts.I_WEBSITE, office.links.get("main_website") or office.website)]
    buttons = [ui.button(ui.link(label, uri)) for label, uri in links if uri]
    return [ui.bubble(texts.I_TITLE, texts.I_TITLE, rows, buttons)]


EVENT_HANDLERS = {"follow": on_follow, "unfollow": on_unfollow, "join": on_join, "message": on_input,
                  "postback": on_input, "unsend": on_unsend, "messageEdited": on_edited}
