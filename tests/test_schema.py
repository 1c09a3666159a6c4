"""The JSON Schema editors use: committed copy == generated, model and schema in sync, seeds valid."""

from __future__ import annotations

import datetime as _dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import tomli as tomllib  # tomllib is Python ≥ 3.11; the project supports 3.10
from jsonschema import Draft202012Validator

from generator.authoring import json_schema as js
from generator.core.fields import RECORD_FIELDS, RULE_FIELDS
from generator.core.rules import KINDS
from generator.core.structure import COLUMNS

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(p for p in (ROOT / "projects").glob("[0-9][0-9][0-9][0-9]/*.toml"))


def _json_value(v):
    """TOML values as a TOML language server hands them to JSON Schema: dates become ISO strings."""
    if isinstance(v, dict):
        return {k: _json_value(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_json_value(x) for x in v]
    if isinstance(v, (_dt.datetime, _dt.date, _dt.time)):
        return v.isoformat()
    if isinstance(v, Decimal):
        return float(v)
    return v


def _validator(schema: dict) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def record_schema() -> dict:
    return js.record_schema()


@pytest.fixture(scope="module")
def validator(record_schema):
    return _validator(record_schema)


def _errors(validator, text: str) -> list[str]:
    return [e.message for e in validator.iter_errors(_json_value(tomllib.loads(text)))]


# ---------------------------------------------------------------------------- committed == generated


@pytest.mark.parametrize("path, text", sorted(js.outputs().items()))
def test_committed_schema_is_current(path, text):
    committed = ROOT / path
    assert committed.is_file(), f"{path} is missing: run python -m generator schema"
    assert committed.read_text(encoding="utf-8") == text, (
        f"{path} is stale: run python -m generator schema and commit it"
    )


def test_schema_check_command(run_cli, tmp_path):
    proc = run_cli("schema", "--check")
    assert proc.returncode == 0, proc.stderr
    stale = tmp_path / "record.schema.json"
    stale.write_text("{}\n", encoding="utf-8")
    proc = run_cli("schema", "--check", "--out", stale, "--scheme-out", tmp_path / "missing.json")
    assert proc.returncode == 1
    assert "不一致" in proc.stderr and "不存在" in proc.stderr and "python -m generator schema" in proc.stderr


def test_schema_command_writes_files(run_cli, tmp_path):
    out, scheme_out = tmp_path / "s" / "r.json", tmp_path / "s" / "s.json"
    proc = run_cli("schema", "--out", out, "--scheme-out", scheme_out)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == js.record_schema()
    assert json.loads(scheme_out.read_text(encoding="utf-8")) == js.scheme_schema()
    proc = run_cli("schema", "--out", "-", "--scheme-out", "-")
    assert json.loads(proc.stdout) == js.record_schema()


def test_schemas_are_valid_draft_2020_12():
    for schema in (js.record_schema(), js.scheme_schema()):
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)


def test_schema_text_is_stable_and_chinese():
    text = js.dumps(js.record_schema())
    assert text == js.dumps(js.record_schema()) and text.endswith("}\n")
    assert "项目名称" in text and "\\u" not in text  # UTF-8, not escaped


# ---------------------------------------------------------------------------- model ⇄ schema


def _model_paths(fields, prefix=()) -> set[tuple]:
    out = set()
    for f in fields:
        p = prefix + (f.name,)
        out.add(p)
        if f.kind in ("table", "tables"):
            out |= _model_paths(f.fields, p)
        if f.kind == "rules":
            out |= _model_paths(RULE_FIELDS, p + ("*",))
        if f.kind == "rule":
            out |= _model_paths(RULE_FIELDS, p)
        if f.kind == "quantity":  # a target or actual may be written as its three columns
            out |= {p + (column,) for column in COLUMNS}
    return out


