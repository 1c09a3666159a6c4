"""What the search index holds for a page: overlapping two-character terms for Chinese text.

Chinese has no spaces; a word segmenter (jieba, or Pagefind's own) splits 政府采购电子商城 into
words, and a visitor typing 商城 or 签章 — part of such a word — then finds nothing. Indexing every
pair of adjacent characters (电子 子商 商城 …) and splitting the query the same way in the browser
(theme/assets/pd-search.js) finds any run of two or more characters wherever it stands. Latin words
and numbers are kept whole. Each term is kept once per page: the index stays small and a page's
rank does not depend on how long its narrative is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKENS = re.compile(rf"[{_CJK}]+|[A-Za-z0-9]+(?:\.[0-9]+)?")
_TAGS = re.compile(r"<[^>]+>")
_IGNORED = re.compile(r"<(script|style|svg)\b.*?</\1>", re.S | re.I)


@dataclass(frozen=True)
class SearchDoc:
    url: str  # site-relative, e.g. projects/2021/x/
    title: str
    summary: str  # shown under the title in the results
    text: str  # the indexed terms, space separated
    group: int = 0  # 0 project pages, 1 guide and other pages: results list projects first
    order_key: str = ""  # order within the group (projects: newest year first, then name)


def terms(text: str) -> list[str]:
    """Unique search terms in order of first appearance: CJK bigrams and lowercased Latin words."""
    seen: dict[str, None] = {}
    for token in _TOKENS.findall(text):
        if token[0].isascii():
            seen.setdefault(token.lower(), None)
        elif len(token) == 1:
            seen.setdefault(token, None)
        else:  # update() keeps the first position of a term seen before
            seen.update(dict.fromkeys(map(str.__add__, token[:-1], token[1:])))
    return list(seen)


def index_text(*parts: str | None) -> str:
    return " ".join(terms(" ".join(p for p in parts if p)))


def html_to_text(html: str) -> str:
    import html as _html

    return _html.unescape(_TAGS.sub(" ", _IGNORED.sub(" ", html)))
