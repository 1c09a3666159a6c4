"""A static full-text index for the site: two-character terms, sharded so a query loads little.

Why not Pagefind or Material's search: Material ships its whole index to every visitor (21 MB at
1,000 pages). Pagefind loads only what a query needs, but its Chinese word segmentation misses
parts of words (商城 in 电子商城, 签章 in 电子签章), and indexed as two-character terms it needed
about 1 GB of memory per 1,000 project pages — too much for 10,000. This index is small and plain:

- search/manifest.json  {"version", "shards", "docs", "chunk", "help"}
- search/t/<n>.txt      one line per term in shard n: "<term>\t<doc ids as base-36 deltas, comma separated>"
- search/d/<n>.json     documents n*chunk … n*chunk+chunk-1: [[url, title, summary], …]
- search/help/…         the same for the help pages (the editor guide; "help" in the manifest counts them):
                        a separate index, fetched only when the visitor asks for help pages too, so the
                        guide neither shows among the public's results nor weighs on their first query

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
from bisect import insort
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import chain, islice
from operator import sub

from generator.render.search_text import SearchDoc, SearchGroup

VERSION = 1
FOLDER = "search"
HELP_FOLDER = "search/help"
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
    help_docs: int = 0  # of docs, the help pages (in an index of their own)


def _postings(texts: Iterable[str]) -> dict[str, array]:
    """term → the ids of the documents holding it, ascending (documents numbered in the order given)."""
    postings: dict[str, array] = {}
    for doc_id, text in enumerate(texts):
        for term in dict.fromkeys(text.split()):  # each term once per document
            ids = postings.get(term)
            if ids is None:
                postings[term] = array("I", (doc_id,))
            else:
                ids.append(doc_id)
    return postings


def shard_count(postings: int) -> int:
    shards = 16
    while shards * POSTINGS_PER_SHARD < postings:
        shards *= 2
    return shards


def _coder(docs: int) -> Callable[[int], str]:
    """base36 of 0…docs: every delta between ids is one of them, so a term's line is made by lookups,
    without a Python-level loop over its ids."""
    return [base36(i) for i in range(docs + 1)].__getitem__


def _line(term: str, ids: array, code: Callable[[int], str]) -> str:
    deltas = chain((ids[0],), map(sub, islice(ids, 1, None), ids))
    return f"{term}\t{','.join(map(code, deltas))}"


def _shard_file(lines: Iterable[str]) -> bytes:
    text = "\n".join(lines)
    return (text + "\n").encode("utf-8") if text else b""


def _doc_files(folder: str, ordered: list[SearchDoc], chunks: Iterable[int]) -> dict[str, bytes]:
    files = {}
    for n in chunks:
        rows = [[d.url, d.title, d.summary] for d in ordered[n * CHUNK : n * CHUNK + CHUNK]]
        files[f"{folder}/d/{n}.json"] = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files


def _manifest(shards: int, docs: int, extra: Mapping[str, int]) -> bytes:
    manifest = {"version": VERSION, "shards": shards, "docs": docs, "chunk": CHUNK, **extra}
    return json.dumps(manifest, separators=(",", ":")).encode("utf-8")


def _split(docs: list[SearchDoc]) -> tuple[list[SearchDoc], list[SearchDoc]]:
    """The public pages and the help pages (each indexed apart)."""
    return [d for d in docs if d.group != SearchGroup.HELP], [d for d in docs if d.group == SearchGroup.HELP]


def build_files(
    docs: list[SearchDoc], text_of: Callable[[SearchDoc], str] | None = None
) -> tuple[dict[str, bytes], IndexStats]:
    """Every file of the index, by path relative to the site root: the public pages' index in search/ and the
    help pages' in search/help/. `text_of` gives a document's terms when the caller keeps them elsewhere
    (compressed, for a large site)."""
    text_of = text_of or (lambda d: d.text)
    public, help_pages = _split(docs)
    files, stats = _index_files(public, text_of, FOLDER, {"help": len(help_pages)})
    if help_pages:
        help_files, help_stats = _index_files(help_pages, text_of, HELP_FOLDER, {})
        files.update(help_files)
        stats = IndexStats(
            stats.docs + help_stats.docs,
            stats.terms + help_stats.terms,
            stats.postings + help_stats.postings,
            stats.shards + help_stats.shards,
            stats.bytes + help_stats.bytes,
            help_stats.docs,
        )
    return files, stats


def _index_files(
    docs: list[SearchDoc], text_of: Callable[[SearchDoc], str], folder: str, extra: Mapping[str, int]
) -> tuple[dict[str, bytes], IndexStats]:
    """One index of `docs` in `folder`."""
    ordered = sorted(docs, key=doc_order)
    postings = _postings(map(text_of, ordered))
    total = sum(len(v) for v in postings.values())
    shards = shard_count(total)
    code = _coder(len(ordered))
    lines: list[list[str]] = [[] for _ in range(shards)]
    for term in sorted(postings):
        lines[fnv1a(term) % shards].append(_line(term, postings[term], code))
    files = {f"{folder}/t/{n}.txt": _shard_file(shard) for n, shard in enumerate(lines)}
    files.update(_doc_files(folder, ordered, range(-(-len(ordered) // CHUNK))))
    files[f"{folder}/manifest.json"] = _manifest(shards, len(ordered), extra)
    stats = IndexStats(len(ordered), len(postings), total, shards, sum(len(b) for b in files.values()))
    return files, stats


class LiveIndex:
    """The files build_files makes, made again and again for documents of which only a few change between
    one time and the next (the preview, on each save): the public pages' index and the help pages' each kept
    by a _LivePart. The files are those of build_files."""

    def __init__(self) -> None:
        self.public = _LivePart(FOLDER)
        self.help = _LivePart(HELP_FOLDER)

    def update(
        self, docs: list[SearchDoc], source_of: Callable[[SearchDoc], object], text_of: Callable[[object], str]
    ) -> dict[str, bytes]:
        """Every file of the index for `docs`. `source_of` gives what a document's terms come from (compared
        with the previous update's to see whether they changed) and `text_of` the terms of such a source."""
        public, help_pages = _split(docs)
        files = dict(self.public.update(public, source_of, text_of, {"help": len(help_pages)}))
        if help_pages:
            files.update(self.help.update(help_pages, source_of, text_of, {}))
        else:  # build_files writes no help index then; the next help pages start afresh
            self.help = _LivePart(HELP_FOLDER)
        return files


