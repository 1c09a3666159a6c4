"""Ranked search (render/search_text.py: fields, levels, query terms; publish/search_query.py: the ranking the
browser does, in Python): field weights, term frequency, the exact phrase above scattered pieces, 更多结果 — and
that ranking never drops a page: every page a plain substring scan finds is among the results (a property test
over random substrings of the seed records' real texts)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.publish.search_index import build_files
from generator.publish.search_query import LOOKAHEAD, SHOWN, search
from generator.render.search_text import (
    INDICATOR,
    ORG,
    TEXT,
    TITLE,
    SearchDoc,
    doc_text,
    page_search_doc,
    phrase_level,
    query_terms,
    term_levels,
)

ROOT = Path(__file__).resolve().parents[1]


def doc(n: int, **fields: str) -> SearchDoc:
    return SearchDoc(f"p/{n}/", f"页面{n}", "", tuple(fields.items()), order_key=f"{n:03d}")


def ranked_urls(docs: list[SearchDoc], query: str, n: int = 100) -> list[str]:
    files, _ = build_files(docs)
    session = search(files, query)
    return [session.index.page(d)["u"] for d in session.more(n)]


# ---------------------------------------------------------------- levels and weights


def test_a_term_weighs_by_field_and_by_how_often():
    levels = term_levels(((TITLE, "国库业务"), (INDICATOR, "资金到位率"), (TEXT, "运维 运维 运维 运维 满意")))
    assert levels["国库"] > levels["到位"] > levels["运维"] > levels["满意"] == 1
    # a name match outweighs any number of mentions in the text
    assert term_levels(((TITLE, "国库"),))["国库"] > term_levels(((TEXT, "国库 " * 10_000),))["国库"]


def test_the_name_ranks_above_the_indicators_and_those_above_the_text():
    docs = [
        doc(0, text="国库 " * 50),  # often, but only in the narrative
        doc(1, indicator="国库支付率"),
        doc(2, title="国库业务经费"),
        doc(3, org="国库支付中心"),
    ]
    urls = ranked_urls(docs, "国库")
    assert urls[0] == "p/2/"
    assert set(urls[1:3]) == {"p/1/", "p/3/"} and urls[3] == "p/0/"


def test_more_often_ranks_higher_in_the_same_field():
    docs = [doc(0, text="预算 执行"), doc(1, text="执行 执行 执行 执行 执行 执行 执行 执行")]
    assert ranked_urls(docs, "执行") == ["p/1/", "p/0/"]


def test_a_rare_term_counts_more_than_a_common_one():
    common = [doc(i, text="预算 管理") for i in range(20)]
    docs = common + [doc(20, text="预算 预算 预算 预算 预算 预算 预算 预算 安全"), doc(21, text="预算 安全 安全")]
    # both hold 预算 and 安全; the one with more of the rarer 安全 leads
    assert ranked_urls(docs, "预算 安全")[:2] == ["p/21/", "p/20/"]


def test_the_exact_phrase_ranks_above_scattered_pieces():
    scattered = doc(0, title="预算执行 执行率", text="预算 算执 执行 行率 " * 20)  # every piece, often; no phrase
    exact = doc(1, text="本项目预算执行率为百分之百")
    files, _ = build_files([scattered, exact])
    session = search(files, "预算执行率")
    assert [d for d, _ in session.order] == [0, 1]  # by the index alone the pieces score higher
    assert [session.index.page(d)["u"] for d in session.more()] == ["p/1/", "p/0/"]  # the phrase check reorders
    assert phrase_level("预算执行率", "预算执行率") == 2
    assert phrase_level("预算 执行率", "执行率与预算") == 1
    assert phrase_level("预算执行率", "预算执行 执行率") == 0


def test_more_results_pages_through_every_result_once_and_shown_ones_stay():
    docs = [doc(i, text="满意度 " * (i % 7 + 1)) for i in range(35)]
    files, _ = build_files(docs)
    session = search(files, "满意度")
    first = session.more()
    assert len(first) == SHOWN and session.checked == SHOWN + LOOKAHEAD
    rest = session.more() + session.more() + session.more()
    assert len(rest) == 25 and session.more() == []
    assert sorted(first + rest) == list(range(35))
    assert session.shown[:SHOWN] == first


def test_pieces_cut_off_at_the_query_ends_are_not_required():
    docs = [doc(0, text="预算执行率，项目运行正常"), doc(1, text="项目 2021 年"), doc(2, text="项目 20210 号")]
    assert ranked_urls(docs, "率，项目")[0] == "p/0/"  # 率 alone is no index term: 项目 finds it, the phrase leads
    assert query_terms("率，项目").required == ("项目",)
    # a number at the end may go on in the text (20210): it is not required, the typed text (项目 2021, in 项目 20210
    # too) ranks first, and of those the page with the whole number 2021 leads
    assert ranked_urls(docs, "项目 2021") == ["p/1/", "p/2/", "p/0/"]
    assert query_terms("率").too_short and not query_terms("率").required


# ---------------------------------------------------------------- never drops: a property test on real texts


@lru_cache(maxsize=1)
def corpus() -> tuple[list[SearchDoc], dict[str, bytes]]:
    """The seed records' search documents (real published texts) and two hand-written pages, and their index."""
    from generator.core.pipeline import run
    from generator.render.project import project_search_doc

    result = run([str(ROOT / "projects")])
    docs = [project_search_doc(ev) for ev in result.evaluations]
    for path in sorted((ROOT / "generator" / "render" / "guide" / "pages").glob("*.md"))[:3]:  # hand-written pages
        docs.append(page_search_doc(f"guide/{path.stem}/", path.stem, path.read_text(encoding="utf-8")))
    files, _ = build_files(docs)
    return docs, files


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_every_page_holding_the_query_is_found(data):
    docs, files = corpus()
    texts = [doc_text(d.fields) for d in docs]
    source = data.draw(st.sampled_from(texts))
    start = data.draw(st.integers(0, max(0, len(source) - 2)))
    query = source[start : start + data.draw(st.integers(2, 24))]
    # A query the search answers with a Chinese term: not one Chinese character alone (refused), and not Latin
    # letters or digits alone, which are looked up as whole words and numbers (10 does not find 100).
    assume(query_terms(query).required and not query_terms(query).whole_words)
    holding = {d.url for d, t in zip(docs, texts) if query.strip().lower() in t.lower()}
    session = search(files, query)
    found = [session.index.page(d)["u"] for d in session.more(len(session.order))]
    assert holding <= set(found), (query, holding - set(found))
    # and the pages holding the exact phrase come first
    phrase = [u in holding for u in found]
    assert phrase == sorted(phrase, reverse=True), (query, found)


def test_the_corpus_is_real_text():
    docs, _ = corpus()
    assert len(docs) >= 8 and sum(len(doc_text(d.fields)) for d in docs) > 40_000
    assert {f for d in docs[:5] for f, _ in d.fields} == {TITLE, ORG, INDICATOR, TEXT}


def test_a_narrative_is_indexed_as_the_page_shows_it():
    """Markdown emphasis and links do not split a word (加**粗**体 is found as 加粗体); headings, tables and link
    targets leave no symbols in the excerpts."""
    from generator.render.search_text import markdown_text

    text = markdown_text(
        "## 一、概况\n\n加**粗**体与[链接](https://example.org/x)。\n\n| 指标 | 值 |\n|---|---|\n| 满意度 | 95% |\n"
    )
    assert text == "一、概况 加粗体与链接。 指标 值 满意度 95%"
