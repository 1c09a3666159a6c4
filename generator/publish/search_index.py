"""A static full-text index for the site: two-character terms, sharded so a query loads little.

Why not Pagefind or Material's search: Material ships its whole index to every visitor (21 MB at
1,000 pages). Pagefind loads only what a query needs, but its Chinese word segmentation misses
parts of words (商城 in 电子商城, 签章 in 电子签章), and indexed as two-character terms it needed
about 1 GB of memory per 1,000 project pages — too much for 10,000. This index is small and plain:

- search/manifest.json  {"version", "shards", "docs", "chunk"}
- search/t/<n>.txt      one line per term in shard n: "<term>\t<doc ids as base-36 deltas, comma separated>"
- search/d/<n>.json     documents n*chunk … n*chunk+chunk-1: [[url, title, summary], …]

A term's shard is FNV-1a(term as UTF-8) mod shards; the browser (theme/assets/pd-search.js) splits
the query into the same terms, fetches their shards, intersects the id lists and fetches the
documents of the first results. Documents are numbered projects first, newest year first, so the
intersection is already in display order. Output is deterministic.
"""

from __future__ import annotations

import json
import os
import shutil
from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import chain, islice
from operator import sub

from generator.render.search_text import SearchDoc

VERSION = 1
CHUNK = 64  # documents per metadata file
POSTINGS_PER_SHARD = 6000  # aim: a shard file of a few kilobytes
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def fnv1a(term: str) -> int:
    h = 0x811C9DC5
    for byte in term.encode("utf-8"):
        h ^= byte
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def base36(n: int) -> str:
    if n == 0:
        return "0"
    out = []
    while n:
        n, r = divmod(n, 36)
        out.append(_B36[r])
    return "".join(reversed(out))


def doc_order(doc: SearchDoc) -> tuple:
    return (doc.group, doc.order_key, doc.url)


@dataclass(frozen=True)
class IndexStats:
    docs: int
    terms: int
    postings: int
    shards: int
    bytes: int


def build_files(
    docs: list[SearchDoc], text_of: Callable[[SearchDoc], str] | None = None
) -> tuple[dict[str, bytes], IndexStats]:
    """Every file of the index, by path relative to the site root. `text_of` gives a document's terms
    when the caller keeps them elsewhere (compressed, for a large site)."""
    text_of = text_of or (lambda d: d.text)
    ordered = sorted(docs, key=doc_order)
    postings: dict[str, array] = {}
    for doc_id, doc in enumerate(ordered):
        for term in dict.fromkeys(text_of(doc).split()):  # each term once per document
            ids = postings.get(term)
            if ids is None:
                postings[term] = array("I", (doc_id,))
            else:
                ids.append(doc_id)
    total = sum(len(v) for v in postings.values())
    shards = 16
    while shards * POSTINGS_PER_SHARD < total:
        shards *= 2
    # Every delta is at most the number of documents: their base-36 codes are looked up, not computed,
    # so a term's line is made without a Python-level loop over its ids (the preview rebuilds the index
    # on each save; see mkdocs_plugin/serve_search.py).
    code = [base36(i) for i in range(len(ordered) + 1)].__getitem__
    lines: list[list[str]] = [[] for _ in range(shards)]
    for term in sorted(postings):
        ids = postings[term]
        deltas = chain((ids[0],), map(sub, islice(ids, 1, None), ids))
        lines[fnv1a(term) % shards].append(f"{term}\t{','.join(map(code, deltas))}")
    files: dict[str, bytes] = {}
    for n, shard in enumerate(lines):
        files[f"search/t/{n}.txt"] = ("\n".join(shard) + "\n").encode("utf-8") if shard else b""
    for start in range(0, len(ordered), CHUNK):
        rows = [[d.url, d.title, d.summary] for d in ordered[start : start + CHUNK]]
        files[f"search/d/{start // CHUNK}.json"] = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode(
            "utf-8"
        )
    manifest = {"version": VERSION, "shards": shards, "docs": len(ordered), "chunk": CHUNK}
    files["search/manifest.json"] = json.dumps(manifest, separators=(",", ":")).encode("utf-8")
    stats = IndexStats(len(ordered), len(postings), total, shards, sum(len(b) for b in files.values()))
    return files, stats


def write_index(
    site_dir: str, docs: list[SearchDoc], text_of: Callable[[SearchDoc], str] | None = None
) -> tuple[bool, str]:
    target = os.path.join(site_dir, "search")
    shutil.rmtree(target, ignore_errors=True)
    files, stats = build_files(docs, text_of)
    for rel, data in files.items():
        path = os.path.join(site_dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
    return True, (
        f"已建立全文检索索引：{stats.docs} 个页面，{stats.terms} 个检索词，{stats.shards} 个分片，"
        f"共 {stats.bytes / 1024 / 1024:.1f} MB。"
    )


def query_files(files: Mapping[str, bytes], query_terms: list[str], results: int = 10) -> list[str]:
    """The files the browser fetches for a query (for the benchmark's first-search bytes)."""
    manifest = json.loads(files["search/manifest.json"])
    needed = ["search/manifest.json"]
    hits: set[int] | None = None
    for term in query_terms:
        path = f"search/t/{fnv1a(term) % manifest['shards']}.txt"
        if path not in needed:
            needed.append(path)
        ids: set[int] = set()
        for line in files[path].decode("utf-8").splitlines():
            name, _, encoded = line.partition("\t")
            if name == term:
                acc = 0
                for part in encoded.split(","):
                    acc += int(part, 36)
                    ids.add(acc)
        hits = ids if hits is None else hits & ids
    for doc_id in sorted(hits or ())[:results]:
        path = f"search/d/{doc_id // manifest['chunk']}.json"
        if path not in needed:
            needed.append(path)
    return needed
