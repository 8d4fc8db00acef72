"""Tier F: short-lived keys for in-flight LINE data, kept in a key-state file outside the database.

Hourly epoch keys come from a one-way ratchet, K(e + 1) = HKDF(K(e)). The key-state file holds only
the oldest epoch still inside the window and its key: every newer key is derived from it, and no
older one can be. As the window moves on, the file is replaced by a later link of the chain, so what
was encrypted in a dropped epoch can no longer be opened by anyone, with any key the server has.
Keyed hashes that stand for a LINE user use a key per day derived from the day's first epoch key,
destroyed with it. Abuse-limit windows get random keys of their own, dropped as each window ends.

The file is never in the database (dead rows and the WAL would keep old keys), is written 0600 and
replaced atomically, and an flock serialises the processes (web, worker, clock) that share it.
Each process keeps the chain in memory and reads the file once an hour, or when a window begins.
"""
from __future__ import annotations

import base64
import fcntl
import hashlib
import hmac
import json
import os
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from models.crypto import DecryptionError, decrypt, derive_key, encrypt, new_key

EPOCH_SECONDS = 3600
#: Epochs whose keys exist: the current one and the 47 before it. Nothing older than 48 hours opens.
WINDOW_EPOCHS = 48
WINDOW = timedelta(seconds=EPOCH_SECONDS * WINDOW_EPOCHS)
_EPOCHS_A_DAY = 86400 // EPOCH_SECONDS
FILE_NAME = "flight-keys.json"
_MAGIC = b"SJF1"
_HEADER = len(_MAGIC) + 4


class FlightKeyExpired(DecryptionError):
    """The epoch key of a tier-F ciphertext has been destroyed: nobody can open it any more."""


def _ratchet(key: bytes) -> bytes:
    return derive_key(key, b"sujarit flight ratchet v1")


def _epoch_of(now: datetime) -> int:
    return int(now.timestamp()) // EPOCH_SECONDS


class _Chain:
    """The keys one process holds in memory for the epochs from `oldest` to `current`."""

    def __init__(self, oldest: int, key: bytes, current: int):
        self.oldest, self.current = oldest, current
        self._links = {oldest: key}
        self._data: dict[int, bytes] = {}
        self._days: dict[int, bytes] = {}

    def link(self, epoch: int) -> bytes | None:
        # One epoch ahead is allowed: another machine's clock may have turned the hour a little earlier.
        if not self.oldest <= epoch <= self.current + 1:
            return None
        if epoch not in self._links:
            last = max(e for e in self._links if e < epoch)
            for e in range(last + 1, epoch + 1):
                self._links[e] = _ratchet(self._links[e - 1])
        return self._links[epoch]

    def day_key(self, day: int) -> bytes | None:
        if day not in self._days:
            link = self.link(day * _EPOCHS_A_DAY)
            if link is None:
                return None
            self._days[day] = derive_key(link, b"sujarit daily index v1")
        return self._days[day]

    def data_key(self, epoch: int) -> bytes | None:
        if epoch not in self._data:
            link = self.link(epoch)
            if link is None:
                return None
            self._data[epoch] = derive_key(link, b"sujarit flight data v1")
        return self._data[epoch]


