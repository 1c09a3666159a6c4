"""A static full-text index for the site: two-character terms with a rank level per page, sharded so a query loads
little.

Why not Pagefind or Material's search: Material ships its whole index to every visitor (21 MB at
1,000 pages). Pagefind loads only what a query needs, but its Chinese word segmentation misses
parts of words (商城 in 电子商城, 签章 in 电子签章), and indexed as two-character terms it needed
about 1 GB of memory per 1,000 project pages — too much for 10,000. This index is small and plain
(format version 2):

- search/manifest.json  {"version", "docs", "shards", "help", "facets"}: "facets" lists the values of the result
                        filters ("year", "department", "grade") and "runs", a flat list of
                        [count, year, department, grade, …]: the next `count` documents have those values (indexes
                        into the lists, -1 for none). Documents are numbered in doc_order, so the projects of one
                        year, department and grade are consecutive and a few runs describe them all.
- search/t/<n>.txt      one line per term in shard n: "<term>\t<set 1>;<set 2>;…". Set 1 is the documents holding
                        the term; set k+1 those of set k where the term's level (search_text.term_levels) is k+1 or
                        more, given as positions within set k. A set is written in the shorter of two forms:
                        base-36 deltas, comma separated (the first is the first position itself), or "*" and a
                        bitmap over the positions of the set before it (over all documents for set 1), six
                        positions per character of _B64, lowest bit first; or nothing, for all of them.
- search/p/<id>.json    document <id>: {"u": url, "t": title, "s": summary, "f": [[field, text], …]}, fetched for the
                        first results only (phrase check, excerpt, highlighting).
- search/help/…         the same for the help pages (the editor guide; "help" in the manifest counts them):
                        a separate index, fetched only when the visitor asks for help pages too, so the
                        guide neither shows among the public's results nor weighs on their first query

A term's shard is FNV-1a(term as UTF-8) mod shards. The browser (theme/assets/pd-search.js) and
publish/search_query.py (the same ranking in Python, for the tests and the benchmark) split the query
into terms, fetch their shards, intersect the documents and rank them. Output is deterministic.
"""

from __future__ import annotations

import json
import os
import shutil
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from generator.render.search_text import Fields, SearchDoc, SearchGroup, pack_fields, term_levels
from generator.render.unpublished import UNPUBLISHED

VERSION = 2
FOLDER = "search"
HELP_FOLDER = "search/help"
SHARD_BYTES = 12_000  # aim: a term shard of about this size (larger where one term's line is larger)
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_LEVEL_BITS = 4  # a posting in memory: doc id << 4 | level
GRADE_ORDER = ("优", "良", "中", "低", "差")  # the usual grades first in the filter, then others, then these:
GRADE_LAST = (UNPUBLISHED, "未计分")


@dataclass(frozen=True)
class SearchEntry:
    """What the index needs of a document beyond its SearchDoc: its terms with their levels, and its text."""

    levels: dict[str, int]
    fields: Fields


def entry_of(doc: SearchDoc) -> SearchEntry:
    """The entry of a document that carries its own fields."""
    return SearchEntry(term_levels(doc.fields), doc.fields)


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


