"""The preview's search index (publish/search_index.LiveIndex), made again from what changed after each
save, is byte for byte the index a build makes (build_files) of the same documents: the public index and the
help pages' index apart."""

from __future__ import annotations

from dataclasses import replace
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.publish import search_index
from generator.publish.search_index import LiveIndex, SearchEntry, build_files, entry_of
from generator.render.search_text import TEXT, TITLE, SearchDoc, SearchGroup

TERMS = ["甲乙", "乙丙", "丙丁", "丁戊", "戊己", "oracle", "2021", "x1", "子", "丑"]
texts = st.lists(st.sampled_from(TERMS), max_size=8).map(" ".join)
summaries = st.sampled_from(["", "摘要", "另一个摘要"])
facet_values = st.sampled_from(["", "2021", "2022", "优", "财政局"])


def _fields(title: str, text: str) -> tuple[tuple[str, str], ...]:
    """A name field (a heavy one: its terms rank higher) and the text: the same term in both raises its level."""
    return ((TITLE, title), (TEXT, text))


def _text(doc: SearchDoc) -> str:
    return doc.fields[1][1]


@st.composite
def documents(draw, n: int | None = None) -> list[SearchDoc]:
    count = draw(st.integers(1, 9)) if n is None else n
    return [
        SearchDoc(
            url=f"projects/{i}/",
            title=f"项目{i}",
            summary=draw(summaries),
            fields=_fields(draw(st.sampled_from(["", "甲乙", "子"])), draw(texts)),
            group=draw(st.integers(0, 2)),  # projects, pages, help pages (an index apart)
            order_key=draw(st.sampled_from(["a", "b", "c"])),
            year=draw(facet_values),
            grade=draw(facet_values),
        )
        for i in range(count)
    ]


# An edit: (what, which document, new text, summary or facet); "add" and "drop" change the set of documents.
edits = st.lists(
    st.tuples(
        st.sampled_from(["text", "text", "text", "title", "summary", "year", "add", "drop"]), st.integers(0, 20), texts
    ),
    min_size=1,
    max_size=12,
)


def _apply(docs: list[SearchDoc], what: str, which: int, value: str, serial: int) -> list[SearchDoc]:
    i = which % len(docs)
    if what == "text":
        return [replace(d, fields=_fields(d.fields[0][1], value)) if k == i else d for k, d in enumerate(docs)]
    if what == "title":
        return [replace(d, fields=_fields(value[:2], _text(d))) if k == i else d for k, d in enumerate(docs)]
    if what == "summary":
        return [replace(d, summary=value[:6]) if k == i else d for k, d in enumerate(docs)]
    if what == "year":
        return [replace(d, year=value[:4]) if k == i else d for k, d in enumerate(docs)]
    if what == "add":
        group = SearchGroup.HELP if which % 2 else SearchGroup.PAGE
        doc = SearchDoc(f"guide/{serial}/", f"页面{serial}", "", _fields("", value), group=group, order_key=str(serial))
        return [*docs, doc]
    return [d for k, d in enumerate(docs) if k != i] or docs


def _source(doc: SearchDoc) -> object:
    return doc.fields


def _entry(source: object) -> SearchEntry:
    return entry_of(SearchDoc("", "", "", fields=source))  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(documents(), edits, st.sampled_from([2, 5, 12_000]))
def test_live_index_is_the_index_a_build_makes(docs, changes, shard_bytes):
    # Few bytes per shard: edits that cross a shard-count boundary are common, as they are rare at full size.
    with mock.patch.object(search_index, "SHARD_BYTES", shard_bytes):
        live = LiveIndex()
        assert live.update(docs, _source, _entry) == build_files(docs)[0]
        for serial, (what, which, value) in enumerate(changes):
            docs = _apply(docs, what, which, value, serial)
            assert live.update(docs, _source, _entry) == build_files(docs)[0], (what, which, value)


def test_an_unchanged_document_is_not_read_again():
    docs = [SearchDoc(f"projects/{i}/", f"项目{i}", "", _fields("", f"甲乙 乙丙 x{i}")) for i in range(200)]
    live = LiveIndex()
    live.update(docs, _source, _entry)
    read: list[str] = []

    def entry(source: object) -> SearchEntry:
        read.append(source[1][1])  # type: ignore[index]
        return _entry(source)

    edited = [*docs[:100], replace(docs[100], fields=_fields("", "甲乙 新词")), *docs[101:]]
    assert live.update(edited, _source, entry) == build_files(edited)[0]
    assert read == ["甲乙 新词"], "only the edited document's new terms"