class _LivePart:
    """One index (in `folder`) of LiveIndex: only the changed documents' terms are posted again and only the
    shards and document files they touch are made again."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.ordered: list[SearchDoc] = []
        self.sources: list[object] = []  # what each document's terms came from, as the caller gave it
        self.postings: dict[str, array] = {}
        self.total = 0  # postings
        self.terms_by_shard: list[list[str]] = []  # each shard's terms, sorted
        self.lines: dict[str, str] = {}  # term → its line in its shard
        self.files: dict[str, bytes] = {}

    def update(
        self,
        docs: list[SearchDoc],
        source_of: Callable[[SearchDoc], object],
        text_of: Callable[[object], str],
        extra: Mapping[str, int],
    ) -> dict[str, bytes]:
        """This index's files for `docs` (see LiveIndex.update); `extra` goes into the manifest."""
        ordered = sorted(docs, key=doc_order)
        sources = [source_of(d) for d in ordered]
        if [d.url for d in ordered] != [d.url for d in self.ordered]:  # documents added, removed or moved
            return self._rebuild(ordered, sources, text_of, extra)
        touched: set[str] = set()
        for i, (new, old) in enumerate(zip(sources, self.sources)):
            if new is not old and new != old:
                touched |= self._repost(i, text_of(old), text_of(new))
        if shard_count(self.total) != len(self.terms_by_shard):
            return self._rebuild(ordered, sources, text_of, extra)
        files = dict(self.files)
        shards = len(self.terms_by_shard)
        code = _coder(len(ordered))
        changed_shards = set()
        for term in touched:
            n = fnv1a(term) % shards
            changed_shards.add(n)
            if term in self.postings:
                if term not in self.lines:
                    insort(self.terms_by_shard[n], term)
                self.lines[term] = _line(term, self.postings[term], code)
            elif term in self.lines:
                del self.lines[term]
                self.terms_by_shard[n].remove(term)
        for n in changed_shards:
            files[f"{self.folder}/t/{n}.txt"] = _shard_file(self.lines[t] for t in self.terms_by_shard[n])
        chunks = {
            i // CHUNK
            for i, (new_doc, old_doc) in enumerate(zip(ordered, self.ordered))
            if new_doc is not old_doc and (new_doc.title, new_doc.summary) != (old_doc.title, old_doc.summary)
        }
        files.update(_doc_files(self.folder, ordered, sorted(chunks)))
        # the public manifest counts the help pages, which change apart from this index's documents
        files[f"{self.folder}/manifest.json"] = _manifest(shards, len(ordered), extra)
        self.ordered, self.sources, self.files = ordered, sources, files
        return files

    def _repost(self, doc_id: int, old: str, new: str) -> set[str]:
        """Move document `doc_id` from the postings of its old terms to those of its new ones; the terms touched."""
        before, after = dict.fromkeys(old.split()), dict.fromkeys(new.split())
        gone, added = before.keys() - after.keys(), after.keys() - before.keys()
        for term in gone:
            ids = self.postings[term]
            ids.remove(doc_id)
            if not ids:
                del self.postings[term]
        for term in added:
            known = self.postings.get(term)
            if known is None:
                self.postings[term] = array("I", (doc_id,))
            else:
                insort(known, doc_id)
        self.total += len(added) - len(gone)
        return gone | added

    def _rebuild(
        self,
        ordered: list[SearchDoc],
        sources: list[object],
        text_of: Callable[[object], str],
        extra: Mapping[str, int],
    ) -> dict[str, bytes]:
        self.ordered, self.sources = ordered, sources
        self.postings = _postings(text_of(source) for source in sources)
        self.total = sum(len(v) for v in self.postings.values())
        shards = shard_count(self.total)
        code = _coder(len(ordered))
        self.terms_by_shard = [[] for _ in range(shards)]
        self.lines = {}
        for term in sorted(self.postings):
            self.terms_by_shard[fnv1a(term) % shards].append(term)
            self.lines[term] = _line(term, self.postings[term], code)
        files = {
            f"{self.folder}/t/{n}.txt": _shard_file(self.lines[t] for t in terms)
            for n, terms in enumerate(self.terms_by_shard)
        }
        files.update(_doc_files(self.folder, ordered, range(-(-len(ordered) // CHUNK))))
        files[f"{self.folder}/manifest.json"] = _manifest(shards, len(ordered), extra)
        self.files = files
        return dict(files)


def write_index(
    site_dir: str, docs: list[SearchDoc], text_of: Callable[[SearchDoc], str] | None = None
) -> tuple[bool, str]:
    target = os.path.join(site_dir, FOLDER)
    shutil.rmtree(target, ignore_errors=True)
    files, stats = build_files(docs, text_of)
    for rel, data in files.items():
        path = os.path.join(site_dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
    return True, (
        f"已建立全文检索索引：{stats.docs} 个页面"
        + (f"（其中编辑帮助页面 {stats.help_docs} 个，另建索引）" if stats.help_docs else "")
        + f"，{stats.terms} 个检索词，{stats.shards} 个分片，"
        f"共 {stats.bytes / 1024 / 1024:.1f} MB。"
    )


def query_files(
    files: Mapping[str, bytes], query_terms: list[str], results: int = 10, folder: str = FOLDER
) -> list[str]:
    """The files the browser fetches for a query of one index (by default the public pages': the benchmark's
    first-search bytes)."""
    manifest = json.loads(files[f"{folder}/manifest.json"])
    needed = [f"{folder}/manifest.json"]
    hits: set[int] | None = None
    for term in query_terms:
        path = f"{folder}/t/{fnv1a(term) % manifest['shards']}.txt"
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
        path = f"{folder}/d/{doc_id // manifest['chunk']}.json"
        if path not in needed:
            needed.append(path)
    return needed
