"""Parse targets and actual values as editors write them.

`≥24 万笔`, `＜48小时`, `15%及其以下`, `=100%`, `97%以上`, `明显提升` → operator, number, unit.
Full-width characters and the wording of the forms are understood. Text with no usable number
(or several numbers and no way to tell which one is meant) is qualitative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .decimals import fmt, parse_decimal

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．％＜＞＝＋－，：　≧≦",
    "0123456789.%<>=+-,: ≥≤",
)

# Operators written before the number.
_PREFIX_OPS: list[tuple[str, str]] = [
    (">=", ">="),
    ("<=", "<="),
    ("≥", ">="),
    ("≤", "<="),
    ("⩾", ">="),
    ("⩽", "<="),
    ("不低于", ">="),
    ("不少于", ">="),
    ("至少", ">="),
    ("达到", ">="),
    ("大于等于", ">="),
    ("不高于", "<="),
    ("不超过", "<="),
    ("不多于", "<="),
    ("小于等于", "<="),
    ("控制在", "<="),
    (">", ">"),
    ("<", "<"),
    ("大于", ">"),
    ("超过", ">"),
    ("高于", ">"),
    ("小于", "<"),
    ("低于", "<"),
    ("=", "="),
    ("等于", "="),
]
# Operators written after the number and its unit.
_SUFFIX_OPS: list[tuple[str, str]] = [
    ("及其以上", ">="),
    ("及以上", ">="),
    ("以上", ">="),
    ("及其以下", "<="),
    ("及以下", "<="),
    ("以下", "<="),
    ("以内", "<="),
    ("之内", "<="),
    ("内", "<="),
    ("前", "<="),  # deadlines: 3个工作日内, 12月底前
]
SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}

_NUMBER = r"[+-]?\d+(?:\.\d+)?"
_UNIT = r"(?:%|‰|[A-Za-z]+(?:/[A-Za-z]+)?|[\u4e00-\u9fff]{1,4}?)"
_prefix_alt = "|".join(re.escape(p) for p, _ in _PREFIX_OPS)
_suffix_alt = "|".join(re.escape(s) for s, _ in _SUFFIX_OPS)
# A short expression: optional prefix op, number, optional unit, optional suffix op, nothing else.
_EXACT = re.compile(
    rf"^(?P<pre>{_prefix_alt})?\s*(?P<num>{_NUMBER})\s*(?P<unit>{_UNIT})?\s*(?P<suf>{_suffix_alt})?\s*[。.]?$"
)
# A number inside free text, with whatever operator stands right before it.
_EMBEDDED = re.compile(
    rf"(?P<pre>{_prefix_alt})?\s*(?P<num>{_NUMBER})\s*(?P<unit>%|‰|[A-Za-z]+|[\u4e00-\u9fff]{{1,2}})?\s*(?P<suf>{_suffix_alt})?"
)
_PREFIX_MAP = dict(_PREFIX_OPS)
_SUFFIX_MAP = dict(_SUFFIX_OPS)
# Words that may follow a number without being its unit.
_NOT_UNITS = {"的", "年", "月", "日", "号", "条", "得", "扣", "分"}


@dataclass(frozen=True)
class Quantity:
    text: str  # as written
    op: str | None = None  # ">=", ">", "<=", "<", "=" or None
    value: Decimal | None = None
    unit: str = ""

    @property
    def is_numeric(self) -> bool:
        return self.value is not None

    @property
    def is_inequality(self) -> bool:
        return self.op in (">=", ">", "<=", "<")

    @property
    def direction(self) -> str | None:
        """'higher' when more is better, 'lower' when less is better."""
        if self.op in (">=", ">"):
            return "higher"
        if self.op in ("<=", "<"):
            return "lower"
        return None

    def canonical(self) -> str:
        """The quantity printed in the canonical short form (`≥24万笔`)."""
        if self.value is None:
            return self.text
        return f"{SYMBOLS.get(self.op, '') if self.op else ''}{fmt(self.value)}{self.unit}"


def normalize(text: str) -> str:
    out = text.translate(_FULLWIDTH).strip()
    out = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", out)  # thousands separators (1,000万元 too)
    out = re.sub(r"\s+", " ", out)
    return out


@lru_cache(maxsize=4096)  # the same targets ("100%", "≥95%") recur in every record; Quantity is immutable
def parse(text: str | None) -> Quantity:
    if text is None:
        return Quantity(text="")
    raw = str(text)
    norm = normalize(raw)
    m = _EXACT.match(norm)
    if m:
        return _from_match(raw, m)
    # Free text: use the single number that carries an operator, else the single number.
    found = [mm for mm in _EMBEDDED.finditer(norm) if mm.group("num")]
    with_op = [mm for mm in found if mm.group("pre") or mm.group("suf")]
    if len(with_op) == 1:
        return _from_match(raw, with_op[0])
    if len(found) == 1:
        return _from_match(raw, found[0])
    return Quantity(text=raw)


def _from_match(raw: str, m: re.Match[str]) -> Quantity:
    value = parse_decimal(m.group("num"))
    unit = (m.group("unit") or "").strip()
    if unit in _NOT_UNITS:
        unit = ""
    op = None
    if m.group("pre"):
        op = _PREFIX_MAP[m.group("pre")]
    if m.group("suf"):
        op = _SUFFIX_MAP[m.group("suf")]
    return Quantity(text=raw, op=op, value=value, unit=unit)


def same_unit(a: Quantity, b: Quantity) -> bool:
    """Units agree when equal or when one side has none (a bare count)."""
    return not a.unit or not b.unit or a.unit == b.unit
