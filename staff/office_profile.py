"""The office profile kept in the database: versions, the per-process copy, and edits by an admin.

The TOML file named by OFFICE_PROFILE seeds version 1; after that the newest stored version is the
profile. Every process checks the newest version number when it opens an app context (each web
request, each worker pass, each clock tick) and reparses only when it changed, so an edit takes
effect everywhere without a restart.
"""
from __future__ import annotations

import json
import logging
import time
import tomllib
from dataclasses import dataclass, field

import tomlkit
from flask import Flask, appcontext_pushed, current_app
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from config import ConfigError, OfficeProfile
from config.profile import parse_profile
from config.thai_html import add_profile_text, profile_texts
from intake.service_points import sync_service_points
from models import AuditEntry, ProfileVersion, db
from staff.i18n import translate

log = logging.getLogger(__name__)
_LOADED = "sujarit.profile_version"
_CHECKED = "sujarit.profile_checked_at"
#: How long a process may serve its copy before looking for a profile saved by another process
#: (its own saves show on the next request).
CHECK_EVERY = 2.0

#: Thai titles of the profile's sections and keys in the console's form; others show their TOML name.
TITLES = {
    "office": "ข้อมูลสำนักงาน", "complaints": "เรื่องร้องเรียน", "complaints.categories": "ประเภทเรื่องร้องเรียน",
    "divisions": "กอง/ฝ่าย", "service_points": "จุดบริการ", "survey": "แบบประเมินความพึงพอใจ",
    "survey.aspects": "ประเด็นการประเมิน", "survey.scale": "ระดับคะแนน (1 ถึง 5)", "links": "ลิงก์",
    "line": "LINE", "gifts": "นโยบายไม่รับของขวัญ (No Gift Policy)", "ita": "ตัวชี้วัด ITA",
    "code": "รหัส", "name": "ชื่อ", "division": "กอง/ฝ่าย", "question": "คำถาม", "short_name": "ชื่อย่อ",
    "address": "ที่อยู่", "phone": "โทรศัพท์", "email": "อีเมล", "hours": "เวลาทำการ", "website": "เว็บไซต์",
    "executive_title": "ตำแหน่งผู้บริหาร", "complaint_unit": "หน่วยงานรับเรื่องร้องเรียน",
    "processing_days": "ระยะเวลาดำเนินการ (วัน)", "threshold_baht": "มูลค่าของขวัญที่ต้องรายงาน (บาท)",
    "ita.frameworks": "กรอบตัวชี้วัด ITA แต่ละปี", "checked": "ตรวจกับคู่มือ ITA ของปีนั้นแล้ว",
    "title": "ชื่อตัวชี้วัด", "period": "ช่วงข้อมูลที่ประเมิน (current / current_first_half / previous)",
}


#: Where a version came from, as the versions table says it.
SOURCES = {"file": "ไฟล์ตั้งต้น", "console": "แก้ไขในระบบ", "import": "นำเข้าไฟล์"}


class ProfileRefused(ValueError):
    """A profile edit that does not validate; the message is Thai, the detail the parser's words."""

    def __init__(self, message: str, detail: str = "", **values: str):
        super().__init__(message)
        self.message, self.detail, self.values = message, detail, values


@dataclass
class Table:
    """A list of same-shaped entries (divisions, service points...) edited as rows."""

    path: list
    columns: list[str]
    rows: list[dict]


