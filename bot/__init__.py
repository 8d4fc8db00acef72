"""The LINE channel: webhook, inbox, worker, dialogs, API client, rich menu, simulator."""
from flask import Flask


def init_app(app: Flask) -> None:
    """Register the webhook, the simulator and the bot commands."""


def start_embedded(app: Flask) -> None:
    """Start the inbox worker inside this process (the single-machine default)."""
