"""What only `mkdocs serve` (and `python -m generator preview`) does.

The plugin lives through a serve session, and with it a ServeSession: an edit to one record costs one
record (the outcomes of unchanged records are reused, see serve_cache.py); the preview keeps working
while records are broken, showing their problems on a page of its own; a rebuild logs only what is new.
The preview also shows what the site will not: valid drafts and records before their publication date,
each with a banner (publish/policy.py, render/preview_banner.py), listed on the home page and found by
the preview's search (serve_search.py).
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
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import clean_directory

from generator.core import diagnostics as dg
from generator.core.corpus import RecordIdentity, read_identity
from generator.publish.policy import preview_notice
from generator.publish.site import SiteBuild, SiteRequest, build_site
from generator.publish.workers import Job, RecordOutcome, outcomes
from generator.render.lift import lift
from generator.render.outputs import Asset, Page
from generator.render.search_text import SearchDoc

from .pages import MkDocsPages
from .serve_cache import ServeCaches, file_stamp, folder_stamp
from .serve_search import PreviewSearch

log = logging.getLogger("mkdocs.plugins.disclosure")


class ServeSession:
    def __init__(self, records_dir: str, workers: int, dirty: bool) -> None:
        self.records_dir = records_dir
        self.workers = workers
        self.dirty = dirty  # --dirty: MkDocs keeps site_dir between rebuilds
        self.caches = ServeCaches(records_dir)
        self.search = PreviewSearch()
        self.page_docs: dict[str, SearchDoc] = {}  # hand-written and guide pages (by source path), as last rendered

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
            self.search.forget()

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
        build = build_site(
            replace(request, preview=True),
            pages,
            evaluate=self.outcomes,
            identify=self.identity,
            memo=self.caches.pages,
        )
        self.log(build.diagnostics)
        if not build.ok:
            extra = {**extra, "problems.md": problems_page(build.diagnostics)}
        for page in build.finish(extra):
            if page.path == "index.md":
                page = flag_previewed_on_home(page, build) if build.previewed else page
                page = page if build.ok else flag_problems_on_home(page, build.diagnostics)
            pages.page(page)
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
        site_files = build.index.site_files()  # data files, and the API's index files, feeds and data package
        for asset in site_files:
            self.place(config.site_dir, asset)
        self.caches.sweep(config.site_dir, sink.asset_paths | {asset.path for asset in site_files})
        for gone in self.caches.pages_gone(set(sink.html_blocks)):
            dest = File(gone, None, config.site_dir, config.use_directory_urls).abs_dest_path
            with contextlib.suppress(OSError):
                os.remove(dest)

    # ------------------------------------------------------------------ search
    def keep_page_doc(self, src: str, doc: SearchDoc) -> None:
        """A rendered page's search entry: with --dirty, MkDocs renders only pages that changed."""
        self.page_docs[src] = doc

    def write_search(self, config: MkDocsConfig, files: Files, build: SiteBuild) -> None:
        """The search index of this rebuild into the served site (every page is known by on_env)."""
        if not self.dirty:  # MkDocs emptied site_dir for this build
            self.search.forget()
        current = {f.src_uri for f in files.documentation_pages()}
        self.page_docs = {src: doc for src, doc in self.page_docs.items() if src in current}
        self.search.update(config.site_dir, build.index, list(self.page_docs.values()))

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
    return _note_on_top(page, note)


PREVIEWED_LISTED = 30  # at most this many on the home page; the preview's search finds every one


def flag_previewed_on_home(page: Page, build: SiteBuild) -> Page:
    """In the preview, the home page links to the drafts and embargoed records it shows (no index page
    lists them, as on the site)."""
    shown = sorted(build.previewed, key=lambda item: item[0].sort_key)
    items = [
        f"    - [{_link_text(f'{s.year} 年度 {s.name}（{s.evaluation}）')}]({s.path})：{preview_notice(p)[0]}"
        for s, p in shown[:PREVIEWED_LISTED]
    ]
    if len(shown) > PREVIEWED_LISTED:
        items.append(f"    - 另有 {len(shown) - PREVIEWED_LISTED} 个，可在预览中搜索。")
    note = (
        f'!!! note "另有 {len(shown)} 个记录只在本地预览中显示"\n'
        "    草稿和未到公开日期的记录不会出现在构建的网站上，列表页中也没有它们；它们的页面顶部有提示。\n\n"
        + "\n".join(items)
        + "\n"
    )
    return _note_on_top(page, note)


def _link_text(text: str) -> str:
    """Record text as the text of a Markdown link: no markup of its own."""
    text = escape(text, quote=False)
    for char in "\\[]*_`":
        text = text.replace(char, "\\" + char)
    return text


def _note_on_top(page: Page, note: str) -> Page:
    head, sep, body = page.content.partition("\n---\n")
    return replace(page, content=head + sep + note + "\n" + body)
