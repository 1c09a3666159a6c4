"""`python -m generator validate`: compiler-style text, JSON, exit status 0/1/2."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<label>错误|警告|提示) (?P<code>[EWI]\d{3}): (?P<message>.+)$"
)
SUMMARY = re.compile(r"^共检查 (\d+) 个记录文件：错误 (\d+) 个，警告 (\d+) 个，提示 (\d+) 个。$")
PUBLICATION = re.compile(
    r"^将发布 (\d+) 个，草稿 (\d+) 个，未到公开日期 (\d+) 个(?:（最早 (\d{4}-\d\d-\d\d) 公开）)?(?:，有错误暂不发布 (\d+) 个)?。$"
)
LABELS = {"E": "错误", "W": "警告", "I": "提示"}

BODY = """\
total = 12

[[indicator]]
path = ["产出指标", "数量指标"]
name = "支付笔数"
target = "≥24 万笔"
actual = "22.08 万笔"
weight = 10
score = 12
"""


def line_of(text: str, startswith: str) -> int:
    return next(i for i, ln in enumerate(text.split("\n"), start=1) if ln.startswith(startswith))


@pytest.fixture
def bad_project(tmp_path, write_record, record_head):
    """A record with an error (a required field left blank) and a warning (a score above its weight)."""
    text = record_head.replace('region = "某省某市"', 'region = ""') + BODY
    write_record(tmp_path, text)
    return tmp_path, text


def test_text_format_lines(run_cli, bad_project):
    cwd, text = bad_project
    proc = run_cli("validate", "projects", cwd=cwd)
    assert proc.returncode == 1
    lines = proc.stdout.strip().split("\n")
    *diag_lines, summary, publication = lines
    assert diag_lines
    parsed = [LINE.match(ln) for ln in diag_lines]
    assert all(parsed), diag_lines
    for m in parsed:
        assert m["file"] == "projects/2021/x.toml"
        assert m["label"] == LABELS[m["code"][0]]
    e101 = [m for m in parsed if m["code"] == "E101"]
    assert len(e101) == 1
    assert (int(e101[0]["line"]), int(e101[0]["col"])) == (line_of(text, "region ="), 1)
    assert diag_lines[[m["code"] for m in parsed].index("E101")] == (
        f"projects/2021/x.toml:{line_of(text, 'region =')}:1: 错误 E101: 尚未填写 region（地区，如 “江苏省苏州市”）。请照原文填写。"
    )
    assert diag_lines[[m["code"] for m in parsed].index("W243")] == (
        f"projects/2021/x.toml:{line_of(text, 'score =')}:1: 警告 W243: 指标“支付笔数”得分 12 超过分值 10。"
    )
    m = SUMMARY.match(summary)
    assert m and m.group(1) == "1" and int(m.group(2)) == sum(p["code"].startswith("E") for p in parsed)
    assert publication == "将发布 0 个，草稿 0 个，未到公开日期 0 个，有错误暂不发布 1 个。"
    assert "Traceback" not in proc.stderr


def test_text_lines_are_sorted(run_cli, bad_project):
    cwd, _ = bad_project
    proc = run_cli("validate", "projects", cwd=cwd)
    keys = [(m["file"], int(m["line"]), int(m["col"])) for m in map(LINE.match, proc.stdout.strip().split("\n")[:-2])]
    assert keys == sorted(keys)


def test_json_format(run_cli, bad_project):
    cwd, text = bad_project
    proc = run_cli("validate", "projects", "--format", "json", cwd=cwd)
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["files"] == ["projects/2021/x.toml"]
    assert set(data["summary"]) == {"error", "warning", "info"}
    for d in data["diagnostics"]:
        assert set(d) >= {"code", "severity", "file", "line", "column", "message"}
        assert isinstance(d["line"], int) and isinstance(d["column"], int)
    counts = {s: sum(d["severity"] == s for d in data["diagnostics"]) for s in ("error", "warning", "info")}
    assert counts == data["summary"]
    [e] = [d for d in data["diagnostics"] if d["code"] == "E101"]
    assert (e["file"], e["line"], e["severity"]) == ("projects/2021/x.toml", line_of(text, "region ="), "error")
    [w] = [d for d in data["diagnostics"] if d["code"] == "W243"]
    assert (w["file"], w["line"], w["severity"]) == ("projects/2021/x.toml", line_of(text, "score ="), "warning")


def test_text_and_json_agree(run_cli, bad_project):
    cwd, _ = bad_project
    text = run_cli("validate", "projects", cwd=cwd).stdout.strip().split("\n")[:-2]
    data = json.loads(run_cli("validate", "projects", "--format", "json", cwd=cwd).stdout)
    from_text = [(m["file"], int(m["line"]), int(m["col"]), m["code"], m["message"]) for m in map(LINE.match, text)]
    from_json = [(d["file"], d["line"], d["column"], d["code"], d["message"]) for d in data["diagnostics"]]
    assert from_text == from_json


def test_exit_0_with_warnings_only(run_cli, tmp_path, write_record, record_head):
    write_record(tmp_path, record_head + BODY.replace("score = 12", "score = 10").replace("total = 12", "total = 9"))
    proc = run_cli("validate", "projects", "--format", "json", cwd=tmp_path)
    data = json.loads(proc.stdout)
    assert data["summary"]["error"] == 0 and data["summary"]["warning"] >= 1
    assert proc.returncode == 0


def test_exit_0_on_seeds_and_default_path(run_cli):
    proc = run_cli("validate")  # defaults to projects/ in the current directory (the repository root)
    assert proc.returncode == 0
    *_, summary, publication = proc.stdout.strip().split("\n")
    m = SUMMARY.match(summary)
    assert m and m.group(1) == "5" and m.group(2) == "0"
    assert publication == "将发布 5 个，草稿 0 个，未到公开日期 0 个。"


def test_single_file_argument(run_cli, bad_project):
    cwd, _ = bad_project
    proc = run_cli("validate", "projects/2021/x.toml", cwd=cwd)
    assert proc.returncode == 1
    assert proc.stdout.startswith("projects/2021/x.toml:")


def test_exit_2_on_usage_error(run_cli):
    proc = run_cli("validate", "--format", "yaml")
    assert proc.returncode == 2
    assert "用法错误" in proc.stderr
    assert proc.stdout == ""


def test_report_exit_status(run_cli, bad_project):
    cwd, _ = bad_project
    proc = run_cli("report", "projects", "--format", "json", cwd=cwd)
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    [project] = data["projects"]
    assert any(d["code"] == "E101" for d in project["diagnostics"])
    assert any(d["code"] == "W243" for d in project["diagnostics"])
    # the leaf is still scored: 22.08 of 24 → 9.2
    assert project["indicators"][0]["computed_score"] == 9.2


# ---------------------------------------------------------------------------- what a build would publish

SITE_FIXTURES = Path(__file__).resolve().parent / "site" / "fixtures" / "projects"  # a draft and a record of 2099


@pytest.fixture
def seeds_with_withheld(tmp_path, repo_root, monkeypatch):
    """The shipped records plus a draft and a record to be published on 2099-12-31, validated on 2025-01-01."""
    shutil.copytree(repo_root / "projects", tmp_path / "projects")
    shutil.copytree(SITE_FIXTURES, tmp_path / "projects", dirs_exist_ok=True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01: "today" for validate as for the site
    return tmp_path


def test_validate_ends_with_what_a_build_would_publish(run_cli, seeds_with_withheld):
    proc = run_cli("validate", "projects", cwd=seeds_with_withheld)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    *_, summary, publication = proc.stdout.strip().split("\n")
    assert SUMMARY.match(summary) and SUMMARY.match(summary).group(1) == "7"
    assert publication == "将发布 5 个，草稿 1 个，未到公开日期 1 个（最早 2099-12-31 公开）。"


def test_json_and_github_carry_the_same_figures(run_cli, seeds_with_withheld):
    data = json.loads(run_cli("validate", "projects", "--format", "json", cwd=seeds_with_withheld).stdout)
    pub = data["publication"]
    assert (pub["published"], pub["drafts"], pub["embargoed"], pub["errors"]) == (5, 1, 1, 0)
    assert pub["date"] == "2025-01-01" and pub["next_publish_date"] == "2099-12-31"
    assert pub["draft_files"] == ["projects/2023/draft-qilin.toml"]
    assert pub["embargoed_files"] == [{"file": "projects/2023/future-fenghuang.toml", "publish_date": "2099-12-31"}]
    github = run_cli("validate", "projects", "--format", "github", cwd=seeds_with_withheld).stdout.splitlines()
    assert github[-1] == "::notice title=发布情况::将发布 5 个，草稿 1 个，未到公开日期 1 个（最早 2099-12-31 公开）。"
    assert SUMMARY.match(github[-2])


def test_embargo_counts_from_today(run_cli, tmp_path, write_record, record_head, monkeypatch):
    """The earliest date still to come is named; a date reached counts as published; a year alone is its 1 January."""
    for name, when in (("a", "2027-01-01"), ("b", "2030-06-15"), ("c", "2026")):
        head = record_head.replace('"test-project"', f'"test-{name}"')  # three projects, not one thrice (E120)
        fields = f'status = "published"\npublish_date = "{when}"\nscored = false'
        write_record(tmp_path, head.replace('status = "published"', fields), name=name)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01
    early = run_cli("validate", "projects", cwd=tmp_path).stdout.strip().split("\n")[-1]
    assert early == "将发布 0 个，草稿 0 个，未到公开日期 3 个（最早 2026-01-01 公开）。"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # 2027-01-01: a's day
    late = run_cli("validate", "projects", cwd=tmp_path).stdout.strip().split("\n")[-1]
    assert late == "将发布 2 个，草稿 0 个，未到公开日期 1 个（最早 2030-06-15 公开）。"
