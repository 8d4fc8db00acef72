"""The staff console: sign-in, roles, case desk, key grants, gift register, audit log."""
from flask import Flask

from staff import (admin_views, auth, casedesk_views, dashboard, i18n, keys_views, office_profile, office_views,
                   reports_views, signin_views)
from staff.catalogue import translations_command
from staff.demo import demo_command
from staff.keys_cli import keys_command
from staff.setup import setup_command


def init_app(app: Flask) -> None:
    """Register the staff console's blueprints and commands."""
    i18n.init_app(app)
    office_profile.init_app(app)
    app.register_blueprint(reports_views.bp)
    app.cli.add_command(setup_command)
    auth.init_app(app)
    app.register_blueprint(signin_views.bp)
    app.register_blueprint(casedesk_views.bp)
    app.register_blueprint(keys_views.bp)
    app.register_blueprint(admin_views.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(office_views.bp)
    app.cli.add_command(keys_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(translations_command)
    app.cli.add_command(office_views.profile_command)
