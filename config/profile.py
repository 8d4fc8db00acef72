"""The office profile: who the office is and what it asks citizens, loaded from a TOML file."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from config.settings import ConfigError


@dataclass(frozen=True)
class Named:
    """A coded item with a Thai name (division, complaint category)."""

    code: str
    name: str
    short: str = ""  #: a short label for buttons (LINE shows 20 to 40 characters); the name when empty

    @property
    def label(self) -> str:
        """Return the short label, or the name."""
        return self.short or self.name


@dataclass(frozen=True)
class ServicePointSpec:
    """A service counter as the profile declares it."""

    code: str
    name: str
    division: str
    short: str = ""  #: a short label for buttons; the name when empty


@dataclass(frozen=True)
class Aspect:
    """One aspect of the satisfaction survey, answered on the 5-level scale."""

    code: str
    name: str
    question: str


#: What data period an ITA indicator asks for, in words (the demo profile's [ita] comment explains each).
ITA_PERIODS = {"current": "ข้อมูลของปีงบประมาณที่ประเมิน",
               "current_first_half": "ข้อมูลอย่างน้อย 6 เดือนแรกของปีงบประมาณที่ประเมิน",
               "previous": "ข้อมูลของปีงบประมาณก่อนปีที่ประเมิน"}
_CODE = re.compile(r"^[A-Z]{1,3}\d{1,3}$")


@dataclass(frozen=True)
class Indicator:
    """One indicator of one ITA year: its code, Thai title, and which fiscal year's data it assesses."""

    ita_year: int
    topic: str
    code: str
    title: str
    period: str  # a key of ITA_PERIODS

    @property
    def fiscal_year(self) -> int:
        """Return the fiscal year (BE) whose data this indicator assesses."""
        return self.ita_year - 1 if self.period == "previous" else self.ita_year

    @property
    def label(self) -> str:
        """Return "ITA 2568 ข้อ O19" as reports print it."""
        return f"ITA {self.ita_year} ข้อ {self.code}"


@dataclass(frozen=True)
class ItaFramework:
    """The indicators of one ITA year, and whether an admin has checked them against that year's manual."""

    year: int
    checked: bool
    indicators: dict[str, Indicator]


@dataclass(frozen=True)
class Festival:
    """A festival before which staff are reminded of the No Gift Policy."""

    name: str
    month: int
    day: int
    days_before: int


@dataclass(frozen=True)
class OfficeProfile:
    """The whole office profile."""

    name: str
    short_name: str
    address: str
    phone: str
    email: str
    hours: str
    website: str
    executive_title: str
    executive_name: str
    complaint_unit: str
    book_number: str  # the office's document-number prefix for "ที่" (e.g. "นม 80701")
    processing_days: int
    reference_format: str
    categories: tuple[Named, ...]
    divisions: tuple[Named, ...]
    service_points: tuple[ServicePointSpec, ...]
    scale: tuple[str, ...]
    aspects: tuple[Aspect, ...]
    links: dict[str, str]
    staff_group_id: str
    add_friend_url: str
    gift_threshold_baht: int
    ita: dict[int, ItaFramework]
    festivals: tuple[Festival, ...] = ()

    def category_name(self, code: str) -> str:
        """Return the Thai name of a complaint category code."""
        return {c.code: c.name for c in self.categories}.get(code, code)

    def point_label(self, code: str, name: str) -> str:
        """Return the short button label of a service point, or its name."""
        return next((p.short for p in self.service_points if p.code == code and p.short), name)

    def division_name(self, code: str) -> str:
        """Return the Thai name of a division code."""
        return {d.code: d.name for d in self.divisions}.get(code, code)

    def assessing(self, topic: str, fiscal_year: int) -> list[Indicator]:
        """Return the indicators, oldest ITA year first, that will assess a fiscal year's data on a topic."""
        found = [f.indicators[topic] for _, f in sorted(self.ita.items()) if topic in f.indicators]
        return [i for i in found if i.fiscal_year == fiscal_year]


def _festivals(gifts: dict) -> tuple[Festival, ...]:
    days = int(gifts.get("reminder_days_before", 7))
    festivals = []
    for entry in gifts.get("festivals", []):
        month, _, day = str(entry.get("date", "")).partition("-")
        if not (month.isdigit() and day.isdigit() and 1 <= int(month) <= 12 and 1 <= int(day) <= 31):
            raise ConfigError(f"office profile: gifts.festivals date of '{entry.get('name', '')}' must be MM-DD")
        festivals.append(Festival(entry.get("name", ""), int(month), int(day), days))
    return tuple(festivals)


