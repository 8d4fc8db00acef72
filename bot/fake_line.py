"""A fake LINE Messaging API for the simulator, the tests and the benchmarks, as strict as LINE.

It refuses what LINE refuses (bot/line_rules.py: the SDK's models and every documented limit), accepts only
the reply tokens it issued, once each and for about a minute, and answers with LINE's status codes and error
bodies. It records every call and can be told to fail.
"""
from __future__ import annotations

import re
import secrets
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field

from flask import Blueprint, Flask, abort, jsonify, request

from bot import line_limits, line_rules


@dataclass
class Recorded:
    """One request the bot made to the fake API."""

    seq: int
    at: float
    method: str
    path: str
    headers: dict[str, str]
    body: dict | None

    def as_dict(self) -> dict:
        """Return the request as JSON-friendly data."""
        return {"seq": self.seq, "at": self.at, "method": self.method, "path": self.path,
                "headers": self.headers, "body": self.body}


@dataclass
class FakeLineState:
    """What the fake API has seen and what it has been told to do."""

    token: str
    requests: list[Recorded] = field(default_factory=list)
    #: Statuses to answer instead of success, per kind ("reply", "push", "content"), consumed in order.
    failures: dict[str, deque] = field(default_factory=dict)
    #: Reply tokens the fake issued for webhook events, and when; a token is used once and expires.
    issued_tokens: dict[str, float] = field(default_factory=dict)
    reply_token_seconds: float = line_limits.REPLY_TOKEN_SECONDS
    expired_tokens: set[str] = field(default_factory=set)
    used_tokens: set[str] = field(default_factory=set)
    #: Accepted pushes by retry key: the request id LINE reports when the same key comes again.
    retry_keys: dict[str, str] = field(default_factory=dict)
    contents: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    rich_menus: dict[str, dict] = field(default_factory=dict)
    rich_menu_images: dict[str, bytes] = field(default_factory=dict)
    default_rich_menu: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, body: dict | None) -> None:
        headers = {k: v for k, v in request.headers.items() if k.lower() in {"x-line-retry-key", "content-type"}}
        self.requests.append(Recorded(len(self.requests) + 1, time.time(), request.method, request.path,
                                      headers, body))

    def issue_reply_token(self) -> str:
        """Return a fresh reply token, as LINE puts one in each webhook event it delivers."""
        token = secrets.token_hex(16)
        with self.lock:
            self.issued_tokens[token] = time.monotonic()
        return token

    def take_reply_token(self, token: str) -> bool:
        """Use a reply token up; return False when LINE would call it invalid (unknown, used or expired)."""
        issued = self.issued_tokens.get(token)
        if issued is None or token in self.used_tokens or token in self.expired_tokens:
            return False
        if time.monotonic() - issued > self.reply_token_seconds:
            return False
        self.used_tokens.add(token)
        return True

    def next_failure(self, kind: str) -> int | None:
        queue = self.failures.get(kind)
        return queue.popleft() if queue else None

    def delivered(self) -> list[dict]:
        """Return the reply and push calls that succeeded, oldest first."""
        return [r.as_dict() for r in self.requests if r.path.endswith(("/reply", "/push")) and r.body.get("_ok")]


#: LINE's error bodies for the statuses the fake can be told to answer.
_STATUS_MESSAGES = {400: "The request body has 1 error(s)", 401: "Authentication failed. Confirm that the "
                    "access token in the authorization header is valid.", 403: "Not authorized to use this API",
                    404: "Not found", 409: "The retry key is already accepted", 429: "Too many requests",
                    500: "Internal server error", 503: "Service unavailable"}


def _error(status: int, message: str | None = None, details: list | None = None, headers: dict | None = None):
    body = {"message": message or _STATUS_MESSAGES.get(status, "Error")}
    if details:
        body["details"] = details
    return jsonify(body), status, headers or {}


def _refused(details: list):
    return _error(400, f"The request body has {len(details)} error(s)", details)


def _sent(body: dict):
    return {"sentMessages": [{"id": str(secrets.randbits(60)), "quoteToken": secrets.token_urlsafe(12)}
                             for _ in body.get("messages", [])]}


