"""The app factory, health check, production guard and `flask setup`."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app import create_app
from config import ConfigError, load_settings
from models import RecoveryKey, ServicePoint, StaffUser, crypto, db, valid_readers
from tests.conftest import page_text


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_down(test_environ, tmp_path):
    environ = dict(test_environ, DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=1")
    app = create_app(load_settings(environ))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["database"] == "down"


def test_production_refuses_to_start_without_secrets(tmp_path):
    with pytest.raises(ConfigError, match="DATA_KEYS.*INDEX_KEY"):
        load_settings({"SUJARIT_ENV": "production", "DATABASE_URL": "postgresql+psycopg://x/y",
                       "SECRET_KEY": "s" * 40, "PUBLIC_BASE_URL": "https://x", "INSTANCE_PATH": str(tmp_path)})
    assert not (tmp_path / "secrets.json").exists()  # production never invents keys


def test_embedded_mode_generates_private_secrets(tmp_path):
    settings = load_settings({"INSTANCE_PATH": str(tmp_path)})
    assert (tmp_path / "secrets.json").stat().st_mode & 0o777 == 0o600
    assert load_settings({"INSTANCE_PATH": str(tmp_path)}).index_key == settings.index_key
    assert settings.line_simulated and settings.database_url.startswith("sqlite:///")


def test_setup_creates_accounts_keys_and_refuses_a_second_run(app):
    runner = app.test_cli_runner()
    args = ["setup", "--admin-password", "admin-pass-123", "--officer-password", "officer-pass-123"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "SJR1-" in result.output and "ตู้นิรภัย" in result.output
    printed = next(line.strip() for line in result.output.splitlines() if line.strip().startswith("SJR1-"))
    users = {u.username: u for u in db.session.scalars(select(StaffUser))}
    assert users["admin"].role_set == {"admin"} and users["admin"].public_key is None
    assert users["officer"].unlock_private_key("officer-pass-123") is not None
    assert [u.username for u in valid_readers(db.session)] == ["officer"]  # certified by the recovery key
    recovery = RecoveryKey.current(db.session)
    assert crypto.public_bytes(RecoveryKey.parse_private(printed)) == recovery.public_key
    assert {p.code for p in db.session.scalars(select(ServicePoint))} == {
        p.code for p in app.config["PROFILE"].service_points}

    again = runner.invoke(args=args)
    assert again.exit_code != 0 and "--force" in again.output


def test_setup_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(args=["setup", "--admin-password", "short", "--officer-password",
                                                "officer-pass-123"])
    assert result.exit_code != 0 and "อย่างน้อย" in result.output


def test_a_query_against_a_database_that_is_down_answers_503_in_thai(test_environ):
    environ = dict(test_environ, DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=1")
    app = create_app(load_settings(environ))

    @app.route("/needs-db")
    def needs_db():
        return str(db.session.scalar(select(StaffUser.id)))

    response = app.test_client().get("/needs-db")
    assert response.status_code == 503 and "ระบบขัดข้องชั่วคราว" in page_text(response)


def test_unknown_addresses_get_the_thai_page_of_their_side(client):
    public = client.get("/no-such-page")
    staff_side = client.get("/staff/no-such-page")
    assert public.status_code == staff_side.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in page_text(public)
    assert "ไม่พบหน้าที่ต้องการ" in page_text(staff_side)
    assert page_text(public) != page_text(staff_side)
