"""Abuse limits that keep no identity: attempts per client address, and one rating per browser.

Counters live in the database (so every web process shares them) under a keyed hash of the limit and
the address. The hash key is a random key of that time window, kept in the tier-F key-state file (not
the database) and destroyed when the window ends: the address is never stored, the hashes of one address
in two windows cannot be linked, and once a window is over nobody can test an address against its
counters (not even by trying all of IPv4). The once-per-hour rating rule lives in the browser's signed
session cookie on the web, and under a daily-rotating keyed hash of the LINE user in LINE.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import MutableMapping

from flask import current_app
from sqlalchemy import delete, func, select

from models import db, server_keys, utcnow
from models.rating import Throttle


@dataclass(frozen=True)
class Limit:
    """At most `attempts` per client address in each window of `seconds`."""

    attempts: int
    seconds: int


#: Generous, because mobile carriers put many citizens behind one address (carrier-grade NAT).
DEFAULT_LIMITS = {
    "rating": Limit(60, 600),
    "complaint": Limit(10, 3600),
    "feedback": Limit(10, 3600),
    "track": Limit(30, 600),
    "receipt_image": Limit(20, 600),
    # Staff sign-in: per user name from one client, and per client over every name (see staff/accounts.py).
    "signin": Limit(10, 900),
    "signin_client": Limit(50, 900),
}
RATING_COOLDOWN = timedelta(hours=1)
SUBMISSION_MEMORY = timedelta(days=1)
_PURGE_CHANCE = 0.01


def limit_for(action: str) -> Limit:
    """Return the limit of an action, as configured in app.config["INTAKE_LIMITS"] or by default."""
    return current_app.config.get("INTAKE_LIMITS", {}).get(action) or DEFAULT_LIMITS[action]


def allow(action: str, address: str | None, *, count_refusals: bool = False, now: datetime | None = None) -> bool:
    """Count one attempt of an action from a client address; return False once the limit is passed.

    The count joins the request's transaction, so it is kept only with what the request stores; with
    `count_refusals` it is committed at once, so refused attempts (wrong tracking codes) count too.
    Call it after the work and just before the commit, to hold the counter's row lock briefly.
    """
    limit = limit_for(action)
    now = now or utcnow()
    window = int(now.timestamp()) // limit.seconds
    key = server_keys().flight.window_digest("throttle", f"{action}\x00{address or '-'}", seconds=limit.seconds,
                                             now=now)
    ends = datetime.fromtimestamp((window + 1) * limit.seconds, timezone.utc)
    if count_refusals:
        with db.engine.begin() as connection:
            return _count(connection, key, ends, now) <= limit.attempts
    return _count(db.session.connection(), key, ends, now) <= limit.attempts


def _count(connection, key: bytes, ends: datetime, now: datetime) -> int:
    if random.random() < _PURGE_CHANCE:
        Throttle.purge(connection, now)
    return Throttle.hit(connection, key, ends)


def first_submission(nonce: str, now: datetime | None = None) -> bool:
    """Return True the first time a form's one-time number is handed in (a refresh sends it again)."""
    if not nonce:
        return True
    now = now or utcnow()
    key = server_keys().index.digest("submission", nonce[:100])
    return _count(db.session.connection(), key, now + SUBMISSION_MEMORY, now) == 1


def rated_until(cookie_session: MutableMapping, point_code: str, now: datetime | None = None) -> datetime | None:
    """Return when this browser may rate the service point again, or None when it may now."""
    stamp = (cookie_session.get("rated") or {}).get(point_code)
    if stamp is None:
        return None
    again = datetime.fromtimestamp(stamp, timezone.utc) + RATING_COOLDOWN
    return again if again > (now or utcnow()) else None


def remember_rating(cookie_session: MutableMapping, point_code: str, now: datetime | None = None) -> None:
    """Note in the browser's session cookie that it rated a service point, forgetting stale notes."""
    now = now or utcnow()
    fresh = {code: stamp for code, stamp in (cookie_session.get("rated") or {}).items()
             if datetime.fromtimestamp(stamp, timezone.utc) + RATING_COOLDOWN > now}
    fresh[point_code] = int(now.timestamp())
    cookie_session["rated"] = fresh


def _line_rating_key(user_id: str, point_code: str, days_ago: int) -> bytes | None:
    # Under the day's key: no lasting pseudonym of the LINE user, and yesterday's still counts near midnight.
    return server_keys().flight.daily_digest("rated", f"{point_code}\x00{user_id}", days_ago=days_ago)


def line_rated_until(user_id: str, point_code: str, now: datetime | None = None) -> datetime | None:
    """Return when this LINE user may rate the service point again, or None when they may now."""
    keys = [k for k in (_line_rating_key(user_id, point_code, d) for d in (0, 1)) if k]
    again = db.session.scalar(select(func.max(Throttle.expires_at)).where(Throttle.key.in_(keys)))
    return again if again is not None and again > (now or utcnow()) else None


def remember_line_rating(user_id: str, point_code: str, now: datetime | None = None) -> None:
    """Note (in the current transaction) that a LINE user rated a service point, for an hour."""
    key = _line_rating_key(user_id, point_code, 0)
    db.session.execute(delete(Throttle).where(Throttle.key == key))
    db.session.add(Throttle(key=key, hits=1, expires_at=(now or utcnow()) + RATING_COOLDOWN))
