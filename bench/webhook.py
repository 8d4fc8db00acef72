"""Benchmark the LINE webhook under gunicorn: acknowledgement latency, events per second, event-to-reply time.

For SQLite and, when it answers, PostgreSQL, the app runs as the Procfile runs it (gunicorn `web` plus a
`flask bot worker` process) against a fake LINE API in its own process. In the same run a bare Flask
endpoint that only checks the signature is served the same way, as the baseline.

Run: .venv/bin/python bench/webhook.py [--seconds 10] [--rate 200] [--database-url URL]
Closed-loop throughput is measured with wrk (Debian's package, installed when missing), as\nissue 15 asks. Only 127.0.0.1 is used. Goals (issues 4 and 15): p99 ack < 50 ms at 200 events/s; throughput at least half the
bare endpoint's; reply within 1 s at p95.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from bench.common import wrk  # noqa: E402
from flask import Flask, request  # noqa: E402
from linebot.v3 import SignatureValidator  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

SECRET = "bench-channel-secret"
TOKEN = "bench-access-token"
#: As issue 15 measured: gunicorn with 2 sync workers, for the product and the bare endpoint alike.
GUNICORN = ["--workers", "2", "--worker-class", "sync", "--access-logfile", "/dev/null", "--error-logfile", "-",
            "--log-level", "warning"]
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/sujarit_bench"


def bare_app() -> Flask:
    """Return the baseline: a Flask endpoint that checks LINE's signature and nothing else."""
    app = Flask("bare")
    validator = SignatureValidator(SECRET)

    @app.post("/line/webhook")
    def webhook():
        body = request.get_data(as_text=True)
        if not validator.validate(body, request.headers.get("X-Line-Signature", "")):
            return "bad signature", 400
        return "ok"

    return app


def fake_line() -> Flask:
    """Return the fake LINE API the bot replies to during the run."""
    from bot.fake_line import fake_line_app

    return fake_line_app(TOKEN)[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, deadline: float = 30) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            requests.get(url, timeout=5)
            return
        except requests.RequestException:  # refused, or bound but still booting its workers
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


def serve(target: str, env: dict, extra: list[str] | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", *(extra or GUNICORN), "--bind", f"127.0.0.1:{port}",
                                target], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url)
    except BaseException:
        process.terminate()  # never leave a gunicorn behind
        raise
    return process, url


def sign(body: bytes) -> str:
    return base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()


def webhook_body(user: str, sent: dict[str, float], token: str) -> bytes:
    """Return a one-event webhook body from `user`, noting when its reply token was sent."""
    event = {"type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
             "webhookEventId": uuid.uuid4().hex.upper()[:26], "deliveryContext": {"isRedelivery": False},
             "source": {"type": "user", "userId": user}, "replyToken": token,
             "message": {"type": "text", "id": str(uuid.uuid4().int)[:18], "text": "สวัสดีค่ะ"}}
    sent[token] = time.time()
    return json.dumps({"destination": "Ubench", "events": [event]}).encode()


