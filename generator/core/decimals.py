"""Exact decimal arithmetic as the forms do it: round half up (四舍五入)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def q2(value: Decimal) -> Decimal:
    """Round to two decimals, half up: 83.615 → 83.62 (a value too large to carry two decimals stays as it is)."""
    try:
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return value


def quantize_to(value: Decimal, places: int) -> Decimal:
    try:
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return value


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """part ÷ whole in percent, two decimals; None when whole is zero."""
    if whole == 0:
        return None
    return q2(part / whole * HUNDRED)


def total(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the values; None when there are none, or when any of them is missing."""
    known: list[Decimal] = []
    for value in values:
        if value is None:
            return None
        known.append(value)
    return sum(known, ZERO) if known else None


def ceil(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_CEILING)


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


def decimal_places(value: Decimal) -> int:
    exp = value.as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def fmt(value: Decimal | None) -> str:
    """Shortest plain rendering: 80, 96.5, 2.18 (never 1E+1)."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def to_number(value: Decimal | None) -> float | int | None:
    """For JSON output: an int when integral, else a float of the 2-decimal value."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(fmt(value))


def parse_decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None
