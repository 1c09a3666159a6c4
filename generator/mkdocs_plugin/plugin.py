"""The thin adapter between the core and MkDocs: a plugin that adds the generated pages.

Everything else — loading, validation, scoring, rendering — happens in the core, which imports
nothing from MkDocs. This module also makes `mkdocs build` atomic (a failed build leaves the
previous site/ in place), writes the search index after the build, and in `mkdocs serve` keeps
serving while records are broken, showing the problems on a page of their own.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import tempfile
from html import escape as html_escape
from dataclasses import replace
from functools import partial
from itertools import chain
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import clean_directory

from generator.core import diagnostics as dg
from generator.core.checks import RecordKey
from generator.core.pipeline import Result
from generator.publish.builder import OTHER_YEARS, SiteBuilder
from generator.render import downloads
from generator.render.lift import lift, restore
from generator.render.project import SiteOptions
from generator.publish.search_index import write_index
from generator.render.search_text import SearchDoc, html_to_text, index_text
from generator.render.guide_pages import generated_guide_pages
from generator.publish.workers import Job, outcomes
from .serve_cache import ServeCaches, file_stamp, folder_stamp
from .serve_watch import stop_native_watcher, use_native_watcher
from generator.publish import background

log = logging.getLogger("mkdocs.plugins.disclosure")
# Generated pages are reached through the index pages, not the sidebar: MkDocs need not list them as
# missing from the nav (pages that the nav does name still appear there).
NOT_IN_NAV = InclusionLevel.NOT_IN_NAV
_ANCHOR_IDS = re.compile(r'\bid="([^"]+)"')
PACKAGE_THEME = str(Path(__file__).parent / "theme")


class DisclosureConfig(Config):
    records_dir = c.Type(str, default="projects")
    show_review = c.Type(bool, default=True)  # show 复核得分 where computed ≠ published
    search = c.Type(bool, default=True)  # write the site's search index (search/) after the build
    atomic = c.Type(bool, default=True)
    workers = c.Type(int, default=0)  # processes that evaluate and render records (0: one per core)
    preview_polling = c.Type(bool, default=False)  # mkdocs serve: find edits by polling (where the OS does not notify)


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class DisclosurePlugin(BasePlugin[DisclosureConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.dirty = False
        self.nav_pages: set[int] = set()  # ids of the pages the navigation lists
        self.server = None  # mkdocs serve's live-reload server, when its folder watches were made native
        self.result: Result | None = None
        self.builder: SiteBuilder | None = None
        self.final_site_dir: str | None = None
        self.counter = _Counter()
        self.html_blocks: dict[str, bytes] = {}  # page → its HTML blocks, compressed, until the page is written
        self.search_docs: list[SearchDoc] = []  # hand-written pages, collected as they render
        self.generated_paths: set[str] = set()
        self.serve: ServeCaches | None = None  # in mkdocs serve: what one rebuild leaves to the next
        self.finishing: background.BackgroundJob | None = None  # data files and search index, written beside the pages

    # ------------------------------------------------------------------ lifecycle
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = dirty  # a dirty build keeps site_dir between rebuilds of mkdocs serve

    def on_config(self, config):
        self.records_dir = self._abs(config, self.config.records_dir)
        if self.command == "serve" and (self.serve is None or self.serve.records_dir != self.records_dir):
            self.serve = ServeCaches(self.records_dir)
        # The tool's page templates and assets ship in the package, so a records repository that pins
        # this tool gets them without copying anything; the site's own custom_dir still wins.
        if PACKAGE_THEME not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, PACKAGE_THEME)
        if not config.nav:
            config.nav = default_nav(config.docs_dir)
        for css in ("assets/pd.css",):
            if css not in [str(x) for x in config.extra_css]:
                config.extra_css.append(css)
        for js in ("assets/pd-search.js", "assets/pd-table.js"):
            if js not in [str(x) for x in config.extra_javascript]:
                config.extra_javascript.append(js)
        logging.getLogger("mkdocs").addHandler(self.counter)
        self.counter.count = 0
        if self.command != "serve" and self.config.atomic:  # build and gh-deploy
            self.final_site_dir = config.site_dir
            parent = os.path.dirname(os.path.abspath(config.site_dir)) or "."
            os.makedirs(parent, exist_ok=True)
            prefix = f".{os.path.basename(os.path.abspath(config.site_dir))}-staging-"
            for stale in Path(parent).glob(prefix + "*"):  # left by an interrupted build of this site
                shutil.rmtree(stale, ignore_errors=True)
            config.site_dir = tempfile.mkdtemp(prefix=prefix, dir=parent)
        return config

    def _abs(self, config, path: str) -> str:
        if os.path.isabs(path):
            return path
        return os.path.normpath(os.path.join(os.path.dirname(config.config_file_path or "."), path))

    # ------------------------------------------------------------------ pages
    def _outcomes(self, paths: list[str], job: Job):
        """Each record's outcome, in file order. A build evaluates every record on every core; mkdocs serve
        reuses the outcome of a record whose files have not changed since the previous rebuild."""
        if not self.serve:
            yield from outcomes(paths, job, self.config.workers)
            return
        stamps = {path: (file_stamp(path), file_stamp(path[:-5] + ".md")) for path in paths}  # the TOML and its narrative
        known = self.serve.records
        stale = [path for path in paths if path not in known or known[path][0] != stamps[path]]
        # All of them at the first build, on every core. One is done here first: later rebuilds work in
        # this process, and the first of them would otherwise pay for compiling the page templates.
        new = dict(zip(stale, chain(outcomes(stale[:1], job, 1), outcomes(stale[1:], job, self.config.workers))))
        self.serve.records = {path: (stamps[path], new[path] if path in new else known[path][1]) for path in paths}
        for path in paths:
            yield self.serve.records[path][1]

    def on_files(self, files: Files, *, config) -> Files:
        """Evaluate the records one by one, handing each published project's page and files to MkDocs
        as it goes; only small summaries stay in memory for the index pages and the search index."""
        from generator.core.checks import check_corpus
        from generator.core.loader import discover
        from generator.core.schemes import load_library

        # The guide's generated pages go with its hand-written ones (content/guide/ in this repository).
        has_guide = os.path.isdir(os.path.join(config.docs_dir, "guide"))
        options = SiteOptions(show_review=self.config.show_review, site_title=config.site_name, guide=has_guide)
        serve = self.command == "serve"
        self.builder = builder = SiteBuilder(options, memo=self.serve.pages if serve else None)
        self.html_blocks, self.search_docs, self.generated_paths = {}, [], set()
        self.existing = {f.src_uri for f in files}
        library = load_library(self.records_dir)
        if serve and self.serve.forget_if_changed("schemes", folder_stamp(os.path.join(self.records_dir, "schemes"))):
            self.serve.records.clear()  # a scheme file changed: every record may score differently
        paths, found = discover([self.records_dir])
        all_diags = list(library.diagnostics) + found
        keys: list[RecordKey] = []
        emitted: dict[str, tuple[str, list[str]]] = {}  # record file → (page path, asset paths)
        def emit(record_file: str, output, assets_written: bool = False) -> None:
            self._emit_page(files, config, output.page)
            if not assets_written:
                for asset in output.assets:
                    self._emit_asset(files, config, asset)
            emitted[record_file] = (output.page.path, [a.path for a in output.assets])

        # A build's workers write each project's downloads into the (staging) site folder themselves;
        # in mkdocs serve the outcomes keep them, to be placed and reused while the record is unchanged.
        job = Job(self.records_dir, options, builder.today, site_dir=None if serve else config.site_dir)
        for outcome in self._outcomes(paths, job):
            all_diags += outcome.diagnostics
            if outcome.key is not None:
                keys.append(RecordKey(*outcome.key, outcome.path))
            if outcome.rendered is not None:
                emit(outcome.key[4], builder.accept(outcome.rendered), assets_written=not serve)
        corpus = check_corpus(keys)
        all_diags += corpus
        for d in corpus:
            if d.severity is dg.Severity.ERROR and d.file in emitted:
                self._withdraw(files, config, *emitted.pop(d.file))
        self.result = Result(files=paths, library=library, diagnostics=sorted(set(all_diags), key=dg.sort_key))
        self._log_diagnostics(self.result.diagnostics)
        extra = generated_guide_pages() if has_guide else {}
        problems = serve and dg.has_errors(self.result.diagnostics)
        if problems:
            extra["problems.md"] = problems_page(self.result)
        for page in builder.finish(extra):
            self._emit_page(files, config, flag_problems_on_home(page, self.result) if problems else page)
        if serve:  # a build writes them in the background (see on_env)
            for asset in builder.data_files():
                self._emit_asset(files, config, asset)
            # downloads of records withdrawn since the last rebuild (now a draft, or with errors)
            current = {a for _, assets in emitted.values() for a in assets} | set(downloads.SITE_FILES)
            self.serve.sweep(config.site_dir, current)
            # and their pages, or the problems page once every error is fixed: with --dirty MkDocs
            # would keep serving the last version of a page it is no longer given
            for gone in self.serve.pages_gone(set(self.html_blocks)):
                dest = File(gone, None, config.site_dir, config.use_directory_urls).abs_dest_path
                with contextlib.suppress(OSError):
                    os.remove(dest)
        return files

    def on_pre_build(self, *, config) -> None:
        # `mkdocs serve --dirty` rebuilds only pages whose source changed. A change to mkdocs.yml, content/
        # or the theme can alter every page (navigation, layout): then start from an empty folder.
        if self.serve and self.dirty:
            watched = [config.docs_dir, config.theme.custom_dir, PACKAGE_THEME]
            stamp = (file_stamp(config.config_file_path),) + tuple(folder_stamp(d) for d in watched if d)
            if self.serve.forget_if_changed("environment", stamp):
                clean_directory(config.site_dir)
                self.serve.placed.clear()

    def on_nav(self, nav, *, config, files):
        self.nav_pages = {id(page) for page in nav.pages}
        return nav

    def on_page_context(self, context, *, page, config, nav):
        # The sidebar of a page outside the navigation depends only on the page's depth (see theme/main.html).
        context["pd_sidebar_key"] = None if id(page) in self.nav_pages else context.get("base_url")
        context["pd_depth_key"] = context.get("base_url")  # the header, but for the title (partials/header.html)
        return context

    def on_env(self, env, *, config, files):
        env.globals["pd_once"] = rendered_once()
        if self.serve:  # MkDocs makes a new template environment on each rebuild: reuse the compiled templates
            env.bytecode_cache = self.serve.bytecode
        # Every page has been read by now, so the search index and the data files are known: a child
        # process writes them while MkDocs renders the pages on the other core.
        if self.command != "serve":  # build and gh-deploy
            self.finishing = background.start(partial(_write_finishing_files, self.builder, self.search_docs,
                                                      config.site_dir, self.config.search))
        return env

    def _log_diagnostics(self, diagnostics: list) -> None:
        """A build logs every problem (errors fail --strict). A serve rebuild logs only what is new since the
        previous one, then a count: hundreds of unchanged lines per save would bury the edit's own."""
        shown = self.serve.shown if self.serve else set()
        for d in diagnostics:
            if d in shown:
                continue
            text = d.to_text()
            if d.severity is dg.Severity.ERROR:
                (log.warning if self.serve else log.error)(text)
            else:
                log.info(text)
        if self.serve:
            errors = sum(1 for d in diagnostics if d.severity is dg.Severity.ERROR)
            if shown and errors:
                log.warning(f"记录共有 {errors} 个错误，有错误的记录不会发布；全部问题见预览中的“校验问题”页面。")
            self.serve.shown = set(diagnostics)

    def _emit_page(self, files: Files, config, page) -> None:
        if page.path in self.existing:
            log.info(f"{page.path} 是手写页面，优先于生成的同名页面。")
            return
        if page.search is not None:
            self.generated_paths.add(page.path)
        if page.lifted is not None:  # lifted already (by a worker process)
            markdown, packed = page.lifted
        elif self.serve:
            markdown, packed = self.serve.lift(page.path, page.content, lift)
        else:
            markdown, packed = lift(page.content)
        self.html_blocks[page.path] = packed
        content = markdown.encode("utf-8")
        if self.command == "serve":
            # The blocks wait outside the Markdown: the file must still change when only they do, or
            # `mkdocs serve --dirty` would take the page for unchanged and keep showing the old one.
            stamp = f"\n<!--pd-blocks:{hashlib.sha1(packed).hexdigest()[:16]}-->\n".encode() if packed else b""
            files.append(self._materialized(config, page.path, content + stamp, inclusion=NOT_IN_NAV))
        else:
            files.append(File.generated(config, page.path, content=content, inclusion=NOT_IN_NAV))

    def _emit_asset(self, files: Files, config, asset) -> None:
        if self.serve:
            self.serve.place(config.site_dir, asset.path, asset.content, cleaned=not self.dirty)
            return
        # Downloads go straight into the (staging) site folder: MkDocs only needs to know the pages.
        target = os.path.join(config.site_dir, asset.path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(asset.content)

    def _withdraw(self, files: Files, config, page_path: str, asset_paths: list[str]) -> None:
        """A record found faulty only across records (a duplicate): take its page and files back out."""
        self.builder.remove(page_path)
        self.generated_paths.discard(page_path)
        self.html_blocks.pop(page_path, None)
        for f in [f for f in files if f.src_uri == page_path or f.src_uri in asset_paths]:
            files.remove(f)
        for rel_path in asset_paths:
            with contextlib.suppress(OSError):
                os.remove(os.path.join(config.site_dir, rel_path))
            if self.serve:
                self.serve.placed.pop(rel_path, None)

    def _restore_html(self, path: str, html: str) -> str:
        return restore(html, self.html_blocks.get(path, b""))

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        # MkDocs treats a page title as HTML (one taken from a heading keeps its entities) and Material
        # prints page.meta.title/description unescaped: record text there must arrive escaped.
        if page.file.src_uri in self.html_blocks:
            for key in ("title", "description"):
                if isinstance(page.meta.get(key), str):
                    page.meta[key] = html_escape(page.meta[key])
        return markdown

    def on_page_content(self, html: str, *, page, config, files) -> str:
        src = page.file.src_uri
        if src in self.generated_paths:
            return html
        full = self._restore_html(src, html)
        if src in self.html_blocks and hasattr(page, "present_anchor_ids"):
            # MkDocs checks links to #anchors against what it rendered; the anchors inside the set-aside
            # HTML blocks (the guide's <a id="w206">) count too. Project pages are linked without anchors.
            page.present_anchor_ids = set(page.present_anchor_ids) | set(_ANCHOR_IDS.findall(full))
        if not _is_listing(src):
            # Hand-written pages and the generated guide: index their text like the project pages.
            text = html_to_text(full)
            self.search_docs.append(SearchDoc(url=page.url, title=page.title or page.url, summary=" ".join(text.split())[:80],
                                              text=index_text(page.title, text), group=1, order_key=page.url))
        return html

    def on_post_page(self, output: str, *, page, config) -> str:
        src = page.file.src_uri
        if src not in self.html_blocks:
            return output
        output = self._restore_html(src, output)
        if OTHER_YEARS in output:
            output = output.replace(OTHER_YEARS, self.builder.other_years(src))
        return output

    def _materialized(self, config, path: str, content: bytes, inclusion=InclusionLevel.UNDEFINED) -> File:
        """In `mkdocs serve`, generated files live in a cache folder and are rewritten only when their
        content changes, so `mkdocs serve --dirty` re-renders just the pages an edit touched."""
        return File(path, self.serve.materialize(path, content), config.site_dir, config.use_directory_urls, inclusion=inclusion)

    def on_serve(self, server, *, config, builder):
        # Records and theme overrides are not watched by default.
        server.watch(self.records_dir)
        theme_dir = config.theme.custom_dir
        if theme_dir:
            server.watch(theme_dir)
        if not self.config.preview_polling and use_native_watcher(server):
            self.server = server
        return server

    def on_shutdown(self) -> None:
        if self.server is not None:
            stop_native_watcher(self.server)
        logging.getLogger("mkdocs").removeHandler(self.counter)

    def on_post_build(self, *, config) -> None:
        finished = True
        if self.finishing is not None:
            finished, message = self.finishing.wait()
            self.finishing = None
            if finished:
                log.info(message)
            else:
                log.error(f"检索索引或数据文件未能写出：{message}")
        if self.final_site_dir is None:
            return
        staging = config.site_dir
        if not finished or (config.strict and self.counter.count > 0):
            shutil.rmtree(staging, ignore_errors=True)
            why = "记录有错误或出现警告" if finished else "检索索引或数据文件未能写出"
            log.error(f"构建未完成：{why}，已保留原有的 {self.final_site_dir}，未发布任何新内容。")
            config.site_dir = self.final_site_dir
            return
        final = self.final_site_dir
        old = None
        if os.path.exists(final):
            old = final.rstrip("/") + ".old-" + os.path.basename(staging)
            os.rename(final, old)
        os.rename(staging, final)
        if old:
            shutil.rmtree(old, ignore_errors=True)
        config.site_dir = final

    def on_build_error(self, *, error: Exception) -> None:
        if self.finishing is not None:
            self.finishing.cancel()
            self.finishing = None
        if self.final_site_dir:
            log.error(f"构建失败：已保留原有的 {self.final_site_dir}。")


def flag_problems_on_home(page, result: Result):
    """In mkdocs serve, the home page says that records have errors and links to the list."""
    if page.path != "index.md":
        return page
    errors = sum(1 for d in result.diagnostics if d.severity is dg.Severity.ERROR)
    note = (f'!!! warning "记录有 {errors} 个错误（仅本地预览可见）"\n    有错误的记录不会发布。'
            f"[查看全部问题](problems.md)，修改并保存后页面会自动刷新。\n")
    head, sep, body = page.content.partition("\n---\n")
    return replace(page, content=head + sep + note + "\n" + body)


def rendered_once():
    """The template function behind `{% call pd_once(key, part) %}…{% endcall %}` (theme/main.html,
    partials/header.html): the enclosed part rendered once per (key, part) and reused; key None renders
    it every time. One per build, so a rebuild starts afresh."""
    rendered: dict[tuple, str] = {}

    def pd_once(key, part, caller):
        if key is None:
            return caller()
        if (key, part) not in rendered:
            rendered[(key, part)] = caller()
        return rendered[(key, part)]

    return pd_once


def _open_in(root: str, rel_path: str):
    target = os.path.join(root, rel_path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    return open(target, "wb")


def _write_finishing_files(builder: SiteBuilder, page_docs: list[SearchDoc], site_dir: str, search: bool) -> str:
    """The site-wide data files and (unless turned off) the search index, into site_dir."""
    builder.write_data_files(lambda rel_path: _open_in(site_dir, rel_path))
    if not search:
        return "已写出数据文件。"
    return write_index(site_dir, builder.search_index_docs() + page_docs, builder.search_text)[1]


def _is_listing(path: str) -> bool:
    """Index pages only repeat what the project pages say: keep them out of the search results."""
    return path in ("index.md", "projects/index.md", "data.md", "problems.md") or path.startswith(("years/", "departments/"))


DEFAULT_NAV = [
    {"首页": "index.md"}, {"全部项目": "projects/index.md"}, {"按年度": "years/index.md"},
    {"按部门": "departments/index.md"}, {"方法说明": "methodology.md"}, {"数据下载": "data.md"},
]


def default_nav(docs_dir: str) -> list:
    """A short sidebar when mkdocs.yml has none: listing every project there would make every page
    grow with the number of projects. Hand-written top-level pages of docs_dir follow the defaults."""
    nav = list(DEFAULT_NAV)
    taken = {v for item in nav for v in item.values()}
    if os.path.isdir(docs_dir):
        for name in sorted(os.listdir(docs_dir)):
            if name.endswith(".md") and name not in taken:
                nav.append(name)
    return nav


def problems_page(result: Result) -> str:
    from html import escape

    rows = "\n".join(
        f"<tr><td><code>{escape(d.file)}:{d.line}:{d.column}</code></td><td>{d.severity.label}</td><td>{d.code}</td><td>{escape(d.message)}</td></tr>"
        for d in result.diagnostics if d.severity is not dg.Severity.INFO)
    return ("---\ntitle: \"校验问题\"\n---\n# 校验问题（仅本地预览可见）\n\n有错误的记录不会发布。修改记录并保存后，页面会自动刷新。\n\n"
            f'<div class="pd-table-wrap"><table><thead><tr><th>位置</th><th>级别</th><th>代码</th><th>说明</th></tr></thead><tbody>\n{rows}\n</tbody></table></div>\n')