def _object_of(node: dict) -> dict | None:
    """The object schema below a property: the table itself, an array's items, or an anyOf branch."""
    if node.get("type") == "object" and "properties" in node:
        return node
    if node.get("type") == "array" and isinstance(node.get("items"), dict) and node["items"].get("type") == "object":
        return node["items"]
    for branch in node.get("anyOf", []):
        if branch.get("type") == "object" and "properties" in branch:
            return branch
    if node.get("type") == "object" and isinstance(node.get("additionalProperties"), dict):
        return None
    return None


def _schema_paths(node: dict, prefix=()) -> set[tuple]:
    out = set()
    for name, sub in node.get("properties", {}).items():
        p = prefix + (name,)
        out.add(p)
        obj = _object_of(sub)
        if obj is not None:
            out |= _schema_paths(obj, p)
        elif sub.get("type") == "object" and isinstance(sub.get("additionalProperties"), dict):
            out |= _schema_paths(sub["additionalProperties"], p + ("*",))
    return out


def test_every_model_field_is_in_the_schema_and_vice_versa(record_schema):
    model = _model_paths(RECORD_FIELDS)
    schema = _schema_paths(record_schema)
    assert model - schema == set(), "fields in record_schema.py missing from the JSON Schema"
    assert schema - model == set(), "properties in the JSON Schema that the model does not have"


def _at(schema: dict, *path: str) -> dict:
    node = schema
    for name in path:
        if name == "*":
            node = node["additionalProperties"]
            continue
        obj = _object_of(node) if "properties" not in node else node
        node = obj["properties"][name]
    return node


def _walk_fields(fields, prefix=()):
    for f in fields:
        yield prefix + (f.name,), f
        if f.kind in ("table", "tables"):
            yield from _walk_fields(f.fields, prefix + (f.name,))


def test_required_descriptions_and_choices_follow_the_model(record_schema):
    for path, f in _walk_fields(RECORD_FIELDS):
        node = _at(record_schema, *path)
        assert f.description in node["description"], path
        parent = _at(record_schema, *path[:-1]) if len(path) > 1 else record_schema
        parent = _object_of(parent) or parent
        assert (f.name in parent.get("required", [])) == f.required, path
        if f.kind == "enum":
            assert node["enum"] == list(f.choices), path
        if f.minimum is not None and f.kind in ("int", "number"):
            number = next((b for b in node.get("anyOf", []) if b.get("type") in ("integer", "number")), node)
            assert number["minimum"] == f.minimum, path
        if f.unpublished_ok and f.kind != "str":  # the marker is one more alternative
            assert {"type": "string", "enum": ["未公布"]}.items() <= node["anyOf"][-1].items(), path


def test_rule_kind_enum_is_the_registry(record_schema):
    rules = _at(record_schema, "rules")
    assert rules["additionalProperties"]["properties"]["kind"]["enum"] == list(KINDS)
    inline = next(b for b in _at(record_schema, "indicator", "rule")["anyOf"] if b.get("type") == "object")
    assert inline["properties"]["kind"]["enum"] == list(KINDS)
    assert inline["required"] == ["kind"]


def test_unknown_keys_rejected_everywhere(record_schema):
    def objects(node):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                yield node
            for v in node.values():
                yield from objects(v)
        elif isinstance(node, list):
            for v in node:
                yield from objects(v)

    tables = list(objects(record_schema))
    assert len(tables) >= 10
    assert all(t["additionalProperties"] is False for t in tables)


# ---------------------------------------------------------------------------- validation with jsonschema


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_records_validate_against_the_schema(path, validator):
    assert _errors(validator, path.read_text(encoding="utf-8")) == []


def test_builtin_scheme_library_validates_against_the_scheme_schema():
    v = _validator(js.scheme_schema())
    data = tomllib.loads((ROOT / "generator" / "core" / "builtin_schemes.toml").read_text(encoding="utf-8"))
    assert [e.message for e in v.iter_errors(_json_value(data))] == []


HEAD = (ROOT / "projects" / "2021" / "bayannur-treasury-epay.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "old, new",
    [
        ('date = "2021"', 'date = "2021-08"'),
        ('date = "2021"', "date = 2021-08-31"),
        ('date = "2021"', "date = 2021-08-31T09:30:00"),
        ('date = "2021"', "date = 2021"),
        ('status = "published"', 'status = "published"\npublish_date = 2022-03-01'),
        ('rule = "budget_execution"', 'rule = { kind = "budget_execution", full_at = 95, per_point_pct = 1 }'),
        ('target = "1 项"', "target = 1"),
        ('path = ["产出指标"]\nweight = 50', 'path = "产出指标"\nweight = 50'),
    ],
    ids=[
        "year-month",
        "toml-date",
        "toml-datetime",
        "integer-year",
        "publish-date",
        "inline-rule",
        "numeric-target",
        "path-string",
    ],
)
def test_schema_accepts_what_the_validator_accepts(validator, old, new):
    assert old in HEAD
    assert _errors(validator, HEAD.replace(old, new, 1)) == []


@pytest.mark.parametrize(
    "old, new, fragment",
    [
        ("year = 2021", 'year = "2021"', "is not valid under any"),
        ('evaluation = "单位自评"', 'evaluation = "自评"', "is not one of"),
        ('date = "2021"', 'date = "2021/08"', "is not valid under any"),
        ('date = "2021"', 'date = "2021-13-01"', "is not valid under any"),
        ('name = "国库集中支付电子化服务"', 'name = "国库集中支付电子化服务"\nweigth = 1', "Additional properties"),
        ('rule = "budget_execution"', 'rule = { kind = "stairs" }', "is not valid under any"),
        ("weight = 5\nscore = 5", "weight = -5\nscore = 5", "is not valid under any"),
        ('id = "bayannur-treasury-epay"\n', "", "'id' is a required property"),
    ],
    ids=[
        "year-string",
        "evaluation",
        "date-slash",
        "date-month-13",
        "unknown-key",
        "rule-kind",
        "negative-weight",
        "missing-id",
    ],
)
def test_schema_rejects_what_the_validator_rejects(validator, old, new, fragment, tmp_path, write_record):
    assert old in HEAD
    text = HEAD.replace(old, new, 1)
    errors = _errors(validator, text)
    assert any(fragment in e for e in errors), errors
    # …and the validator agrees: the same change is an error there too
    from generator.core.pipeline import run

    path = write_record(tmp_path, text, name="bayannur-treasury-epay")
    assert not run([str(path.parent.parent)]).ok


# ---------------------------------------------------------------------------- "未公布" (issue 11)

UNPUBLISHED_ALLOWED = [
    ('department = "巴彦淖尔市财政局"', 'department = "未公布"'),
    ('evaluator = "巴彦淖尔市财政综合保障中心"', 'evaluator = "未公布"'),
    ('date = "2021"', 'date = "未公布"'),
    ("year = 2021", 'year = "未公布"\nfiled_year = 2021'),
    ("total = 80", 'total = "未公布"'),
    ("weight = 5\nscore = 5", 'weight = "未公布"\nscore = "未公布"'),
    ('target = "1 项"', 'target = "未公布"'),
    (
        "budget = 22.5\narrived = 22.5\nexecuted = 0\nrate = 0",
        'budget = "未公布"\narrived = 22.5\nexecuted = "未公布"\nrate = "未公布"',
    ),
    ("total = 80", 'total = 80\nnarrative = "未公布"'),
    ("[[indicator]]", '[form]\nexcerpt = "表格在第 2 页后截断"\nmax_score = 100\n\n[[indicator]]'),
]


