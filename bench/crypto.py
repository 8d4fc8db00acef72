"""Benchmark the record encryption: seal-and-store a complaint, unlock an officer key, one tier-C field.

Each figure is printed beside a bare AES-256-GCM call measured in the same run, since these
machines are noisy. Run: .venv/bin/python bench/crypto.py [--database-url URL]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.common import DETAILS, bench_app, median_seconds  # noqa: E402
from intake.complaints import ComplaintDraft, file_complaint  # noqa: E402
from models import (  # noqa: E402
    Complaint, ComplaintContent, RecoveryKey, StaffUser, complaint_recipients, crypto, db, server_keys, utcnow,
)
from models.readers import certify  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="database to store complaints in (default: a fresh SQLite file)")
    parser.add_argument("--complaints", type=int, default=200, help="complaints per round")
    args = parser.parse_args()

    app = bench_app(args.database_url)
    settings = app.config["SETTINGS"]

    aes_key, nonce, ad = crypto.new_key(), b"\x00" * 12, b"sujarit|bench|1|field"
    payload = DETAILS.encode()
    bare = median_seconds(lambda: AESGCM(aes_key).encrypt(nonce, payload, ad), 5000)

    with app.app_context():
        officers = []
        for n in range(3):  # a typical office: three complaint officers plus the recovery key
            user = StaffUser(username=f"officer{n}", display_name="bench", roles="officer", password_hash="-")
            db.session.add(user)
            db.session.flush()
            user.create_key_pair("bench-password-1", settings.kdf_cost)
            officers.append(user)
        _, printed = RecoveryKey.create(db.session)
        for user in officers:
            certify(db.session, "recovery:bench", RecoveryKey.parse_private(printed), user)
        db.commit()

        def file_one():
            file_complaint(ComplaintDraft(category="bribery", details=DETAILS, anonymous=False,
                                          name="ผู้ร้อง ทดสอบ", phone="0812345678"), channel="web")
            db.commit()

        seal_store = median_seconds(file_one, args.complaints, rounds=3)
        recipients = complaint_recipients(db.session)
        content = ComplaintContent(details=DETAILS, contact={"name": "ผู้ร้อง ทดสอบ", "phone": "0812345678"})
        now = utcnow()
        scratch = Session()  # never flushed: measures the sealing alone

        def seal_only():
            Complaint.file(scratch, server_keys().index, channel="web", category="bribery", content=content,
                           recipients=recipients, received_at=now, due_at=now, wants_updates=False)
            scratch.expunge_all()

        seal = median_seconds(seal_only, args.complaints, rounds=3)
        unlock = median_seconds(lambda: officers[0].unlock_private_key("bench-password-1"), 5, rounds=3)
        keyring = server_keys().keyring
        tier_c = median_seconds(lambda: keyring.encrypt(payload, ad), 5000)
        flight = server_keys().flight
        tier_f = median_seconds(lambda: flight.encrypt(payload, ad), 5000)
        day_hash = median_seconds(lambda: flight.daily_digest("line_user", "U0123456789abcdef"), 5000)
    backend = settings.database_url.split(":", 1)[0]
    cost = settings.kdf_cost
    print(f"Sujarit crypto benchmark ({backend}, {len(payload)} bytes of Thai text, 3 officers + recovery key)")
    print(f"  bare AES-256-GCM encrypt (baseline)   {bare * 1e6:10.1f} µs")
    print(f"  tier-C field encryption (keyring)     {tier_c * 1e6:10.1f} µs   ({tier_c / bare:.1f}× bare)")
    print(f"  tier-F field encryption (epoch key)   {tier_f * 1e6:10.1f} µs   ({tier_f / bare:.1f}× bare; "
          f"the key is cached in memory, the key-state file is read once an hour)")
    print(f"  day-keyed hash of a LINE user id      {day_hash * 1e6:10.1f} µs")
    print(f"  seal one complaint (no database)      {seal * 1e6:10.1f} µs   ({seal / bare:.0f}× bare)")
    print(f"  seal and store one complaint          {seal_store * 1e6:10.1f} µs   ({seal_store / bare:.0f}× bare; "
          f"includes the database commit)")
    print(f"  unlock an officer key (argon2id t={cost[0]}, m={cost[1] // 1024} MiB)  {unlock * 1e3:6.1f} ms   "
          f"({unlock / bare:.0f}× bare)")


if __name__ == "__main__":
    main()
