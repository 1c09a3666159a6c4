"""The one site build: records → cross-record checks → each record evaluated and, when public,
rendered → its page and files handed to a sink as they come → index pages at the end.

Both site engines' adapters use it: the MkDocs plugin (whose sink turns pages into MkDocs files)
and `generate --out` (whose sink writes Markdown files). Records are evaluated in worker processes,
in file order; only small summaries stay in memory (site_index.py).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from generator.core import diagnostics as dg
from generator.core.corpus import read_identity
from generator.core.loader import discover
from generator.core.pipeline import IdentityReader, corpus_diagnostics, ordered
from generator.core.schemes import load_library
from generator.render.outputs import Asset, Page
from generator.render.project import SiteOptions
from generator.render.summary import ProjectSummary

from .policy import Publication
from .site_index import Memo, SiteIndex
from .workers import Job, RecordOutcome, outcomes, shown_path


class SiteSink(Protocol):
    """Where a build puts what it renders: one engine's way of receiving pages and files."""

    def page(self, page: Page) -> None: ...

    def asset(self, asset: Asset) -> None: ...


Evaluate = Callable[[list[str], Job], Iterator[RecordOutcome]]  # record files → their outcomes, in order


@dataclass(frozen=True)
class SiteRequest:
    records_dir: str  # absolute, or relative to the working directory
    options: SiteOptions
    today: _dt.date
    downloads_dir: str | None = None  # workers write project downloads there (else they reach the sink)
    lift_pages: bool = False  # pages arrive with their HTML blocks set aside (see render/lift.py)
    workers: int = 0  # processes that evaluate and render records (0: one per core)
    personal_data: str = "mask"  # personal numbers: "mask" publishes them de-identified, "fail" withholds the record
    preview: bool = False  # the local preview only: valid drafts and embargoed records get pages with a banner


@dataclass
class SiteBuild:
    """What a build leaves once every record has been through: the index of published projects and
    every diagnostic (sorted); `finish` gives the index pages."""

    index: SiteIndex
    diagnostics: list[dg.Diagnostic] = field(default_factory=list)
    records: list[str] = field(default_factory=list)  # record files found
    published: int = 0
    downloads: int = 0  # project files (TOML, JSON, CSV, xlsx of each published record)
    withheld: int = 0  # loaded but not public: drafts, future publication, records with errors
    previewed: list[tuple[ProjectSummary, Publication]] = field(default_factory=list)  # request.preview: not public

    @property
    def ok(self) -> bool:
        return not dg.has_errors(self.diagnostics)

    def finish(self, extra_pages: dict[str, str] | None = None) -> list[Page]:
        return self.index.finish(extra_pages)


def build_site(
    request: SiteRequest,
    sink: SiteSink,
    *,
    evaluate: Evaluate | None = None,
    identify: IdentityReader | None = None,
    memo: Memo | None = None,
) -> SiteBuild:
    """Evaluate every record under request.records_dir and hand each public project's page and files to
    `sink`. A long-running caller (mkdocs serve) passes `evaluate` and `identify` to reuse what it knows of
    unchanged records (their outcomes, their identities) and keeps `memo` so unchanged index pages are not
    made again."""
    library = load_library(request.records_dir)
    paths, found = discover([request.records_dir])
    identify = identify or (lambda path, shown: read_identity(path, shown, request.records_dir))
    across = corpus_diagnostics(paths, lambda path: shown_path(request.records_dir, path), identify)
    job = Job(
        request.records_dir,
        request.options,
        request.today,
        across,
        request.downloads_dir,
        request.lift_pages,
        request.personal_data,
        request.preview,
    )
    build = SiteBuild(SiteIndex(request.options, request.today, memo), records=paths)
    diagnostics = list(library.diagnostics) + found
    results = evaluate(paths, job) if evaluate else outcomes(paths, job, request.workers)
    for outcome in results:
        diagnostics += outcome.diagnostics
        if outcome.rendered is None:
            build.withheld += outcome.loaded
            continue
        if outcome.preview is not None:  # its page and files, and a search entry; no index page lists it
            build.withheld += 1
            build.previewed.append((outcome.rendered.summary, outcome.preview))
            output = build.index.accept_preview(outcome.rendered)
        else:
            build.published += 1
            output = build.index.accept(outcome.rendered)
            build.downloads += len(output.assets)
        sink.page(output.page)
        for asset in output.assets:
            if not request.downloads_dir:
                sink.asset(asset)
    build.diagnostics = ordered(diagnostics)
    return build
