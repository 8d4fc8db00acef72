"""Small helpers the intake web tests share."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from models import db
from tests.conftest import page_text

THAI = re.compile("[\u0e00-\u0e7f]")


def csrf_token(client, path: str = "/complaint") -> str:
    """Open a form page and return the CSRF token it carries."""
    html = page_text(client.get(path))
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def complaint_form(client) -> dict:
    """Open the complaint form and return what it carries: the CSRF token and its one-time number."""
    html = page_text(client.get("/complaint"))
    return {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1),
            "submission": re.search(r'name="submission" value="([^"]+)"', html).group(1)}


def count(model) -> int:
    """Return how many rows a model's table holds (a fresh query, nothing cached)."""
    db.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def heading(response) -> str:
    """Return the page's first-level heading."""
    return re.search(r"<h1>(.*?)</h1>", page_text(response), re.S).group(1).strip()
