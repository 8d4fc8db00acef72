"""A report as a document every renderer reads: title, tables, chart and the JSON contract."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app

from models import CHANNELS
from stats.complaints import complaint_table
from config.thai import thai_date, to_local
from stats.fiscal import Period
from stats.satisfaction import Line, satisfaction_table, suggestions

KINDS = {"complaints": "complaint_statistics", "satisfaction": "satisfaction_report"}
KIND_LABELS = {"complaints": "สถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
               "satisfaction": "ผลการสำรวจความพึงพอใจของผู้รับบริการ",
               "no_gift": "ผลการดำเนินการตามนโยบายไม่รับของขวัญ (No Gift Policy)"}
FORMATS = ("pdf", "xlsx", "csv", "html", "json", "png")
MEDIA_TYPES = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8", "html": "text/html; charset=utf-8",
               "json": "application/json", "png": "image/png", "jpg": "image/jpeg",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass
class Table:
    """A captioned table: header row, body rows and an optional total row."""

    name: str  # short name, used as the spreadsheet tab
    caption: str
    headers: list[str]
    rows: list[list]
    total: list | None = None


@dataclass
class Chart:
    """A bar chart: category labels and one or more named series (stacked when `stacked`)."""

    title: str
    labels: list[str]
    series: dict[str, list[float]]
    y_label: str
    stacked: bool = False
    y_max: float | None = None


@dataclass
class Report:
    """One report of one kind for one period as of one instant."""

    kind: str
    edition: str  # public, or staff (adds the suggestion texts)
    period: Period
    as_of: datetime
    ita_year: int
    indicator: str
    subject: str
    body: str
    tables: list[Table]
    chart: Chart
    data: dict
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (date, service point, suggestion)
    #: "thai" writes ๐–๙ in the documents people read (PDF, HTML); data files keep Arabic digits.
    digits: str = "arabic"

    @property
    def archive_kind(self) -> str:
        """Return the archive's kind: staff editions are kept apart from the public ones."""
        return self.kind if self.edition == "public" else f"{self.kind}_staff"

    def filename(self, fmt: str) -> str:
        """Return the file name, which carries the period: complaints-2568-03.xlsx."""
        return f"{self.archive_kind.replace('_', '-')}-{self.period.key}.{fmt}"

    @property
    def as_of_text(self) -> str:
        return thai_date(self.as_of, with_time=True)


def build_report(kind: str, period: Period, as_of: datetime, edition: str = "public",
                 digits: str = "arabic") -> Report:
    """Count and lay out a report of `kind` (complaints or satisfaction) for a period."""
    if kind not in KIND_LABELS:
        raise ValueError(f"unknown report kind: {kind}")
    if edition not in ("public", "staff"):
        raise ValueError(f"unknown edition: {edition}")
    if digits not in ("arabic", "thai"):
        raise ValueError(f"unknown digits: {digits}")
    if kind == "no_gift":
        from stats.nogift import build_no_gift  # it builds on this module's Report

        report = build_no_gift(period, as_of, edition)
    else:
        report = (_complaints if kind == "complaints" else _satisfaction)(period, as_of, edition)
    report.digits = digits
    return report


def _indicator(kind: str) -> tuple[int, str]:
    profile = current_app.config["PROFILE"]
    return profile.ita_year, profile.indicator(KINDS[kind])


def _complaints(period: Period, as_of: datetime, edition: str) -> Report:
    profile = current_app.config["PROFILE"]
    table = complaint_table(period, as_of)
    ita_year, code = _indicator("complaints")
    months = [{"month": r.month.iso(), "label": r.month.label_short(), "received": r.received,
               "completed": r.completed, "in_progress": r.in_progress, "by_channel": r.by_channel,
               "by_category": r.by_category} for r in table.months]
    data = {"fiscal_year": period.fiscal_year, "as_of": to_local(as_of).isoformat(timespec="seconds"),
            "indicator": {"ita_year": ita_year, "code": code},
            "period": {"key": period.key, "kind": period.kind, "label": period.label},
            "months": months,
            "total": {"received": table.received, "completed": table.completed, "in_progress": table.in_progress}}
    monthly = Table("รายเดือน", f"จำนวนเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ {period.label}",
                    ["เดือน", "จำนวนเรื่องร้องเรียนทั้งหมด", "ดำเนินการแล้วเสร็จ", "อยู่ระหว่างดำเนินการ"],
                    [[m["label"], m["received"], m["completed"], m["in_progress"]] for m in months],
                    ["รวม", table.received, table.completed, table.in_progress])
    channels = table.channel_totals()
    by_channel = Table("ช่องทาง", "จำแนกตามช่องทางการร้องเรียน", ["ช่องทาง", "จำนวน (เรื่อง)"],
                       [[CHANNELS.get(c, c), n] for c, n in channels.items()], ["รวม", table.received])
    categories = table.category_totals()
    by_category = Table("ประเภท", "จำแนกตามประเภทเรื่องร้องเรียน", ["ประเภท", "จำนวน (เรื่อง)"],
                        [[profile.category_name(c), n] for c, n in categories.items()], ["รวม", table.received])
    chart = Chart("จำนวนเรื่องร้องเรียนรายเดือน", [m["label"] for m in months],
                  {"ดำเนินการแล้วเสร็จ": [m["completed"] for m in months],
                   "อยู่ระหว่างดำเนินการ": [m["in_progress"] for m in months]}, "จำนวน (เรื่อง)", stacked=True)
    subject = f"รายงาน{KIND_LABELS['complaints']} {period.label}"
    # Spaces between phrases, as Thai memos write them, are where lines may break.
    body = (f"ตามที่ {profile.name} ได้เปิดช่องทางรับเรื่องร้องเรียนการทุจริต และประพฤติมิชอบของเจ้าหน้าที่ "
            f"นั้น {profile.complaint_unit} ขอรายงานสถิติเรื่องร้องเรียน {period.label} ข้อมูล ณ วันที่ "
            f"{thai_date(as_of, with_time=True)} มีเรื่องร้องเรียนทั้งหมด {table.received} เรื่อง "
            f"ดำเนินการแล้วเสร็จ {table.completed} เรื่อง อยู่ระหว่างดำเนินการ {table.in_progress} เรื่อง "
            f"รายละเอียดดังนี้")
    return Report("complaints", edition, period, as_of, ita_year, code, subject, body,
                  [monthly, by_channel, by_category], chart, data)


