"""Reference numbers (เลขรับ): a running number per fiscal year, written as the office profile says."""
from __future__ import annotations

import re
from datetime import datetime

from flask import current_app

from config.thai import be_year, to_local
from models import Complaint, ReferenceCounter, db

_TYPED = re.compile(r"(\d{1,7})\s*/\s*(\d{4})")


def fiscal_year_be(instant: datetime) -> int:
    """Return the fiscal year (BE) of an instant in the office's time zone (it starts on 1 October)."""
    local = to_local(instant)
    return be_year(local.year + (1 if local.month >= 10 else 0))


def give_reference(complaint: Complaint) -> None:
    """Give a complaint the next reference number of the fiscal year it was received in."""
    year = fiscal_year_be(complaint.received_at)
    complaint.reference_year, complaint.reference_number = year, ReferenceCounter.take(db.session, year)


def reference_text(complaint: Complaint) -> str:
    """Return a complaint's reference as the office writes it (e.g. ร.12/2569), or "" when it has none."""
    if complaint.reference_number is None:
        return ""
    return current_app.config["PROFILE"].reference_format.format(number=complaint.reference_number,
                                                                   year=complaint.reference_year)


def parse_reference(text: str) -> tuple[int, int] | None:
    """Read (fiscal year, number) from what an officer typed: "ร.12/2569", "12/2569"; None otherwise."""
    found = _TYPED.search(text.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")))
    return (int(found.group(2)), int(found.group(1))) if found else None
