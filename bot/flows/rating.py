"""The rating flow: pick the counter (or arrive from its QR code), score each aspect, suggest."""
from __future__ import annotations

from bot import conversation, texts, ui
from bot.conversation import Chat
from bot.flows.base import Input, not_understood, profile as _profile, register
from intake.errors import IntakeError
from intake.ratings import active_service_points, find_service_point, record_rating


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
    profile = _profile()
    buttons = [ui.button(ui.postback(profile.point_label(p.code, p.name), {"step": "r_point", "point": p.code},
                                     p.name, limit=ui.BUTTON_LABEL_MAX))
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


register("rating", start_rating, {"r_point": (step_point, prompt_point), "r_score": (step_score, prompt_score),
                                  "r_suggestion": (step_suggestion, prompt_suggestion)})
