"""POST /line/webhook: verify the signature, store the events, acknowledge only what is durable."""
from __future__ import annotations

import json
import logging

from flask import Blueprint, Response, current_app, request
from linebot.v3 import SignatureValidator

from bot import inbox
from config.settings import SIMULATOR_CHANNEL_SECRET
from bot.worker import wake_workers
from models import utcnow

log = logging.getLogger(__name__)
bp = Blueprint("line_webhook", __name__)


def _plain(status: int, text: str) -> Response:
    return Response(text, status=status, mimetype="text/plain")


def _events(body: bytes) -> list[dict] | None:
    """Return the events of a webhook body, or None when the body is not what LINE sends."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return None
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list) or not all(isinstance(e, dict) and e.get("webhookEventId") for e in events):
        return None
    return events


@bp.post("/line/webhook")
def webhook() -> Response:
    """Store LINE's events in the inbox and answer 200 once they are committed."""
    body = request.get_data(cache=False)
    signature = request.headers.get("X-Line-Signature", "")
    settings = current_app.config["SETTINGS"]
    if settings.is_production and settings.line_channel_secret == SIMULATOR_CHANNEL_SECRET:
        # Anyone can sign with the simulator's published secret: production never trusts it.
        log.warning("webhook refused: the simulator secret is not a channel secret")
        return _plain(403, "not configured")
    validator = SignatureValidator(settings.line_channel_secret)
    if not signature or not validator.validate(body.decode("utf-8", "replace"), signature):
        log.warning("webhook refused: missing or wrong signature")
        return _plain(400, "bad signature")
    events = _events(body)
    if events is None:
        log.warning("webhook refused: the body is not a LINE webhook")
        return _plain(400, "bad body")
    # Committed here, before 200; a database that is down answers 503 (models/db.py) and LINE redelivers.
    inbox.store(events, utcnow())
    response = _plain(200, "ok")
    # Wake the worker once the response is done.
    response.call_on_close(wake_workers)
    return response
