"""Personal numbers in published text: mobile and landline telephone numbers, 身份证号 and bank card
numbers. Government websites publish them de-identified (138****1234), so they are found here, each with
its masked form, and `mask` replaces them.

A match never touches other digits, a decimal point or a thousands separator, and a run of digits followed
by a unit (元, 万元, 个, 次, %) is an amount: amounts, dates and document numbers are not numbers of people.
An 身份证号 needs a valid GB 11643 check digit and a bank card number a valid Luhn sum, so that other long
codes are not taken for them. Masking keeps the length of the text, so line and column stay where they were.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MOBILE = "手机号码"
LANDLINE = "固定电话"
ID_CARD = "身份证号"
BANK_CARD = "银行卡号"

# Not inside a longer number or code: no letter or digit beside it, no "1," "1." "1-" or "1 " before it
# and no ",5" ".5" "-5" " 5" after it, and no unit after it (then it is an amount or a count).
_BEFORE = r"(?<![0-9A-Za-z])(?<![0-9][.,\- ])(?<![0-9][，。．])"
_AFTER = r"(?![0-9A-Za-z])(?![.,\- ][0-9])(?!\s*(?:元|万|亿|个|次|%|％|人|件|笔|户|条|张|台|套|项|年|月|日|号))"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (ID_CARD, re.compile(_BEFORE + r"(?P<n>[1-9]\d{16}[\dXx])" + _AFTER)),
    (
        BANK_CARD,
        re.compile(
            _BEFORE + r"(?P<n>\d{16,19}|\d{4}(?: \d{4}){3}(?: \d{1,3})?|\d{4}(?:-\d{4}){3}(?:-\d{1,3})?)" + _AFTER
        ),
    ),
    (
        MOBILE,
        re.compile(
            r"(?:(?<=\+86)|(?<=\+86[ -])|" + _BEFORE + r")"
            r"(?P<n>1[3-9]\d{9}|1[3-9]\d-\d{4}-\d{4}|1[3-9]\d \d{4} \d{4})" + _AFTER
        ),
    ),
    (
        LANDLINE,
        re.compile(
            r"(?:(?<=[（(])(?P<a>0\d{2,3})(?P<s>[）)]\s?-?)|"
            + _BEFORE
            + r"(?P<b>0\d{2}[- ](?=\d{8})|0\d{3}[- ](?=\d{7,8})))"
            r"(?P<n>[2-9]\d{6,7})(?P<x>(?:-|转)\d{1,5})?" + _AFTER
        ),
    ),
]

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits of an 身份证号."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


@dataclass(frozen=True)
class Hit:
    kind: str  # 手机号码 / 固定电话 / 身份证号 / 银行卡号
    start: int
    end: int
    masked: str  # the text from start to end, de-identified (same length)
    digits: str  # the number's digits, to compare with the record's public contacts


def _stars(text: str, keep_head: int, keep_tail: int) -> str:
    """Replace every digit of `text` but the first `keep_head` and the last `keep_tail` by *."""
    positions = [i for i, c in enumerate(text) if c.isdigit() or c in "Xx"]
    hidden = set(positions[keep_head : len(positions) - keep_tail])
    return "".join("*" if i in hidden else c for i, c in enumerate(text))


def _hit(kind: str, m: re.Match[str]) -> Hit | None:
    number = m.group("n")
    digits = re.sub(r"\D", "", number)
    if kind == ID_CARD:
        if id_check_digit(number[:17]) != number[17].upper():
            return None
        return Hit(kind, m.start("n"), m.end("n"), _stars(number, 6, 4), number.upper())
    if kind == BANK_CARD:
        if not 16 <= len(digits) <= 19 or not luhn_valid(digits):
            return None
        return Hit(kind, m.start("n"), m.end("n"), _stars(number, 0, 4), digits)
    if kind == MOBILE:
        return Hit(kind, m.start("n"), m.end("n"), _stars(number, 3, 4), digits)
    area = m.group("a") or m.group("b")
    start = m.start("a") if m.group("a") else m.start("b")
    head = m.group(0)[: m.start("n") - m.start()] if m.group("b") else m.group("a") + m.group("s")
    end = m.end("n")
    local = _stars(number, 0, 2)
    area_digits = re.sub(r"\D", "", area)
    return Hit(kind, start, end, head + local, area_digits + number)


def find(text: str, public: Iterable[str] = ()) -> list[Hit]:
    """The personal numbers in `text`, in order; numbers among `public` (compared by digits) are left out."""
    allowed = {re.sub(r"[^0-9Xx]", "", p).upper() for p in public}
    allowed.discard("")
    hits: list[Hit] = []
    taken: list[tuple[int, int]] = []
    if not any(c.isdigit() for c in text):
        return hits
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            hit = _hit(kind, m)
            if hit is None or any(hit.start < e and s < hit.end for s, e in taken):
                continue
            taken.append((hit.start, hit.end))
            if hit.digits.upper() not in allowed:
                hits.append(hit)
    return sorted(hits, key=lambda h: h.start)


def mask(text: str, public: Iterable[str] = ()) -> str:
    """`text` with every personal number (not among `public`) replaced by its masked form."""
    hits = find(text, public)
    if not hits:
        return text
    parts: list[str] = []
    at = 0
    for hit in hits:
        parts += [text[at : hit.start], hit.masked]
        at = hit.end
    parts.append(text[at:])
    return "".join(parts)
