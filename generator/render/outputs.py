"""What rendering hands on: pages, downloadable files, and everything one published record contributes.

Nothing here knows how the pages become a site: the publish stage collects them and a site-engine
adapter (the MkDocs plugin, or `generate --out`) writes them.
"""

from __future__ import annotations

import datetime as _dt
import zlib
from dataclasses import dataclass, replace

from generator.core.scoring import Evaluation

from . import compare, downloads, open_data
from .problem_list import FINDINGS_PAGE
from .problems import FOLLOW_UP
from .project import SiteOptions, download_base, filing_year, project_path, project_search_doc, render_project
from .redirects import redirect_files
from .search_text import SearchDoc, pack_fields, pack_levels, term_levels
from .summary import ProjectSummary, summarize
from .text import neutral_braces
from .urls import department_page, rel
from .watch_list import WATCH_PAGE

OTHER_YEARS = (
    "<!--pd-other-years-->"  # where a project page links to its other years, filled in once every record is known
)


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


@dataclass(frozen=True)
class RenderedProject:
    """Everything the site needs of one published record (picklable: it may come from a worker)."""

    output: ProjectOutput
    summary: ProjectSummary
    parts: bytes  # its share of the site-wide data files, compressed
    terms: bytes  # its page's search terms with their levels, compressed (search_text.pack_levels)
    years: bytes = b""  # what a comparison across years needs of it, compressed (see compare.pack)
    search_fields: bytes = b""  # its page's searchable text (its SearchDoc has fields ()), compressed (pack_fields)


def render_one(ev: Evaluation, options: SiteOptions) -> RenderedProject:
    """Render one public record: its page (with the OTHER_YEARS placeholder), downloads and summary."""
    src = project_path(ev)
    files, site_chunks = downloads.project_files(ev)
    links = [(label, rel(src, f"{download_base(ev)}.{ext}")) for ext, label, _ in files]
    content = neutral_braces(
        render_project(
            ev,
            options,
            department_url=rel(src, department_page(ev.record.department)),
            other_years=OTHER_YEARS,
            downloads=links,
        )
    )
    # The terms travel and wait compressed: at 10,000 projects they would otherwise be ~100 MB of strings.
    doc = project_search_doc(ev)
    # Its JSON twin (the API's stable address) and, for a renamed record, redirects at its former addresses.
    extra = [(open_data.project_json(filing_year(ev), ev.record.slug), open_data.dumps(open_data.project_twin(ev)))]
    extra += redirect_files(ev)
    output = ProjectOutput(
        Page(src, content, replace(doc, fields=())),
        [Asset(f"{download_base(ev)}.{ext}", data) for ext, _, data in files] + [Asset(p, b) for p, b in extra],
    )
    return RenderedProject(
        output,
        summarize(ev),
        zlib.compress(site_chunks, 1),
        zlib.compress(pack_levels(term_levels(doc.fields)).encode("utf-8"), 1),
        compare.pack(ev, src),
        zlib.compress(pack_fields(doc.fields), 1),
    )


# The sections of a project page filled in once every record is known: 其他年度, and 整改情况 (issue 17), which
# names the problems of the project's other public evaluations. SiteIndex.cross_record gives them for a page.
CROSS_RECORD = (OTHER_YEARS, FOLLOW_UP)


def fill_cross_record(content: str, sections: dict[str, str]) -> str:
    """A project page with every cross-record section in place (placeholders without a section removed)."""
    for mark in CROSS_RECORD:
        content = _fill(content, mark, sections.get(mark, ""))
    return content


def _fill(content: str, mark: str, section: str) -> str:
    return content.replace(mark, section) if section else content.replace(mark + "\n\n", "").replace(mark, "")


def is_index_page(path: str) -> bool:
    """Index pages only repeat what the project pages say: the search index leaves them out."""
    return path in ("index.md", "projects/index.md", "data.md", "problems.md", WATCH_PAGE, FINDINGS_PAGE) or (
        path.startswith(("years/", "departments/", f"{compare.COMPARE_DIR}/"))
    )


def open_data_files(evs: list[ProjectSummary], options: SiteOptions, today: _dt.date) -> list[Asset]:
    """The site-wide open-data files once every record is known: the API's index files and JSON Schemas
    (open_data.py), the Atom feeds (feeds.py) and data/datapackage.json (datapackage.py). `evs` are the published
    projects in the listings' order."""
    from .datapackage import datapackage_file
    from .feeds import feed_files

    files = (
        open_data.index_files(evs, options)
        + feed_files(evs, options, today)
        + [datapackage_file(options, all(s.year is not None for s in evs))]
    )
    return [Asset(path, data) for path, data in files]
