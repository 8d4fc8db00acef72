"""Word marks on pages: the texts every visitor sees are segmented once per process; a visitor's own never kept."""
from __future__ import annotations

from markupsafe import Markup

from config import thai_html
from config.thai_html import thai_wrap
from intake.service_points import sync_service_points
from models import db


def test_public_text_is_kept_and_a_citizens_text_is_not(app, client):
    secret = "นายสมชายเรียกรับเงินค่าใบอนุญาตก่อสร้างสามหมื่นบาทที่หน้าห้องกองช่าง"
    first = thai_wrap(Markup(f"<p>{secret}</p>"))
    assert thai_wrap(Markup(f"<p>{secret}</p>")) == first and "<wbr>" in first
    assert not any("สามหมื่นบาท" in text for text in thai_html._marked_public)

    sync_service_points(app.config["PROFILE"])
    db.commit()
    page = client.get("/r/TAX")
    assert page.status_code == 200
    hours = f"เวลาทำการ {app.config['PROFILE'].hours}"  # a template line around the profile's words
    assert hours in thai_html._marked_public
    assert thai_html._marked_public[hours] == thai_html._marked(hours)
    assert client.get("/r/TAX").data == page.data
