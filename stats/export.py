"""Streaming exports of plain complaint metadata, row by row, so memory stays flat at any size."""
from __future__ import annotations

from typing import Callable, TextIO

from flask import current_app
from sqlalchemy import func, select

from models import CHANNELS, Complaint, ComplaintStatus, db
from stats.buckets import window
from config.thai import thai_date
from stats.fiscal import Period
from stats.history import status_at, status_since
from stats.render.tabular import SafeWriter

HEADERS = ["ลำดับ", "วันที่รับเรื่อง", "ช่องทาง", "ประเภท", "สถานะ ณ วันที่นับ", "วันที่ปิดเรื่อง"]
BATCH = 2000


def count_register(period: Period, as_of) -> int:
    """Return how many complaints the register of a period holds."""
    return db.session.scalar(select(func.count()).select_from(Complaint)
                             .where(window(Complaint.received_at, period.months, as_of)))


def write_register(out: TextIO, period: Period, as_of, progress: Callable[[int], None] = lambda n: None) -> int:
    """Write the complaint register (metadata only, no content) of a period as CSV; return the row count.

    Each row shows the status the complaint had at `as_of` and, when that status closed it, the date it
    closed, replayed from its history: never a status or a date from after `as_of`.
    """
    profile = current_app.config["PROFILE"]
    categories = {c.code: c.name for c in profile.categories}
    statuses = {s.value: s.label for s in ComplaintStatus}
    out.write("\ufeff")
    writer = SafeWriter(out)
    writer.writerow(HEADERS)
    query = (select(Complaint.received_at, Complaint.channel, Complaint.category, status_at(as_of),
                    status_since(as_of))
             .where(window(Complaint.received_at, period.months, as_of))
             .order_by(Complaint.received_at)
             .execution_options(yield_per=BATCH, stream_results=True))
    number = 0
    for partition in db.session.execute(query).partitions():
        rows = []
        for received_at, channel, category, status, since in partition:
            number += 1
            status = str(getattr(status, "value", status))
            closed_at = since if ComplaintStatus(status).is_closed else None
            rows.append((number, thai_date(received_at, with_time=True), CHANNELS.get(channel, channel),
                         categories.get(category, category), statuses.get(status, status),
                         thai_date(closed_at) if closed_at else ""))
        writer.writerows(rows)
        progress(len(rows))
    return number
