"""The inbox worker: claims stored events, runs the dialogs, sends the replies, retries and parks."""
from __future__ import annotations

import json
import logging
import threading
import time
import traceback
import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask

from bot import inbox, outbox
from models import DecryptionError, db, server_keys, utcnow
from models.line import InboxEvent

log = logging.getLogger(__name__)

_wake = threading.Condition()


def wake_workers() -> None:
    """Tell the workers in this process that new events or messages are waiting."""
    with _wake:
        _wake.notify_all()


def _where(exc: BaseException) -> str:
    # The exception's class and the line it came from: never its message, which may quote content.
    frames = traceback.extract_tb(exc.__traceback__)
    last = frames[-1] if frames else None
    return f"{type(exc).__name__} at {last.filename.rsplit('/', 1)[-1]}:{last.lineno}" if last else type(exc).__name__


def _retry_key(webhook_event_id: str) -> str:
    # The same event always gets the same key: a second run of it can never add a second reply.
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"sujarit:line:{webhook_event_id}"))


@dataclass
class WorkerOptions:
    """How the worker claims, retries and gives up."""

    threads: int = 4
    batch: int = 10
    #: How long a claim holds before another worker may take the event (a crashed worker's events).
    lease: timedelta = timedelta(seconds=120)
    max_attempts: int = 5
    idle_wait: float = 0.25


class Worker:
    """Threads that drain the inbox and the outbox of one app."""

    def __init__(self, app: Flask, options: WorkerOptions | None = None):
        self.app = app
        self.options = options or WorkerOptions()
        self.stop_event = threading.Event()
        # SQLite has one writer: claim from one thread at a time (PostgreSQL skips locked rows instead).
        self._claim_lock = threading.Lock()
        self._last_purge = -60.0

    def backoff(self, attempts: int) -> timedelta:
        """Return the wait before the next try of an event: 1, 4, 16 ... seconds, at most 10 minutes."""
        return timedelta(seconds=min(4 ** (attempts - 1), 600))

    def run_once(self) -> int:
        """Claim and handle one batch of events and one batch of due messages; return how many events."""
        from bot.maintenance import purge_expired

        with self.app.app_context():
            with self._claim_lock, db.unit_of_work():
                now = utcnow()
                event_ids = [e.id for e in inbox.claim(now, self.options.lease, self.options.batch)]
                message_ids = outbox.claim_due(now, self.options.lease)
            for event_id in event_ids:
                self.handle(event_id)
            for message_id in message_ids:
                outbox.deliver(message_id)
            if self._purge_due():
                purge_expired(utcnow())
        return len(event_ids)

    def _purge_due(self) -> bool:
        with self._claim_lock:
            if time.monotonic() - self._last_purge < 60:
                return False
            self._last_purge = time.monotonic()
            return True

    def handle(self, event_id: int) -> None:
        """Run one claimed event through the dialogs in one unit of work, then send what it produced."""
        from bot.dialogs import handle_event

        flight = server_keys().flight
        try:
            with db.unit_of_work() as session:
                event = session.get(InboxEvent, event_id)
                if event is None or event.status != "processing":
                    return
                try:
                    payload = json.loads(event.payload(flight))
                except DecryptionError:  # past the tier-F window (or from before tier F): nobody can read it
                    event.finish(utcnow(), "ignored")
                    return
                messages = handle_event(payload)
                sent = None
                if messages:
                    sent = outbox.queue("reply", to=inbox.chat_id(payload), reply_token=payload.get("replyToken", ""),
                                        messages=messages, retry_key=_retry_key(event.webhook_event_id), sending=True)
                event.finish(utcnow(), "done" if messages is not None else "ignored")
            if sent is not None:
                outbox.deliver(sent.id)
        except Exception as exc:  # noqa: BLE001 - any failure is retried, then parked; the worker goes on
            self._failed(event_id, exc)

    def _failed(self, event_id: int, exc: Exception) -> None:
        from bot.notify import queue_staff_alert
        from bot.texts import APOLOGY, WORKER_ALERT

        where = _where(exc)
        with db.unit_of_work() as session:
            event = session.get(InboxEvent, event_id)
            if event is None:
                return
            try:
                payload = json.loads(event.payload(server_keys().flight))  # read now: a parked event keeps none
            except DecryptionError:
                payload = {}
            parked = event.fail(where, utcnow(), max_attempts=self.options.max_attempts,
                                backoff=self.backoff(event.attempts))
            log.error("inbox event %s failed (attempt %s): %s%s", event.id, event.attempts, where,
                      "; parked" if parked else "")
            if parked:
                if inbox.chat_id(payload):
                    outbox.queue("apology", to=inbox.chat_id(payload), messages=[{"type": "text", "text": APOLOGY}],
                                 retry_key=_retry_key(f"{event.webhook_event_id}:apology"))
                queue_staff_alert(WORKER_ALERT)

    def loop(self) -> None:
        """Work until stopped, sleeping while there is nothing to do."""
        while not self.stop_event.is_set():
            try:
                busy = self.run_once()
            except Exception as exc:  # noqa: BLE001 - e.g. the database is down: wait and try again
                log.error("worker round failed: %s", _where(exc))
                busy = 0
            if not busy:
                with _wake:
                    _wake.wait(self.options.idle_wait)

    def start(self) -> list[threading.Thread]:
        """Start the worker threads (daemons) and return them."""
        threads = [threading.Thread(target=self.loop, name=f"line-worker-{n}", daemon=True)
                   for n in range(self.options.threads)]
        for thread in threads:
            thread.start()
        return threads

    def stop(self) -> None:
        """Ask the threads to finish their round and stop."""
        self.stop_event.set()
        wake_workers()
