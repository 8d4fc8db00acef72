"""A report as a document every renderer reads: title, tables, chart, analysis and the JSON contract."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from flask import current_app

from config.profile import ITA_PERIODS, Indicator
from config.thai import thai_date, to_local
from models import CHANNELS, utcnow
from stats.complaints import ComplaintTable, complaint_table
from stats.fiscal import Period, month_period
from stats.numbers import half_up
from stats.satisfaction import BANDS, RATING_CHANNELS, Line, satisfaction_table, suggestions

KINDS = {"complaints": "complaint_statistics", "satisfaction": "satisfaction_report"}
#: The ITA topic each report kind is evidence for (the No Gift report is made by its own clock).
ITA_TOPICS = {**KINDS, "no_gift": "no_gift_report"}
KIND_LABELS = {"complaints": "สถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
               "satisfaction": "ผลการสำรวจความพึงพอใจของผู้รับบริการ",
               "no_gift": "ผลการดำเนินการตามนโยบายไม่รับของขวัญ (No Gift Policy)"}
FORMATS = ("pdf", "xlsx", "csv", "html", "json", "png")
MEDIA_TYPES = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8", "html": "text/html; charset=utf-8",
               "json": "application/json", "png": "image/png", "jpg": "image/jpeg",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
#: What a month with no complaints says, in words (DOMAIN.md: publish that there were none).
NO_COMPLAINTS = "ไม่มีเรื่องร้องเรียน"


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
    ita: list[Indicator]  # the ITA indicators that will assess this period's data
    subject: str
    body: str
    tables: list[Table]
    chart: Chart
    data: dict
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (date, service point, suggestion)
    #: "thai" writes ๐–๙ in the documents people read (PDF, HTML); data files keep Arabic digits.
    digits: str = "arabic"
    made_at: datetime | None = None  # when the document was made; the memo is dated then
    analysis: str = ""  # the short analysis an officer may edit before the report is archived
    remarks: list[str] = field(default_factory=list)  # late data, interpretation bands, ...

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

    @property
    def is_final(self) -> bool:
        """Return True when the report counts its whole period (made as of the period's end or later)."""
        return self.as_of >= self.period.bounds_utc()[1]

    @property
    def ita_text(self) -> str:
        """Return the ITA label of this report's data, e.g. "หลักฐานตัวชี้วัด ITA 2568 ข้อ O19 (...)"."""
        return ita_text(self.ita, self.period.fiscal_year)

    def with_analysis(self, text: str) -> "Report":
        """Replace the analysis paragraph (an officer's edit) in the document and its data."""
        self.analysis = " ".join(text.split())
        self.data["analysis"] = self.analysis
        return self


def ita_text(indicators: list[Indicator], fiscal_year: int) -> str:
    """Return the label naming the ITA year(s) and code(s) that assess one fiscal year's data."""
    if not indicators:
        return f"ข้อมูลปีงบประมาณ พ.ศ. {fiscal_year} (ยังไม่มีตัวชี้วัด ITA ในโปรไฟล์ที่ประเมินข้อมูลปีนี้)"
    return "หลักฐานตัวชี้วัด " + "; ".join(f"{i.label} {i.title} ({ITA_PERIODS[i.period]})" for i in indicators)


def build_report(kind: str, period: Period, as_of: datetime, edition: str = "public",
                 digits: str = "arabic", made_at: datetime | None = None) -> Report:
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
    report.made_at = made_at or utcnow()
    report.data["made_at"] = to_local(report.made_at).isoformat(timespec="seconds")
    report.data["final"] = report.is_final
    return report


def indicators_for(kind: str, period: Period) -> tuple[list[Indicator], list[dict]]:
    """Return the ITA indicators that will assess a report's data, and the same as plain data."""
    indicators = current_app.config["PROFILE"].assessing(ITA_TOPICS[kind], period.fiscal_year)
    return indicators, [{"ita_year": i.ita_year, "code": i.code, "title": i.title, "period": i.period}
                        for i in indicators]


def _header_data(period: Period, as_of: datetime, ita: list[dict]) -> dict:
    return {"fiscal_year": period.fiscal_year, "as_of": to_local(as_of).isoformat(timespec="seconds"),
            "ita": ita, "period": {"key": period.key, "kind": period.kind, "label": period.label}}


COUNTS = ("received", "completed", "forwarded", "not_accepted", "in_progress")
COUNT_HEADERS = ["จำนวนเรื่องร้องเรียนทั้งหมด", "ดำเนินการแล้วเสร็จ", "ส่งต่อหน่วยงานอื่น", "ไม่รับไว้พิจารณา",
                 "อยู่ระหว่างดำเนินการ"]


def _complaints(period: Period, as_of: datetime, edition: str) -> Report:
    profile = current_app.config["PROFILE"]
    table = complaint_table(period, as_of)
    indicators, ita = indicators_for("complaints", period)
    months = [{"month": r.month.iso(), "label": r.month.label_short(), **{c: getattr(r, c) for c in COUNTS},
               "closed": r.closed, "overdue": r.overdue, "by_channel": r.by_channel, "by_category": r.by_category}
              for r in table.months]
    data = dict(_header_data(period, as_of, ita), months=months,
                total={**{c: table.total(c) for c in COUNTS}, "closed": table.closed, "overdue": table.total("overdue")})
    monthly = Table("รายเดือน", f"จำนวนเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ {period.label}",
                    ["เดือน", *COUNT_HEADERS, "หมายเหตุ"],
                    [[m["label"], *(m[c] for c in COUNTS), "" if m["received"] else NO_COMPLAINTS] for m in months],
                    ["รวม", *(table.total(c) for c in COUNTS), "" if table.received else NO_COMPLAINTS])
    channels = list(CHANNELS)
    by_channel = Table("ช่องทาง", "จำแนกตามช่องทางการร้องเรียน รายเดือน", ["เดือน", *CHANNELS.values(), "รวม"],
                       [[m["label"], *(m["by_channel"].get(c, 0) for c in channels), m["received"]] for m in months],
                       ["รวม", *(table.channel_totals().get(c, 0) for c in channels), table.received])
    categories = [c.code for c in profile.categories]
    by_category = Table("ประเภท", "จำแนกตามประเภทเรื่องร้องเรียน รายเดือน",
                        ["เดือน", *(profile.category_name(c) for c in categories), "รวม"],
                        [[m["label"], *(m["by_category"].get(c, 0) for c in categories), m["received"]]
                         for m in months],
                        ["รวม", *(table.category_totals().get(c, 0) for c in categories), table.received])
    chart = Chart("จำนวนเรื่องร้องเรียนรายเดือน", [m["label"] for m in months],
                  {"ดำเนินการแล้วเสร็จ": [m["completed"] for m in months],
                   "ส่งต่อหน่วยงานอื่น": [m["forwarded"] for m in months],
                   "ไม่รับไว้พิจารณา": [m["not_accepted"] for m in months],
                   "อยู่ระหว่างดำเนินการ": [m["in_progress"] for m in months]}, "จำนวน (เรื่อง)", stacked=True)
    subject = f"รายงาน{KIND_LABELS['complaints']} {period.label}"
    # Spaces between phrases, as Thai memos write them; lines otherwise break between words (config.thai).
    counts = (f"มีเรื่องร้องเรียนทั้งหมด {table.received} เรื่อง ดำเนินการแล้วเสร็จ {table.completed} เรื่อง "
              f"ส่งต่อหน่วยงานอื่น {table.total('forwarded')} เรื่อง ไม่รับไว้พิจารณา {table.total('not_accepted')} "
              f"เรื่อง อยู่ระหว่างดำเนินการ {table.in_progress} เรื่อง") if table.received else NO_COMPLAINTS
    body = (f"ตามที่ {profile.name} ได้เปิดช่องทางรับเรื่องร้องเรียนการทุจริต และประพฤติมิชอบของเจ้าหน้าที่ "
            f"นั้น {profile.complaint_unit} ขอรายงานสถิติเรื่องร้องเรียน {period.label} ข้อมูล ณ วันที่ "
            f"{thai_date(as_of, with_time=True)} {counts} รายละเอียดดังนี้")
    report = Report("complaints", edition, period, as_of, indicators, subject, body,
                    [monthly, by_channel, by_category], chart, data)
    return report.with_analysis(complaint_analysis(table, period, as_of))


def complaint_analysis(table: ComplaintTable, period: Period, as_of: datetime) -> str:
    """Write the default analysis: against the previous period, the largest categories, overdue cases."""
    profile = current_app.config["PROFILE"]
    parts = []
    previous = _previous(period)
    if previous is not None:
        before = complaint_table(previous, min(as_of, previous.bounds_utc()[1])).received
        change = table.received - before
        trend = "เท่ากับ" if change == 0 else (f"เพิ่มขึ้น {change} เรื่อง จาก" if change > 0
                                                else f"ลดลง {-change} เรื่อง จาก")
        parts.append(f"เรื่องร้องเรียน {table.received} เรื่อง {trend}{previous.label} ({before} เรื่อง)")
    else:
        parts.append(f"เรื่องร้องเรียน {table.received} เรื่อง")
    ranked = sorted(((n, c) for c, n in table.category_totals().items() if n), reverse=True)[:2]
    if ranked:
        parts.append("ประเภทที่มากที่สุดคือ " + " และ ".join(f"{profile.category_name(c)} {n} เรื่อง"
                                                          for n, c in ranked))
    overdue = table.total("overdue")
    parts.append(f"มีเรื่องที่เกินกำหนด {profile.processing_days} วัน และยังไม่แล้วเสร็จ {overdue} เรื่อง"
                 if overdue else "ไม่มีเรื่องที่เกินกำหนดเวลาดำเนินการ")
    return "ผลการวิเคราะห์: " + " ".join(parts)


def _previous(period: Period) -> Period | None:
    """Return the period just before one of the same kind (the month before a month, and so on)."""
    from stats.fiscal import half, quarter, whole_year

    if period.kind == "month":
        return month_period(period.months[0].previous())
    if period.kind == "quarter":
        return quarter(period.fiscal_year - (period.number == 1), (period.number - 2) % 4 + 1)
    if period.kind == "half":
        return half(period.fiscal_year - (period.number == 1), 2 if period.number == 1 else 1)
    return whole_year(period.fiscal_year - 1)


def _line_json(line: Line) -> dict:
    s = line.scores
    mean = half_up(s.mean)
    return {"key": line.key, "name": line.name, "respondents": line.respondents, "answers": s.n,
            "mean": mean, "sd": half_up(s.sd), "percent": half_up(s.percent), "level": s.level}


def _line_row(item: dict) -> list:
    return [item["name"], item["respondents"], item["mean"], item["sd"], item["percent"], item["level"]]


def _satisfaction(period: Period, as_of: datetime, edition: str) -> Report:
    profile = current_app.config["PROFILE"]
    table = satisfaction_table(period, as_of)
    indicators, ita = indicators_for("satisfaction", period)
    months = [dict(_line_json(line), month=line.key, label=line.name) for line in table.by_month]
    channels = {RATING_CHANNELS.get(c, c): n for c, n in table.by_channel.items()}
    data = dict(_header_data(period, as_of, ita), months=months,
                aspects=[_line_json(x) for x in table.by_aspect],
                service_points=[_line_json(x) for x in table.by_point],
                divisions=[_line_json(x) for x in table.by_division],
                overall=_line_json(table.overall), channels=table.by_channel,
                bands=[{"range": r, "level": name} for r, name in BANDS])
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
        Table("ช่องทาง", "ผู้ตอบแบบสำรวจจำแนกตามช่องทาง", ["ช่องทาง", "ผู้ตอบ (คน)"],
              [[name, n] for name, n in channels.items()], ["รวม", sum(channels.values())]),
        Table("เกณฑ์", "เกณฑ์การแปลผลค่าเฉลี่ย (มาตรวัด 5 ระดับ)", ["ค่าเฉลี่ย", "ระดับความพึงพอใจ"],
              [list(band) for band in BANDS]),
    ]
    chart = Chart("ค่าเฉลี่ยความพึงพอใจรายด้าน", [a["name"].removeprefix("ด้าน").split("/")[0]
                                               for a in data["aspects"]],
                  {"ค่าเฉลี่ย": [float(a["mean"] or 0) for a in data["aspects"]]}, "ค่าเฉลี่ย (เต็ม 5)", y_max=5)
    overall = data["overall"]
    channel_words = " และ ".join(f"{name} {n} คน" for name, n in channels.items())
    body = (f"{profile.name} ได้สำรวจความพึงพอใจของผู้รับบริการ หลังรับบริการ ผ่านช่องทาง"
            f"{' และ '.join(channels)} {period.label} ข้อมูล ณ วันที่ {thai_date(as_of, with_time=True)} "
            f"มีผู้ตอบแบบสำรวจ {overall['respondents']} คน ({channel_words}) รายละเอียดดังนี้")
    report = Report("satisfaction", edition, period, as_of, indicators,
                    f"รายงาน{KIND_LABELS['satisfaction']} {period.label}", body, tables, chart, data)
    if edition == "staff":
        report.notes = [(thai_date(when), point, text) for when, point, text in suggestions(period, as_of)]
        data["suggestions"] = [{"date": d, "service_point": p, "text": t} for d, p, t in report.notes]
    return report.with_analysis(satisfaction_summary(data))


def satisfaction_summary(data: dict) -> str:
    """Write the summary paragraph: the overall level, the highest and lowest aspects."""
    overall = data["overall"]
    if overall["mean"] is None:
        return "สรุปผล: ยังไม่มีผู้ตอบแบบสำรวจในช่วงนี้"
    text = (f"สรุปผล: ความพึงพอใจโดยรวมเฉลี่ย {overall['mean']} คะแนน (ร้อยละ {overall['percent']}) "
            f"อยู่ในระดับ{overall['level']}")
    rated = [a for a in data["aspects"] if a["mean"] is not None]
    if len(rated) > 1:
        high = max(rated, key=lambda a: a["mean"])
        low = min(rated, key=lambda a: a["mean"])
        text += f" ด้านที่ได้คะแนนสูงสุดคือ {high['name']} ({high['mean']}) ต่ำสุดคือ {low['name']} ({low['mean']})"
    return text


def json_ready(value):
    """Return report data with two-decimal numbers as JSON numbers (72.50 is written 72.5)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_ready(v) for v in value]
    return value
