"""Write a record as readable TOML in the spec's layout and key order.

`dump_record(data)` takes the dict shape that `tomli.loads(text, parse_float=Decimal)` returns for a
record file and gives back the text an editor would have written: the `#:schema` line first, top-level
keys in the order of the record format, then `[goals]`, `[budget]` (its `[[budget.sources]]`,
`[[budget.items]]`, `[budget.balance]`), `[[group]]`, `[[indicator]]`, `[rules."名称"]` and
`[monitoring]`. Numbers are printed exactly (Decimal("3773.00") stays 3773.00, floats lose no digits and
gain no noise); long text becomes a multi-line string wrapped after Chinese punctuation.

The key order comes from the field model (core/fields.py), so a field added there is written in its place;
keys the model does not know are kept, after the known ones.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import fields as _dc_fields
from dataclasses import is_dataclass
from decimal import Decimal
from typing import Any

from generator.core.field_types import NOT_PUBLISHED, declared
from generator.core.fields import RECORD_FIELDS, RULE_FIELDS, Field, Layout
from generator.core.model import Columns, RuleRef

SCHEMA_LINE = "#:schema ../../schema/record.schema.json"
WRAP = 76  # display columns (a Chinese character counts two) before a long string is wrapped
LONG = 70  # strings wider than this become multi-line strings (when they can be wrapped)
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_BREAK_AFTER = set("，。；、：！？,.;:!?）)》」』】")


def dump_record(
    data: Mapping, *, missing: Mapping[str, str] | None = None, comments: Mapping[tuple, str] | None = None
) -> str:
    """TOML text for a record dict (as the TOML parses to) or a loaded `model.Record`.

    `missing` maps top-level keys that are absent from `data` to a short Chinese note; each is written
    as a commented-out line in its place (`# region = ""  # 待填写：……`) so an editor sees what to add.
    `comments` maps a value's key path — keys and list positions from the root, `("indicator", 3, "score")`
    — to a note written beside it (`score = 8  # 第 2 页，表 1 第 5 行第 8 列`: where an import read it).
    """
    if is_dataclass(data) and not isinstance(data, type):
        data = record_to_dict(data)  # type: ignore[arg-type]
    lines: list[str] = [SCHEMA_LINE, ""]
    _table(lines, data, RECORD_FIELDS, (), missing or {}, comments or {})
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- tables


def _ordered_keys(data: Mapping, fields: tuple[Field, ...]) -> list[str]:
    known = [f.name for f in fields]
    return [k for k in known if k in data] + [k for k in data if k not in known]


def _is_table_array(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _table(
    lines: list[str],
    data: Mapping,
    fields: tuple[Field, ...],
    path: tuple[str, ...],
    missing: Mapping[str, str],
    comments: Mapping[tuple, str],
    at: tuple = (),
) -> None:
    """`at` is the key path with list positions (for `comments`); `path` names the table headers."""

    def assign(key: str) -> str:
        return _commented(_assign(key, data[key]), comments.get(at + (key,)))

    by_name = {f.name: f for f in fields}
    scalars: list[str] = []
    nested: list[str] = []
    for key in _ordered_keys(data, fields):
        value = data[key]
        if value is None:
            continue
        f = by_name.get(key)
        # A table, a table array or named tables go below, under their own headers; an empty one, a
        # value field and an unknown key holding a plain value are written in place.
        written_below = f.kind.nested if f is not None else True
        if written_below and ((isinstance(value, Mapping) and value) or _is_table_array(value)):
            nested.append(key)
        else:
            scalars.append(key)
    if not path and missing:
        order = [f.name for f in fields]
        pending = {k: v for k, v in missing.items() if k not in data}
        emitted: set[str] = set()
        for name in order:
            if name in scalars:
                lines.append(assign(name))
                emitted.add(name)
            elif name in pending:
                lines.append(f'# {_key(name)} = ""  # {pending.pop(name)}')
        for key in scalars:
            if key not in emitted:
                lines.append(assign(key))
        for name, note in pending.items():
            lines.append(f'# {_key(name)} = ""  # {note}')
    else:
        for key in scalars:
            lines.append(assign(key))
    for key in nested:
        value = data[key]
        f = by_name.get(key)
        sub = path + (key,)
        if f is not None and f.kind.layout is Layout.NAMED_TABLES:
            for name, rule in value.items():
                if isinstance(rule, Mapping):
                    _header(lines, f"[{_dotted(sub + (name,))}]")
                    _table(lines, rule, RULE_FIELDS, sub + (name,), {}, comments, at + (key, name))
                else:
                    _header(lines, f"[{_dotted(sub)}]")
                    lines.append(_commented(_assign(name, rule), comments.get(at + (key, name))))
            continue
        sub_fields = f.fields if f is not None else ()
        if isinstance(value, Mapping):
            _header(lines, f"[{_dotted(sub)}]")
            _table(lines, value, sub_fields, sub, {}, comments, at + (key,))
        else:
            for i, item in enumerate(value):
                _header(lines, f"[[{_dotted(sub)}]]")
                _table(lines, item, sub_fields, sub, {}, comments, at + (key, i))


def _commented(line: str, comment: str | None) -> str:
    """A value's line with a comment after it (after the closing quotes of a multi-line string)."""
    if not comment:
        return line
    return f"{line}  # {' '.join(comment.split())}"


