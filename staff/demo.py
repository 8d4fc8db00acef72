"""`flask demo`: a living demo office (accounts, 18 months of complaints and ratings) for newcomers."""
from __future__ import annotations

import os
import random
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, inspect, select

from config.thai import to_local
from intake.complaints import ComplaintDraft, file_complaint
from intake.feedback import record_feedback
from intake.gifts import report_gift
from intake.ratings import active_service_points, record_rating
from models import DESK_CHANNELS, Complaint, ComplaintStatus, Meta, NoGiftDeclaration, StaffUser, db, utcnow
from staff.passwords import hash_password
from staff.setup import run_setup
from stats import nogift
from stats.fiscal import fiscal_year_of, whole_year

DEMO_MARK = "demo_office"
#: DEMO ONLY: printed on every start of the demo; a real office runs `flask setup` instead.
ACCOUNTS = (
    ("admin", "ผู้ดูแลระบบ (สาธิต)", "admin", "demo-admin-2569"),
    ("officer", "นางสาวสมใจ รักษ์ธรรม (เจ้าหน้าที่รับเรื่องร้องเรียน สาธิต)", "officer", "demo-officer-2569"),
    ("executive", "นายสุจริต ธรรมดี (นายก อบต. สาธิต)", "executive", "demo-executive-2569"),
    ("staff", "นายมานะ ขยันงาน (บุคลากร สาธิต)", "staff", "demo-staff-2569"),
)
MONTHS = 18
BANGKOK = timezone(timedelta(hours=7))

DETAILS = {
    "bribery": ["เจ้าหน้าที่เรียกเงิน {amount} บาท เพื่อให้ออกใบอนุญาตเร็วขึ้น โดยบอกว่าถ้าไม่จ่ายจะต้องรอหลายเดือน",
                "มีการเรียกรับเงินค่าดำเนินการเพิ่มจากค่าธรรมเนียมที่กำหนด {amount} บาท โดยไม่ออกใบเสร็จ"],
    "unfair_service": ["เจ้าหน้าที่ให้บริการญาติและคนรู้จักก่อน ทั้งที่ผู้อื่นมารอคิวก่อนหลายชั่วโมง",
                       "ถูกปฏิเสธการรับเรื่องขึ้นทะเบียนเบี้ยยังชีพ ทั้งที่เอกสารครบ แต่อีกรายเอกสารไม่ครบกลับรับไว้"],
    "abuse_of_power": ["เจ้าหน้าที่ใช้ตำแหน่งข่มขู่ชาวบ้านให้ลงชื่อสนับสนุนโครงการที่ตนมีส่วนได้เสีย",
                       "มีการสั่งระงับการต่อท่อประปาบ้านผู้ร้องโดยไม่มีเหตุผล หลังผู้ร้องเคยแสดงความเห็นค้านในที่ประชุม"],
    "budget_property": ["รถยนต์ส่วนกลางของ อบต. ถูกนำไปใช้ส่วนตัวในวันหยุด เห็นจอดอยู่ที่ตลาดนัดหลายครั้ง",
                        "วัสดุก่อสร้างที่จัดซื้อสำหรับซ่อมถนนหมู่ {moo} ถูกขนไปใช้ที่บ้านของผู้นำชุมชน"],
    "procurement": ["โครงการก่อสร้างถนนคอนกรีตหมู่ {moo} ผู้รับจ้างรายเดิมชนะทุกครั้ง และงานแล้วเสร็จไม่ตรงตามแบบ",
                    "การจัดซื้อครุภัณฑ์สำนักงานมีราคาสูงกว่าท้องตลาดมาก และกำหนดคุณลักษณะเฉพาะเจาะจงยี่ห้อ"],
    "misconduct": ["เจ้าหน้าที่ไม่อยู่ปฏิบัติงานในเวลาราชการเป็นประจำ แต่ลงชื่อมาทำงานครบทุกวัน",
                   "เจ้าหน้าที่พูดจาไม่สุภาพและดื่มสุราในเวลาปฏิบัติงานที่จุดบริการ"],
}
ACCUSED = ["", "", "เจ้าหน้าที่กองช่าง", "นักวิชาการจัดเก็บรายได้", "ผู้อำนวยการกอง (ไม่ทราบชื่อ)", "เจ้าพนักงานธุรการ"]
REPLIES = {
    ComplaintStatus.IN_PROGRESS: "หน่วยงานได้รับเรื่องและแต่งตั้งคณะกรรมการตรวจสอบข้อเท็จจริงแล้ว จะแจ้งผลให้ทราบต่อไป",
    ComplaintStatus.COMPLETED: "ตรวจสอบข้อเท็จจริงแล้ว ได้ดำเนินการทางวินัยและกำชับการปฏิบัติงาน ขอบคุณที่แจ้งเรื่อง",
    ComplaintStatus.FORWARDED: "เรื่องนี้อยู่ในอำนาจของหน่วยงานอื่น ได้ส่งต่อให้สำนักงาน ป.ป.ช. ประจำจังหวัดพิจารณาแล้ว",
    ComplaintStatus.NOT_ACCEPTED: "ข้อมูลไม่เพียงพอที่จะตรวจสอบได้ หากมีหลักฐานเพิ่มเติม สามารถแจ้งเข้ามาใหม่ได้",
}
SUGGESTIONS = ["อยากให้มีที่จอดรถเพิ่ม", "เจ้าหน้าที่บริการดีมาก ยิ้มแย้มแจ่มใส", "ที่นั่งรอไม่พอในช่วงเช้า",
               "ควรมีป้ายบอกขั้นตอนให้ชัดเจนกว่านี้", "รอนานเกินไป ควรเพิ่มเจ้าหน้าที่ช่วงเปิดภาษี",
               "อยากให้ชำระค่าบริการผ่านพร้อมเพย์ได้", "ห้องน้ำควรสะอาดกว่านี้", "ประทับใจ บริการรวดเร็ว"]
