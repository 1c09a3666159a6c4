"""A bureau keeps its records and pages in its own repository and pins this tool as a dependency."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "projects" / "2021" / "dapeng-treasury-funds"


def _records_repo(tmp_path: Path) -> Path:
    root = tmp_path / "bureau-records"
    (root / "projects" / "2021").mkdir(parents=True)
    (root / "content").mkdir()
    for ext in (".toml", ".md"):
        shutil.copy(SEED.with_suffix(ext), root / "projects" / "2021" / f"{SEED.name}{ext}")
    (root / "content" / "about.md").write_text("# 关于本站\n\n本站由某区财政局维护。\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: 某区财政局绩效评价公开\n"
        "docs_dir: content\n"
        "theme:\n  name: material\n  language: zh\n  font: false\n"
        "plugins:\n  - disclosure:\n      records_dir: projects\n",
        encoding="utf-8",
    )
    return root


def test_site_builds_from_a_records_repository_outside_the_tool(tmp_path):
    root = _records_repo(tmp_path)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    site = root / "site"
    page = (site / "projects" / "2021" / "dapeng-treasury-funds" / "index.html").read_text(encoding="utf-8")
    assert "国库业务经费" in page and "96.5" in page
    # the tool's own theme assets and search index come with the package
    assert (site / "assets" / "pd.css").is_file()
    assert (site / "search" / "manifest.json").is_file()
    # the bureau's own page is there, and the sidebar stays short (no project pages listed)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert (site / "about" / "index.html").is_file()
    assert "关于本站" in home
    assert "dapeng-treasury-funds" not in home.split('class="md-sidebar', 1)[1].split("</nav>", 1)[0]


def test_cli_validates_a_records_directory_outside_the_tool(tmp_path):
    root = _records_repo(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "validate", str(root / "projects")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "W307" in proc.stdout
    assert "共检查 1 个记录文件" in proc.stdout
