"""Evaluate and render records in worker processes, so a site build uses every core.

Each worker loads the scheme library once (pool initializer) and then, per record file: load,
check, and — when the record is public — render its page, downloads and summary. Results come
back in file order, so the site is the same whatever the number of workers.
"""

from __future__ import annotations

import datetime as _dt
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

from generator.core.diagnostics import Diagnostic
from generator.core.pipeline import evaluate_file, internal_error
from generator.core.schemes import load_library
from generator.render.lift import lift
from generator.render.outputs import RenderedProject, render_one
from generator.render.preview_banner import with_banner
from generator.render.project import SiteOptions

from .policy import Publication, is_public, preview_notice, previewable

MIN_PARALLEL = 64  # below this many records, starting workers costs more than it saves


@dataclass(frozen=True)
class Job:
    records_dir: str
    options: SiteOptions
    today: _dt.date
    across: dict[str, list[Diagnostic]]  # record file → its diagnostics from the cross-record checks
    downloads_dir: str | None = None  # when set, a worker writes each project's downloads there itself
    lift_pages: bool = False  # set each page's HTML blocks aside in the worker (see render/lift.py)
    personal_data: str = "mask"  # personal numbers: "mask" publishes them de-identified (138****1234), "fail" withholds
    preview: bool = (
        False  # the local preview: valid drafts and records before their date are rendered too, with a banner
    )

    def display(self, path: str) -> str:
        return shown_path(self.records_dir, path)


def shown_path(records_dir: str, path: str) -> str:
    """A record file as diagnostics name it: relative to the folder that holds the records folder."""
    return os.path.relpath(path, os.path.dirname(records_dir) or ".")


@dataclass(frozen=True)
class RecordOutcome:
    path: str
    diagnostics: list[Diagnostic]
    loaded: bool  # False when the record could not be read at all
    rendered: RenderedProject | None  # None unless the record is public (or, in the preview, previewable)
    preview: Publication | None = None  # set when the record is rendered for the preview only


class _Worker:
    def __init__(self, job: Job) -> None:
        self.job = job
        self.library = load_library(job.records_dir)

    def __call__(self, path: str) -> RecordOutcome:
        job = self.job
        checked = evaluate_file(
            path,
            self.library,
            job.display(path),
            job.across.get(path, ()),
            job.records_dir,
            mask_personal=True,
            personal_fails=job.personal_data == "fail",
        )
        ev = checked.evaluation
        shown = previewable(ev, job.today) if ev is not None and job.preview else None
        if ev is None or not (shown or is_public(ev, job.today)):
            return RecordOutcome(path, checked.diagnostics, ev is not None, None)
        try:
            rendered = render_one(ev, job.options)
            if shown is not None:
                rendered = with_banner(rendered, *preview_notice(shown))
            rendered = self._deliver(rendered)
        except Exception as exc:  # a record the renderer cannot take is withheld with an error, the build goes on
            return RecordOutcome(path, [*checked.diagnostics, internal_error(job.display(path), exc)], True, None)
        return RecordOutcome(path, checked.diagnostics, True, rendered, shown)

    def _deliver(self, rendered: RenderedProject) -> RenderedProject:
        """Write the downloads and lift the page here, so that only small pieces travel to the main
        process (which otherwise fragments its memory churning through every file's bytes)."""
        output = rendered.output
        if self.job.downloads_dir:
            for asset in output.assets:
                target = os.path.join(self.job.downloads_dir, asset.path)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as fh:
                    fh.write(asset.content)
            output = replace(output, assets=[replace(a, content=b"") for a in output.assets])
        if self.job.lift_pages:
            output = replace(output, page=replace(output.page, content="", lifted=lift(output.page.content)))
        return replace(rendered, output=output)


_worker: _Worker | None = None  # the one worker of a pool process (set by the pool's initializer)


def _init(job: Job) -> None:
    global _worker
    _worker = _Worker(job)


def _run(path: str) -> RecordOutcome:
    assert _worker is not None, "the pool initializer sets the worker"
    return _worker(path)


def outcomes(paths: list[str], job: Job, workers: int = 0) -> Iterator[RecordOutcome]:
    """Each record's outcome, in the order of `paths`, from `workers` processes (0: one per core)."""
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(paths) < MIN_PARALLEL:
        worker = _Worker(job)
        yield from map(worker, paths)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init, initargs=(job,)) as pool:
        # a window at a time, so finished pages never pile up faster than the caller takes them
        window = 64 * workers
        for start in range(0, len(paths), window):
            yield from pool.map(_run, paths[start : start + window], chunksize=8)