FEEDBACK = [("complaint", "ไฟฟ้าส่องสว่างถนนหมู่ 4 ดับมาสองสัปดาห์แล้ว", "engineering"),
            ("complaint", "ถนนหน้าโรงเรียนเป็นหลุมบ่อ ฝนตกน้ำขัง", "engineering"),
            ("suggestion", "อยากให้มีการเก็บขยะสัปดาห์ละสองครั้ง", "health"),
            ("praise", "ขอชมเจ้าหน้าที่กองสวัสดิการที่ช่วยลงทะเบียนให้ผู้สูงอายุถึงบ้าน", "welfare"),
            ("suggestion", "ควรประกาศกำหนดการฉีดวัคซีนสุนัขผ่านไลน์ล่วงหน้า", "health")]
CATEGORY_WEIGHTS = {"bribery": 25, "unfair_service": 25, "abuse_of_power": 15, "budget_property": 12,
                    "procurement": 13, "misconduct": 10}
#: Mean score of each demo counter, so the reports show a spread worth reading.
POINT_MEANS = {"TAX": 4.3, "REG": 4.6, "WELFARE": 4.1, "BUILD": 3.5, "WATER": 3.9}


def _is_set_up() -> bool:
    return inspect(db.engine).has_table("meta") and Meta.get(db.session, "setup_done_at") is not None


def _set_up(instance: Path) -> Path:
    (admin, officer) = [(u, n, p) for u, n, _, p in ACCOUNTS[:2]]
    notice = run_setup(admin=admin, officer=officer, force=False)
    for username, name, role, password in ACCOUNTS[2:]:
        db.session.add(StaffUser(username=username, display_name=name, roles=role,
                                 password_hash=hash_password(password)))
    Meta.put(db.session, DEMO_MARK, utcnow().isoformat())
    db.commit()
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "recovery-key.txt"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(notice)
    return path


def _local_time(rng: random.Random, day: datetime, office_hours: bool) -> datetime:
    hour = rng.uniform(8.5, 16.5) if office_hours else rng.uniform(6, 23)
    local = datetime(day.year, day.month, day.day, tzinfo=BANGKOK) + timedelta(hours=hour)
    return local.astimezone(timezone.utc)


