"""`flask stats ...`: the JSON machine contract, files named by period, and the streaming register export."""
from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook

from sqlalchemy import select

from models import ComplaintStatus as S, db
from models.report import ArchivedReport
from tests.stats.conftest import bkk

AS_OF = ["--as-of", "2025-03-15T12:00"]


def _dataset(complaints):
    complaints(bkk(2024, 12, 31, 23, 59), channel="line", status=S.COMPLETED, at=bkk(2025, 1, 2, 9))
    complaints(bkk(2025, 1, 1, 0, 1), category="procurement")
    complaints(bkk(2025, 3, 1, 9), channel="phone", status=S.NOT_ACCEPTED, at=bkk(2025, 3, 2, 9))


def test_json_contract_for_a_quarter(app, complaints):
    _dataset(complaints)
    result = app.test_cli_runner().invoke(args=["stats", "complaints", "--fy", "2568", "--quarter", "2", *AS_OF])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"fiscal_year", "as_of", "ita", "months", "total", "final", "made_at", "analysis"}
    assert data["fiscal_year"] == 2568 and data["as_of"] == "2025-03-15T12:00:00+07:00" and data["final"] is False
    assert [(i["ita_year"], i["code"], i["period"]) for i in data["ita"]] == [(2569, "O18", "previous")]
    assert [(m["month"], m["label"], m["received"], m["completed"], m["not_accepted"], m["in_progress"])
            for m in data["months"]] == [
        ("2025-01", "ม.ค. 68", 1, 0, 0, 1), ("2025-02", "ก.พ. 68", 0, 0, 0, 0), ("2025-03", "มี.ค. 68", 1, 0, 1, 0)]
    assert data["months"][2]["by_channel"]["phone"] == 1
    assert data["total"] == {"received": 2, "completed": 0, "forwarded": 0, "not_accepted": 1, "in_progress": 1,
                             "closed": 1, "overdue": 1}


def test_xlsx_file_is_named_by_its_month_and_archived(app, complaints, tmp_path, monkeypatch):
    _dataset(complaints)
    monkeypatch.chdir(tmp_path)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["stats", "complaints", "--fy", "2568", "--month", "2567-12", "--format", "xlsx",
                                 *AS_OF])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(tmp_path / "complaints-2567-12.xlsx")["รายเดือน"]
    assert [c.value for c in sheet[7]] == ["ธ.ค. 67", 1, 1, 0, 0, 0, None]
    out = tmp_path / "sat.pdf"
    result = runner.invoke(args=["stats", "satisfaction", "--fy", "2568", "--half", "1", "--format", "pdf",
                                 "--out", str(out), *AS_OF])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:5] == b"%PDF-"
    kept = db.session.execute(select(ArchivedReport.kind, ArchivedReport.period, ArchivedReport.fmt)).all()
    assert sorted(kept) == [("complaints", "2567-12", "xlsx"), ("satisfaction", "2568-H1", "pdf")]


def test_bad_options_are_refused_in_thai(app):
    runner = app.test_cli_runner()
    wrong_year = runner.invoke(args=["stats", "complaints", "--fy", "2568", "--month", "2568-11", *AS_OF])
    assert wrong_year.exit_code == 2
    assert "อยู่ในปีงบประมาณ พ.ศ. 2569 ไม่ใช่ 2568: ใช้ --fy 2569 --month 2568-11" in wrong_year.output
    assert "ตั้งแต่ 2567-10 (ต.ค. 67) ถึง 2568-09 (ก.ย. 68)" in wrong_year.output
    future = runner.invoke(args=["stats", "complaints", "--fy", "2568", "--month", "2568-05", *AS_OF])
    assert future.exit_code == 2 and "ยังไม่เริ่ม" in future.output
    both = runner.invoke(args=["stats", "complaints", "--fy", "2568", "--quarter", "1", "--half", "1", *AS_OF])
    assert both.exit_code == 2


def test_register_export_streams_metadata_with_a_progress_bar(app, complaints, tmp_path):
    _dataset(complaints)
    out = tmp_path / "register.csv"
    result = app.test_cli_runner().invoke(args=["stats", "register", "--fy", "2568", "--out", str(out), *AS_OF])
    assert result.exit_code == 0, result.output
    assert "กำลังส่งออก" in result.output and "3 เรื่อง" in result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows == [
        ["ลำดับ", "วันที่รับเรื่อง", "ช่องทาง", "ประเภท", "สถานะ ณ วันที่นับ", "วันที่ปิดเรื่อง"],
        ["1", "31 ธันวาคม 2567 เวลา 23.59 น.", "LINE", "เรียกรับสินบน / เรียกรับผลประโยชน์", "ดำเนินการแล้วเสร็จ",
         "2 มกราคม 2568"],
        ["2", "1 มกราคม 2568 เวลา 00.01 น.", "เว็บไซต์", "การจัดซื้อจัดจ้างไม่โปร่งใส", "รับเรื่องแล้ว", ""],
        ["3", "1 มีนาคม 2568 เวลา 09.00 น.", "โทรศัพท์", "เรียกรับสินบน / เรียกรับผลประโยชน์",
         "ไม่อยู่ในอำนาจหน้าที่/ไม่รับไว้พิจารณา", "2 มีนาคม 2568"],
    ]


def test_a_date_alone_means_the_end_of_that_day_in_bangkok(app, complaints):
    complaints(bkk(2025, 3, 31, 23, 59))
    complaints(bkk(2025, 4, 1, 0, 0, 1))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["stats", "complaints", "--month", "2568-03", "--as-of", "2025-03-31"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == "2025-04-01T00:00:00+07:00" and data["final"] is True
    assert data["fiscal_year"] == 2568 and data["total"]["received"] == 1  # --fy follows the month
    bad = runner.invoke(args=["stats", "complaints", "--as-of", "31/03/2025"])
    assert bad.exit_code == 2 and "ใช้รูป 2025-03-31" in bad.output
