"""Key rotation for tier C: re-encrypt every server-keyring column under the newest DATA_KEYS key.

Tier-C columns follow one convention: the column is named `<field>_enc` and holds
`encrypt_c(keyring, "<field>", value)`. Every such column of every model is rotated, so a new
model that follows the convention needs no change here. Models whose `_enc` columns are not under the
keyring (tier F, under epoch keys that expire; tier S, sealed) say so with `keyring_columns = False`.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import Base
from models.keyring import ServerKeyring


@dataclass(frozen=True)
class TierCColumn:
    """One encrypted column: the model, the attribute holding the ciphertext, and its field name."""

    model: type
    attribute: str

    @property
    def field(self) -> str:
        return self.attribute[: -len("_enc")]


def tier_c_columns() -> list[TierCColumn]:
    """Return every tier-C column of every model."""
    found = []
    for mapper in sorted(Base.registry.mappers, key=lambda m: m.class_.__name__):
        if not getattr(mapper.class_, "keyring_columns", True):
            continue
        for attribute in mapper.column_attrs:
            if attribute.key.endswith("_enc"):
                found.append(TierCColumn(mapper.class_, attribute.key))
    return found


def rotate_tier_c(session: Session, keyring: ServerKeyring) -> dict[str, int]:
    """Re-wrap every tier-C value not yet under the active key; return how many changed per column."""
    changed: dict[str, int] = {}
    for column in tier_c_columns():
        model, name = column.model, column.attribute
        count = 0
        for row in session.scalars(select(model).where(getattr(model, name).is_not(None))).all():
            blob = getattr(row, name)
            if keyring.key_id_of(blob) == keyring.active_id:
                continue
            setattr(row, name, keyring.rewrap(blob, row._tier_c_ad(column.field)))
            count += 1
        changed[f"{model.__tablename__}.{name}"] = count
    session.flush()
    return changed


def keys_in_use(session: Session, keyring: ServerKeyring) -> dict[str, int]:
    """Return how many tier-C values each key id still protects."""
    counts: dict[str, int] = {}
    for column in tier_c_columns():
        model, name = column.model, column.attribute
        for blob in session.scalars(select(getattr(model, name)).where(getattr(model, name).is_not(None))):
            key_id = keyring.key_id_of(blob)
            counts[key_id] = counts.get(key_id, 0) + 1
    return counts