def make_fake_line(token: str) -> tuple[Blueprint, FakeLineState]:
    """Return a blueprint serving the fake API and the state behind it."""
    state = FakeLineState(token=token)
    bp = Blueprint("fake_line", __name__)

    @bp.before_request
    def _authorize():
        if "/_control/" in request.path:
            return None
        if request.headers.get("Authorization") != f"Bearer {state.token}":
            return _error(401)
        return None

    def _refusal(kind: str, body: dict, check):
        """Record a call; return the failure it was told to give or LINE's refusal of the body, else None."""
        state.record(body)
        status = state.next_failure(kind)
        if status:
            return _error(status)
        refused = check(body)
        return _refused(refused) if refused else None

    @bp.post("/v2/bot/message/reply")
    def reply():
        body = request.get_json(silent=True) or {}
        with state.lock:
            refusal = _refusal("reply", body, lambda b: line_rules.check_send("reply", b))
            if refusal:
                return refusal
            if not state.take_reply_token(str(body.get("replyToken", ""))):
                return _error(400, "Invalid reply token")
            body["_ok"] = True
        return jsonify(_sent(body))

    @bp.post("/v2/bot/message/push")
    def push():
        body = request.get_json(silent=True) or {}
        retry_key = request.headers.get("X-Line-Retry-Key")
        if retry_key is not None and not re.match(line_limits.RETRY_KEY_PATTERN, retry_key):
            with state.lock:
                state.record(body)
            return _error(400, "The value for the 'X-Line-Retry-Key' header is invalid")
        with state.lock:
            refusal = _refusal("push", body, lambda b: line_rules.check_send("push", b))
            if refusal:
                return refusal
            if retry_key in state.retry_keys:
                # What LINE answers when a push with this retry key was already accepted.
                return _error(409, headers={"x-line-accepted-request-id": state.retry_keys[retry_key]})
            if retry_key:
                state.retry_keys[retry_key] = str(uuid.uuid4())
            body["_ok"] = True
        return jsonify(_sent(body))

    @bp.post("/v2/bot/chat/loading/start")
    def loading():
        body = request.get_json(silent=True) or {}
        with state.lock:
            refusal = _refusal("loading", body, line_rules.check_loading)
        return refusal or (jsonify({}), 202)

    @bp.get("/v2/bot/message/<message_id>/content")
    def content(message_id: str):
        with state.lock:
            state.record(None)
            status = state.next_failure("content")
            if status:
                return _error(status)
            found = state.contents.get(message_id)
        if found is None:
            return _error(404)
        media_type, data = found
        return data, 200, {"Content-Type": media_type}

    @bp.post("/v2/bot/richmenu")
    def create_rich_menu():
        menu_id = f"richmenu-{uuid.uuid4().hex}"
        with state.lock:
            body = request.get_json(silent=True) or {}
            state.record(body)
            refused = line_rules.check_rich_menu(body)
            if refused:
                return _refused(refused)
            state.rich_menus[menu_id] = body
        return jsonify(richMenuId=menu_id)

    @bp.post("/v2/bot/richmenu/<menu_id>/content")
    def upload_rich_menu_image(menu_id: str):
        with state.lock:
            state.record({"bytes": len(request.data), "contentType": request.content_type})
            if menu_id not in state.rich_menus:
                return _error(404)
            refused = line_rules.check_rich_menu_image(state.rich_menus[menu_id], request.content_type or "",
                                                       request.data)
            if refused:
                return _error(400, refused[0]["message"])
            state.rich_menu_images[menu_id] = request.data
        return jsonify({})

    @bp.post("/v2/bot/user/all/richmenu/<menu_id>")
    def set_default_rich_menu(menu_id: str):
        with state.lock:
            state.record(None)
            if menu_id not in state.rich_menus:
                return _error(404)
            state.default_rich_menu = menu_id
        return jsonify({})

    @bp.get("/v2/bot/richmenu/list")
    def list_rich_menus():
        with state.lock:
            menus = [dict(body, richMenuId=menu_id) for menu_id, body in state.rich_menus.items()]
        return jsonify(richmenus=menus)

    @bp.delete("/v2/bot/richmenu/<menu_id>")
    def delete_rich_menu(menu_id: str):
        with state.lock:
            state.record(None)
            state.rich_menus.pop(menu_id, None)
            state.rich_menu_images.pop(menu_id, None)
        return jsonify({})

    # Control endpoints: the tests and the simulator steer the fake through these.
    @bp.get("/_control/requests")
    def control_requests():
        since = request.args.get("since", 0, type=int)
        with state.lock:
            return jsonify(requests=[r.as_dict() for r in state.requests[since:]])

    @bp.post("/_control/content/<message_id>")
    def control_content(message_id: str):
        with state.lock:
            state.contents[message_id] = (request.content_type or "application/octet-stream", request.data)
        return jsonify(ok=True)

    @bp.post("/_control/fail/<kind>")
    def control_fail(kind: str):
        if kind not in {"reply", "push", "content", "loading"}:
            abort(404)
        statuses = request.get_json(silent=True) or []
        with state.lock:
            state.failures.setdefault(kind, deque()).extend(int(s) for s in statuses)
        return jsonify(ok=True)

    @bp.post("/_control/reply-token")
    def control_reply_token():
        return jsonify(replyToken=state.issue_reply_token())

    @bp.post("/_control/expire/<reply_token>")
    def control_expire(reply_token: str):
        with state.lock:
            state.expired_tokens.add(reply_token)
        return jsonify(ok=True)

    return bp, state


def fake_line_app(token: str) -> tuple[Flask, FakeLineState]:
    """Return a stand-alone app serving the fake API at its root (for tests and the benchmark)."""
    app = Flask("fake_line")
    bp, state = make_fake_line(token)
    app.register_blueprint(bp)
    return app, state

