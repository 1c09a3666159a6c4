"""A record's identity as the cross-record checks read it (generator.core.corpus), before any record is scored."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.corpus import read_identity
from generator.core.fields import EVALUATION_KINDS

ROOT = Path(__file__).resolve().parents[1]
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


@settings(max_examples=60, deadline=None)
@given(
    rid=text,
    name=text,
    year=st.integers(1990, 2100),
    evaluation=st.sampled_from(sorted(EVALUATION_KINDS)),
    department=st.one_of(st.none(), text),
    narrative=st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
)
def test_identity_is_read_from_the_top_level_keys(tmp_path_factory, rid, name, year, evaluation, department, narrative):
    head = [
        f"id = {_toml_string(rid)}",
        f"name = {_toml_string(name)}",
        f"year = {year}",
        f"evaluation = {_toml_string(evaluation)}",
    ]
    if department is not None:
        head.append(f"department = {_toml_string(department)}")
    # a multi-line string whose lines start with "[" must not be taken for the first table
    head.append('note = """\n[not a table]\n' + narrative.replace("\\", "").replace('"', "") + '\n"""')
    path = tmp_path_factory.mktemp("r") / "x.toml"
    path.write_text(
        "\n".join(head) + '\n\n[budget]\nunit = "万元"\n\n[[indicator]]\npath = ["产出"]\nname = "x"\n',
        encoding="utf-8",
    )
    identity = read_identity(str(path), "shown/x.toml")
    assert identity is not None
    assert (identity.id, identity.name, identity.year, identity.evaluation, identity.department) == (
        rid,
        name,
        year,
        evaluation,
        department,
    )
    assert identity.file == "shown/x.toml" and identity.path == str(path)


def test_every_shipped_record_has_an_identity():
    for toml in sorted((ROOT / "projects").rglob("*.toml")):
        if toml.parent.name == "schemes":
            continue
        identity = read_identity(str(toml))
        assert identity is not None, toml
        assert identity.locate(("id",))[0] >= 1


def test_unreadable_or_incomplete_records_have_none(tmp_path):
    cases = {
        "gbk.toml": 'id = "x"'.encode("gbk") + '\nname = "项目"'.encode("gbk"),
        "broken.toml": b'id = "x\nname = 1',
        "no-year.toml": 'id = "x"\nname = "n"\nevaluation = "单位自评"\n'.encode(),
        "year-text.toml": 'id = "x"\nname = "n"\nyear = "2021"\nevaluation = "单位自评"\n'.encode(),
        "kind.toml": 'id = "x"\nname = "n"\nyear = 2021\nevaluation = "自评"\n'.encode(),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        assert read_identity(str(tmp_path / name)) is None, name
    assert read_identity(str(tmp_path / "missing.toml")) is None
