"""How a published score stands to the exact one a rule gives: the same, correctly rounded, or different.

The comparison is made once, from the exact value, at the table's precision and convention (scoring.
table_precision: the [form]'s score_places and rounding, else the finest precision among the table's published
scores, half up). Rounding an already rounded value again (to two places, then to one) flips half-way cases,
and reading each cell's own precision takes a score printed without decimals in a table scored to one decimal
for whole-point rounding: neither is done here.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum

from .decimals import decimal_places, quantize_to

MAX_PLACES = 6  # a published score is never read at more places than this


class Verdict(Enum):
    SAME = "same"  # equal, or equal at two places or more (the precision scores are computed to)
    ROUNDED = "rounded"  # the exact score rounded at the table's precision by its convention
    DIFFERENT = "different"


def round_score(exact: Decimal, places: int, convention: str = "half_up") -> Decimal:
    """`exact` rounded once to `places` decimals: half up (四舍五入), truncated (截尾) or to whole points (整数分)."""
    if convention == "whole":
        places = 0
    mode = ROUND_DOWN if convention == "truncate" else ROUND_HALF_UP
    try:
        return exact.quantize(Decimal(1).scaleb(-places), rounding=mode)
    except InvalidOperation:
        return exact


def compare(published: Decimal, exact: Decimal, places: int, convention: str = "half_up") -> Verdict:
    """A published score against the exact one, at the table's precision (`places`, or the published score's own
    when it is printed finer) and convention."""
    if published == exact:
        return Verdict.SAME
    whole = convention == "whole"
    at = min(max(0 if whole else places, decimal_places(published)), MAX_PLACES)
    if round_score(exact, at, "half_up" if whole else convention) == published:
        return Verdict.SAME if at >= 2 else Verdict.ROUNDED
    if quantize_to(exact, 2) == published:
        return Verdict.SAME  # the two-place score pages show, whatever the table's convention
    return Verdict.DIFFERENT


def precision_words(places: int, convention: str) -> str:
    """The precision and convention in words: 保留 1 位小数，四舍五入; 整数分，截尾."""
    digits = "整数分" if places == 0 or convention == "whole" else f"保留 {places} 位小数"
    how = {"half_up": "四舍五入", "truncate": "截尾", "whole": "四舍五入"}.get(convention, "四舍五入")
    return f"{digits}，{how}"
