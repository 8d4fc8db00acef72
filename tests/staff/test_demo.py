"""`flask demo` builds a living demo office once, and never touches an office set up for real."""
from __future__ import annotations

import stat

from sqlalchemy import func, select

from models import CHANNELS, Complaint, ComplaintStatus, Feedback, Meta, Rating, StaffUser, db
from staff.demo import ACCOUNTS, DEMO_MARK
from tests.intake.helpers import count
from tests.conftest import page_text


def test_demo_sets_up_and_seeds_eighteen_months_then_does_nothing(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert "DEMO ONLY" in first.output and all(password in first.output for *_, password in ACCOUNTS)
    recovery = app.config["SETTINGS"].instance_path / "recovery-key.txt"
    assert stat.S_IMODE(recovery.stat().st_mode) == 0o600 and "SJR1-" in recovery.read_text()

    db.rollback()
    roles = dict(db.session.execute(select(StaffUser.username, StaffUser.roles)).all())
    assert roles == {"admin": "admin", "officer": "officer", "executive": "executive", "staff": "staff"}
    keyed = {u.username for u in db.session.scalars(select(StaffUser).where(StaffUser.public_key.is_not(None)))}
    assert keyed == {"officer"}

    statuses = set(db.session.scalars(select(Complaint.status).distinct()))
    assert statuses == {s.value for s in ComplaintStatus}
    assert set(db.session.scalars(select(Complaint.channel).distinct())) <= set(CHANNELS)
    first_day, last_day = db.session.execute(select(func.min(Complaint.received_at),
                                                    func.max(Complaint.received_at))).one()
    assert (last_day - first_day).days >= 500 and count(Complaint) > 80
    per_point = db.session.execute(select(Rating.service_point_id, func.count()).group_by(Rating.service_point_id)).all()
    assert len(per_point) == len(app.config["PROFILE"].service_points) and min(n for _, n in per_point) > 100
    assert count(Feedback) > 0

    complaints, ratings = count(Complaint), count(Rating)
    again = runner.invoke(args=["demo", "--if-empty"])
    assert again.exit_code == 0 and "พร้อมใช้งาน" in again.output
    assert (count(Complaint), count(Rating)) == (complaints, ratings)


def test_demo_refuses_an_office_set_up_for_real(app):
    Meta.put(db.session, "setup_done_at", "2026-01-01T00:00:00+00:00")
    db.commit()
    result = app.test_cli_runner().invoke(args=["demo", "--if-empty"])
    assert result.exit_code != 0 and "ไม่ใส่ข้อมูลสาธิต" in result.output
    assert count(Complaint) == 0 and Meta.get(db.session, DEMO_MARK) is None
