"""Rounding as Thai reports print numbers: half up, to two decimals, the same in every format."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

_CENTS = Decimal("0.01")


def half_up(value: float | Fraction | None) -> Decimal | None:
    """Round to two decimals, half up (4.505 → 4.51), keeping both decimals (72.5 → 72.50)."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(repr(float(value)))  # the shortest decimal that reads back as this float
    return exact.quantize(_CENTS, rounding=ROUND_HALF_UP)
