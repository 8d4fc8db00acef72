"""The offline simulator: a phone-like chat page that talks to the bot through the built-in fake LINE API.

Mounted only in development when no LINE channel is configured, so it never exists beside a real channel
or in production. It answers loopback clients only; the fake API's control endpoints answer only a
simulator browser session, and each session sees only its own simulated LINE user's conversation.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import secrets
import time
import uuid

import requests
from flask import Blueprint, Flask, abort, current_app, jsonify, render_template, request, session

from bot.fake_line import FakeLineState, make_fake_line
from bot.richmenu import BUTTONS, LAYOUT
from intake.evidence import sniff

bp = Blueprint("simulator", __name__, template_folder="templates", static_folder="static",
               static_url_path="/simulator/static")


def sign(secret: str, body: bytes) -> str:
    """Return the X-Line-Signature LINE would send for a body."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _state() -> FakeLineState:
    return current_app.extensions["sujarit.fake_line"]


def _user_id() -> str:
    if "sim_user" not in session:
        session["sim_user"] = "U" + secrets.token_hex(16)
    return session["sim_user"]


def _event(kind: str, form: dict, user_id: str) -> dict:
    """Build the webhook event LINE would send for what the person did on the page."""
    now = int(time.time() * 1000)
    event = {"type": "message", "timestamp": now, "mode": "active", "webhookEventId": uuid.uuid4().hex.upper()[:26],
             "deliveryContext": {"isRedelivery": False}, "source": {"type": "user", "userId": user_id},
             "replyToken": _state().issue_reply_token()}
    message_id = str(now) + secrets.token_hex(3)
    if kind == "text":
        event["message"] = {"type": "text", "id": message_id, "text": form.get("text", "")[:5000]}
    elif kind == "postback":
        event.update(type="postback", postback={"data": form.get("data", "")})
    elif kind == "location":
        event["message"] = {"type": "location", "id": message_id, "title": "ตำแหน่งที่ส่งจากเครื่องจำลอง",
                            "address": form.get("address", ""), "latitude": float(form.get("latitude", 14.97)),
                            "longitude": float(form.get("longitude", 102.1))}
    elif kind in {"image", "file", "video", "audio"}:
        upload = request.files.get("file")
        data = upload.read() if upload else b""
        found = sniff(data)
        _state().contents[message_id] = (found[0] if found else "application/octet-stream", data)
        event["message"] = {"type": kind, "id": message_id, "contentProvider": {"type": "line"}}
        if kind == "file":
            event["message"].update(fileName=(upload.filename if upload else "file")[:120], fileSize=len(data))
    elif kind == "sticker":
        event["message"] = {"type": "sticker", "id": message_id, "packageId": "446", "stickerId": "1988"}
    elif kind == "follow":
        event["type"] = "follow"
    else:
        abort(400)
    return event


@bp.get("/simulator")
def page():
    """Show the phone-like chat page."""
    _user_id()
    menu = [(action, BUTTONS[action][0]) for row in LAYOUT for action in row]
    return render_template("bot/simulator.html", menu=menu)


@bp.post("/simulator/send")
def send():
    """Sign an event with the simulator's secret and deliver it to our own webhook, as LINE would."""
    user_id = _user_id()
    event = _event(request.form.get("kind", ""), request.form, user_id)
    if event.get("replyToken"):
        _tokens()[event["replyToken"]] = user_id
    body = json.dumps({"destination": "Usimulator", "events": [event]}, ensure_ascii=False).encode()
    secret = current_app.config["SETTINGS"].line_channel_secret
    base = current_app.config["SETTINGS"].public_base_url  # never the request's Host header
    answer = requests.post(base + "/line/webhook", data=body, timeout=10,
                           headers={"Content-Type": "application/json", "X-Line-Signature": sign(secret, body)})
    return jsonify(status=answer.status_code), (200 if answer.ok else 502)


def _tokens() -> dict[str, str]:
    return current_app.extensions["sujarit.simulator_tokens"]


def _own_requests(since: int, user_id: str) -> tuple[list, int]:
    """Return the fake API's requests since a point that were meant for this simulated user, and the last seq."""
    tokens = _tokens()
    state = _state()
    with state.lock:
        recent = [r for r in state.requests[since:] if r.body]
        last = len(state.requests)
    mine = [r for r in recent if r.body.get("to") == user_id or tokens.get(r.body.get("replyToken", "")) == user_id]
    return mine, last


@bp.get("/simulator/messages")
def messages():
    """Return what the bot sent this simulated user through the fake API since a point."""
    mine, last = _own_requests(max(0, request.args.get("since", 0, type=int)), _user_id())
    return jsonify(last=last, items=[{"seq": r.seq, "via": r.path.rsplit("/", 1)[-1],
                                      "messages": r.body.get("messages", [])} for r in mine if r.body.get("_ok")])


def _guard():
    """Keep the simulator to loopback clients and the fake API's controls to a simulator's own session."""
    path = request.path
    control = path.startswith("/_fake-line/_control/")
    if not (control or path.startswith("/simulator")):
        return None
    if not ipaddress.ip_address(request.remote_addr or "0.0.0.0").is_loopback:
        abort(404)
    if not control:
        return None
    user_id = session.get("sim_user")
    if not user_id:
        abort(403)
    if path == "/_fake-line/_control/requests" and request.method == "GET":
        mine, _ = _own_requests(max(0, request.args.get("since", 0, type=int)), user_id)
        return jsonify(requests=[r.as_dict() for r in mine])
    token = path.removeprefix("/_fake-line/_control/expire/")
    if token != path and _tokens().get(token) == user_id:
        return None  # expiring one's own reply token touches no one else
    abort(403)  # failures and contents would steer every session's conversation


def init_app(app: Flask) -> None:
    """Mount the fake LINE API at /_fake-line and the simulator page (simulated mode only)."""
    settings = app.config["SETTINGS"]
    if not settings.line_simulated:
        raise RuntimeError("the simulator is for the offline demo only; LINE credentials are set")
    fake, state = make_fake_line(settings.line_channel_access_token)
    app.register_blueprint(fake, url_prefix="/_fake-line")
    app.register_blueprint(bp)
    app.before_request(_guard)
    app.extensions["csrf"].exempt(fake)
    app.extensions["sujarit.fake_line"] = state
    app.extensions["sujarit.simulator_tokens"] = {}
