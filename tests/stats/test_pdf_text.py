"""Thai PDFs read as typed: every report's extracted text equals its source, and no line or table cell
breaks inside a Thai word (checked against config.thai.thai_words, the segmenter lines break with)."""
from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from config.thai import thai_digits, thai_words
from models import ComplaintStatus as S
from stats.document import Table, build_report
from stats.fiscal import Month, half, month_period, whole_year
from stats.render.memo import render_memo, report_memo
from tests.stats.conftest import bkk

AS_OF = bkk(2025, 4, 1, 0, 0)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _lines(pdf: bytes) -> list[tuple[int, str]]:
    """Return each text run as drawn (a line of a paragraph or of a table cell), with its page number."""
    runs = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        page.extract_text(visitor_text=lambda text, *_: runs.append((number, text)) if text.strip() else None)
    return runs


def _boundaries(text: str) -> set[int]:
    """Return the offsets, in `text` without whitespace, where one word ends and the next begins."""
    offsets, at = {0}, 0
    for word in thai_words(text):
        at += len(_squash(word))
        offsets.add(at)
    return offsets


@pytest.fixture
def dataset(complaints, ratings):
    complaints(bkk(2024, 10, 3, 9), channel="line", status=S.COMPLETED, at=bkk(2024, 10, 20, 9))
    complaints(bkk(2024, 12, 24, 9), category="budget_property")
    complaints(bkk(2025, 2, 2, 9), category="misconduct", status=S.FORWARDED, at=bkk(2025, 2, 9, 9))
    complaints(bkk(2025, 3, 2, 9), category="unfair_service", status=S.NOT_ACCEPTED, at=bkk(2025, 3, 3, 9))
    ratings("TAX", bkk(2024, 10, 1, 10), (5, 4, 3, 4), "อยากให้เพิ่มที่นั่งรอและน้ำดื่มสำหรับผู้สูงอายุที่มาติดต่อ")
    ratings("WATER", bkk(2024, 12, 2, 10), (2, 3, 4, 4))


REPORTS = [("complaints", whole_year(2568), "public", "arabic"), ("complaints", half(2568, 1), "public", "thai"),
           ("complaints", month_period(Month(2025, 3)), "public", "arabic"),
           ("satisfaction", whole_year(2568), "public", "arabic"), ("satisfaction", half(2568, 1), "staff", "thai"),
           ("no_gift", half(2568, 1), "public", "arabic"), ("no_gift", whole_year(2568), "staff", "thai")]


@pytest.mark.parametrize("kind, period, edition, digits", REPORTS, ids=lambda v: getattr(v, "key", v))
def test_extracted_text_equals_the_source_and_breaks_only_between_words(app, dataset, artifacts, kind, period,
                                                                        edition, digits):
    report = build_report(kind, period, AS_OF, edition=edition, digits=digits)
    memo = report_memo(report)
    pdf = render_memo(memo, digits)
    (artifacts / f"{report.filename('pdf')[:-4]}-{digits}.pdf").write_bytes(pdf)
    convert = thai_digits if digits == "thai" else str
    sources = [convert(text) for text in memo.texts()]
    runs = _lines(pdf)
    pages = max(page for page, _ in runs)
    footers = {convert(f"{memo.footer} · หน้า {n}/{pages}") for n in range(1, pages + 1)}
    body = [text for _, text in runs if _squash(text) not in {_squash(f) for f in footers}]
    assert len(runs) - len(body) == pages  # one footer on each page, its numbers in the document's digits

    # Equal, character for character (SARA AM included, nothing invisible added), once whitespace is set aside
    # and the header rows a table repeats at the top of each page it runs onto are counted once.
    extracted = _squash("".join(body))
    for table in (b for b in memo.body if isinstance(b, Table)):
        heading = _squash(convert("".join(table.headers)))
        captioned = _squash(convert(table.caption)) + heading  # a one-column table may be headed by its caption
        first = extracted.find(captioned) + len(captioned)
        extracted = extracted[:first] + extracted[first:].replace(heading, "")
    assert extracted == _squash("".join(sources))
    assert "\u200b" not in "".join(body) and not re.search(r"[\x00-\x08\x0b-\x1f]", "".join(body))
    for phrase in ("ดำเนินการแล้วเสร็จ", "สำนักปลัด", "ส่งต่อหน่วยงานอื่น", "ไม่รับไว้พิจารณา"):
        if kind == "complaints":
            assert phrase in _squash("".join(body)), phrase

    _assert_lines_end_at_word_boundaries(body, sources)
    if digits == "thai":
        assert "2568" not in _squash("".join(body)) and re.search(r"O[0-9]{2}", "".join(body))


