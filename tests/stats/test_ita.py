"""The ITA framework of each year as profile data: every file is labelled with the ITA that assesses its data."""
from __future__ import annotations

import io
import json
import re

import pytest
from pypdf import PdfReader

from app import create_app
from config.profile import load_profile
from config.settings import DEFAULT_PROFILE, ConfigError
from stats.document import build_report
from stats.fiscal import Month, month_period, whole_year
from stats.render import render
from tests.stats.conftest import bkk
from tests.conftest import page_text, unmarked

# (ITA year, the fiscal year whose complaint statistics it assesses, its code) as shipped.
COMPLAINT_FRAMEWORKS = [(2564, 2564, "O31"), (2566, 2566, "O29"), (2567, 2567, "O29"), (2568, 2567, "O19"),
                        (2569, 2568, "O18"), (2570, 2569, "O18")]


@pytest.mark.parametrize("ita_year, fiscal_year, code", COMPLAINT_FRAMEWORKS)
def test_each_ita_year_labels_the_files_of_the_fiscal_year_it_assesses(app, ita_year, fiscal_year, code):
    march = month_period(Month(fiscal_year - 543, 3))
    report = build_report("complaints", march, march.bounds_utc()[1])
    assert (ita_year, code) in [(i["ita_year"], i["code"]) for i in json.loads(render(report, "json"))["ita"]]
    label = f"ITA {ita_year} ข้อ {code}"
    assert label in render(report, "csv").decode("utf-8-sig").splitlines()[3]
    assert label in unmarked(render(report, "html").decode())
    pdf_text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(render(report, "pdf"))).pages))
    assert re.sub(r"\s+", "", label) in pdf_text
    # And never the code of an ITA year that does not assess this fiscal year.
    others = {(y, c) for y, f, c in COMPLAINT_FRAMEWORKS if f != fiscal_year}
    assert not others & {(i["ita_year"], i["code"]) for i in report.data["ita"]}


# (report kind, ITA year, the fiscal year whose data it assesses, its code) as shipped, for the other yearly files.
YEARLY_FRAMEWORKS = [("satisfaction", 2564, 2563, "O16"), ("satisfaction", 2566, 2565, "O17"),
                     ("satisfaction", 2567, 2566, "O17"), ("satisfaction", 2568, 2567, "O11"),
                     ("satisfaction", 2569, 2568, "O10"), ("satisfaction", 2570, 2569, "O10"),
                     ("no_gift", 2566, 2566, "O33"), ("no_gift", 2567, 2567, "O33"), ("no_gift", 2568, 2567, "O22"),
                     ("no_gift", 2569, 2568, "O20"), ("no_gift", 2570, 2569, "O20")]


@pytest.mark.parametrize("kind, ita_year, fiscal_year, code", YEARLY_FRAMEWORKS)
def test_satisfaction_and_no_gift_files_carry_the_labels_of_the_year_that_assesses_them(app, kind, ita_year,
                                                                                       fiscal_year, code):
    year = whole_year(fiscal_year)
    report = build_report(kind, year, year.bounds_utc()[1])
    labels = {(i["ita_year"], i["code"]) for i in json.loads(render(report, "json"))["ita"]}
    assert (ita_year, code) in labels
    assessing = {(y, c) for k, y, f, c in YEARLY_FRAMEWORKS if k == kind and f == fiscal_year}
    assert labels == assessing  # and no label of an ITA year that assesses another fiscal year
    label = f"ITA {ita_year} ข้อ {code}"
    assert label in render(report, "csv").decode("utf-8-sig")
    assert label in unmarked(render(report, "html").decode())
    pdf_text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(render(report, "pdf"))).pages))
    assert re.sub(r"\s+", "", label) in pdf_text


def test_every_shipped_year_is_a_default_to_check(app):
    profile = app.config["PROFILE"]
    assert sorted(profile.ita) == [2564, 2566, 2567, 2568, 2569, 2570]
    assert not any(f.checked for f in profile.ita.values())
    assert profile.ita[2568].indicators["no_gift_report"].code == "O22"
    assert profile.ita[2569].indicators["no_gift_declaration"].code == "O20"
    assert profile.ita[2566].indicators["complaint_statistics"].period == "current_first_half"


def _profile_text(ita_2569: str) -> str:
    """Return the demo profile with its ITA 2569 table replaced."""
    text = DEFAULT_PROFILE.read_text(encoding="utf-8")
    start = text.index("[ita.frameworks.2569]")
    end = text.index("[ita.frameworks.2570]")
    return text[:start] + ita_2569 + "\n" + text[end:]


def test_an_office_corrects_a_year_and_its_files_follow(settings, tmp_path):
    path = tmp_path / "office.toml"
    path.write_text(_profile_text('''
[ita.frameworks.2569]
checked = true
complaint_statistics = { code = "O17", title = "สถิติเรื่องร้องเรียน (ตามคู่มือ ITA 2569 ที่ตรวจแล้ว)", period = "current_first_half" }
'''), encoding="utf-8")
    app = create_app(settings.with_overrides(office_profile=path))
    with app.app_context():
        assert app.config["PROFILE"].ita[2569].checked
        march_2569 = month_period(Month(2026, 3))
        report = build_report("complaints", march_2569, bkk(2026, 4, 1))
        assert [(i.ita_year, i.code) for i in report.ita] == [(2569, "O17"), (2570, "O18")]
        fy_2568 = build_report("complaints", month_period(Month(2025, 3)), bkk(2025, 4, 1))
        assert [(i.ita_year, i.code) for i in fy_2568.ita] == []
        assert "ยังไม่มีตัวชี้วัด ITA ในโปรไฟล์ที่ประเมินข้อมูลปีนี้" in fy_2568.ita_text


@pytest.mark.parametrize("table, message", [
    ('complaint_statistics = { code = "29", title = "x", period = "previous" }', "is not an indicator code"),
    ('complaint_statistics = { code = "O29", title = "", period = "previous" }', "title is missing"),
    ('complaint_statistics = { code = "O29", title = "x", period = "last year" }', "period must be one of"),
    ('complaint_statistics = "O29"', "needs code, title and period"),
])
def test_the_loader_refuses_a_broken_ita_table(tmp_path, table, message):
    path = tmp_path / "office.toml"
    path.write_text(_profile_text(f"[ita.frameworks.2569]\n{table}\n"), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_profile(path)


def test_an_admin_corrects_an_ita_table_in_the_console_and_the_labels_follow(app, client):
    from sqlalchemy import select

    from models import AuditEntry, db
    from tests.staff.test_office_profile import _admin, _form

    admin = _admin(client)
    fields = _form(client)
    code = 'v:["ita", "frameworks", "2569", "complaint_statistics", "code"]'
    period = 'v:["ita", "frameworks", "2569", "complaint_statistics", "period"]'
    assert fields[code] == "O18" and fields[period] == "previous"
    refused = client.post("/staff/office/", data={**fields, period: "last year"})
    assert refused.status_code == 400 and "period must be one of" in page_text(refused)
    saved = client.post("/staff/office/", data={**fields, code: "O17", "note": "ตรวจกับคู่มือ ITA 2569 แล้ว"})
    assert saved.status_code == 302, page_text(saved)
    with app.app_context():  # a request of any process picks the new version up
        client.get("/staff/office/")
        report = build_report("complaints", month_period(Month(2025, 3)), bkk(2025, 4, 1))
        assert [(i.ita_year, i.code) for i in report.ita] == [(2569, "O17")]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "profile.edit"))
    assert (entry.staff_id, entry.detail) == (admin.user.id, "ita")
