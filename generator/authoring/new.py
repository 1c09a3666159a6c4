"""A new record and its narrative, written from a scoring scheme and the field model.

render_record writes every field of the record format (core/fields.py) in the format's order, each
with its Chinese description above it, so a field added to the model appears in new records without
an edit here: a top-level or [table] field as an active line or a commented-out one to fill, an
[[indicator]] field on the first example indicator. What differs from that rule is listed in the
tables below (the values `new` was given, the notes on defaults, the rows built from the scheme).
Values are written by the TOML writer (toml_writer.toml_value), the one that writes imported records.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core.field_types import NOT_PUBLISHED
from generator.core.fields import INDICATOR_FIELDS, RECORD_FIELDS, RULE_FIELDS, Field, FieldKind, Layout
from generator.core.placeholders import PLACEHOLDER_MARK
from generator.core.schemes import Scheme

from .toml_writer import toml_value

SCHEMA_FILE = "schema/record.schema.json"
SECTIONS = ("一、项目基本情况", "二、绩效评价工作情况", "三、评价结论", "四、存在问题", "五、改进建议")
SECTION_HINTS = {
    "一、项目基本情况": "项目概况、立项背景、资金投入和使用情况、绩效目标",
    "二、绩效评价工作情况": "评价目的、对象和范围，评价指标体系、评价方法和标准，评价工作过程",
    "三、评价结论": "综合评价结论、得分和等级，以及各项指标的分析",
    "四、存在问题": "评价发现的主要问题及原因",
    "五、改进建议": "针对问题提出的改进建议",
}
# The core columns of an indicator row; the first [[indicator]] also lists every optional field.
CORE_INDICATOR = ("path", "name", "target", "actual", "weight", "score", "reason", "rule")
# Notes on the nested tables of a [table] block that are written as commented-out templates.
_NESTED_NOTES: dict[tuple[str, ...], str] = {
    ("budget", "balance"): "（原表有结余结转栏时填写）",
    ("form",): "（原表印有这些内容时填写，否则保留注释）",
}
# Top-level tables new writes commented out: most forms print none of their fields.
# Tables new writes no template for: monitoring rows are copied from the monitoring form.
_NO_TEMPLATE = {("monitoring", "indicator")}
# Top-level tables written only for some evaluations.
_ONLY_FOR = {"monitoring": "执行监控"}


@dataclass(frozen=True)
class Entry:
    """How `new` writes one field: active with a value, or commented out (value None or optional)."""

    value: object = None
    optional: bool = False  # write the value, commented out: a default to uncomment when it applies
    extra: str = ""  # a note added to the description


def _top_entries(values: dict[str, Any], scheme: Scheme) -> dict[str, Entry]:
    """The top-level fields new fills in; every other top-level field is a commented-out line."""
    given = {
        name: Entry(values[name])
        for name in ("id", "name", "year", "region", "department", "evaluation", "evaluator", "date")
    }
    max_default = f"方案默认 {scheme.max_score}" if scheme.max_score is not None else "默认为一级指标分值之和"
    return {
        **given,
        "status": Entry("draft", extra="新记录为 draft，核对无误后改为 published"),
        "scheme": Entry(scheme.name),
        "grade_bands": Entry(
            scheme.grade_bands, optional=True, extra=f"方案默认 {scheme.grade_bands}，原文另有分数段时填写"
        ),
        "scored": Entry(False, optional=True, extra="默认 true"),
        "max_score": Entry(extra=max_default),
        "total": Entry(extra="计分记录必须照录原文总分"),
    }


# ---------------------------------------------------------------------------- lines


def comment(f: Field, extra: str = "") -> str:
    """`# description（必填；可选值：…；extra）` for the line above a field."""
    parts = []
    if f.required:
        parts.append("必填")
    if f.choices:
        parts.append("可选值：" + "、".join(f.choices))
    if f.unpublished_ok and NOT_PUBLISHED not in f.description:
        parts.append(f'原文留空时写 "{NOT_PUBLISHED}"')
    if extra:
        parts.append(extra)
    return f"# {f.description}" + (f"（{'；'.join(parts)}）" if parts else "")


def field_lines(f: Field, value: object = None, *, optional: bool = False, extra: str = "") -> list[str]:
    """A commented field: `# description` then `key = value`, or `# key = …` when optional or empty."""
    out = [comment(f, extra)]
    if value is None:
        blank = toml_value(f.choices[0]) if f.kind is FieldKind.ENUM and f.choices else f.kind.blank
        out.append(f"# {f.name} = {blank}".rstrip())
    elif optional:
        out.append(f"# {f.name} = {toml_value(value)}")
    else:
        out.append(f"{f.name} = {toml_value(value)}")
    return out


def _by_name(fields: tuple[Field, ...]) -> dict[str, Field]:
    return {f.name: f for f in fields}


def schema_line(toml_path: Path, records_dir: Path) -> str:
    """The `#:schema` line pointing from the new file at the repository's record schema."""
    schema = records_dir.resolve().parent / SCHEMA_FILE
    rel = os.path.relpath(schema, toml_path.resolve().parent)
    return "#:schema " + rel.replace(os.sep, "/")


