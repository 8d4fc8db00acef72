"""The gettext catalogues: every console text has an English translation, the .mo matches the .po, Thai is the default."""
from __future__ import annotations

import re

from babel.messages.mofile import read_mo

from staff.catalogue import catalogue_path, label_texts, read_catalogue, source_catalog
from tests.conftest import page_text


def test_every_console_text_has_an_english_translation():
    english = read_catalogue("en")
    wanted = {message.id for message in source_catalog(console_only=True) if message.id}
    assert len(wanted) > 150  # the extraction finds the console's texts
    assert label_texts() <= wanted  # statuses, roles, channels and menus are in too
    missing = sorted(text for text in wanted if not (english.get(text) and english.get(text).string))
    assert not missing, missing
    assert not [m.id for m in english if m.id and m.fuzzy], "fuzzy entries are not shown; review them"


def test_citizen_pages_are_extracted_too():
    everything = {message.id for message in source_catalog()}
    assert "แจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ" in everything
    assert "ส่งแบบประเมิน" in everything


def test_the_committed_mo_file_is_compiled_from_the_po_file():
    with catalogue_path("en", "mo").open("rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id}
    assert compiled == {m.id: m.string for m in read_catalogue("en") if m.id and m.string}


def test_translations_keep_their_placeholders():
    for message in read_catalogue("en"):
        if message.id:
            assert set(re.findall(r"{(\w+)}", message.id)) == set(re.findall(r"{(\w+)}", message.string)), message.id


def test_console_speaks_thai_by_default_and_english_on_request(app, client):
    assert "เข้าสู่ระบบเจ้าหน้าที่" in page_text(client.get("/staff/login"))
    client.set_cookie("staff_lang", "en", path="/staff")
    page = page_text(client.get("/staff/login"))
    assert "Staff sign-in" in page and "เข้าสู่ระบบเจ้าหน้าที่" not in page
    # The citizen pages stay Thai whatever the console's language.
    assert "แจ้งเรื่องร้องเรียน" in page_text(client.get("/complaint"))
