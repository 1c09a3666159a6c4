"""A query of the site's search index, ranked as the browser ranks it (theme/assets/pd-search.js does the same
steps; tests/site/test_search_ranking_browser.py checks that both give the same order).

1. The query's terms (search_text.query_terms); the documents holding every required term are the results —
   ranking only orders them, it never drops one.
2. Each result's score: for each term it holds, the term's level on that page (its field weights and count)
   times the term's rarity (idf: 1 + how many times the result count halves to the document count). Equal
   scores keep the documents' order (newest year, department, grade, name).
3. The exact phrase above scattered pieces: the texts of the first results — those shown plus LOOKAHEAD more —
   are fetched and a page holding the whole query (or each of its words) moves ahead of one holding only its
   two-character pieces. "More results" checks LOOKAHEAD further pages each time; a result once shown keeps
   its place.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.render.search_text import QueryTerms, doc_text, phrase_level, query_terms

from .search_index import FOLDER, decode_postings, fnv1a, iter_lines

SHOWN = 10  # results shown at first, and added by each 更多结果
LOOKAHEAD = 10  # results beyond those shown whose text is checked for the phrase
FACETS = ("year", "department", "grade")


def idf(df: int, docs: int) -> int:
    """A term's rarity as a whole number: 1, plus one for each halving from the document count down to df."""
    out, x = 1, df
    while x * 2 <= docs:
        x *= 2
        out += 1
    return out


class IndexFiles:
    """One index (search/ or search/help/) read from {path: bytes}, remembering which files were read, in order."""

    def __init__(self, files: Mapping[str, bytes], folder: str = FOLDER):
        self.files = files
        self.folder = folder
        self.fetched: list[str] = []
        self.manifest = json.loads(self._read("manifest.json"))

    def _read(self, rel: str) -> bytes:
        path = f"{self.folder}/{rel}"
        if path not in self.fetched:
            self.fetched.append(path)
        return self.files[path]

    def postings(self, term: str) -> dict[int, int]:
        """Document id → level of the documents holding the term."""
        shard = self._read(f"t/{fnv1a(term) % self.manifest['shards']}.txt").decode("utf-8")
        for name, text in iter_lines(shard):
            if name == term:
                ids, levels = decode_postings(text, self.manifest["docs"])
                return dict(zip(ids, levels))
        return {}

    def page(self, doc_id: int) -> dict:
        return json.loads(self._read(f"p/{doc_id}.json"))

    def facet_values(self, doc_id: int) -> dict[str, str]:
        """The filter values of a document ("" for none), from the manifest's runs."""
        f = self.manifest["facets"]
        runs = f["runs"]
        start = 0
        for i in range(0, len(runs), 4):
            if doc_id < start + runs[i]:
                return {name: (f[name][c] if c >= 0 else "") for name, c in zip(FACETS, runs[i + 1 : i + 4])}
            start += runs[i]
        return dict.fromkeys(FACETS, "")


def ranked(index: IndexFiles, terms: QueryTerms) -> list[tuple[int, int]]:
    """(document id, score) of every result, best first (step 1 and 2)."""
    if not terms.required:
        return []
    docs = index.manifest["docs"]
    lists = {t: index.postings(t) for t in terms.required + terms.optional}
    found = set(lists[terms.required[0]])
    for t in terms.required[1:]:
        found &= lists[t].keys()
    weight = {t: idf(len(p), docs) if p else 0 for t, p in lists.items()}
    scored = [(d, sum(weight[t] * p.get(d, 0) for t, p in lists.items())) for d in found]
    return sorted(scored, key=lambda x: (-x[1], x[0]))


@dataclass
class Session:
    """The results of one query as the visitor pages through them (step 3)."""

    index: IndexFiles
    query: str
    order: list[tuple[int, int]]  # ranked(), possibly filtered
    shown: list[int] = field(default_factory=list)
    pool: list[tuple[int, int, int]] = field(default_factory=list)  # (phrase level, score, id) checked, not shown
    checked: int = 0

    def more(self, n: int = SHOWN) -> list[int]:
        """The next n results (fewer at the end)."""
        until = min(len(self.order), len(self.shown) + n + LOOKAHEAD)
        for doc_id, score in self.order[self.checked : until]:
            text = doc_text(tuple((a, b) for a, b in self.index.page(doc_id)["f"]))
            self.pool.append((phrase_level(self.query, text), score, doc_id))
        self.checked = max(self.checked, until)
        self.pool.sort(key=lambda x: (-x[0], -x[1], x[2]))
        taken, self.pool = self.pool[:n], self.pool[n:]
        self.shown += [d for _, _, d in taken]
        return [d for _, _, d in taken]


def search(
    files: Mapping[str, bytes], query: str, folder: str = FOLDER, filters: Mapping[str, str] | None = None
) -> Session:
    """A session on the query's results, none shown yet (call .more())."""
    index = IndexFiles(files, folder)
    order = ranked(index, query_terms(query))
    if filters:
        order = [(d, s) for d, s in order if all(index.facet_values(d)[k] == v for k, v in filters.items() if v)]
    return Session(index, query, order)


def query_files(files: Mapping[str, bytes], query: str, folder: str = FOLDER) -> list[str]:
    """The files the browser fetches for the first results of a query (the benchmark's first-search bytes):
    the manifest, the terms' shards and the pages of the results shown and looked ahead at."""
    session = search(files, query, folder)
    session.more()
    return list(session.index.fetched)
