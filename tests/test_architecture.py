"""The stages depend on each other one way only: core ← render ← publish ← site-engine adapters and commands.

Every import in every module counts, those inside functions too (relative ones resolved)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "generator"

# package → what its modules must never import (first-party sub-packages and third-party site engines)
ADAPTERS = ("generator.mkdocs_plugin", "generator.cli", "generator.bench")  # site engine, commands, benchmark
ENGINES = ("mkdocs", "material")
FORBIDDEN = {
    "core": (
        "generator.render",
        "generator.publish",
        *ADAPTERS,
        "generator.office",
        "generator.authoring",
        *ENGINES,
        "jinja2",
    ),
    "render": ("generator.publish", *ADAPTERS, *ENGINES),
    "publish": (*ADAPTERS, *ENGINES),
    "office": ("generator.render", "generator.publish", *ADAPTERS, "mkdocs"),
    "authoring": ("generator.render", "generator.publish", *ADAPTERS, "mkdocs"),
}


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the module at `path`."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    module = ".".join(parts[:-1] if path.name == "__init__.py" else parts)  # a package's own name, without __init__
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.append((node.lineno, name))
            found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]  # `from generator import render`
    return found


def _violations(stage: str) -> list[str]:
    bad = []
    for path in sorted((PACKAGE / stage).rglob("*.py")):
        for line, name in imports_of(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[stage]):
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}")
    return bad


@pytest.mark.parametrize("stage", sorted(FORBIDDEN))
def test_stage_imports_only_earlier_stages(stage):
    assert _violations(stage) == []


def test_the_check_sees_a_violation(tmp_path, monkeypatch):
    """The rule is not vacuous: a core module importing the renderer is caught, inside a function too."""
    fake = tmp_path / "generator"
    (fake / "core").mkdir(parents=True)
    (fake / "core" / "bad.py").write_text(
        "def f():\n    from ..render import project\n    import mkdocs.plugins\n", encoding="utf-8"
    )
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    assert _violations("core") == [
        "generator/core/bad.py:2 imports generator.render",
        "generator/core/bad.py:2 imports generator.render.project",
        "generator/core/bad.py:3 imports mkdocs.plugins",
    ]


# ---------------------------------------------------------------------------- the light install (issue 15)
# `pip install perf-disclosure` brings tomli only (pyproject.toml): the core and every module the light
# commands can reach, lazily imported ones too, import nothing else from outside the standard library.
BASE_DEPENDENCIES = {"tomli"}
# what [site] brings (with what its packages bring and the tool imports directly: markupsafe, watchdog)
SITE_DEPENDENCIES = {"jinja2", "markupsafe", "markdown_it", "mkdocs", "material", "pymdownx", "watchdog", "yaml"}
SITE_BUILD = ("generator.mkdocs_plugin.plugin", "generator.cli.generate", "generator.cli.preview")
LIGHT_COMMANDS = (
    "generator.cli.main",
    "generator.cli.validate",
    "generator.cli.report",
    "generator.cli.new",
    "generator.cli.schema",
)


def _module_file(name: str, package: Path) -> Path | None:
    path = package.parent.joinpath(*name.split("."))
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    return path.with_suffix(".py") if path.with_suffix(".py").is_file() else None


def third_party_reached(start: str) -> set[tuple[str, str]]:
    """(third-party top-level module, first-party module importing it) over every first-party module that
    `start` imports, transitively, with its parent packages."""
    package = PACKAGE
    seen: set[str] = set()
    found: set[tuple[str, str]] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        path = _module_file(name, package)
        if name in seen or path is None:
            continue
        seen.add(name)
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]
        for _, imported in imports_of(path):
            top = imported.split(".")[0]
            if top == package.name:
                while imported and _module_file(imported, package) is None:  # `from pkg import name`: the module
                    imported = imported.rpartition(".")[0]
                todo.append(imported)
            elif top not in sys.stdlib_module_names and top != "__future__":
                found.add((top, name))
    return found


def test_core_imports_only_the_base_dependencies():
    bad = set()
    for path in sorted((PACKAGE / "core").rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        bad |= {(top, m) for top, m in third_party_reached(module) if top not in BASE_DEPENDENCIES}
    assert bad == set()


@pytest.mark.parametrize("command", LIGHT_COMMANDS)
def test_light_commands_reach_only_the_base_dependencies(command):
    assert {(top, m) for top, m in third_party_reached(command) if top not in BASE_DEPENDENCIES} == set()


@pytest.mark.parametrize("entry", SITE_BUILD)
def test_the_site_build_reaches_only_the_site_extra(entry):
    """mkdocs build, generate and preview run with `pip install perf-disclosure[site]`: no office modules."""
    allowed = BASE_DEPENDENCIES | SITE_DEPENDENCIES
    assert {(top, m) for top, m in third_party_reached(entry) if top not in allowed} == set()


def test_the_reach_check_sees_a_lazy_import_two_modules_away(tmp_path, monkeypatch):
    fake = tmp_path / "generator"
    (fake / "cli").mkdir(parents=True)
    (fake / "render").mkdir()
    for init in (fake, fake / "cli", fake / "render"):
        (init / "__init__.py").write_text("", encoding="utf-8")
    (fake / "cli" / "validate.py").write_text("def run():\n    from generator.render import env\n", encoding="utf-8")
    (fake / "render" / "env.py").write_text("import jinja2\nimport json\nimport tomli\n", encoding="utf-8")
    (fake / "office").mkdir()  # a package's __init__ runs on importing any of its modules
    (fake / "office" / "__init__.py").write_text("from .grid import g\n", encoding="utf-8")
    (fake / "office" / "grid.py").write_text("import openpyxl\n", encoding="utf-8")
    (fake / "office" / "writer.py").write_text("import zipfile\n", encoding="utf-8")
    (fake / "render" / "downloads.py").write_text(
        "def f():\n    from generator.office.writer import w\n", encoding="utf-8"
    )
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    assert third_party_reached("generator.cli.validate") == {
        ("jinja2", "generator.render.env"),
        ("tomli", "generator.render.env"),
    }
    assert third_party_reached("generator.render.downloads") == {("openpyxl", "generator.office.grid")}
