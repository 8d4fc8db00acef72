"""Reading the audit log: filter by who, what, which record and when."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from models import AuditEntry, StaffUser, db
from config.thai import parse_be_date
from stats.fiscal import local_midnight_utc

PAGE_SIZE = 100
#: No log holds more pages than this; a larger number is a bad link, not a query to run.
MAX_PAGE = 100_000


@dataclass(frozen=True)
class AuditFilters:
    """What the audit log is narrowed to."""

    staff_id: int | None = None
    action: str = ""
    target_id: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "AuditFilters":
        """Read filters from query arguments, dropping what does not parse; raise ValueError on a page past the end."""
        def day(name):
            return parse_be_date(args.get(name, ""))
        staff, page = args.get("staff", ""), args.get("page", "")
        if page.isdecimal() and (len(page) > 9 or int(page) > MAX_PAGE):
            raise ValueError("page number past any log")
        page = max(1, int(page)) if page.isdecimal() else 1
        return cls(staff_id=int(staff) if staff.isdecimal() and len(staff) <= 9 else None,
                   action=args.get("action", "")[:64], target_id=args.get("target", "").strip()[:64],
                   since=day("since"), until=day("until"), page=page)


def search(filters: AuditFilters) -> tuple[list[AuditEntry], bool]:
    """Return one page of matching entries, newest first, and whether there is another page."""
    query = select(AuditEntry)
    if filters.staff_id:
        query = query.where(AuditEntry.staff_id == filters.staff_id)
    if filters.action:
        query = query.where(AuditEntry.action.startswith(filters.action))
    if filters.target_id:
        query = query.where(AuditEntry.target_id == filters.target_id)
    if filters.since:
        query = query.where(AuditEntry.at >= local_midnight_utc(filters.since))
    if filters.until:
        query = query.where(AuditEntry.at < local_midnight_utc(filters.until + timedelta(days=1)))
    rows = db.session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                              .offset((filters.page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    return list(rows[:PAGE_SIZE]), len(rows) > PAGE_SIZE


def actions() -> list[str]:
    """Return the actions the log holds, for the filter menu."""
    return list(db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def staff_names() -> dict[int, str]:
    """Return every staff member's display name by id."""
    return dict(db.session.execute(select(StaffUser.id, StaffUser.display_name)).all())
