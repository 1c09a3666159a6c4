"""The pre-commit hook as an editor installs it: pre-commit (from PyPI) clones this repository at a commit,
installs the tool in its own environment (the light install: no site stack) and checks a records repository
whose records folder is not called projects. A broken record stops the commit; a fixed one passes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RECORD = Path("2021") / "caidian-jincai.toml"


def _git(cwd: Path, *argv: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t")
    env["GIT_COMMITTER_EMAIL"] = "t@example.org"
    proc = subprocess.run(["git", *argv], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return proc.stdout.strip()


@pytest.fixture(scope="module")
def tool_repo(tmp_path_factory) -> tuple[Path, str]:
    """This working tree as a repository of its own, committed: pre-commit installs from a commit."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path_factory.mktemp("tool")
    listed = _git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z").split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "tool")
    return repo, _git(repo, "rev-parse", "HEAD")


def _pre_commit(records: Path, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), NO_COLOR="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    for key in ("PYTHONPATH", "GENERATOR_DEBUG", "VIRTUAL_ENV"):
        env.pop(key, None)
    argv = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"]
    return subprocess.run(argv, cwd=records, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600)


def test_hook_checks_a_records_folder_of_any_name(tool_repo, tmp_path):
    pytest.importorskip("pre_commit", reason="the test extra installs pre-commit")
    tool, rev = tool_repo
    records = tmp_path / "记录仓库"
    shutil.copytree(ROOT / "projects", records / "records")
    (records / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {tool}\n    rev: {rev}\n    hooks:\n      - id: perf-disclosure-validate\n        args: [records]\n",
        encoding="utf-8",
    )
    good = (records / "records" / RECORD).read_text(encoding="utf-8")
    assert "\nyear = 2021\n" in good
    (records / "records" / RECORD).write_text(good.replace("\nyear = 2021\n", '\nyear = "2021"\n', 1), encoding="utf-8")
    _git(records, "init", "-q")
    _git(records, "add", "-A")
    home = tmp_path / "pre-commit-home"

    broken = _pre_commit(records, home)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "校验绩效评价记录" in broken.stdout and "Failed" in broken.stdout and "Skipped" not in broken.stdout
    assert f"records/{RECORD.as_posix()}:" in broken.stdout and "E102" in broken.stdout

    (records / "records" / RECORD).write_text(good, encoding="utf-8")
    _git(records, "add", "-A")
    fixed = _pre_commit(records, home)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Passed" in fixed.stdout

    # the hook's environment is the light install: the tool and tomli, no site stack
    installed = {
        p.name.split("-")[0].lower() for p in home.glob("repo*/py_env-*/lib/python*/site-packages/*.dist-info")
    }
    assert {"perf_disclosure", "tomli"} <= installed
    assert not installed & {"mkdocs", "mkdocs_material", "jinja2", "markdown_it_py", "openpyxl", "python_docx"}
