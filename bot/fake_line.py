"""A fake LINE Messaging API for the simulator and the tests: records every call, can be told to fail."""
from __future__ import annotations

import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field

from flask import Blueprint, Flask, abort, jsonify, request


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
    expired_tokens: set[str] = field(default_factory=set)
    used_tokens: set[str] = field(default_factory=set)
    retry_keys: set[str] = field(default_factory=set)
    contents: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    rich_menus: dict[str, dict] = field(default_factory=dict)
    rich_menu_images: dict[str, bytes] = field(default_factory=dict)
    default_rich_menu: str = ""
    #: Per-user rich menus: LINE user id -> rich menu id.
    user_rich_menus: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, body: dict | None) -> None:
        headers = {k: v for k, v in request.headers.items() if k.lower() in {"x-line-retry-key", "content-type"}}
        self.requests.append(Recorded(len(self.requests) + 1, time.time(), request.method, request.path,
                                      headers, body))

    def next_failure(self, kind: str) -> int | None:
        queue = self.failures.get(kind)
        return queue.popleft() if queue else None

    def delivered(self) -> list[dict]:
        """Return the reply and push calls that succeeded, oldest first."""
        return [r.as_dict() for r in self.requests if r.path.endswith(("/reply", "/push")) and r.body.get("_ok")]


def _error(status: int, message: str):
    return jsonify(message=message), status


def make_fake_line(token: str) -> tuple[Blueprint, FakeLineState]:
    """Return a blueprint serving the fake API and the state behind it."""
    state = FakeLineState(token=token)
    bp = Blueprint("fake_line", __name__)

    @bp.before_request
    def _authorize():
        if "/_control/" in request.path:
            return None
        if request.headers.get("Authorization") != f"Bearer {state.token}":
            return _error(401, "Authentication failed due to the following reason: invalid token")
        return None

    @bp.post("/v2/bot/message/reply")
    def reply():
        body = request.get_json(silent=True) or {}
        with state.lock:
            state.record(body)
            status = state.next_failure("reply")
            if status:
                return _error(status, "The fake API was told to fail")
            reply_token = body.get("replyToken", "")
            if reply_token in state.expired_tokens or reply_token in state.used_tokens:
                return _error(400, "Invalid reply token")
            state.used_tokens.add(reply_token)
            body["_ok"] = True
        return jsonify(sentMessages=[{"id": uuid.uuid4().hex[:16]} for _ in body.get("messages", [])])

    @bp.post("/v2/bot/message/push")
    def push():
        body = request.get_json(silent=True) or {}
        retry_key = request.headers.get("X-Line-Retry-Key", "")
        with state.lock:
            state.record(body)
            status = state.next_failure("push")
            if status:
                return _error(status, "The fake API was told to fail")
            if retry_key and retry_key in state.retry_keys:
                # What LINE answers when a push with this retry key was already accepted.
                return jsonify(message="The retry key is already accepted"), 409
            if retry_key:
                state.retry_keys.add(retry_key)
            body["_ok"] = True
        return jsonify(sentMessages=[{"id": uuid.uuid4().hex[:16]} for _ in body.get("messages", [])])

    @bp.get("/v2/bot/message/<message_id>/content")
    def content(message_id: str):
        with state.lock:
            state.record(None)
            status = state.next_failure("content")
            if status:
                return _error(status, "The fake API was told to fail")
            found = state.contents.get(message_id)
        if found is None:
            return _error(404, "Not found")
        media_type, data = found
        return data, 200, {"Content-Type": media_type}

    @bp.post("/v2/bot/richmenu")
    def create_rich_menu():
        menu_id = f"richmenu-{uuid.uuid4().hex}"
        with state.lock:
            body = request.get_json(silent=True) or {}
            state.record(body)
            state.rich_menus[menu_id] = body
        return jsonify(richMenuId=menu_id)

    @bp.post("/v2/bot/richmenu/<menu_id>/content")
    def upload_rich_menu_image(menu_id: str):
        with state.lock:
            state.record({"bytes": len(request.data), "contentType": request.content_type})
            if menu_id not in state.rich_menus:
                return _error(404, "Not found")
            state.rich_menu_images[menu_id] = request.data
        return jsonify({})

    @bp.post("/v2/bot/user/all/richmenu/<menu_id>")
    def set_default_rich_menu(menu_id: str):
        with state.lock:
            state.record(None)
            if menu_id not in state.rich_menus:
                return _error(404, "Not found")
            state.default_rich_menu = menu_id
        return jsonify({})

    @bp.post("/v2/bot/user/<user_id>/richmenu/<menu_id>")
    def link_rich_menu(user_id: str, menu_id: str):
        with state.lock:
            state.record(None)
            if menu_id not in state.rich_menus:
                return _error(400, "must be specified a valid rich menu id")
            state.user_rich_menus[user_id] = menu_id
        return jsonify({})

    @bp.delete("/v2/bot/user/<user_id>/richmenu")
    def unlink_rich_menu(user_id: str):
        with state.lock:
            state.record(None)
            state.user_rich_menus.pop(user_id, None)
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
        if kind not in {"reply", "push", "content"}:
            abort(404)
        statuses = request.get_json(silent=True) or []
        with state.lock:
            state.failures.setdefault(kind, deque()).extend(int(s) for s in statuses)
        return jsonify(ok=True)

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

