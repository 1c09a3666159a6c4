"""Exact decimal arithmetic as the forms do it: round half up (四舍五入).

Numbers are bounded where they are read (read_number, parse_decimal): exact decimals carry any exponent,
and `1e-999999999` would otherwise cost gigabytes the first time it is rounded or printed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation

# The limits on every number in a record (the largest real figures are amounts in yuan, below 10¹²):
MAX_INTEGER_DIGITS = 15  # |x| < 10¹⁵
MAX_PLACES = 20  # at most 20 decimal places
MAX_SIGNIFICANT = 30  # at most 30 significant digits
MAX_LITERAL = 64  # characters of a number as written; no number within the limits needs more
LIMIT: int = 10**MAX_INTEGER_DIGITS  # every integer lies strictly between -LIMIT and LIMIT

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
    """The number written in `text`; None when there is none, or when it lies beyond the limits."""
    value = read_number(text) if len(text) <= MAX_LITERAL else None
    return value if isinstance(value, Decimal) and value.is_finite() else None


@dataclass(frozen=True)
class OutOfRange:
    """A number literal beyond the limits: not a number (no arithmetic can reach it), only what to say about it."""

    text: str  # the literal as written, shortened
    reason: str  # which limit, in Chinese

    def __str__(self) -> str:
        return self.text


def read_number(text: str) -> Decimal | OutOfRange | None:
    """A TOML float literal (or a number found in text) as an exact decimal, or OutOfRange when it lies
    beyond the limits; None when it is not a number. The exponent is checked before any arithmetic."""
    if len(text) <= MAX_INTEGER_DIGITS and "e" not in text and "E" not in text:
        try:  # the common case: short enough to be within every limit
            return Decimal(text)
        except (InvalidOperation, ValueError):
            return None
    shown = text if len(text) <= 24 else text[:20] + "…"
    if len(text) > MAX_LITERAL:
        return OutOfRange(shown, f"写了 {len(text):,} 个字符，数字不应超过 {MAX_LITERAL} 个字符")
    try:
        value = Decimal(text)  # the exponent is only stored: no cost whatever its size
    except (InvalidOperation, ValueError):
        return None
    return bounded(value, shown)


def bounded(value: Decimal, shown: str) -> Decimal | OutOfRange:
    """`value` when within the limits, else OutOfRange saying which limit it passes."""
    if not value.is_finite():
        return value  # nan and inf have their own message
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if not value and exponent > 0:
        return Decimal(0)  # 0e999999 is zero, without an exponent to carry around
    if value and value.adjusted() >= MAX_INTEGER_DIGITS:
        return OutOfRange(shown, f"绝对值不能达到 10 的 {MAX_INTEGER_DIGITS} 次方")
    if -exponent > MAX_PLACES:
        return OutOfRange(shown, f"小数不能超过 {MAX_PLACES} 位")
    if len(digits) > MAX_SIGNIFICANT:
        return OutOfRange(shown, f"有效数字不能超过 {MAX_SIGNIFICANT} 位")
    return value


def int_in_range(value: int) -> bool:
    """Whether a TOML integer lies within the limits (|x| < 10¹⁵)."""
    return -LIMIT < value < LIMIT