def _header(lines: list[str], text: str) -> None:
    if lines and lines[-1] != "":
        lines.append("")
    lines.append(text)


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(_key(p) for p in path)


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _basic(key)


def _assign(key: str, value: object) -> str:
    if isinstance(value, str) and _wants_multiline(value):
        return f"{_key(key)} = {_multiline(value)}"
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        if any(_wants_multiline(v) for v in value):
            items = "".join(f"  {_multiline(v) if _wants_multiline(v) else _basic(v)},\n" for v in value)
            return f"{_key(key)} = [\n{items}]"
    return f"{_key(key)} = {_value(value, width=len(key) + 3)}"


# ---------------------------------------------------------------------------- values


def _value(value: object, width: int = 0) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return format_decimal(Decimal(repr(value)))
    if isinstance(value, str):
        return _basic(value)
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, Mapping):
        items = [f"{_key(str(k))} = {_value(v)}" for k, v in value.items() if v is not None]
        return "{ " + ", ".join(items) + " }" if items else "{}"
    if isinstance(value, (list, tuple)):
        parts = [_value(v) for v in value]
        one_line = "[" + ", ".join(parts) + "]"
        if width + _display_width(one_line) <= 100 or len(parts) < 2:
            return one_line
        return "[\n" + "".join(f"  {p},\n" for p in parts) + "]"
    if is_dataclass(value):
        return _value(_dataclass_dict(value), width)
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def toml_value(value: object) -> str:
    """One value as TOML text, as the writer puts it after `key = `."""
    return _value(value)


def format_decimal(value: Decimal) -> str:
    """Exact and plain: 3773.00 stays 3773.00, 1E+2 becomes 100, never scientific notation."""
    if value.is_nan():
        return "nan"
    if value.is_infinite():
        return "inf" if value > 0 else "-inf"
    text = format(value, "f")
    if text in ("-0", "-0.0") or (text.startswith("-") and Decimal(text) == 0):
        text = text[1:]
    return text


def _escape(text: str, multiline: bool) -> str:
    out: list[str] = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\n" if multiline else "\\n")
        elif ch == "\t":
            out.append("\t" if multiline else "\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def _basic(text: str) -> str:
    return '"' + _escape(text, multiline=False) + '"'


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wants_multiline(text: str) -> bool:
    """Text with line breaks, or text long enough that wrapping it actually breaks it."""
    return "\n" in text or (_display_width(text) > LONG and "\\\n" in _wrap(text))


def _multiline(text: str) -> str:
    """A multi-line basic string; long lines are continued with a line-ending backslash after punctuation."""
    body_lines: list[str] = []
    for logical in text.split("\n"):
        body_lines.append(_wrap(logical))
    return '"""\n' + "\n".join(body_lines) + '"""'


def _wrap(line: str) -> str:
    """Escape one logical line and break it after punctuation so that no physical line is much wider
    than WRAP. The break is a TOML line-ending backslash, which also swallows following whitespace, so a
    break is only placed where the next character is not whitespace."""
    pieces: list[str] = []
    start = 0
    width = 0
    last_break = -1
    i = 0
    while i < len(line):
        ch = line[i]
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        nxt = line[i + 1] if i + 1 < len(line) else ""
        if ch in _BREAK_AFTER and nxt and not nxt.isspace():
            last_break = i
        if width > WRAP and last_break >= start:
            pieces.append(line[start : last_break + 1])
            start = last_break + 1
            width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[start : i + 1])
            last_break = -1
        i += 1
    pieces.append(line[start:])
    escaped = [_escape(p, multiline=True) for p in pieces]
    # A piece ending in an escaped backslash is fine: the continuation backslash comes after it.
    return "\\\n".join(escaped)


# ---------------------------------------------------------------------------- model → dict


def _dataclass_dict(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in _dc_fields(obj)}


def record_to_dict(record: object) -> dict[str, Any]:
    """The dict shape of a record file, built from a loaded `model.Record` (or any model table).

    Follows the model's declared fields, so every field is written under its TOML key; what loading
    would fill in anyway (None, an absent table, a value equal to its default) is left out.
    """
    out: dict[str, Any] = {}
    unpublished: frozenset[str] = getattr(record, "unpublished", frozenset())
    for d in declared(type(record)):
        if d.field.name in unpublished:  # written "未公布" in the record: so it is written again
            out[d.field.name] = NOT_PUBLISHED
            continue
        value = getattr(record, d.attr)
        default = _default(type(record), d.attr)
        if value is None or value == default:
            continue
        if d.table is not None:
            value = [record_to_dict(row) for row in value] if isinstance(value, list) else record_to_dict(value)
        elif isinstance(value, Columns):
            value = value.table()  # written back as the three columns it was read from
        elif isinstance(value, RuleRef):
            value = value.name if value.name is not None else value.inline
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, dict):
            value = {k: dict(v) if isinstance(v, dict) else v for k, v in value.items()}
        out[d.field.name] = value
    return out


def _default(cls: type, attr: str) -> object:
    f = next(f for f in dataclasses.fields(cls) if f.name == attr)  # type: ignore[arg-type]
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return dataclasses.MISSING  # required: always written