def _line_json(line: Line) -> dict:
    s = line.scores
    return {"key": line.key, "name": line.name, "respondents": line.respondents, "answers": s.n,
            "mean": _r(s.mean), "sd": _r(s.sd), "percent": _r(s.percent), "level": s.level}


def _line_row(item: dict) -> list:
    return [item["name"], item["respondents"], item["mean"], item["sd"], item["percent"], item["level"]]


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _satisfaction(period: Period, as_of: datetime, edition: str) -> Report:
    profile = current_app.config["PROFILE"]
    table = satisfaction_table(period, as_of)
    ita_year, code = _indicator("satisfaction")
    months = [dict(_line_json(line), month=line.key, label=line.name) for line in table.by_month]
    data = {"fiscal_year": period.fiscal_year, "as_of": to_local(as_of).isoformat(timespec="seconds"),
            "indicator": {"ita_year": ita_year, "code": code},
            "period": {"key": period.key, "kind": period.kind, "label": period.label},
            "months": months,
            "aspects": [_line_json(x) for x in table.by_aspect],
            "service_points": [_line_json(x) for x in table.by_point],
            "divisions": [_line_json(x) for x in table.by_division],
            "overall": _line_json(table.overall)}
    headers = ["ผู้ตอบ (คน)", "ค่าเฉลี่ย", "S.D.", "ร้อยละ", "ระดับความพึงพอใจ"]
    total = _line_row(data["overall"])
    tables = [
        Table("รายเดือน", f"ความพึงพอใจรายเดือน {period.label}", ["เดือน", *headers],
              [_line_row(m) for m in months], total),
        Table("รายด้าน", "ความพึงพอใจรายด้าน", ["ด้าน", *headers], [_line_row(a) for a in data["aspects"]], total),
        Table("จุดบริการ", "ความพึงพอใจจำแนกตามจุดบริการ", ["จุดบริการ", *headers],
              [_line_row(p) for p in data["service_points"]], total),
        Table("ส่วนราชการ", "ความพึงพอใจจำแนกตามส่วนราชการ", ["ส่วนราชการ", *headers],
              [_line_row(d) for d in data["divisions"]], total),
    ]
    chart = Chart("ค่าเฉลี่ยความพึงพอใจรายด้าน", [a["name"].removeprefix("ด้าน").split("/")[0]
                                               for a in data["aspects"]],
                  {"ค่าเฉลี่ย": [a["mean"] or 0 for a in data["aspects"]]}, "ค่าเฉลี่ย (เต็ม 5)", y_max=5)
    overall = data["overall"]
    body = (f"{profile.name} ได้สำรวจความพึงพอใจของผู้รับบริการ ณ จุดบริการ ด้วยการสแกนคิวอาร์โค้ด หลังรับบริการ "
            f"{period.label} ข้อมูล ณ วันที่ {thai_date(as_of, with_time=True)} มีผู้ตอบแบบสำรวจ "
            f"{overall['respondents']} คน ")
    if overall["mean"] is not None:
        body += (f"ความพึงพอใจโดยรวมเฉลี่ย {overall['mean']:.2f} คะแนน (ร้อยละ {overall['percent']:.2f}) "
                 f"อยู่ในระดับ{overall['level']} ")
    body += "รายละเอียดดังนี้"
    notes = []
    if edition == "staff":
        notes = [(thai_date(when), point, text) for when, point, text in suggestions(period, as_of)]
        data["suggestions"] = [{"date": d, "service_point": p, "text": t} for d, p, t in notes]
    subject = f"รายงาน{KIND_LABELS['satisfaction']} {period.label}"
    return Report("satisfaction", edition, period, as_of, ita_year, code, subject, body, tables, chart, data, notes)
