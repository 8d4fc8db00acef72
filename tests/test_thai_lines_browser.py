"""Thai lines in a real browser on a narrow phone: every line that wraps inside Thai text wraps where the
segmenter (config.thai.thai_words) puts a word boundary, on the citizen pages, /transparency, a report file
and the staff console; measured per character with DOM Range client rects."""
from __future__ import annotations

import re

import pyotp
import pytest

from config.thai import thai_words
from intake.service_points import sync_service_points
from models import db
from models.staff import RecoveryKey
from tests.staff.conftest import PASSWORD, file_sample, make_account

pytestmark = pytest.mark.browser

NARROW = 320
#: Per block box (the nearest ancestor that is not inline), its text and the offsets where a new line begins.
MEASURE_LINES = r"""() => {
  const blockOf = (el) => {
    while (el && el !== document.body && ["inline", "contents"].includes(getComputedStyle(el).display)) {
      el = el.parentElement;
    }
    return el || document.body;
  };
  const blocks = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, select, textarea") || !parent.getClientRects().length) continue;
    const block = blockOf(parent);
    if (!blocks.has(block)) blocks.set(block, {text: "", breaks: [], top: null, height: 0});
    const entry = blocks.get(block);
    for (let i = 0; i < node.data.length; i++) {
      const ch = node.data[i];
      // Marks sit on their base letter and spaces may hang past the edge: only base letters say where a line is.
      if (!/[\s\p{M}]/u.test(ch)) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (rect) {
          if (entry.top !== null && rect.top > entry.top + entry.height / 2) entry.breaks.push(entry.text.length);
          entry.top = rect.top;
          entry.height = rect.height;
        }
      }
      entry.text += ch;
    }
  }
  return [...blocks.values()].map(({text, breaks}) => ({text, breaks}));
}"""
_THAI = re.compile("[\u0e01-\u0e5b]")


def _word_boundaries(text: str) -> set[int]:
    offsets, at = {0}, 0
    for word in thai_words(text):
        at += len(word)
        offsets.add(at)
    return offsets


def assert_thai_breaks_between_words(page, name: str) -> int:
    """Assert each line break between two Thai letters falls on a word boundary; return how many were checked."""
    checked, cut = 0, []
    for block in page.evaluate(MEASURE_LINES):
        text, cuts = block["text"], None
        for at in block["breaks"]:
            before = text[:at].rstrip()
            if len(before) < at or not before or not (_THAI.match(before[-1]) and _THAI.match(text[at])):
                continue  # a break at a space, or beside a letter that is not Thai
            cuts = cuts if cuts is not None else _word_boundaries(text)
            checked += 1
            if at not in cuts:
                cut.append(f"{text[max(0, at - 12):at]}|{text[at:at + 12]}")
    assert not cut, f"{name}: lines break inside Thai words: {cut}"
    return checked


@pytest.fixture
def narrow(chromium):
    """Return a Thai browser page as narrow as a small phone."""
    context = chromium.new_context(viewport={"width": NARROW, "height": 640}, locale="th-TH", is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


def test_thai_lines_break_only_between_words_on_every_surface(live_server, narrow, artifacts):
    app = live_server.app
    with app.app_context():
        sync_service_points(app.config["PROFILE"])
        account = make_account("somsri", "officer")
        RecoveryKey.create(db.session)
        db.commit()
        file_sample("web")
        file_sample("line", category="procurement")

    page, url, total = narrow, live_server.url, 0
    for path in ("/", "/complaint", "/feedback", "/track", "/r/TAX", "/transparency"):
        page.goto(url + path)
        total += assert_thai_breaks_between_words(page, path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways at {NARROW} px: a word kept whole is wider than the page"
    page.screenshot(path=str(artifacts / "transparency-320px.png"), full_page=True)
    page.goto(url + page.locator('a[href$=".html"]').first.get_attribute("href"))  # a report as the file people keep
    total += assert_thai_breaks_between_words(page, "report file (HTML)")

    page.goto(f"{url}/staff/login")
    page.get_by_label("ชื่อผู้ใช้").fill("somsri")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.get_by_label("รหัสยืนยัน").fill(pyotp.TOTP(account.totp_secret).now())
    page.get_by_role("button", name="ยืนยัน").click()
    page.wait_for_url("**/staff/**")
    for path in ("/staff/cases/", "/staff/cases/new", "/staff/reports/", "/staff/dashboard"):
        page.goto(url + path)
        total += assert_thai_breaks_between_words(page, path)
    page.goto(f"{url}/staff/cases/")
    page.goto(url + page.get_by_role("link", name="เปิดดู").first.get_attribute("href"))
    total += assert_thai_breaks_between_words(page, "a case")
    page.screenshot(path=str(artifacts / "staff-case-320px.png"), full_page=True)
    assert total > 100  # the narrow pages did wrap Thai text, many times over
