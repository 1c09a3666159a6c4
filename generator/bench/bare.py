"""The baseline (--site without --no-bare): `mkdocs build` of N plain Markdown pages with mkdocs-material.

As many pages as records, of about the same text, language zh and Material's own search plugin (lang
zh; jieba segments the Chinese text). Its first search is the whole index plus the search worker and
the lunr language scripts it imports for zh.
"""

from __future__ import annotations

import json
from pathlib import Path

from .mkdocs_build import BUILD_TIMEOUT, SITE_CORES, build_row, measure_build
from .row import Row
from .synthetic import write_pages


def bare_config(path: Path, docs_dir: Path) -> Path:
    """Plain MkDocs + Material, language zh, Material's search plugin for zh (jieba segments Chinese when
    installed; the separator, Material's zh default, splits at the zero-width spaces jieba's words are
    joined with); the nav lists only the index page so the sidebar stays short."""
    text = (
        "site_name: 基准\n"
        f"docs_dir: {json.dumps(str(docs_dir))}\n"
        "use_directory_urls: true\n"
        "theme:\n  name: material\n  language: zh\n  font: false\n"
        "plugins:\n  - search:\n      lang: zh\n"
        "      separator: '[\\s\\u200b\\u3000\\-、。，．？！；]+'\n"
        "nav:\n  - 首页: index.md\n"
        "validation:\n  nav:\n    omitted_files: ignore\n"
    )
    path.write_text(text, encoding="utf-8")
    return path


def bare_first_search(site: Path) -> dict:
    """Bytes a browser downloads for its first search on the bare Material site: the whole index plus the
    search worker and the lunr scripts the worker imports for zh (stemmer support and lunr.zh)."""
    js = site / "assets" / "javascripts"
    needed = [
        site / "search" / "search_index.json",
        *sorted((js / "workers").glob("search.*.min.js")),
        js / "lunr" / "min" / "lunr.stemmer.support.min.js",
        js / "lunr" / "min" / "lunr.zh.min.js",
    ]
    present = [p for p in needed if p.is_file()]
    return {
        "bytes": sum(p.stat().st_size for p in present),
        "query": "(any)",
        "files": [p.relative_to(site).as_posix() for p in present],
        "results": len(present) == len(needed),
    }


def child_bare(base: Path) -> dict:
    """In the child: build base/docs with plain MkDocs + Material."""
    config = bare_config(base / "mkdocs.yml", (base / "docs").resolve())
    return measure_build(config, base / "site", bare_first_search)


def measure_bare(projects: Path, n: int, cores: int = SITE_CORES, timeout: float = BUILD_TIMEOUT) -> Row:
    """The baseline: as many plain pages as records, built with MkDocs + Material (generated beside the records)."""
    base = projects.parent / "bare"
    write_pages(base, n)
    return build_row("bare-material", n, base, cores, timeout)
