"""Key grants and recovery: a later officer reads only once granted; the recovery key restores access;
removing an officer or resetting their password cuts them off; `flask keys` generates and rotates keys."""
from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from app import create_app
from config.settings import new_key_text, parse_data_keys
from models import AuditEntry, Complaint, ComplaintKey, StaffUser, db, server_keys
from models.rotation import keys_in_use, tier_c_columns
from tests.staff.conftest import PASSWORD, SECRET_DETAILS, csrf_token, file_sample, make_account
from tests.conftest import page_text

MODELS = Path(__file__).resolve().parents[2] / "models"


def _complaint(receipt) -> Complaint:
    return Complaint.find_by_code(db.session, server_keys().index, receipt.tracking_code)


def test_an_officer_added_later_cannot_read_until_granted(app, client, officer_account, recovery_key):
    complaint = _complaint(file_sample())
    newcomer = make_account("newcomer", "officer", certified=False)  # added after the complaint was sealed
    other = app.test_client()
    newcomer.sign_in(other)
    refused = other.get(f"/staff/cases/{complaint.id}")
    assert refused.status_code == 403 and "ยังไม่ได้รับสิทธิ์" in page_text(refused)
    assert SECRET_DETAILS not in page_text(refused)

    officer_account.sign_in(client)
    page = page_text(client.get("/staff/keys/"))
    assert newcomer.user.display_name in page
    client.post(f"/staff/keys/certify/{newcomer.user.id}", data={"csrf_token": csrf_token(client, "/staff/keys/")})
    assert SECRET_DETAILS in page_text(other.get(f"/staff/cases/{complaint.id}"))
    grant = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "reader.certified"))
    assert grant.staff_id == officer_account.user.id and grant.target_id == str(newcomer.user.id)


def test_the_recovery_key_restores_access_when_no_officer_can(app, officer_account, recovery_key):
    complaints = [_complaint(file_sample()) for _ in range(2)]
    newcomer = make_account("rescued", "officer", certified=False)
    runner = app.test_cli_runner()
    typo = runner.invoke(args=["keys", "recover", "--officer", "rescued"], input=recovery_key[:-1] + "Z\n")
    assert typo.exit_code != 0 and "ไม่ถูกต้อง" in typo.output
    result = runner.invoke(args=["keys", "recover", "--officer", "rescued"], input=recovery_key + "\n")
    assert result.exit_code == 0, result.output
    assert "2 เรื่อง" in result.output and recovery_key not in result.output  # the key is never echoed
    private = newcomer.user.unlock_private_key(PASSWORD)
    for complaint in complaints:
        db.session.refresh(complaint)
        assert complaint.open_with(newcomer.user.recipient_label, private).content().details == SECRET_DETAILS
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "reader.certified")) is not None
    assert newcomer.user.recipient_label in {k.recipient for k in _complaint(file_sample()).keys}


def test_removing_an_officer_revokes_grants_and_stops_sealing_to_them(app, client, officer_account, recovery_key):
    leaving = make_account("leaving", "officer")
    before = _complaint(file_sample())
    assert any(k.recipient == leaving.user.recipient_label for k in before.keys)
    admin = make_account("admin1", "admin")
    admin.sign_in(client)
    url = f"/staff/admin/users/{leaving.user.id}"
    client.post(url, data={"action": "deactivate", "csrf_token": csrf_token(client, url)})
    assert db.session.scalar(select(ComplaintKey).where(ComplaintKey.recipient == leaving.user.recipient_label)) is None
    after = _complaint(file_sample())
    assert officer_account.user.recipient_label in {k.recipient for k in after.keys}
    assert leaving.user.recipient_label not in {k.recipient for k in after.keys}


def test_an_admin_password_reset_says_the_key_is_lost_and_cuts_off_old_complaints(app, client, officer_account,
                                                                                   recovery_key):
    forgetful = make_account("forgetful", "officer")
    complaint = _complaint(file_sample())
    admin = make_account("admin2", "admin")
    admin.sign_in(client)
    url = f"/staff/admin/users/{forgetful.user.id}"
    page = page_text(client.get(url))
    assert "ไม่สามารถกู้กุญแจเดิม" in page  # said on screen before the admin confirms
    done = client.post(url, data={"action": "password", "password": "fresh-pass-999", "csrf_token": csrf_token(client, url)},
                       follow_redirects=True)
    assert "กุญแจเดิมสูญหาย ต้องมอบสิทธิ์ใหม่" in page_text(done)
    forgetful.password = "fresh-pass-999"
    other = app.test_client()
    forgetful.sign_in(other)
    assert other.get(f"/staff/cases/{complaint.id}").status_code == 403
    colleague = app.test_client()
    officer_account.sign_in(colleague)
    colleague.post(f"/staff/keys/certify/{forgetful.user.id}", data={"csrf_token": csrf_token(colleague, "/staff/keys/")})
    assert SECRET_DETAILS in page_text(other.get(f"/staff/cases/{complaint.id}"))


def test_keys_generate_prints_valid_production_values(app):
    result = app.test_cli_runner().invoke(args=["keys", "generate"])
    assert result.exit_code == 0
    values = dict(line.split("=", 1) for line in result.output.splitlines() if re.match(r"^[A-Z_]+=", line))
    assert len(parse_data_keys(values["DATA_KEYS"])) == 1 and len(values["INDEX_KEY"]) >= 43


def test_every_tier_c_column_is_rotated(app, settings):
    documented = set()
    for source in MODELS.glob("*.py"):
        documented |= set(re.findall(r"^\s+(\w+): Mapped\[.*#: C:", source.read_text(encoding="utf-8"), re.M))
    assert {c.attribute for c in tier_c_columns()} == documented


def test_keys_rotate_rewraps_tier_c_under_the_newest_key(app, settings):
    user = make_account("rotator", "officer").user
    secret = user.totp_secret(server_keys().keyring)
    old_id = server_keys().keyring.active_id
    rotated = create_app(settings.with_overrides(data_keys=(("k2", parse_data_keys(f"k2:{new_key_text()}")[0][1]),)
                                                 + settings.data_keys))
    with rotated.app_context():  # the command runs in the app context it finds
        result = rotated.test_cli_runner().invoke(args=["keys", "rotate"])
        assert result.exit_code == 0, result.output
        assert "staff_users.totp_secret_enc: 1" in result.output
        keyring = server_keys().keyring
        assert keys_in_use(db.session, keyring) == {"k2": 1}
        fresh = db.session.get(StaffUser, user.id)
        assert fresh.totp_secret(keyring) == secret and keyring.key_id_of(fresh.totp_secret_enc) != old_id
