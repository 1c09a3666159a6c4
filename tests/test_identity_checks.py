"""Identity and text checks (issue 10, item 6): ids and file names that can be web addresses, a plausible year,
no invisible characters that change how text reads, department pages that do not collide, orphan narratives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "projects" / "2021" / "dapeng-treasury-funds"


@pytest.fixture
def records(tmp_path):
    folder = tmp_path / "projects" / "2021"
    folder.mkdir(parents=True)
    for suffix in (".toml", ".md"):
        shutil.copy(SEED.with_suffix(suffix), folder / f"dapeng-treasury-funds{suffix}")
    return tmp_path / "projects"


def codes(run_cli, records) -> list[tuple[str, str, int]]:
    proc = run_cli("validate", records, "--format", "json")
    return [(d["code"], Path(d["file"]).name, d["line"]) for d in json.loads(proc.stdout)["diagnostics"]]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_seed_passes_them_all(run_cli, records):
    assert not [c for c in codes(run_cli, records) if c[0] in ("E128", "E129", "E130", "E131", "W132", "E133", "W134")]


@pytest.mark.parametrize("bad_id", ["../../etc", "Dapeng", "da peng", "大鹏", "a" * 65])
def test_id_must_be_a_web_address_part(run_cli, records, bad_id):
    toml = records / "2021" / "dapeng-treasury-funds.toml"
    edit(toml, 'id = "dapeng-treasury-funds"', f'id = "{bad_id}"')
    assert any(c[0] == "E128" and c[1] == toml.name for c in codes(run_cli, records))


@pytest.mark.parametrize("stem", ["Dapeng", "da peng", "大鹏资金"])
def test_file_name_must_be_a_web_address_part(run_cli, records, stem):
    for suffix in (".toml", ".md"):
        (records / "2021" / f"dapeng-treasury-funds{suffix}").rename(records / "2021" / f"{stem}{suffix}")
    assert any(c[0] == "E129" and c[1] == f"{stem}.toml" for c in codes(run_cli, records))


def test_year_beyond_range(run_cli, tmp_path, records):
    folder = records / "99999999"
    (records / "2021").rename(folder)
    edit(folder / "dapeng-treasury-funds.toml", "year = 2021", "year = 99999999")
    found = codes(run_cli, records)
    assert any(c[0] == "E130" for c in found)


def test_bidi_override_is_an_error_and_zero_width_a_warning(run_cli, records):
    toml = records / "2021" / "dapeng-treasury-funds.toml"
    text = toml.read_text(encoding="utf-8")
    line = text[: text.index('name = "')].count("\n") + 1
    edit(toml, 'name = "', 'name = "\u202e')
    edit(records / "2021" / "dapeng-treasury-funds.md", "\n", "\n零\u200b宽\n")
    found = codes(run_cli, records)
    assert ("E131", "dapeng-treasury-funds.toml", line) in found
    assert ("W132", "dapeng-treasury-funds.md", 2) in found


def test_two_department_names_that_make_one_page(run_cli, records):
    other = records / "2021" / "dapeng-second.toml"
    shutil.copy(records / "2021" / "dapeng-treasury-funds.toml", other)
    shutil.copy(records / "2021" / "dapeng-treasury-funds.md", other.with_suffix(".md"))
    edit(other, 'id = "dapeng-treasury-funds"', 'id = "dapeng-second"')
    text = other.read_text(encoding="utf-8")
    department = text.split('department = "', 1)[1].split('"', 1)[0]
    first = records / "2021" / "dapeng-treasury-funds.toml"
    edit(first, f'department = "{department}"', f'department = "{department}/预算科"')
    edit(other, f'department = "{department}"', f'department = "{department} 预算科"')  # both: …-预算科
    found = codes(run_cli, records)
    assert [c[1] for c in found if c[0] == "E133"] == ["dapeng-treasury-funds.toml"]  # the second in file order


def test_orphan_narrative(run_cli, records):
    (records / "2021" / "forgotten.md").write_text("## 报告\n", encoding="utf-8")
    (records / "README.md").write_text("# 说明\n", encoding="utf-8")  # notes at the top are not narratives
    found = codes(run_cli, records)
    assert ("W134", "forgotten.md", 1) in found
    assert not any(c[1] == "README.md" for c in found)


def test_budget_zero_with_money_executed(run_cli, records):
    toml = records / "2021" / "dapeng-treasury-funds.toml"
    text = toml.read_text(encoding="utf-8")
    budget = text.split("[budget]", 1)[1]
    key = "budget" if "\nbudget = " in budget else "initial"
    value = budget.split(f"\n{key} = ", 1)[1].split("\n", 1)[0]
    edit(toml, f"\n{key} = {value}\n", f"\n{key} = 0\n")
    assert any(c[0] == "W310" for c in codes(run_cli, records))


def test_declared_total_with_no_indicators(run_cli, records):
    toml = records / "2021" / "dapeng-treasury-funds.toml"
    text = toml.read_text(encoding="utf-8")
    head, _, _ = text.partition("\n[[indicator]]")
    groups = head.split("\n[[group]]")[0]
    toml.write_text(groups + "\n", encoding="utf-8")
    found = codes(run_cli, records)
    assert any(c[0] == "W220" for c in found), found


# ---------------------------------------------------------------------------- former file names (issue 13)


def _former(records, slugs: str) -> Path:
    toml = records / "2021" / "dapeng-treasury-funds.toml"
    edit(toml, 'status = "published"\n', f'status = "published"\nformer_slugs = {slugs}\n')
    return toml


def test_former_file_names_that_are_fine(run_cli, records):
    _former(records, '["dapeng-funds", "dapeng-funds"]')
    assert not [c for c in codes(run_cli, records) if c[0] in ("E127", "E135")]


@pytest.mark.parametrize("bad", ["Dapeng-Funds", "大鹏", "../x", "dapeng-treasury-funds", "a" * 81])
def test_former_file_name_must_be_an_earlier_web_address(run_cli, records, bad):
    toml = _former(records, f'["ok-name", "{bad}"]')
    line = toml.read_text(encoding="utf-8").split("\n").index(f'former_slugs = ["ok-name", "{bad}"]') + 1
    assert [c for c in codes(run_cli, records) if c[0] == "E135"] == [("E135", toml.name, line)]


def test_former_file_name_that_is_another_records_page(run_cli, records):
    other = records / "2021" / "dapeng-second.toml"
    shutil.copy(records / "2021" / "dapeng-treasury-funds.toml", other)
    edit(other, 'id = "dapeng-treasury-funds"', 'id = "dapeng-second"')
    edit(other, 'evaluation = "部门评价"', 'evaluation = "财政评价"')  # not a duplicate (E120)
    toml = _former(records, '["dapeng-second"]')
    found = codes(run_cli, records)
    assert [c[:2] for c in found if c[0] in ("E120", "E127")] == [("E127", toml.name)]
