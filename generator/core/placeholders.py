"""Values still to fill: empty strings left in a record and template text left in its narrative.

`python -m generator new` writes a record whose text values are "" and a narrative whose sections
hold a placeholder sentence. The structural validator accepts "" (it is a string), so this check
names every value still to fill, at its file:line:col:

- a required text field that is "" or only spaces → E101 (缺少必填字段), an error: the record cannot
  be published before it is filled;
- an optional text field that is "" → OPTIONAL_CODE when the diagnostics registry has it (a warning:
  fill it from the document, or delete the line when the document does not give it);
- narrative lines still holding the placeholder sentence → W111 (叙述文件为空).

Which fields are text, and which are required, comes from record_schema, like everything else.
Called from pipeline.check_record as `check_placeholders(record, reporter)`.
"""
from __future__ import annotations

import re

from . import diagnostics as dg
from .model import Record
from .fields import INDICATOR_FIELDS, MONITORING_ROW_FIELDS, RECORD_FIELDS, RULE_FIELDS, Field

# Start of the sentence `new` writes under each narrative heading; its presence means "not written yet".
PLACEHOLDER_MARK = "（待填写："
# Warning for an optional text field left as "" — used when registered in diagnostics.CODES.
OPTIONAL_CODE = "W130"

_TEXT_KINDS = ("str",)


def _sub(fields: tuple[Field, ...], *names: str) -> tuple[Field, ...]:
    """The fields of a nested table, found by name in the model (budget → sources → …)."""
    for name in names:
        fields = next(f.fields for f in fields if f.name == name)
    return fields


def _blank(value: object) -> bool:
    return isinstance(value, str) and not value.strip()


class _Check:
    def __init__(self, record: Record, reporter) -> None:
        self.record = record
        self.rep = reporter
        self.optional = OPTIONAL_CODE in dg.CODES

    def fields(self, obj: object, fields: tuple[Field, ...], key: tuple, where: str) -> None:
        for f in fields:
            if f.kind not in _TEXT_KINDS:
                continue
            value = getattr(obj, f.name, None) if not isinstance(obj, dict) else obj.get(f.name)
            if not _blank(value):
                continue
            if f.required:
                self.rep.at("E101", key + (f.name,), f"{where}尚未填写 {f.name}（{f.description}）。请照原文填写。")
            elif self.optional:
                self.rep.at(OPTIONAL_CODE, key + (f.name,), f"{where}{f.name}（{f.description}）是空的。请照原文填写；原文没有该项时删除这一行。")


# An empty or blank string literal somewhere in the TOML text ("" or '' or "  "); without one there
# is nothing to look for, and the walk over every field (a tenth of validation time) is skipped.
_BLANK_LITERAL = re.compile(r"([\"'])[ \t]*\1")


def check_placeholders(record: Record, reporter) -> None:
    """Report every text value left empty and narrative placeholders not yet replaced."""
    if record.toml_text and not _BLANK_LITERAL.search(record.toml_text):
        _narrative(record, reporter)
        return
    c = _Check(record, reporter)
    c.fields(record, RECORD_FIELDS, (), "")
    b = record.budget
    if b is not None:
        c.fields(b, _sub(RECORD_FIELDS, "budget"), ("budget",), "[budget] ")
        for group, label in (("sources", "资金来源"), ("items", "支出明细")):
            row_fields = _sub(RECORD_FIELDS, "budget", group)
            for i, row in enumerate(getattr(b, group)):
                c.fields(row, row_fields, row.key, f"第 {i + 1} 行{label} ")
    for ind in record.indicators:
        where = f"第 {ind.index + 1} 个指标（{'/'.join(ind.path) or '一级指标'}）"
        c.fields(ind, INDICATOR_FIELDS, ind.key, where)
    for name, table in record.rules.items():
        c.fields(table, RULE_FIELDS, ("rules", name), f"规则 [rules.{name}] ")
    m = record.monitoring
    if m is not None:
        c.fields(m, _sub(RECORD_FIELDS, "monitoring"), ("monitoring",), "[monitoring] ")
        for i, row in enumerate(m.rows):
            c.fields(row, MONITORING_ROW_FIELDS, ("monitoring", "indicator", i), f"第 {i + 1} 个执行监控指标 ")
    if c.optional:
        for key, items in (("expected", record.goals_expected), ("achieved", record.goals_achieved)):
            if any(_blank(x) for x in items):
                reporter.at(OPTIONAL_CODE, ("goals", key), f"[goals] {key} 中有空的条目。请照原文填写；原文没有时删除。")
    _narrative(record, reporter)


def _narrative(record: Record, reporter) -> None:
    text = record.narrative
    if not text:
        return  # a missing or empty narrative is reported by checks.check_narrative
    lines = text.split("\n")
    hits = [i for i, ln in enumerate(lines, start=1) if PLACEHOLDER_MARK in ln]
    if not hits:
        return
    col = lines[hits[0] - 1].index(PLACEHOLDER_MARK) + 1
    more = f"（共 {len(hits)} 处，第 {'、'.join(str(h) for h in hits)} 行）" if len(hits) > 1 else ""
    reporter.at_narrative("W111", hits[0], col, f"叙述文件中还有 new 命令生成的占位文字{more}。请照录评价报告正文，替换每个“{PLACEHOLDER_MARK}……）”段落。")
