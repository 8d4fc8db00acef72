"""The admin's office profile pages: a form for every section, the TOML editor, versions, posters."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.cli import AppGroup

from intake.posters import FORMATS, poster_layout, render
from intake.ratings import active_service_points, find_service_point
from models import db
from staff import layout, office_profile
from staff.auth import current_user, require_roles
from staff.i18n import translate

bp = Blueprint("staff_office", __name__, url_prefix="/staff/office", template_folder="templates")
layout.install(bp)
profile_command = AppGroup("profile", help="Import and export the office profile (TOML) stored in the database.")
_MIMETYPES = {"pdf": "application/pdf", "png": "image/png", "svg": "image/svg+xml"}


@bp.app_template_global()
def profile_field(kind: str, path: list) -> str:
    """Return the form field name of one profile value."""
    return office_profile.field_name(kind, path)


def _page(text: str, typed=None, error: str | None = None, detail: str = "", status: int = 200):
    return render_template("staff/office.html", sections=office_profile.sections(text), typed=typed or {},
                           title=office_profile.title, versions=office_profile.versions(),
                           points=active_service_points(), formats=FORMATS, version_sources=office_profile.SOURCES, error=error, detail=detail), status


def _refusal(refused: office_profile.ProfileRefused) -> str:
    return translate(refused.message, **{name: translate(value) for name, value in refused.values.items()})


def _saved(row) -> None:
    flash(translate("บันทึกข้อมูลสำนักงานฉบับที่ {version} แล้ว มีผลทันทีโดยไม่ต้องเริ่มระบบใหม่", version=row.version),
          "success")


@bp.route("/", methods=["GET", "POST"])
@require_roles("admin")
def index():
    """Show the profile as a form for every section, and save an edit as a new version."""
    text = office_profile.current_text()
    if request.method == "GET":
        return _page(text)
    try:
        row = office_profile.save(office_profile.apply_form(text, request.form), staff_id=current_user().id,
                                  source="console", note=request.form.get("note", ""))
    except office_profile.ProfileRefused as refused:
        return _page(text, request.form, _refusal(refused), refused.detail, 400)
    _saved(row)
    return redirect(url_for("staff_office.index"))


@bp.route("/toml", methods=["GET", "POST"])
@require_roles("admin")
def toml():
    """Edit the whole profile as TOML (or import a file); every section the loader validates is here."""
    if request.method == "GET":
        number = request.args.get("version", type=int)
        text = office_profile.version_text(number) if number else office_profile.current_text()
        if text is None:
            abort(404)
        return render_template("staff/office_toml.html", text=text, loaded=number, error=None, detail="")
    upload = request.files.get("file")
    source = "import" if upload and upload.filename else "console"
    text = upload.read().decode("utf-8", "replace") if source == "import" else request.form.get("text", "")
    try:
        row = office_profile.save(text.replace("\r\n", "\n"), staff_id=current_user().id, source=source,
                                  note=request.form.get("note", ""))
    except office_profile.ProfileRefused as refused:
        return render_template("staff/office_toml.html", text=text, loaded=None, error=_refusal(refused),
                               detail=refused.detail), 400
    _saved(row)
    return redirect(url_for("staff_office.index"))


@bp.route("/export")
@require_roles("admin")
def export():
    """Download the profile in force, or one stored version, as a TOML file."""
    number = request.args.get("version", type=int)
    text = office_profile.version_text(number) if number else office_profile.current_text()
    if text is None:
        abort(404)
    name = f"office-profile-v{number}.toml" if number else "office-profile.toml"
    return current_app.response_class(text, mimetype="application/toml",
                                      headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/poster")
@require_roles("admin")
def poster():
    """Draw a service point's counter poster with its rating QR code."""
    if not request.args.get("point"):
        return redirect(url_for("staff_office.index", _anchor="points"))
    point = find_service_point(request.args["point"].upper())
    fmt = request.args.get("format", "pdf")
    if point is None or fmt not in FORMATS:
        abort(404)
    drawn = render(poster_layout(current_app.config["SETTINGS"].public_base_url, point, current_app.config["PROFILE"]),
                   fmt)
    return current_app.response_class(drawn, mimetype=_MIMETYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="poster-{point.code}.{fmt}"'})


@profile_command.command("export")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: print).")
@click.option("--version", "number", type=int, help="A stored version (default: the one in force).")
def export_command(out: Path | None, number: int | None) -> None:
    """Write the office profile as TOML."""
    text = office_profile.version_text(number) if number else office_profile.current_text()
    if text is None:
        raise click.ClickException(f"no stored version {number}")
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


@profile_command.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--note", default="", help="Why it changed, kept with the version.")
def import_command(path: Path, note: str) -> None:
    """Store a TOML file as the next version of the office profile (validated, audited)."""
    try:
        row = office_profile.save(path.read_text(encoding="utf-8"), staff_id=None, source="import", note=note)
    except office_profile.ProfileRefused as refused:
        raise click.ClickException(f"{refused.message} {refused.detail}") from None
    db.commit()
    click.echo(f"office profile version {row.version} stored")