# ---------------------------------------------------------------------------- the record


def render_record(values: dict[str, Any], scheme: Scheme, schema_line: str) -> str:
    """The TOML text of a new record: every field written, with its Chinese description above it."""
    out = [
        schema_line,
        f"# 项目支出绩效评价记录。由 python -m generator new 按评分方案 {scheme.name}（{scheme.title}）生成。",
        '# 填写方法：照原文填写每个 "" 中的内容。以“# 字段 =”开头的行是可选项：原文有该项时删去行首的“# ”并填写；',
        "# 原文没有的内容不要编造，保留注释或删除该行即可。数字不加引号，金额默认以万元为单位，百分数写成普通数字（83.62 表示 83.62%）。",
        "# 填写后运行 python -m generator validate：尚未填写的项目会逐一列出。各字段的说明见网站《编辑指南》。",
        "",
    ]
    entries = _top_entries(values, scheme)
    for f in RECORD_FIELDS:
        if f.name in _ONLY_FOR and values["evaluation"] != _ONLY_FOR[f.name]:
            continue
        if f.kind.layout is Layout.VALUE:
            e = entries.get(f.name, Entry())
            out += field_lines(f, e.value, optional=e.optional, extra=e.extra) + [""]
        elif f.name == "group":
            out += _group_rows(f, scheme)
        elif f.name == "indicator":
            out += _indicator_rows(f, scheme)
        elif f.kind.layout is Layout.NAMED_TABLES:
            out += _rules_example(f)
        elif f.kind.layout is Layout.TABLE and f.name not in _COMMENTED_TABLES:
            out += _table_block(f, (f.name,))
        else:
            out += _row_template(f, (f.name,))
    return "\n".join(out).rstrip("\n") + "\n"


# Top-level tables most records do not need: written as commented-out templates ([form]: a table printed in part).
_COMMENTED_TABLES = {"form", "result_use"}  # result_use: 评价结果应用, when the report states it


def _table_block(f: Field, names: tuple[str, ...]) -> list[str]:
    """A [table]: its text and list fields first (a text field at its default, or "" to fill), then
    its other fields commented out, then its nested tables as commented-out templates."""
    out = [f"# {f.description}", f"[{'.'.join(names)}]"]
    values = [sub for sub in f.fields if sub.kind.layout is Layout.VALUE]
    active = [sub for sub in values if sub.kind.text or sub.kind is FieldKind.TEXT_OR_LIST]
    for sub in active:
        out += field_lines(sub, [] if sub.kind is FieldKind.TEXT_OR_LIST else sub.default or "")
    for sub in values:
        if sub not in active:
            out += field_lines(sub)
    out.append("")
    for sub in f.fields:
        if sub.kind.layout is not Layout.VALUE and names + (sub.name,) not in _NO_TEMPLATE:
            out += _row_template(sub, names + (sub.name,))
    return out


def _row_template(f: Field, names: tuple[str, ...]) -> list[str]:
    """A nested table as a commented-out template, each field with its description at the end."""
    header = ".".join(names)
    if f.kind.layout is Layout.TABLE_ARRAY:
        out = [f"# {f.description}：每行写一个 [[{header}]]（原表没有则保留注释）", f"# [[{header}]]"]
        for sub in f.fields:
            value = '""' if sub.kind.text else ""
            out.append(f"# {sub.name} = {value}".rstrip() + f"    # {sub.description}")
    else:
        out = [f"# {f.description}{_NESTED_NOTES.get(names, '（原表有此项时填写）')}", f"# [{header}]"]
        for sub in f.fields:
            out.append(f"# {sub.name} =    # {sub.description}")
    out.append("")
    return out


