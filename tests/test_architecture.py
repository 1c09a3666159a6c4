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
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
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
