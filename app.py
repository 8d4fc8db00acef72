"""Composition root: `create_app()` wires settings, the database, keys, blueprints and commands."""
from __future__ import annotations

import uuid

import click
from flask import Flask, jsonify, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException

import bot
import intake
import staff
import stats
from bot.notify import queue_staff_alert
from config import Settings, configure_logging, load_profile, load_settings
from intake.web import error_page as public_error_page
from models import ServerKeys, db
from models import migrate as migrations
from staff.signals import reader_changed
from staff.signin_views import error_page as staff_error_page
from stats.signals import report_published

csrf = CSRFProtect()


def create_app(config: Settings | None = None) -> Flask:
    """Build the Sujarit application from settings (read from the environment by default)."""
    settings = config or load_settings()
    configure_logging(settings.log_level)
    app = Flask(__name__, instance_path=str(settings.instance_path), instance_relative_config=False,
                static_folder=None)
    app.config.update(
        SETTINGS=settings,
        PROFILE=load_profile(settings.office_profile),
        SECRET_KEY=settings.secret_key,
        DATABASE_URL=settings.database_url,
        MAX_CONTENT_LENGTH=settings.max_upload_bytes + 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.public_base_url.startswith("https://"),
        WTF_CSRF_TIME_LIMIT=None,
        TESTING=settings.env == "testing",
    )

    db.init_app(app)
    ServerKeys.from_settings(settings).init_app(app)
    csrf.init_app(app)
    intake.init_app(app)
    bot.init_app(app)
    staff.init_app(app)
    stats.init_app(app)

    report_published.connect(announce_report_in_line, sender=app, weak=False)
    reader_changed.connect(announce_reader_change_in_line, sender=app, weak=False)
    app.add_url_rule("/healthz", "healthz", healthz)
    app.register_error_handler(HTTPException, error_page)
    app.cli.add_command(db_command)
    app.cli.add_command(serve_command)
    return app


def error_page(error: HTTPException):
    """Answer an HTTP error with the staff console's page under /staff and the public page elsewhere."""
    if request.path.startswith("/staff"):
        return staff_error_page(error)
    return public_error_page(error)


def announce_report_in_line(app: Flask, *, kind: str, period: str, summary: str, link: str) -> None:
    """Tell the staff LINE group (executives and officers) that a report is out: counts and a link only."""
    retry_key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"sujarit:report:{kind}:{period}"))
    queue_staff_alert(f"{summary}\n{link}", retry_key)


def announce_reader_change_in_line(app: Flask, *, text: str, line_users: list[str]) -> None:
    """Tell the staff group and every linked reader in LINE that a reader was certified or revoked."""
    queue_staff_alert(text)
    for line_user in line_users:
        queue_staff_alert(text, to=line_user)


def healthz():
    """Answer 200 when the database answers, 503 when it does not."""
    ok = db.ping()
    return jsonify(status="ok" if ok else "unavailable", database="ok" if ok else "down"), 200 if ok else 503


@click.group("db")
def db_command() -> None:
    """Manage the database schema."""


@db_command.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Alembic revision to upgrade to.")
def db_upgrade(revision: str) -> None:
    """Build or upgrade the schema (SQLite or PostgreSQL, from DATABASE_URL)."""
    from flask import current_app

    migrations.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo("ฐานข้อมูลเป็นรุ่นล่าสุดแล้ว (schema is up to date)")


@db_command.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
def db_revision(message: str) -> None:
    """Write a migration for what changed in the models (developers only)."""
    from flask import current_app

    migrations.new_revision(current_app.config["DATABASE_URL"], message)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, help="Request threads.")
def serve_command(host: str, port: int, threads: int) -> None:
    """Serve the app with gunicorn in one process, with the inbox worker and the clock inside it."""
    from flask import current_app
    from gunicorn.app.base import BaseApplication

    app = current_app._get_current_object()

    class EmbeddedServer(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", 1)
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", None)

        def load(self):
            if app.config["SETTINGS"].embedded_workers:
                bot.start_embedded(app)
                stats.start_embedded(app)
            return app

    click.echo(f"Sujarit: {app.config['SETTINGS'].public_base_url} (กด Ctrl+C เพื่อหยุด)")
    EmbeddedServer().run()
