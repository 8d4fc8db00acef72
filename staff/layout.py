"""What every staff page's layout needs: the words, the signed-in user and the menu for their roles."""
from __future__ import annotations

from flask import Blueprint, current_app, request
from jinja2 import pass_context

from config.thai import be_day
from staff.auth import current_user
from staff.grants import NOTICE_DAYS, reader_log
from staff.i18n import LANGUAGES, current_language, datetime_in, translate

#: The menu: endpoint, label, and the roles that see it (the views enforce the same roles).
MENU = (
    ("staff_cases.index", "เรื่องร้องเรียน", {"officer"}),
    ("staff_feedback.index", "ความคิดเห็นและข้อเสนอแนะ", {"officer", "admin"}),
    ("staff_keys.index", "สิทธิ์เข้าถึง", {"officer"}),
    ("staff_dashboard.index", "ภาพรวมผู้บริหาร", {"executive", "officer", "admin"}),
    ("staff_reports.index", "รายงาน", {"executive", "officer", "integrity"}),
    ("staff_gifts.index", "ไม่รับของขวัญ (No Gift)", {"admin", "officer", "executive", "integrity", "staff"}),
    ("staff_gifts.register", "ทะเบียนการรับของขวัญ", {"executive", "integrity"}),
    ("staff_nogift.declaration", "ประกาศนโยบาย No Gift", {"admin", "executive", "integrity"}),
    ("staff_nogift.activities", "กิจกรรม No Gift", {"officer", "admin", "integrity"}),
    ("staff_nogift.report", "รายงานผล No Gift Policy", {"executive", "officer", "integrity"}),
    ("staff_admin.users", "ผู้ใช้งาน", {"admin"}),
    ("staff_admin.audit", "บันทึกการใช้งาน", {"admin"}),
    ("staff_office.index", "ข้อมูลสำนักงาน", {"admin"}),
)


def staff_nav() -> list[tuple[str, str, bool]]:
    """Return the menu entries the signed-in user may open, marking the one the page belongs to."""
    user = current_user()
    if user is None:
        return []
    shown = [(endpoint, label) for endpoint, label, roles in MENU
             if user.role_set & roles and endpoint in current_app.view_functions]
    here = request.endpoint or ""
    if here not in {endpoint for endpoint, _ in shown}:
        # A page without its own entry (one case, one user) belongs to its blueprint's first entry.
        here = next((e for e, _ in shown if e.split(".")[0] == here.split(".")[0]), here)
    return [(endpoint, label, endpoint == here) for endpoint, label in shown]


def helpers() -> dict:
    """Return what the layout's templates use; error pages outside any blueprint pass it themselves."""
    return {"_": translate, "lang": current_language(), "LANGUAGES": LANGUAGES,
            "staff_user": current_user, "staff_nav": staff_nav, "reader_notices": reader_notices}


def reader_notices() -> bool:
    """Return True when an officer should see that readers changed lately (every reader is told)."""
    user = current_user()
    return user is not None and user.has_role("officer") and bool(reader_log(NOTICE_DAYS))


@pass_context
def _staff_datetime(context, instant):
    return datetime_in(context.get("lang", "th"), instant)


def install(bp: Blueprint) -> None:
    """Give a blueprint's templates the layout's helpers."""
    bp.context_processor(helpers)
    bp.add_app_template_filter(_staff_datetime, "staff_datetime")
    bp.add_app_template_filter(be_day, "be_day")
