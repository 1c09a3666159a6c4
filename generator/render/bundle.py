"""Assemble every generated page and file of the site from the evaluated records."""
from __future__ import annotations

import datetime as _dt
import os
from collections import defaultdict
from dataclasses import dataclass, field

from ..diagnostics import has_errors
from ..search_text import SearchDoc
from ..scoring import Evaluation
from . import downloads, listings
from .project import SiteOptions, download_base, project_path, project_search_doc, render_project
from .text import slugify_name
from .urls import rel


@dataclass(frozen=True)
class Page:
    path: str  # source path relative to the docs root, e.g. projects/2021/x.md
    content: str  # Markdown with HTML blocks
    search: SearchDoc | None = None  # what the search index holds for it (None: not searchable)


@dataclass(frozen=True)
class Asset:
    path: str  # relative to the site root
    content: bytes


@dataclass
class SiteBundle:
    pages: list[Page] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    published: list[Evaluation] = field(default_factory=list)
    withheld: list[Evaluation] = field(default_factory=list)  # drafts, future publication, records with errors

    def paths(self) -> list[str]:
        return [p.path for p in self.pages] + [a.path for a in self.assets]


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


def department_page(name: str) -> str:
    return f"departments/{slugify_name(name)}.md"


def build_site(evaluations: list[Evaluation], options: SiteOptions | None = None, today: _dt.date | None = None,
               extra_pages: dict[str, str] | None = None, memo: dict | None = None) -> SiteBundle:
    """Render the site. `memo` (kept by a long-running caller such as `mkdocs serve`) reuses the
    pages of evaluations that have not changed since the last call."""
    options = options or SiteOptions()
    today = today or build_date()
    bundle = SiteBundle()
    ordered = sorted(evaluations, key=lambda e: (-e.record.year, e.record.department, e.record.name, e.record.slug))
    for ev in ordered:
        (bundle.published if is_public(ev, today) else bundle.withheld).append(ev)
    public = bundle.published
    by_id: dict[str, list[Evaluation]] = defaultdict(list)
    for ev in public:
        by_id[ev.record.id].append(ev)
    fresh_memo: dict = {}
    for ev in public:
        src = project_path(ev)
        others = [(f"{o.record.year} 年度{o.record.evaluation}：{o.record.name}", rel(src, project_path(o)))
                  for o in sorted(by_id[ev.record.id], key=lambda e: (e.record.year, e.record.evaluation)) if o is not ev]
        key = (id(ev), tuple(others), options)
        cached = memo.get(key) if memo is not None else None
        if cached is None or cached[0] is not ev:
            files = downloads.project_files(ev)
            links = [(label, rel(src, f"{download_base(ev)}.{ext}")) for ext, label, _ in files]
            content = render_project(ev, options, department_url=rel(src, department_page(ev.record.department)),
                                     other_years=others, downloads=links)
            cached = (ev, content, [(f"{download_base(ev)}.{ext}", data) for ext, _, data in files], downloads.site_parts(ev),
                      project_search_doc(ev))
        fresh_memo[key] = cached
        bundle.pages.append(Page(src, cached[1], cached[4]))
        bundle.assets += [Asset(path, data) for path, data in cached[2]]
    if memo is not None:
        memo.clear()
        memo.update(fresh_memo)
    bundle.pages += listings.listing_pages(public, options, department_page)
    bundle.assets += downloads.site_files([entry[3] for entry in fresh_memo.values()])
    for path, content in sorted((extra_pages or {}).items()):
        bundle.pages.append(Page(path, content))
    bundle.pages.sort(key=lambda p: p.path)
    bundle.assets.sort(key=lambda a: a.path)
    return bundle