@dataclass
class Section:
    """One part of the profile in the form: single values, lists of words and tables."""

    path: list
    values: list[tuple[list, object]] = field(default_factory=list)
    lists: list[tuple[list, list]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def title(path: list) -> str:
    """Return the title of a section or key path in the console's language, e.g. "ตัวชี้วัด ITA 2566"."""
    keys = [str(p) for p in path]
    if len(keys) == 1 and keys[0] in TITLES:
        return translate(TITLES[keys[0]])
    for cut in range(len(keys), 0, -1):
        known = TITLES.get(".".join(keys[:cut]))
        if known:
            return " ".join([translate(known), *keys[cut:]])
    return ".".join(keys)


def field_name(kind: str, path: list) -> str:
    """Return the form field name that carries one value of the profile."""
    return f"{kind}:{json.dumps(path, ensure_ascii=False)}"


def refresh(app: Flask, **_) -> None:
    """Load the newest stored profile into app.config["PROFILE"] when it is newer than this process's copy."""
    # At most once per CHECK_EVERY: a query on every request would cost each citizen a round trip.
    now = time.monotonic()
    if now - app.extensions.get(_CHECKED, -CHECK_EVERY) < CHECK_EVERY:
        return
    app.extensions[_CHECKED] = now
    try:
        with db.engine.connect() as connection:
            newest = connection.scalar(select(func.max(ProfileVersion.version)))
            if not newest or newest == app.extensions.get(_LOADED):
                return
            text = connection.scalar(select(ProfileVersion.toml).where(ProfileVersion.version == newest))
    except SQLAlchemyError:
        return  # no table yet (before `flask db upgrade`) or the database is down: keep the copy we have
    try:
        app.config["PROFILE"] = parse_profile(text, f"version {newest}")
        add_profile_text(profile_texts(app.config["PROFILE"]))
    except ConfigError:
        log.error("stored office profile version %s does not validate; keeping the previous one", newest)
    app.extensions[_LOADED] = newest


def init_app(app: Flask) -> None:
    """Check for a newer profile whenever the app opens a context (request, worker pass, clock tick)."""
    appcontext_pushed.connect(refresh, app, weak=False)


def current_text() -> str:
    """Return the TOML text of the profile in force: the newest version, else the seeding file."""
    stored = db.session.scalar(select(ProfileVersion.toml).order_by(ProfileVersion.version.desc()).limit(1))
    return stored if stored is not None else current_app.config["SETTINGS"].office_profile.read_text(encoding="utf-8")


def validate(text: str) -> OfficeProfile:
    """Parse and check a profile text, refusing it with a Thai message that keeps the parser's detail."""
    try:
        return parse_profile(text, "")
    except ConfigError as exc:
        raise ProfileRefused("ข้อมูลสำนักงานไม่ถูกต้อง ยังไม่ได้บันทึก", str(exc)) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ProfileRefused("ข้อมูลสำนักงานไม่ครบหรือผิดรูปแบบ ยังไม่ได้บันทึก", repr(exc)) from None


def _changed_sections(old: str, new: str) -> list[str]:
    before, after = tomllib.loads(old), tomllib.loads(new)
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def save(text: str, *, staff_id: int | None, source: str, note: str = "") -> ProfileVersion:
    """Store a validated profile text as the next version, seed version 1 from the file, sync service points."""
    profile = validate(text)
    session = db.session
    previous = current_text()
    changed = _changed_sections(previous, text)
    if not changed:
        raise ProfileRefused("ไม่มีการเปลี่ยนแปลง")
    number = ProfileVersion.latest_number(session)
    if number == 0:
        session.add(ProfileVersion(version=1, staff_id=None, source="file", toml=previous,
                                   note=str(current_app.config["SETTINGS"].office_profile.name)[:200]))
        number = 1
    row = ProfileVersion(version=number + 1, staff_id=staff_id, source=source, toml=text, note=note.strip()[:200])
    session.add(row)
    current_app.extensions.pop(_CHECKED, None)  # the next request loads it
    sync_service_points(profile)
    AuditEntry.record(session, "profile.edit", staff_id=staff_id, target_type="profile", target_id=row.version,
                      detail=", ".join(changed)[:500])
    return row


def versions() -> list[ProfileVersion]:
    """Return every stored version, newest first."""
    return list(db.session.scalars(select(ProfileVersion).order_by(ProfileVersion.version.desc())))


def version_text(number: int) -> str | None:
    """Return the TOML text of one stored version."""
    return db.session.scalar(select(ProfileVersion.toml).where(ProfileVersion.version == number))


def _scalar(value) -> bool:
    return isinstance(value, (str, int, float, bool))


def sections(text: str) -> list[Section]:
    """Describe a profile text as form sections; what does not fit a form is left to the TOML editor."""
    found: list[Section] = []

    def walk(table: dict, path: list) -> None:
        section = Section(path)
        for key, value in table.items():
            here = [*path, key]
            if _scalar(value):
                section.values.append((here, value))
            elif isinstance(value, list) and value and all(_scalar(v) for v in value):
                section.lists.append((here, value))
            elif isinstance(value, list) and value and all(
                    isinstance(v, dict) and all(_scalar(x) for x in v.values()) for v in value):
                columns = list(dict.fromkeys(k for row in value for k in row))
                section.tables.append(Table(here, columns, value))
        if section.values or section.lists or section.tables:
            found.append(section)
        for key, value in table.items():
            if isinstance(value, dict):
                walk(value, [*path, key])

    walk(tomllib.loads(text), [])
    return found


def _container(doc, path: list):
    for key in path:
        doc = doc[key]
    return doc


def _typed(example, raw: str, path: list):
    raw = raw.strip()
    try:
        if isinstance(example, bool):
            return raw in ("1", "true", "yes")
        if isinstance(example, int):
            return int(raw)
        if isinstance(example, float):
            return float(raw)
    except ValueError:
        raise ProfileRefused("“{field}” ต้องเป็นตัวเลข", raw, field=title(path)) from None
    return raw


def apply_form(text: str, form) -> str:
    """Return the profile text with the form's values written in; comments and layout are kept."""
    doc = tomlkit.parse(text)
    plain = tomllib.loads(text)
    removed: dict[str, set[int]] = {}
    for name in form:
        kind, _, encoded = name.partition(":")
        if kind not in ("v", "l", "t", "d"):
            continue
        path = json.loads(encoded)
        if kind == "v":
            parent = _container(doc, path[:-1])
            parent[path[-1]] = _typed(_container(plain, path), form[name], path)
        elif kind == "l":
            _container(doc, path[:-1])[path[-1]] = [line.strip() for line in form[name].splitlines() if line.strip()]
        elif kind == "d":
            removed.setdefault(json.dumps(path[:-1]), set()).add(int(path[-1]))
        else:
            table_path, index, column = path[:-2], int(path[-2]), path[-1]
            rows, plain_rows = _container(doc, table_path), _container(plain, table_path)
            example = next((r[column] for r in plain_rows if column in r), "")
            value = _typed(example, form[name], [*table_path, column])
            if index < len(plain_rows):
                if column in plain_rows[index] or str(value):
                    rows[index][column] = value
            elif str(value):  # the empty row at the end adds an entry when anything is typed in it
                while len(rows) <= index:
                    rows.append(tomlkit.table())
                rows[index][column] = value
    for encoded, indexes in removed.items():
        rows = _container(doc, json.loads(encoded))
        for index in sorted(indexes, reverse=True):
            del rows[index]
    return tomlkit.dumps(doc)
