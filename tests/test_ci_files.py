"""The CI and publishing files shipped in the repo: they parse, say what the guide says, and their
commands that need neither the network nor GitHub/GitLab run here, from the repo root."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
PUBLISHING = ROOT / "content" / "guide" / "publishing.md"


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def workflow() -> dict:
    return _load(WORKFLOW)


@pytest.fixture(scope="module")
def gitlab() -> dict:
    return _load(GITLAB)


@pytest.fixture(scope="module")
def hooks() -> list:
    return _load(HOOKS)


# ---------------------------------------------------------------------------- GitHub Actions


def _triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true


def _steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def _runs(workflow: dict) -> list[str]:
    return [step["run"] for job in workflow["jobs"] for step in _steps(workflow, job) if "run" in step]


def test_workflow_triggers(workflow):
    on = _triggers(workflow)
    assert "pull_request" in on
    assert on["push"]["branches"] == ["main"]
    assert on["schedule"][0]["cron"]  # daily rebuild: records whose publish_date has come appear


def test_workflow_validates_and_builds_strictly(workflow):
    runs = _runs(workflow)
    assert "python -m generator validate projects --format github" in runs
    assert "python -m generator schema --check" in runs
    assert any(r.startswith("mkdocs build --strict") for r in runs)
    build = next(i for i, r in enumerate(runs) if r.startswith("mkdocs build"))
    assert runs.index("python -m generator validate projects --format github") < build  # validate before building


def test_workflow_deploys_pages_only_from_main(workflow):
    build = _steps(workflow, "build")
    upload = next(s for s in build if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@"))
    assert "refs/heads/main" in upload["if"] and "pull_request" in upload["if"]
    build_cmd = next(s["run"] for s in build if str(s.get("run", "")).startswith("mkdocs build"))
    assert upload["with"]["path"] == shlex.split(build_cmd)[shlex.split(build_cmd).index("--site-dir") + 1]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert "refs/heads/main" in deploy["if"] and "pull_request" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"]["cancel-in-progress"] is False
    assert any(str(s.get("uses", "")).startswith("actions/deploy-pages@") for s in deploy["steps"])
    assert workflow["permissions"] == {"contents": "read"}  # least privilege for pull requests
    assert "concurrency" in workflow


def test_workflow_actions_are_pinned_to_a_major_version(workflow):
    for job in workflow["jobs"]:
        for step in _steps(workflow, job):
            if "uses" in step:
                assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", step["uses"]), step["uses"]


# ---------------------------------------------------------------------------- GitLab CI


def test_gitlab_validate_on_merge_requests(gitlab):
    job = gitlab["validate"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert "python -m generator validate projects" in job["script"]
    assert any(s.startswith("mkdocs build --strict") for s in job["script"])


def test_gitlab_pages_job_publishes_public_from_the_default_branch(gitlab):
    job = gitlab["pages"]
    assert job["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert job["artifacts"]["paths"] == ["public"]
    build = next(s for s in job["script"] if s.startswith("mkdocs build"))
    assert "--strict" in build and shlex.split(build)[-2:] == ["--site-dir", "public"]
    assert job["script"].index("python -m generator validate projects") < job["script"].index(build)
    assert set(gitlab["stages"]) >= {job["stage"], gitlab["validate"]["stage"]}


# ---------------------------------------------------------------------------- pre-commit


def test_pre_commit_hook(hooks):
    (hook,) = hooks
    assert hook["id"] == "perf-disclosure-validate"
    assert hook["entry"] == "python -m generator validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in ("projects/2021/x.toml", "projects/2021/x.md", "projects/schemes/s.toml"):
        assert files.search(path), path
    for path in ("README.md", "content/guide/index.md", "generator/cli.py", "projects/2021/x.json"):
        assert not files.search(path), path


# ---------------------------------------------------------------------------- the commands run here


def _offline(command: str) -> bool:
    """Commands that need no network: everything but installing packages."""
    return "pip install" not in command


def _commands() -> list[tuple[str, str]]:
    out = []
    for r in _runs(_load(WORKFLOW)):
        out += [("github", line) for line in r.splitlines() if line.strip()]
    g = _load(GITLAB)
    for name, job in g.items():
        if isinstance(job, dict) and "script" in job:
            out += [(f"gitlab:{name}", line) for line in job["script"]]
    out += [("pre-commit", h["entry"]) for h in _load(HOOKS)]
    return [(where, c) for where, c in out if _offline(c)]


COMMANDS = sorted(set(_commands()))


def test_commands_are_found():
    kinds = {c.split()[0] for _, c in COMMANDS}
    assert kinds == {"python", "mkdocs"}, COMMANDS
    assert len({c for _, c in COMMANDS}) >= 4


def _argv(command: str, tmp_path: Path) -> list[str]:
    argv = shlex.split(command)
    if argv[0] == "python":
        argv[0] = sys.executable
    elif argv[0] == "mkdocs":
        argv = [sys.executable, "-m", "mkdocs", *argv[1:]]
    if "--site-dir" in argv:  # build into a temporary folder, not into the work tree
        argv[argv.index("--site-dir") + 1] = str(tmp_path / "site")
    return argv


_BUILD_CACHE: dict[str, subprocess.CompletedProcess] = {}


@pytest.mark.parametrize("where, command", COMMANDS, ids=[f"{w}:{c}" for w, c in COMMANDS])
def test_command_runs_here(where, command, tmp_path):
    if command.startswith("mkdocs") and not (ROOT / "mkdocs.yml").is_file():
        pytest.skip("no mkdocs.yml yet")
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1")
    env.pop("GENERATOR_DEBUG", None)
    summary = tmp_path / "step-summary.md"
    env["GITHUB_STEP_SUMMARY"] = str(summary)
    key = " ".join(shlex.split(command)[:2])
    if command.startswith("mkdocs") and key in _BUILD_CACHE:  # one strict build is enough for identical builds
        proc = _BUILD_CACHE[key]
    else:
        proc = subprocess.run(
            _argv(command, tmp_path), cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600
        )
        if command.startswith("mkdocs"):
            _BUILD_CACHE[key] = proc
            assert (tmp_path / "site" / "index.html").is_file() or proc.returncode != 0
    assert proc.returncode == 0, f"{command}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    if "--format github" in command:
        assert summary.read_text(encoding="utf-8").startswith("## 绩效评价记录校验结果")
        assert all(ln.startswith(("::", "共检查")) for ln in proc.stdout.splitlines())


# ---------------------------------------------------------------------------- documented in the guide


@pytest.mark.parametrize("path", [WORKFLOW, GITLAB, HOOKS], ids=lambda p: p.name)
def test_publishing_page_shows_the_files_verbatim(path):
    page = PUBLISHING.read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8").rstrip("\n") in page


def test_publishing_page_yaml_blocks_parse():
    page = PUBLISHING.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", page, flags=re.S)
    assert len(blocks) >= 6
    for block in blocks:
        yaml.safe_load(block)


def test_publishing_page_records_repository_setup():
    page = PUBLISHING.read_text(encoding="utf-8")
    for needle in (
        "{#records-repo}",
        "requirements.txt",
        "perf-disclosure @ git+",
        "records_dir: projects",
        "docs_dir: content",
        "python -m pip install -r requirements.txt",
        "pass_filenames: false",
        ".pre-commit-config.yaml",
        "upload-pages-artifact",
        "deploy-pages",
        "摘要页",
        "--site-dir public",
    ):
        assert needle in page, needle
