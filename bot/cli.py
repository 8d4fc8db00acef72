"""Commands: `flask bot worker` (the Procfile's worker) and `flask line richmenu`."""
from __future__ import annotations

import os
import signal
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app

from bot.line_api import LineApiError, line_api


@click.group("bot")
def bot_command() -> None:
    """Run the LINE bot's background work."""


@bot_command.command("worker")
@click.option("--threads", default=4, show_default=True, help="Threads claiming events.")
@click.option("--lease", default=120, show_default=True,
              help="Seconds before an event claimed by a worker that died is claimed again.")
@click.option("--max-attempts", default=5, show_default=True, help="Tries before an event is parked.")
@click.option("--nice", default=10, show_default=True,
              help="Lower this process's CPU priority by this much (0 keeps it), so the web's answers to LINE come first.")
def worker_command(threads: int, lease: int, max_attempts: int, nice: int) -> None:
    """Process LINE events from the inbox until stopped (SIGTERM or Ctrl+C)."""
    from bot.worker import Worker, WorkerOptions

    # LINE waits on the webhook's 200, and redelivers when it is slow; a reply may come a moment later.
    os.nice(nice)
    app = current_app._get_current_object()
    worker = Worker(app, WorkerOptions(threads=threads, lease=timedelta(seconds=lease), max_attempts=max_attempts))
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    click.echo(f"LINE worker: {threads} threads (Ctrl+C to stop)")
    running = worker.start()
    try:
        for thread in running:
            while thread.is_alive():
                thread.join(0.5)
    except KeyboardInterrupt:
        worker.stop()
        for thread in running:
            thread.join(10)


@click.group("line")
def line_command() -> None:
    """Set up the LINE official account."""


@line_command.command("richmenu")
@click.option("--image-only", type=click.Path(dir_okay=False, path_type=Path),
              help="Only write the picture to this PNG file; register nothing.")
@click.option("--staff", is_flag=True, help="The staff menu (No Gift), given to each linked staff member.")
def richmenu_command(image_only: Path | None, staff: bool) -> None:
    """Draw the rich menu (Thai, Sarabun) and register it as every user's default menu (or as the staff menu)."""
    from bot.flows.staff import STAFF_MENU_KEY
    from bot.richmenu import STAFF_LAYOUT, register, render_image
    from models import Meta, db

    image = render_image(STAFF_LAYOUT) if staff else render_image()
    if image_only:
        image_only.write_bytes(image)
        click.echo(f"wrote {image_only} ({len(image):,} bytes)")
        return
    try:
        menu_id = register(line_api(), current_app.config["PROFILE"].short_name, image, staff=staff)
    except LineApiError as exc:
        raise click.ClickException(f"LINE refused the rich menu (status {exc.status})") from None
    if staff:
        with db.unit_of_work() as session:
            Meta.put(session, STAFF_MENU_KEY, menu_id)
        click.echo(f"ตั้งค่าริชเมนูเจ้าหน้าที่เรียบร้อยแล้ว (staff rich menu {menu_id}, given to each linked staff member)")
        return
    click.echo(f"ตั้งค่าริชเมนูเรียบร้อยแล้ว (rich menu {menu_id} is now the default)")
