"""Values still to fill: empty strings left in a record and template text left in its narrative.

`python -m generator new` writes a record whose text values are "" and a narrative whose sections
hold a placeholder sentence. The structural validator accepts "" (it is a string), so this check
names every value still to fill, at its file:line:col:

- a required text field that is "" or only spaces → E101 (缺少必填字段), an error: the record cannot
  be published before it is filled;
- an optional text field that is "" → OPTIONAL_CODE when the diagnostics registry has it (a warning:
  fill it from the document, or delete the line when the document does not give it);
- narrative lines still holding the placeholder sentence → W111 (叙述文件为空).

Which fields are text (FieldKind.text), and which are required, comes from the field model, like
everything else: the walk follows the model's declared fields, so a new text field is checked too.
Called from pipeline.check_record as `check_placeholders(record, reporter)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol

from . import diagnostics as dg
from .diagnostics import KeyPath
from .field_types import FieldKind, declared
from .fields import RULE_FIELDS, Field
from .model import Record

# Start of the sentence `new` writes under each narrative heading; its presence means "not written yet".
PLACEHOLDER_MARK = "（待填写："
# Warning for an optional text field left as "" — used when registered in diagnostics.CODES.
OPTIONAL_CODE = "W130"

# How a row of a table array is named in the messages, by the TOML keys leading to it; other tables
# are named as the structural checks name them ([budget], 第 2 个 [[x.y]]).
_ROW_NAMES: dict[tuple[str, ...], Callable[[int, Any], str]] = {
    ("budget", "sources"): lambda i, row: f"第 {i + 1} 行资金来源 ",
    ("budget", "items"): lambda i, row: f"第 {i + 1} 行支出明细 ",
    ("indicator",): lambda i, ind: f"第 {i + 1} 个指标（{'/'.join(ind.path) or '一级指标'}）",
    ("monitoring", "indicator"): lambda i, row: f"第 {i + 1} 个执行监控指标 ",
}


def _numbered(names: tuple[str, ...]) -> Callable[[int, Any], str]:
    """Rows named as the structural checks name them: 第 2 个 [[a.b]]."""

    def name(i: int, row: Any) -> str:
        return f"第 {i + 1} 个 [[{'.'.join(names)}]] "

    return name


class Reporter(Protocol):
    def at(self, code: str, key: KeyPath, message: str) -> None: ...

    def at_narrative(self, code: str, line: int, col: int, message: str) -> None: ...


def _blank(value: object) -> bool:
    return isinstance(value, str) and not value.strip()


class _Check:
    def __init__(self, reporter: Reporter, missing: frozenset[KeyPath] = frozenset()) -> None:
        self.rep = reporter
        self.missing = missing  # required fields absent from the file: E101 was reported when it was loaded
        self.optional = OPTIONAL_CODE in dg.CODES
        self.blank_entries: list[tuple[KeyPath, str]] = []  # lists with an empty entry, reported after the fields

    def fields(self, values: dict[str, Any], fields: tuple[Field, ...], key: KeyPath, where: str) -> None:
        """The text fields of one table (a rule table: a dict) left empty."""
        for f in fields:
            if f.kind.text and _blank(values.get(f.name)):
                self.blank(f, key, where)

    def blank(self, f: Field, key: KeyPath, where: str) -> None:
        if f.required:
            self.rep.at("E101", key + (f.name,), f"{where}尚未填写 {f.name}（{f.description}）。请照原文填写。")
        elif self.optional:
            self.rep.at(
                OPTIONAL_CODE,
                key + (f.name,),
                f"{where}{f.name}（{f.description}）是空的。请照原文填写；原文没有该项时删除这一行。",
            )

    def table(self, obj: object, names: tuple[str, ...], key: KeyPath, where: str) -> None:
        """Every text value of a model object and the tables below it, in the format's order."""
        for d in declared(type(obj)):
            f = d.field
            value = getattr(obj, d.attr)
            if f.kind.text:
                if _blank(value) and key + (f.name,) not in self.missing:
                    self.blank(f, key, where)
            elif f.kind in (FieldKind.TEXT_OR_LIST, FieldKind.STRLIST):
                if any(_blank(x) for x in value or ()):
                    self.blank_entries.append(
                        (key + (f.name,), f"{where}{f.name} 中有空的条目。请照原文填写；原文没有时删除。")
                    )
            elif f.kind is FieldKind.TABLE and value is not None:
                self.table(value, names + (f.name,), key + (f.name,), f"[{'.'.join(names + (f.name,))}] ")
            elif f.kind is FieldKind.TABLES:
                sub = names + (f.name,)
                row_name = _ROW_NAMES.get(sub) or _numbered(sub)
                for i, row in enumerate(value):
                    self.table(row, sub, key + (f.name, i), row_name(i, row))
            elif f.kind is FieldKind.RULES:
                for name, rule in value.items():
                    self.fields(rule, RULE_FIELDS, key + (f.name, name), f"规则 [{f.name}.{name}] ")


# An empty or blank string literal somewhere in the TOML text ("" or '' or "  "); without one there
# is nothing to look for, and the walk over every field (a tenth of validation time) is skipped.
_BLANK_LITERAL = re.compile(r"([\"'])[ \t]*\1")


def check_placeholders(record: Record, reporter: Reporter) -> None:
    """Report every text value left empty and narrative placeholders not yet replaced."""
    if record.toml_text and not _BLANK_LITERAL.search(record.toml_text):
        _narrative(record, reporter)
        return
    c = _Check(reporter, record.missing)
    c.table(record, (), (), "")
    if c.optional:
        for key, message in c.blank_entries:
            reporter.at(OPTIONAL_CODE, key, message)
    _narrative(record, reporter)


def _narrative(record: Record, reporter: Reporter) -> None:
    text = record.narrative
    if not text:
        return  # a missing or empty narrative is reported by checks.check_narrative
    lines = text.split("\n")
    hits = [i for i, ln in enumerate(lines, start=1) if PLACEHOLDER_MARK in ln]
    if not hits:
        return
    col = lines[hits[0] - 1].index(PLACEHOLDER_MARK) + 1
    more = f"（共 {len(hits)} 处，第 {'、'.join(str(h) for h in hits)} 行）" if len(hits) > 1 else ""
    reporter.at_narrative(
        "W111",
        hits[0],
        col,
        f"叙述文件中还有 new 命令生成的占位文字{more}。请照录评价报告正文，替换每个“{PLACEHOLDER_MARK}……）”段落。",
    )
