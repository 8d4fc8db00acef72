"""/transparency: public, Thai, labelled with indicator codes, with working downloads and the EIT QR code."""
from __future__ import annotations

import io
import json

import pytest
import time_machine
import zxingcpp
from openpyxl import load_workbook
from PIL import Image

from models import ComplaintStatus as S, db
from models.report import ArchivedReport
from stats.archive import make_report
from stats.fiscal import Month, month_period
from tests.stats.conftest import bkk
from tests.conftest import page_text

NOW = bkk(2025, 3, 15, 12)
SECRET_SUGGESTION = "เจ้าหน้าที่คนหนึ่งเรียกเงินพิเศษ"


def test_page_shows_the_year_table_codes_downloads_and_no_suggestions(app, client, complaints, ratings):
    complaints(bkk(2024, 10, 3, 9), channel="line", status=S.COMPLETED, at=bkk(2024, 10, 9, 9))
    complaints(bkk(2025, 2, 3, 9))
    ratings("TAX", bkk(2024, 11, 1, 10), (5, 4, 4, 5), SECRET_SUGGESTION)
    with time_machine.travel(NOW, tick=False):
        html = page_text(client.get("/transparency"))
    # This fiscal year and the one before, side by side, each labelled with the ITA that assesses its data.
    assert 'id="complaints-2568"' in html and 'id="complaints-2567"' in html
    assert 'title="ITA 2569: ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ">O18</span>ปีงบประมาณ พ.ศ. 2568' in html
    assert 'title="ITA 2568: ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ">O19</span>ปีงบประมาณ พ.ศ. 2567' in html
    assert "หลักฐานตัวชี้วัด ITA 2569 ข้อ O18" in html
    # FY 2567's data is assessed twice: by ITA 2567 (its own year) and ITA 2568 (the year before).
    assert "หลักฐานตัวชี้วัด ITA 2567 ข้อ O29" in html and "; ITA 2568 ข้อ O19" in html
    assert "<th scope=\"row\">ก.พ. 68</th><td>1</td><td>0</td><td>0</td><td>0</td><td>1</td><td></td>" in html
    assert "<th scope=\"row\">ม.ค. 68</th><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>ไม่มีเรื่องร้องเรียน</td>" in html
    assert "<th scope=\"row\">เม.ย. 68</th>" not in html  # no month after the as-of date
    assert "/transparency/files/complaints-2567-03.pdf" in html  # last year's files too
    assert "/transparency/files/complaints-2568-03.xlsx" in html
    assert "/transparency/files/complaints-2568-H1.pdf" in html
    assert SECRET_SUGGESTION not in html
    assert "ผู้แจ้งจะมีความปลอดภัย" in html


def test_month_download_holds_exactly_its_month(client, complaints):
    complaints(bkk(2025, 1, 31, 23, 30))
    complaints(bkk(2025, 2, 1, 0, 30))
    with time_machine.travel(NOW, tick=False):
        response = client.get("/transparency/files/complaints-2568-02.xlsx")
    assert response.status_code == 200
    assert 'filename="complaints-2568-02.xlsx"' in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data))["รายเดือน"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=7, max_row=8)] == [
        ["ก.พ. 68", 1, 0, 0, 0, 1, None], ["รวม", 1, 0, 0, 0, 1, None]]


def test_download_prefers_the_archived_version(app, client, complaints):
    with time_machine.travel(bkk(2025, 2, 1, 0, 5), tick=False):
        make_report("complaints", month_period(Month(2025, 1)), bkk(2025, 2, 1, 0, 5), ("json",))
    complaints(bkk(2025, 1, 20, 9))  # filed late in the database; the archived file is the evidence
    with time_machine.travel(NOW, tick=False):
        data = json.loads(client.get("/transparency/files/complaints-2568-01.json").data)
    assert data["total"]["received"] == 0 and data["as_of"] == "2025-02-01T00:05:00+07:00"


