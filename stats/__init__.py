"""Statistics, reports, the transparency pages and scheduled delivery."""
from flask import Flask


def init_app(app: Flask) -> None:
    """Register the transparency pages and the statistics commands."""
    from stats.commands import scheduler_command, stats_command
    from stats.transparency import bp

    app.register_blueprint(bp)
    app.cli.add_command(stats_command)
    app.cli.add_command(scheduler_command)


def start_embedded(app: Flask) -> None:
    """Start the report clock inside this process (the single-machine default)."""
    from stats.clock import Clock

    clock = Clock(app)
    clock.start()
    app.extensions["sujarit.clock"] = clock
