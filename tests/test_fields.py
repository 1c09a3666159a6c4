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
        assert kind.expected and kind.example
        assert kind.nested == (kind.layout is not Layout.VALUE)


def test_a_kind_is_its_plain_name():
    """Readers that still compare a kind with its name ("tables") keep working."""
    assert FieldKind.TABLES == "tables" and {"tables": 1}[FieldKind.TABLES] == 1
    assert f"{FieldKind.STR}" == str(FieldKind.STR) == "str"
    assert [f.name for f in RECORD_FIELDS if f.kind == "tables"][:2] == ["group", "indicator"]


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


@pytest.mark.parametrize(
    "text, ok",
    [
        ("2021", True),
        ("2021-08", True),
        ("2021-08-31", True),
        ("2020-02-29", True),
        ("2021-02-29", False),
        ("2021-13", False),
        ("2021-00", False),
        ("2021-8", False),
        ("21-08", False),
        ("2021-08-31T10:00", False),
        ("", False),
    ],
)
def test_one_date_pattern(text, ok):
    assert is_date_text(text) is ok
    assert js.DATE_PATTERN == DATE_PATTERN  # the JSON Schema states the same pattern


# ---------------------------------------------------------------------------- a new field is one edit

_PROBE = r"""
import json, sys, tomli
from decimal import Decimal
from pathlib import Path
from generator.authoring import json_schema as js
from generator.authoring.new import render_record
from generator.authoring.toml_writer import dump_record, record_to_dict
from generator.core.fields import RECORD_FIELDS
from generator.core.pipeline import run
from generator.core.schemes import load_library

table, name, good, bad = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
head = Path(sys.argv[5]).read_text(encoding="utf-8")
where = f"[{table}]\n" if table else ""

def validate(value):
    folder = Path(sys.argv[6]) / "projects" / "2021"
    folder.mkdir(parents=True, exist_ok=True)
    text = head + "\n" + where + f"{name} = {json.dumps(value, ensure_ascii=False)}\n"
    (folder / "x.toml").write_text(text, encoding="utf-8")
    (folder / "x.md").write_text("## 一、概况\n正文\n", encoding="utf-8")
    return run([str(folder / "x.toml")])

ok = validate(good)
if not ok.evaluations: sys.exit("\n".join(d.to_text() for d in ok.diagnostics))
record = ok.evaluations[0].record
holder = getattr(record, table) if table else record
schema = js.record_schema()["properties"]
schema = schema[table]["properties"] if table else schema
scheme = load_library(None).schemes["national-self"]
new_text = render_record({"id": "x", "name": "", "year": 2021, "region": "", "department": "", "evaluation": "单位自评",
                          "evaluator": "", "date": "2021"}, scheme, "#:schema x")
print(json.dumps({
    "codes": sorted({d.code for d in ok.diagnostics}),
    "loaded": str(getattr(holder, name)),
    "bad": sorted({d.code for d in validate(bad).diagnostics}),
    "schema": name in schema,
    "dumped": tomli.loads(dump_record(record), parse_float=Decimal).get(table, {}).get(name) if table
              else tomli.loads(dump_record(record), parse_float=Decimal).get(name),
    "in_dict": name in (record_to_dict(record)[table] if table else record_to_dict(record)),
    "new": [line for line in new_text.splitlines() if line.startswith((f"{name} =", f"# {name} ="))],
}, ensure_ascii=False, default=str))
"""


@pytest.mark.parametrize(
    "model_line, after, table, name, good, bad, expect_bad, new_line",
    [
        # a text field of the record: checked, loaded, blank-checked, in the schema, written, offered by `new`
        (
            '    contact: str | None = spec(K.STR, "联系人")\n',
            '    grade: str | None = spec(K.STR, "公布的等级（原文写明时填写）", unpublished_ok=True)\n',
            "",
            "contact",
            "张三",
            "",
            "W130",
            '# contact = ""',
        ),
        # an amount in [budget]: a negative one is rejected like every amount
        (
            '    reserve: Decimal | None = _amount("预备费")\n',
            '    arrived: Decimal | None = _amount("到位资金")\n',
            "budget",
            "reserve",
            12.5,
            -1,
            "E106",
            "# reserve =",
        ),
    ],
)
def test_a_new_field_is_one_edit(
    tmp_path, record_head, model_line, after, table, name, good, bad, expect_bad, new_line
):
    """One line added to a copy of core/model.py, and loading, the checks, the JSON Schema, the TOML
    writer and `new` all know the field (the committed schema/ files are then regenerated by
    `python -m generator schema`)."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    copy = tmp_path / "src"
    shutil.copytree(root / "generator", copy / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    model = copy / "generator" / "core" / "model.py"
    text = model.read_text(encoding="utf-8")
    assert text.count(after) == 1
    model.write_text(text.replace(after, after + model_line), encoding="utf-8")  # the one edit
    (tmp_path / "head.toml").write_text(record_head, encoding="utf-8")
    import json

    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            _PROBE,
            table,
            name,
            json.dumps(good),
            json.dumps(bad),
            str(tmp_path / "head.toml"),
            str(tmp_path / "work"),
        ],
        cwd=str(tmp_path),
        env={"PYTHONPATH": str(copy), "PATH": ""},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert not {"E102", "E104"} & set(out["codes"]), out  # known, of the right type
    assert out["loaded"] == str(good)  # on the model object
    assert expect_bad in out["bad"]  # checked like every field of its kind
    assert out["schema"] and out["in_dict"] and str(out["dumped"]) == str(good)
    assert out["new"] == [new_line]
