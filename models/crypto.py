"""Record-encryption primitives: field encryption, sealing to public keys, wrapped private keys.

Everything here is built from `cryptography`'s AES-256-GCM, X25519 and HKDF-SHA256 and
argon2-cffi's argon2id; reader certificates are signed with Ed25519 under a key derived from
the X25519 private key. Associated data always names the record type, record id and field, so a
ciphertext moved to another row or column fails to open.
"""
from __future__ import annotations

import os
import struct

from argon2.exceptions import HashingError
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12
#: What `encrypt` adds to a plaintext: a version byte, the nonce and the GCM tag.
FIELD_OVERHEAD = 1 + NONCE_BYTES + 16
_FIELD_V1 = b"\x01"
_SEAL_V1 = b"\x02"
_WRAP_V1 = b"\x03"


class DecryptionError(Exception):
    """A ciphertext could not be opened: wrong key, tampered bytes or wrong record binding."""


def associated_data(record: str, record_id: object, field: str) -> bytes:
    """Return the associated data that binds a ciphertext to one field of one row."""
    return f"sujarit|{record}|{record_id}|{field}".encode()


def new_key() -> bytes:
    """Return a fresh random 256-bit key."""
    return os.urandom(KEY_BYTES)


def encrypt(key: bytes, plaintext: bytes, ad: bytes) -> bytes:
    """Encrypt with AES-256-GCM under a random nonce."""
    nonce = os.urandom(NONCE_BYTES)
    return _FIELD_V1 + nonce + AESGCM(key).encrypt(nonce, plaintext, ad)


def decrypt(key: bytes, blob: bytes, ad: bytes) -> bytes:
    """Open a ciphertext made by `encrypt`, or raise DecryptionError."""
    if not blob or blob[:1] != _FIELD_V1 or len(blob) < 1 + NONCE_BYTES + 16:
        raise DecryptionError("not a sealed field")
    try:
        return AESGCM(key).decrypt(blob[1:1 + NONCE_BYTES], blob[1 + NONCE_BYTES:], ad)
    except InvalidTag:
        raise DecryptionError("ciphertext does not open with this key and binding") from None


# --- padding to size buckets, so a sealed field's length says little about what it holds --------

_PAD_V1 = b"\x00PD1"
MIN_BUCKET = 256


_FINE_ABOVE = 64 * 1024


