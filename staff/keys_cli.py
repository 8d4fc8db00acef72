"""`flask keys`: generate production keys, recover access with the recovery key, rotate tier C."""
from __future__ import annotations

from datetime import datetime, timezone

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from config.settings import new_key_text
from models import DecryptionError, NoAccess, RecoveryKey, StaffUser, db, server_keys
from models.rotation import keys_in_use, rotate_tier_c
from staff import grants


@click.group("keys")
def keys_command() -> None:
    """Manage the server keys and the office recovery key."""


@keys_command.command("generate")
def generate() -> None:
    """Print fresh DATA_KEYS and INDEX_KEY values for a production environment."""
    key_id = "k" + datetime.now(timezone.utc).strftime("%Y%m%d")
    click.echo(f"DATA_KEYS={key_id}:{new_key_text()}")
    click.echo(f"INDEX_KEY={new_key_text()}")
    click.echo("\n# เก็บค่าเหล่านี้ในที่เก็บความลับของเครื่องแม่ข่าย ห้ามบันทึกลง git หรือส่งทางอีเมล/ไลน์", err=True)
    click.echo("# To rotate: put the new DATA_KEYS entry FIRST and keep the old ones after it "
               "(DATA_KEYS=new:...,old:...), restart, run `flask keys rotate`, then remove the old entry.", err=True)
    click.echo("# INDEX_KEY is set once for the life of the database: changing it breaks every tracking code.", err=True)


@keys_command.command("recover")
@click.option("--officer", "username", required=True, help="User name of the officer to grant access to.")
@with_appcontext
def recover(username: str) -> None:
    """Certify an officer as a reader and grant every complaint, with the office recovery key (prompted)."""
    officer = db.session.scalar(select(StaffUser).where(func.lower(StaffUser.username) == username.lower()))
    if officer is None or not officer.active or not officer.has_role("officer"):
        raise click.ClickException(f"ไม่พบเจ้าหน้าที่รับเรื่องร้องเรียน {username} ที่ใช้งานอยู่ (no active officer)")
    if officer.public_key is None:
        raise click.ClickException(f"{username} ยังไม่มีกุญแจ: ให้เข้าสู่ระบบหนึ่งครั้งก่อน "
                                   "(the officer must sign in once to make a key pair)")
    text = click.prompt("กุญแจกู้คืน (SJR1-...)", hide_input=True)
    try:
        private = RecoveryKey.parse_private(text)
    except DecryptionError as exc:
        raise click.ClickException(f"กุญแจกู้คืนไม่ถูกต้อง: {exc}") from None
    with db.unit_of_work():
        try:
            count = grants.certify_by_recovery(private, officer)
        except NoAccess:
            raise click.ClickException("กุญแจนี้ไม่ใช่กุญแจกู้คืนของสำนักงานนี้ (not this office's recovery key)") from None
    click.echo(f"รับรอง {officer.username} เป็นผู้อ่านแล้ว และมอบสิทธิ์ {count} เรื่อง "
               f"(certified as a reader, granted {count} complaints)")


@keys_command.command("rotate")
@with_appcontext
def rotate() -> None:
    """Re-encrypt every tier-C value under the newest DATA_KEYS key."""
    keyring = server_keys().keyring
    with db.unit_of_work():
        changed = rotate_tier_c(db.session, keyring)
    for column, count in changed.items():
        click.echo(f"{column}: {count}")
    remaining = keys_in_use(db.session, keyring)
    click.echo(f"ทุกค่าใช้กุญแจ {keyring.active_id} แล้ว (values per key: {remaining}); "
               "ลบกุญแจเก่าออกจาก DATA_KEYS ได้ (old keys may now be removed from DATA_KEYS)")