def _fate(rng: random.Random, age_days: float) -> list[tuple[ComplaintStatus, float]]:
    """Return the status changes (status, days after filing) a complaint of this age has gone through."""
    if age_days < 5 or (age_days < 30 and rng.random() < 0.3):
        return []
    steps = [(ComplaintStatus.IN_PROGRESS, rng.uniform(0.5, 3))]
    if age_days < 20 and rng.random() < 0.7:
        return steps
    end = rng.choices([ComplaintStatus.COMPLETED, ComplaintStatus.FORWARDED, ComplaintStatus.NOT_ACCEPTED, None],
                      weights=[70, 10, 10, 10])[0]
    if end is None:
        return steps
    if end == ComplaintStatus.NOT_ACCEPTED and rng.random() < 0.5:
        steps = []  # turned down at once, without an investigation
    steps.append((end, min(age_days - 0.1, rng.uniform(4, 25))))
    if end == ComplaintStatus.COMPLETED and age_days > 90 and rng.random() < 0.05:
        steps += [(ComplaintStatus.IN_PROGRESS, 40), (ComplaintStatus.COMPLETED, 60)]  # reopened on new facts
    return steps


AGENCIES = ("สำนักงาน ป.ป.ช. ประจำจังหวัดนครราชสีมา", "ที่ว่าการอำเภอเมืองนครราชสีมา",
            "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดนครราชสีมา")


def seed_complaints(rng: random.Random, officer: StaffUser, private_key, now: datetime) -> int:
    """File 18 months of complaints through file_complaint and move them along as an officer would."""
    profile = current_app.config["PROFILE"]
    categories = [c.code for c in profile.categories]
    filed = 0
    for day_back in range(MONTHS * 30, -1, -1):
        if rng.random() > (0.2 if day_back > 14 else 0.45):  # about six a month, a few more lately
            continue
        day = now - timedelta(days=day_back)
        channel = rng.choices(["line", "web", "counter", "letter", "phone", "referred"], weights=[45, 33, 10, 5, 5, 2])[0]
        category = rng.choices(categories, weights=[CATEGORY_WEIGHTS.get(c, 10) for c in categories])[0]
        received = min(_local_time(rng, day, channel in DESK_CHANNELS), now - timedelta(minutes=5))
        named = rng.random() < 0.35
        draft = ComplaintDraft(
            category=category,
            details=rng.choice(DETAILS.get(category, DETAILS["misconduct"])).format(
                amount=rng.choice([500, 1000, 2000, 3000, 5000]), moo=rng.randint(1, 12)),
            accused=rng.choice(ACCUSED), place_time=f"หมู่ {rng.randint(1, 12)} ช่วงเดือนที่ผ่านมา",
            anonymous=not named, phone=f"08{rng.randint(10000000, 99999999)}" if named else "",
            wants_updates=named and rng.random() < 0.5)
        receipt = file_complaint(draft, channel=channel, now=received)
        complaint = db.session.get(Complaint, uuid.UUID(receipt.complaint_id))
        opened = complaint.open_with(officer.recipient_label, private_key)
        for status, after in _fate(rng, (now - received).total_seconds() / 86400):
            seq = complaint.next_event_seq()
            reply = REPLIES[status] if rng.random() < 0.6 else ""
            complaint.transition(status, by_staff_id=officer.id,
                                 note_sealed=opened.seal_note(seq, f"บันทึกการดำเนินการ: {status.label}"),
                                 reply_sealed=opened.seal_reply(seq, reply) if reply else None,
                                 at=received + timedelta(days=after))
            if status == ComplaintStatus.IN_PROGRESS:  # taken on: an officer, a division, a subject
                complaint.assign(staff_id=officer.id, division=rng.choice(profile.divisions).code)
                opened.seal_subject(f"{profile.category_name(category)} หมู่ {rng.randint(1, 12)}")
            if status == ComplaintStatus.FORWARDED:
                complaint.record_forwarding(rng.choice(AGENCIES), received + timedelta(days=after))
        filed += 1
    db.session.flush()
    return filed


