"""The tracking flow: a tracking code in, the status card and its history out."""
from __future__ import annotations

from flask import current_app

from bot import conversation, texts, ui
from bot.conversation import Chat
from bot.flows.base import Input, not_understood, register
from bot.line_limits import fit_text
from config.thai import thai_date
from intake.tracking import track

#: A card LINE accepts (30 KB a bubble) that still reads on a phone: the latest steps and the latest reply,
#: shortened; the rest is one tap away on /track.
HISTORY_ROWS = 8
REPLY_CHARS = 300


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
    shown = view.history[-HISTORY_ROWS:]
    hidden = len(view.history) - len(shown)
    if hidden:
        body.append(ui.text_line(texts.T_EARLIER.format(n=hidden), size="xs", color="#777777"))
    body += [ui.row(thai_date(step.at), step.status_label) for step in shown]
    replies = [step.reply for step in view.history if step.reply]
    if replies:
        latest = fit_text(replies[-1], REPLY_CHARS)
        hidden += len(replies) > 1 or latest != replies[-1]
        body.append(ui.text_line(f"{texts.T_REPLY}: {latest}", size="xs", color="#555555"))
    buttons = []
    if hidden:
        body.append(ui.text_line(texts.T_MORE, size="xs", color="#777777"))
        url = current_app.config["SETTINGS"].public_base_url.rstrip("/") + "/track"
        buttons.append(ui.button(ui.link(texts.T_MORE_BUTTON, url)))
    return [ui.bubble(texts.T_TITLE, texts.T_TITLE, body, buttons), ui.say(texts.MENU_TITLE, ui.menu_actions())]


register("tracking", start_tracking, {"t_code": (show_tracking, prompt_code)})