class Load:
    """Signed webhook calls from a pool of users, each thread with its own keep-alive connection."""

    def __init__(self, url: str, fake_url: str = "", users: int = 400):
        self.url = url + "/line/webhook"
        #: The fake LINE API issues the reply tokens (it accepts no others); the bare endpoint needs none.
        self.fake_url = fake_url
        self.users = [f"U{secrets.token_hex(16)}" for _ in range(users)]
        self.sent: dict[str, float] = {}
        self.local = threading.local()

    def post(self) -> float:
        session = getattr(self.local, "session", None) or requests.Session()
        self.local.session = session
        token = (session.post(f"{self.fake_url}/_control/reply-token", timeout=10).json()["replyToken"]
                 if self.fake_url else secrets.token_hex(16))
        body = webhook_body(secrets.choice(self.users), self.sent, token)
        start = time.perf_counter()
        answer = session.post(self.url, data=body, timeout=10,
                              headers={"Content-Type": "application/json", "X-Line-Signature": sign(body)})
        elapsed = time.perf_counter() - start
        if answer.status_code != 200:
            raise SystemExit(f"webhook answered {answer.status_code}")
        return elapsed

    def paced(self, rate: int, seconds: float) -> list[float]:
        """Send `rate` events a second for `seconds` (open loop) and return each acknowledgement time."""
        total = int(rate * seconds)
        start = time.perf_counter()

        def one(n: int) -> float:
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            return self.post()

        with ThreadPoolExecutor(max_workers=32) as pool:
            return list(pool.map(one, range(total)))

    def closed_loop(self, connections: int, seconds: float) -> dict:
        """Send distinct signed events as fast as wrk's `connections` can for `seconds`; return wrk's figures."""
        threads, per_thread = 2, int(8000 * seconds)  # more than either server acknowledges in the time
        requests = [[("POST", "/line/webhook", {"Content-Type": "application/json", "X-Line-Signature": sign(body)},
                      body.decode()) for body in (webhook_body(secrets.choice(self.users), {}, secrets.token_hex(16))
                                                  for _ in range(per_thread))] for _ in range(threads)]
        return wrk(self.url.rsplit("/line/webhook", 1)[0], requests, seconds, connections)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def fresh_database(url: str) -> None:
    """Create the bench schema from the models, on an emptied database."""
    from models import Base

    engine = create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        Base.metadata.create_all(connection)
    engine.dispose()


def postgres_reachable(url: str) -> bool:
    """Return True when PostgreSQL answers, creating the bench database if it is missing."""
    from sqlalchemy.engine import make_url

    target = make_url(url)
    try:
        admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                        {"n": target.database}).scalar()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{target.database}"'))
        admin.dispose()
        return True
    except Exception as exc:  # noqa: BLE001 - any failure means: skip PostgreSQL, saying why
        print(f"PostgreSQL skipped: {type(exc).__name__}")
        return False


def run_backend(name: str, database_url: str, args, bare_figures: dict) -> dict:
    """Measure the webhook on one database; return its figures."""
    from config.settings import new_key_text

    fresh_database(database_url)
    fake, fake_url = serve("bench.webhook:fake_line()", dict(os.environ),
                           ["--workers", "1", "--threads", "32", "--access-logfile", "/dev/null", "--log-level", "warning"])
    instance = tempfile.mkdtemp(prefix="sujarit-bench-")
    env = dict(os.environ, SUJARIT_ENV="development", INSTANCE_PATH=instance, DATABASE_URL=database_url,
               SECRET_KEY=secrets.token_urlsafe(32), DATA_KEYS=f"k1:{new_key_text()}", INDEX_KEY=new_key_text(),
               LINE_API_BASE=fake_url, LINE_DATA_API_BASE=fake_url, LOG_LEVEL="WARNING",
               EMBEDDED_WORKERS="0", PUBLIC_BASE_URL="http://127.0.0.1:1")
    # LINE credentials make it a real channel (no simulator): the bench's own secret signs the calls.
    env.update(LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN)
    web, url = serve("app:create_app()", env)
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app:create_app", "bot", "worker",
                               "--threads", "8"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        load = Load(url, fake_url)
        for _ in range(50):
            load.post()  # warm up connections and caches
        time.sleep(1)
        load.sent.clear()
        acks = load.paced(args.rate, args.seconds)
        paced_sent = dict(load.sent)
        replies = wait_for_replies(fake_url, paced_sent, deadline=30 + args.seconds)
        # The closed loop measures the acknowledgement alone: the worker would otherwise take CPU from it.
        worker.terminate()
        worker.wait(20)
        closed = load.closed_loop(args.clients, args.burst)
    finally:
        for process in (worker, web, fake):
            process.terminate()
        for process in (worker, web, fake):
            process.wait(20)
    return {"backend": name, "p50": percentile(acks, 50), "p99": percentile(acks, 99), "rate": args.rate,
            "throughput": closed["rate"], "closed_p99": closed["p99"],
            "reply_p95": percentile(replies, 95) if replies else float("nan"),
            "replied": len(replies), "sent": len(paced_sent), "bare": bare_figures}


