"""Assemble every generated page and file of the site from the evaluated records.

SiteBuilder works record by record: each published record's page and downloads are rendered as
soon as it is evaluated and handed to the caller, and only a small summary is kept for the index
pages, the site-wide data files and the search index. That keeps a 10,000-project build within a
bounded amount of memory. `build_site` is the all-at-once form of the same thing.
"""
from __future__ import annotations

import datetime as _dt
import os
import zlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from html import escape

from generator.core.diagnostics import has_errors
from generator.core.scoring import Evaluation
from generator.render.search_text import SearchDoc
from generator.render import downloads
from generator.render import listings
from generator.render.project import SiteOptions, download_base, project_path, project_search_doc, render_project
from generator.render.summary import ProjectSummary, summarize
from generator.render.text import neutral_braces, slugify_name
from generator.render.urls import rel

OTHER_YEARS = "<!--pd-other-years-->"  # filled in once every record is known


@dataclass(frozen=True)
class Page:
    path: str  # source path relative to the docs root, e.g. projects/2021/x.md
    content: str  # Markdown with HTML blocks ("" once lifted)
    search: SearchDoc | None = None  # what the search index holds for it (None: not searchable)
    lifted: tuple[str, bytes] | None = None  # (Markdown with placeholders, packed HTML blocks): see lift.py


@dataclass(frozen=True)
class Asset:
    path: str  # relative to the site root
    content: bytes


@dataclass(frozen=True)
class ProjectOutput:
    page: Page  # its content holds OTHER_YEARS where links to the project's other years go
    assets: list[Asset]


@dataclass
class SiteBundle:
    pages: list[Page] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    published: list[Evaluation] = field(default_factory=list)
    withheld: list[Evaluation] = field(default_factory=list)  # drafts, future publication, records with errors



