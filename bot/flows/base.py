"""What every flow shares: the user's input, the office profile, and the table of flows and their steps."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import parse_qsl

from flask import current_app

from bot import texts, ui
from bot.conversation import Chat

_RATE_LINK = re.compile(rf"^{texts.RATE_PREFIX}\s*(?:จุดบริการ)?\s*([A-Za-z0-9_-]{{1,32}})$")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
COMMANDS = {texts.CMD_COMPLAINT: "complaint", texts.CMD_RATING: "rating", texts.CMD_TRACKING: "tracking",
            texts.CMD_INFO: "info", texts.CMD_FEEDBACK: "feedback"}

Handler = Callable[..., list[dict]]
#: Filled by each flow module through `register`: how a flow starts, and each step's handler and question.
STARTS: dict[str, Handler] = {}
STEPS: dict[str, Handler] = {}
PROMPTS: dict[str, Handler] = {}


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
            return cls("text", text=_without_own_mention(message).strip(), message_id=str(message.get("id", "")))
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


def _without_own_mention(message: dict) -> str:
    """Return a text message without the @mentions of this bot, so "@bot ติดตามเรื่อง" is the plain command."""
    text = message.get("text") or ""
    spans = [(m.get("index", 0), m.get("length", 0)) for m in (message.get("mention") or {}).get("mentionees", [])
             if m.get("isSelf")]
    # LINE counts the index and length in UTF-16 code units, as it counts texts.
    units = text.encode("utf-16-le")
    for index, length in sorted(spans, reverse=True):
        units = units[:2 * index] + units[2 * (index + length):]
    return units.decode("utf-16-le", "ignore")


def profile():
    """Return the office profile of the running app."""
    return current_app.config["PROFILE"]


def register(flow: str, start: Handler, steps: dict[str, tuple[Handler, Handler]]) -> None:
    """Add a flow: its start, and for each step name its (handler, question) pair."""
    STARTS[flow] = start
    for step, (handler, question) in steps.items():
        STEPS[step], PROMPTS[step] = handler, question


def prompt(chat: Chat) -> list[dict]:
    """Return the question of the step the user is at."""
    return PROMPTS[chat.step](chat)


def not_understood(chat: Chat) -> list[dict]:
    return [ui.say(texts.NOT_UNDERSTOOD)] + prompt(chat)
