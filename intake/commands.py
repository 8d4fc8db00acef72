"""`flask qr`: print the counter posters with each service point's rating QR code."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import with_appcontext

from intake.posters import FORMATS, poster_layout, render
from intake.ratings import active_service_points, find_service_point
from models import ServicePoint


def _warn_if_local() -> None:
    base = current_app.config["SETTINGS"].public_base_url
    if urlsplit(base).hostname in {"127.0.0.1", "localhost", "::1"}:
        click.echo(f"คำเตือน: คิวอาร์โค้ดจะเปิด {base} ซึ่งใช้ได้เฉพาะเครื่องนี้ ตั้งค่า PUBLIC_BASE_URL เป็นที่อยู่เว็บจริง"
                   f"ของหน่วยงานก่อนพิมพ์ (warning: codes open {base}; set PUBLIC_BASE_URL)", err=True)


def write_poster(point: ServicePoint, fmt: str, out: Path) -> Path:
    """Draw one service point's poster and write it to a file; return the path."""
    layout = poster_layout(current_app.config["SETTINGS"].public_base_url, point, current_app.config["PROFILE"])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(render(layout, fmt))
    return out


@click.group("qr")
def qr_command() -> None:
    """Print counter posters with rating QR codes (codes open PUBLIC_BASE_URL)."""


@qr_command.command("poster")
@click.option("--point", "point_code", required=True, help="Service point code, e.g. TAX.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="pdf", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
@with_appcontext
def poster_command(point_code: str, fmt: str, out: Path) -> None:
    """Write the A4 poster of one service point."""
    point = find_service_point(point_code.upper())
    if point is None:
        codes = ", ".join(p.code for p in active_service_points()) or "(none: run `flask setup` or `flask demo`)"
        raise click.ClickException(f"ไม่พบจุดบริการ {point_code} (unknown service point); known: {codes}")
    click.echo(f"{write_poster(point, fmt, out)}  ← {point.code} {point.name}")
    _warn_if_local()


@qr_command.command("all")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder to write into.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="pdf", show_default=True)
@with_appcontext
def all_command(out_dir: Path, fmt: str) -> None:
    """Write one A4 poster per active service point, named after its code."""
    points = active_service_points()
    if not points:
        raise click.ClickException("ยังไม่มีจุดบริการ (no service points): run `flask setup` or `flask demo` first")
    for point in points:
        click.echo(f"{write_poster(point, fmt, out_dir / f'poster-{point.code}.{fmt}')}  ← {point.name}")
    _warn_if_local()
