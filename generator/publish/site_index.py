"""What the site keeps of every published project once its page is out: enough for the index pages,
the 其他年度 links, the site-wide data files and the search index, and no more.

A 10,000-project build keeps only these summaries (and compressed data and search terms) in memory.
"""

from __future__ import annotations

import datetime as _dt
import zlib
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager
from html import escape
from typing import IO

from generator.render import compare, downloads, listings, problem_list
from generator.render.outputs import OTHER_YEARS, Asset, Page, ProjectOutput, RenderedProject, open_data_files
from generator.render.problems import FOLLOW_UP
from generator.render.project import SiteOptions
from generator.render.search_text import SearchDoc, unpack_fields, unpack_levels
from generator.render.summary import ProjectSummary
from generator.render.text import neutral_braces
from generator.render.urls import department_page, rel

from .search_index import SearchEntry, entry_of

Memo = dict  # (name, options) → (inputs, value): what a long-running caller keeps from one build to the next


def _page_source(url: str) -> str:
    """projects/2021/x/ → projects/2021/x.md (the inverse of urls.page_url for project pages)."""
    return url.rstrip("/") + ".md"


def _year(s: ProjectSummary) -> str:
    return f"{s.year} 年度" if s.year is not None else "评价年度未公布，"


class SiteIndex:
    def __init__(self, options: SiteOptions, today: _dt.date, memo: Memo | None = None) -> None:
        self.options = options
        self.today = today
        # A long-running caller (mkdocs serve) keeps `memo` between builds: index pages and data files whose
        # inputs did not change are not made again. It is refilled with this build's entries; lookups go
        # to the previous ones.
        self.previous: Memo = dict(memo) if memo is not None else {}
        if memo is not None:
            memo.clear()
        self.fresh_memo: Memo = memo if memo is not None else {}
        self.summaries: dict[str, ProjectSummary] = {}  # by page path
        self.parts: dict[str, bytes] = {}  # each project's share of the site-wide data files, compressed
        self.search_docs: dict[str, SearchDoc] = {}  # without their text (see search_text)
        self.search_terms: dict[str, bytes] = {}  # each project page's terms and levels, compressed
        self.search_fields: dict[str, bytes] = {}  # each project page's searchable text, compressed
        self.years: dict[str, bytes] = {}  # what a comparison across years needs of each project, compressed
        self._by_id: dict[str, list[ProjectSummary]] | None = None
        self._tracker: problem_list.Tracker | None = None  # problems and their follow-up (issue 17)

    def accept(self, rendered: RenderedProject) -> ProjectOutput:
        """Keep what the site needs of a rendered project; its page and files go on to the caller."""
        path = rendered.output.page.path
        self.summaries[path] = rendered.summary
        self.parts[path] = rendered.parts
        if rendered.output.page.search is not None:
            self.search_docs[path] = rendered.output.page.search
        self.search_terms[path] = rendered.terms
        self.search_fields[path] = rendered.search_fields
        self.years[path] = rendered.years
        self._tracker = None
        return rendered.output

    def cross_record(self, page_path: str) -> dict[str, str]:
        """The sections of a project page that name other records, by placeholder (see outputs.fill_cross_record):
        其他年度, and 整改情况 (issue 17)."""
        return {OTHER_YEARS: self.other_years(page_path), FOLLOW_UP: self.follow_up(page_path)}

    def tracker(self) -> problem_list.Tracker:
        """Every published problem and its status now (render/problem_list.py)."""
        if self._tracker is None:
            self._tracker = problem_list.Tracker(self._ordered())
        return self._tracker

    def follow_up(self, page_path: str) -> str:
        """The 整改情况 section of a project page (issue 17): "" when no public record gives it one."""
        return problem_list.follow_up_section(page_path, self.tracker())

    def accept_preview(self, rendered: RenderedProject) -> ProjectOutput:
        """A project only the local preview shows: searchable there, but in no index page or data file."""
        path = rendered.output.page.path
        if rendered.output.page.search is not None:
            self.search_docs[path] = rendered.output.page.search
        self.search_terms[path] = rendered.terms
        self.search_fields[path] = rendered.search_fields
        return rendered.output

    def other_years(self, page_path: str) -> str:
        """The 其他年度 section of a project page: links to the same project's other evaluations."""
        me = self.summaries.get(page_path)
        if me is None:
            return ""
        if self._by_id is None:
            self._by_id = defaultdict(list)
            for s in self.summaries.values():
                self._by_id[s.id].append(s)
        others = sorted(
            (s for s in self._by_id[me.id] if s.path != page_path), key=lambda s: (s.filed_year, s.evaluation, s.path)
        )
        if not others:
            return ""
        items = "\n".join(
            f'<li><a href="{rel(page_path, s.path)}">{escape(f"{_year(s)}{s.evaluation}：{s.name}")}</a></li>'
            for s in others
        )
        section = f'<h2 id="其他年度">其他年度</h2>\n<ul class="pd-other-years">\n{items}\n</ul>'
        if any(s.year != me.year for s in others):  # across years: the project's comparison page
            link = rel(page_path, compare.compare_path(me.id))
            section += f'\n<p class="pd-other-years"><a href="{link}">各年度指标和得分逐年对比</a></p>'
        return section

    def finish(self, extra_pages: dict[str, str] | None = None) -> list[Page]:
        """The index pages, once every record has been accepted, and `extra_pages` (path → Markdown)."""
        ordered = self._ordered()
        pages = self._remembered(
            "listings",
            tuple(ordered),
            lambda: [
                Page(p.path, neutral_braces(p.content))
                for p in listings.listing_pages(ordered, self.options, department_page)
            ],
        )
        return (
            pages
            + self._comparison_pages(ordered)
            + self._findings_pages(ordered)
            + [Page(path, content) for path, content in sorted((extra_pages or {}).items())]
        )

    def _findings_pages(self, ordered: list[ProjectSummary]) -> list[Page]:
        """问题清单 (issue 17): every problem the published evaluations list, with its status now."""
        return self._remembered(
            "findings",
            tuple(ordered),
            lambda: [Page(problem_list.FINDINGS_PAGE, neutral_braces(problem_list.findings_page(self.tracker())))],
        )

    def _comparison_pages(self, ordered: list[ProjectSummary]) -> list[Page]:
        """逐年对比: a page per project published in two years or more (render/compare.py)."""
        several = compare.multi_year_ids((s.id, s.year) for s in ordered)
        chosen = [s for s in ordered if s.id in several and s.year is not None]
        blobs = tuple(self.years[s.path] for s in chosen)

        def make() -> list[Page]:
            columns: dict[str, list[compare.Column]] = defaultdict(list)
            for s, blob in zip(chosen, blobs):
                columns[s.id].append(compare.unpack(blob))
            return [Page(path, neutral_braces(content)) for path, content in compare.comparison_pages(columns)]

        return self._remembered("comparisons", blobs, make)

    def _remembered(self, name: str, inputs: tuple, make: Callable[[], list]) -> list:
        """make(), or what it gave earlier in this build or in the caller's previous build (mkdocs serve) if `inputs`
        are the same. Unchanged records give the very same objects, so comparing the inputs is cheap."""
        key = (name, self.options)
        known = self.fresh_memo.get(key) or self.previous.get(key)  # made earlier in this build, or in the last
        value = known[1] if known is not None and known[0] == inputs else make()
        self.fresh_memo[key] = (inputs, value)
        return value

    def _ordered(self) -> list[ProjectSummary]:
        return sorted(self.summaries.values(), key=lambda s: s.sort_key)

    def _chunks(self, ordered: list[ProjectSummary] | None = None):
        return (downloads.unpack_chunks(zlib.decompress(self.parts[s.path])) for s in (ordered or self._ordered()))

    def data_files(self) -> list[Asset]:
        """The site-wide data files (data/projects.csv, …) in memory: for a small site or a preview."""
        ordered = self._ordered()
        return self._remembered(
            "data", tuple(self.parts[s.path] for s in ordered), lambda: downloads.site_files(self._chunks(ordered))
        ) + self._remembered("problems-csv", tuple(ordered), lambda: [self._problems_csv()])

    def open_data_files(self) -> list[Asset]:
        """The API's index files, the feeds, the data package and the JSON Schemas (render/outputs.open_data_files)."""
        ordered = self._ordered()
        return self._remembered(
            "open data", (*ordered, self.today), lambda: open_data_files(ordered, self.options, self.today)
        )

    def site_files(self) -> list[Asset]:
        """Every site-wide file in memory: the data files and the open-data files (for a small site or a preview)."""
        return self.data_files() + self.open_data_files()

    def write_data_files(self, open_file: Callable[[str], AbstractContextManager[IO[bytes]]]) -> None:
        """The same files written to `open_file` (path → writable binary file), the data files streamed record by
        record."""
        downloads.write_site_files(self._chunks(), open_file)
        for asset in self.open_data_files():
            with open_file(asset.path) as fh:
                fh.write(asset.content)
        problems = self._problems_csv()
        with open_file(problems.path) as fh:
            fh.write(problems.content)

    def _problems_csv(self) -> Asset:
        """data/problems.csv (issue 17): small beside the others, made whole from the summaries."""
        return Asset(problem_list.PROBLEMS_CSV, problem_list.problems_csv(self.tracker()))

    @staticmethod
    def data_paths() -> tuple[str, ...]:
        """Every site-wide data file a build writes."""
        return (*downloads.SITE_FILES, problem_list.PROBLEMS_CSV)

    def search_index_docs(self) -> list[SearchDoc]:
        return list(self.search_docs.values())

    def search_entry(self, doc: SearchDoc) -> SearchEntry:
        """A document's term levels and text: those kept compressed for projects, from its fields otherwise."""
        return source_entry(self.search_source(doc))

    def search_source(self, doc: SearchDoc) -> tuple[bytes, bytes] | SearchDoc:
        """Where a document's terms and text are kept: the compressed terms and fields of a project (the same
        objects while the project is unchanged), or the document itself."""
        path = _page_source(doc.url)
        blob = self.search_terms.get(path)
        return doc if blob is None else (blob, self.search_fields[path])


def source_entry(source: object) -> SearchEntry:
    """The SearchEntry of a SiteIndex.search_source."""
    if isinstance(source, SearchDoc):
        return entry_of(source)
    assert isinstance(source, tuple)
    terms, fields = source
    return SearchEntry(unpack_levels(zlib.decompress(terms).decode("utf-8")), unpack_fields(zlib.decompress(fields)))
