"""The LINE Messaging API client: line-bot-sdk v3, retries on 429/5xx, reply falling back to push."""
from __future__ import annotations

import json
import logging
import time

from flask import Flask, current_app
from linebot.v3.messaging import (
    ApiClient, ApiException, Configuration, MessagingApi, MessagingApiBlob, PushMessageRequest, ReplyMessageRequest,
    ShowLoadingAnimationRequest,
)
from urllib3.exceptions import HTTPError as TransportError

from config import Settings

log = logging.getLogger(__name__)

LINE_API = "https://api.line.me"
LINE_DATA_API = "https://api-data.line.me"
TIMEOUT = (3, 15)
#: Pauses between tries within one call; longer waits are the caller's (the outbox reschedules).
INLINE_PAUSES = (0.2, 0.6)
#: LINE's `message` when a reply token is unknown, used or expired [ref #send-reply-message].
INVALID_REPLY_TOKEN = "Invalid reply token"


def _line_message(body) -> str:
    """Return the `message` of LINE's error body (never logged: it may name a property)."""
    try:
        return str(json.loads(body or b"{}").get("message", ""))
    except (ValueError, AttributeError):
        return ""


class LineApiError(RuntimeError):
    """The Messaging API refused a call or could not be reached."""

    def __init__(self, operation: str, status: int | None, message: str = ""):
        super().__init__(f"LINE {operation} failed with status {status or 'no answer'}")
        self.operation, self.status, self.line_message = operation, status, message

    @property
    def transient(self) -> bool:
        """Return True when trying again later may succeed (429, 5xx, no answer)."""
        return self.status is None or self.status == 429 or self.status >= 500

    @property
    def invalid_reply_token(self) -> bool:
        """Return True when LINE refused only the reply token (expired or used): a push can still go."""
        return self.status == 400 and self.line_message == INVALID_REPLY_TOKEN


class LineApi:
    """The calls the bot makes to LINE."""

    def __init__(self, settings: Settings):
        token = settings.line_channel_access_token
        self._client = ApiClient(Configuration(host=settings.line_api_base or LINE_API, access_token=token))
        self._data_client = ApiClient(Configuration(host=settings.line_data_api_base or LINE_DATA_API,
                                                    access_token=token))
        self.messaging = MessagingApi(self._client)
        self.blob = MessagingApiBlob(self._data_client)

    def call(self, operation: str, fn):
        """Run one SDK call, trying again briefly on 429 and 5xx; raise LineApiError when it fails."""
        for pause in (*INLINE_PAUSES, None):
            try:
                return fn()
            except ApiException as exc:
                error = LineApiError(operation, exc.status, _line_message(exc.body))
            except TransportError:
                error = LineApiError(operation, None)
            if not error.transient or pause is None:
                raise error
            log.warning("LINE %s answered %s; trying again", operation, error.status or "nothing")
            time.sleep(pause)
        raise AssertionError("unreachable")

    def reply(self, reply_token: str, messages: list[dict]) -> None:
        """Answer an event with its single-use reply token."""
        request = ReplyMessageRequest.from_dict({"replyToken": reply_token, "messages": messages})
        self.call("reply", lambda: self.messaging.reply_message(request, _request_timeout=TIMEOUT))

    def push(self, to: str, messages: list[dict], retry_key: str) -> None:
        """Push messages to a user, group or room; a retry with the same key is never delivered twice."""
        request = PushMessageRequest.from_dict({"to": to, "messages": messages})
        try:
            self.call("push", lambda: self.messaging.push_message(request, x_line_retry_key=retry_key,
                                                                   _request_timeout=TIMEOUT))
        except LineApiError as exc:
            if exc.status != 409:  # 409: LINE already accepted a push with this retry key
                raise

    def deliver(self, *, to: str, reply_token: str, messages: list[dict], retry_key: str) -> str:
        """Reply when there is a token, push when there is none or it has expired; return how it went out."""
        if reply_token:
            try:
                self.reply(reply_token, messages)
                return "reply"
            except LineApiError as exc:
                # Only a token that expired (about a minute) or was used is worth a push; any other 400
                # is a refusal of the messages themselves, which a push would repeat.
                if not exc.invalid_reply_token or not to:
                    raise
                log.info("reply token refused; pushing instead")
        self.push(to, messages, retry_key)
        return "push"

    def show_loading(self, user_id: str, seconds: int = 30) -> None:
        """Show LINE's loading animation in a user's chat while something slow happens (best effort)."""
        request = ShowLoadingAnimationRequest(chatId=user_id, loadingSeconds=seconds)
        try:
            self.call("loading", lambda: self.messaging.show_loading_animation(request, _request_timeout=TIMEOUT))
        except LineApiError as exc:
            log.info("LINE loading animation not shown (status %s)", exc.status)

    def content(self, message_id: str) -> bytes:
        """Download what a user sent (image, file) before LINE deletes it."""
        return self.call("content", lambda: self.blob.get_message_content(message_id, _request_timeout=TIMEOUT))

    def close(self) -> None:
        """Release the connection pools."""
        self._client.close()
        self._data_client.close()


def init_app(app: Flask) -> None:
    """Give the app its LINE API client."""
    app.extensions["sujarit.line_api"] = LineApi(app.config["SETTINGS"])


def line_api() -> LineApi:
    """Return the current app's LINE API client."""
    return current_app.extensions["sujarit.line_api"]
