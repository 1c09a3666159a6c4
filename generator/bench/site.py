"""The site measurement (--site): `mkdocs build` of the repository's site over N synthetic records.

The build goes through a temporary mkdocs.yml that INHERITs the repository's one (content/, theme/,
the disclosure plugin) with the records directory replaced. Its first search is what a browser
downloads: pd-search.js plus the files search_query.query_files names (manifest, term shards, the pages of the
first results), for the worse of two common queries.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from .fixtures import ROOT
from .mkdocs_build import BUILD_TIMEOUT, SITE_CORES, build_row, measure_build
from .row import Row

SITE_TARGET_N = 10_000
SITE_TARGET_SECONDS = 90.0
SITE_TARGET_PEAK_MB = 1024.0
SITE_TARGET_FIRST_SEARCH_KB = 300.0
SEARCH_QUERIES = ("预算执行率", "满意度")  # common in the records: a first search loads many-project shards
# the search script as the package ships it, for a site that does not copy it to assets/
PD_SEARCH_JS = Path(__file__).resolve().parents[1] / "mkdocs_plugin" / "theme" / "assets" / "pd-search.js"


def site_config(path: Path, records_dir: Path) -> Path:
    """A MkDocs config inheriting the repository's mkdocs.yml with the records directory replaced (as
    tests/site/conftest.py writes it): INHERIT merges mappings, plugins included; the parent's relative
    docs_dir and theme custom_dir would resolve against this file's directory, so they are made absolute."""
    q = json.dumps  # a JSON string is a YAML double-quoted scalar: any temporary path stays one value
    text = (
        f"INHERIT: {q(str(ROOT / 'mkdocs.yml'))}\n"
        f"docs_dir: {q(str(ROOT / 'content'))}\n"
        f"theme:\n  custom_dir: {q(str(ROOT / 'theme'))}\n"
        f"plugins:\n  - disclosure:\n      records_dir: {q(str(records_dir))}\n"
    )
    path.write_text(text, encoding="utf-8")
    return path


class SiteFiles(Mapping):
    """A built site's files as search_query.query_files expects them ({path: bytes}), read on access:
    a first search reads a handful of files, not the whole index."""

    def __init__(self, root: Path):
        self.root = root

    def __getitem__(self, rel: str) -> bytes:
        path = self.root / rel
        if not path.is_file():
            raise KeyError(rel)
        return path.read_bytes()

    def __iter__(self) -> Iterator[str]:
        return (p.relative_to(self.root).as_posix() for p in sorted((self.root / "search").rglob("*")) if p.is_file())

    def __len__(self) -> int:
        return sum(1 for _ in self)


def site_first_search(site: Path) -> dict:
    """Bytes a browser downloads for its first search on the site: pd-search.js plus the files
    query_files names (manifest, term shards, the pages of the first results), the worse of SEARCH_QUERIES."""
    from generator.publish.search_query import query_files

    script = site / "assets" / "pd-search.js"
    if not script.is_file():
        script = PD_SEARCH_JS
    files = SiteFiles(site)
    worst: dict = {}
    for query in SEARCH_QUERIES:
        needed = query_files(files, query)
        size = script.stat().st_size + sum((site / rel).stat().st_size for rel in needed)
        if size > worst.get("bytes", -1):
            worst = {
                "bytes": size,
                "query": query,
                "files": ["assets/pd-search.js", *needed],
                "results": any(rel.startswith("search/p/") for rel in needed),
            }
    return worst


def child_site(projects: Path) -> dict:
    """In the child: build the repository's site over the synthetic records in `projects`."""
    base = projects.parent / "site-build"
    base.mkdir(parents=True, exist_ok=True)
    config = site_config(base / "mkdocs.yml", projects.resolve())
    return measure_build(config, base / "site", site_first_search)


def measure_site(projects: Path, n: int, cores: int = SITE_CORES, timeout: float = BUILD_TIMEOUT) -> Row:
    """The site row of the n records in `projects`, built in a child allowed `cores` CPUs."""
    return build_row("site", n, projects, cores, timeout)
