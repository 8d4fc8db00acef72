"""Roles are enforced on the server for every staff route: each role is refused (403) what it must not see."""
from __future__ import annotations

import pytest

from intake.feedback import record_feedback
from intake.gifts import report_gift
from models import Complaint, db, server_keys
from tests.staff.conftest import csrf_token, file_sample
from tests.conftest import page_text

#: Who may use each staff endpoint. Sign-in pages, sign-out, language and static files are open.
EXPECTED = {
    "staff_auth.home": set(),  # any signed-in user
    "staff_auth.account": set(),
    "staff_cases.index": {"officer"},
    "staff_cases.show": {"officer"},
    "staff_cases.change_status": {"officer"},
    "staff_cases.add_note": {"officer"},
    "staff_cases.evidence": {"officer"},
    "staff_cases.preview": {"officer"},
    "staff_cases.register": {"officer"},
    "staff_cases.find": {"officer"},
    "staff_cases.print_view": {"officer"},
    "staff_cases.handling": {"officer"},
    "staff_cases.forwarding": {"officer"},
    "staff_cases.question": {"officer"},
    "staff_cases.letter": {"officer"},
    "staff_feedback.index": {"officer", "admin"},
    "staff_feedback.show": {"officer", "admin"},
    "staff_feedback.route": {"officer", "admin"},
    "staff_feedback.handled": {"officer", "admin"},
    "staff_keys.index": {"officer"},
    "staff_keys.grant": {"officer"},
    "staff_keys.certify": {"officer"},
    "staff_keys.revoke": {"officer"},
    "staff_dashboard.index": {"executive", "officer", "admin"},
    "staff_dashboard.chart": {"executive", "officer", "admin"},
    "staff_admin.users": {"admin"},
    "staff_admin.user": {"admin"},
    "staff_admin.audit": {"admin"},
    "staff_office.index": {"admin"},
    "staff_office.toml": {"admin"},
    "staff_office.export": {"admin"},
    "staff_office.poster": {"admin"},
    "staff_gifts.index": set(),
    "staff_gifts.show": set(),  # any signed-in user reaches the view; the register entry itself decides (below)
    "staff_gifts.decide": {"executive"},
    "staff_gifts.register": {"executive", "integrity"},
    "staff_gifts.checkin": set(),
    "staff_gifts.acknowledge": set(),
    "staff_gifts.line_link": set(),
    "staff_nogift.declaration": {"admin", "executive", "integrity"},
    "staff_nogift.approve": {"executive"},
    "staff_nogift.scan": {"admin"},
    "staff_nogift.declaration_pdf": set(),
    "staff_nogift.activities": {"officer", "admin", "integrity"},
    "staff_nogift.photo": {"officer", "admin", "integrity"},
    "staff_nogift.report": {"executive", "officer", "integrity"},
}
OPEN = {"staff_auth.login", "staff_auth.second_factor", "staff_auth.logout", "staff_auth.language", "staff_auth.static"}
ROLES = ("officer", "admin", "executive", "integrity", "staff")


def _routes(app, values):
    """Yield (endpoint, method, url, allowed roles, argument names) for every staff route, with real ids filled in."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/staff") or rule.endpoint in OPEN:
            continue
        view = app.view_functions[rule.endpoint]
        allowed = EXPECTED.get(rule.endpoint, getattr(view, "required_roles", None))
        assert allowed is not None, f"{rule.endpoint} has no role check this test knows of"
        url = rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url, set(allowed), rule.arguments


@pytest.fixture
def ids(app, accounts, recovery_key):
    receipt = file_sample(evidence=True)
    complaint = Complaint.find_by_code(db.session, server_keys().index, receipt.tracking_code)
    gift = report_gift(accounts["integrity"].user, received_on="2024-12-30", occasion="new_year", giver_kind="citizen",
                       giver_name="ผู้ให้ทดสอบ", description="กระเช้า", value_baht=500, outcome="declined", channel="web")
    feedback = record_feedback("suggestion", "อยากให้เปิดบริการวันเสาร์", channel="web")
    db.commit()
    return {"complaint_id": str(complaint.id), "attachment_id": str(complaint.attachments[0].id),
            "user_id": accounts["staff"].user.id, "report_id": 0, "gift_id": str(gift.id), "photo_id": 0,
            "feedback_id": str(feedback.id)}


#: How many routes each role must at least be refused (a route missing from the table lowers the count).
REFUSED_AT_LEAST = {"officer": 17, "admin": 24, "executive": 35, "integrity": 36, "staff": 47}


def test_every_staff_route_is_in_the_table(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.rule.startswith("/staff")}
    mine = {e for e in endpoints if not e.startswith("staff_reports.")}
    assert mine - OPEN == set(EXPECTED)


def test_nobody_signed_in_is_sent_to_sign_in_everywhere(app, client, ids):
    for endpoint, method, url, *_ in _routes(app, ids):
        data = {"csrf_token": csrf_token(client)} if method == "POST" else None
        response = client.open(url, method=method, data=data)
        assert response.status_code == 302, (endpoint, method)
        assert response.headers["Location"].startswith("/staff/login"), endpoint


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_refused_what_it_must_not_see(app, accounts, ids, role):
    client = app.test_client()
    accounts[role].sign_in(client)
    token = csrf_token(client, "/staff/account")
    checked = 0
    for endpoint, method, url, allowed, arguments in _routes(app, ids):
        permitted = not allowed or role in allowed
        if method == "POST" and permitted:
            continue  # refusal is what this test proves; allowed actions have their own tests
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        if permitted:
            # report 0 does not exist: being let in to look for it is what counts
            expected = (200, 302, 404) if {"report_id", "photo_id"} & arguments else (200, 302)
            if endpoint in ("staff_gifts.show", "staff_nogift.declaration_pdf"):
                expected = (200, 403, 404)  # the integrity officer's own entry; no declaration yet
            assert response.status_code in expected, (role, endpoint, response.status_code)
        else:
            assert response.status_code == 403, (role, endpoint, method, response.status_code)
            assert "ไม่มีสิทธิ์เข้าถึงหน้านี้" in page_text(response)
            checked += 1
    assert checked >= REFUSED_AT_LEAST[role]
