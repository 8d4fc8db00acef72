"""`flask stats ...` (reports and exports) and `flask scheduler` (the report clock)."""
from __future__ import annotations

import signal
import sys
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from models import db, server_keys, utcnow
from stats.archive import make_report
from stats.document import FORMATS
from stats.export import count_register, write_register
from config.thai import BANGKOK, to_local
from stats.fiscal import Month, fiscal_year_of, local_midnight_utc, period_from_options


def _period_options(command):
    command = click.option("--fy", "fiscal_year", type=int, help="ปีงบประมาณ (พ.ศ.) เช่น 2568; ค่าเริ่มต้นคือปีปัจจุบัน")(command)
    command = click.option("--month", help="เดือน YYYY-MM (พ.ศ. หรือ ค.ศ.) เช่น 2568-03")(command)
    command = click.option("--quarter", type=click.IntRange(1, 4), help="ไตรมาสที่ 1-4 (ไตรมาส 1 = ต.ค.–ธ.ค.)")(command)
    command = click.option("--half", type=click.IntRange(1, 2), help="ครึ่งปี 1 (ต.ค.–มี.ค.) หรือ 2 (เม.ย.–ก.ย.)")(command)
    command = click.option("--as-of", "as_of", help="นับถึงเวลานี้ (เวลากรุงเทพฯ): 2025-03-31 = สิ้นวันนั้น หรือ 2025-03-31T16:30; ค่าเริ่มต้นคือขณะนี้")(command)
    return command


def parse_as_of(text: str) -> datetime:
    """Read --as-of: a date alone means the end of that day in Bangkok; a time without a zone is Bangkok time."""
    try:
        if len(text.strip()) == 10:
            return local_midnight_utc(date.fromisoformat(text.strip()) + timedelta(days=1))
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise click.BadParameter(f"อ่านเวลา '{text}' ไม่ได้: ใช้รูป 2025-03-31 (สิ้นวันนั้น) หรือ 2025-03-31T16:30",
                                 param_hint="--as-of") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=BANGKOK)


def _resolve(fiscal_year, month, quarter, half, as_of):
    now = parse_as_of(as_of) if as_of else utcnow()
    if fiscal_year is None:
        try:
            fiscal_year = Month.parse(month).fiscal_year if month else fiscal_year_of(to_local(now).date())
        except ValueError:
            raise click.BadParameter(f"อ่านเดือน '{month}' ไม่ได้: ใช้รูป YYYY-MM เช่น 2568-03 (พ.ศ.) หรือ 2025-03",
                                     param_hint="--month") from None
    try:
        period = period_from_options(fiscal_year, month, quarter, half)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    if period.months[0].bounds_utc()[0] > now:
        raise click.BadParameter(f"{period.label} ยังไม่เริ่ม ณ เวลาที่นับ จึงยังไม่มีข้อมูล")
    return period, now


@click.group("stats")
def stats_command() -> None:
    """Make statistics reports (complaints, satisfaction) and exports."""


def _report_command(kind: str, help_text: str):
    @stats_command.command(kind, help=help_text)
    @_period_options
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
    @click.option("--digits", type=click.Choice(["arabic", "thai"]), default="arabic", show_default=True,
                  help="ตัวเลขในเอกสาร PDF/HTML: อารบิก หรือ เลขไทย (๐–๙)")
    @click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
                  help="ไฟล์ผลลัพธ์; ไม่ระบุ = ชื่อไฟล์ตามรอบ เช่น complaints-2568-03.xlsx (json ไม่ระบุ = แสดงบนจอ)")
    @with_appcontext
    def command(fiscal_year, month, quarter, half, as_of, fmt, digits, out):
        period, now = _resolve(fiscal_year, month, quarter, half, as_of)
        with db.unit_of_work():
            (archived,) = make_report(kind, period, now, (fmt,), digits=digits)
            data, filename = archived.read(server_keys().keyring), archived.filename
        if out is None and fmt == "json":
            click.echo(data.decode())
            return
        target = out or Path(filename)
        target.write_bytes(data)
        click.echo(f"บันทึก {target} แล้ว ({period.label}, ข้อมูล ณ {to_local(now):%Y-%m-%d %H:%M}, "
                   f"เก็บในคลังรายงานรุ่นที่ {archived.version})", err=True)

    return command


_report_command("complaints", "Make the monthly complaint statistics (ITA O29/O31) for a period.")
_report_command("satisfaction", "Make the satisfaction statistics (ITA O16/O17) for a period.")


@stats_command.command("register")
@_period_options
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="ไฟล์ CSV ผลลัพธ์")
@with_appcontext
def register_command(fiscal_year, month, quarter, half, as_of, out):
    """Export the complaint register (plain metadata, one row per complaint) as CSV, streaming."""
    period, now = _resolve(fiscal_year, month, quarter, half, as_of)
    total = count_register(period, now)
    with out.open("w", encoding="utf-8", newline="") as fh, \
            click.progressbar(length=total, label="กำลังส่งออก", file=sys.stderr) as bar:
        written = write_register(fh, period, now, bar.update)
    click.echo(f"บันทึก {out} แล้ว: {written:,} เรื่อง ({period.label})", err=True)


@stats_command.command("rollups")
@with_appcontext
def rollups_command():
    """Recompute the rating roll-ups and the latest complaint snapshot from the raw rows (after a restore or a repair)."""
    from models import ComplaintSnapshot, ComplaintSnapshotCount
    from models.rollup import rebuild
    from stats.standing import ensure_snapshot

    with db.unit_of_work() as session:
        rows = rebuild(session.connection())
        session.execute(ComplaintSnapshotCount.__table__.delete())
        session.execute(ComplaintSnapshot.__table__.delete())
        ensure_snapshot(utcnow())
    click.echo(f"คำนวณตารางสรุปผลประเมินรายเดือนใหม่จากข้อมูลดิบแล้ว: {rows:,} แถว "
               "และเก็บภาพรวมสถานะเรื่องร้องเรียน ณ ต้นเดือนล่าสุดใหม่", err=True)


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the report clock (Asia/Bangkok) until stopped; a second clock waits as a standby."""
    from stats.clock import Clock

    clock = Clock(current_app._get_current_object())
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    clock.start()
    click.echo("นาฬิการายงานเริ่มทำงานแล้ว (Asia/Bangkok); กด Ctrl+C เพื่อหยุด", err=True)
    stop.wait()
    clock.stop()