def test_future_unknown_and_staff_files_are_not_found(client):
    with time_machine.travel(NOW, tick=False):
        assert client.get("/transparency/files/complaints-2568-05.pdf").status_code == 404
        assert client.get("/transparency/files/complaints-2568-13.pdf").status_code == 404
        assert client.get("/transparency/files/satisfaction-staff-2568-01.pdf").status_code == 404
        assert client.get("/transparency/files/complaints-2568-01.exe").status_code == 404
        assert client.get("/transparency/files/complaints-2566-03.pdf").status_code == 404  # old and not archived
        assert client.get("/transparency/files/complaints-2567-03.csv").status_code == 200  # last fiscal year


def test_eit_qr_code_decodes_to_the_survey_link(app, client):
    image = Image.open(io.BytesIO(client.get("/transparency/eit-qr.png").data))
    (result,) = zxingcpp.read_barcodes(image)
    assert result.text == app.config["PROFILE"].links["eit_survey"]


def test_archive_keeps_every_version_and_refuses_changes(app):
    period = month_period(Month(2025, 1))
    first = make_report("complaints", period, bkk(2025, 2, 1, 0, 5), ("json",))[0]
    second = make_report("complaints", period, bkk(2025, 2, 2, 0, 5), ("json",))[0]
    db.commit()
    assert (first.version, second.version) == (1, 2) and first.sha256 != second.sha256
    first.content = b"{}"
    with pytest.raises(ValueError, match="immutable"):
        db.session.flush()
    db.rollback()
    assert ArchivedReport.latest(db.session, "complaints", "2568-01", "json").id == second.id


def test_a_mid_month_file_says_as_of_when_and_the_final_one_replaces_it(app, client, complaints):
    complaints(bkk(2025, 3, 3, 9))
    with time_machine.travel(NOW, tick=False):
        html = page_text(client.get("/transparency"))
        mid = json.loads(client.get("/transparency/files/complaints-2568-03.json").data)
    assert "มีนาคม 2568 <span class=\"standing\">(ข้อมูล ณ 15 มีนาคม 2568 เวลา 12.00 น.)</span>" in html
    assert "กุมภาพันธ์ 2568 <span class=\"standing\">(ฉบับสิ้นรอบ)</span>" in html
    assert (mid["as_of"], mid["final"]) == ("2025-03-15T12:00:00+07:00", False)
    complaints(bkk(2025, 3, 31, 20))
    # An ad-hoc version made before the month ended is never the month's public file.
    make_report("complaints", month_period(Month(2025, 3)), bkk(2025, 3, 31, 21), ("json",))
    db.commit()
    with time_machine.travel(bkk(2025, 4, 2, 9), tick=False):
        final = json.loads(client.get("/transparency/files/complaints-2568-03.json").data)
        assert (final["as_of"], final["final"], final["total"]["received"]) == ("2025-04-01T00:00:00+07:00", True, 2)
        (archived,) = make_report("complaints", month_period(Month(2025, 3)), bkk(2025, 4, 1), ("json",))
        db.commit()
        served = json.loads(client.get("/transparency/files/complaints-2568-03.json").data)
    assert served["made_at"] == json.loads(archived.read(None))["made_at"]


def test_the_page_is_cached_until_a_report_is_archived(app, client, complaints):
    with time_machine.travel(NOW, tick=False):
        first = page_text(client.get("/transparency"))
        complaints(bkk(2025, 3, 10, 9))
        db.commit()
        assert page_text(client.get("/transparency")) == first  # counted once, served again
        make_report("complaints", month_period(Month(2025, 2)), bkk(2025, 3, 1), ("json",))
        db.commit()
        fresh = page_text(client.get("/transparency"))
    assert fresh != first
    assert "<th scope=\"row\">มี.ค. 68</th><td>1</td>" in fresh and "<th scope=\"row\">มี.ค. 68</th><td>1</td>" not in first
