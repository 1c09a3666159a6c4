"""The site's search index (publish/search_index.py): the editor guide's pages are kept apart from the public's,
the index's own encodings read back as written, and the result filters' values travel with the documents.

The public index (search/) holds projects and public pages; help pages (SearchGroup.HELP, the guide) are in
search/help/, which the browser fetches only when the visitor asks for help pages too."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.publish.search_index import (
    FOLDER,
    HELP_FOLDER,
    build_files,
    decode_postings,
    decode_set,
    encode_postings,
    encode_set,
)
from generator.publish.search_query import query_files, search
from generator.render.search_text import TEXT, TITLE, SearchDoc, SearchGroup, page_search_doc


def _docs() -> list[SearchDoc]:
    project = SearchDoc(
        "projects/2021/a/",
        "国库业务经费（2021）",
        "2021 年度",
        ((TITLE, "国库业务经费"), (TEXT, "预算执行率")),
        year="2021",
        department="某财政局",
        grade="优",
    )
    methodology = page_search_doc("methodology/", "方法说明", "<p>预算执行率的计算方法</p>")
    guide = page_search_doc("guide/fields/", "字段说明", "<p>预算执行率 字段 budget 录入</p>", SearchGroup.HELP)
    return [guide, methodology, project]


def _titles(files: dict[str, bytes], query: str, folder: str) -> list[str]:
    session = search(files, query, folder)
    return [session.index.page(d)["t"] for d in session.more()]


def test_help_pages_have_an_index_of_their_own():
    files, stats = build_files(_docs())
    assert json.loads(files[f"{FOLDER}/manifest.json"])["help"] == 1
    assert json.loads(files[f"{HELP_FOLDER}/manifest.json"])["docs"] == 1
    assert stats.docs == 3 and stats.help_docs == 1
    # A word on every page: the public index finds the project first, then the public page, never the guide.
    assert _titles(files, "预算执行率", FOLDER) == ["国库业务经费（2021）", "方法说明"]
    assert _titles(files, "预算执行率", HELP_FOLDER) == ["字段说明"]
    # A word only the guide has is not in the public index at all, and the public query fetches no help file.
    public = query_files(files, "录入")
    assert not any(p.startswith(HELP_FOLDER) for p in public)
    assert _titles(files, "录入", FOLDER) == [] and _titles(files, "录入", HELP_FOLDER) == ["字段说明"]
    assert not any("录入".encode() in data for path, data in files.items() if not path.startswith(HELP_FOLDER))


def test_a_site_without_help_pages_has_no_help_index():
    files, stats = build_files([d for d in _docs() if d.group != SearchGroup.HELP])
    assert json.loads(files[f"{FOLDER}/manifest.json"])["help"] == 0
    assert not any(p.startswith(HELP_FOLDER) for p in files) and stats.help_docs == 0


def test_the_filters_values_are_the_documents():
    """The manifest's runs give each document its year, department and grade; pages other than projects none."""
    files, _ = build_files(_docs())
    session = search(files, "预算执行率")
    values = {session.index.page(d)["u"]: session.index.facet_values(d) for d, _ in session.order}
    assert values == {
        "projects/2021/a/": {"year": "2021", "department": "某财政局", "grade": "优"},
        "methodology/": {"year": "", "department": "", "grade": ""},
    }
    assert [session.index.page(d)["u"] for d, _ in search(files, "预算执行率", filters={"year": "2021"}).order] == [
        "projects/2021/a/"
    ]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.just(n), st.sets(st.integers(0, n - 1), min_size=1))))
def test_sets_read_back(case):
    universe, members = case
    positions = sorted(members)
    assert decode_set(encode_set(positions, universe), universe) == positions


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(0, 400), st.integers(1, 8), min_size=1))
def test_postings_read_back(levels):
    ids = sorted(levels)
    text = encode_postings([d << 4 | levels[d] for d in ids], 401)
    assert decode_postings(text, 401) == (ids, [levels[d] for d in ids])
