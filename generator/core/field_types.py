"""The building blocks of the record format: field kinds, the Field description, and `spec`.

A record field is declared once, as an attribute of a model dataclass (model.py) whose default is
`spec(kind, description, …)`. fields.py reads those declarations into Field trees, which the
loader, the structural checks, the placeholder check, the JSON Schema, the TOML writer, `new` and
the guide walk. What a kind means for each of them is a property of its FieldKind member below (or,
for checking a value and describing it in JSON Schema, one entry per kind in structure.py and
authoring/json_schema.py, each of which fails at import when a kind is missing).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

# The one marker for "the source left this blank / did not print it" (issue 11): a field declared with
# unpublished_ok=True may hold it instead of a value. Loading leaves such a field None and names it in the
# object's `unpublished` set, so every check and page can tell "not published" from "not filled".
NOT_PUBLISHED = "未公布"


class Layout(Enum):
    """How a field is written in a TOML file."""

    VALUE = "value"  # key = value (a string, number, array or inline table)
    TABLE = "table"  # a [name] table
    TABLE_ARRAY = "table array"  # one [[name]] table per row
    NAMED_TABLES = "named tables"  # one [name.entry] table per entry


class FieldKind(str, Enum):
    """What a field holds. Each member is also the plain string the format has always used for it
    ("str", "tables", …), so a kind compares, hashes and prints as that string."""

    layout: Layout
    expected: str  # what the value should be, as E102 (字段类型错误) says it: "应为{expected}"
    example: str  # a value written into E101's "例如 name = …" when the field has no example of its own
    blank: str  # the value of the commented-out line `new` writes for the field ("" for `# name =`)
    text: bool  # an editor types it as text: "" is a value still to fill (placeholders.py)
    controls: bool  # a string value is checked for control characters (E114)

    def __new__(
        cls,
        value: str,
        layout: Layout,
        expected: str,
        example: str,
        blank: str,
        text: bool = False,
        controls: bool = False,
    ) -> FieldKind:
        member = str.__new__(cls, value)
        member._value_ = value
        member.layout = layout
        member.expected = expected
        member.example = example
        member.blank = blank
        member.text = text
        member.controls = controls
        return member

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, format_spec: str) -> str:
        return str.__format__(self, format_spec)

    STR = ("str", Layout.VALUE, "文字（用英文双引号括起来）", '"…"', '""', True, True)
    INT = ("int", Layout.VALUE, "整数", "2021", "")
    NUMBER = ("number", Layout.VALUE, "数字（不加引号）", "10", "")
    BOOL = ("bool", Layout.VALUE, "true 或 false", "true", "false")
    DATE = ("date", Layout.VALUE, "日期", '"2021-12"', "2022-03-01")
    ENUM = ("enum", Layout.VALUE, "文字", '"…"', '""', False, True)  # example/blank: the first choice
    STRLIST = ("strlist", Layout.VALUE, "文字列表", "…", "[]")
    TEXT_OR_LIST = ("text_or_list", Layout.VALUE, "文字或文字列表", "…", "[]", False, True)
    PATH = ("path", Layout.VALUE, "文字列表", '["产出指标"]', "[]", False, True)
    TABLE = ("table", Layout.TABLE, "表", "…", "")
    TABLES = ("tables", Layout.TABLE_ARRAY, "表数组（[[…]]）", "…", "")
    RULES = ("rules", Layout.NAMED_TABLES, "表", "…", "")
    RULE = ("rule", Layout.VALUE, "规则名称或行内表", "…", '""')
    # a target or actual: text as printed, or the three columns 指标性质 / 指标值 / 度量单位 (model.Columns)
    QUANTITY = (
        "quantity",
        Layout.VALUE,
        '文字，或三栏行内表 { nature = "≥", value = "95", unit = "%" }',
        '"≥95%"',
        '""',
        True,
        True,
    )
    BANDS = ("bands", Layout.VALUE, "列表", "…", "")
    TIERS = ("tiers", Layout.VALUE, "列表", "…", "")
    LEVELS = ("levels", Layout.VALUE, "列表", "…", "")

    @property
    def nested(self) -> bool:
        """Its value is one or more tables of further fields (written as [name], [[name]] or [name.entry])."""
        return self.layout is not Layout.VALUE


@dataclass(frozen=True)
class Field:
    name: str
    kind: FieldKind
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    minimum: float | None = None
    example: object = None
    number_as_text: bool = False  # a text field that also takes a bare number (target = 100 is "100")
    default: object = None  # the value loading gives the field when it is absent (None: none, or empty)
    unpublished_ok: bool = False  # may be NOT_PUBLISHED ("未公布") where the source left it blank

    @property
    def example_text(self) -> str:
        """A value for the field as TOML, for messages: its own example, else one of its kind."""
        if self.example is not None:
            return f'"{self.example}"' if isinstance(self.example, str) else str(self.example)
        if self.kind is FieldKind.ENUM and self.choices:
            return f'"{self.choices[0]}"'
        return self.kind.example


# ---------------------------------------------------------------------------- declaring fields on the model


@dataclass(frozen=True)
class FieldSpec:
    """What `spec` records on a model attribute: the field as a record file writes it."""

    kind: FieldKind
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    example: object = None
    number_as_text: bool = False
    key: str | None = None  # the TOML key, when the attribute is named otherwise (group → Record.groups)
    table: type | None = None  # the dataclass of each table, for table and tables fields
    unpublished_ok: bool = False


_SPEC = "record field"  # the dataclasses metadata key holding a FieldSpec


def spec(
    kind: FieldKind,
    description: str,
    *,
    required: bool = False,
    choices: tuple[str, ...] = (),
    minimum: float | None = None,
    example: object = None,
    number_as_text: bool = False,
    key: str | None = None,
    table: type | None = None,
    unpublished_ok: bool = False,
    default: object = dataclasses.MISSING,
    default_factory: Callable[[], object] | None = None,
) -> Any:
    """A model attribute that is a field of the record format (use as the attribute's default).

    A required field has no default; an optional one defaults to None unless `default` or
    `default_factory` says otherwise. With `unpublished_ok` the field may be written "未公布" (NOT_PUBLISHED).
    """
    if kind.nested and kind is not FieldKind.RULES and table is None:
        raise ValueError(f"a {kind} field needs the dataclass of its tables (table=…)")
    metadata = {
        _SPEC: FieldSpec(
            kind, description, required, choices, minimum, example, number_as_text, key, table, unpublished_ok
        )
    }
    if default_factory is not None:
        return dataclasses.field(default_factory=default_factory, metadata=metadata)
    if default is dataclasses.MISSING and not required:
        default = None
    return dataclasses.field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Declared:
    """A model attribute declared with `spec`: the attribute, the field it is, how to build its value."""

    attr: str
    field: Field
    table: type | None


def declared(cls: type) -> tuple[Declared, ...]:
    """The record fields a model dataclass declares, in declaration order (the format's order)."""
    cached = _DECLARED.get(cls)
    if cached is None:
        out = []
        for f in dataclasses.fields(cls):
            s = f.metadata.get(_SPEC)
            if s is None:
                continue  # not part of the file format (a position, the file name…)
            sub = fields_of(s.table) if s.table is not None else ()
            default = f.default if f.default is not dataclasses.MISSING else None  # factories: empty
            field = Field(
                s.key or f.name,
                s.kind,
                s.description,
                s.required,
                s.choices,
                sub,
                s.minimum,
                s.example,
                s.number_as_text,
                default,
                s.unpublished_ok,
            )
            out.append(Declared(f.name, field, s.table))
        cached = _DECLARED[cls] = tuple(out)
    return cached


def fields_of(cls: type) -> tuple[Field, ...]:
    """The fields of the table a model dataclass describes (one tuple per class, shared by every reader)."""
    cached = _FIELDS.get(cls)
    if cached is None:
        cached = _FIELDS[cls] = tuple(d.field for d in declared(cls))
    return cached


_DECLARED: dict[type, tuple[Declared, ...]] = {}
_FIELDS: dict[type, tuple[Field, ...]] = {}


# ---------------------------------------------------------------------------- dates

# The one date pattern: "2021", "2021-08" or "2021-08-31" (the calendar is checked by is_date_text).
YEAR = r"\d{4}"
MONTH = r"(0[1-9]|1[0-2])"
DAY = r"(0[1-9]|[12]\d|3[01])"
DATE_PATTERN = f"^{YEAR}(-{MONTH}(-{DAY})?)?$"
FULL_DATE = f"{YEAR}-{MONTH}-{DAY}"  # a whole day, as the start of a TOML date-time
YEARS = (1900, 2999)  # a date written as a bare integer year
_DATE_TEXT = re.compile(DATE_PATTERN)


def is_date_text(text: str) -> bool:
    """A date as an editor writes it in text: a year, a month or a day that exists."""
    if not _DATE_TEXT.match(text):
        return False
    parts = [int(p) for p in text.split("-")]
    try:
        _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True
