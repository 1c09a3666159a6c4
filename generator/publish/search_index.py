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
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping
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


def _page_file(doc: SearchDoc, entry: SearchEntry) -> bytes:
    return b'{"u":%s,"t":%s,"s":%s,"f":%s}' % (
        _json(doc.url),
        _json(doc.title),
        _json(doc.summary),
        pack_fields(entry.fields),
    )


def _line(term: str, postings: array, docs: int) -> str:
    return f"{term}\t{encode_postings(list(postings), docs)}"


def _line_bytes(line: str) -> int:
    return len(line.encode("utf-8")) + 1


def _shard_count(total: int) -> int:
    """How many shards lines of `total` bytes are spread over: 16, doubled until they are about SHARD_BYTES each."""
    shards = 16
    while shards * SHARD_BYTES < total:
        shards *= 2
    return shards


def _shard_file(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _manifest(ordered: list[SearchDoc], shards: int, extra: Mapping[str, int]) -> bytes:
    manifest = {"version": VERSION, "docs": len(ordered), "shards": shards, **extra, "facets": facets(ordered)}
    return json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _post(postings: dict[str, array], doc_id: int, levels: dict[str, int]) -> None:
    for term, lv in levels.items():
        ids = postings.get(term)
        if ids is None:
            postings[term] = ids = array("I")
        ids.append(doc_id << _LEVEL_BITS | lv)


def _index_files(
    docs: list[SearchDoc], source: Callable[[SearchDoc], SearchEntry], folder: str, extra: Mapping[str, int], put: Put
) -> IndexStats:
    """One index of `docs` in `folder`."""
    ordered = sorted(docs, key=doc_order)
    postings: dict[str, array] = {}
    size = 0
    for doc_id, doc in enumerate(ordered):
        entry = source(doc)
        _post(postings, doc_id, entry.levels)
        page = _page_file(doc, entry)
        put(f"{folder}/p/{doc_id}.json", page)
        size += len(page)
    lines = {term: _line(term, ids, len(ordered)) for term, ids in postings.items()}
    shards = _shard_count(sum(_line_bytes(line) for line in lines.values()))
    by_shard: list[list[str]] = [[] for _ in range(shards)]
    for term in sorted(lines):
        by_shard[fnv1a(term) % shards].append(lines[term])
    for n, shard in enumerate(by_shard):
        data = _shard_file(shard)
        put(f"{folder}/t/{n}.txt", data)
        size += len(data)
    data = _manifest(ordered, shards, extra)
    put(f"{folder}/manifest.json", data)
    size += len(data)
    return IndexStats(len(ordered), len(postings), sum(len(v) for v in postings.values()), shards, size)


class LiveIndex:
    """The files build_files makes, made again and again for documents of which only a few change between
    one time and the next (the preview, on each save): the public pages' index and the help pages' each kept
    by a _LivePart. The files are those of build_files, byte for byte (tests/test_search_index_live.py)."""

    def __init__(self) -> None:
        self.public = _LivePart(FOLDER)
        self.help = _LivePart(HELP_FOLDER)

    def update(
        self,
        docs: list[SearchDoc],
        source_of: Callable[[SearchDoc], object],
        entry_of_source: Callable[[object], SearchEntry],
    ) -> dict[str, bytes]:
        """Every file of the index for `docs`. `source_of` gives what a document's terms and text come from
        (compared with the previous update's to see whether they changed: unchanged documents should give the
        same object) and `entry_of_source` the SearchEntry of such a source."""
        public = [d for d in docs if d.group != SearchGroup.HELP]
        help_pages = [d for d in docs if d.group == SearchGroup.HELP]
        files = dict(self.public.update(public, source_of, entry_of_source, {"help": len(help_pages)}))
        if help_pages:
            files.update(self.help.update(help_pages, source_of, entry_of_source, {}))
        else:  # build_files writes no help index then; the next help pages start afresh
            self.help = _LivePart(HELP_FOLDER)
        return files


class _LivePart:
    """One index (in `folder`) of LiveIndex: when the same documents stay in the same order, only the changed
    documents' terms are posted again, and only their page files and the shards of the terms touched are made
    again; otherwise (documents added, removed or reordered) the part is made afresh."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.ordered: list[SearchDoc] = []
        self.sources: list[object] = []  # what each document's terms and text came from, as the caller gave it
        self.levels: list[dict[str, int]] = []  # each document's terms and levels
        self.postings: dict[str, array] = {}  # term → doc id << _LEVEL_BITS | level, by id
        self.lines: dict[str, str] = {}  # term → its line in its shard
        self.total = 0  # bytes of all lines (with their line ends): decides the shard count
        self.terms_by_shard: list[list[str]] = []  # each shard's terms, sorted
        self.files: dict[str, bytes] = {}

    def update(
        self,
        docs: list[SearchDoc],
        source_of: Callable[[SearchDoc], object],
        entry_of_source: Callable[[object], SearchEntry],
        extra: Mapping[str, int],
    ) -> dict[str, bytes]:
        """This index's files for `docs` (see LiveIndex.update); `extra` goes into the manifest."""
        ordered = sorted(docs, key=doc_order)
        sources = [source_of(d) for d in ordered]
        if [d.url for d in ordered] != [d.url for d in self.ordered]:  # documents added, removed or moved
            return self._rebuild(ordered, sources, entry_of_source, extra)
        files = dict(self.files)
        touched: set[str] = set()
        for i, (doc, new, old) in enumerate(zip(ordered, sources, self.sources)):
            source_changed = new is not old and new != old
            if source_changed:
                entry = entry_of_source(new)
                touched |= self._repost(i, entry.levels)
                files[f"{self.folder}/p/{i}.json"] = _page_file(doc, entry)
            elif doc is not self.ordered[i] and (doc.url, doc.title, doc.summary) != (
                self.ordered[i].url,
                self.ordered[i].title,
                self.ordered[i].summary,
            ):
                files[f"{self.folder}/p/{i}.json"] = _page_file(doc, entry_of_source(new))
        docs_count = len(ordered)
        for term in touched:
            line = self.lines.pop(term, None)
            if line is not None:
                self.total -= _line_bytes(line)
            ids = self.postings.get(term)
            if ids is not None:
                line = _line(term, ids, docs_count)
                self.lines[term] = line
                self.total += _line_bytes(line)
        self.ordered, self.sources = ordered, sources
        shards = _shard_count(self.total)
        if shards != len(self.terms_by_shard):
            self._shard_all(shards, files)
        else:
            changed: set[int] = set()
            for term in touched:
                n = fnv1a(term) % shards
                in_shard = self.terms_by_shard[n]
                at = bisect_left(in_shard, term)
                present = at < len(in_shard) and in_shard[at] == term
                if term in self.lines and not present:
                    in_shard.insert(at, term)
                elif term not in self.lines and present:
                    del in_shard[at]
                changed.add(n)
            for n in changed:
                files[f"{self.folder}/t/{n}.txt"] = _shard_file([self.lines[t] for t in self.terms_by_shard[n]])
        # the facets may change with any document, and the public manifest counts the help pages
        files[f"{self.folder}/manifest.json"] = _manifest(ordered, shards, extra)
        self.files = files
        return dict(files)

    def _repost(self, doc_id: int, levels: dict[str, int]) -> set[str]:
        """Give document `doc_id` its new terms and levels in the postings; the terms whose postings changed."""
        before = self.levels[doc_id]
        touched = {t for t, lv in before.items() if levels.get(t) != lv} | {t for t in levels if t not in before}
        key = doc_id << _LEVEL_BITS
        for term in touched:
            ids = self.postings.get(term)
            if term in before:
                assert ids is not None
                del ids[bisect_left(ids, key)]  # the one posting of this document
            if term in levels:
                posting = key | levels[term]
                if ids is None:
                    self.postings[term] = ids = array("I")
                ids.insert(bisect_left(ids, posting), posting)
            if ids is not None and not ids:
                del self.postings[term]
        self.levels[doc_id] = levels
        return touched

    def _shard_all(self, shards: int, files: dict[str, bytes]) -> None:
        """Spread every term over `shards` shards and make every shard file (dropping those beyond their count)."""
        for n in range(shards, len(self.terms_by_shard)):
            files.pop(f"{self.folder}/t/{n}.txt", None)
        self.terms_by_shard = [[] for _ in range(shards)]
        for term in sorted(self.lines):
            self.terms_by_shard[fnv1a(term) % shards].append(term)
        for n, terms in enumerate(self.terms_by_shard):
            files[f"{self.folder}/t/{n}.txt"] = _shard_file([self.lines[t] for t in terms])

    def _rebuild(
        self,
        ordered: list[SearchDoc],
        sources: list[object],
        entry_of_source: Callable[[object], SearchEntry],
        extra: Mapping[str, int],
    ) -> dict[str, bytes]:
        self.ordered, self.sources = ordered, sources
        files: dict[str, bytes] = {}
        self.postings = {}
        self.levels = []
        for doc_id, (doc, source) in enumerate(zip(ordered, sources)):
            entry = entry_of_source(source)
            self.levels.append(entry.levels)
            _post(self.postings, doc_id, entry.levels)
            files[f"{self.folder}/p/{doc_id}.json"] = _page_file(doc, entry)
        self.lines = {term: _line(term, ids, len(ordered)) for term, ids in self.postings.items()}
        self.total = sum(_line_bytes(line) for line in self.lines.values())
        self.terms_by_shard = []
        shards = _shard_count(self.total)
        self._shard_all(shards, files)
        files[f"{self.folder}/manifest.json"] = _manifest(ordered, shards, extra)
        self.files = files
        return dict(files)


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
