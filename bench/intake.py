"""Benchmark the citizen web intake: rating and complaint submissions per second under gunicorn.

Each backend (SQLite, and PostgreSQL when it answers on 127.0.0.1:5432) is served by gunicorn on
127.0.0.1 exactly like a bare Flask endpoint that only parses the same form; the bare endpoint is
measured in the same run as the baseline. CSRF protection, rate limiting and encryption stay on.
Run: .venv/bin/python bench/intake.py [--seconds 5] [--clients 2] [--workers 2] [--pg-url URL]
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path and would shadow the real `intake` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_intake"
RATING = {"process": "5", "staff": "4", "facilities": "4", "quality": "5", "suggestion": "อยากให้มีที่จอดรถเพิ่ม"}
COMPLAINT = {"category": "bribery", "details": "เจ้าหน้าที่เรียกรับเงินเพื่ออำนวยความสะดวกในการออกใบอนุญาตก่อสร้าง " * 4,
             "accused": "เจ้าหน้าที่กองช่าง", "place_time": "ห้องกองช่าง ช่วงบ่าย", "identity": "anonymous"}


def make_app():
    """Build the Sujarit app gunicorn serves, from the BENCH_* environment the bench sets."""
    from app import create_app
    from config import load_settings
    from intake.limits import Limit

    app = create_app(load_settings({
        "SUJARIT_ENV": "development", "INSTANCE_PATH": os.environ["BENCH_INSTANCE"],
        "DATABASE_URL": os.environ["BENCH_DATABASE_URL"], "SECRET_KEY": os.environ["BENCH_SECRET"],
        "DATA_KEYS": os.environ["BENCH_DATA_KEYS"], "INDEX_KEY": os.environ["BENCH_INDEX_KEY"],
        "LOG_LEVEL": "WARNING", "EMBEDDED_WORKERS": "0"}))
    # One client address sends everything here; lift the per-address limits, but keep counting.
    app.config["INTAKE_LIMITS"] = {name: Limit(10**9, 600) for name in ("rating", "complaint")}
    return app


def bare_app():
    """Build the baseline: a bare Flask endpoint that parses the same form and answers a small page."""
    from flask import Flask, request

    app = Flask("bare")

    @app.post("/bare")
    def bare():
        return f"<!doctype html><p>ok {len(request.form)}</p>"

    return app


def prepare_database(url: str, instance: Path, env: dict) -> None:
    """Build a fresh schema with the demo profile's service points, one officer and a recovery key."""
    from sqlalchemy import create_engine

    from app import create_app
    from config import load_settings
    from intake.service_points import sync_service_points
    from models import Base, StaffUser, db
    from models.readers import certify
    from models.staff import RecoveryKey

    engine = create_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    engine.dispose()
    app = create_app(load_settings({**env, "SUJARIT_ENV": "development", "INSTANCE_PATH": str(instance),
                                    "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}))
    with app.app_context():
        sync_service_points(app.config["PROFILE"])
        officer = StaffUser(username="officer", display_name="officer", roles="officer", password_hash="-")
        db.session.add(officer)
        db.session.flush()
        officer.create_key_pair("bench-password-1", (1, 1024, 1))
        _, printed = RecoveryKey.create(db.session)
        certify(db.session, "recovery:bench", RecoveryKey.parse_private(printed), officer)
        db.commit()


def ensure_pg_database(url: str) -> bool:
    """Return True when PostgreSQL answers, creating the bench database if it is missing."""
    try:
        socket.create_connection(("127.0.0.1", 5432), 1).close()
    except OSError:
        return False
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(spec: str, env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    """Start gunicorn on 127.0.0.1 for an app factory; return the process and its port once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--worker-class", "sync", "--log-level", "warning", "--pythonpath", str(ROOT), spec],
        env={**os.environ, **env}, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:  # an answer, not only an open port: the workers may still be importing
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            connection.close()
            return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn did not start for {spec}")


def _form_session(port: int, form_path: str) -> tuple[str, str]:
    """Open a form as a new browser would; return its cookie and CSRF token."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", form_path)
    response = connection.getresponse()
    html = response.read().decode()
    connection.close()
    return (response.getheader("Set-Cookie").split(";", 1)[0],
            re.search(r'name="csrf_token" value="([^"]+)"', html).group(1))


def measure(port: int, form_path: str, post_path: str, fields: dict, seconds: float, connections: int) -> dict:
    """Post the form closed loop with wrk; return wrk's figures (req/s, p50, p99 in ms)."""
    from bench.common import wrk  # here, not at the top: the bare app's workers need not import the product

    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if form_path:
        # The cookie from before the first rating: each post is a new browser, as far as the cookie goes.
        headers["Cookie"], token = _form_session(port, form_path)
        fields = {**fields, "csrf_token": token}
    per_thread = int(3000 * seconds) if post_path == "/complaint" else 1
    def body() -> str:
        if post_path != "/complaint":
            return urlencode(fields)
        # Its own one-time number, and its own words: the same complaint again is refused (409).
        unique = secrets.token_urlsafe(16)
        return urlencode({**fields, "submission": unique, "details": f"{fields['details']} ({unique})"})

    requests = [[("POST", post_path, headers, body()) for _ in range(per_thread)] for _ in range(2)]
    complaints = post_path == "/complaint"
    wrk(f"http://127.0.0.1:{port}", requests, min(1.0, seconds), connections, complaints)  # warm up
    return wrk(f"http://127.0.0.1:{port}", requests, seconds, connections, complaints)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per figure (default 5)")
    parser.add_argument("--clients", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG),
                        help=f"PostgreSQL database to use and wipe (default {DEFAULT_PG})")
    args = parser.parse_args()

    from config.settings import new_key_text

    workdir = Path(tempfile.mkdtemp(prefix="sujarit-bench-intake-"))
    keys = {"SECRET_KEY": "bench-secret-key-" + new_key_text(), "DATA_KEYS": f"k1:{new_key_text()}",
            "INDEX_KEY": new_key_text()}
    backends = [("SQLite", f"sqlite:///{workdir / 'bench.db'}")]
    if ensure_pg_database(args.pg_url):
        backends.append(("PostgreSQL", args.pg_url))
    else:
        print("PostgreSQL does not answer on 127.0.0.1:5432: measuring SQLite only")
    print(f"gunicorn, {args.workers} sync workers; wrk closed loop, {args.clients} connections, "
          f"{args.seconds:.0f} s per figure, CPUs: {os.cpu_count()}")

    # The bare endpoint is measured right before each figure: these machines are shared and their load drifts.
    bare_process, bare_port = serve("bench.intake:bare_app()", {}, args.workers)
    try:
        for label, url in backends:
            prepare_database(url, workdir, keys)
            env = {"BENCH_INSTANCE": str(workdir), "BENCH_DATABASE_URL": url, "BENCH_SECRET": keys["SECRET_KEY"],
                   "BENCH_DATA_KEYS": keys["DATA_KEYS"], "BENCH_INDEX_KEY": keys["INDEX_KEY"]}
            process, port = serve("bench.intake:make_app()", env, args.workers)
            try:
                for name, form, fields in (("ratings", "/r/TAX", RATING), ("complaints", "/complaint", COMPLAINT)):
                    bare = measure(bare_port, "", "/bare", RATING, args.seconds, args.clients)
                    ours = measure(port, form, form, fields, args.seconds, args.clients)
                    verdict = ("OK" if ours["rate"] >= 0.5 * bare["rate"] else "MISSED") if name == "ratings" else ""
                    print(f"{label + ' ' + name:<24} {ours['rate']:7.0f} /s (p99 {ours['p99']:6.1f} ms)   "
                          f"bare endpoint {bare['rate']:7.0f} /s (p99 {bare['p99']:6.1f} ms)   "
                          f"= {ours['rate'] / bare['rate']:4.2f} x bare {verdict}"
                          + (f" ({ours['refused']} answered 4xx)" if ours["refused"] else ""), flush=True)
            finally:
                process.terminate()
                process.wait()
    finally:
        bare_process.terminate()
        bare_process.wait()
    print("goal: ratings at 0.50 x bare or better")


if __name__ == "__main__":
    main()
