"""A records repository holds only mkdocs.yml and its records (templates/records-repo/mkdocs.yml and a copy of
projects/): no pages folder, which git would not keep empty anyway. It builds with `mkdocs build --strict`;
the wheel carries the empty pages folder its mkdocs.yml names, and the editor guide, which every site publishes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from generator.render.guide_pages import GUIDE_PATHS, WRITTEN_GUIDE_PATHS

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "templates" / "records-repo"


def _records() -> list[Path]:
    return sorted((ROOT / "projects").glob("[0-9][0-9][0-9][0-9]/*.toml"))


def _repo(tmp_path: Path, mkdocs_yml: str | None = None) -> Path:
    repo = tmp_path / "records-repo"
    repo.mkdir()
    (repo / "mkdocs.yml").write_text(
        mkdocs_yml or (TEMPLATE / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    shutil.copytree(ROOT / "projects", repo / "projects")
    return repo


def _build(repo: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1764460800")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )


def test_records_only_repository_builds_strictly(tmp_path):
    repo = _repo(tmp_path)
    assert sorted(p.name for p in repo.iterdir()) == ["mkdocs.yml", "projects"]
    proc = _build(repo)
    assert proc.returncode == 0, proc.stderr[-3000:]
    site = repo / "site"
    for page in (
        "index.html",
        "projects/index.html",
        "years/index.html",
        "departments/index.html",
        "methodology/index.html",
        "data/index.html",
    ):
        assert (site / page).is_file(), page
    for record in _records():
        page = site / "projects" / record.parent.name / record.stem / "index.html"
        assert page.is_file(), page
        assert "<h1" in page.read_text(encoding="utf-8")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "某市项目支出绩效评价信息公开" in home  # the template's site_name
    assert (site / "search").is_dir()  # the site's own search index
    assert not list(site.rglob(".keep"))  # nothing from the empty pages folder
    # The editor guide ships with the tool: all of it, hand-written and generated pages, linked up (--strict).
    for path in GUIDE_PATHS:
        page = Path(path).with_suffix("")
        assert (site / (page.parent if page.name == "index" else page) / "index.html").is_file(), path
    assert 'href="records/"' in (site / "guide" / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in repo.iterdir()) == [
        "mkdocs.yml",
        "projects",
        "site",
    ]  # no folder made in the repository


def test_without_the_packaged_pages_folder_mkdocs_stops(tmp_path):
    """The control: MkDocs checks docs_dir before any plugin runs, so a missing folder stops the build."""
    text = (TEMPLATE / "mkdocs.yml").read_text(encoding="utf-8")
    line = "docs_dir: !!python/name:generator.mkdocs_plugin.no_pages.DOCS_DIR\n"
    assert line in text
    proc = _build(_repo(tmp_path, text.replace(line, "docs_dir: content\n")))
    assert proc.returncode != 0
    assert "docs_dir" in proc.stderr and "isn't an existing directory" in proc.stderr


def test_hand_written_pages_join_the_records(tmp_path):
    """The template's other way: a content/ folder with a page, named by docs_dir, adds that page."""
    text = (TEMPLATE / "mkdocs.yml").read_text(encoding="utf-8")
    repo = _repo(
        tmp_path,
        text.replace("docs_dir: !!python/name:generator.mkdocs_plugin.no_pages.DOCS_DIR\n", "docs_dir: content\n"),
    )
    (repo / "content").mkdir()
    (repo / "content" / "contact.md").write_text("# 联系我们\n\n财政局绩效科。\n", encoding="utf-8")
    proc = _build(repo)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "财政局绩效科" in (repo / "site" / "contact" / "index.html").read_text(encoding="utf-8")
    assert (repo / "site" / "projects" / "index.html").is_file()


def test_the_wheel_carries_the_empty_pages_folder(tmp_path):
    """An installed tool (not this checkout) has the folder that DOCS_DIR names; templates stay out of it."""
    src = tmp_path / "src"  # a copy: building writes build/ and *.egg-info beside the sources
    for name in ("generator", "templates"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    argv = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "dist"), str(src)]
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=300, env=env)  # built as pip installs it
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "generator/mkdocs_plugin/empty_docs/.keep" in names
    assert "generator/mkdocs_plugin/no_pages.py" in names
    for path in WRITTEN_GUIDE_PATHS:  # the guide's hand-written pages ship with the tool
        assert f"generator/render/guide/pages/{path.removeprefix('guide/')}" in names, path
    assert not any(n.startswith("templates/") for n in names)