def _group_rows(f: Field, scheme: Scheme) -> list[str]:
    """The scheme's group weights as [[group]] tables."""
    gfs = _by_name(f.fields)
    out: list[str] = []
    if scheme.groups:
        out += [f"# ---- {f.description}：以下为方案 {scheme.name} 的默认分值，请按原表核对改正 ----", ""]
    for g in scheme.groups:
        out += ["[[group]]"] + field_lines(gfs["path"], list(g.get("path", [])))
        if g.get("weight") is not None:
            out += field_lines(gfs["weight"], g["weight"])
        if g.get("split"):
            out += field_lines(gfs["split"], g["split"], extra="下级指标不写 weight")
        out.append("")
    return out


def _indicator_rows(f: Field, scheme: Scheme) -> list[str]:
    out = [f"# ---- {f.description}；同一分支有多项时复制整段 [[indicator]] ----", ""]
    split_paths = {tuple(g.get("path", ())) for g in scheme.groups if g.get("split") == "equal"}
    for n, branch in enumerate(indicator_branches(scheme)):
        out += _indicator_block(branch, split_paths, full=(n == 0))
    return out


def _rules_example(f: Field) -> list[str]:
    rf = _by_name(RULE_FIELDS)
    return [
        f'# ---- {f.description}（评分标准与方案默认规则不同时定义，指标中写 rule = "名称"）----',
        '# [rules."名称"]',
        f'# kind = "steps"    # {rf["kind"].description}',
        f"# step = 1    # {rf['step'].description}",
        f"# points = 0.5    # {rf['points'].description}",
        "",
    ]


def indicator_branches(scheme: Scheme) -> list[dict[str, Any]]:
    """One example leaf per template branch: {"path": [...], "name": str, "weight": …, "rule": …}.

    A template entry with a weight is a leaf itself (预算执行率 10): its last path element is the
    indicator's name. Otherwise the entry is a branch and the leaf below it has a name to fill.
    """
    out = []
    for t in scheme.template:
        path = list(t.get("path", []))
        if t.get("weight") is not None and path:
            out.append({"path": path[:-1], "name": path[-1], "weight": t["weight"], "rule": t.get("rule")})
        else:
            out.append({"path": path, "name": "", "weight": None, "rule": t.get("rule")})
    if not out:
        for g in scheme.groups:
            out.append({"path": list(g.get("path", [])), "name": "", "weight": None, "rule": None})
    if not out:
        out.append({"path": [], "name": "", "weight": None, "rule": None})
    return out


def _indicator_block(branch: dict[str, Any], split_paths: set[tuple[str, ...]], full: bool) -> list[str]:
    f = _by_name(INDICATOR_FIELDS)
    out = ["[[indicator]]"]
    out += field_lines(f["path"], branch["path"])
    out += field_lines(f["name"], branch["name"])
    out += field_lines(f["target"], "")
    out += field_lines(f["actual"], "")
    if branch["weight"] is not None:
        out += field_lines(f["weight"], branch["weight"])
    elif tuple(branch["path"]) in split_paths:
        out += [comment(f["weight"], '不写：由上级 [[group]] 的 split = "equal" 平均分摊')]
    else:
        out += field_lines(f["weight"])
    out += field_lines(f["score"])
    out += field_lines(f["reason"], extra="得分低于分值时填写")
    rule_note = f"本分支默认“{branch['rule']}”" if branch["rule"] else ""
    out += field_lines(f["rule"], extra=rule_note)
    if full:
        for field in INDICATOR_FIELDS:
            if field.name not in CORE_INDICATOR and not field.kind.nested:
                out += field_lines(field)
        out.append("")
        for field in INDICATOR_FIELDS:
            if field.kind.nested:  # sub-rows («其中») as a commented-out template under the first indicator
                out += _row_template(field, ("indicator", field.name))
        return out
    out.append("")
    return out


def render_narrative(values: dict[str, Any]) -> str:
    out: list[str] = []
    for section in SECTIONS:
        out += [
            f"## {section}",
            "",
            f"{PLACEHOLDER_MARK}照录评价报告本节的原文：{SECTION_HINTS[section]}。原文没有本节时删除本节。）",
            "",
        ]
    return "\n".join(out).rstrip("\n") + "\n"
