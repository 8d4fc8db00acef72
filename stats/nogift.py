"""No Gift Policy reports: the 6- and 12-month report from the register's plain metadata, and the declaration.

Counts and values come from plain columns only; no giver name or description is ever opened here, so
no edition of a report can carry one.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

from flask import current_app
from sqlalchemy import func, select

from config.thai import BANGKOK, thai_date, to_local
from models import StaffUser, db, server_keys
from models.gifts import (
    ACTIVITY_KINDS, DECISIONS, GIVER_KINDS, OCCASIONS, OUTCOMES, CultureActivity, DeclarationAck, GiftCheckin,
    GiftReport, NoGiftDeclaration, NoGiftNote,
)
from models.report import ArchivedReport
from stats.document import KIND_LABELS, MEDIA_TYPES, Chart, Report, Table, indicators_for
from stats.fiscal import Period, whole_year
from stats.numbers import half_up

SLOGAN = "งดรับ งดให้ ของขวัญ และของกำนัลในทุกโอกาส"
REPORT_LABEL = KIND_LABELS["no_gift"]
#: Archive kinds of the public No Gift files, and the ITA topic each is evidence for.
PUBLIC_FILES = {"no_gift": "no_gift_report", "no_gift_declaration": "no_gift_declaration",
                "no_gift_scan": "no_gift_declaration"}


def build_no_gift(period: Period, as_of: datetime, edition: str = "public") -> Report:
    """Count the register, check-ins, acknowledgements and activities of a period into a report."""
    profile = current_app.config["PROFILE"]
    start, end = period.months[0].first_day, period.months[-1].last_day
    gifts = list(db.session.scalars(select(GiftReport).where(
        GiftReport.received_on >= start, GiftReport.received_on <= end, GiftReport.reported_at <= as_of)
        .order_by(GiftReport.received_on, GiftReport.reported_at)))
    by_outcome = [{"outcome": code, "label": label, "count": sum(1 for g in gifts if g.outcome == code),
                   "value_baht": sum(g.value_baht for g in gifts if g.outcome == code)}
                  for code, label in OUTCOMES.items()]
    divisions = [(d.code, d.name) for d in profile.divisions]
    if any(g.division is None for g in gifts):
        divisions.append((None, "ไม่ระบุ"))
    by_division = [{"division": code, "name": name, "count": len(rows), "value_baht": sum(g.value_baht for g in rows),
                    "flagged": sum(1 for g in rows if g.flagged)}
                   for code, name in divisions for rows in [[g for g in gifts if g.division == code]]]
    flagged = [g for g in gifts if g.flagged]
    total = {"count": len(gifts), "value_baht": sum(g.value_baht for g in gifts), "flagged": len(flagged),
             "decided": sum(1 for g in flagged if g.decision and g.decided_at <= as_of)}
    checkins = [_checkin_month(month, as_of) for month in period.months if month.first_day <= to_local(as_of).date()]
    ack = _acknowledgement(period.fiscal_year, as_of)
    activities = [{"date": a.held_on.isoformat(), "title": a.title, "kind": ACTIVITY_KINDS.get(a.kind, a.kind),
                   "led_by": a.led_by, "attendance": a.attendance}
                  for a in db.session.scalars(select(CultureActivity).where(
                      CultureActivity.held_on >= start, CultureActivity.held_on <= end,
                      CultureActivity.created_at <= as_of).order_by(CultureActivity.held_on))]
    note = db.session.get(NoGiftNote, period.key)
    problems = note.text.strip() if note and note.text.strip() else "ไม่พบปัญหาและอุปสรรค"
    indicators, ita = indicators_for("no_gift", period)
    data = {"fiscal_year": period.fiscal_year, "as_of": to_local(as_of).isoformat(timespec="seconds"), "ita": ita,
            "period": {"key": period.key, "kind": period.kind, "label": period.label},
            "threshold_baht": profile.gift_threshold_baht, "total": total, "by_outcome": by_outcome,
            "by_division": by_division, "checkins": checkins, "acknowledgement": ack, "activities": activities,
            "problems": problems}
    tables = [
        Table("การดำเนินการ", "การรับทรัพย์สินหรือประโยชน์อื่นใด จำแนกตามการดำเนินการ",
              ["การดำเนินการ", "จำนวน (ครั้ง)", "มูลค่ารวม (บาท)"],
              [[o["label"], o["count"], o["value_baht"]] for o in by_outcome],
              ["รวม", total["count"], total["value_baht"]]),
        Table("ส่วนราชการ", "จำแนกตามส่วนราชการ", ["ส่วนราชการ", "จำนวน (ครั้ง)", "มูลค่ารวม (บาท)", "เสนอผู้บริหาร"],
              [[d["name"], d["count"], d["value_baht"], d["flagged"]] for d in by_division],
              ["รวม", total["count"], total["value_baht"], total["flagged"]]),
        Table("ตอบรายเดือน", "การตอบแบบรายงานประจำเดือนของบุคลากร",
              ["เดือน", "บุคลากร (คน)", "ตอบแล้ว (คน)", "ไม่มีผู้ให้", "รายงานการรับ", "ร้อยละที่ตอบ"],
              [[c["label"], c["staff"], c["answered"], c["nil"], c["reported"], c["percent"]] for c in checkins]),
        Table("รับทราบประกาศ", f"การรับทราบประกาศนโยบาย ปีงบประมาณ พ.ศ. {period.fiscal_year}",
              ["บุคลากร (คน)", "รับทราบแล้ว (คน)", "ร้อยละ"], [[ack["staff"], ack["acknowledged"], ack["percent"]]]),
        Table("กิจกรรม", "กิจกรรมเสริมสร้างวัฒนธรรมองค์กร", ["วันที่", "กิจกรรม", "ประเภท", "ผู้นำกิจกรรม",
                                                          "ผู้เข้าร่วม (คน)"],
              [[thai_date(date.fromisoformat(a["date"])), a["title"], a["kind"], a["led_by"], a["attendance"]]
               for a in activities]),
    ]
    if edition == "staff":
        data["flagged"] = [{"date": g.received_on.isoformat(), "division": profile.division_name(g.division or ""),
                            "occasion": OCCASIONS[g.occasion], "giver_kind": GIVER_KINDS[g.giver_kind],
                            "value_baht": g.value_baht, "outcome": OUTCOMES[g.outcome],
                            "decision": DECISIONS[g.decision] if g.decision and g.decided_at <= as_of
                            else "รอผู้บริหารพิจารณา"} for g in flagged]
        tables.append(Table("เสนอผู้บริหาร", "รายการที่เสนอผู้บริหารพิจารณาและคำวินิจฉัย",
                            ["วันที่", "ส่วนราชการ", "โอกาส", "ผู้ให้", "มูลค่า (บาท)", "การดำเนินการ", "คำวินิจฉัย"],
                            [[thai_date(date.fromisoformat(f["date"])), f["division"] or "–", f["occasion"],
                              f["giver_kind"], f["value_baht"], f["outcome"], f["decision"]]
                             for f in data["flagged"]]))
    tables.append(Table("ปัญหาและข้อเสนอแนะ", "ปัญหา อุปสรรค และข้อเสนอแนะ", ["ปัญหา อุปสรรค และข้อเสนอแนะ"],
                        [[line] for line in problems.splitlines() if line.strip()]))
    chart = Chart("การรับทรัพย์สินหรือประโยชน์อื่นใด จำแนกตามการดำเนินการ", [o["label"] for o in by_outcome],
                  {"จำนวน (ครั้ง)": [o["count"] for o in by_outcome]}, "จำนวน (ครั้ง)")
    answered = sum(c["answered"] for c in checkins)
    asked = sum(c["staff"] for c in checkins)
    body = (f"ตามที่ {profile.name} ได้ประกาศนโยบายไม่รับของขวัญและของกำนัลทุกชนิดจากการปฏิบัติหน้าที่ "
            f"(No Gift Policy) และให้บุคลากรรายงานการรับทรัพย์สินหรือประโยชน์อื่นใดทุกเดือน นั้น "
            f"ขอรายงานผลการดำเนินการ {period.label} ข้อมูล ณ วันที่ {thai_date(as_of, with_time=True)} "
            f"มีการรายงานทั้งหมด {total['count']} ครั้ง มูลค่ารวม {total['value_baht']:,} บาท "
            f"เสนอผู้บริหารพิจารณา {total['flagged']} ครั้ง บุคลากรตอบแบบรายงานประจำเดือน {answered} จาก {asked} ครั้ง "
            f"รับทราบประกาศนโยบายแล้ว {ack['acknowledged']} จาก {ack['staff']} คน "
            f"จัดกิจกรรมเสริมสร้างวัฒนธรรม {len(activities)} ครั้ง รายละเอียดดังนี้")
    return Report("no_gift", edition, period, as_of, indicators,
                  f"รายงาน{REPORT_LABEL} {period.label}", body, tables, chart, data)


def _staff_on(day: date) -> list[int]:
    """Return the ids of the active staff accounts that existed by the end of a day."""
    end = datetime.combine(day + timedelta(days=1), time(0), BANGKOK)
    return list(db.session.scalars(select(StaffUser.id).where(StaffUser.active.is_(True), StaffUser.created_at < end)))


def _checkin_month(month, as_of: datetime) -> dict:
    staff = _staff_on(month.last_day)
    answers = dict(db.session.execute(select(GiftCheckin.answer, func.count()).where(
        GiftCheckin.month == month.iso(), GiftCheckin.answered_at <= as_of,
        GiftCheckin.staff_id.in_(staff) if staff else False).group_by(GiftCheckin.answer)).all())
    answered = sum(answers.values())
    return {"month": month.iso(), "label": month.label_short(), "staff": len(staff), "answered": answered,
            "nil": answers.get("nil", 0), "reported": answers.get("reported", 0),
            "percent": _percent(answered, len(staff))}


def _acknowledgement(fiscal_year: int, as_of: datetime) -> dict:
    staff = _staff_on(to_local(as_of).date())
    declaration = db.session.scalar(select(NoGiftDeclaration.id).where(NoGiftDeclaration.fiscal_year == fiscal_year,
                                                                       NoGiftDeclaration.status == "approved"))
    done = 0
    if declaration is not None and staff:
        done = db.session.scalar(select(func.count()).select_from(DeclarationAck).where(
            DeclarationAck.declaration_id == declaration, DeclarationAck.at <= as_of,
            DeclarationAck.staff_id.in_(staff))) or 0
    return {"staff": len(staff), "acknowledged": done, "percent": _percent(done, len(staff))}


def _percent(part: int, whole: int) -> Decimal:
    # Half up to two decimals, printed with both (50.00), as the other reports round.
    return half_up(Fraction(part * 100, whole) if whole else Fraction(0))


DECLARATION_TITLE = "นโยบายไม่รับของขวัญและของกำนัลทุกชนิดจากการปฏิบัติหน้าที่ (No Gift Policy) ประจำปีงบประมาณ พ.ศ. {fy}"
#: The seed announcement's wording (000:L234–242) split into clauses; the admin edits the draft freely.
DECLARATION_BODY = """ข้าพเจ้า {name} {position} ขอประกาศนโยบายไม่รับของขวัญและของกำนัลทุกชนิดจากการปฏิบัติหน้าที่ (No Gift Policy) และขอประกาศเจตนารมณ์ของผู้บริหาร เจ้าหน้าที่ และลูกจ้างทุกคน ไม่รับของขวัญและของกำนัลทุกชนิดจากการปฏิบัติหน้าที่ ทั้งก่อน ขณะ และหลังปฏิบัติหน้าที่ ดังนี้
1. ร่วมกันสร้างวัฒนธรรมสุจริตให้เกิดขึ้นในองค์กร ปลูกจิตสำนึก สร้างทัศนคติและค่านิยมที่ดีในการปฏิบัติหน้าที่ คิดถึงประโยชน์ส่วนรวมของประชาชนมากกว่าประโยชน์ส่วนตัว และมีจิตสาธารณะ
2. ปฏิบัติงานอย่างถูกต้อง โปร่งใส เป็นธรรม และไม่เลือกปฏิบัติ ไม่ใช้ตำแหน่งหน้าที่หาประโยชน์บนความทุกข์ยากของประชาชน
3. ไม่กระทำการอันเป็นการขัดกันระหว่างประโยชน์ส่วนบุคคลกับประโยชน์ส่วนรวม
4. ไม่รับทรัพย์สินหรือประโยชน์อื่นใดอันอาจคำนวณเป็นเงินได้จากผู้ใด นอกเหนือจากทรัพย์สินหรือประโยชน์อันควรได้ตามกฎหมาย กฎ หรือข้อบังคับ เว้นแต่การรับโดยธรรมจรรยามูลค่าไม่เกิน {threshold:,} บาท และรายงานผู้บังคับบัญชาทุกครั้ง
5. ปฏิบัติตามมาตรฐานทางจริยธรรมของเจ้าหน้าที่ของรัฐโดยเคร่งครัด “งดรับ งดให้ ของขวัญ และของกำนัลในทุกโอกาส”"""


def declaration_draft(fiscal_year: int) -> dict:
    """Return the template of a year's declaration filled from the office profile."""
    profile = current_app.config["PROFILE"]
    name, position = profile.executive_name or "...........................", profile.executive_title
    return {"title": DECLARATION_TITLE.format(fy=fiscal_year), "signer_name": name, "signer_position": position,
            "body": DECLARATION_BODY.format(name=name, position=position, threshold=profile.gift_threshold_baht)}


