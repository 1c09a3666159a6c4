"""validate and Git history (issue 13, history): a published record whose figures changed since the merge base
with the default branch (or --since REF) without a new [[revisions]] entry gets W406 at the changed value; its
publish_date and earlier entries stay (W407); without history to compare with, one note (I408) on stderr says
why. Each test builds a small repository in a temporary folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.core import diagnostics as dg
from generator.core.figures import figures
from generator.core.git_history import check_history
from generator.core.loader import build_record, parse_toml
from generator.core.revisions import Base, compare_versions

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BUILD_DAY = "1735689600"  # SOURCE_DATE_EPOCH: 2025-01-01
BASE_DAY = "2024-10-01"  # the date of the commit on main

HEAD = """\
id = "demo"
name = "示例项目"
year = 2023
region = "某省某市"
department = "某市财政局"
evaluation = "单位自评"
evaluator = "某市财政局"
date = "2024-03"
status = "published"
publish_date = "2024-06-30"
total = 18

[budget]
budget = 100
executed = 90

[[indicator]]
path = ["产出"]
name = "系统故障率"
target = "≤1%"
actual = "0.5%"
weight = 10
score = 10

[[indicator]]
path = ["效益"]
name = "满意度"
target = "≥90%"
actual = "85%"
weight = 10
score = 8
reason = "满意度略低"
"""
RECORD = "projects/2023/demo.toml"
REVISION = """
[[revisions]]
date = {date}
note = "更正：指标“系统故障率”的公布得分由 10 分更正为 8 分（录入时抄错）"
"""


def git(repo: Path, *args: str, when: str = BASE_DAY) -> str:
    stamp = f"{when}T12:00:00+08:00"
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
        "GIT_AUTHOR_NAME": "编辑",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "编辑",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return proc.stdout.strip()


@pytest.fixture(autouse=True)
def build_day(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DAY)
    for name in ("CI_MERGE_REQUEST_DIFF_BASE_SHA", "GITHUB_BASE_REF"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def repo(tmp_path) -> Path:
    """A records repository: main holds the published record; the work tree is on branch `fix`."""
    root = tmp_path / "records"
    (root / "projects" / "2023").mkdir(parents=True)
    (root / RECORD).write_text(HEAD, encoding="utf-8")
    (root / RECORD).with_suffix(".md").write_text("## 一、概况\n\n正文\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "首次公开")
    git(root, "checkout", "-q", "-b", "fix")
    return root


def edit(repo: Path, old: str, new: str, path: str = RECORD) -> str:
    file = repo / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    file.write_text(text, encoding="utf-8")
    return text


def validate(run_cli, repo: Path, *args: str) -> tuple[list[dict], str, int]:
    """(diagnostics of `validate --format json`, its stderr, its exit status), run in the repository."""
    proc = run_cli("validate", "projects", "--format", "json", *args, cwd=repo)
    return json.loads(proc.stdout)["diagnostics"], proc.stderr, proc.returncode


def codes(diags: list[dict], *wanted: str) -> list[dict]:
    return [d for d in diags if d["code"] in wanted]


def line_of(text: str, needle: str, nth: int = 0) -> int:
    return [i for i, ln in enumerate(text.split("\n"), start=1) if ln.startswith(needle)][nth]


# ---------------------------------------------------------------------------- a changed figure


def test_a_changed_score_without_a_revision_warns_at_the_score(repo, run_cli):
    text = edit(repo, "score = 10", "score = 8")
    diags, stderr, status = validate(run_cli, repo)
    [w] = codes(diags, "W406", "W407")
    assert status == 0 and stderr == ""  # a warning: the record is still published
    assert (w["code"], w["file"], w["line"], w["severity"]) == ("W406", RECORD, line_of(text, "score = 8"), "warning")
    assert w["message"].startswith("指标“系统故障率”得分 10 → 8：")
    assert "main 的合并基点" in w["message"] and "[[revisions]]" in w["message"] and "2024-10-01" in w["message"]


def test_a_new_revision_dated_since_the_base_silences_it(repo, run_cli):
    edit(repo, "score = 10", "score = 8")
    (repo / RECORD).write_text(
        (repo / RECORD).read_text(encoding="utf-8") + REVISION.format(date="2024-10-01"), encoding="utf-8"
    )
    diags, stderr, _ = validate(run_cli, repo)
    assert codes(diags, "W406", "W407") == [] and stderr == ""


def test_a_revision_dated_before_the_base_does_not_count(repo, run_cli):
    edit(repo, "score = 10", "score = 8")
    (repo / RECORD).write_text(
        (repo / RECORD).read_text(encoding="utf-8") + REVISION.format(date="2024-09-30"), encoding="utf-8"
    )
    diags, _, _ = validate(run_cli, repo)
    [w] = codes(diags, "W406")
    assert "新增的修订记录日期 2024-09-30 早于该版本的日期 2024-10-01" in w["message"]


def test_committed_changes_on_the_branch_are_compared_too(repo, run_cli):
    edit(repo, "executed = 90", "executed = 95")
    git(repo, "commit", "-q", "-am", "改执行数", when="2024-11-02")
    [w] = codes(validate(run_cli, repo)[0], "W406")
    assert w["message"].startswith("预算表中的全年执行数 90 → 95：")


@pytest.mark.parametrize(
    "old, new, figure",
    [
        ('target = "≤1%"', 'target = "≤2%"', "指标“系统故障率”指标值 ≤1% → ≤2%"),
        ('actual = "85%"', 'actual = "88%"', "指标“满意度”完成值 85% → 88%"),
        ("weight = 10\nscore = 8", "weight = 20\nscore = 8", "指标“满意度”分值 10 → 20"),
        ("total = 18", "total = 20", "总分 18 → 20"),
        ("budget = 100", "budget = 120", "预算表中的全年预算数 100 → 120"),
        ("score = 8", 'score = "未公布"', "指标“满意度”得分 8 → 未公布"),
    ],
    ids=["target", "actual", "weight", "total", "budget", "未公布"],
)
def test_every_kind_of_figure_is_compared(repo, run_cli, old, new, figure):
    edit(repo, old, new)
    found = [d["message"] for d in codes(validate(run_cli, repo)[0], "W406")]
    assert any(m.startswith(figure + "：") for m in found), found


def test_text_changes_are_not_figures(repo, run_cli):
    edit(repo, 'reason = "满意度略低"', 'reason = "满意度略低于目标"')
    edit(repo, "score = 10", "score = 10.0")  # the same number, written otherwise
    (repo / RECORD).with_suffix(".md").write_text("## 一、概况\n\n改过的正文\n", encoding="utf-8")
    diags, stderr, _ = validate(run_cli, repo)
    assert codes(diags, "W406", "W407") == [] and stderr == ""


def test_a_draft_or_a_new_record_changes_freely(repo, run_cli):
    edit(repo, 'status = "published"', 'status = "draft"')
    git(repo, "commit", "-q", "-am", "草稿")
    git(repo, "checkout", "-q", "-B", "main")  # main now holds the draft
    git(repo, "checkout", "-q", "-b", "again")
    edit(repo, "score = 10", "score = 8")
    edit(repo, 'status = "draft"', 'status = "published"')
    new = repo / "projects" / "2023" / "other.toml"
    new.write_text(HEAD.replace('id = "demo"', 'id = "other"'), encoding="utf-8")
    new.with_suffix(".md").write_text("## 一、概况\n\n正文\n", encoding="utf-8")
    assert codes(validate(run_cli, repo)[0], "W406", "W407") == []


def test_an_embargoed_record_changes_freely(repo, run_cli):
    edit(repo, 'publish_date = "2024-06-30"', 'publish_date = "2025-06-30"')
    git(repo, "commit", "-q", "-am", "推迟公开")
    git(repo, "checkout", "-q", "-B", "main")
    edit(repo, "score = 10", "score = 8")
    assert codes(validate(run_cli, repo)[0], "W406", "W407") == []


def test_a_renamed_record_is_compared_with_its_old_file(repo, run_cli):
    git(repo, "mv", RECORD, "projects/2023/demo-renamed.toml")
    git(repo, "mv", RECORD.replace(".toml", ".md"), "projects/2023/demo-renamed.md")
    edit(repo, "score = 10", "score = 8", path="projects/2023/demo-renamed.toml")
    [w] = codes(validate(run_cli, repo)[0], "W406")
    assert w["file"] == "projects/2023/demo-renamed.toml"


def test_many_changes_are_listed_up_to_ten_then_counted(repo, run_cli):
    rows = "".join(
        f'\n[[indicator]]\npath = ["产出"]\nname = "指标{i}"\ntarget = "≥1"\nactual = "1"\nweight = 0\nscore = 0\n'
        for i in range(12)
    )
    (repo / RECORD).write_text(HEAD + rows, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "十二个指标")
    git(repo, "checkout", "-q", "-B", "main")
    git(repo, "checkout", "-q", "-b", "more")
    (repo / RECORD).write_text(HEAD + rows.replace('actual = "1"', 'actual = "2"'), encoding="utf-8")
    found = codes(validate(run_cli, repo)[0], "W406")
    assert len(found) == 11
    assert sum("另有 2 个数字也改动了（共 12 个" in d["message"] for d in found) == 1


# ---------------------------------------------------------------------------- the history itself


def test_a_changed_publish_date_or_a_removed_revision_is_rewritten_history(repo, run_cli):
    (repo / RECORD).write_text(HEAD + REVISION.format(date="2024-08-01"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "修订")
    git(repo, "checkout", "-q", "-B", "main")
    git(repo, "checkout", "-q", "-b", "rewrite")
    text = edit(repo, 'publish_date = "2024-06-30"', 'publish_date = "2024-11-30"')
    diags, _, _ = validate(run_cli, repo)
    [moved] = codes(diags, "W407")
    assert moved["line"] == line_of(text, "publish_date") and "由 2024-06-30 改为 2024-11-30" in moved["message"]
    edit(repo, 'publish_date = "2024-11-30"', 'publish_date = "2024-06-30"')
    edit(repo, "date = 2024-08-01", "date = 2024-08-02")
    [removed] = codes(validate(run_cli, repo)[0], "W407")
    assert "2024-08-01" in removed["message"] and "被改动或删除" in removed["message"]


# ---------------------------------------------------------------------------- --since and CI


def test_since_compares_with_the_version_given(repo, run_cli):
    edit(repo, "score = 10", "score = 8")
    git(repo, "commit", "-q", "-am", "改得分", when="2024-11-02")
    assert len(codes(validate(run_cli, repo, "--since", "main")[0], "W406")) == 1
    assert codes(validate(run_cli, repo, "--since", "HEAD")[0], "W406") == []  # nothing changed since HEAD
    tag = git(repo, "rev-parse", "main")
    [w] = codes(validate(run_cli, repo, "--since", tag[:10])[0], "W406")
    assert f"{tag[:10]} 的合并基点 {tag[:7]}（2024-10-01）" in w["message"]


def test_an_unknown_since_is_said_and_skipped(repo, run_cli):
    edit(repo, "score = 10", "score = 8")
    diags, stderr, status = validate(run_cli, repo, "--since", "no-such-branch")
    assert codes(diags, "W406") == [] and status == 0
    assert stderr.startswith("提示 I408: ") and "找不到 --since 指定的版本 no-such-branch" in stderr


def test_a_merge_request_base_from_gitlab(repo):
    """GitLab gives the merge base of a merge request; its pipelines fetch no other branch."""
    base = git(repo, "rev-parse", "main")
    git(repo, "branch", "-q", "-m", "main", "elsewhere")  # no default branch to find
    edit(repo, "score = 10", "score = 8")
    paths, records = [str(repo / "projects")], [str(repo / RECORD)]
    assert check_history(paths, records, env={}).skipped is not None
    found = check_history(paths, records, env={"CI_MERGE_REQUEST_DIFF_BASE_SHA": base})
    assert [d.code for d in found.diagnostics] == ["W406"] and "合并请求目标分支的合并基点" in found.diagnostics[
        0
    ].message


def test_a_pull_request_target_from_github(repo):
    git(repo, "branch", "-q", "-m", "main", "trunk")
    git(repo, "update-ref", "refs/remotes/origin/trunk", "trunk")
    git(repo, "branch", "-q", "-D", "trunk")
    edit(repo, "score = 10", "score = 8")
    found = check_history([str(repo / "projects")], [str(repo / RECORD)], env={"GITHUB_BASE_REF": "trunk"})
    assert [d.code for d in found.diagnostics] == ["W406"] and "origin/trunk 的合并基点" in found.diagnostics[0].message


# ---------------------------------------------------------------------------- no history to compare with


def test_outside_a_repository_one_note_on_stderr(tmp_path, run_cli):
    folder = tmp_path / "plain"
    (folder / "projects" / "2023").mkdir(parents=True)
    (folder / RECORD).write_text(HEAD, encoding="utf-8")
    (folder / RECORD).with_suffix(".md").write_text("## 一、概况\n\n正文\n", encoding="utf-8")
    diags, stderr, status = validate(run_cli, folder)  # stdout is still the JSON document alone
    assert status == 0 and codes(diags, "W406", "W407", "I408") == []
    assert stderr.count("\n") == 1 and stderr.startswith("提示 I408: ") and "记录不在 Git 仓库中" in stderr


def test_a_shallow_clone_without_the_base_says_so(repo, tmp_path, run_cli):
    edit(repo, "score = 10", "score = 8")
    git(repo, "commit", "-q", "-am", "改得分", when="2024-11-02")
    git(repo, "commit", "-q", "--allow-empty", "-m", "再一次", when="2024-11-03")
    git(repo, "checkout", "-q", "main")  # the default branch a clone's origin/HEAD names
    clone = tmp_path / "clone"
    for single in ("--single-branch", "--no-single-branch"):  # without main, and with main but not the merge base
        shutil.rmtree(clone, ignore_errors=True)
        git(tmp_path, "clone", "-q", "--depth", "1", single, "--branch", "fix", repo.as_uri(), str(clone))
        diags, stderr, _ = validate(run_cli, clone)
        assert codes(diags, "W406") == []
        assert stderr.startswith("提示 I408: ") and "浅克隆" in stderr and "fetch-depth: 0" in stderr, stderr
    git(clone, "fetch", "-q", "--unshallow")  # what fetch-depth: 0 gives
    diags, stderr, _ = validate(run_cli, clone)
    assert stderr == "" and len(codes(diags, "W406")) == 1


def test_without_git_installed(repo, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    found = check_history([str(repo / "projects")], [str(repo / RECORD)], env={})
    assert found.diagnostics == [] and found.skipped is not None
    assert found.skipped.code == "I408" and "没有安装 git" in found.skipped.message


# ---------------------------------------------------------------------------- read only, and only what changed


def test_nothing_is_written(repo, run_cli):
    edit(repo, "score = 10", "score = 8")
    status = git(repo, "status", "--porcelain")
    before = {p: p.stat().st_mtime_ns for p in repo.rglob("*") if p.is_file()}
    assert codes(validate(run_cli, repo)[0], "W406")
    assert {p: p.stat().st_mtime_ns for p in repo.rglob("*") if p.is_file()} == before  # .git/index included
    assert git(repo, "status", "--porcelain") == status


def test_only_changed_records_are_read_from_history(repo, monkeypatch):
    for i in range(5):
        other = repo / "projects" / "2023" / f"other-{i}.toml"
        other.write_text(HEAD.replace('id = "demo"', f'id = "other-{i}"'), encoding="utf-8")
        other.with_suffix(".md").write_text("## 一、概况\n\n正文\n", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "更多记录")
    git(repo, "checkout", "-q", "-B", "main")
    git(repo, "checkout", "-q", "-b", "one")
    edit(repo, "score = 10", "score = 8", path="projects/2023/other-3.toml")
    read: list[str] = []
    import generator.core.git_history as gh

    original = gh.old_record
    monkeypatch.setattr(gh, "old_record", lambda data, shown: read.append(shown) or original(data, shown))
    records = sorted(str(p) for p in (repo / "projects").rglob("*.toml"))
    found = check_history([str(repo / "projects")], records, env={})
    assert read == [str(repo / "projects" / "2023" / "other-3.toml")]
    assert [d.code for d in found.diagnostics] == ["W406"]


# ---------------------------------------------------------------------------- figures, without git


def _record(text: str):
    raw, _ = parse_toml(text, "x.toml")
    record, _ = build_record(raw, text, "x.toml", "x.toml", [])
    assert record is not None
    return record


def test_figures_keep_their_identity_when_rows_move():
    new_row = '[[indicator]]\npath = ["产出"]\nname = "新指标"\nweight = 5\nscore = 5\n\n'
    moved = HEAD.replace("[[indicator]]", new_row + "[[indicator]]", 1)
    assert set(figures(_record(HEAD))) < set(figures(_record(moved)))
    diags = compare_versions(_record(HEAD), _record(moved), Base(dt_date(BASE_DAY), "main"), dt_date("2025-01-01"))
    # only the new row's figures; the rows below it moved, and are not reported
    assert sorted(d.message.split("：")[0] for d in diags) == [
        "指标“新指标”分值 （无此项） → 5",
        "指标“新指标”得分 （无此项） → 5",
    ]


def test_compare_versions_names_removed_figures():
    smaller = HEAD.split('\n[[indicator]]\npath = ["效益"]')[0] + "\n"
    diags = compare_versions(_record(HEAD), _record(smaller), Base(dt_date(BASE_DAY), "main"), dt_date("2025-01-01"))
    assert {d.message.split("：")[0] for d in diags} == {
        "指标“满意度”指标值 ≥90% → （无此项）",
        "指标“满意度”完成值 85% → （无此项）",
        "指标“满意度”分值 10 → （无此项）",
        "指标“满意度”得分 8 → （无此项）",
    }
    assert all(d.severity is dg.Severity.WARNING for d in diags)


def dt_date(text: str):
    import datetime as dt

    return dt.date.fromisoformat(text)
