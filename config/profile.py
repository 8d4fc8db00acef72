"""The office profile: who the office is and what it asks citizens, loaded from a TOML file."""
from __future__ import annotations

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
    complaint_unit: str
    processing_days: int
    categories: tuple[Named, ...]
    divisions: tuple[Named, ...]
    service_points: tuple[ServicePointSpec, ...]
    scale: tuple[str, ...]
    aspects: tuple[Aspect, ...]
    links: dict[str, str]
    staff_group_id: str
    add_friend_url: str
    gift_threshold_baht: int
    ita_year: int
    indicators: dict[int, dict[str, str]]

    def category_name(self, code: str) -> str:
        """Return the Thai name of a complaint category code."""
        return {c.code: c.name for c in self.categories}.get(code, code)

    def point_label(self, code: str, name: str) -> str:
        """Return the short button label of a service point, or its name."""
        return next((p.short for p in self.service_points if p.code == code and p.short), name)

    def division_name(self, code: str) -> str:
        """Return the Thai name of a division code."""
        return {d.code: d.name for d in self.divisions}.get(code, code)

    def indicator(self, topic: str, ita_year: int | None = None) -> str:
        """Return the ITA indicator code (e.g. "O29") of a topic for an ITA year."""
        year = ita_year or self.ita_year
        try:
            return self.indicators[year][topic]
        except KeyError:
            raise ConfigError(f"office profile has no ITA {year} indicator for '{topic}'") from None


def _require(table: dict, key: str, where: str):
    if key not in table:
        raise ConfigError(f"office profile: '{where}.{key}' is missing")
    return table[key]


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
    ita = data.get("ita", {})
    indicators = {int(year): dict(codes) for year, codes in ita.get("indicators", {}).items()}
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
        complaint_unit=office.get("complaint_unit", "สำนักปลัด"),
        processing_days=int(complaints.get("processing_days", 15)),
        categories=categories,
        divisions=divisions,
        service_points=points,
        scale=scale,
        aspects=aspects,
        links=dict(data.get("links", {})),
        staff_group_id=line.get("staff_group_id", ""),
        add_friend_url=line.get("add_friend_url", ""),
        gift_threshold_baht=int(data.get("gifts", {}).get("threshold_baht", 3000)),
        ita_year=int(ita.get("year", max(indicators) if indicators else 2566)),
        indicators=indicators,
    )
