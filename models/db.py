"""The engine, the per-context session and the one commit point."""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, Response, current_app, g
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)


class DatabaseUnavailable(RuntimeError):
    """The database could not be reached or refused the commit."""


def make_engine(url: str) -> Engine:
    """Create an engine with the settings each backend needs."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _owner_only(engine.url.database)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # WAL lets readers run beside the one writer; foreign keys are off by default in SQLite.
            # secure_delete zeroes deleted content; temp_store keeps sorts and temporary tables out of /tmp.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.execute("PRAGMA temp_store=MEMORY")
            cursor.close()

        return engine
    # No ping before each checkout (a round trip on every request): a connection a database restart
    # broke fails on first use, SQLAlchemy then drops the whole pool, that one request answers 503
    # (LINE redelivers, a citizen tries again, nothing half-stored) and the next ones reconnect.
    return create_engine(url, pool_size=10, max_overflow=20, pool_recycle=1800)


def _owner_only(database: str | None) -> None:
    """Create the SQLite file 0600 (its WAL and SHM take the same mode) and tighten existing ones."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists() and candidate.stat().st_mode & 0o077:
            candidate.chmod(0o600)


class Database:
    """SQLAlchemy wiring for Flask: one engine per app, one session per app context."""

    def init_app(self, app: Flask) -> None:
        """Create the app's engine and commit or roll back at the end of each request."""
        engine = make_engine(app.config["DATABASE_URL"])
        app.extensions["sujarit.db"] = sessionmaker(bind=engine, expire_on_commit=False)
        app.after_request(self._commit_response)
        app.teardown_appcontext(self._remove_session)
        app.register_error_handler(OperationalError, self._unavailable)
        app.register_error_handler(DatabaseUnavailable, self._unavailable)

    @property
    def engine(self) -> Engine:
        """Return the current app's engine."""
        return current_app.extensions["sujarit.db"].kw["bind"]

    @property
    def session(self) -> Session:
        """Return the session of the current app context, creating it on first use."""
        if "db_session" not in g:
            g.db_session = current_app.extensions["sujarit.db"]()
        return g.db_session

    def commit(self) -> None:
        """Commit the current session, or roll back and raise DatabaseUnavailable."""
        if "db_session" not in g:
            return
        try:
            g.db_session.commit()
        except (OperationalError, DBAPIError) as exc:
            g.db_session.rollback()
            log.error("commit failed: %s", type(exc).__name__)
            raise DatabaseUnavailable("the database refused the commit") from exc

    def rollback(self) -> None:
        """Discard what the current session holds."""
        if "db_session" in g:
            g.db_session.rollback()

    @contextmanager
    def unit_of_work(self):
        """Commit on success and roll back on error, for jobs and commands outside a request."""
        try:
            yield self.session
            self.commit()
        except BaseException:
            self.rollback()
            raise

    @contextmanager
    def transaction(self):
        """Run Core statements on a connection of their own and commit them, or raise DatabaseUnavailable."""
        try:
            with self.engine.begin() as connection:
                yield connection
        except (OperationalError, DBAPIError) as exc:
            log.error("commit failed: %s", type(exc).__name__)
            raise DatabaseUnavailable("the database refused the commit") from exc

    def ping(self) -> bool:
        """Return True when the database answers a trivial query."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except (OperationalError, DBAPIError):
            return False

    def _commit_response(self, response: Response) -> Response:
        # The single commit point of a request: success commits, an error response rolls back.
        if response.status_code >= 400:
            self.rollback()
            return response
        try:
            self.commit()
        except DatabaseUnavailable as exc:
            return self._unavailable(exc)
        return response

    def _unavailable(self, exc: Exception) -> Response:
        # The database is down: say so in Thai and ask the client (or LINE) to come back, never a 500.
        self.rollback()
        log.error("database unavailable: %s", type(exc).__name__)
        return Response(UNAVAILABLE_PAGE, status=503, headers={"Retry-After": "30"},
                        mimetype="text/html")

    @staticmethod
    def _remove_session(_exc) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


UNAVAILABLE_PAGE = """<!doctype html><html lang="th"><meta charset="utf-8">
<title>ระบบขัดข้องชั่วคราว</title><h1>ระบบขัดข้องชั่วคราว</h1>
<p>ขออภัย ขณะนี้ระบบไม่สามารถบันทึกข้อมูลได้ ข้อมูลที่ท่านส่งยังไม่ถูกบันทึก กรุณาลองใหม่อีกครั้งในอีกสักครู่</p></html>"""

db = Database()
