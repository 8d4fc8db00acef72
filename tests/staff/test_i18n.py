"""Every Thai text of the staff console has an English translation, and Thai stays the default."""
from __future__ import annotations

import re
from pathlib import Path

from models.complaint import CHANNELS, STATUS_LABELS
from models.staff import ROLE_LABELS
from staff.i18n import EN
from staff.layout import MENU
from staff.passwords import password_problem
from staff.signin_views import ERRORS

STAFF = Path(__file__).resolve().parents[2] / "staff"
OWN_MODULES = ["accounts.py", "auth.py", "casedesk.py", "casedesk_views.py", "keys_views.py", "admin_views.py",
               "signin_views.py", "layout.py", "dashboard.py", "gifts_views.py", "nogift_views.py"]
_TEMPLATE_TEXT = re.compile(r"""_\(\s*(["'])(.+?)\1""")
_CODE_TEXT = re.compile(r"""(?:translate|flash|CaseDeskError|AccountError)\(\s*"([^"]+)\"""")


def _texts() -> set[str]:
    found = set()
    for template in (STAFF / "templates" / "staff").glob("*.html"):
        found |= {m.group(2) for m in _TEMPLATE_TEXT.finditer(template.read_text(encoding="utf-8"))}
    for module in OWN_MODULES:
        found |= set(_CODE_TEXT.findall((STAFF / module).read_text(encoding="utf-8")))
    found |= {label for _, label, _ in MENU}
    found |= {password_problem("short"), password_problem("onlyletterslong")}
    found |= {text for pair in ERRORS.values() for text in pair}
    found |= set(STATUS_LABELS.values()) | set(ROLE_LABELS.values()) | (set(CHANNELS.values()) - {"LINE"})
    return {text for text in found if re.search(r"[\u0E00-\u0E7F]", text)}


def test_every_staff_text_has_an_english_translation():
    assert len(_texts()) > 100  # the scan finds the console's texts
    missing = sorted(_texts() - set(EN))
    assert not missing, missing


def test_translations_keep_their_placeholders():
    for thai, english in EN.items():
        assert set(re.findall(r"{(\w+)}", thai)) == set(re.findall(r"{(\w+)}", english)), thai
