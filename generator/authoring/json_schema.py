"""JSON Schema (draft 2020-12) of the record format and of scheme files, generated from the model.

The schema is produced from fields.RECORD_FIELDS (the same field model the validator in
structure.py walks) and rules.KINDS (the rule kinds), so editors' tools — VS Code with Even Better
TOML (taplo), tombi, JetBrains — complete the same field names and flag the same mistakes as
`python -m generator validate`. The committed copy lives in schema/; `python -m generator schema
--check` (and tests/test_schema.py) fail when it drifts from the model.

Only constructs every TOML language server understands are used: no $ref (everything is inlined),
no `const`; rows of bands/tiers/levels use prefixItems (ignored by older drafts, which still check
the length). Descriptions are Chinese, taken from the model's field descriptions.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from generator.core import structure
from generator.core.field_types import DATE_PATTERN, FULL_DATE, NOT_PUBLISHED, YEARS
from generator.core.fields import RECORD_FIELDS, Field, FieldKind
from generator.core.rules import KINDS, rule_table_fields
from generator.core.structure import MAX_ROWS

K = FieldKind

DRAFT = "https://json-schema.org/draft/2020-12/schema"
RECORD_SCHEMA_PATH = "schema/record.schema.json"
SCHEME_SCHEMA_PATH = "schema/scheme.schema.json"

MAX_ABS = int(structure.MAX_ABS)  # larger numbers are rejected (E105)
# TOML date-times are accepted too (their date part is used). tombi maps the formats date,
# date-time-local and date-time to TOML's own date types; taplo hands them over as strings.
LOCAL_DATE_TIME_PATTERN = "^" + FULL_DATE + r"[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"
OFFSET_DATE_TIME_PATTERN = "^" + FULL_DATE + r"[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$"

# Fields an editor nearly always fills: taplo inserts them with the required ones on completion.
_INIT_KEYS = {
    "indicator": ["target", "actual", "weight", "score"],
    "group": ["weight"],
}


def _text(desc: str, f: Field) -> str:
    """The field's Chinese description, with what the validator requires spelled out."""
    extra = []
    if f.required:
        extra.append("必填")
    if f.choices:
        extra.append("可选值：" + "、".join(f.choices))
    if f.unpublished_ok and NOT_PUBLISHED not in desc:
        extra.append(f"原文留空时可写 “{NOT_PUBLISHED}”")
    return desc + (f"（{'；'.join(extra)}）" if extra else "")


def _number(f: Field, integer: bool = False) -> dict:
    out: dict = {"type": "integer" if integer else "number"}
    if f.minimum is not None:
        out["minimum"] = int(f.minimum) if float(f.minimum).is_integer() else f.minimum
    else:
        out["minimum"] = -MAX_ABS
    out["maximum"] = MAX_ABS
    return out


def _rule_table(description: str) -> dict:
    """A rule table ([rules.NAME] or an inline rule = { kind = … }) from RULE_FIELDS and KINDS."""
    fields = rule_table_fields()
    schema = _table(fields, description)
    kind = schema["properties"]["kind"]
    kind["x-taplo"] = {"docs": {"enumValues": [f"{k.title}：{k.description}" for k in KINDS.values()]}}
    return schema


def _row(description: str, *cells: dict) -> dict:
    return {
        "type": "array",
        "description": description,
        "items": {"type": "array", "minItems": len(cells), "maxItems": len(cells), "prefixItems": list(cells)},
    }


_PCT = {"type": "number", "minimum": 0}
_NAME = {"type": "string", "minLength": 1}


def _text_schema(f: Field, desc: str) -> dict:
    out: dict = {"type": ["string", "number"]} if f.number_as_text else {"type": "string"}
    return {**out, "description": desc}


def _enum_schema(f: Field, desc: str) -> dict:
    out: dict = {"type": "string", "enum": list(f.choices)} if f.choices else {"type": "string"}
    return {**out, "description": desc}


def _date_schema(f: Field, desc: str) -> dict:
    return {
        "anyOf": [
            {"type": "string", "pattern": DATE_PATTERN, "description": '文字形式："2021"、"2021-08" 或 "2021-08-31"'},
            {"type": "string", "format": "date", "description": "TOML 日期：2021-08-31（不加引号）"},
            {
                "type": "string",
                "format": "date-time-local",
                "pattern": LOCAL_DATE_TIME_PATTERN,
                "description": "TOML 日期时间（只取日期部分）",
            },
            {
                "type": "string",
                "format": "date-time",
                "pattern": OFFSET_DATE_TIME_PATTERN,
                "description": "带时区的 TOML 日期时间（只取日期部分）",
            },
            {"type": "integer", "minimum": YEARS[0], "maximum": YEARS[1], "description": "只写年份的整数，如 2021"},
        ],
        "description": desc,
    }


