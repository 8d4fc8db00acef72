"""The domain core for what citizens hand in, and the public web forms."""
from flask import Flask


def init_app(app: Flask) -> None:
    """Register the public web forms and the poster commands."""
    from intake.commands import qr_command
    from intake.web import public

    app.register_blueprint(public)
    app.cli.add_command(qr_command)