class FlightKeys:
    """The tier-F keys of a key-state directory: encrypt under the current epoch, open within the window."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.path = self.directory / FILE_NAME
        self._memory = threading.Lock()
        self._chain: _Chain | None = None
        self._windows: dict[tuple[int, int], bytes] = {}

    # --- the key-state file ----------------------------------------------------------------------

    @contextmanager
    def _file_lock(self):
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.directory / (FILE_NAME + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _read(self) -> dict | None:
        try:
            return json.loads(self.path.read_text())
        except FileNotFoundError:
            return None

    def _write(self, state: dict) -> None:
        # Atomic replacement: readers see the old file or the new one, never half of one.
        temporary = self.directory / f".{FILE_NAME}.{os.getpid()}.{threading.get_ident()}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(state, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, self.path)
        directory = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def _refresh(self, now: datetime, window: tuple[int, int] | None = None) -> None:
        """Read the file under its lock, move the chain on, drop ended windows, add `window` if new."""
        epoch = _epoch_of(now)
        with self._file_lock():
            for leftover in self.directory.glob(f".{FILE_NAME}.*"):
                leftover.unlink()  # a write cut short by a crash: an old copy of the keys must not linger
            state = self._read()
            changed = state is None
            if state is None:
                # A new chain starts a full window back, so that today's day key exists from the start.
                state = {"oldest": epoch - WINDOW_EPOCHS + 1, "key": _b64(new_key()), "windows": {}}
            oldest, key = state["oldest"], _unb64(state["key"])
            while oldest < epoch - WINDOW_EPOCHS + 1:
                oldest, key, changed = oldest + 1, _ratchet(key), True
            stamp = int(now.timestamp())
            windows = {name: value for name, value in state.get("windows", {}).items()
                       if _window_end(name) > stamp}
            changed = changed or len(windows) != len(state.get("windows", {}))
            if window is not None and _window_name(window) not in windows:
                windows[_window_name(window)] = _b64(new_key())
                changed = True
            if changed:
                self._write({"oldest": oldest, "key": _b64(key), "windows": windows})
        # A file moved on by a clock ahead of ours (or ours set back) keeps what was written "later" open.
        self._chain = _Chain(oldest, key, max(epoch, oldest + WINDOW_EPOCHS - 1))
        self._windows = {_window_tuple(name): _unb64(value) for name, value in windows.items()}

    def _current(self, now: datetime) -> _Chain:
        with self._memory:
            if self._chain is None or self._chain.current < _epoch_of(now):
                self._refresh(now)
            return self._chain

    def advance(self, now: datetime | None = None) -> None:
        """Destroy the keys that have left the window, even when nothing is being encrypted (the worker's purge)."""
        self._current(now or datetime.now(timezone.utc))

    # --- tier-F encryption ---------------------------------------------------------------------------

    def encrypt(self, plaintext: bytes, ad: bytes, now: datetime | None = None) -> bytes:
        """Encrypt under the current epoch's key; the epoch number is stored in front."""
        chain = self._current(now or datetime.now(timezone.utc))
        epoch = chain.current
        return _MAGIC + epoch.to_bytes(4, "big") + encrypt(chain.data_key(epoch), plaintext, ad)

    def decrypt(self, blob: bytes, ad: bytes, now: datetime | None = None) -> bytes:
        """Open a tier-F ciphertext, or raise FlightKeyExpired once its epoch key is gone."""
        if not blob or blob[:len(_MAGIC)] != _MAGIC or len(blob) < _HEADER:
            raise DecryptionError("not a tier-F ciphertext")
        key = self._current(now or datetime.now(timezone.utc)).data_key(epoch_of_blob(blob))
        if key is None:
            raise FlightKeyExpired("the epoch key of this ciphertext has been destroyed")
        return decrypt(key, blob[_HEADER:], ad)

    # --- keyed hashes that expire --------------------------------------------------------------------

    def daily_digest(self, purpose: str, value: str, *, days_ago: int = 0, now: datetime | None = None) -> bytes | None:
        """Return the keyed hash of a value under the key of today (or of `days_ago`), None once it is gone."""
        chain = self._current(now or datetime.now(timezone.utc))
        day = chain.current // _EPOCHS_A_DAY - days_ago
        key = chain.day_key(day)
        if key is None:
            return None
        return hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).digest()

    def window_digest(self, purpose: str, value: str, *, seconds: int, now: datetime | None = None) -> bytes:
        """Return the keyed hash of a value under the random key of the current window of `seconds`."""
        now = now or datetime.now(timezone.utc)
        window = (seconds, int(now.timestamp()) // seconds)
        with self._memory:
            stamp = int(now.timestamp())
            self._windows = {w: k for w, k in self._windows.items() if (w[1] + 1) * w[0] > stamp}
            if window not in self._windows:
                self._refresh(now, window)
            key = self._windows[window]
        return hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).digest()


def epoch_of_blob(blob: bytes) -> int:
    """Return the epoch a tier-F ciphertext was made in."""
    return int.from_bytes(blob[len(_MAGIC):_HEADER], "big")


def is_flight_blob(blob: bytes | None) -> bool:
    """Return True when bytes are a tier-F ciphertext."""
    return bool(blob) and blob[:len(_MAGIC)] == _MAGIC


def _b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text)


def _window_name(window: tuple[int, int]) -> str:
    return f"{window[0]}:{window[1]}"


def _window_tuple(name: str) -> tuple[int, int]:
    seconds, index = name.split(":")
    return int(seconds), int(index)


def _window_end(name: str) -> int:
    seconds, index = _window_tuple(name)
    return (index + 1) * seconds