def declaration_pdf(declaration: NoGiftDeclaration) -> bytes:
    """Render a declaration as a Thai announcement PDF."""
    from stats.render.announcement import render_announcement

    return render_announcement(current_app.config["PROFILE"].name, declaration.title, declaration.body,
                               declaration.announced_on, declaration.signer_name, declaration.signer_position)


def publish_declaration(declaration: NoGiftDeclaration, as_of: datetime) -> ArchivedReport:
    """Archive the approved declaration's PDF (SHA-256 kept) so /transparency shows it under the year's code."""
    return ArchivedReport.add(db.session, kind="no_gift_declaration", period=str(declaration.fiscal_year), fmt="pdf",
                              as_of=as_of, filename=f"no-gift-declaration-{declaration.fiscal_year}.pdf",
                              data=declaration_pdf(declaration))


def publish_scan(declaration: NoGiftDeclaration, as_of: datetime) -> ArchivedReport:
    """Archive the signed paper's scan next to the rendered declaration."""
    fmt = SCAN_FORMATS[declaration.scan_media_type]
    return ArchivedReport.add(db.session, kind="no_gift_scan", period=str(declaration.fiscal_year), fmt=fmt,
                              as_of=as_of, filename=f"no-gift-declaration-{declaration.fiscal_year}-signed.{fmt}",
                              data=declaration.scan)


