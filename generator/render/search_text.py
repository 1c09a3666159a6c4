"""What the search index holds for a page: its text in weighted fields, and the terms that text gives.

Chinese has no spaces; a word segmenter (jieba, or Pagefind's own) splits 政府采购电子商城 into
words, and a visitor typing 商城 or 签章 — part of such a word — then finds nothing. Indexing every
pair of adjacent characters (电子 子商 商城 …) and splitting the query the same way in the browser
(theme/assets/pd-search.js) finds any run of two or more characters wherever it stands. Latin words
and numbers are kept whole.

Ranking: a page's text comes in fields (SearchDoc.fields) — the project name, the organisations
(department, region, implementer, evaluator), the indicator names, and everything else — and a term
weighs more in a heavier field (FIELD_WEIGHTS) and more the more often it occurs there, with
diminishing returns (1 + log2 of the count). The index stores that weight per page and term only as a
small level (1…MAX_LEVEL, a doubling of the weight per level): publish/search_index.py writes it,
publish/search_query.py and pd-search.js rank with it.

A query is split by query_terms: Chinese runs of two or more characters into pairs; a single Chinese
character or a Latin word at the very start or end of the query may be the cut-off end of a longer run
or word in the text (率 of 执行率, 2021 of 20210), which the index does not hold as a term, so such an
"open" piece never has to be found — Latin ones only raise the rank of pages that have them. Every page
whose text contains the query is therefore among the results (tests/test_search_ranking.py).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from enum import IntEnum

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TAGS = re.compile(r"<[^>]+>")
_IGNORED = re.compile(r"<(script|style|svg)\b.*?</\1>", re.S | re.I)
# A Chinese run, or a Latin word or number (12.5 stays one). pd-search.js uses the same pattern.
_TOKENS = re.compile(rf"[{_CJK}]+|[A-Za-z0-9]+(?:\.[0-9]+)?")


class SearchGroup(IntEnum):
    """Which pages a result is, in the order results are listed. Help pages (the editor guide) are kept in an
    index of their own, searched only when the visitor asks for them (publish/search_index.py)."""

    PROJECT = 0
    PAGE = 1  # methodology and hand-written public pages
    HELP = 2  # the editor guide


# How much a term weighs in each field: the project name above the organisations and indicator names, those
# above the narrative and the other text. A name match (64) outweighs any number of matches elsewhere.
TITLE, ORG, INDICATOR, TEXT = "title", "org", "indicator", "text"
FIELD_WEIGHTS = {TITLE: 64, ORG: 8, INDICATOR: 8, TEXT: 1}
MAX_LEVEL = 8  # levels 1…8: weights 1, 2–3, 4–7, …, 128 and more

Fields = tuple[tuple[str, str], ...]  # (field name, its text), in the order a result's excerpt looks through them


@dataclass(frozen=True)
class SearchDoc:
    """One page's entry in the search index."""

    url: str  # site-relative, e.g. projects/2021/x/
    title: str
    summary: str  # shown under the title in the results when no excerpt can be made
    fields: Fields = ()  # the searchable text, by field (FIELD_WEIGHTS); () where the caller keeps it elsewhere
    group: int = SearchGroup.PROJECT  # projects and other public pages in one index; help pages apart
    order_key: str = ""  # order among equally ranked results (projects: newest year, department, grade, name)
    # the result filters (facets) of a project page: "" for other pages
    year: str = ""
    department: str = ""
    grade: str = ""


def _tokens_terms(tokens: list[str]) -> list[str]:
    """Every term of the tokens, with repeats, in order: Chinese runs as pairs, a lone character alone, Latin
    lowercased."""
    out: list[str] = []
    for tok in tokens:
        if tok[0] < "\u0080":
            out.append(tok.lower())
        elif len(tok) == 1:
            out.append(tok)
        else:
            out.extend(map(str.__add__, tok, tok[1:]))
    return out


def terms(text: str) -> list[str]:
    """Unique search terms in order of first appearance: CJK bigrams and lowercased Latin words."""
    return list(dict.fromkeys(_tokens_terms(_TOKENS.findall(text))))


def term_counts(text: str) -> Counter[str]:
    """How often each search term occurs in the text."""
    return Counter(_tokens_terms(_TOKENS.findall(text)))


def index_text(*parts: str | None) -> str:
    """The search terms of the given texts (None skipped), space separated."""
    return " ".join(terms(" ".join(p for p in parts if p)))


def level(weight: float) -> int:
    """A term's weight on a page as a level: 1 below 2, then one more per doubling, at most MAX_LEVEL."""
    return max(1, min(MAX_LEVEL, 1 + math.floor(math.log2(weight)))) if weight >= 1 else 1


