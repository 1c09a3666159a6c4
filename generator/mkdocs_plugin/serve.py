"""What only `mkdocs serve` (and `python -m generator preview`) does.

The plugin lives through a serve session, and with it a ServeSession: an edit to one record costs one
record (the outcomes of unchanged records are reused, see serve_cache.py); the preview keeps working
while records are broken, showing their problems on a page of its own; a rebuild logs only what is new.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Iterator
from dataclasses import replace
from html import escape
from itertools import chain

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import clean_directory

from generator.core import diagnostics as dg
from generator.core.corpus import RecordIdentity, read_identity
from generator.publish.site import SiteBuild, SiteRequest, build_site
from generator.publish.workers import Job, RecordOutcome, outcomes
from generator.render.lift import lift
from generator.render.outputs import Asset, Page

from .pages import MkDocsPages
from .serve_cache import ServeCaches, file_stamp, folder_stamp

log = logging.getLogger("mkdocs.plugins.disclosure")


class ServeSession:
    def __init__(self, records_dir: str, workers: int, dirty: bool) -> None:
        self.records_dir = records_dir
        self.workers = workers
        self.dirty = dirty  # --dirty: MkDocs keeps site_dir between rebuilds
        self.caches = ServeCaches(records_dir)

    # ------------------------------------------------------------------ before a rebuild
    def start_over_if_layout_changed(self, config: MkDocsConfig, theme_dirs: list[str | None]) -> None:
        """With --dirty MkDocs rebuilds only pages whose source changed. A change to mkdocs.yml, the hand-
        written pages or the theme can alter every page (navigation, layout): then start from an empty folder."""
        if not self.dirty:
            return
        stamp = (file_stamp(config.config_file_path),) + tuple(folder_stamp(d) for d in theme_dirs if d)
        if self.caches.forget_if_changed("environment", stamp):
            clean_directory(config.site_dir)
            self.caches.placed.clear()

    def identity(self, path: str, shown: str) -> RecordIdentity | None:
        """A record's identity, read again only when its file changed."""
        stamp = (file_stamp(path), shown)
        known = self.caches.identities.get(path)
        if known is None or known[0] != stamp:
            known = self.caches.identities[path] = (stamp, read_identity(path, shown, self.records_dir))
        return known[1]

    def outcomes(self, paths: list[str], job: Job) -> Iterator[RecordOutcome]:
        """Each record's outcome, in file order, reusing that of a record whose files (and cross-record
        diagnostics) did not change since the previous rebuild."""
        schemes = folder_stamp(os.path.join(self.records_dir, "schemes"))
        if self.caches.forget_if_changed("schemes", schemes):
            self.caches.records.clear()  # a scheme file changed: every record may score differently
        stamps = {
            path: (file_stamp(path), file_stamp(path[:-5] + ".md"), tuple(job.across.get(path, ()))) for path in paths
        }
        known = self.caches.records
        stale = [path for path in paths if path not in known or known[path][0] != stamps[path]]
        # All of them at the first build, on every core. One is done here first: later rebuilds work in
        # this process, and the first of them would otherwise pay for compiling the page templates.
        new = dict(zip(stale, chain(outcomes(stale[:1], job, 1), outcomes(stale[1:], job, self.workers))))
        self.caches.records = {path: (stamps[path], new[path] if path in new else known[path][1]) for path in paths}
        for path in paths:
            yield self.caches.records[path][1]

    def build(self, request: SiteRequest, pages: MkDocsPages, extra: dict[str, str], config: MkDocsConfig) -> SiteBuild:
        """The site build, reusing what this session knows of unchanged records; while records have errors,
        a 校验问题 page lists them and the home page points to it."""
        build = build_site(request, pages, evaluate=self.outcomes, identify=self.identity, memo=self.caches.pages)
        self.log(build.diagnostics)
        if not build.ok:
            extra = {**extra, "problems.md": problems_page(build.diagnostics)}
        for page in build.finish(extra):
            pages.page(page if build.ok else flag_problems_on_home(page, build.diagnostics))
        self.after_pages(config, build, pages)
        return build

    # ------------------------------------------------------------------ pages and files
    def lift(self, page: Page) -> tuple[str, bytes]:
        return self.caches.lift(page.path, page.content, lift)

    def page_file(
        self, config: MkDocsConfig, path: str, markdown: str, packed: bytes, inclusion: InclusionLevel
    ) -> File:
        """Generated pages live in a cache folder and are rewritten only when their content changes, so
        `mkdocs serve --dirty` re-renders just the pages an edit touched."""
        # The blocks wait outside the Markdown: the file must still change when only they do, or
        # `mkdocs serve --dirty` would take the page for unchanged and keep showing the old one.
        stamp = f"\n<!--pd-blocks:{hashlib.sha1(packed).hexdigest()[:16]}-->\n".encode() if packed else b""
        folder = self.caches.materialize(path, markdown.encode("utf-8") + stamp)
        return File(path, folder, config.site_dir, config.use_directory_urls, inclusion=inclusion)

    def place(self, site_dir: str, asset: Asset) -> None:
        self.caches.place(site_dir, asset.path, asset.content, cleaned=not self.dirty)

    def after_pages(self, config: MkDocsConfig, build: SiteBuild, sink: MkDocsPages) -> None:
        """Put the data files in place and take out what this rebuild no longer has: downloads of records
        withdrawn since the last rebuild (now a draft, or with errors), and their pages, or the problems
        page once every error is fixed (with --dirty MkDocs would keep serving the last version)."""
        for asset in build.index.data_files():
            self.place(config.site_dir, asset)
        self.caches.sweep(config.site_dir, sink.asset_paths | set(build.index.data_paths()))
        for gone in self.caches.pages_gone(set(sink.html_blocks)):
            dest = File(gone, None, config.site_dir, config.use_directory_urls).abs_dest_path
            with contextlib.suppress(OSError):
                os.remove(dest)

    # ------------------------------------------------------------------ problems
    def log(self, diagnostics: list[dg.Diagnostic]) -> None:
        """Only what is new since the previous rebuild, then a count: hundreds of unchanged lines per save
        would bury the edit's own."""
        shown = self.caches.shown
        for d in diagnostics:
            if d not in shown:
                (log.warning if d.severity is dg.Severity.ERROR else log.info)(d.to_text())
        errors = sum(1 for d in diagnostics if d.severity is dg.Severity.ERROR)
        if shown and errors:
            log.warning(f"记录共有 {errors} 个错误，有错误的记录不会发布；全部问题见预览中的“校验问题”页面。")
        self.caches.shown = set(diagnostics)


def problems_page(diagnostics: list[dg.Diagnostic]) -> str:
    """The preview's 校验问题 page: every error and warning, with its place."""
    rows = "\n".join(
        f"<tr><td><code>{escape(d.file)}:{d.line}:{d.column}</code></td><td>{d.severity.label}</td><td>{d.code}</td><td>{escape(d.message)}</td></tr>"
        for d in diagnostics
        if d.severity is not dg.Severity.INFO
    )
    return (
        '---\ntitle: "校验问题"\n---\n# 校验问题（仅本地预览可见）\n\n有错误的记录不会发布。修改记录并保存后，页面会自动刷新。\n\n'
        f'<div class="pd-table-wrap"><table><thead><tr><th>位置</th><th>级别</th><th>代码</th><th>说明</th></tr></thead><tbody>\n{rows}\n</tbody></table></div>\n'
    )


def flag_problems_on_home(page: Page, diagnostics: list[dg.Diagnostic]) -> Page:
    """In the preview, the home page says that records have errors and links to the list."""
    if page.path != "index.md":
        return page
    errors = sum(1 for d in diagnostics if d.severity is dg.Severity.ERROR)
    note = (
        f'!!! warning "记录有 {errors} 个错误（仅本地预览可见）"\n    有错误的记录不会发布。'
        f"[查看全部问题](problems.md)，修改并保存后页面会自动刷新。\n"
    )
    head, sep, body = page.content.partition("\n---\n")
    return replace(page, content=head + sep + note + "\n" + body)
