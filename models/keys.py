"""The server's keys for the running app: tier-C keyring, blind index, key-derivation cost."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from config import Settings
from models.keyring import BlindIndex, ServerKeyring


@dataclass(frozen=True)
class ServerKeys:
    """The keys the server holds; none of them opens a sealed (tier S) field."""

    keyring: ServerKeyring
    index: BlindIndex
    kdf_cost: tuple[int, int, int]

    @classmethod
    def from_settings(cls, settings: Settings) -> "ServerKeys":
        """Build the server keys from settings."""
        return cls(ServerKeyring(settings.data_keys), BlindIndex(settings.index_key), settings.kdf_cost)

    def init_app(self, app: Flask) -> None:
        """Make these keys the app's keys."""
        app.extensions["sujarit.keys"] = self


def server_keys() -> ServerKeys:
    """Return the current app's server keys."""
    return current_app.extensions["sujarit.keys"]
