"""Service points: kept in step with the office profile."""
from __future__ import annotations

from sqlalchemy import select

from config import OfficeProfile
from models import ServicePoint, db


def sync_service_points(profile: OfficeProfile) -> int:
    """Create or update the profile's service points (never delete: ratings refer to them); return the count."""
    session = db.session
    existing = {p.code: p for p in session.scalars(select(ServicePoint))}
    for spec in profile.service_points:
        point = existing.get(spec.code) or ServicePoint(code=spec.code)
        point.name, point.division, point.active = spec.name, spec.division, True
        session.add(point)
    session.flush()
    return len(profile.service_points)