def seed_ratings(rng: random.Random, now: datetime) -> int:
    """Record 18 months of counter ratings through record_rating, with each counter's own spread."""
    aspects = [a.code for a in current_app.config["PROFILE"].aspects]
    count = 0
    for point in active_service_points():
        mean = POINT_MEANS.get(point.code, 4.0)
        for day_back in range(MONTHS * 30, -1, -1):
            day = now - timedelta(days=day_back)
            if day.astimezone(BANGKOK).weekday() >= 5:
                continue
            for _ in range(rng.choices([0, 1, 2, 3], weights=[3, 4, 2, 1])[0]):
                scores = {a: max(1, min(5, round(rng.gauss(mean, 0.8)))) for a in aspects}
                suggestion = rng.choice(SUGGESTIONS) if rng.random() < 0.12 else ""
                at = min(_local_time(rng, day, True), now - timedelta(minutes=1))
                record_rating(point.code, scores, suggestion, channel=rng.choices(["web", "line"], [75, 25])[0], now=at)
                count += 1
    return count


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (quietly) when the demo office already holds complaints.")
@with_appcontext
def demo_command(if_empty: bool) -> None:
    """Set up the demo office when needed and fill it with 18 months of complaints and ratings."""
    settings = current_app.config["SETTINGS"]
    if settings.is_production:
        raise click.ClickException("flask demo is refused in production (SUJARIT_ENV=production)")
    recovery_file = None
    if not _is_set_up():
        recovery_file = _set_up(settings.instance_path)
    elif Meta.get(db.session, DEMO_MARK) is None:
        raise click.ClickException("ฐานข้อมูลนี้ตั้งค่าเป็นสำนักงานจริงแล้ว จึงไม่ใส่ข้อมูลสาธิต "
                                   "(this database was set up with `flask setup`; demo data is never added to it)")
    _print_accounts(recovery_file)
    if db.session.scalar(select(func.count()).select_from(Complaint)):
        click.echo("สำนักงานสาธิตมีข้อมูลอยู่แล้ว (demo data already present)" if not if_empty else
                   "สำนักงานสาธิตพร้อมใช้งาน (demo office ready)")
        return
    officer = db.session.scalar(select(StaffUser).where(StaffUser.username == ACCOUNTS[1][0]))
    rng = random.Random(2566)
    now = utcnow()
    with db.unit_of_work():
        complaints = seed_complaints(rng, officer, officer.unlock_private_key(ACCOUNTS[1][3]), now)
        ratings = seed_ratings(rng, now)
        for i, (topic, text, division) in enumerate(FEEDBACK):
            record_feedback(topic, text, division=division, channel="line" if i % 3 == 1 else "web",
                            now=now - timedelta(days=20 * i + 3))
        seed_no_gift(now)
    click.echo(f"ใส่ข้อมูลสาธิตแล้ว: เรื่องร้องเรียน {complaints} เรื่อง, การประเมิน {ratings} ครั้ง, "
               f"ข้อเสนอแนะ {len(FEEDBACK)} เรื่อง ย้อนหลัง {MONTHS} เดือน, ประกาศ No Gift และรายงานของขวัญ 2 รายการ")


def seed_no_gift(now: datetime) -> None:
    """Approve this year's No Gift declaration, and let the demo staff member report two gifts (one flagged)."""
    users = {u.username: u for u in db.session.scalars(select(StaffUser))}
    today = to_local(now).date()
    year = fiscal_year_of(today)
    declaration = NoGiftDeclaration(fiscal_year=year, status="draft", drafted_by=users["admin"].id,
                                    announced_on=whole_year(year).months[0].first_day, **nogift.declaration_draft(year))
    db.session.add(declaration)
    declaration.approve(users["executive"].id)
    nogift.publish_declaration(declaration, now)
    staff = users["staff"]
    for days, occasion, kind, giver, what, value, outcome in (
            (40, "new_year", "citizen", "นางบุญมี ชาวบ้าน", "ขนมและผลไม้ตามเทศกาล", 300, "declined"),
            (12, "duty", "contractor", "หจก. ก่อสร้างตัวอย่าง (สาธิต)", "บัตรกำนัลห้างสรรพสินค้า", 5000, "handed_over")):
        report_gift(staff, received_on=today - timedelta(days=days), occasion=occasion, giver_kind=kind,
                    giver_name=giver, description=what, value_baht=value, outcome=outcome, channel="web", now=now)


def _print_accounts(recovery_file: Path | None) -> None:
    click.echo("=" * 66)
    click.echo(" สำนักงานสาธิต: บัญชีสำหรับทดลองใช้เท่านั้น (DEMO ONLY: never use in a real office)")
    for username, name, _, password in ACCOUNTS:
        click.echo(f"   {username:<10} รหัสผ่าน {password:<22} {name}")
    if recovery_file:
        click.echo(f" กุญแจกู้คืนของสำนักงานสาธิตเขียนไว้ที่ {recovery_file} (สิทธิ์ 0600)")
    click.echo("=" * 66)
