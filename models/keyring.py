"""The server keyring (tier C), blind indexes and tracking codes."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from models.crypto import DecryptionError, decrypt, encrypt

_RING_V1 = b"\x04"

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CROCKFORD_FIX = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})
_CODE_SHAPE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{16}$")


class ServerKeyring:
    """Tier-C encryption under the server's keys: the newest key encrypts, any listed key opens."""

    def __init__(self, keys: tuple[tuple[str, bytes], ...]):
        if not keys:
            raise ValueError("a keyring needs at least one key")
        self._keys = dict(keys)
        self.active_id = keys[0][0]

    def encrypt(self, plaintext: bytes, ad: bytes) -> bytes:
        """Encrypt under the active key; the key id is stored in front."""
        key_id = self.active_id.encode()
        return _RING_V1 + bytes([len(key_id)]) + key_id + encrypt(self._keys[self.active_id], plaintext, ad)

    def _split(self, blob: bytes) -> tuple[str, bytes]:
        if not blob or blob[:1] != _RING_V1 or len(blob) < 2:
            raise DecryptionError("not a keyring ciphertext")
        length = blob[1]
        return blob[2:2 + length].decode(errors="replace"), blob[2 + length:]

    def decrypt(self, blob: bytes, ad: bytes) -> bytes:
        """Open a ciphertext under whichever listed key made it."""
        key_id, body = self._split(blob)
        if key_id not in self._keys:
            raise DecryptionError(f"keyring has no key '{key_id}' (was it removed before re-wrapping?)")
        return decrypt(self._keys[key_id], body, ad)

    def key_id_of(self, blob: bytes) -> str:
        """Return the id of the key a ciphertext was made with."""
        return self._split(blob)[0]

    def rewrap(self, blob: bytes, ad: bytes) -> bytes:
        """Return the ciphertext re-encrypted under the active key (unchanged if it already is)."""
        if self.key_id_of(blob) == self.active_id:
            return blob
        return self.encrypt(self.decrypt(blob, ad), ad)


class BlindIndex:
    """Keyed hashes that let us find a row by a secret value without storing the value."""

    def __init__(self, key: bytes):
        self._key = key

    def digest(self, purpose: str, value: str) -> bytes:
        """Return the 32-byte keyed hash of a value for one purpose (e.g. "tracking")."""
        return hmac.new(self._key, f"{purpose}\x00{value}".encode(), hashlib.sha256).digest()


def new_tracking_code() -> str:
    """Return a new tracking code: 80 random bits as XXXX-XXXX-XXXX-XXXX in Crockford base32."""
    number = secrets.randbits(80)
    chars = "".join(CROCKFORD[(number >> (5 * i)) & 31] for i in reversed(range(16)))
    return "-".join(chars[i:i + 4] for i in range(0, 16, 4))


def normalize_tracking_code(text: str) -> str | None:
    """Return the canonical XXXX-XXXX-XXXX-XXXX form of what a citizen typed, or None if it cannot be one."""
    compact = re.sub(r"[\s\-_.]", "", text or "").upper().translate(_CROCKFORD_FIX)
    if not _CODE_SHAPE.match(compact):
        return None
    return "-".join(compact[i:i + 4] for i in range(0, 16, 4))
