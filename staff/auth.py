"""Who is signed in to the staff console, and which roles a view demands.

Contract other packages rely on (keep these names and signatures):
- `current_user()` returns the signed-in StaffUser or None.
- `require_roles(*roles)` decorates a view: 302 to sign-in when nobody is signed in, 403 when the
  signed-in user holds none of the roles.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, g

from models import StaffUser


def current_user() -> StaffUser | None:
    """Return the signed-in staff user, or None."""
    return g.get("staff_user")


def require_roles(*roles: str):
    """Refuse a view to anyone who holds none of the roles."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = current_user()
            if user is None:
                abort(401)
            if not user.role_set & set(roles):
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorator
