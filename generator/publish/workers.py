"""Evaluate and render records in worker processes, so a site build uses every core.

Each worker loads the scheme library once (pool initializer) and then, per record file: load,
check, and — when the record is public — render its page, downloads and summary. Results come
back in file order, so the site is the same whatever the number of workers.
"""
from __future__ import annotations

import datetime as _dt
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Iterator

from generator.core.diagnostics import Diagnostic
from .builder import RenderedProject, is_public, render_one
from generator.render.lift import lift
from generator.render.project import SiteOptions

MIN_PARALLEL = 64  # below this many records, starting workers costs more than it saves


@dataclass(frozen=True)
class Job:
    records_dir: str
    options: SiteOptions
    today: _dt.date
    site_dir: str | None = None  # when set, a worker writes the downloads there and lifts the page itself


@dataclass(frozen=True)
class RecordOutcome:
    path: str
    diagnostics: list[Diagnostic]
    key: tuple | None  # (id, year, evaluation, name, file as shown) when the record loaded
    rendered: RenderedProject | None  # None unless the record is public


class _Worker:
    def __init__(self, job: Job) -> None:
        from generator.core.schemes import load_library

        self.job = job
        self.library = load_library(job.records_dir)

    def __call__(self, path: str) -> RecordOutcome:
        from generator.core.loader import load_file
        from generator.core.pipeline import check_record

        display = os.path.relpath(path, os.path.dirname(self.job.records_dir) or ".")
        record, diags = load_file(path, display)
        if record is None:
            return RecordOutcome(path, diags, None, None)
        ev = check_record(record, self.library)
        ev.diagnostics = diags = diags + ev.diagnostics
        rendered = render_one(ev, self.job.options) if is_public(ev, self.job.today) else None
        if rendered is not None and self.job.site_dir:
            rendered = self._deliver(rendered)
        return RecordOutcome(path, diags, (record.id, record.year, record.evaluation, record.name, record.file), rendered)

    def _deliver(self, rendered: RenderedProject) -> RenderedProject:
        """Write the downloads and lift the page here, so that only small pieces travel to the main
        process (which otherwise fragments its memory churning through every file's bytes)."""
        for asset in rendered.output.assets:
            target = os.path.join(self.job.site_dir, asset.path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as fh:
                fh.write(asset.content)
        page = rendered.output.page
        light_page = replace(page, content="", lifted=lift(page.content))
        light_assets = [replace(a, content=b"") for a in rendered.output.assets]
        return replace(rendered, output=replace(rendered.output, page=light_page, assets=light_assets))


_worker: _Worker | None = None  # the one worker of a pool process (set by the pool's initializer)


def _init(job: Job) -> None:
    global _worker
    _worker = _Worker(job)


def _run(path: str) -> RecordOutcome:
    return _worker(path)


def outcomes(paths: list[str], job: Job, workers: int = 0) -> Iterator[RecordOutcome]:
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