def _path_schema(f: Field, desc: str) -> dict:
    return {
        "anyOf": [
            {"type": "array", "items": {"type": "string", "pattern": r"\S"}},
            {"type": "string", "pattern": r"\S", "description": '也可写成用 / 分隔的一行文字，如 "产出指标/数量指标"'},
        ],
        "description": desc,
    }


def _quantity_schema(f: Field, desc: str) -> dict:
    text = {"type": ["string", "number"]}
    columns = {
        "type": "object",
        "description": "原表分三栏印出时：指标性质、指标值、度量单位，各照原文",
        "properties": {name: {**text, "description": what} for name, what in structure.COLUMNS.items()},
        "required": ["value"],
        "additionalProperties": False,
    }
    return {"anyOf": [text, columns], "description": desc}


def _tables_schema(f: Field, desc: str) -> dict:
    row = _table(f.fields, desc)
    if f.name in _INIT_KEYS:
        row["x-taplo"] = {"initKeys": _INIT_KEYS[f.name]}
    return {"type": "array", "description": desc, "maxItems": MAX_ROWS, "items": row}


def _rule_schema(f: Field, desc: str) -> dict:
    return {
        "description": desc,
        "anyOf": [
            {
                "type": "string",
                "minLength": 1,
                "description": "规则名称：本记录 [rules.名称] 中定义的、方案库中的，或规则类型名称",
                "examples": sorted(KINDS),
            },
            _rule_table("行内规则表"),
        ],
    }


# The JSON Schema of a field, by its kind: (field, its description with what is required) → schema.
_SCHEMAS: dict[FieldKind, Callable[[Field, str], dict]] = {
    K.STR: _text_schema,
    K.ENUM: _enum_schema,
    K.INT: lambda f, desc: {**_number(f, integer=True), "description": desc},
    K.NUMBER: lambda f, desc: {**_number(f), "description": desc},
    K.BOOL: lambda f, desc: {"type": "boolean", "description": desc},
    K.DATE: _date_schema,
    K.STRLIST: lambda f, desc: {"type": "array", "items": {"type": "string"}, "description": desc},
    K.TEXT_OR_LIST: lambda f, desc: {
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        "description": desc,
    },
    K.PATH: _path_schema,
    K.TABLE: lambda f, desc: _table(f.fields, desc),
    K.TABLES: _tables_schema,
    K.RULES: lambda f, desc: {
        "type": "object",
        "description": desc,
        "additionalProperties": _rule_table("评分规则：kind 为规则类型，其余为该类型的参数"),
    },
    K.RULE: _rule_schema,
    K.QUANTITY: _quantity_schema,
    K.BANDS: lambda f, desc: _row(f.description, _PCT, _PCT),
    K.TIERS: lambda f, desc: _row(f.description, _NAME, _PCT, _PCT),
    K.LEVELS: lambda f, desc: _row(f.description, _NAME, _PCT),
}
_missing = set(FieldKind) - set(_SCHEMAS)
if _missing:  # a new field kind needs its JSON Schema here
    raise AssertionError(f"field kinds without a JSON Schema: {sorted(_missing)}")


# The marker a field declared unpublished_ok may hold instead of its value (a text field takes it as it is).
_UNPUBLISHED = {"type": "string", "enum": [NOT_PUBLISHED], "description": "原文留空、没有印出"}


def field_schema(f: Field) -> dict:
    """The JSON Schema of one field of the model."""
    schema = _SCHEMAS[f.kind](f, _text(f.description, f))
    if not f.unpublished_ok or f.kind is K.STR:
        return schema
    if "anyOf" in schema:  # a date: one more alternative
        return {**schema, "anyOf": [*schema["anyOf"], _UNPUBLISHED]}
    description = schema.pop("description")
    return {"anyOf": [schema, _UNPUBLISHED], "description": description}


def _table(fields: tuple[Field, ...], description: str) -> dict:
    out: dict = {
        "type": "object",
        "description": description,
        "properties": {f.name: field_schema(f) for f in fields},
        "additionalProperties": False,  # structure.Checker.table reports unknown keys (E104)
    }
    required = [f.name for f in fields if f.required]
    if required:
        out["required"] = required
    return out