def term_levels(fields: Fields) -> dict[str, int]:
    """Each term of the page's fields with its level: the field weights times 1 + log2(count) in each field."""
    texts: dict[str, list[str]] = {}
    for name, text in fields:
        if text:
            texts.setdefault(name, []).append(text)
    weight: dict[str, float] = {}
    for name, parts in texts.items():
        w = FIELD_WEIGHTS[name]
        for term, count in term_counts(" ".join(parts)).items():
            weight[term] = weight.get(term, 0.0) + w * (1 + math.log2(count))
    return {term: level(w) for term, w in weight.items()}


def pack_levels(levels: dict[str, int]) -> str:
    """Term levels as text, one line per level: "<level> <term> <term> …" (how a worker hands them on)."""
    by_level: dict[int, list[str]] = {}
    for term, lv in levels.items():
        by_level.setdefault(lv, []).append(term)
    return "\n".join(f"{lv} {' '.join(ts)}" for lv, ts in sorted(by_level.items()))


def unpack_levels(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for line in text.splitlines():
        lv, *ts = line.split(" ")
        for term in ts:
            out[term] = int(lv)
    return out


def pack_fields(fields: Fields) -> bytes:
    """The fields as JSON bytes (how a worker hands a project's text on, and how the index's page files hold it)."""
    return json.dumps([list(f) for f in fields], ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def unpack_fields(data: bytes) -> Fields:
    return tuple((name, text) for name, text in json.loads(data))


def doc_text(fields: Fields) -> str:
    """A page's searchable text as one string (what a plain substring scan of the page looks through)."""
    return " ".join(text for _, text in fields if text)


# ---- the query, as pd-search.js splits it


@dataclass(frozen=True)
class QueryTerms:
    required: tuple[str, ...]  # every result holds each of these
    optional: tuple[str, ...]  # open Latin pieces: they raise a page's rank, but a page without them is kept
    too_short: bool = False  # only single Chinese characters: no term to look up
    whole_words: bool = False  # only Latin words or numbers: looked up whole (10 does not find 100)


def query_terms(query: str) -> QueryTerms:
    """The terms of a query (see the module's docstring): pieces at the query's ends that may be cut off from a
    longer run or word in the text are not required."""
    q = query.strip()
    required: list[str] = []
    optional: list[str] = []
    singles = False
    for m in _TOKENS.finditer(q):
        tok, start, end = m.group(0), m.start(), m.end()
        latin = tok[0] < "\u0080"
        # A number may go on before a "." at the query's start (…3.5) or after one at its end (12.…).
        open_start = start == 0 or (latin and start == 1 and q[0] == ".")
        open_end = end == len(q) or (latin and end == len(q) - 1 and q[end] == ".")
        if latin:
            (optional if open_start or open_end else required).append(tok.lower())
        elif len(tok) == 1:
            if open_start or open_end:
                singles = True
            else:
                required.append(tok)
        else:
            required.extend(map(str.__add__, tok, tok[1:]))
    req = tuple(dict.fromkeys(required))
    opt = tuple(t for t in dict.fromkeys(optional) if t not in req)
    if not req and opt:  # a query of Latin words only: those words, whole, are what the visitor asks for
        return QueryTerms(opt, (), whole_words=True)
    return QueryTerms(req, opt, too_short=not req and singles)


def normalize(text: str) -> str:
    """Text as the phrase check compares it: lowercased, each run of white space one space."""
    return " ".join(text.lower().split())


def phrase_level(query: str, text: str) -> int:
    """2 when the page holds the whole query as typed (the exact phrase), 1 when it holds each of the query's
    space-separated words, 0 when it holds only their two-character pieces, scattered."""
    q, t = normalize(query), normalize(text)
    if q and q in t:
        return 2
    words = q.split(" ")
    return 1 if len(words) > 1 and all(w in t for w in words) else 0


_INLINE = re.compile(r"\]\([^)\s]*\)|[*`~\[\]]+")  # emphasis and links: the words stay joined
_BLOCK = re.compile(r"<[^>]+>|[#|>]+|^\s*[-+]\s|:?-{3,}:?", re.M)  # headings, tables, quotes, lists, rules


def markdown_text(md: str) -> str:
    """A narrative's Markdown as plain text for the index and the results' excerpts: emphasis, headings, table
    rules, link targets and tags dropped, white space collapsed."""
    return " ".join(_BLOCK.sub(" ", _INLINE.sub("", md)).split())


def html_to_text(html: str) -> str:
    """The text of an HTML page for indexing: tags, scripts, styles and SVG removed, entities decoded."""
    import html as _html

    return _html.unescape(_TAGS.sub(" ", _IGNORED.sub(" ", html)))


def page_search_doc(url: str, title: str | None, html: str, group: SearchGroup = SearchGroup.PAGE) -> SearchDoc:
    """A hand-written or guide page as the search index holds it: its title, and its text."""
    text = " ".join(html_to_text(html).split())
    return SearchDoc(
        url=url,
        title=title or url,
        summary=text[:80],
        fields=((TITLE, title or ""), (TEXT, text)),
        group=group,
        order_key=url,
    )
