"""Errors the intake services raise, with Thai messages meant for the citizen."""
from __future__ import annotations


class IntakeError(ValueError):
    """Input the intake services refuse; `errors` maps a field name to a Thai message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
