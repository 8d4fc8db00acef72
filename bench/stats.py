"""Benchmark the statistics over 1,000,000 complaints and 1,000,000 ratings, on SQLite and PostgreSQL.

Prints the complaint year table (replayed in full, then from month-boundary snapshots as the clock
leaves them) and the satisfaction year table (from its monthly roll-ups, with the running month
counted live) beside a bare count(*) of the same table in the same run, with the goals (issue 15:
under 1 s; satisfaction also under 3x the count), and the peak Python memory of the streaming CSV register export of the whole
year beside that of one month, to show memory does not grow with the row count.
Run: .venv/bin/python bench/stats.py [--rows 1000000] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/bench_stats]
The PostgreSQL database (bench_stats by default) is created when missing and emptied; never point it at
a test database.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import resource
import subprocess
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app import create_app  # noqa: E402
from config import load_settings  # noqa: E402
from config.settings import new_key_text  # noqa: E402
from intake.service_points import sync_service_points  # noqa: E402
from models import CHANNELS, Base, db  # noqa: E402
from stats.complaints import complaint_table  # noqa: E402
from stats.export import write_register  # noqa: E402
from stats.fiscal import period_from_key, whole_year  # noqa: E402
from stats.numbers import half_up  # noqa: E402
from stats.satisfaction import satisfaction_table  # noqa: E402
from stats.standing import take_snapshot  # noqa: E402

FISCAL_YEAR = 2568
KEYS, INDEX_KEY = f"k1:{new_key_text()}", new_key_text()
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_stats"
#: The last three are closed statuses: the generator closes a complaint when its index is 2 or more.
STATUSES = ("received", "in_progress", "completed", "forwarded", "not_accepted")


def timed(fn, rounds: int = 5):
    """Return the median seconds of several calls after a warm-up call (the first call alone when it is
    slow, to keep the run short), and the result."""
    start = time.perf_counter()
    result = fn()
    first = time.perf_counter() - start
    if first > 2:
        return first, result
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


CATEGORIES = ("bribery", "unfair_service", "abuse_of_power", "budget_property", "procurement", "misconduct")
START = "2024-09-30 17:00:00"  # 1 October 2024 00:00 in Bangkok, as naive UTC
YEAR_SECONDS = 365 * 86400
COMPLAINT_COLUMNS = ("id", "tracking_index", "received_at", "channel", "category", "status", "status_changed_at",
                     "previous_status", "previous_changed_at", "due_at", "closed_at", "recorded_at", "wants_updates", "details_sealed", "accused_sealed",
                     "place_time_sealed", "contact_sealed", "line_user_sealed", "citizen_key_by_code",
                     "citizen_key_by_data")
SEALED = ("details_sealed", "accused_sealed", "place_time_sealed", "contact_sealed", "line_user_sealed",
          "citizen_key_by_code", "citizen_key_by_data")


def _pick(values, index_sql: str) -> str:
    """Return SQL choosing values[index] for an integer index expression (both dialects)."""
    whens = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
    return f"(CASE {index_sql} {whens} END)"


def load_sql(dialect: str, rows: int, point_ids: list[int], aspects: list[str]) -> list[str]:
    """Return the statements that generate the synthetic rows inside the database itself.

    Generating server-side (generate_series / a recursive CTE) keeps a million-row load to seconds;
    sealed columns get random bytes, as real ciphertexts would be. Ids and tracking indexes ascend
    with the row number so the primary-key and unique indexes are appended to, not shuffled."""
    if dialect == "postgresql":
        rnd = lambda n: f"floor(random() * {n})::int"  # noqa: E731
        blob = "decode(md5(random()::text) || md5(random()::text), 'hex')"
        uid = "lpad(to_hex(g), 32, '0')::uuid"
        key = "decode(lpad(to_hex(g), 16, '0') || md5(random()::text), 'hex')"
        at = lambda secs: f"(timestamp '{START}' + ({secs}) * interval '1 second')"  # noqa: E731
        series = f"generate_series(1::bigint, {rows}) AS g"
        prefix = ""
    else:
        rnd = lambda n: f"(abs(random()) % {n})"  # noqa: E731
        blob, uid, key = "randomblob(32)", "printf('%032x', g)", "CAST(printf('%016d', g) AS BLOB) || randomblob(16)"
        at = lambda secs: f"(strftime('%Y-%m-%d %H:%M:%S', '{START}', '+' || ({secs}) || ' seconds') || '.000000')"  # noqa: E731
        series = "seq"
        prefix = f"WITH RECURSIVE seq(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM seq WHERE g < {rows}) "
    # A hash of the row number, not random(): SQLite would re-draw random() wherever a column is used.
    mix = lambda col, factor, n: f"(({col} * {factor}) % 1000003 % {n})" if n < 1000003 else f"({col} * {factor} % {n})"  # noqa: E731
    statuses = _pick(STATUSES, "st")
    # Closed 1-59 days after receipt, taken up (in progress) the next day: the status history says the same.
    closed = f"CASE WHEN st >= 2 THEN {at('secs + 86400 * (1 + d)')} END"
    changed = f"CASE WHEN st >= 2 THEN {at('secs + 86400 * (1 + d)')} WHEN st = 1 THEN {at('secs + 86400')} " \
              f"ELSE {at('secs')} END"
    complaints = (
        f"{prefix}INSERT INTO complaints ({', '.join(COMPLAINT_COLUMNS)}) "
        f"SELECT {uid}, {key}, {at('secs')}, {_pick(list(CHANNELS), 'ch')}, {_pick(CATEGORIES, 'cat')}, {statuses}, "
        f"{changed}, CASE WHEN st >= 1 THEN 'received' END, CASE WHEN st >= 1 THEN {at('secs')} END, "
        f"{at('secs + 15 * 86400')}, {closed}, {at('secs')}, false, {', '.join([blob] * len(SEALED))} "
        f"FROM (SELECT g, {mix('g', 2654435761, YEAR_SECONDS)} AS secs, {mix('g', 40503, 5)} AS st, "
        f"{mix('g', 69069, 5)} AS ch, {mix('g', 48271, 6)} AS cat, {mix('g', 16807, 59)} AS d FROM {series}) AS s")
    events = [
        "INSERT INTO complaint_events (complaint_id, seq, at, status, recorded_at) "
        "SELECT id, 1, received_at, 'received', received_at FROM complaints",
        "INSERT INTO complaint_events (complaint_id, seq, at, status, from_status, recorded_at) "
        "SELECT id, 2, status_changed_at, status, 'received', status_changed_at FROM complaints "
        "WHERE status <> 'received'"]
    points = f"(CASE {rnd(len(point_ids))} " + " ".join(f"WHEN {i} THEN {p}" for i, p in enumerate(point_ids)) + " END)"
    ratings = (
        f"{prefix}INSERT INTO ratings (id, service_point_id, created_at, channel, suggestion_enc) "
        f"SELECT {uid}, {points}, {at(rnd(YEAR_SECONDS))}, 'qr', CASE WHEN mod(g, 5) = 0 THEN {blob} END FROM {series}")
    aspect_rows = " UNION ALL ".join(f"SELECT '{a}' AS aspect" for a in aspects)
    score = f"(CASE {rnd(8)} WHEN 0 THEN 2 WHEN 1 THEN 3 WHEN 2 THEN 3 WHEN 3 THEN 4 WHEN 4 THEN 4 " \
            f"WHEN 5 THEN 4 WHEN 6 THEN 5 ELSE 5 END)"
    answers = (f"INSERT INTO rating_answers (rating_id, aspect, score, service_point_id, created_at) "
               f"SELECT r.id, a.aspect, {score}, r.service_point_id, r.created_at "
               f"FROM ratings AS r CROSS JOIN ({aspect_rows}) AS a")
    return [complaints, *events, ratings, answers]


def load(rows: int) -> None:
    """Build the schema, then generate the synthetic rows in bulk inside the database."""
    engine = db.engine
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        Base.metadata.create_all(connection)
    with db.unit_of_work():
        sync_service_points(_profile())
    with engine.connect() as connection:
        point_ids = [r[0] for r in connection.execute(text("SELECT id FROM service_points ORDER BY id"))]
    aspects = [a.code for a in _profile().aspects]
    # Secondary indexes are built once after the load: far cheaper than a million random inserts into each.
    postgres = engine.dialect.name == "postgresql"
    indexes = [index for table in Base.metadata.sorted_tables for index in table.indexes]
    with engine.begin() as connection:
        for index in indexes:
            index.drop(connection)
        for statement in load_sql(engine.dialect.name, rows, point_ids, aspects):
            # The driver reads % as a placeholder on PostgreSQL; here it is the modulo operator.
            connection.exec_driver_sql(statement.replace("%", "%%") if postgres else statement)
        for index in indexes:
            index.create(connection)
    # The steady state autovacuum keeps: statistics, and a visibility map so covering indexes are read alone.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE" if postgres else "ANALYZE")


def _profile():
    from flask import current_app

    return current_app.config["PROFILE"]


def _verdict(seconds: float, bare: float, ratio_goal: float | None = None) -> str:
    verdict = "OK" if seconds < 1 else "MISSED"
    if ratio_goal is not None and db.engine.dialect.name == "postgresql":  # the ratio goal is PostgreSQL's
        verdict += f", {seconds / bare:.1f}x count(*) {'OK' if seconds < ratio_goal * bare else 'MISSED'}"
    return verdict


def measure_queries(label: str, rows: int) -> None:
    """Print the year tables beside a bare count(*) of the same tables, with and without snapshots."""
    year = whole_year(FISCAL_YEAR)
    as_of = datetime(2025, 9, 30, 17, 0, tzinfo=timezone.utc)  # the end of FY 2568
    mid_year = datetime(2025, 3, 31, 17, 0, tzinfo=timezone.utc)  # 1 April in Bangkok
    mid_month = datetime(2025, 9, 15, 5, 0, tzinfo=timezone.utc)  # 15 September, noon in Bangkok
    count_complaints, _ = timed(lambda: db.session.execute(text("SELECT count(*) FROM complaints")).scalar())
    replayed = db.session.execute(text("SELECT count(*) FROM complaints WHERE received_at <= :t "
                                       "AND status_changed_at > :t"), {"t": mid_year.replace(tzinfo=None)}).scalar()
    # First with no snapshot: every complaint of the year replayed from its history.
    full, table = timed(lambda: complaint_table(year, as_of))
    assert table.received == rows, (table.received, rows)  # every synthetic complaint falls in the year
    full_mid, _ = timed(lambda: complaint_table(year, mid_year))
    # Then as the clock leaves it: a snapshot at each month boundary.
    start = time.perf_counter()
    for month in year.months[1:] + (year.months[-1].next(),):
        take_snapshot(month.bounds_utc()[0])
    db.commit()
    snapshots = time.perf_counter() - start
    end_of_year, snapped = timed(lambda: complaint_table(year, as_of))
    at_mid_year, _ = timed(lambda: complaint_table(year, mid_year))
    in_month, month_table = timed(lambda: complaint_table(year, mid_month))
    take_snapshot(datetime(2025, 9, 14, 17, 0, tzinfo=timezone.utc), month_boundary=False)  # that midnight
    db.commit()
    from_midnight, midnight_table = timed(lambda: complaint_table(year, mid_month))
    assert [vars(m) for m in midnight_table.months] == [vars(m) for m in month_table.months]
    assert [vars(m) for m in snapped.months] == [vars(m) for m in table.months], "a snapshot changed the figures"
    count_answers, _ = timed(lambda: db.session.execute(text("SELECT count(*) FROM rating_answers")).scalar(), 3)
    year_satisfaction, satisfaction = timed(lambda: satisfaction_table(year, as_of), 3)
    month_satisfaction, _ = timed(lambda: satisfaction_table(year, mid_month), 3)
    overall = satisfaction.overall
    ms = 1000
    print(f"{label}: complaint year table over {rows:,} complaints, bare count(*) {count_complaints * ms:7.1f} ms "
          f"(received {table.received:,}, completed {table.completed:,}):")
    print(f"  full replay, as of the year's end:          {full * ms:8.1f} ms  {_verdict(full, count_complaints)}")
    print(f"  full replay, as of 1 April ({replayed:,} changed since): {full_mid * ms:8.1f} ms  "
          f"{_verdict(full_mid, count_complaints)}")
    print(f"  12 month-boundary snapshots taken in {snapshots:.1f} s (the clock takes one a month)")
    print(f"  from snapshots, as of the year's end:       {end_of_year * ms:8.1f} ms  "
          f"{_verdict(end_of_year, count_complaints)} (same figures as the full replay)")
    print(f"  from snapshots, as of 1 April:              {at_mid_year * ms:8.1f} ms  {_verdict(at_mid_year, count_complaints)}")
    print(f"  as of 15 September noon, from 1 September:  {in_month * ms:8.1f} ms  {_verdict(in_month, count_complaints)} "
          f"(received {month_table.received:,})")
    print(f"  as of 15 September noon, from that midnight: {from_midnight * ms:7.1f} ms  "
          f"{_verdict(from_midnight, count_complaints)} (the clock keeps the last midnight's snapshot for reports as of now)")
    print(f"{label}: satisfaction year table over {rows:,} ratings ({overall.scores.n:,} answers), bare count(*) of "
          f"rating_answers {count_answers * ms:7.1f} ms (respondents {overall.respondents:,}, mean "
          f"{half_up(overall.scores.mean)}):")
    print(f"  as of the year's end (12 closed months):    {year_satisfaction * ms:8.1f} ms  "
          f"{_verdict(year_satisfaction, count_answers, 3)}")
    print(f"  as of 15 September noon (one month live):   {month_satisfaction * ms:8.1f} ms  "
          f"{_verdict(month_satisfaction, count_answers, 3)}")


def measure_export(label: str, url: str) -> None:
    """Print the peak memory of the streaming CSV export of one month and of the whole year, each in a fresh process."""
    results = []
    for key in ("2567-10", str(FISCAL_YEAR)):
        output = subprocess.run([sys.executable, __file__, "--export", url, "--period", key], check=True,
                                capture_output=True, text=True, timeout=600).stdout.split()
        results.append(tuple(float(x) for x in output[-4:]))
    for (written, baseline, peak, elapsed), name in zip(results, ("one month", "the whole year")):
        print(f"{label}: CSV register export of {name}: {written:>11,.0f} rows in {elapsed:5.1f} s; process peak RSS "
              f"{peak / 1024:6.1f} MB, {(peak - baseline) / 1024:5.1f} MB above the {baseline / 1024:.1f} MB "
              f"before the export")
    growth = (results[1][2] - results[1][1]) - (results[0][2] - results[0][1])
    print(f"{label}: export memory, whole year against one month: {growth / 1024:+.1f} MB "
          f"for {results[1][0] / results[0][0]:.1f}x the rows")


def export_once(url: str, key: str) -> None:
    """Export one period's register to a temporary file; print rows, RSS before, peak RSS (KiB) and seconds."""
    app = create_app(load_settings(_environ(url)))
    with app.app_context(), tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as out:
        as_of = datetime(2025, 9, 30, 17, 0, tzinfo=timezone.utc)
        period = period_from_key(key)
        db.session.execute(text("SELECT 1"))
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        written = write_register(out, period, as_of)
        elapsed = time.perf_counter() - start
        print(written, baseline, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, f"{elapsed:.2f}")


