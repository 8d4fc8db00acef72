"""The insider's toolkit: the database's raw files, every key the server holds, and a try at every ciphertext."""
from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select, text

from models import Base, crypto, db
from models.flight import FILE_NAME, _Chain, _epoch_of, epoch_of_blob, is_flight_blob
from models.keyring import ServerKeyring

_FLIGHT_MAGIC = b"SJF1"


def raw_database_files(url: str) -> tuple[bytes, str]:
    """Return the bytes of the database's files (SQLite: file, WAL, SHM; PostgreSQL: heap, TOAST and
    index files of every table, read from the data directory after a CHECKPOINT), or b"" and why not."""
    db.commit()
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        files = [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
        return b"\x00".join(f.read_bytes() for f in files if f.exists()), ""
    with db.engine.connect() as connection:
        try:
            connection.execute(text("CHECKPOINT"))
            data_dir = Path(connection.execute(text("SHOW data_directory")).scalar_one())
        except Exception as exc:  # noqa: BLE001 - not a superuser: say so and skip
            return b"", f"cannot CHECKPOINT or read data_directory ({type(exc).__name__})"
        relations = connection.execute(text(
            "SELECT pg_relation_filepath(c.oid) FROM pg_class c "
            "WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i', 't') "
            "UNION SELECT pg_relation_filepath(c.reltoastrelid) FROM pg_class c "
            "WHERE c.relnamespace = 'public'::regnamespace AND c.reltoastrelid <> 0 "
            "UNION SELECT pg_relation_filepath(i.indexrelid) FROM pg_class c JOIN pg_index i "
            "ON i.indrelid = c.reltoastrelid WHERE c.relnamespace = 'public'::regnamespace")).scalars().all()
    chunks = []
    for relative in filter(None, relations):
        main = data_dir / relative
        if not main.parent.exists():
            return b"", f"the data directory {data_dir} is not readable on this machine"
        for segment in [main, *sorted(main.parent.glob(main.name + ".[0-9]*"))]:
            if segment.exists():
                chunks.append(segment.read_bytes())
    if not chunks:
        return b"", f"no relation file found under {data_dir} (a remote server?)"
    return b"\x00".join(chunks), ""


@dataclass
class ServerSecrets:
    """Every key the server has: settings' keys and what the tier-F key-state file yields now."""

    keyring: ServerKeyring
    raw_keys: list[bytes]
    chain: _Chain | None
    windows: list[bytes] = field(default_factory=list)

    @classmethod
    def taken_now(cls, settings) -> "ServerSecrets":
        """Copy the server's secrets as an insider would: environment keys and the key-state file."""
        raw = [k for _, k in settings.data_keys] + [settings.index_key,
                                                    hashlib.sha256(settings.secret_key.encode()).digest()]
        path = settings.flight_keys_path / FILE_NAME
        chain, windows = None, []
        if path.exists():
            state = json.loads(path.read_text())
            now_epoch = _epoch_of(datetime.now(timezone.utc))
            chain = _Chain(state["oldest"], base64.b64decode(state["key"]), max(now_epoch, state["oldest"]) + 24)
            windows = [base64.b64decode(v) for v in state.get("windows", {}).values()]
            for epoch in range(chain.oldest, chain.current + 1):
                raw += [chain.link(epoch), chain.data_key(epoch)]
        return cls(ServerKeyring(tuple(settings.data_keys)), raw + windows, chain, windows)

    def flight_key(self, epoch: int) -> bytes | None:
        """Return the tier-F data key of an epoch, if the key-state file still yields it."""
        return None if self.chain is None else self.chain.data_key(epoch)

    def try_open(self, blob: bytes, ads: list[bytes]) -> bytes | None:
        """Return the plaintext of a ciphertext if any key and binding opens it, else None."""
        attempts = []
        if is_flight_blob(blob):
            key = self.flight_key(epoch_of_blob(blob))
            attempts = [(key, blob[8:])] if key else []
        elif blob[:1] == b"\x04":
            for ad in ads:
                try:
                    return self.keyring.decrypt(blob, ad)
                except crypto.DecryptionError:
                    pass
        elif blob[:1] == b"\x01":
            attempts = [(key, blob) for key in self.raw_keys]
        for key, body in attempts:
            for ad in ads:
                try:
                    return crypto.unpad(crypto.decrypt(key, body, ad))
                except crypto.DecryptionError:
                    pass
        return None


def flight_epochs_in(raw: bytes) -> list[int]:
    """Return the epoch of every tier-F ciphertext found anywhere in raw bytes."""
    epochs, start = [], raw.find(_FLIGHT_MAGIC)
    while start >= 0:
        epochs.append(epoch_of_blob(raw[start:start + 8]))
        start = raw.find(_FLIGHT_MAGIC, start + 1)
    return epochs


def every_row_value() -> list[tuple[str, tuple]]:
    """Return every live row of every table, as (table name, values)."""
    db.commit()
    return [(table.name, tuple(row)) for table in Base.metadata.sorted_tables
            for row in db.session.execute(select(table))]


def open_every_ciphertext(secrets: ServerSecrets) -> list[bytes]:
    """Try every key on every bytes value of every row, bound to that row (any id, any field); return what opened."""
    opened = []
    for table, row in every_row_value():
        ids = {str(v) for v in row if v is not None and not isinstance(v, bytes)} | \
              {v.hex() for v in row if isinstance(v, bytes) and len(v) == 32}
        fields = {"payload", "draft", "filename", "data", "text", "contact", "suggestion", "details", "secret"}
        ads = [crypto.associated_data(table, i, f) for i in ids for f in fields]
        for value in row:
            if isinstance(value, bytes) and len(value) > 16:
                plain = secrets.try_open(value, ads)
                if plain is not None:
                    opened.append(plain)
    return opened


def needles_found(haystack: bytes, needles: list[str]) -> list[str]:
    """Return the needles present in bytes, as UTF-8 or as JSON's \\u escapes."""
    found = []
    for needle in needles:
        forms = {needle.encode(), json.dumps(needle)[1:-1].encode()}
        if any(form in haystack for form in forms):
            found.append(needle)
    return found