def _require(table: dict, key: str, where: str):
    if key not in table:
        raise ConfigError(f"office profile: '{where}.{key}' is missing")
    return table[key]


def _reference_format(text: str) -> str:
    """Check a reference-number format names {number} and {year} and nothing else."""
    try:
        if "{number}" not in text or text.format(number=1, year=2569) == text:
            raise KeyError
    except (KeyError, IndexError, ValueError):
        raise ConfigError("office profile: complaints.reference_format needs {number} and {year}, "
                          "e.g. \"ร.{number}/{year}\"") from None
    return text


def load_ita(ita: dict) -> dict[int, ItaFramework]:
    """Validate the profile's ITA tables ([ita.frameworks.<year>]), one per ITA year."""
    frameworks = {}
    for year_text, table in ita.get("frameworks", {}).items():
        if not str(year_text).isdigit() or not 2550 <= int(year_text) <= 2700:
            raise ConfigError(f"office profile: ita.frameworks.{year_text}: an ITA year is a Buddhist-Era year")
        year = int(year_text)
        indicators = {}
        for topic, entry in table.items():
            if topic == "checked":
                continue
            where = f"ita.frameworks.{year}.{topic}"
            if not isinstance(entry, dict):
                raise ConfigError(f"office profile: {where} needs code, title and period")
            code, title, period = (str(entry.get(k, "")).strip() for k in ("code", "title", "period"))
            if not _CODE.match(code):
                raise ConfigError(f"office profile: {where}.code '{code}' is not an indicator code such as O29")
            if not title:
                raise ConfigError(f"office profile: {where}.title is missing")
            if period not in ITA_PERIODS:
                raise ConfigError(f"office profile: {where}.period must be one of {', '.join(ITA_PERIODS)}")
            indicators[topic] = Indicator(year, topic, code, title, period)
        frameworks[year] = ItaFramework(year, bool(table.get("checked", False)), indicators)
    return frameworks


def load_profile(path: Path) -> OfficeProfile:
    """Read and validate an office profile TOML file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"office profile not found: {path}") from None
    return parse_profile(text, str(path))


def parse_profile(text: str, source: str = "") -> OfficeProfile:
    """Validate an office profile's TOML text (a file, or a version stored in the database)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"office profile {source} is not valid TOML: {exc}") from None

    office = _require(data, "office", "")
    complaints = _require(data, "complaints", "")
    survey = _require(data, "survey", "")
    divisions = tuple(Named(d["code"], d["name"]) for d in data.get("divisions", []))
    division_codes = {d.code for d in divisions}
    points = tuple(ServicePointSpec(p["code"], p["name"], p["division"], p.get("short", ""))
                   for p in data.get("service_points", []))
    for point in points:
        if point.division not in division_codes:
            raise ConfigError(f"office profile: service point {point.code} names unknown division {point.division}")
    scale = tuple(survey.get("scale", []))
    if len(scale) != 5:
        raise ConfigError("office profile: survey.scale must have five labels, from 1 to 5")
    aspects = tuple(Aspect(a["code"], a["name"], a["question"]) for a in _require(survey, "aspects", "survey"))
    categories = tuple(Named(c["code"], c["name"], c.get("short", ""))
                       for c in _require(complaints, "categories", "complaints"))
    if not categories or not aspects:
        raise ConfigError("office profile: needs at least one complaint category and one survey aspect")
    line = data.get("line", {})
    return OfficeProfile(
        name=_require(office, "name", "office"),
        short_name=office.get("short_name", office["name"]),
        address=office.get("address", ""),
        phone=office.get("phone", ""),
        email=office.get("email", ""),
        hours=office.get("hours", ""),
        website=office.get("website", ""),
        executive_title=office.get("executive_title", ""),
        executive_name=office.get("executive_name", ""),
        complaint_unit=office.get("complaint_unit", "สำนักปลัด"),
        book_number=office.get("book_number", ""),
        processing_days=int(complaints.get("processing_days", 15)),
        reference_format=_reference_format(complaints.get("reference_format", "ร.{number}/{year}")),
        categories=categories,
        divisions=divisions,
        service_points=points,
        scale=scale,
        aspects=aspects,
        links=dict(data.get("links", {})),
        staff_group_id=line.get("staff_group_id", ""),
        add_friend_url=line.get("add_friend_url", ""),
        gift_threshold_baht=int(data.get("gifts", {}).get("threshold_baht", 3000)),
        ita=load_ita(data.get("ita", {})),
        festivals=_festivals(data.get("gifts", {})),
    )
