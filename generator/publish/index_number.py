"""索引号 (the index number of a disclosed item) from a pattern such as "{credit_code}/{year}-{seq:05d}".

The placeholder language (documented in the guide, render/guide/pages/publishing.md):

- {credit_code}: the publisher's 统一社会信用代码 (the `credit_code` setting);
- {year}: the record's evaluation year; {publish_year}: the year of its publish_date (the evaluation year when
  it has none); {id}: the record's project id;
- {seq}: the record's number in its series, from 1; the series are the records whose index numbers are the same
  but for {seq}, numbered in the order of their publish_date (records without one first), then of their page
  address. Same records → same numbers; a record published later than the others gets the next number.
- {year:04d}, {seq:05d}: a number padded with zeros to the width given (1 to 9 digits);
- {{ and }}: literal braces.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

FIELDS = ("credit_code", "year", "publish_year", "id", "seq")
NUMERIC = frozenset({"year", "publish_year", "seq"})
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}:]*)(?::([^{}]*))?\}|[{}]")
_WIDTH = re.compile(r"0([1-9])d")
_SERIES_MARK = "\x00seq\x00"


class PatternError(ValueError):
    """A pattern that cannot be used; the message is Chinese and says what to change."""


@dataclass(frozen=True)
class Field:
    name: str
    width: int = 0  # zero-padded to this many digits (0: as it is)


@dataclass(frozen=True)
class IndexEntry:
    """What a record contributes to index numbers."""

    path: str  # the project page's source path: the key of the result and the last tie-breaker
    year: int
    record_id: str
    publish_date: str | None


@dataclass(frozen=True)
class IndexPattern:
    parts: tuple[str | Field, ...]

    @property
    def names(self) -> set[str]:
        return {p.name for p in self.parts if isinstance(p, Field)}

    def render(self, values: dict[str, str | int]) -> str:
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            value = values[part.name]
            out.append(f"{int(value):0{part.width}d}" if part.width and isinstance(value, int) else str(value))
        return "".join(out)


def parse_pattern(text: str) -> IndexPattern:
    """The pattern's parts, or PatternError naming the first thing wrong."""
    parts: list[str | Field] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            parts.append(text[pos : m.start()])
        pos = m.end()
        token = m.group(0)
        if token in ("{{", "}}"):
            parts.append(token[0])
            continue
        if token in ("{", "}"):
            raise PatternError(f"“{token}”没有配对：占位符写成 {{名称}}，要写大括号本身时写 {{{{ 或 }}}}")
        name, spec = m.group(1).strip(), m.group(2)
        if name not in FIELDS:
            raise PatternError(f"不认识的占位符 {{{name}}}：只能用 " + "、".join(f"{{{f}}}" for f in FIELDS))
        width = 0
        if spec is not None:
            w = _WIDTH.fullmatch(spec.strip())
            if not w or name not in NUMERIC:
                raise PatternError(
                    f"{{{name}:{spec}}} 的格式不对：只有 {{year}}、{{publish_year}}、{{seq}} 可以补足位数，写成 {{seq:05d}}（0、位数、d）"
                )
            width = int(w.group(1))
        parts.append(Field(name, width))
    if pos < len(text):
        parts.append(text[pos:])
    return IndexPattern(tuple(parts))


def _values(entry: IndexEntry, credit_code: str) -> dict[str, str | int]:
    publish_year = int(entry.publish_date[:4]) if entry.publish_date else entry.year
    return {"credit_code": credit_code, "year": entry.year, "publish_year": publish_year, "id": entry.record_id}


def index_numbers(pattern: IndexPattern, entries: list[IndexEntry], credit_code: str = "") -> dict[str, str]:
    """Each entry's index number, by page path."""
    series: dict[str, list[IndexEntry]] = defaultdict(list)
    for entry in entries:
        key = pattern.render({**_values(entry, credit_code), "seq": _SERIES_MARK})
        series[key].append(entry)
    numbers: dict[str, str] = {}
    for members in series.values():
        members.sort(key=lambda e: (e.publish_date or "", e.path))
        for seq, entry in enumerate(members, start=1):
            numbers[entry.path] = pattern.render({**_values(entry, credit_code), "seq": seq})
    return numbers
