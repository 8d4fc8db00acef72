"""For the staff browser tests: a fake LINE API the live server's bot talks to (import both fixtures)."""
from __future__ import annotations

import pytest

from config.settings import SIMULATOR_ACCESS_TOKEN
from tests.bot.conftest import FakeLine


@pytest.fixture
def fake_line():
    fake = FakeLine(SIMULATOR_ACCESS_TOKEN)
    yield fake
    fake.stop()


@pytest.fixture
def settings(settings, fake_line):
    """The live server's settings, with its LINE client pointed at the fake LINE API."""
    return settings.with_overrides(line_api_base=fake_line.url, line_data_api_base=fake_line.url)
