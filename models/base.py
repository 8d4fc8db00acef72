"""The declarative base and column types every model shares."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, LargeBinary, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC on every backend and read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use datetime.now(timezone.utc)")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


class Base(DeclarativeBase):
    """The one declarative base of Sujarit's models."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), bytes: LargeBinary()}

    def _tier_c_ad(self, field: str) -> bytes:
        from models.crypto import associated_data

        return associated_data(self.__tablename__, self._tier_c_id(), field)

    def _tier_c_id(self) -> str:
        return str(self.id)

    def encrypt_c(self, keyring, field: str, value: str | bytes | None) -> bytes | None:
        """Encrypt a tier-C value for one field of this row under the server keyring (None stays None)."""
        if value is None:
            return None
        data = value.encode() if isinstance(value, str) else value
        return keyring.encrypt(data, self._tier_c_ad(field))

    def decrypt_c(self, keyring, field: str, blob: bytes | None) -> bytes | None:
        """Open a tier-C value of one field of this row (None stays None)."""
        return None if blob is None else keyring.decrypt(blob, self._tier_c_ad(field))


def utcnow() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(timezone.utc)
