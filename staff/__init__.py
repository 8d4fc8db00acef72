"""The staff console: sign-in, roles, case desk, key grants, gift register, audit log."""
from flask import Flask

from staff import reports_views
from staff.setup import setup_command


def init_app(app: Flask) -> None:
    """Register the staff console's blueprints and commands."""
    app.register_blueprint(reports_views.bp)
    app.cli.add_command(setup_command)