def _assert_lines_end_at_word_boundaries(lines: list[str], sources: list[str]) -> None:
    """Assert every drawn line starts and ends where one of the source texts has a word boundary."""
    pieces = [(_squash(s), _boundaries(s)) for s in sources]
    for line in lines:
        run = _squash(line)
        assert any(run == text[k:k + len(run)] and k in cuts and k + len(run) in cuts
                   for text, cuts in pieces for k in _find_all(text, run)), f"line cut inside a word: {line!r}"


def _find_all(text: str, part: str):
    start = text.find(part)
    while start != -1:
        yield start
        start = text.find(part, start + 1)


def test_the_memo_is_dated_when_made_numbered_from_the_profile_and_states_its_as_of(app, dataset):
    from datetime import datetime, timezone

    made = datetime(2025, 6, 2, 3, 0, tzinfo=timezone.utc)
    report = build_report("complaints", month_period(Month(2025, 3)), AS_OF, made_at=made)
    memo = report_memo(report)
    assert memo.date == "2 มิถุนายน 2568" and memo.number.startswith("นม 80701/")
    assert "ข้อมูล ณ วันที่ 1 เมษายน 2568 เวลา 00.00 น." in report.body
    assert report.analysis.startswith("ผลการวิเคราะห์: เรื่องร้องเรียน 1 เรื่อง เท่ากับกุมภาพันธ์ 2568 (1 เรื่อง)")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_poppler_finds_the_words_people_search_for(app, dataset, tmp_path):
    path = tmp_path / "complaints.pdf"
    path.write_bytes(render_memo(report_memo(build_report("complaints", whole_year(2568), AS_OF))))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "ดำเนินการแล้วเสร็จ" in text and "สำนักปลัด" in text and "\u200b" not in text


def test_a_signature_never_stands_alone_on_a_page(app):
    from stats.render.memo import Memo, Signature

    paragraph = "สำนักปลัดได้ตรวจสอบข้อเท็จจริงตามเรื่องร้องเรียนแล้ว และได้แจ้งผลให้ผู้ร้องเรียนทราบภายในกำหนดเวลา"
    for count in range(8, 30, 3):  # the page break falls at every point of the closing in turn
        memo = Memo(unit="สำนักปลัด องค์การบริหารส่วนตำบลสุจริตธรรม", number="นม 80701/12", date="1 เมษายน 2568",
                    subject="รายงานผลการดำเนินการ " * 4, to="นายกองค์การบริหารส่วนตำบลสุจริตธรรม",
                    body=[f"{n}. {paragraph}" for n in range(count)] + ["ย่อหน้าสุดท้ายก่อนคำลงท้าย"],
                    signatures=[Signature("เจ้าหน้าที่ผู้จัดทำรายงาน"), Signature("ปลัด", "ความเห็นของปลัด")])
        runs = _lines(render_memo(memo))
        page_of = {_squash(text): page for page, text in runs}
        signed = page_of[_squash("เจ้าหน้าที่ผู้จัดทำรายงาน")]
        assert page_of[_squash("จึงเรียนมาเพื่อโปรดทราบ")] == signed == page_of[_squash("ย่อหน้าสุดท้ายก่อนคำลงท้าย")], count


