"""`flask setup`: schema, office profile, first admin and officer, and the recovery key."""
from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from intake.service_points import sync_service_points
from models import Meta, RecoveryKey, StaffUser, db, server_keys, utcnow
from models import migrate as migrations
from staff import grants
from staff.passwords import hash_password, password_problem

SETUP_DONE = "setup_done_at"

RECOVERY_NOTICE = """
==========================================================================
 กุญแจกู้คืนของสำนักงาน (OFFICE RECOVERY KEY) — แสดงเพียงครั้งเดียว
==========================================================================
 {key}
 ลายนิ้วมือ (fingerprint): {fingerprint}

 1. พิมพ์หน้านี้หรือจดกุญแจนี้ลงกระดาษ แล้วเก็บในตู้นิรภัยของสำนักงาน
 2. ห้ามเก็บไว้ในเครื่องแม่ข่าย อีเมล หรือไลน์
 3. ใช้เมื่อไม่มีเจ้าหน้าที่คนใดเปิดเรื่องร้องเรียนได้ (flask keys recover)
 หากกุญแจนี้สูญหายพร้อมรหัสผ่านของเจ้าหน้าที่ทุกคน จะไม่มีใครอ่านเรื่องร้องเรียนได้อีก

 Print this key or copy it onto paper and keep it in the office safe. It is
 never stored on the server. Without it, and without an officer's password,
 no one can read the complaints again.
==========================================================================
"""


def _create_user(username: str, name: str, password: str, roles: str, with_keys: bool) -> StaffUser:
    user = StaffUser(username=username, display_name=name, roles=roles, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    if with_keys:
        user.create_key_pair(password, server_keys().kdf_cost)
    return user


def run_setup(*, admin: tuple[str, str, str], officer: tuple[str, str, str], force: bool) -> str:
    """Build the schema and the first accounts; return the recovery key text (shown once)."""
    for username, _, password in (admin, officer):
        if problem := password_problem(password):
            raise click.BadParameter(f"{username}: {problem}")
    migrations.upgrade(current_app.config["DATABASE_URL"])
    session = db.session
    if Meta.get(session, SETUP_DONE) and not force:
        raise click.ClickException("ระบบตั้งค่าไว้แล้ว (setup has already run). Use --force to add new "
                                   "accounts and a new recovery key; existing records are kept.")
    sync_service_points(current_app.config["PROFILE"])
    for username, *_ in (admin, officer):
        if session.scalar(select(StaffUser).where(StaffUser.username == username)):
            raise click.ClickException(f"ชื่อผู้ใช้ {username} มีอยู่แล้ว (user exists); choose another name")
    _create_user(admin[0], admin[1], admin[2], "admin", with_keys=False)
    first_officer = _create_user(officer[0], officer[1], officer[2], "officer", with_keys=True)
    recovery, text = RecoveryKey.create(session)
    # The first reader is certified by the recovery key while its private half is still in memory.
    grants.certify_by_recovery(RecoveryKey.parse_private(text), first_officer)
    Meta.put(session, SETUP_DONE, utcnow().isoformat())
    db.commit()
    return RECOVERY_NOTICE.format(key=text, fingerprint=recovery.fingerprint)


@click.command("setup")
@click.option("--admin-user", default="admin", show_default=True, help="User name of the first admin.")
@click.option("--admin-name", default="ผู้ดูแลระบบ", show_default=True, help="Display name of the first admin.")
@click.option("--admin-password", envvar="SETUP_ADMIN_PASSWORD", help="Admin password (or env SETUP_ADMIN_PASSWORD); prompted when absent.")
@click.option("--officer-user", default="officer", show_default=True, help="User name of the first complaint officer.")
@click.option("--officer-name", default="เจ้าหน้าที่รับเรื่องร้องเรียน", show_default=True, help="Display name of the first officer.")
@click.option("--officer-password", envvar="SETUP_OFFICER_PASSWORD", help="Officer password (or env SETUP_OFFICER_PASSWORD); prompted when absent.")
@click.option("--recovery-key-out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the recovery key to this file (mode 0600) instead of the screen; move it to paper and delete it.")
@click.option("--force", is_flag=True, help="Run again on a set-up database: adds the accounts and a new recovery key.")
@with_appcontext
def setup_command(admin_user, admin_name, admin_password, officer_user, officer_name, officer_password,
                  recovery_key_out, force):
    """Build the schema, load the office profile, create the first admin and officer and the recovery key."""
    admin_password = admin_password or click.prompt(f"รหัสผ่านของ {admin_user}", hide_input=True,
                                                    confirmation_prompt=True)
    officer_password = officer_password or click.prompt(f"รหัสผ่านของ {officer_user}", hide_input=True,
                                                        confirmation_prompt=True)
    notice = run_setup(admin=(admin_user, admin_name, admin_password),
                       officer=(officer_user, officer_name, officer_password), force=force)
    if recovery_key_out:
        fd = os.open(recovery_key_out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(notice)
        click.echo(f"กุญแจกู้คืนถูกเขียนไว้ที่ {recovery_key_out}: พิมพ์เก็บไว้ในตู้นิรภัยแล้วลบไฟล์ทิ้ง")
    else:
        click.echo(notice)
    click.echo(f"ตั้งค่าเสร็จแล้ว: ผู้ดูแลระบบ {admin_user}, เจ้าหน้าที่รับเรื่อง {officer_user}")
