"""The general-suggestion flow: what is not corruption (a broken road, a suggestion, praise) goes to /feedback's inbox.

It starts from the menu, or from words typed with no flow open ("อยากแจ้งเรื่องถนนพัง"): then the bot offers this
path, keeping what was typed, instead of saying it did not understand.
"""
from __future__ import annotations

from bot import conversation, texts, ui
from bot.conversation import Chat
from bot.flows.base import STARTS, Input, not_understood, register
from intake.errors import IntakeError
from intake.feedback import TEXT_LIMIT, TOPICS, record_feedback

#: Typed words at least this long, with no flow open, are taken as something the citizen wants to tell the office.
OFFER_MIN_CHARS = 10
#: What the bot's own buttons send: a stale one tapped later is not a message for the office.
BUTTON_WORDS = {value for name, value in vars(texts).items()
                if name.startswith(("Q_", "C_", "R_", "CMD_")) and isinstance(value, str) and len(value) <= 40}
#: Short names of intake.feedback.TOPICS for buttons.
TOPIC_LABELS = {"complaint": "ร้องทุกข์ทั่วไป", "suggestion": "ข้อเสนอแนะ", "praise": "คำชมเชย"}


def start_feedback(chat: Chat, args: dict) -> list[dict]:
    chat.start("feedback", "f_topic", text="")
    return prompt_topic(chat)


def offer(chat: Chat, inp: Input) -> list[dict]:
    """Offer the general path (or the corruption complaint) for words typed with no flow open."""
    chat.start("feedback", "f_offer", text=inp.text)
    return prompt_offer(chat)


def prompt_offer(chat: Chat) -> list[dict]:
    return [ui.say(texts.F_OFFER, [ui.postback(texts.Q_FB_GENERAL, {"step": "f_offer", "to": "feedback"},
                                               texts.Q_FB_GENERAL),
                                   ui.postback(texts.Q_FB_CORRUPTION, {"step": "f_offer", "to": "complaint"},
                                               texts.Q_FB_CORRUPTION),
                                   ui.cancel_action()])]


def step_offer(chat: Chat, inp: Input) -> list[dict]:
    target = inp.data.get("to") if inp.kind == "postback" else None
    if target == "feedback":
        chat.go("feedback", "f_topic")
        return prompt_topic(chat)
    if target == "complaint":
        said = chat.data.get("text", "")
        messages = STARTS["complaint"](chat, {})
        chat.data.update(details=[said], detail_ids=[""])  # what was typed is the start of the story
        return messages
    if inp.kind == "text" and inp.text:
        return _add_text(chat, inp.text, prompt_offer)
    return not_understood(chat)


def prompt_topic(chat: Chat) -> list[dict]:
    quick = [ui.postback(TOPIC_LABELS[code], {"step": "f_topic", "topic": code}, TOPICS[code])
             for code in TOPIC_LABELS]
    return [ui.say(texts.F_TOPIC, quick + [ui.cancel_action()])]


def step_topic(chat: Chat, inp: Input) -> list[dict]:
    topic = inp.data.get("topic") if inp.kind == "postback" else None
    if topic not in TOPICS:
        return [ui.say(texts.F_TOPIC_HINT)] + prompt_topic(chat)
    chat.go("feedback", "f_confirm" if chat.data.get("text") else "f_text", topic=topic)
    return prompt_confirm(chat) if chat.data.get("text") else prompt_text(chat)


def prompt_text(chat: Chat) -> list[dict]:
    return [ui.say(texts.F_TEXT.format(limit=TEXT_LIMIT), [ui.cancel_action()])]


def _add_text(chat: Chat, text: str, then) -> list[dict]:
    joined = "\n".join(t for t in (chat.data.get("text", ""), text) if t)
    if len(joined) > TEXT_LIMIT:
        return [ui.say(texts.F_TOO_LONG.format(limit=TEXT_LIMIT))] + then(chat)
    chat.data["text"] = joined
    return then(chat)


def step_text(chat: Chat, inp: Input) -> list[dict]:
    if inp.kind != "text" or not inp.text:
        return not_understood(chat)
    chat.go("feedback", "f_confirm")
    return _add_text(chat, inp.text, prompt_confirm)


def prompt_confirm(chat: Chat) -> list[dict]:
    body = [ui.row("ประเภท", TOPICS[chat.data["topic"]]), ui.row("ข้อความ", chat.data["text"][:300]),
            {"type": "separator"}, ui.text_line(texts.F_NOTICE, size="xs", color="#555555")]
    buttons = [ui.button(ui.postback(texts.F_SEND, {"step": "f_confirm", "do": "send"}, texts.F_SEND), True),
               ui.button(ui.cancel_action())]
    return [ui.bubble(texts.F_TITLE, texts.F_TITLE, body, buttons)]


def step_confirm(chat: Chat, inp: Input) -> list[dict]:
    if inp.kind == "text" and inp.text and not inp.is_(texts.F_SEND):
        return _add_text(chat, inp.text, prompt_confirm)  # more words: part of the same message
    if not (inp.kind == "postback" and inp.data.get("do") == "send") and not inp.is_(texts.F_SEND):
        return not_understood(chat)
    try:
        record_feedback(chat.data["topic"], chat.data["text"], channel="line")
    except IntakeError as exc:
        chat.go("feedback", "f_text", text="")
        return [ui.say(texts.C_FIX.format(errors="\n".join(f"• {m}" for m in exc.errors.values())))] + prompt_text(chat)
    conversation.forget(chat)
    return [ui.say(texts.F_THANKS, ui.menu_actions())]


register("feedback", start_feedback, {
    "f_offer": (step_offer, prompt_offer), "f_topic": (step_topic, prompt_topic),
    "f_text": (step_text, prompt_text), "f_confirm": (step_confirm, prompt_confirm)})
