"""The light install (`pip install perf-disclosure`, what pre-commit's hook installs): tomli only.
`validate`, `report`, `new` and `schema` work with it; the other commands say in Chinese which extra to
install. Each case runs the command line in a fresh interpreter where the extras' modules cannot be imported,
as on a machine that installed only the base package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli.missing import missing_part

ROOT = Path(__file__).resolve().parent.parent

# Every top-level module the site and office extras bring (pyproject.toml); importing one fails as if absent.
EXTRA_MODULES = (
    "jinja2",
    "markupsafe",
    "markdown_it",
    "mdurl",
    "mkdocs",
    "material",
    "pymdownx",
    "markdown",
    "yaml",
    "watchdog",
    "openpyxl",
    "et_xmlfile",
    "docx",
    "lxml",
)

_LIGHT = """
import sys
BLOCKED = set(sys.argv[1].split(","))

class Absent:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Absent())
from generator.cli.main import main
sys.exit(main(sys.argv[2:]))
"""


def light(*argv: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("GENERATOR_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-c", _LIGHT, ",".join(EXTRA_MODULES), *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


def test_validate_works_on_the_light_install():
    proc = light("validate", "projects")
    assert proc.returncode == 0, proc.stderr
    assert "共检查 5 个记录文件" in proc.stdout
    # nothing on stderr but, where this tree has no Git history (an unpacked archive), validate's I408 note
    assert [ln for ln in proc.stderr.splitlines() if not ln.startswith("提示 I408: ")] == []


def test_validate_finds_errors_on_the_light_install(tmp_path):
    records = tmp_path / "records" / "2021"
    records.mkdir(parents=True)
    source = (ROOT / "projects" / "2021" / "caidian-jincai.toml").read_text(encoding="utf-8")
    (records / "caidian-jincai.toml").write_text(source.replace("year = 2021", 'year = "2021"', 1), encoding="utf-8")
    proc = light("validate", str(tmp_path / "records"))
    assert proc.returncode == 1
    assert "E10" in proc.stdout and "caidian-jincai.toml:" in proc.stdout


@pytest.mark.parametrize(
    "argv",
    [("report", "projects", "--format", "json"), ("report", "projects", "--public"), ("schema", "--check")],
    ids=" ".join,
)
def test_other_light_commands_work(argv):
    proc = light(*argv)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout and "Traceback" not in proc.stderr


def test_new_works_on_the_light_install(tmp_path):
    proc = light(
        "new", "--scheme", "national-self", "--year", "2024", "--id", "light-check", "--records-dir", str(tmp_path)
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "2024" / "light-check.toml").is_file()


def _says_install(proc: subprocess.CompletedProcess, extra: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert f"python -m pip install 'perf-disclosure[{extra}]'" in proc.stderr
    assert "精简版本" in proc.stderr and "未做任何改动" in proc.stderr
    assert "Traceback" not in proc.stderr and "内部错误" not in proc.stderr


def test_generate_names_the_site_extra(tmp_path):
    proc = light("generate", "projects", "--out", str(tmp_path / "out"))
    _says_install(proc, "site")
    assert "命令 generate" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_preview_names_the_site_extra():
    _says_install(light("preview"), "site")


def test_import_names_the_office_extra(tmp_path):
    form = tmp_path / "自评表.xlsx"
    form.write_bytes(b"PK\x03\x04")  # never read: the importer's modules are missing first
    proc = light("import", str(form), "--out", str(tmp_path / "out"), "--id", "x-1")
    _says_install(proc, "office")
    assert not (tmp_path / "out").exists()


def test_a_missing_module_of_no_extra_is_an_internal_error():
    """Only the extras' modules get the install hint; anything else is the tool's fault and says so."""
    assert missing_part("validate", "generator.core.nothing") is None
    assert missing_part("validate", "tomli") is None  # the base install brings it
    assert missing_part("generate", None) is None
    assert "perf-disclosure[site]" in (missing_part("generate", "jinja2.sandbox") or "")


OFFICE_MODULES = ("openpyxl", "et_xmlfile", "docx", "lxml")


def test_the_site_builds_without_the_office_extra(tmp_path):
    """`pip install perf-disclosure[site]`: mkdocs build writes every page and each record's form (.xlsx)
    without the office extra. The blocker is a sitecustomize module, so MkDocs' worker processes get it too."""
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(
        _LIGHT.split("from generator.cli.main")[0].replace("sys.argv[1]", repr(",".join(OFFICE_MODULES))),
        encoding="utf-8",
    )
    repo = tmp_path / "records-repo"
    repo.mkdir()
    shutil.copy(ROOT / "templates" / "records-repo" / "mkdocs.yml", repo / "mkdocs.yml")
    shutil.copytree(ROOT / "projects", repo / "projects")
    env = dict(os.environ, PYTHONPATH=f"{blocker}{os.pathsep}{ROOT}", NO_MKDOCS_2_WARNING="1")
    probe = subprocess.run([sys.executable, "-c", "import openpyxl"], env=env, capture_output=True, text=True)
    assert probe.returncode == 1 and "No module named 'openpyxl'" in probe.stderr  # the blocker works
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    forms = list((repo / "site").rglob("*.xlsx"))
    assert len(forms) >= 5, forms
