"""Who is signed in to the staff console, and which roles a view demands.

Contract other packages rely on (keep these names and signatures):
- `current_user()` returns the signed-in StaffUser or None.
- `require_roles(*roles)` decorates a view: 302 to sign-in when nobody is signed in, 403 when the
  signed-in user holds none of the roles.

A signed-in browser carries one cookie: the session id and, for officers, the session key that
opens their private key. The server stores the session row (with the key wrapped under that
session key) and never the session key itself.
"""
from __future__ import annotations

import base64
import binascii
from urllib.parse import urlsplit
from datetime import timedelta
from functools import wraps

from flask import Flask, Response, abort, current_app, flash, g, redirect, request, url_for

from models import StaffUser, db, utcnow
from models.staff import StaffSession

COOKIE = "sujarit_staff"
COOKIE_PATH = "/staff"
#: Defaults; an app may override them with STAFF_IDLE_MINUTES and STAFF_SESSION_HOURS in app.config.
IDLE_MINUTES = 30
SESSION_HOURS = 12
#: Roles that must sign in with a second factor.
TOTP_ROLES = frozenset({"admin", "officer"})


def current_user() -> StaffUser | None:
    """Return the signed-in staff user, or None."""
    return g.get("staff_user")


def current_session() -> StaffSession | None:
    """Return the signed-in (or half signed-in) browser's session row, or None."""
    return g.get("staff_session")


def current_private_key():
    """Return the signed-in officer's private key, opened with the cookie's session key, or None."""
    row, user = current_session(), current_user()
    if row is None or user is None:
        return None
    return row.private_key(user, g.get("staff_session_key", b""))


def require_roles(*roles: str):
    """Refuse a view to anyone who holds none of the roles."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = current_user()
            if user is None:
                return _to_sign_in()
            if not user.role_set & set(roles):
                abort(403)
            return view(*args, **kwargs)
        wrapper.required_roles = frozenset(roles)
        return wrapper
    return decorator


def require_signed_in(view):
    """Let any signed-in staff member in; send everyone else to sign-in."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_user() is None:
            return _to_sign_in()
        return view(*args, **kwargs)
    wrapper.required_roles = frozenset()
    return wrapper


def _to_sign_in():
    # Come back to the page after signing in; a form post cannot be replayed, so it returns to the form's page.
    back = request.full_path.rstrip("?") if request.method == "GET" else (request.referrer or "")
    back = urlsplit(back)._replace(scheme="", netloc="").geturl()  # only the path: never the Host we were sent
    return redirect(url_for("staff_auth.login", next=back) if back.startswith("/staff") else url_for("staff_auth.login"))


def session_limits() -> tuple[timedelta, timedelta]:
    """Return how long a session may sit idle and how long it may live at most."""
    config = current_app.config
    return (timedelta(minutes=config.get("STAFF_IDLE_MINUTES", IDLE_MINUTES)),
            timedelta(hours=config.get("STAFF_SESSION_HOURS", SESSION_HOURS)))


def _read_cookie() -> tuple[str, bytes]:
    token, _, key_text = request.cookies.get(COOKIE, "").partition(".")
    try:
        key = base64.urlsafe_b64decode(key_text + "=" * (-len(key_text) % 4)) if key_text else b""
    except (binascii.Error, ValueError):
        key = b""
    return token, key


def load_signed_in_user() -> None:
    """Find the browser's session (before each staff request), ending it when idle or too old."""
    for name in ("staff_user", "staff_session", "staff_session_key", "staff_cookie_stale"):
        g.pop(name, None)  # an app context can outlive one request (tests, CLI): start clean
    if not request.path.startswith(COOKIE_PATH):
        return
    token, key = _read_cookie()
    if not token:
        return
    row = StaffSession.find(db.session, token)
    if row is None:
        g.staff_cookie_stale = True
        return
    user = db.session.get(StaffUser, row.staff_id)
    idle, longest = session_limits()
    if user is None or not user.active or row.is_expired(idle, longest):
        db.session.delete(row)
        g.staff_cookie_stale = True
        flash("หมดเวลาการใช้งาน กรุณาเข้าสู่ระบบอีกครั้ง", "info")
        return
    now = utcnow()
    if now - row.last_seen_at > timedelta(seconds=30):
        row.last_seen_at = now
    g.staff_session, g.staff_session_key = row, key
    if row.stage == "active":
        g.staff_user = user


def set_session_cookie(response: Response, token: str, session_key: bytes) -> Response:
    """Give the browser its session cookie: HttpOnly, SameSite=Strict, Secure over HTTPS."""
    value = token
    if session_key:
        value += "." + base64.urlsafe_b64encode(session_key).decode().rstrip("=")
    response.set_cookie(COOKIE, value, path=COOKIE_PATH, httponly=True, samesite="Strict",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


def clear_session_cookie(response: Response) -> Response:
    """Remove the session cookie from the browser."""
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="Strict",
                           secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


def _protect_staff_pages(response: Response) -> Response:
    if request.path.startswith(COOKIE_PATH) and request.endpoint != "staff_auth.static":
        # Staff pages hold confidential content: never cached (app.secure_headers adds the rest).
        response.headers["Cache-Control"] = "no-store"
        if g.get("staff_cookie_stale"):
            clear_session_cookie(response)
    return response


def init_app(app: Flask) -> None:
    """Load the signed-in user before each staff request and protect staff responses."""
    app.before_request(load_signed_in_user)
    app.after_request(_protect_staff_pages)