def bucket(size: int, minimum: int = MIN_BUCKET) -> int:
    """Return the size bucket of `size` bytes: the next power of two (at least `minimum`), in quarter
    steps above 64 KiB so that a large file or clip is padded by at most a quarter."""
    size_bucket = minimum
    while size_bucket < size:
        size_bucket *= 2
    if size_bucket > _FINE_ABOVE:
        half, step = size_bucket // 2, size_bucket // 8
        size_bucket = half + -(-(size - half) // step) * step
    return size_bucket


_PAD_HEADER = len(_PAD_V1) + 8


def padded_size(size: int, minimum: int = MIN_BUCKET) -> int:
    """Return how long `size` bytes are once padded: the bucket a sealed field of them shows."""
    return bucket(_PAD_HEADER + size, minimum)


def pad(data: bytes, minimum: int = MIN_BUCKET) -> bytes:
    """Return data with its length in front, filled with zeros up to its size bucket."""
    body = _PAD_V1 + len(data).to_bytes(8, "big") + data
    return body + bytes(padded_size(len(data), minimum) - len(body))


def unpad(data: bytes) -> bytes:
    """Return what `pad` padded (bytes sealed before padding existed come back unchanged)."""
    if data[:len(_PAD_V1)] != _PAD_V1:
        return data
    return data[_PAD_HEADER:_PAD_HEADER + int.from_bytes(data[len(_PAD_V1):_PAD_HEADER], "big")]


def derive_key(secret: bytes, info: bytes, salt: bytes | None = None) -> bytes:
    """Derive a 256-bit key with HKDF-SHA256."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info).derive(secret)


# --- sealing to a public key (X25519 + HKDF-SHA256 + AES-GCM) -----------------------------------

def generate_private_key() -> X25519PrivateKey:
    """Return a new X25519 private key."""
    return X25519PrivateKey.generate()


def public_bytes(key: X25519PrivateKey | X25519PublicKey) -> bytes:
    """Return the raw 32-byte public key."""
    public = key.public_key() if isinstance(key, X25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def private_bytes(key: X25519PrivateKey) -> bytes:
    """Return the raw 32-byte private key."""
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def private_key_from_bytes(raw: bytes) -> X25519PrivateKey:
    """Rebuild an X25519 private key from its 32 raw bytes."""
    try:
        return X25519PrivateKey.from_private_bytes(raw)
    except ValueError:
        raise DecryptionError("not an X25519 private key") from None


def seal(recipient_public: bytes, secret: bytes, ad: bytes) -> bytes:
    """Seal a secret so only the holder of the recipient's private key can open it."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = public_bytes(ephemeral)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    key = derive_key(shared, b"sujarit seal v1|" + ad, salt=ephemeral_public + recipient_public)
    return _SEAL_V1 + ephemeral_public + encrypt(key, secret, ad)


def open_sealed(private_key: X25519PrivateKey, blob: bytes, ad: bytes) -> bytes:
    """Open a secret sealed to this private key, or raise DecryptionError."""
    if not blob or blob[:1] != _SEAL_V1 or len(blob) < 33:
        raise DecryptionError("not a sealed key")
    ephemeral_public = blob[1:33]
    own_public = public_bytes(private_key)
    shared = private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    key = derive_key(shared, b"sujarit seal v1|" + ad, salt=ephemeral_public + own_public)
    return decrypt(key, blob[33:], ad)


# --- private keys wrapped under a password or a session key -------------------------------------

def wrap_with_password(secret: bytes, password: str, ad: bytes, cost: tuple[int, int, int]) -> bytes:
    """Encrypt a secret under an argon2id key derived from a password; the cost travels along."""
    time_cost, memory_kib, parallelism = cost
    salt = os.urandom(16)
    key = hash_secret_raw(password.encode(), salt, time_cost, memory_kib, parallelism, KEY_BYTES, Type.ID)
    header = _WRAP_V1 + struct.pack(">IIB", time_cost, memory_kib, parallelism) + salt
    return header + encrypt(key, secret, ad + header)


def unwrap_with_password(blob: bytes, password: str, ad: bytes) -> bytes:
    """Open a secret wrapped by `wrap_with_password`, or raise DecryptionError."""
    if not blob or blob[:1] != _WRAP_V1 or len(blob) < 26:
        raise DecryptionError("not a password-wrapped key")
    time_cost, memory_kib, parallelism = struct.unpack(">IIB", blob[1:10])
    if not (1 <= time_cost <= 20 and 8 <= memory_kib <= 1 << 20 and 1 <= parallelism <= 16):
        raise DecryptionError("password-wrapped key has an implausible cost: tampered?")
    header, salt = blob[:26], blob[10:26]
    try:
        key = hash_secret_raw(password.encode(), salt, time_cost, memory_kib, parallelism, KEY_BYTES, Type.ID)
    except HashingError:
        raise DecryptionError("password-wrapped key has an invalid cost: tampered?") from None
    return decrypt(key, blob[26:], ad + header)


# --- signatures (Ed25519, derived from an X25519 private key) -----------------------------------

def signing_key(private_key: X25519PrivateKey) -> Ed25519PrivateKey:
    """Return the Ed25519 signing key that belongs to an X25519 private key (derived, never stored)."""
    return Ed25519PrivateKey.from_private_bytes(derive_key(private_bytes(private_key), b"sujarit signing key v1"))


def verify_key_bytes(private_key: X25519PrivateKey) -> bytes:
    """Return the raw Ed25519 public key that checks signatures made with this key's signing half."""
    return signing_key(private_key).public_key().public_bytes(serialization.Encoding.Raw,
                                                              serialization.PublicFormat.Raw)


def sign(private_key: X25519PrivateKey, message: bytes) -> bytes:
    """Sign a message with the signing half of an X25519 private key."""
    return signing_key(private_key).sign(message)


def signature_valid(verify_key: bytes | None, signature: bytes | None, message: bytes) -> bool:
    """Return True when the signature over the message was made by the holder of verify_key."""
    if not verify_key or not signature or len(verify_key) != 32:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(verify_key).verify(signature, message)
    except InvalidSignature:
        return False
    return True
