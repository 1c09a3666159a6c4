"""guide/fields.md: every field of the record format, from core.fields."""

from __future__ import annotations

from decimal import Decimal

from generator.core.decimals import fmt
from generator.core.fields import RECORD_FIELDS, RULE_FIELDS, Field
from generator.core.rules import rule_table_fields

from .data import generated_note, page, phrase, phrases
from .markdown import block, cell

_TABLE_KINDS = ("table", "tables", "rules")


def _type_text(f: Field, header: str) -> str:
    if f.kind in _TABLE_KINDS:
        return phrase(f"fields.type.{f.kind}", header=header)
    if f.number_as_text:
        return phrase("fields.number_as_text")
    return phrases("fields.type").get(f.kind, f.kind)


def _field_notes(f: Field) -> str:
    notes = [f.description]
    if f.choices:
        notes.append(phrase("fields.choices", choices="、".join(f"`{c}`" for c in f.choices)))
    if f.minimum is not None:
        notes.append(phrase("fields.minimum", minimum=fmt(Decimal(str(f.minimum)))))
    if f.example is not None:
        notes.append(phrase("fields.example", example=f.example))
    if f.unpublished_ok:
        notes.append(phrase("fields.unpublished"))
    return "；".join(notes)


def _field_table(fields: tuple[Field, ...], prefix: str) -> list[str]:
    rows = ["| 字段 | 类型 | 必填 | 说明 |", "|---|---|---|---|"]
    for f in fields:
        header = f"{prefix}.{f.name}" if prefix else f.name
        rows.append(
            f"| `{f.name}` | {cell(_type_text(f, header))} | {'必填' if f.required else ''} | {cell(_field_notes(f))} |"
        )
    return rows


def _table_title(f: Field, header: str) -> str:
    if f.kind == "table":
        return f"[{header}]"
    if f.kind == "tables":
        return f"[[{header}]]"
    return f"[{header}.名称]"


def _nested(fields: tuple[Field, ...], prefix: str, level: int) -> list[str]:
    out: list[str] = []
    for f in fields:
        if f.kind not in _TABLE_KINDS:
            continue
        header = f"{prefix}.{f.name}" if prefix else f.name
        out += ["", f"{'#' * level} `{_table_title(f, header)}` {f.description}", ""]
        if f.kind == "tables":
            out += [phrase("fields.tables_note", header=header), ""]
        if f.kind == "rules":
            out += [phrase("fields.rules_note"), ""]
            out += _field_table(rule_table_fields(), header)
            continue
        out += _field_table(f.fields, header)
        out += _nested(f.fields, header, level + 1)
    return out


def all_field_names() -> set[str]:
    """Every field name of the model, dotted (`budget.sources.name`), with rule fields as `rules.*.kind`."""
    names: set[str] = set()

    def walk(fields: tuple[Field, ...], prefix: str) -> None:
        for f in fields:
            dotted = f"{prefix}.{f.name}" if prefix else f.name
            names.add(dotted)
            if f.fields:
                walk(f.fields, dotted)
            if f.kind == "rules":
                walk(RULE_FIELDS, dotted + ".*")

    walk(RECORD_FIELDS, "")
    return names


def fields_page() -> str:
    """Every field of the record format, from core.fields.RECORD_FIELDS."""
    return page(
        "fields.md",
        generated_note=generated_note(),
        fields=block(_field_table(RECORD_FIELDS, "") + _nested(RECORD_FIELDS, "", 2)),
    )
