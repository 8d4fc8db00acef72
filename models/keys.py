"""The server's keys for the running app: tier-C keyring, blind index, tier-F keys, key-derivation cost."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from config import Settings
from models.flight import FlightKeys
from models.keyring import BlindIndex, ServerKeyring


@dataclass(frozen=True)
class ServerKeys:
    """The keys the server holds; none of them opens a sealed (tier S) field."""

    keyring: ServerKeyring
    index: BlindIndex
    kdf_cost: tuple[int, int, int]
    #: Short-lived keys of in-flight LINE data, from the key-state file (never the database).
    flight: FlightKeys

    @classmethod
    def from_settings(cls, settings: Settings) -> "ServerKeys":
        """Build the server keys from settings."""
        return cls(ServerKeyring(settings.data_keys), BlindIndex(settings.index_key), settings.kdf_cost,
                   FlightKeys(settings.flight_keys_path))

    def init_app(self, app: Flask) -> None:
        """Make these keys the app's keys."""
        app.extensions["sujarit.keys"] = self


def server_keys() -> ServerKeys:
    """Return the current app's server keys."""
    return current_app.extensions["sujarit.keys"]
