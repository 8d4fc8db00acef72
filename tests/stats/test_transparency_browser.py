"""/transparency in a real browser on a phone: readable, and a month's file downloads with its name."""
from __future__ import annotations

from datetime import timedelta

import pytest

from models import ComplaintStatus as S, db, utcnow
from config.thai import to_local
from stats.fiscal import Month

pytestmark = pytest.mark.browser


def test_phone_reads_the_page_and_downloads_this_months_xlsx(live_server, complaints, phone, artifacts):
    now = utcnow()
    complaints(now - timedelta(minutes=5), channel="line", status=S.COMPLETED, at=now - timedelta(minutes=1))
    db.commit()  # the live server reads through its own connection
    month = Month.of(to_local(now).date())
    phone.goto(f"{live_server.url}/transparency")
    assert phone.locator("h1").inner_text().startswith("ข้อมูลเปิดเผยต่อสาธารณะ")
    row = phone.locator("#complaints table.stats tbody tr", has_text=month.label_short())
    assert row.locator("td").all_inner_texts() == ["1", "1", "0", "0", "0", ""]
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, "the page scrolls sideways on a phone"
    assert phone.locator("#eit img").evaluate("img => img.naturalWidth") > 0
    phone.screenshot(path=str(artifacts / "transparency-phone.png"), full_page=True)
    with phone.expect_download() as download_info:
        phone.locator(f'a[href$="complaints-{month.be_iso()}.xlsx"]').first.click()
    assert download_info.value.suggested_filename == f"complaints-{month.be_iso()}.xlsx"
