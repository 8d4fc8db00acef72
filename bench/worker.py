"""Benchmark the LINE inbox worker draining stored events, beside a bare worker, on SQLite and PostgreSQL.

N events (default 5,000 from 500 users, each a text message with a reply token the fake LINE API
issued) are stored through the real `bot.inbox.store`. Then, against the same database and the same
fake LINE API (its own gunicorn process on 127.0.0.1):
- the bare worker: claims a batch, decrypts each payload, replies over one keep-alive HTTP session,
  marks the events done and commits: the least any worker must do;
- the product's worker: `flask bot worker` in its own process, as the Procfile runs it, with the dialogs,
  the conversation state, the outbox and its retries.
Each is timed from start until every event is handled, and every event must have been replied to
exactly once, each user's in the order sent (the bench stops with an error otherwise).
Run: .venv/bin/python bench/worker.py [--events 5000] [--users 500] [--database-url URL]
Goal (issue 15): the product's worker at least 0.5 x the bare worker.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from sqlalchemy import func, select, update  # noqa: E402

from bench.webhook import (DEFAULT_PG, TOKEN, fresh_database, postgres_reachable, serve)  # noqa: E402

SECRET = "bench-channel-secret"


def environment(database_url: str, fake_url: str) -> dict:
    """Return the environment both the bench and the worker process build the app from."""
    from config.settings import new_key_text

    instance = tempfile.mkdtemp(prefix="sujarit-bench-worker-")
    return dict(os.environ, SUJARIT_ENV="development", INSTANCE_PATH=instance, DATABASE_URL=database_url,
                SECRET_KEY=secrets.token_urlsafe(32), DATA_KEYS=f"k1:{new_key_text()}", INDEX_KEY=new_key_text(),
                LINE_API_BASE=fake_url, LINE_DATA_API_BASE=fake_url, LOG_LEVEL="WARNING", EMBEDDED_WORKERS="0",
                PUBLIC_BASE_URL="http://127.0.0.1:1", LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN)


def store_events(app, fake_url: str, events: int, users: int) -> dict[str, list[str]]:
    """Store the events through the real inbox; return each user's reply tokens in the order sent."""
    from bot import inbox
    from models import utcnow

    people = [f"U{secrets.token_hex(16)}" for _ in range(users)]
    tokens = requests.Session()
    order: dict[str, list[str]] = {}
    with app.app_context():
        for n in range(events):
            user = people[n % users]
            token = tokens.post(f"{fake_url}/_control/reply-token", timeout=10).json()["replyToken"]
            order.setdefault(user, []).append(token)
            inbox.store([{"type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
                          "webhookEventId": uuid.uuid4().hex.upper()[:26], "deliveryContext": {"isRedelivery": False},
                          "source": {"type": "user", "userId": user}, "replyToken": token,
                          "message": {"type": "text", "id": str(n), "text": "สวัสดีค่ะ"}}], utcnow())
    return order


def bare_worker(app, fake_url: str, batch: int = 50) -> None:
    """Drain the inbox doing the least: claim a batch, decrypt, reply over keep-alive HTTP, mark done, commit."""
    from models import db, server_keys, utcnow
    from models.line import InboxEvent

    http = requests.Session()
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    with app.app_context():
        flight = server_keys().flight
        while True:
            with db.unit_of_work() as session:
                claimed = session.scalars(select(InboxEvent).where(InboxEvent.status == "pending")
                                          .order_by(InboxEvent.id).limit(batch)).all()
                if not claimed:
                    return
                for event in claimed:
                    payload = json.loads(event.payload(flight))
                    answer = http.post(f"{fake_url}/v2/bot/message/reply", headers=headers, timeout=10,
                                       json={"replyToken": payload["replyToken"],
                                             "messages": [{"type": "text", "text": "สวัสดีค่ะ"}]})
                    answer.raise_for_status()
                session.execute(update(InboxEvent).where(InboxEvent.id.in_([e.id for e in claimed]))
                                .values(status="done", processed_at=utcnow()))


def product_worker(env: dict, app, events: int, threads: int) -> None:
    """Run `flask bot worker` until every stored event is handled."""
    from models import db
    from models.line import InboxEvent

    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app:create_app", "bot", "worker",
                                "--threads", str(threads)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        with app.app_context():
            while db.session.scalar(select(func.count()).select_from(InboxEvent)
                                    .where(InboxEvent.status.in_(("pending", "processing")))):
                db.rollback()
                time.sleep(0.05)
    finally:
        process.terminate()
        process.wait(30)


def check_replies(fake_url: str, order: dict[str, list[str]]) -> None:
    """Stop unless every token was replied to exactly once, each user's in the order sent."""
    calls = requests.get(f"{fake_url}/_control/requests", timeout=60).json()["requests"]
    replied = [c["body"].get("replyToken") for c in calls if c["path"].endswith("/reply") and c["body"].get("_ok")]
    if sorted(replied) != sorted(t for tokens in order.values() for t in tokens):
        raise SystemExit(f"replies do not match the events: {len(replied)} replies for "
                         f"{sum(map(len, order.values()))} events")
    position = {token: i for i, token in enumerate(replied)}
    for user, tokens in order.items():
        if [position[t] for t in tokens] != sorted(position[t] for t in tokens):
            raise SystemExit(f"a user's events were answered out of order ({len(tokens)} events)")


def run_backend(name: str, database_url: str, args) -> dict:
    """Time the bare and the product worker on one database."""
    from app import create_app
    from config import load_settings

    figures = {}
    for kind in ("bare", "product"):
        fresh_database(database_url)
        fake, fake_url = serve("bench.webhook:fake_line()", dict(os.environ),
                               ["--workers", "1", "--threads", "16", "--access-logfile", "/dev/null",
                                "--log-level", "warning"])
        try:
            env = environment(database_url, fake_url)
            app = create_app(load_settings(env))
            order = store_events(app, fake_url, args.events, args.users)
            start = time.perf_counter()
            if kind == "bare":
                bare_worker(app, fake_url)
            else:
                product_worker(env, app, args.events, args.threads)
            figures[kind] = args.events / (time.perf_counter() - start)
            check_replies(fake_url, order)
        finally:
            fake.terminate()
            fake.wait(20)
    return {"backend": name, **figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--threads", type=int, default=8, help="the product worker's threads")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG),
                        help="PostgreSQL database to use (emptied!), default %(default)s")
    args = parser.parse_args()
    results = [run_backend("SQLite", f"sqlite:///{tempfile.mkdtemp(prefix='sujarit-bench-')}/bench.db", args)]
    if postgres_reachable(args.database_url):
        results.append(run_backend("PostgreSQL", args.database_url, args))
    print(f"\nLINE worker draining {args.events:,} stored events from {args.users:,} users "
          f"(product: `flask bot worker --threads {args.threads}`), each replied exactly once, in order per user")
    print(f"{'backend':<12}{'bare events/s':>15}{'product events/s':>18}{'x bare':>8}")
    for r in results:
        ratio = r["product"] / r["bare"]
        print(f"{r['backend']:<12}{r['bare']:>15.0f}{r['product']:>18.0f}{ratio:>8.2f}  "
              f"{'OK' if ratio >= 0.5 else 'MISSED'} (goal 0.5 x bare)")


if __name__ == "__main__":
    main()
