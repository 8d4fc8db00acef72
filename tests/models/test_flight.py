"""Tier-F keys: a one-way ratchet in a 0600 key-state file, shared by processes, that forgets on schedule."""
from __future__ import annotations

import json
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from models.crypto import DecryptionError
from models.flight import FILE_NAME, WINDOW, FlightKeyExpired, FlightKeys

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 24, 9, 37, 13, tzinfo=timezone.utc)
AD = b"sujarit|line_inbox|E1|payload"


def test_what_is_encrypted_opens_within_the_window_and_never_after(tmp_path):
    keys = FlightKeys(tmp_path)
    blob = keys.encrypt(b"complaint text", AD, now=T0)
    assert b"complaint text" not in blob
    assert keys.decrypt(blob, AD, now=T0 + WINDOW - timedelta(hours=2)) == b"complaint text"
    with pytest.raises(DecryptionError):
        keys.decrypt(blob, b"another row", now=T0)

    keys.advance(T0 + WINDOW)
    with pytest.raises(FlightKeyExpired):
        keys.decrypt(blob, AD, now=T0 + WINDOW)
    # A process that reads the file afresh, or an insider with a copy of it, cannot open it either.
    with pytest.raises(FlightKeyExpired):
        FlightKeys(tmp_path).decrypt(blob, AD, now=T0 + WINDOW)
    state = json.loads((tmp_path / FILE_NAME).read_text())
    assert set(state) == {"oldest", "key", "windows"} and state["oldest"] > int(T0.timestamp()) // 3600


def test_the_key_state_file_is_owner_only_and_replaced_whole(tmp_path):
    keys = FlightKeys(tmp_path / "keys")
    keys.encrypt(b"x", AD, now=T0)
    first = (tmp_path / "keys" / FILE_NAME).stat()
    keys.advance(T0 + timedelta(hours=3))
    second = (tmp_path / "keys" / FILE_NAME).stat()
    assert stat.S_IMODE(second.st_mode) == 0o600 and stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    assert first.st_ino != second.st_ino  # a new file renamed over the old one, never half-written
    assert [p.name for p in (tmp_path / "keys").iterdir() if p.name.startswith(".")] == []


def test_another_process_opens_what_this_one_sealed(tmp_path):
    keys = FlightKeys(tmp_path)
    blob = keys.encrypt("ข้อความระหว่างทาง".encode(), AD)
    digest = keys.daily_digest("line_user", "U123")
    script = ("import sys; from models.flight import FlightKeys; k = FlightKeys(sys.argv[1]); "
              "print(k.decrypt(bytes.fromhex(sys.argv[2]), sys.argv[3].encode()).decode()); "
              "print(k.daily_digest('line_user', 'U123').hex())")
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path), blob.hex(), AD.decode()], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == ["ข้อความระหว่างทาง", digest.hex()]


def test_day_hashes_change_daily_and_die_with_the_epoch_keys(tmp_path):
    keys = FlightKeys(tmp_path)
    today = keys.daily_digest("line_user", "U1", now=T0)
    assert today == keys.daily_digest("line_user", "U1", now=T0 + timedelta(hours=5))
    assert today != keys.daily_digest("line_user", "U2", now=T0)
    tomorrow = T0 + timedelta(days=1)
    assert keys.daily_digest("line_user", "U1", now=tomorrow) != today
    assert keys.daily_digest("line_user", "U1", days_ago=1, now=tomorrow) == today
    assert keys.daily_digest("line_user", "U1", days_ago=2, now=T0 + timedelta(days=2, hours=12)) is None


def test_window_keys_are_random_per_window_and_dropped_when_it_ends(tmp_path):
    keys, other = FlightKeys(tmp_path), FlightKeys(tmp_path)
    first = keys.window_digest("throttle", "track\x00203.0.113.7", seconds=600, now=T0)
    assert other.window_digest("throttle", "track\x00203.0.113.7", seconds=600, now=T0) == first
    later = T0 + timedelta(minutes=10)
    assert keys.window_digest("throttle", "track\x00203.0.113.7", seconds=600, now=later) != first
    windows = json.loads((tmp_path / FILE_NAME).read_text())["windows"]
    assert list(windows) == [f"600:{int(later.timestamp()) // 600}"]


def test_a_clock_set_back_keeps_what_was_written_later(tmp_path):
    keys = FlightKeys(tmp_path)
    blob = keys.encrypt(b"later", AD, now=T0 + timedelta(days=3))
    back = FlightKeys(tmp_path)
    assert back.decrypt(blob, AD, now=T0) == b"later"
    assert back.decrypt(back.encrypt(b"now", AD, now=T0), AD, now=T0) == b"now"