def _environ(url: str) -> dict[str, str]:
    return {"SUJARIT_ENV": "testing", "INSTANCE_PATH": tempfile.mkdtemp(prefix="bench-stats-"),
            "DATABASE_URL": url, "SECRET_KEY": "bench-secret-key-long-enough-0000000",
            "DATA_KEYS": KEYS, "INDEX_KEY": INDEX_KEY, "LOG_LEVEL": "WARNING"}


def run(url: str, label: str, rows: int, export: bool) -> None:
    """Load, then measure, one database."""
    app = create_app(load_settings(_environ(url)))
    with app.app_context():
        start = time.perf_counter()
        load(rows)
        print(f"{label}: loaded {rows:,} complaints and {rows:,} ratings ({rows * 4:,} answers) "
              f"in {time.perf_counter() - start:.1f} s")
        measure_queries(label, rows)
        db.rollback()
    if export:
        measure_export(label, url)


def ensure_pg_database(url: str) -> bool:
    """Create the bench database when PostgreSQL answers and it is missing; return False when unreachable."""
    target = make_url(url)
    if target.database in {"test", "postgres"} or target.database.startswith("test"):
        sys.exit(f"refusing to use {target.database} for the bench: use a database of its own (bench_stats)")
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                        {"n": target.database}).scalar()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    except Exception as exc:  # noqa: BLE001 - any failure means: skip PostgreSQL, say why
        print(f"PostgreSQL: skipped ({type(exc).__name__}: not reachable at {target.host}:{target.port})")
        return False
    finally:
        admin.dispose()
    return True


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pg", default=os.environ.get("BENCH_DATABASE_URL", PG_DEFAULT))
    parser.add_argument("--no-export", action="store_true", help="skip the export memory measurement")
    parser.add_argument("--backends", default="sqlite,postgresql", help="which databases to measure")
    parser.add_argument("--export", metavar="URL", help=argparse.SUPPRESS)  # one export, in a child process
    parser.add_argument("--period", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export:
        export_once(args.export, args.period)
        return
    if "sqlite" in args.backends:
        with tempfile.TemporaryDirectory(prefix="bench-stats-") as folder:
            run(f"sqlite:///{folder}/bench.db", "SQLite", args.rows, not args.no_export)
    if "postgresql" in args.backends and ensure_pg_database(args.pg):
        run(args.pg, "PostgreSQL", args.rows, not args.no_export)


if __name__ == "__main__":
    main()
