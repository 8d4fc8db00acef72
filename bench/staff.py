"""Benchmark the staff console over real HTTP on 127.0.0.1: the password step of sign-in (argon2id at
the production cost), the case list, and opening one sealed case (decrypt + audit entry).

Each figure is printed beside a bare Flask endpoint served the same way in the same run, since these
machines are noisy. Run: .venv/bin/python bench/staff.py [--database-url URL] [--complaints N]
"""
from __future__ import annotations

import argparse
import logging
import re
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyotp  # noqa: E402
import requests  # noqa: E402
from flask import Flask  # noqa: E402
from sqlalchemy import select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from bench.common import DETAILS, bench_app, median_seconds  # noqa: E402
from intake.complaints import ComplaintDraft, file_complaint  # noqa: E402
from models import Complaint, RecoveryKey, StaffUser, db, server_keys  # noqa: E402
from models.readers import certify  # noqa: E402
from staff.passwords import hash_password  # noqa: E402

PASSWORD = "bench-password-1"


def serve(app) -> tuple[str, object]:
    """Serve an app on a free loopback port in a thread; return its URL and the server."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="database to use (default: a fresh SQLite file); it is emptied")
    parser.add_argument("--complaints", type=int, default=200, help="complaints on the desk")
    args = parser.parse_args()

    app = bench_app(args.database_url)
    settings = app.config["SETTINGS"]  # production argon2id cost: settings.kdf_cost
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one access-log line per request would be the bench
    secret = pyotp.random_base32()
    with app.app_context():
        officer = StaffUser(username="bench", display_name="bench", roles="officer",
                            password_hash=hash_password(PASSWORD))
        db.session.add(officer)
        db.session.flush()
        officer.create_key_pair(PASSWORD, settings.kdf_cost)
        officer.set_totp_secret(server_keys().keyring, secret)
        _, printed = RecoveryKey.create(db.session)
        certify(db.session, "recovery:bench", RecoveryKey.parse_private(printed), officer)
        db.commit()
        for n in range(args.complaints):
            file_complaint(ComplaintDraft(category="bribery", details=DETAILS, anonymous=False,
                                          name="ผู้ร้อง ทดสอบ", phone="0812345678"), channel="web")
        db.commit()
        case_id = db.session.scalar(select(Complaint.id).limit(1))

    bare = Flask("bare")
    bare.add_url_rule("/", "bare", lambda: "ok")
    bare_url, bare_server = serve(bare)
    base, server = serve(app)
    try:
        http = requests.Session()
        baseline = median_seconds(lambda: http.get(bare_url).raise_for_status(), 300)

        browser = requests.Session()
        token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get(f"{base}/staff/login").text).group(1)

        def password_step():
            response = browser.post(f"{base}/staff/login", data={"username": "bench", "password": PASSWORD,
                                                                  "csrf_token": token}, allow_redirects=False)
            assert response.status_code == 302 and "/staff/login/code" in response.headers["Location"]

        sign_in = median_seconds(password_step, 5)
        password_step()
        browser.post(f"{base}/staff/login/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token},
                     allow_redirects=False)
        listing = median_seconds(lambda: browser.get(f"{base}/staff/cases/").raise_for_status(), 30)

        def open_case():
            response = browser.get(f"{base}/staff/cases/{case_id}")
            assert response.status_code == 200 and "ผู้ร้อง ทดสอบ" in response.text

        opening = median_seconds(open_case, 50)
    finally:
        server.shutdown()
        bare_server.shutdown()

    cost = settings.kdf_cost
    backend = settings.database_url.split(":", 1)[0]
    print(f"Sujarit staff console benchmark ({backend}, HTTP on 127.0.0.1, {args.complaints} complaints)")
    print(f"  bare Flask endpoint (baseline)                 {baseline * 1e3:8.2f} ms")
    print(f"  sign-in password step (argon2id t={cost[0]}, m={cost[1] // 1024} MiB, "
          f"verify + key unlock)  {sign_in * 1e3:8.2f} ms   ({sign_in / baseline:.0f}× bare)")
    print(f"  case list, {args.complaints} complaints with counts        {listing * 1e3:8.2f} ms   "
          f"({listing / baseline:.0f}× bare)")
    print(f"  open one sealed case (decrypt + audit + commit) {opening * 1e3:8.2f} ms   ({opening / baseline:.0f}× bare)")


if __name__ == "__main__":
    main()
