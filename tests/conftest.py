"""Shared fixtures for the records / validation / scoring tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

HEAD = """\
id = "test-project"
name = "测试项目"
year = 2021
region = "某省某市"
department = "某市财政局"
evaluation = "单位自评"
evaluator = "某市财政局"
date = "2021"
status = "published"
"""


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def record_head() -> str:
    """The required top-level fields of a record, valid as they stand."""
    return HEAD


@pytest.fixture(scope="session")
def write_record():
    """write_record(tmp_path, toml_text, md_text=…) → path of projects/<year>/<name>.toml under tmp_path.

    toml_text may be bytes (written as is, for encoding tests); md_text=None writes no narrative.
    """

    def write(
        base: Path,
        toml_text: str | bytes,
        md_text: str | bytes | None = "## 一、概况\n正文\n",
        *,
        name: str = "x",
        year: int | str = 2021,
    ) -> Path:
        folder = Path(base) / "projects" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.toml"
        data = toml_text if isinstance(toml_text, bytes) else toml_text.encode("utf-8")
        path.write_bytes(data)
        if md_text is not None:
            md = md_text if isinstance(md_text, bytes) else md_text.encode("utf-8")
            path.with_suffix(".md").write_bytes(md)
        return path

    return write


@pytest.fixture(scope="session")
def run_cli():
    """run_cli(*args, cwd=None) → CompletedProcess of `python -m generator …` (cwd defaults to the repo root)."""

    def run(*args: str, cwd: Path | str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env.pop("GENERATOR_DEBUG", None)
        env.pop("GITHUB_STEP_SUMMARY", None)
        return subprocess.run(
            [sys.executable, "-m", "generator", *map(str, args)],
            cwd=str(cwd or ROOT),
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
        )

    return run
