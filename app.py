"""Composition root: `create_app()` wires settings, the database, keys, blueprints and commands."""
from __future__ import annotations

import io
import ipaddress
import uuid
from urllib.parse import urlsplit

import click
from flask import Flask, Request, Response, current_app, jsonify, request
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

import bot
import intake
import staff
import stats
from bot.notify import push_no_gift_notice, push_report_to_linked_staff, queue_staff_alert
from config import Settings, configure_logging, load_profile, load_settings
from config.thai_html import add_profile_text, add_public_text, profile_texts, template_texts, thai_wrap
from intake.evidence import MAX_FILES
from intake.web import error_page as public_error_page
from models import ServerKeys, db
from models import migrate as migrations
from staff.signals import reader_changed
from staff.signin_views import error_page as staff_error_page
from stats.signals import no_gift_notice, report_published

csrf = CSRFProtect()
#: No inline script or style anywhere: JS and CSS come from our static files.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
                           "font-src 'self'; connect-src 'self'; media-src 'self'; frame-src 'self'; object-src 'none'; "
                           "base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1"]


class InMemoryRequest(Request):
    """A request whose uploads stay in memory: evidence files never touch /tmp (the size limit bounds them)."""

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return io.BytesIO()


def create_app(config: Settings | None = None) -> Flask:
    """Build the Sujarit application from settings (read from the environment by default)."""
    settings = config or load_settings()
    configure_logging(settings.log_level)
    app = Flask(__name__, instance_path=str(settings.instance_path), instance_relative_config=False,
                static_folder=None)
    app.request_class = InMemoryRequest
    app.config.update(
        SETTINGS=settings,
        PROFILE=load_profile(settings.office_profile),
        SECRET_KEY=settings.secret_key,
        DATABASE_URL=settings.database_url,
        # Room for five evidence files each at its limit (five phone photos, or clips): a file over
        # its own limit then comes back as a form error that keeps what the citizen typed.
        MAX_CONTENT_LENGTH=MAX_FILES * max(settings.max_upload_bytes, settings.max_clip_bytes) + 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.public_base_url.startswith("https://"),
        WTF_CSRF_TIME_LIMIT=None,
        TESTING=settings.env == "testing",
        # Requests naming another host are refused; every link is built from PUBLIC_BASE_URL anyway.
        TRUSTED_HOSTS=trusted_hosts(settings),
        CONTENT_SECURITY_POLICY=CONTENT_SECURITY_POLICY,
    )
    if settings.trusted_proxies:
        # Behind N proxies the client is the address the outermost one saw: limits count real people.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies)

    db.init_app(app)
    ServerKeys.from_settings(settings).init_app(app)
    csrf.init_app(app)
    intake.init_app(app)
    bot.init_app(app)
    staff.init_app(app)
    stats.init_app(app)

    # Every surface's Thai lines break only between words: base layouts pass their content through it.
    app.add_template_filter(thai_wrap, "thai_wrap")
    add_public_text(template_texts(app.jinja_env.loader.get_source(app.jinja_env, name)[0]
                                   for name in app.jinja_env.list_templates(extensions=["html"])))
    add_profile_text(profile_texts(app.config["PROFILE"]))
    app.after_request(secure_headers)
    report_published.connect(announce_report_in_line, sender=app, weak=False)
    no_gift_notice.connect(lambda _app, **notice: push_no_gift_notice(**notice), sender=app, weak=False)
    reader_changed.connect(announce_reader_change_in_line, sender=app, weak=False)
    app.add_url_rule("/healthz", "healthz", healthz)
    app.register_error_handler(HTTPException, error_page)
    app.cli.add_command(db_command)
    app.cli.add_command(serve_command)
    return app


def trusted_hosts(settings: Settings) -> list[str]:
    """Return the host names the app answers to: PUBLIC_BASE_URL's, and loopback outside production."""
    hosts = [urlsplit(settings.public_base_url).hostname or "127.0.0.1"]
    return hosts if settings.is_production else hosts + LOOPBACK_HOSTS


def secure_headers(response: Response) -> Response:
    """Put the browser protections on every response (a view may narrow the CSP for its own file)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", current_app.config["CONTENT_SECURITY_POLICY"])
    headers.setdefault("X-Frame-Options", "DENY")  # the evidence preview is framed by the case page
    headers["X-Content-Type-Options"] = "nosniff"
    headers.setdefault("Referrer-Policy", "no-referrer")
    if request.is_secure or current_app.config["SETTINGS"].public_base_url.startswith("https://"):
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    return response


def error_page(error: HTTPException):
    """Answer an HTTP error with the staff console's page under /staff and the public page elsewhere."""
    if request_ctx.url_adapter is None:
        # The Host header named none of our hosts: no link can be built for it, so no page either.
        return Response("unknown host", status=400, mimetype="text/plain")
    if request.path.startswith("/staff"):
        return staff_error_page(error)
    return public_error_page(error)


def announce_report_in_line(app: Flask, *, kind: str, period: str, summary: str, link: str) -> None:
    """Tell the staff LINE group and each linked executive and officer that a report is out: counts and a link."""
    retry_key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"sujarit:report:{kind}:{period}"))
    queue_staff_alert(f"{summary}\n{link}", retry_key)
    push_report_to_linked_staff(kind, period, summary, link)


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


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, help="Request threads.")
def serve_command(host: str, port: int, threads: int) -> None:
    """Serve the app with gunicorn in one process, with the inbox worker and the clock inside it."""
    from flask import current_app
    from gunicorn.app.base import BaseApplication

    app = current_app._get_current_object()
    if app.config["SETTINGS"].line_simulated and not _is_loopback(host):
        raise click.ClickException("the LINE simulator serves this machine only: use --host 127.0.0.1 "
                                   "(or set the office's LINE channel to serve other machines)")

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
