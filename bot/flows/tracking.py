"""The tracking flow: a tracking code in, the status card and its history out."""
from __future__ import annotations

from bot import conversation, texts, ui
from bot.conversation import Chat
from bot.flows.base import Input, not_understood, register
from config.thai import thai_date
from intake.tracking import track
from models import ANSWER, QUESTION


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
            label = {QUESTION: texts.T_QUESTION, ANSWER: texts.T_ANSWER}.get(step.kind, texts.T_REPLY)
            body.append(ui.text_line(f"{label}: {step.reply}", size="xs", color="#555555"))
    return [ui.bubble(texts.T_TITLE, texts.T_TITLE, body), ui.say(texts.MENU_TITLE, ui.menu_actions())]


register("tracking", start_tracking, {"t_code": (show_tracking, prompt_code)})
