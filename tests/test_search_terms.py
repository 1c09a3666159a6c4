"""Search terms (generator/search_text.py) against a plain reference: every pair of adjacent CJK
characters, single CJK characters standing alone, Latin words and numbers lowercased, each once, in
order of first appearance. The browser splits a query the same way (pd-search.js)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.search_text import index_text, terms

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKENS = re.compile(rf"[{_CJK}]+|[A-Za-z0-9]+(?:\.[0-9]+)?")


def reference_terms(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for token in _TOKENS.findall(text):
        if token[0].isascii():
            seen.setdefault(token.lower(), None)
        elif len(token) == 1:
            seen.setdefault(token, None)
        else:
            for i in range(len(token) - 1):
                seen.setdefault(token[i : i + 2], None)
    return list(seen)


ALPHABET = st.sampled_from(list("预算执行率绩效指标电子商城签章㐀豈") + list("aZ09.。， \n-%") + ["\u3000", "ａ"])


@settings(max_examples=400, deadline=None)
@given(st.text(ALPHABET, max_size=60))
def test_terms_match_the_reference(text):
    assert terms(text) == reference_terms(text)


def test_terms_of_a_phrase():
    assert terms("政府采购电子商城 ABC 12.5 预算，电 子") == [
        "政府",
        "府采",
        "采购",
        "购电",
        "电子",
        "子商",
        "商城",
        "abc",
        "12.5",
        "预算",
        "电",
        "子",
    ]
    assert index_text("预算执行率", None, "预算") == "预算 算执 执行 行率"
