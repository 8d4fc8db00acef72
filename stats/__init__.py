"""Statistics, reports, the transparency pages and scheduled delivery."""
from flask import Flask


def init_app(app: Flask) -> None:
    """Register the transparency pages and the statistics commands."""


def start_embedded(app: Flask) -> None:
    """Start the report clock inside this process (the single-machine default)."""
