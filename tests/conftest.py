"""Shared fixtures: a test configuration, a real database (SQLite, or PostgreSQL from
TEST_DATABASE_URL), an app built from them, and staff with real key material."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from alembic import command

from app import create_app
from config import load_settings
from config.settings import new_key_text
from models import Base, StaffUser, db
from models import crypto, migrate, readers
from models.staff import RecoveryKey
from staff.passwords import hash_password

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
#: argon2id cost for tests: the real cost (64 MiB, 3 passes) makes each unlock take ~0.1 s.
TEST_KDF_COST = (1, 1024, 1)
OFFICER_PASSWORD = "officer-pass-1234"


#: The marks config/thai_html.py puts around and between Thai words in every page.
_WORD_MARKS = re.compile(r'<span class="w">([^<]*)</span>|<wbr>')
_RUN_MARKS = re.compile(r'<span class="t">([^<]*)</span>')


def unmarked(html: str) -> str:
    """Return HTML with the Thai word marks taken out, so a phrase reads as typed."""
    return _RUN_MARKS.sub(r"\1", _WORD_MARKS.sub(r"\1", html))


def page_text(response) -> str:
    """Return a response's HTML with the Thai word marks taken out."""
    return unmarked(response.get_data(as_text=True))


def _reset_schema(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            Base.metadata.drop_all(connection)
        Base.metadata.create_all(connection)
    engine.dispose()
    # The schema comes from the models; tests/models/test_migrations.py proves the migrations build the same.
    command.stamp(migrate.alembic_config(url), "head")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """Return the URL of a freshly built test database."""
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'sujarit.db'}"
    _reset_schema(url)
    return url


@pytest.fixture(scope="session")
def test_environ(database_url, tmp_path_factory) -> dict[str, str]:
    """Return the environment a test app is configured from."""
    return {
        "SUJARIT_ENV": "testing",
        "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-000",
        "DATA_KEYS": f"k1:{new_key_text()}",
        "INDEX_KEY": new_key_text(),
        "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
        "LOG_LEVEL": "INFO",
    }


@pytest.fixture
def settings(test_environ):
    """Return test settings (cheap key derivation, CSRF kept on)."""
    return load_settings(test_environ).with_overrides(kdf_cost=TEST_KDF_COST)


def _clean(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    engine.dispose()


@pytest.fixture
def app(settings):
    """Return an app on the test database, emptied after the test."""
    application = create_app(settings)
    with application.app_context():
        yield application
        db.rollback()
    _clean(settings.database_url)


@pytest.fixture
def client(app):
    """Return a test client of the app."""
    return app.test_client()


@pytest.fixture
def officer(app):
    """Return a complaint officer with a key pair (password OFFICER_PASSWORD)."""
    user = StaffUser(username="officer1", display_name="สมชาย ใจซื่อ", roles="officer",
                     password_hash=hash_password(OFFICER_PASSWORD))
    db.session.add(user)
    db.session.flush()
    user.create_key_pair(OFFICER_PASSWORD, TEST_KDF_COST)
    certify_reader(user)
    db.commit()
    return user


def certify_reader(user: StaffUser) -> None:
    """Certify an officer as a reader with a throwaway (retired) recovery key, as `flask setup` does."""
    root = crypto.generate_private_key()
    RecoveryKey.add(db.session, root, active=False)
    readers.certify(db.session, "recovery:test", root, user)


@pytest.fixture
def recovery_key(app) -> str:
    """Return the printed private half of a fresh office recovery key."""
    _, printed = RecoveryKey.create(db.session)
    db.commit()
    return printed


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Return the folder where tests keep screenshots and rendered pages."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


class LiveServer:
    """The app served over real HTTP on loopback, in a thread of the test process."""

    def __init__(self, app, server, url: str):
        self.app, self._server, self.url = app, server, url

    def stop(self) -> None:
        self._server.shutdown()


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def live_server(settings):
    """Serve a fresh app (PUBLIC_BASE_URL = its own address) over HTTP; empty the database after."""
    import threading

    from werkzeug.serving import make_server

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    application = create_app(settings.with_overrides(public_base_url=url))
    server = make_server("127.0.0.1", port, application, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    live = LiveServer(application, server, url)
    yield live
    live.stop()
    _clean(settings.database_url)


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]


@pytest.fixture(scope="session")
def chromium():
    """Launch Debian's chromium through Playwright, or skip saying why."""
    import shutil

    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("browser test skipped: Debian's chromium is not installed (apt-get install -y chromium; "
                    ".ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(chromium):
    """Return a phone-sized Thai browser page."""
    context = chromium.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                   is_mobile=True, has_touch=True, locale="th-TH")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop(chromium):
    """Return a desktop-sized browser page (the staff console)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    page = context.new_page()
    yield page
    context.close()
