"""The LINE channel: webhook, inbox, worker, dialogs, API client, rich menu, simulator."""
from flask import Flask


def init_app(app: Flask) -> None:
    """Register the webhook, the simulator and the bot commands."""
    from bot import cli, line_api, notify, simulator, webhook

    line_api.init_app(app)
    notify.init_app(app)
    app.register_blueprint(webhook.bp)
    # LINE signs its calls; a CSRF token means nothing to it.
    app.extensions["csrf"].exempt(webhook.bp)
    settings = app.config["SETTINGS"]
    if settings.line_simulated and not settings.is_production:  # never in production, whatever the settings
        simulator.init_app(app)
    app.cli.add_command(cli.bot_command)
    app.cli.add_command(cli.line_command)


def start_embedded(app: Flask) -> None:
    """Start the inbox worker inside this process (the single-machine default)."""
    from bot.worker import Worker

    app.extensions["sujarit.line_worker"] = worker = Worker(app)
    worker.start()
