"""Password hashing (argon2id) and the password rules staff accounts follow."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
_hasher = PasswordHasher()


def password_problem(password: str) -> str | None:
    """Return a Thai explanation of why a password is too weak, or None when it will do."""
    if len(password) < MIN_LENGTH:
        return f"รหัสผ่านต้องยาวอย่างน้อย {MIN_LENGTH} ตัวอักษร"
    if password.isdigit() or password.isalpha():
        return "รหัสผ่านต้องมีทั้งตัวอักษรและตัวเลขหรือสัญลักษณ์"
    return None


def hash_password(password: str) -> str:
    """Return the argon2id hash of a password."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Return True when the password matches the hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
