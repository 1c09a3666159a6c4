"""The site's search index (publish/search_index.py): the editor guide's pages are kept apart from the public's.

The public index (search/) holds projects and public pages; help pages (SearchGroup.HELP, the guide) are in
search/help/, which the browser fetches only when the visitor asks for help pages too."""

from __future__ import annotations

import json

from generator.publish.search_index import FOLDER, HELP_FOLDER, build_files, query_files
from generator.render.search_text import SearchDoc, SearchGroup, index_text, page_search_doc


def _docs() -> list[SearchDoc]:
    project = SearchDoc("projects/2021/a/", "国库业务经费（2021）", "2021 年度", index_text("国库业务经费 预算执行率"))
    methodology = page_search_doc("methodology/", "方法说明", "<p>预算执行率的计算方法</p>")
    guide = page_search_doc("guide/fields/", "字段说明", "<p>预算执行率 字段 budget 录入</p>", SearchGroup.HELP)
    return [guide, methodology, project]


def _titles(files: dict[str, bytes], query: str, folder: str) -> list[str]:
    paths = query_files(files, index_text(query).split(), folder=folder)
    rows = [row for p in paths if p.startswith(f"{folder}/d/") for row in json.loads(files[p])]
    return [row[1] for row in rows]


def test_help_pages_have_an_index_of_their_own():
    files, stats = build_files(_docs())
    assert json.loads(files[f"{FOLDER}/manifest.json"])["help"] == 1
    assert json.loads(files[f"{HELP_FOLDER}/manifest.json"])["docs"] == 1
    assert stats.docs == 3 and stats.help_docs == 1
    # A word on every page: the public index finds the project first, then the public page, never the guide.
    assert _titles(files, "预算执行率", FOLDER) == ["国库业务经费（2021）", "方法说明"]
    assert _titles(files, "预算执行率", HELP_FOLDER) == ["字段说明"]
    # A word only the guide has is not in the public index at all, and the public query fetches no help file.
    public = query_files(files, index_text("录入").split())
    assert not any(p.startswith(HELP_FOLDER) for p in public)
    assert _titles(files, "录入", FOLDER) == [] and _titles(files, "录入", HELP_FOLDER) == ["字段说明"]
    assert not any("录入".encode() in data for path, data in files.items() if path.startswith(f"{FOLDER}/t/"))


def test_a_site_without_help_pages_has_no_help_index():
    files, stats = build_files([d for d in _docs() if d.group != SearchGroup.HELP])
    assert json.loads(files[f"{FOLDER}/manifest.json"])["help"] == 0
    assert not any(p.startswith(HELP_FOLDER) for p in files) and stats.help_docs == 0