def record_schema() -> dict:
    """The JSON Schema of a record file (projects/<year>/<id>.toml)."""
    root = _table(
        RECORD_FIELDS, "项目支出绩效评价记录：一个项目、一个年度、一次评价。字段说明见网站《编辑指南 → 字段说明》。"
    )
    return {
        "$schema": DRAFT,
        "$id": "https://perf-disclosure.invalid/schema/record.schema.json",
        "title": "项目支出绩效评价记录",
        "x-tombi-toml-version": "v1.0.0",
        **root,
    }


def scheme_schema() -> dict:
    """The JSON Schema of a scheme library file (projects/schemes/*.toml, generator/core/builtin_schemes.toml)."""
    path = {"type": "array", "items": {"type": "string", "minLength": 1}}
    grade_bands = {
        "type": "object",
        "description": "等级分数段",
        "properties": {
            "title": {"type": "string", "description": "名称，如 “四档（财预〔2020〕10号）”"},
            "basis": {"type": "string", "description": "依据（文件名称与原文）"},
            "bands": _row('[["等级", 最低分], …]，从高到低；分数按 100 分制', _NAME, _PCT),
        },
        "required": ["bands"],
        "additionalProperties": True,
    }
    rule = _rule_table('命名规则：kind 为规则类型，其余为该类型的参数；记录中用 rule = "名称" 引用')
    scheme = {
        "type": "object",
        "description": "评分方案",
        "properties": {
            "title": {"type": "string", "description": "方案名称"},
            "basis": {"type": "string", "description": "依据（文件名称与原文）"},
            "grade_bands": {"type": "string", "description": "使用的等级分数段名称（默认 national4）"},
            "max_score": {"type": "number", "minimum": 0, "description": "满分（默认 100 以外时填写，如苏州 80）"},
            "binding_weights": {
                "type": "boolean",
                "description": "true：表上印定了一级指标的分值（如苏州 投入26/产出24/结果22/影响力8），分值不同的记录在公开页面"
                "显示警告；不写或 false：方案的分值只是常用分值，不同时只提示编辑",
            },
            "defaults": {
                "type": "object",
                "description": "未写 rule 的指标使用的默认规则",
                "properties": {
                    "quantitative": {"type": "string", "description": "目标值含数字时的默认规则名称"},
                    "qualitative": {"type": "string", "description": "目标值为文字时的默认规则名称"},
                },
                "additionalProperties": True,
            },
            "template": {
                "type": "array",
                "description": "指标体系模板：每项一个分支（new 命令据此生成示例指标）",
                "items": {
                    "type": "object",
                    "properties": {
                        "path": {**path, "description": "分支路径"},
                        "weight": {
                            "type": "number",
                            "minimum": 0,
                            "description": "写了分值的项本身就是末级指标（如 预算执行率 10 分）",
                        },
                        "rule": {"type": "string", "description": "该分支下指标的默认规则名称"},
                    },
                    "required": ["path"],
                    "additionalProperties": True,
                },
            },
            "groups": {
                "type": "array",
                "description": "上级指标的分值（写入新记录的 [[group]]）",
                "items": {
                    "type": "object",
                    "properties": {
                        "path": {**path, "description": "指标路径"},
                        "weight": {"type": "number", "minimum": 0, "description": "分值"},
                        "split": {
                            "type": "string",
                            "enum": ["equal"],
                            "description": "equal：下级未写分值的指标平均分摊本级分值",
                        },
                    },
                    "required": ["path"],
                    "additionalProperties": True,
                },
            },
        },
        "additionalProperties": True,
    }
    return {
        "$schema": DRAFT,
        "$id": "https://perf-disclosure.invalid/schema/scheme.schema.json",
        "title": "评分方案库",
        "description": "评分方案、等级分数段和命名规则（projects/schemes/*.toml）。",
        "x-tombi-toml-version": "v1.0.0",
        "type": "object",
        "properties": {
            "grade_bands": {
                "type": "object",
                "description": "[grade_bands.名称]：等级分数段",
                "additionalProperties": grade_bands,
            },
            "rules": {"type": "object", "description": "[rules.名称]：命名规则", "additionalProperties": rule},
            "schemes": {"type": "object", "description": "[schemes.名称]：评分方案", "additionalProperties": scheme},
        },
        "additionalProperties": False,  # schemes._add_file rejects other top-level tables (E125)
    }


def dumps(schema: dict) -> str:
    """Stable text for committing: sorted nowhere (property order is the model's), UTF-8, LF, final newline."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def outputs() -> dict[str, str]:
    """Default path → generated text, for every schema file."""
    return {RECORD_SCHEMA_PATH: dumps(record_schema()), SCHEME_SCHEMA_PATH: dumps(scheme_schema())}