SCAN_FORMATS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def make_no_gift_report(period: Period, as_of: datetime) -> list[ArchivedReport]:
    """Make the public and staff editions of a period's report and archive both; every staff member gets the
    aggregates, executives and integrity officers also the flagged cases and decisions."""
    from stats.archive import make_report
    from stats.delivery import ATTACHED, deliver, send_mail

    public = make_report("no_gift", period, as_of)
    staff = make_report("no_gift", period, as_of, STAFF_FORMATS, edition="staff")
    deliver("no_gift", public)
    # Dates and divisions of flagged cases could point at a colleague: that edition goes to the deciders only.
    deciders = db.session.scalars(select(StaffUser).where(StaffUser.active.is_(True), StaffUser.email.is_not(None)))
    profile = current_app.config["PROFILE"]
    send_mail(f"[{profile.short_name}] {KIND_LABELS['no_gift']} {period.label} (ฉบับผู้บริหาร)",
              [u.email for u in deciders if u.role_set & {"executive", "integrity"}],
              f"เรียน ผู้บริหาร\n\nรายงาน{KIND_LABELS['no_gift']} {period.label} ฉบับผู้บริหาร "
              f"(มีรายการที่เสนอผู้บริหารพิจารณาและคำวินิจฉัย) แนบมาพร้อมนี้\n\n{profile.name}\n",
              [(f.read(server_keys().keyring), MEDIA_TYPES[f.fmt], f.filename) for f in staff if f.fmt in ATTACHED])
    return public + staff


#: The staff edition is read, not republished: no CSV.
STAFF_FORMATS = ("pdf", "xlsx", "html", "json")


def public_files(fiscal_year: int) -> list[ArchivedReport]:
    """Return the newest public No Gift files of a fiscal year (declaration, signed scan, reports), one per file."""
    rows = ArchivedReport.listing(db.session, tuple(PUBLIC_FILES))
    newest: dict[tuple, ArchivedReport] = {}
    for row in rows:
        if not row.confidential and row.period.startswith(str(fiscal_year)):
            newest.setdefault((row.kind, row.period, row.fmt), row)
    return sorted(newest.values(), key=lambda r: (list(PUBLIC_FILES).index(r.kind), r.period, r.fmt))


def activities_of(fiscal_year: int) -> list[CultureActivity]:
    """Return a fiscal year's culture activities, oldest first."""
    months = whole_year(fiscal_year).months
    start, end = months[0].first_day, months[-1].last_day
    return list(db.session.scalars(select(CultureActivity).where(CultureActivity.held_on >= start,
                                                                 CultureActivity.held_on <= end)
                                   .order_by(CultureActivity.held_on)))
