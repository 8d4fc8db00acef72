"""The web edge: browser protections on every route, trusted hosts and proxies, bad numbers, the simulator locked down."""
from __future__ import annotations

import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import requests

import bot
from app import CONTENT_SECURITY_POLICY, create_app
from config import ConfigError, load_settings
from config.settings import SIMULATOR_CHANNEL_SECRET
from bot.simulator import sign
from intake.limits import Limit
from intake.service_points import sync_service_points
from models import db
from tests.conftest import _clean, free_port
from tests.staff.conftest import csrf_token as staff_csrf, make_account

PROTECTIONS = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
#: A value for each kind of URL variable, so every rule can be requested.
SAMPLE = {"IntegerConverter": 1, "UUIDConverter": uuid.uuid4()}


def _url_of(app, rule) -> str:
    values = {name: sorted(converter.items)[0] if hasattr(converter, "items")
              else SAMPLE.get(type(converter).__name__, "x") for name, converter in rule._converters.items()}
    return app.url_map.bind("localhost").build(rule.endpoint, values, append_unknown=False)


def _assert_protected(response, where: str) -> None:
    for header, value in PROTECTIONS.items():
        assert response.headers.get(header) == value, f"{where}: {header}"
    policy = response.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy, where
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, where


def test_every_route_answers_with_the_browser_protections(app, client):
    staff = app.test_client()
    make_account("everyone", "officer,admin,executive").sign_in(staff)
    seen = 0
    for rule in app.url_map.iter_rules():
        url = _url_of(app, rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for browser in (client, staff):
                response = browser.open(url, method=method)
                assert response.status_code < 500, f"{method} {url}: {response.status_code}"
                _assert_protected(response, f"{method} {url}")
                seen += 1
    assert seen >= 2 * len(list(app.url_map.iter_rules()))  # a new route is checked the day it is added
    assert client.get("/").headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "Strict-Transport-Security" not in client.get("/").headers  # plain http: no HSTS


def test_https_deployments_send_hsts(settings):
    secure = create_app(settings.with_overrides(public_base_url="https://sujarit.example.go.th"))
    response = secure.test_client().get("/", base_url="https://sujarit.example.go.th")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_a_forged_host_is_refused(client):
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/staff/login", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "127.0.0.1:5000"}).status_code == 200


def test_bad_numbers_in_query_strings_are_never_a_server_error(app):
    staff = app.test_client()
    make_account("auditor", "officer,admin,executive").sign_in(staff)
    assert staff.get("/staff/admin/audit?page=99999999999999999999999").status_code == 404
    assert staff.get("/staff/admin/audit?page=100001").status_code == 404
    assert staff.get("/staff/admin/audit?page=2&staff=99999999999999999999").status_code == 200
    bad = ["99999999999999999999999", "-1", "0", "abc", "1e9", "๙๙๙๙๙๙๙๙๙๙๙๙๙๙"]
    names = ["page", "year", "since", "staff", "month", "until", "status", "category", "channel", "target", "fy"]
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments:
            continue
        for value in bad:
            query = "&".join(f"{n}={value}" for n in names)
            response = staff.get(f"{rule.rule}?{query}")
            assert response.status_code < 500, f"{rule.rule}?{query}: {response.status_code}"


def test_trusted_proxies_make_limits_count_the_real_client(settings):
    def refused_second(trusted: int) -> bool:
        site = create_app(settings.with_overrides(trusted_proxies=trusted))
        site.config.update(INTAKE_LIMITS={"track": Limit(1, 600)}, WTF_CSRF_ENABLED=False, TRACK_SECONDS=0)
        web = site.test_client()
        answers = []
        for client_address in ("203.0.113.1", "203.0.113.2"):  # two people behind one router
            answers.append(web.post("/track", data={"code": "x"}, environ_overrides={"REMOTE_ADDR": "10.0.0.1"},
                                    headers={"X-Forwarded-For": client_address}).status_code)
        _clean(settings.database_url)
        return answers[1] == 429

    assert not refused_second(1)  # each citizen counts on their own
    assert refused_second(0)  # without the setting, the router's address is everyone's


def test_production_never_serves_the_simulator_whatever_the_settings(settings, tmp_path):
    production = {"SUJARIT_ENV": "production", "DATABASE_URL": settings.database_url, "SECRET_KEY": "s" * 40,
                  "DATA_KEYS": "k1:" + "A" * 43 + "=", "INDEX_KEY": "A" * 43 + "=", "PUBLIC_BASE_URL": "https://x.go.th",
                  "INSTANCE_PATH": str(tmp_path), "LINE_SIMULATOR": "1"}
    with pytest.raises(ConfigError, match="LINE_CHANNEL_SECRET"):
        load_settings(production)
    with pytest.raises(ConfigError):
        load_settings({**production, "LINE_CHANNEL_SECRET": SIMULATOR_CHANNEL_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": "t"})
    # Even settings built by hand with the simulator on: nothing of it is served, its secret opens nothing.
    forced = create_app(settings.with_overrides(env="production", line_simulated=True,
                                                public_base_url="https://x.go.th"))
    web = forced.test_client()
    for path in ("/simulator", "/simulator/messages", "/_fake-line/_control/requests",
                 "/_fake-line/v2/bot/message/push"):
        assert web.get(path, base_url="https://x.go.th").status_code == 404, path
    assert web.post("/simulator/send", data={"kind": "text"}, base_url="https://x.go.th").status_code in {400, 404}
    body = b'{"destination":"U1","events":[]}'
    answer = web.post("/line/webhook", data=body, base_url="https://x.go.th",
                      headers={"X-Line-Signature": sign(SIMULATOR_CHANNEL_SECRET, body)})
    assert answer.status_code == 403


class _Catcher(BaseHTTPRequestHandler):
    hits: list = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        _Catcher.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def simulated_site(settings, officer):
    """Serve a development app with the simulator (fake LINE API at /_fake-line of itself) and its worker."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    application = create_app(settings.with_overrides(env="development", public_base_url=url,
                                                     line_api_base=f"{url}/_fake-line",
                                                     line_data_api_base=f"{url}/_fake-line"))
    with application.app_context():
        sync_service_points(application.config["PROFILE"])
        db.commit()
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", port, application, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bot.start_embedded(application)
    yield url
    application.extensions["sujarit.line_worker"].stop()
    server.shutdown()
    _clean(settings.database_url)


def _simulator_session(url: str) -> tuple[requests.Session, str]:
    browser = requests.Session()
    page = browser.get(f"{url}/simulator", timeout=10).text
    return browser, re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def _wait_for_messages(browser: requests.Session, url: str) -> list:
    import time

    for _ in range(100):
        items = browser.get(f"{url}/simulator/messages", timeout=10).json()["items"]
        if items:
            return items
        time.sleep(0.1)
    return []


def test_simulator_controls_need_its_own_session_and_show_only_its_own_conversation(simulated_site):
    url = simulated_site
    alice, alice_csrf = _simulator_session(url)
    bob, _ = _simulator_session(url)
    stranger = requests.Session()
    sent = alice.post(f"{url}/simulator/send", data={"kind": "follow", "csrf_token": alice_csrf},
                      headers={"X-CSRFToken": alice_csrf}, timeout=10)
    assert sent.status_code == 200, sent.text
    assert _wait_for_messages(alice, url)
    assert stranger.get(f"{url}/_fake-line/_control/requests", timeout=10).status_code == 403
    assert stranger.post(f"{url}/_fake-line/_control/fail/push", json=[500], timeout=10).status_code == 403
    assert bob.post(f"{url}/_fake-line/_control/content/1", data=b"x", timeout=10).status_code == 403
    mine = alice.get(f"{url}/_fake-line/_control/requests", timeout=10).json()["requests"]
    theirs = bob.get(f"{url}/_fake-line/_control/requests", timeout=10).json()["requests"]
    assert mine and theirs == []
    assert bob.get(f"{url}/simulator/messages", timeout=10).json()["items"] == []


def test_a_forged_host_never_reaches_an_outgoing_request(simulated_site):
    url = simulated_site
    catcher_port = free_port()
    _Catcher.hits = []
    catcher = HTTPServer(("127.0.0.1", catcher_port), _Catcher)
    threading.Thread(target=catcher.serve_forever, daemon=True).start()
    try:
        browser, token = _simulator_session(url)
        # Same host name, another port: it passes the host check, and must still not steer the webhook call.
        sent = browser.post(f"{url}/simulator/send", data={"kind": "follow", "csrf_token": token},
                            headers={"X-CSRFToken": token, "Host": f"127.0.0.1:{catcher_port}"}, timeout=10)
        assert sent.status_code == 200
        assert _wait_for_messages(browser, url)  # the webhook went to PUBLIC_BASE_URL and the bot answered
        forged = browser.post(f"{url}/simulator/send", data={"kind": "follow", "csrf_token": token},
                              headers={"X-CSRFToken": token, "Host": "evil.example"}, timeout=10)
        assert forged.status_code == 400
    finally:
        catcher.shutdown()
    assert _Catcher.hits == []