@pytest.mark.parametrize("old, new", UNPUBLISHED_ALLOWED, ids=lambda v: v.split(" ")[0].strip("[").strip())
def test_schema_accepts_not_published_where_the_format_allows_it(validator, old, new, tmp_path, write_record):
    assert old in HEAD
    text = HEAD.replace(old, new, 1)
    assert _errors(validator, text) == []
    # …and the validator loads it the same way: no error, the record is checked and reported
    from generator.core.pipeline import run

    narrative = None if "narrative =" in new else "## 一、概况\n正文\n"
    path = write_record(tmp_path, text, narrative, name="bayannur-treasury-epay")
    result = run([str(path.parent.parent)])
    assert result.ok, [d.to_text() for d in result.diagnostics if d.severity.value == "error"]
    assert len(result.evaluations) == 1


@pytest.mark.parametrize(
    "old, new",
    [
        ('status = "published"', 'status = "published"\npublish_date = "未公布"'),  # a filing fact, not the source's
        ('path = ["产出指标"]\nweight = 50', 'path = ["产出指标"]\nweight = "未公布"'),  # a group's weight: omit it
        ("total = 80", 'total = 80\nnarrative = "没有"'),
        ("total = 80", 'total = 80\nmax_score = "未公布"'),
    ],
    ids=["publish-date", "group-weight", "narrative-other", "max-score"],
)
def test_schema_rejects_not_published_elsewhere(validator, old, new, tmp_path, write_record):
    assert old in HEAD
    text = HEAD.replace(old, new, 1)
    assert _errors(validator, text) != []
    from generator.core.pipeline import run

    path = write_record(tmp_path, text, name="bayannur-treasury-epay")
    assert not run([str(path.parent.parent)]).ok


def test_record_files_carry_the_schema_line():
    for path in SEEDS:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "#:schema ../../schema/record.schema.json", path
        assert (path.parent / first.split(" ", 1)[1]).resolve() == (ROOT / js.RECORD_SCHEMA_PATH).resolve()


def _glob(path: str, pattern: str) -> bool:
    """Glob matching as tombi does it (Rust glob crate): `**/` spans zero or more folders, `*` stays within one."""
    rx, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            rx, i = rx + "(?:[^/]*/)*", i + 3
        elif pattern.startswith("**", i):
            rx, i = rx + ".*", i + 2
        elif pattern[i] == "*":
            rx, i = rx + "[^/]*", i + 1
        elif pattern[i] == "[":
            j = pattern.index("]", i)
            rx, i = rx + pattern[i : j + 1], j + 1
        else:
            rx, i = rx + re.escape(pattern[i]), i + 1
    return re.fullmatch(rx, path) is not None


def test_editor_associations_cover_records_but_not_schemes():
    taplo = tomllib.loads((ROOT / "taplo.toml").read_text(encoding="utf-8"))
    record_rule = next(r for r in taplo["rule"] if r["schema"]["path"].endswith("record.schema.json"))
    assert "projects/**/*.toml" in record_rule["include"]
    assert "projects/schemes/**" in record_rule["exclude"]
    assert (ROOT / record_rule["schema"]["path"]).is_file()
    scheme_rule = next(r for r in taplo["rule"] if r["schema"]["path"].endswith("scheme.schema.json"))
    assert "projects/schemes/*.toml" in scheme_rule["include"]

    tombi = tomllib.loads((ROOT / "tombi.toml").read_text(encoding="utf-8"))
    by_path = {s["path"]: s["include"] for s in tombi["schemas"]}
    assert (ROOT / js.RECORD_SCHEMA_PATH).is_file() and (ROOT / js.SCHEME_SCHEMA_PATH).is_file()
    record_globs = by_path[js.RECORD_SCHEMA_PATH]
    for record in ("/w/projects/2021/x.toml", "projects/2021/x.toml", "projects/2021/sub/x.toml"):
        assert any(_glob(record, g) for g in record_globs), record
    assert not any(_glob("/w/projects/schemes/x.toml", g) for g in record_globs)
    assert any(_glob("/w/projects/schemes/x.toml", g) for g in by_path[js.SCHEME_SCHEMA_PATH])