def build_date() -> _dt.date:
    """Today, or the date of SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc).date()
    return _dt.date.today()


def is_public(ev: Evaluation, today: _dt.date) -> bool:
    r = ev.record
    if r.status != "published" or has_errors(ev.diagnostics):
        return False
    if r.publish_date:
        parts = [int(p) for p in r.publish_date.split("-")]
        when = _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        if when > today:
            return False
    return True


def _page_source(url: str) -> str:
    """projects/2021/x/ → projects/2021/x.md (the inverse of urls.page_url for project pages)."""
    return url.rstrip("/") + ".md"


def department_page(name: str) -> str:
    return f"departments/{slugify_name(name)}.md"


@dataclass(frozen=True)
class RenderedProject:
    """Everything the site needs of one published record (picklable: it may come from a worker)."""

    output: ProjectOutput
    summary: ProjectSummary
    parts: bytes  # its share of the site-wide data files, compressed
    terms: bytes  # the search terms of its page, compressed (its page's SearchDoc has text "")


def render_one(ev: Evaluation, options: SiteOptions) -> RenderedProject:
    """Render one public record: its page (with the OTHER_YEARS placeholder), downloads and summary."""
    src = project_path(ev)
    files, site_chunks = downloads.project_files(ev)
    links = [(label, rel(src, f"{download_base(ev)}.{ext}")) for ext, label, _ in files]
    content = neutral_braces(render_project(ev, options, department_url=rel(src, department_page(ev.record.department)),
                                            other_years=OTHER_YEARS, downloads=links))
    # The terms travel and wait compressed: at 10,000 projects they would otherwise be ~100 MB of strings.
    doc = project_search_doc(ev)
    output = ProjectOutput(Page(src, content, replace(doc, text="")), [Asset(f"{download_base(ev)}.{ext}", data) for ext, _, data in files])
    return RenderedProject(output, summarize(ev), zlib.compress(site_chunks, 1), zlib.compress(doc.text.encode("utf-8"), 1))


class SiteBuilder:
    def __init__(self, options: SiteOptions | None = None, today: _dt.date | None = None, memo: dict | None = None) -> None:
        self.options = options or SiteOptions()
        self.today = today or build_date()
        # A long-running caller (mkdocs serve) keeps `memo` between builds: index pages and data files whose
        # inputs did not change are not made again. It is refilled with this build's entries; lookups go
        # to the previous ones.
        self.previous: dict = dict(memo) if memo is not None else {}
        if memo is not None:
            memo.clear()
        self.fresh_memo: dict = memo if memo is not None else {}
        self.summaries: dict[str, ProjectSummary] = {}  # by page path
        self.parts: dict[str, bytes] = {}  # each project's share of the site-wide data files, compressed
        self.search_docs: dict[str, SearchDoc] = {}  # without their terms (see search_terms)
        self.search_terms: dict[str, bytes] = {}

    def add(self, ev: Evaluation) -> ProjectOutput | None:
        """Render a record's page and files if it is public; None if it is withheld."""
        if not is_public(ev, self.today):
            return None
        return self.accept(render_one(ev, self.options))

    def accept(self, rendered: RenderedProject) -> ProjectOutput:
        """Take a project rendered elsewhere (render_one, possibly in another process)."""
        path = rendered.output.page.path
        self.summaries[path] = rendered.summary
        self.parts[path] = rendered.parts
        self.search_docs[path] = rendered.output.page.search
        self.search_terms[path] = rendered.terms
        return rendered.output

    def remove(self, page_path: str) -> None:
        """Withdraw a project found faulty after it was added (a duplicate found across records)."""
        for table in (self.summaries, self.parts, self.search_docs, self.search_terms):
            table.pop(page_path, None)

    def other_years(self, page_path: str) -> str:
        """The 其他年度 section of a project page: links to the same project's other evaluations."""
        me = self.summaries.get(page_path)
        if me is None:
            return ""
        if not hasattr(self, "_by_id"):
            self._by_id: dict[str, list[ProjectSummary]] = defaultdict(list)
            for s in self.summaries.values():
                self._by_id[s.id].append(s)
        others = sorted((s for s in self._by_id[me.id] if s.path != page_path), key=lambda s: (s.year, s.evaluation, s.path))
        if not others:
            return ""
        items = "\n".join(f'<li><a href="{rel(page_path, s.path)}">{escape(f"{s.year} 年度{s.evaluation}：{s.name}")}</a></li>' for s in others)
        return f'<h2 id="其他年度">其他年度</h2>\n<ul class="pd-other-years">\n{items}\n</ul>'

    def finish(self, extra_pages: dict[str, str] | None = None) -> list[Page]:
        """The index pages, once every record has been added."""
        ordered = self._ordered()
        pages = self._remembered("listings", tuple(ordered), lambda: [
            Page(p.path, neutral_braces(p.content)) for p in listings.listing_pages(ordered, self.options, department_page)])
        return pages + [Page(path, content) for path, content in sorted((extra_pages or {}).items())]

    def _remembered(self, name: str, inputs: tuple, make):
        """make(), or what it gave in the caller's previous build (mkdocs serve) if `inputs` are the same.
        Unchanged records give the very same objects, so comparing the inputs is cheap."""
        key = (name, self.options)
        known = self.previous.get(key)
        value = known[1] if known is not None and known[0] == inputs else make()
        self.fresh_memo[key] = (inputs, value)
        return value

    def _ordered(self) -> list[ProjectSummary]:
        return sorted(self.summaries.values(), key=lambda s: s.sort_key)

    def _chunks(self, ordered: list[ProjectSummary] | None = None):
        return (downloads.unpack_chunks(zlib.decompress(self.parts[s.path])) for s in (ordered or self._ordered()))

    def data_files(self) -> list[Asset]:
        """The site-wide data files (data/projects.csv, …) in memory: for a small site or another engine."""
        ordered = self._ordered()
        return self._remembered("data", tuple(self.parts[s.path] for s in ordered),
                                lambda: downloads.site_files(self._chunks(ordered)))

    def write_data_files(self, open_file) -> None:
        """The same files streamed record by record to `open_file` (path → writable binary file)."""
        downloads.write_site_files(self._chunks(), open_file)

    def search_index_docs(self) -> list[SearchDoc]:
        return list(self.search_docs.values())

    def search_text(self, doc: SearchDoc) -> str:
        """A document's terms: those kept compressed for projects, the document's own otherwise."""
        blob = self.search_terms.get(_page_source(doc.url))
        return zlib.decompress(blob).decode("utf-8") if blob is not None else doc.text


def fill_other_years(content: str, section: str) -> str:
    return content.replace(OTHER_YEARS, section) if section else content.replace(OTHER_YEARS + "\n\n", "").replace(OTHER_YEARS, "")


def build_site(evaluations: list[Evaluation], options: SiteOptions | None = None, today: _dt.date | None = None,
               extra_pages: dict[str, str] | None = None) -> SiteBundle:
    """Render the whole site at once."""
    builder = SiteBuilder(options, today)
    bundle = SiteBundle()
    outputs: list[ProjectOutput] = []
    for ev in sorted(evaluations, key=lambda e: (-e.record.year, e.record.department, e.record.name, e.record.slug)):
        output = builder.add(ev)
        (bundle.published if output is not None else bundle.withheld).append(ev)
        if output is not None:
            outputs.append(output)
    for output in outputs:
        page = output.page
        search = replace(page.search, text=builder.search_text(page.search))
        bundle.pages.append(Page(page.path, fill_other_years(page.content, builder.other_years(page.path)), search))
        bundle.assets += output.assets
    pages = builder.finish(extra_pages)
    bundle.pages = sorted(bundle.pages + pages, key=lambda p: p.path)
    bundle.assets = sorted(bundle.assets + builder.data_files(), key=lambda a: a.path)
    return bundle