def wait_for_replies(fake_url: str, sent: dict[str, float], deadline: float) -> list[float]:
    """Wait until every paced event got its reply (or the deadline) and return the delays in seconds."""
    end = time.monotonic() + deadline
    while True:
        calls = requests.get(f"{fake_url}/_control/requests", timeout=30).json()["requests"]
        arrived = {c["body"]["replyToken"]: c["at"] for c in calls
                   if c["path"].endswith("/reply") and c["body"].get("replyToken") in sent}
        if len(arrived) == len(sent) or time.monotonic() > end:
            return [arrived[token] - sent[token] for token in arrived]
        time.sleep(0.5)


def run_bare(args) -> dict:
    """Measure the bare signature-checking endpoint served the same way."""
    bare, url = serve("bench.webhook:bare_app()", dict(os.environ))
    try:
        load = Load(url)
        for _ in range(50):
            load.post()
        acks = load.paced(args.rate, args.seconds)
        closed = load.closed_loop(args.clients, args.burst)
    finally:
        bare.terminate()
        bare.wait(20)
    return {"p50": percentile(acks, 50), "p99": percentile(acks, 99), "throughput": closed["rate"],
            "closed_p99": closed["p99"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="length of the paced phase")
    parser.add_argument("--rate", type=int, default=200, help="events per second in the paced phase")
    parser.add_argument("--burst", type=float, default=5, help="length of the flat-out phase")
    parser.add_argument("--clients", type=int, default=16, help="concurrent connections in the flat-out phase")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG),
                        help="PostgreSQL database to use (emptied!), default %(default)s")
    args = parser.parse_args()
    started = time.monotonic()

    bare = run_bare(args)
    results = [run_backend("SQLite", f"sqlite:///{tempfile.mkdtemp(prefix='sujarit-bench-')}/bench.db", args, bare)]
    if postgres_reachable(args.database_url):
        results.append(run_backend("PostgreSQL", args.database_url, args, bare))

    ms = 1000
    print(f"\nLINE webhook under gunicorn ({' '.join(GUNICORN[:4])}); paced: {args.rate} events/s for "
          f"{args.seconds:g} s with the worker process running; closed loop: wrk, {args.clients} connections, "
          f"{args.burst:g} s, worker stopped")
    print(f"{'endpoint':<28}{'paced p50':>10}{'paced p99':>10}{'closed req/s':>13}{'x bare':>7}{'closed p99':>11}"
          f"{'reply p95':>10}")
    print(f"{'bare (signature only)':<28}{bare['p50'] * ms:>8.1f}ms{bare['p99'] * ms:>8.1f}ms"
          f"{bare['throughput']:>13.0f}{1:>7.2f}{bare['closed_p99']:>9.1f}ms{'-':>10}")
    for r in results:
        print(f"{'webhook + inbox, ' + r['backend']:<28}{r['p50'] * ms:>8.1f}ms{r['p99'] * ms:>8.1f}ms"
              f"{r['throughput']:>13.0f}{r['throughput'] / bare['throughput']:>7.2f}{r['closed_p99']:>9.1f}ms"
              f"{r['reply_p95']:>9.2f}s")
    print("\ngoals: ack p99 < 50 ms at 200 events/s; events/s >= 0.5 x bare; reply p95 < 1 s")
    for r in results:
        verdict = [
            f"ack p99 {'OK' if r['p99'] < 0.05 else 'MISSED'}",
            f"throughput {r['throughput'] / bare['throughput']:.2f} x bare "
            f"{'OK' if r['throughput'] >= 0.5 * bare['throughput'] else 'MISSED'}",
            f"reply p95 {'OK' if r['reply_p95'] < 1 else 'MISSED'} ({r['replied']}/{r['sent']} replied)",
        ]
        print(f"{r['backend']}: " + "; ".join(verdict))
    print(f"(run took {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
