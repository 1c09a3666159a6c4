"""Editor support offline: the TOML language servers' command lines (tombi and taplo, from their PyPI wheels)
check records with the repository's configs and local schemas on a machine that reaches no network, as in a
government office. Every address is sent to a closed local port, so any fetch fails at once; the control cases
show that a fetch would indeed have failed, so a pass means the configs never fetch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.render.guide_pages import WRITTEN_GUIDE_DIR

ROOT = Path(__file__).resolve().parent.parent
RECORD = "projects/2021/caidian-jincai.toml"
CLOSED = "http://127.0.0.1:9"  # the discard port: nothing listens there


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A records repository with the editor configs this repository ships, and one broken record."""
    for name in ("taplo.toml", "tombi.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    shutil.copytree(ROOT / "projects", tmp_path / "projects")
    good = (tmp_path / RECORD).read_text(encoding="utf-8")
    assert '\nevaluation = "单位自评"\n' in good
    broken = good.replace('\nevaluation = "单位自评"\n', '\nevaluation = "自评"\n', 1)
    (tmp_path / "projects" / "2021" / "broken.toml").write_text(broken, encoding="utf-8")
    return tmp_path


def offline(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(
        {k: CLOSED for k in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")}
    )
    env.update(NO_COLOR="1", HOME=str(cwd / ".home"))  # no cache of an earlier online run
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)


def _line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_tombi_checks_records_offline(repo):
    tombi = _tool("tombi")
    good = offline([tombi, "lint", "projects/2021/caidian-jincai.toml", "projects/2024"], repo)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "fetch" not in good.stdout + good.stderr
    bad = offline([tombi, "lint", "projects/2021/broken.toml"], repo)
    assert bad.returncode == 1
    line = _line_of(repo / "projects/2021/broken.toml", 'evaluation = "自评"')
    assert f"projects/2021/broken.toml:{line}:" in bad.stdout + bad.stderr
    assert "单位自评" in bad.stdout + bad.stderr  # the schema's allowed values: the local schema was used
    assert "fetch" not in bad.stdout + bad.stderr


def test_tombi_without_the_catalog_line_stops_offline(repo):
    """The control: tombi's default catalog is online, and offline it stops before checking anything."""
    tombi = _tool("tombi")
    config = (repo / "tombi.toml").read_text(encoding="utf-8")
    assert "\ncatalog = { paths = [] }\n" in config
    (repo / "tombi.toml").write_text(config.replace("\ncatalog = { paths = [] }\n", "\n"), encoding="utf-8")
    proc = offline([tombi, "lint", "projects/2021/broken.toml"], repo)
    assert proc.returncode != 0
    assert "failed to fetch catalog" in proc.stdout + proc.stderr
    assert "单位自评" not in proc.stdout + proc.stderr


def test_taplo_checks_records_offline(repo):
    taplo = _tool("taplo")
    good = offline([taplo, "lint", RECORD, "projects/2024/fumin-finance-platforms.toml"], repo)
    assert good.returncode == 0, good.stdout + good.stderr
    bad = offline([taplo, "lint", "projects/2021/broken.toml"], repo)
    assert bad.returncode == 1
    line = _line_of(repo / "projects/2021/broken.toml", 'evaluation = "自评"')
    assert f"broken.toml:{line}:" in bad.stdout + bad.stderr
    assert "单位自评" in bad.stdout + bad.stderr


def test_taplo_with_online_catalogs_fails_offline(repo):
    """The control: asking taplo for its online catalogs (what the VS Code extension does unless
    .vscode/settings.json turns them off) fails here."""
    taplo = _tool("taplo")
    proc = offline([taplo, "lint", "--default-schema-catalogs", RECORD], repo)
    assert proc.returncode != 0


def test_vscode_turns_off_online_schema_catalogs():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["evenBetterToml.schema.catalogs"] == []


def test_editor_guide_names_the_offline_settings():
    page = (WRITTEN_GUIDE_DIR / "editor.md").read_text(encoding="utf-8")
    for needle in ("catalog = { paths = [] }", '"evenBetterToml.schema.catalogs": []', ".vscode/settings.json"):
        assert needle in page, needle