def encode_set(positions: list[int], universe: int) -> str:
    """Sorted positions in range(universe), at least one, in the shortest form (see the module's docstring)."""
    if len(positions) == universe:
        return ""  # all of them: a term that is in the project name of every page holding it
    prev = 0
    deltas = []
    for p in positions:
        deltas.append(base36(p - prev))
        prev = p
    listed = ",".join(deltas)
    if len(listed) <= (universe + 5) // 6 + 1:
        return listed
    bits = bytearray((universe + 5) // 6)
    for p in positions:
        bits[p // 6] |= 1 << (p % 6)
    return "*" + "".join(_B64[b] for b in bits)


def decode_set(text: str, universe: int) -> list[int]:
    """The positions encode_set wrote."""
    if not text:
        return list(range(universe))
    if text.startswith("*"):
        out = []
        for i, ch in enumerate(text[1:]):
            v = _B64.index(ch)
            for bit in range(6):
                if v >> bit & 1:
                    out.append(i * 6 + bit)
        return [p for p in out if p < universe]
    acc = 0
    out = []
    for part in text.split(","):
        if part:
            acc += int(part, 36)
            out.append(acc)
    return out


def encode_postings(postings: list[int], docs: int) -> str:
    """A term's line after the tab: its documents and levels (postings: doc id << _LEVEL_BITS | level, by id)."""
    sets = [encode_set([p >> _LEVEL_BITS for p in postings], docs)]
    members = [p & ((1 << _LEVEL_BITS) - 1) for p in postings]  # the levels of set k's members
    k = 2
    while True:
        within = [i for i, lv in enumerate(members) if lv >= k]
        if not within:
            break
        sets.append(encode_set(within, len(members)))
        members = [members[i] for i in within]
        k += 1
    return ";".join(sets)


def decode_postings(text: str, docs: int) -> tuple[list[int], list[int]]:
    """(document ids, their levels) of a term's line."""
    parts = text.split(";")
    ids = decode_set(parts[0], docs)
    levels = [1] * len(ids)
    members = list(range(len(ids)))  # indexes into ids of set k
    for k, part in enumerate(parts[1:], start=2):
        members = [members[i] for i in decode_set(part, len(members))]
        for i in members:
            levels[i] = k
    return ids, levels


def doc_order(doc: SearchDoc) -> tuple:
    return (doc.group, doc.order_key, doc.url)


@dataclass(frozen=True)
class IndexStats:
    docs: int
    terms: int
    postings: int
    shards: int
    bytes: int
    help_docs: int = 0  # of docs, the help pages (in an index of their own)


Put = Callable[[str, bytes], None]  # (path relative to the site root, content): where the index's files go


def build_files(
    docs: list[SearchDoc], source: Callable[[SearchDoc], SearchEntry] | None = None
) -> tuple[dict[str, bytes], IndexStats]:
    """Every file of the index in memory, by path relative to the site root (see emit_files)."""
    files: dict[str, bytes] = {}
    stats = emit_files(docs, files.__setitem__, source)
    return files, stats


def emit_files(docs: list[SearchDoc], put: Put, source: Callable[[SearchDoc], SearchEntry] | None = None) -> IndexStats:
    """Hand every file of the index to `put`: the public pages' index in search/ and the help pages' in
    search/help/. `source` gives a document's terms and text when the caller keeps them elsewhere (compressed,
    for a large site); by default they come from the document's fields."""
    source = source or entry_of
    public = [d for d in docs if d.group != SearchGroup.HELP]
    help_pages = [d for d in docs if d.group == SearchGroup.HELP]
    stats = _index_files(public, source, FOLDER, {"help": len(help_pages)}, put)
    if help_pages:
        h = _index_files(help_pages, source, HELP_FOLDER, {}, put)
        stats = IndexStats(
            stats.docs + h.docs,
            stats.terms + h.terms,
            stats.postings + h.postings,
            stats.shards + h.shards,
            stats.bytes + h.bytes,
            h.docs,
        )
    return stats


def _ordered_values(values: set[str], last: tuple[str, ...], first: tuple[str, ...] = (), reverse: bool = False):
    """A filter's values: `first` in that order, the others sorted, then `last` in that order."""
    middle = sorted((v for v in values if v not in first and v not in last), reverse=reverse)
    return [v for v in first if v in values] + middle + [v for v in last if v in values]


def facets(ordered: list[SearchDoc]) -> dict:
    """The manifest's "facets": the filters' values and the runs of documents sharing them."""
    years = _ordered_values({d.year for d in ordered if d.year}, (UNPUBLISHED,), reverse=True)
    departments = _ordered_values({d.department for d in ordered if d.department}, (UNPUBLISHED,))
    grades = _ordered_values({d.grade for d in ordered if d.grade}, GRADE_LAST, GRADE_ORDER)
    code = [{v: i for i, v in enumerate(vs)} for vs in (years, departments, grades)]
    runs: list[int] = []
    for d in ordered:
        key = [code[0].get(d.year, -1), code[1].get(d.department, -1), code[2].get(d.grade, -1)]
        if runs and runs[-3:] == key:
            runs[-4] += 1
        else:
            runs += [1, *key]
    return {"year": years, "department": departments, "grade": grades, "runs": runs}


def _index_files(
    docs: list[SearchDoc], source: Callable[[SearchDoc], SearchEntry], folder: str, extra: dict[str, int], put: Put
) -> IndexStats:
    """One index of `docs` in `folder`."""
    ordered = sorted(docs, key=doc_order)
    postings: dict[str, array] = {}
    size = 0
    for doc_id, doc in enumerate(ordered):
        entry = source(doc)
        for term, lv in entry.levels.items():
            ids = postings.get(term)
            if ids is None:
                postings[term] = ids = array("I")
            ids.append(doc_id << _LEVEL_BITS | lv)
        page = b'{"u":%s,"t":%s,"s":%s,"f":%s}' % (
            _json(doc.url),
            _json(doc.title),
            _json(doc.summary),
            pack_fields(entry.fields),
        )
        put(f"{folder}/p/{doc_id}.json", page)
        size += len(page)
    lines = {term: f"{term}\t{encode_postings(list(ids), len(ordered))}" for term, ids in postings.items()}
    total = sum(len(line.encode("utf-8")) + 1 for line in lines.values())
    shards = 16
    while shards * SHARD_BYTES < total:
        shards *= 2
    by_shard: list[list[str]] = [[] for _ in range(shards)]
    for term in sorted(lines):
        by_shard[fnv1a(term) % shards].append(lines[term])
    for n, shard in enumerate(by_shard):
        data = ("\n".join(shard) + "\n").encode("utf-8") if shard else b""
        put(f"{folder}/t/{n}.txt", data)
        size += len(data)
    manifest = {"version": VERSION, "docs": len(ordered), "shards": shards, **extra, "facets": facets(ordered)}
    data = json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    put(f"{folder}/manifest.json", data)
    size += len(data)
    return IndexStats(len(ordered), len(postings), sum(len(v) for v in postings.values()), shards, size)


def _json(value: str) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def write_index(
    site_dir: str, docs: list[SearchDoc], source: Callable[[SearchDoc], SearchEntry] | None = None
) -> tuple[bool, str]:
    target = os.path.join(site_dir, FOLDER)
    shutil.rmtree(target, ignore_errors=True)
    made: set[str] = set()

    def put(rel: str, data: bytes) -> None:
        path = os.path.join(site_dir, rel)
        folder = os.path.dirname(path)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with open(path, "wb") as fh:
            fh.write(data)

    stats = emit_files(docs, put, source)
    return True, (
        f"已建立全文检索索引：{stats.docs} 个页面"
        + (f"（其中编辑帮助页面 {stats.help_docs} 个，另建索引）" if stats.help_docs else "")
        + f"，{stats.terms} 个检索词，{stats.shards} 个分片，"
        f"共 {stats.bytes / 1024 / 1024:.1f} MB。"
    )


def iter_lines(shard: str) -> Iterator[tuple[str, str]]:
    """(term, postings text) of each line of a term shard."""
    for line in shard.splitlines():
        term, _, rest = line.partition("\t")
        yield term, rest
