"""The live-server and browser fixtures work: chromium loads the health check over real HTTP."""
from __future__ import annotations

import pytest
import requests


def test_live_server_answers_over_http(live_server):
    assert requests.get(f"{live_server.url}/healthz", timeout=5).json()["database"] == "ok"


@pytest.mark.browser
def test_chromium_reaches_the_live_server(live_server, phone):
    phone.goto(f"{live_server.url}/healthz")
    assert '"database":"ok"' in phone.content().replace(" ", "")
