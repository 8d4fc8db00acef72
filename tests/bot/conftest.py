"""Bot fixtures: the fake LINE API served over real HTTP on loopback, an app pointed at it, a chatting user."""
from __future__ import annotations

import io
import json
import secrets
import threading
import time
import uuid

import pytest
import requests
from PIL import Image
from werkzeug.serving import make_server

from app import create_app
from bot.fake_line import fake_line_app
from bot.simulator import sign
from bot.worker import Worker, WorkerOptions
from intake.service_points import sync_service_points
from models import db
from tests.conftest import _clean, free_port


class FakeLine:
    """The fake Messaging API running in a thread, and ways to steer and inspect it."""

    def __init__(self, token: str):
        self.app, self.state = fake_line_app(token)
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self._server = make_server("127.0.0.1", port, self.app, threaded=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()

    def requests(self, since: int = 0) -> list[dict]:
        """Return the recorded calls after the first `since`, over HTTP like any client."""
        return requests.get(f"{self.url}/_control/requests", params={"since": since}, timeout=5).json()["requests"]

    def delivered(self, since: int = 0) -> list[dict]:
        """Return the reply and push calls that succeeded."""
        return [r for r in self.requests(since) if r["path"].endswith(("/reply", "/push")) and r["body"].get("_ok")]

    def seed(self, message_id: str, data: bytes, media_type: str = "image/png") -> None:
        requests.post(f"{self.url}/_control/content/{message_id}", data=data,
                      headers={"Content-Type": media_type}, timeout=5).raise_for_status()

    def fail(self, kind: str, *statuses: int) -> None:
        requests.post(f"{self.url}/_control/fail/{kind}", json=list(statuses), timeout=5).raise_for_status()

    def expire(self, reply_token: str) -> None:
        requests.post(f"{self.url}/_control/expire/{reply_token}", timeout=5).raise_for_status()

    def reply_token(self) -> str:
        """Return a reply token the fake issued, as LINE puts one in each event it delivers."""
        return requests.post(f"{self.url}/_control/reply-token", timeout=5).json()["replyToken"]


@pytest.fixture
def fake_line(settings):
    fake = FakeLine(settings.line_channel_access_token)
    yield fake
    fake.stop()


@pytest.fixture
def app(settings, fake_line):
    """The app with its LINE client pointed at the fake API over HTTP, with the profile's service points."""
    application = create_app(settings.with_overrides(line_api_base=fake_line.url, line_data_api_base=fake_line.url))
    with application.app_context():
        sync_service_points(application.config["PROFILE"])
        db.commit()
        yield application
        db.rollback()
    _clean(settings.database_url)


def png(colour: str = "red") -> bytes:
    """Return a small real PNG picture."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG")
    return out.getvalue()


def event(kind: str, user_id: str, **fields) -> dict:
    """Return a webhook event shaped like LINE's, with a fresh webhookEventId and reply token."""
    base = {"type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
            "webhookEventId": uuid.uuid4().hex.upper()[:26], "deliveryContext": {"isRedelivery": False},
            "source": {"type": "user", "userId": user_id}, "replyToken": secrets.token_hex(16)}
    message_id = str(uuid.uuid4().int)[:18]
    shapes = {
        "text": lambda: {"message": {"type": "text", "id": message_id, "text": fields.pop("text")}},
        "image": lambda: {"message": {"type": "image", "id": fields.pop("message_id", message_id),
                                      "contentProvider": {"type": "line"}}},
        "video": lambda: {"message": {"type": "video", "id": fields.pop("message_id", message_id), "duration": 8000,
                                      "contentProvider": {"type": "line"}}},
        "audio": lambda: {"message": {"type": "audio", "id": fields.pop("message_id", message_id), "duration": 5000,
                                      "contentProvider": {"type": "line"}}},
        "file": lambda: {"message": {"type": "file", "id": fields.pop("message_id", message_id),
                                     "fileName": fields.pop("file_name"), "fileSize": 100}},
        "location": lambda: {"message": {"type": "location", "id": message_id, "title": "หน้าที่ว่าการ",
                                         "address": "ตำบลสุจริตธรรม", "latitude": 14.97, "longitude": 102.1}},
        "sticker": lambda: {"message": {"type": "sticker", "id": message_id, "packageId": "446", "stickerId": "1988"}},
        "postback": lambda: {"type": "postback", "postback": {"data": fields.pop("data")}},
        "follow": lambda: {"type": "follow"},
    }
    base.update(shapes[kind]())
    base.update(fields)
    return base


class LineUser:
    """A LINE user talking to the bot: each call is a signed HTTP webhook, then the worker runs."""

    def __init__(self, app, client, fake: FakeLine):
        self.app, self.client, self.fake = app, client, fake
        self.user_id = "U" + secrets.token_hex(16)
        self.worker = Worker(app, WorkerOptions(threads=1))

    def post(self, *events: dict, signature: str | None = None, body: bytes | None = None):
        """Deliver events as LINE does, each with a reply token the fake API issued (set in the event)."""
        for the_event in events:
            if "replyToken" in the_event:
                the_event["replyToken"] = self.fake.reply_token()
        raw = body if body is not None else json.dumps({"destination": "Ubot", "events": list(events)}).encode()
        secret = self.app.config["SETTINGS"].line_channel_secret
        return self.client.post("/line/webhook", data=raw, content_type="application/json",
                                headers={"X-Line-Signature": sign(secret, raw) if signature is None else signature})

    def drain(self) -> None:
        """Run the worker until the inbox has nothing due."""
        while self.worker.run_once():
            pass
        db.session.expire_all()

    def send(self, kind: str, **fields) -> list[dict]:
        """Send one event, let the worker handle it, and return the messages the bot sent back."""
        before = len(self.fake.requests())
        the_event = event(kind, self.user_id, **fields)
        assert self.post(the_event).status_code == 200
        self.drain()
        return [m for r in self.fake.delivered(before) for m in r["body"]["messages"]]

    def say(self, text: str) -> list[dict]:
        return self.send("text", text=text)

    def tap(self, data: str) -> list[dict]:
        return self.send("postback", data=data)


@pytest.fixture
def line_user(app, client, fake_line):
    return LineUser(app, client, fake_line)


def _dicts(node):
    """Yield every dict inside LINE messages, depth first (Flex bubbles nest deeply)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _dicts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _dicts(value)


def texts_of(messages: list[dict]) -> str:
    """Return every piece of text in messages (text, Flex, quick-reply labels), joined, for assertions."""
    return "\n".join(d[key] for d in _dicts(messages) for key in ("text", "altText", "label")
                     if isinstance(d.get(key), str))


def postbacks(messages: list[dict]) -> dict[str, str]:
    """Return the postback actions in messages, label -> data."""
    return {d["label"]: d["data"] for d in _dicts(messages) if d.get("type") == "postback"}
