"""The search-index measurement (--search-index N,…): the site's search index alone over N synthetic projects, and
the bytes a browser downloads for its first search — for N too large to build the whole site (100,000).

The projects' search documents are made from the synthetic records (synthetic.synth_record) as
render/project.project_search_doc makes them from an evaluated record — the same fields, without evaluating the
scores (the grade comes from the synthetic total on the national bands). The index is written to a temporary
directory by publish/search_index.write_index, as a site build writes it; the first search is counted as for a
built site (site.site_first_search): pd-search.js plus the files search_query.query_files names.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
import zlib
from dataclasses import dataclass, replace
from multiprocessing import Pool
from pathlib import Path

from .site import SITE_TARGET_FIRST_SEARCH_KB, site_first_search
from .synthetic import DEFAULT_SEED, synth_record

TARGET_KB = {10_000: SITE_TARGET_FIRST_SEARCH_KB, 100_000: 500.0}  # first search, by N (issue 13)
_BATCH = 500


@dataclass(frozen=True)
class SearchRow:
    records: int
    seconds: float  # building the documents' terms and writing the index
    index_mb: float
    files: int
    first_search_kb: float
    query: str
    fetched: int  # files of the first search, pd-search.js included


def _grade(total: float) -> str:
    return "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"


def _entries(args: tuple[int, int, int]) -> list[tuple]:
    """(SearchDoc, SearchEntry) of synthetic records start…stop-1 (a worker's batch; the generator is reseeded per
    record so that batches are independent and the same N gives the same documents)."""
    import tomli

    from generator.publish.search_index import entry_of
    from generator.render.search_text import (
        INDICATOR,
        ORG,
        TEXT,
        TITLE,
        SearchDoc,
        SearchGroup,
        markdown_text,
        pack_fields,
        pack_levels,
    )

    start, stop, seed = args
    out = []
    for i in range(start, stop):
        year, slug, toml_text, md = synth_record(i, random.Random(seed * 1_000_003 + i))
        r = tomli.loads(toml_text)
        leaves = r.get("indicator", [])
        indicators = " ".join(dict.fromkeys(x for leaf in leaves for x in [*leaf["path"], leaf["name"]]))
        values = " ".join(
            f"{leaf.get('target', '')} {leaf.get('actual', '')} {leaf.get('reason', '')}" for leaf in leaves
        )
        items = " ".join(row["name"] for row in r["budget"].get("items", []))
        other = " ".join([r["evaluation"], str(year), r["id"], " ".join(r["goals"]["expected"]), values, items])
        grade = _grade(float(r["total"]))
        doc = SearchDoc(
            url=f"projects/{year}/{slug}/",
            title=f"{r['name']}（{year}）",
            summary=f"{year} 年度 · {r['evaluation']} · {r['department']} · 总分 {r['total']} · {grade}",
            fields=(
                (TITLE, r["name"]),
                (ORG, " ".join([r["department"], r["region"], r["evaluator"]])),
                (INDICATOR, indicators),
                (TEXT, " ".join(other.split()) + " " + markdown_text(md)),
            ),
            group=SearchGroup.PROJECT,
            order_key="\x1f".join((f"{9999 - year:04d}", r["department"], grade, r["name"])),
            year=str(year),
            department=r["department"],
            grade=grade,
        )
        entry = entry_of(doc)
        # kept compressed until the index reads it, as a site build keeps them (site_index.SiteIndex)
        packed = (
            zlib.compress(pack_levels(entry.levels).encode("utf-8"), 1),
            zlib.compress(pack_fields(doc.fields), 1),
        )
        out.append((replace(doc, fields=()), packed))
    return out


def measure_search_index(n: int, seed: int = DEFAULT_SEED, workers: int = 2) -> SearchRow:
    """Build the search index of n synthetic projects in a temporary directory and count its first search."""
    from generator.publish.search_index import SearchEntry, write_index
    from generator.render.search_text import SearchDoc, unpack_fields, unpack_levels

    def source(doc: SearchDoc) -> SearchEntry:
        levels, fields = entries.pop(doc.url)
        return SearchEntry(
            unpack_levels(zlib.decompress(levels).decode("utf-8")), unpack_fields(zlib.decompress(fields))
        )

    site = Path(tempfile.mkdtemp(prefix=f"bench-search-{n}-"))
    try:
        started = time.perf_counter()
        docs: list[SearchDoc] = []
        entries: dict[str, tuple[bytes, bytes]] = {}
        batches = [(a, min(n, a + _BATCH), seed) for a in range(0, n, _BATCH)]
        with Pool(workers) as pool:
            for batch in pool.imap(_entries, batches):
                for doc, entry in batch:
                    docs.append(doc)
                    entries[doc.url] = entry
        write_index(str(site), docs, source)
        seconds = time.perf_counter() - started
        first = site_first_search(site)
        files = [p for p in (site / "search").rglob("*") if p.is_file()]
        return SearchRow(
            n,
            seconds,
            sum(p.stat().st_size for p in files) / 1024 / 1024,
            len(files),
            first["bytes"] / 1024,
            first["query"],
            len(first["files"]),
        )
    finally:
        shutil.rmtree(site, ignore_errors=True)


def search_table(rows: list[SearchRow]) -> str:
    lines = [
        "| search index | N | build s | index MB | files | first-search KB | query | files fetched |",
        "|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in rows:
        lines.append(
            f"| index only | {r.records} | {r.seconds:.1f} | {r.index_mb:.1f} | {r.files} | {r.first_search_kb:.1f} | "
            f"{r.query} | {r.fetched} |"
        )
    return "\n".join(lines)


def search_verdict(rows: list[SearchRow]) -> str:
    out = []
    for r in rows:
        target = next((kb for n, kb in sorted(TARGET_KB.items()) if r.records <= n), None)
        if target is None:
            continue
        ok = r.first_search_kb <= target
        out.append(
            f"- first search at {r.records:,} (index only): {r.first_search_kb:.1f} KB, target ≤ {target:g} KB — "
            + ("met" if ok else "MISSED")
        )
    return "\n".join(out)
