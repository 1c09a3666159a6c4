"""`python -m generator validate`: compiler-style text, JSON, exit status 0/1/2."""

from __future__ import annotations

import json
import re

import pytest

LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<label>错误|警告|提示) (?P<code>[EWI]\d{3}): (?P<message>.+)$"
)
SUMMARY = re.compile(r"^共检查 (\d+) 个记录文件：错误 (\d+) 个，警告 (\d+) 个，提示 (\d+) 个。$")
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
    *diag_lines, summary = lines
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
    assert "Traceback" not in proc.stderr


def test_text_lines_are_sorted(run_cli, bad_project):
    cwd, _ = bad_project
    proc = run_cli("validate", "projects", cwd=cwd)
    keys = [(m["file"], int(m["line"]), int(m["col"])) for m in map(LINE.match, proc.stdout.strip().split("\n")[:-1])]
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
    text = run_cli("validate", "projects", cwd=cwd).stdout.strip().split("\n")[:-1]
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
    m = SUMMARY.match(proc.stdout.strip().split("\n")[-1])
    assert m and m.group(1) == "5" and m.group(2) == "0"


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
