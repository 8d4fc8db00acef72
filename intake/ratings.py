"""Recording satisfaction ratings: scores are plain, the suggestion is encrypted, no identity is kept."""
from __future__ import annotations

import uuid
from datetime import datetime

from flask import current_app, g, has_request_context
from sqlalchemy import insert, select

from intake.errors import IntakeError
from models import Rating, RatingAnswer, ServicePoint, db, server_keys, utcnow

SUGGESTION_LIMIT = 2000


def find_service_point(code: str) -> ServicePoint | None:
    """Return the active service point with this code, or None."""
    query = select(ServicePoint).where(ServicePoint.code == code, ServicePoint.active.is_(True))
    if not has_request_context():  # a long-lived worker must see a point switched off at once
        return db.session.scalar(query)
    # A rating request looks its point up twice (the page, then record_rating): ask the database once.
    found = g.setdefault("service_points", {})
    if code not in found:
        found[code] = db.session.scalar(query)
    return found[code]


def active_service_points() -> list[ServicePoint]:
    """Return the active service points in the profile's order."""
    order = {p.code: i for i, p in enumerate(current_app.config["PROFILE"].service_points)}
    points = db.session.scalars(select(ServicePoint).where(ServicePoint.active.is_(True))).all()
    return sorted(points, key=lambda p: (order.get(p.code, len(order)), p.code))


def record_rating(point_code: str, scores: dict[str, int | str], suggestion: str = "", *, channel: str,
                  now: datetime | None = None, respondent: dict[str, str | None] | None = None) -> Rating:
    """Validate and store one rating of one service point; raise IntakeError with Thai messages."""
    profile = current_app.config["PROFILE"]
    point = find_service_point(point_code)
    errors: dict[str, str] = {}
    if point is None:
        errors["point"] = "ไม่พบจุดบริการนี้ กรุณาสแกนคิวอาร์โค้ดที่จุดบริการอีกครั้ง"
    clean: dict[str, int] = {}
    for aspect in profile.aspects:
        try:
            score = int(scores.get(aspect.code, 0))
        except (TypeError, ValueError):
            score = 0
        if not 1 <= score <= 5:
            errors[aspect.code] = f"กรุณาให้คะแนน{aspect.name} (1 ถึง 5)"
        clean[aspect.code] = score
    suggestion = (suggestion or "").strip()
    if len(suggestion) > SUGGESTION_LIMIT:
        errors["suggestion"] = f"ข้อเสนอแนะยาวเกินไป (ไม่เกิน {SUGGESTION_LIMIT:,} ตัวอักษร)"
    if errors:
        raise IntakeError(errors)
    rating = Rating(id=uuid.uuid4(), service_point_id=point.id, created_at=now or utcnow(), channel=channel,
                    **{f"respondent_{field}": code for field, code in (respondent or {}).items()})
    rating.set_suggestion(server_keys().keyring, suggestion)
    answers = [{"rating_id": rating.id, "aspect": code, "score": score, "service_point_id": point.id,
                "created_at": rating.created_at} for code, score in clean.items()]
    # Two Core inserts in the request's transaction, built once: the ORM's unit of work was the costliest
    # step of a rating (bench/intake.py). The returned rating is the caller's record of what was stored.
    db.session.execute(_RATINGS, {column.key: getattr(rating, column.key) for column in Rating.__table__.columns})
    db.session.execute(_ANSWERS, answers)
    rating.answers = [RatingAnswer(**answer) for answer in answers]
    return rating


_RATINGS, _ANSWERS = insert(Rating.__table__), insert(RatingAnswer.__table__)