def test_chart_labels_wrap_only_between_words():
    from stats.render.chart import wrap_words

    for label in ("ด้านกระบวนการและขั้นตอนการให้บริการที่สำนักปลัดดำเนินการแล้วเสร็จ",
                  "จำนวนเรื่องร้องเรียน(เรื่อง)ที่ส่งต่อหน่วยงานอื่น"):
        lines = wrap_words(label, 10).split("\n")
        assert len(lines) > 2 and "".join(lines) == label
        cuts, at = set(), 0
        for line in lines[:-1]:
            at += len(line)
            cuts.add(at)
        assert cuts <= _boundaries(label)
        assert not any(line.endswith("(") or line.startswith(")") for line in lines)  # "(เรื่อง)" stays whole


LETTER_BODY = ("ตามที่ท่านได้ร้องเรียนกรณีเจ้าหน้าที่สำนักปลัดเรียกรับเงินเพื่อเร่งรัดการออกใบอนุญาตก่อสร้างอาคาร "
               "องค์การบริหารส่วนตำบลได้ดำเนินการตรวจสอบข้อเท็จจริงโดยคณะกรรมการสอบข้อเท็จจริงแล้วเสร็จ"
               "และได้ดำเนินการทางวินัยกับผู้เกี่ยวข้องตามระเบียบกระทรวงมหาดไทยว่าด้วยการบริหารงานบุคคลเรียบร้อยแล้ว\n"
               "หากท่านมีข้อสงสัยเพิ่มเติมโปรดติดต่อสำนักปลัดในวันและเวลาราชการ")


def test_the_reply_letter_reads_as_typed_and_breaks_only_between_words(app, artifacts):
    from datetime import datetime, timezone

    from staff.reply_letter import ReplyLetter, render_letter

    letter = ReplyLetter(number="นม 80701/245", date=datetime(2025, 6, 2, 3, 0, tzinfo=timezone.utc),
                         subject="แจ้งผลการดำเนินการตามเรื่องร้องเรียนการทุจริตและประพฤติมิชอบของเจ้าหน้าที่",
                         to="ผู้ร้องเรียน", reference="เรื่องร้องเรียนเลขรับ ร.1/2568 ลงวันที่ 3 มีนาคม 2568",
                         body=LETTER_BODY)
    pdf = render_letter(letter)
    (artifacts / "reply-letter.pdf").write_bytes(pdf)
    lines = [text for _, text in _lines(pdf)]
    sources = [line.strip() for source in letter.lines() for line in source.splitlines() if line.strip()]
    assert _squash("".join(lines)) == _squash("".join(sources))
    assert len(lines) > len(sources)  # the long paragraphs did wrap
    _assert_lines_end_at_word_boundaries(lines, sources)


def test_the_no_gift_announcement_reads_as_typed_and_breaks_only_between_words(app, artifacts):
    from datetime import date

    from stats.nogift import declaration_draft
    from stats.render.announcement import announced_on_text, render_announcement

    office = app.config["PROFILE"].name
    draft = declaration_draft(2569)
    pdf = render_announcement(office, draft["title"], draft["body"], date(2025, 10, 6), draft["signer_name"],
                              draft["signer_position"])
    (artifacts / "no-gift-announcement.pdf").write_bytes(pdf)
    runs = _lines(pdf)
    pages = max(page for page, _ in runs)
    footers = {_squash(thai_digits(f"ประกาศ{office} เรื่อง {draft['title']} · หน้า {n}/{pages}"))
               for n in range(1, pages + 1)}
    lines = [text for _, text in runs if _squash(text) not in footers]
    assert len(runs) - len(lines) == pages
    sources = [thai_digits(text) for text in (
        f"ประกาศ{office}", f"เรื่อง {draft['title']}", "-" * 30,
        *(p.strip() for p in draft["body"].splitlines() if p.strip()), announced_on_text(date(2025, 10, 6)),
        "(ลงชื่อ) .............................................", f"({draft['signer_name']})",
        draft["signer_position"])]
    assert _squash("".join(lines)) == _squash("".join(sources))
    assert len(lines) > len(sources)
    _assert_lines_end_at_word_boundaries(lines, sources)
