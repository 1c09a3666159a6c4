"""The field model: kinds as typed values, fields declared once on the model, one date pattern."""
from __future__ import annotations

import dataclasses

import pytest

from generator.authoring import json_schema as js
from generator.core import structure
from generator.core.field_types import DATE_PATTERN, FieldKind, Layout, declared, is_date_text, spec
from generator.core.fields import INDICATOR_FIELDS, RECORD_FIELDS, RULE_FIELDS, sub_fields
from generator.core.model import Indicator, Record


def test_every_kind_is_checked_and_described():
    """A kind's behaviour lives with it or in one table per job, each covering every kind."""
    assert set(structure._CHECKS) == set(FieldKind)
    assert set(js._SCHEMAS) == set(FieldKind)
    for kind in FieldKind:
        assert kind.expected and kind.title and kind.example
        assert kind.nested == (kind.layout is not Layout.VALUE)


def test_a_kind_is_its_plain_name():
    """Readers that still compare a kind with its name ("tables") keep working."""
    assert FieldKind.TABLES == "tables" and {"tables": 1}[FieldKind.TABLES] == 1
    assert f"{FieldKind.STR}" == str(FieldKind.STR) == "str"
    assert [f.name for f in RECORD_FIELDS if f.kind == "tables"] == ["group", "indicator"]


def test_fields_are_the_model_declarations():
    """RECORD_FIELDS is read from the model: names, order and nesting follow the dataclasses."""
    assert [f.name for f in RECORD_FIELDS][:3] == ["id", "name", "year"]
    assert [d.attr for d in declared(Record) if d.field.name in ("group", "indicator")] == ["groups", "indicators"]
    assert sub_fields(RECORD_FIELDS, "indicator") is INDICATOR_FIELDS  # one tuple per table, shared
    assert [f.name for f in INDICATOR_FIELDS] == [d.attr for d in declared(Indicator)]
    assert not {"index", "file", "slug", "toml_text"} & {d.attr for d in declared(Record) + declared(Indicator)}
    number_as_text = {f.name for f in INDICATOR_FIELDS if f.number_as_text}
    assert number_as_text == {"target", "actual", "level"}
    assert sub_fields(RECORD_FIELDS, "monitoring", "indicator")[2].number_as_text  # monitoring target


def test_a_table_field_names_its_dataclass():
    with pytest.raises(ValueError, match="needs the dataclass"):
        spec(FieldKind.TABLES, "无")
    optional = spec(FieldKind.STR, "可选")
    required = spec(FieldKind.STR, "必填", required=True)
    assert optional.default is None and required.default is dataclasses.MISSING


def test_rule_fields_are_declared_here():
    assert [f.name for f in RULE_FIELDS][0] == "kind"
    assert all(isinstance(f.kind, FieldKind) for f in RULE_FIELDS)


@pytest.mark.parametrize("text, ok", [
    ("2021", True), ("2021-08", True), ("2021-08-31", True), ("2020-02-29", True), ("2021-02-29", False),
    ("2021-13", False), ("2021-00", False), ("2021-8", False), ("21-08", False), ("2021-08-31T10:00", False), ("", False),
])
def test_one_date_pattern(text, ok):
    assert is_date_text(text) is ok
    assert js.DATE_PATTERN == DATE_PATTERN  # the JSON Schema states the same pattern
