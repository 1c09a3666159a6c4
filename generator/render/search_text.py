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
from enum import IntEnum

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TAGS = re.compile(r"<[^>]+>")
_IGNORED = re.compile(r"<(script|style|svg)\b.*?</\1>", re.S | re.I)


class SearchGroup(IntEnum):
    """Which pages a result is, in the order results are listed. Help pages (the editor guide) are kept in an
    index of their own, searched only when the visitor asks for them (publish/search_index.py)."""

    PROJECT = 0
    PAGE = 1  # methodology and hand-written public pages
    HELP = 2  # the editor guide


@dataclass(frozen=True)
class SearchDoc:
    """One page's entry in the search index."""

    url: str  # site-relative, e.g. projects/2021/x/
    title: str
    summary: str  # shown under the title in the results
    text: str  # the indexed terms, space separated
    group: int = SearchGroup.PROJECT  # results list projects first, then other public pages; help pages apart
    order_key: str = ""  # order within the group (projects: newest year first, then name)


# One pass in C over the text: a Latin word or number (group 1); a CJK character followed by another,
# which yields the pair through the lookahead (group 2); or a CJK character standing alone (group 3).
_TERMS = re.compile(rf"([A-Za-z0-9]+(?:\.[0-9]+)?)|(?=([{_CJK}]{{2}}))[{_CJK}]|(?<![{_CJK}])([{_CJK}])(?![{_CJK}])")


def terms(text: str) -> list[str]:
    """Unique search terms in order of first appearance: CJK bigrams and lowercased Latin words."""
    return list(
        dict.fromkeys([latin.lower() if latin else (pair or single) for latin, pair, single in _TERMS.findall(text)])
    )


def index_text(*parts: str | None) -> str:
    """The search terms of the given texts (None skipped), space separated."""
    return " ".join(terms(" ".join(p for p in parts if p)))


def html_to_text(html: str) -> str:
    """The text of an HTML page for indexing: tags, scripts, styles and SVG removed, entities decoded."""
    import html as _html

    return _html.unescape(_TAGS.sub(" ", _IGNORED.sub(" ", html)))


def page_search_doc(url: str, title: str | None, html: str, group: SearchGroup = SearchGroup.PAGE) -> SearchDoc:
    """A hand-written or guide page as the search index holds it (listed after the projects)."""
    text = html_to_text(html)
    return SearchDoc(
        url=url,
        title=title or url,
        summary=" ".join(text.split())[:80],
        text=index_text(title, text),
        group=group,
        order_key=url,
    )
