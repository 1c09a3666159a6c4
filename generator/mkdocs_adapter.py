"""The thin adapter between the core and MkDocs: a plugin that adds the generated pages.

Everything else — loading, validation, scoring, rendering — happens in the core, which imports
nothing from MkDocs. This module also makes `mkdocs build` atomic (a failed build leaves the
previous site/ in place), runs the Pagefind indexer after the build, and in `mkdocs serve` keeps
serving while records are broken, showing the problems on a page of their own.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
from html import escape as html_escape
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from . import diagnostics as dg
from .pipeline import Result, check_record, run
from .render.bundle import SiteBundle, build_site
from .render.project import SiteOptions
from .search_index import write_index
from .search_text import SearchDoc, html_to_text, index_text
from .guide_pages import generated_guide_pages

log = logging.getLogger("mkdocs.plugins.disclosure")
PACKAGE_THEME = str(Path(__file__).parent / "theme")
# Caches that outlive one rebuild of `mkdocs serve` (used only by that command): records dir → caches.
_SERVE_STATE: dict[str, tuple[dict, dict]] = {}
_PLACEHOLDER = re.compile(r"<!--pd-html:(\d+)-->")


class DisclosureConfig(Config):
    records_dir = c.Type(str, default="projects")
    show_review = c.Type(bool, default=True)  # show 复核得分 where computed ≠ published
    search = c.Type(bool, default=True)  # build the Pagefind index after the site
    atomic = c.Type(bool, default=True)


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
        self.result: Result | None = None
        self.bundle: SiteBundle | None = None
        self.final_site_dir: str | None = None
        self.counter = _Counter()
        self.html_blocks: dict[str, list[str]] = {}
        self.search_docs: list[SearchDoc] = []  # hand-written pages, collected as they render
        self.generated_paths: set[str] = set()
        self.page_memo: dict = {}  # rendered pages of unchanged records, reused in mkdocs serve
        self.cache: dict[str, tuple] = {}  # record file → (mtimes, evaluation, diagnostics) for fast reloads

    # ------------------------------------------------------------------ lifecycle
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config):
        self.records_dir = self._abs(config, self.config.records_dir)
        if self.command == "serve":
            # mkdocs serve re-creates plugins on every rebuild: keep the caches for this records
            # directory in the serve session's state so an edit re-evaluates one record, not all.
            state = _SERVE_STATE.setdefault(self.records_dir, ({}, {}))
            self.cache, self.page_memo = state
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
        if self.command == "build" and self.config.atomic:
            self.final_site_dir = config.site_dir
            parent = os.path.dirname(os.path.abspath(config.site_dir)) or "."
            os.makedirs(parent, exist_ok=True)
            for stale in Path(parent).glob(".site-staging-*"):
                shutil.rmtree(stale, ignore_errors=True)
            config.site_dir = tempfile.mkdtemp(prefix=".site-staging-", dir=parent)
        return config

    def _abs(self, config, path: str) -> str:
        if os.path.isabs(path):
            return path
        return os.path.normpath(os.path.join(os.path.dirname(config.config_file_path or "."), path))

    # ------------------------------------------------------------------ pages
    def _evaluate(self) -> Result:
        from .loader import discover, load_file
        from .checks import check_corpus
        from .schemes import load_library

        # Re-evaluate only records whose files changed since the last build (mkdocs serve).
        library = load_library(self.records_dir)
        files, diags = discover([self.records_dir])
        result = Result(files=files, library=library)
        all_diags = list(library.diagnostics) + diags
        records = []
        fresh: dict[str, tuple] = {}
        for f in files:
            md = f[:-5] + ".md"
            stamp = tuple(os.stat(p).st_mtime_ns if os.path.exists(p) else 0 for p in (f, md))
            cached = self.cache.get(f)
            if cached and cached[0] == stamp:
                ev, file_diags = cached[1], cached[2]
            else:
                display = os.path.relpath(f, os.path.dirname(self.records_dir) or ".")
                record, file_diags = load_file(f, display)
                ev = check_record(record, library) if record is not None else None
                if ev is not None:
                    file_diags = file_diags + ev.diagnostics
            fresh[f] = (stamp, ev, file_diags)
            all_diags += file_diags
            if ev is not None:
                records.append(ev.record)
                result.evaluations.append(ev)
        self.cache.clear()
        self.cache.update(fresh)
        all_diags += check_corpus(records)
        result.diagnostics = sorted(set(all_diags), key=dg.sort_key)
        per_file: dict[str, list] = {}
        for d in result.diagnostics:
            per_file.setdefault(d.file, []).append(d)
        for ev in result.evaluations:
            ev.diagnostics = per_file.get(ev.record.file, []) + per_file.get(ev.record.narrative_file, [])
        return result

    def on_files(self, files: Files, *, config) -> Files:
        self.result = self._evaluate()
        for d in self.result.diagnostics:
            text = d.to_text()
            if d.severity is dg.Severity.ERROR:
                (log.warning if self.command == "serve" else log.error)(text)
            else:
                log.info(text)
        # The guide's generated pages go with its hand-written ones (content/guide/ in this repository).
        has_guide = os.path.isdir(os.path.join(config.docs_dir, "guide"))
        options = SiteOptions(show_review=self.config.show_review, site_title=config.site_name, guide=has_guide)
        extra = generated_guide_pages() if has_guide else {}
        if self.command == "serve" and dg.has_errors(self.result.diagnostics):
            extra["problems.md"] = problems_page(self.result)
        self.bundle = build_site(self.result.evaluations, options, extra_pages=extra, memo=self.page_memo)
        if self.command == "serve" and dg.has_errors(self.result.diagnostics):
            self._flag_problems_on_home()
        existing = {f.src_uri for f in files}
        self.html_blocks = {}
        self.search_docs = []
        self.generated_paths = {p.path for p in self.bundle.pages if p.search is not None}
        generated = [(p.path, self._lift_html(p.path, p.content).encode("utf-8")) for p in self.bundle.pages]
        generated += [(a.path, a.content) for a in self.bundle.assets]
        for path, content in generated:
            if path in existing:
                log.info(f"{path} 是手写页面，优先于生成的同名页面。")
                continue
            if self.command == "serve":
                files.append(self._materialized(config, path, content))
            else:
                files.append(File.generated(config, path, content=content))
        return files

    def _flag_problems_on_home(self) -> None:
        from .render.bundle import Page

        errors = sum(1 for d in self.result.diagnostics if d.severity is dg.Severity.ERROR)
        note = (f'!!! warning "记录有 {errors} 个错误（仅本地预览可见）"\n    有错误的记录不会发布。'
                f"[查看全部问题](problems.md)，修改并保存后页面会自动刷新。\n")
        pages = self.bundle.pages
        for i, page in enumerate(pages):
            if page.path == "index.md":
                head, sep, body = page.content.partition("\n---\n")
                pages[i] = Page(page.path, head + sep + note + "\n" + body)

    def _lift_html(self, path: str, content: str) -> str:
        """Replace the page's HTML blocks by placeholders that on_page_content puts back.

        The generated pages are mostly HTML (tables laid out like the forms); letting Python-Markdown
        re-parse that HTML cost three quarters of the build time. The HTML is final already.
        """
        blocks = content.split("\n\n")
        lifted: list[str] = []
        for i, block in enumerate(blocks):
            if block.startswith("<") and not block.startswith("<!--"):
                lifted.append(block)
                blocks[i] = f"<!--pd-html:{len(lifted) - 1}-->"
        self.html_blocks[path] = lifted
        return "\n\n".join(blocks)

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        # MkDocs treats a page title as HTML (one taken from a heading keeps its entities) and Material
        # prints page.meta.title/description unescaped: record text there must arrive escaped.
        if page.file.src_uri in self.html_blocks:
            for key in ("title", "description"):
                if isinstance(page.meta.get(key), str):
                    page.meta[key] = html_escape(page.meta[key])
        return markdown

    def on_page_content(self, html: str, *, page, config, files) -> str:
        lifted = self.html_blocks.get(page.file.src_uri)
        if lifted:
            html = _PLACEHOLDER.sub(lambda m: lifted[int(m.group(1))], html)
        if page.file.src_uri not in self.generated_paths and not _is_listing(page.file.src_uri):
            # Hand-written pages and the generated guide: index their text like the project pages.
            text = html_to_text(html)
            self.search_docs.append(SearchDoc(url=page.url, title=page.title or page.url, summary=" ".join(text.split())[:80],
                                              text=index_text(page.title, text), group=1, order_key=page.url))
        return html

    def _materialized(self, config, path: str, content: bytes) -> File:
        """In `mkdocs serve`, generated files live in a cache folder and are rewritten only when their
        content changes, so `mkdocs serve --dirty` re-renders just the pages an edit touched."""
        root = os.path.join(tempfile.gettempdir(), "perf-disclosure-serve", hashlib.sha1(self.records_dir.encode()).hexdigest()[:12])
        target = os.path.join(root, path)
        try:
            with open(target, "rb") as fh:
                unchanged = fh.read() == content
        except OSError:
            unchanged = False
        if not unchanged:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as fh:
                fh.write(content)
        return File(path, root, config.site_dir, config.use_directory_urls)

    def on_serve(self, server, *, config, builder):
        # Records and theme overrides are not watched by default.
        server.watch(self.records_dir)
        theme_dir = config.theme.custom_dir
        if theme_dir:
            server.watch(theme_dir)
        return server

    def on_post_build(self, *, config) -> None:
        if self.config.search and self.command == "build":
            docs = [p.search for p in self.bundle.pages if p.search is not None] + self.search_docs
            ok, message = write_index(config.site_dir, docs)
            (log.info if ok else log.warning)(message)
        if self.final_site_dir is None:
            return
        staging = config.site_dir
        failed = config.strict and self.counter.count > 0
        if failed:
            shutil.rmtree(staging, ignore_errors=True)
            log.error(f"构建未完成：记录有错误或出现警告，已保留原有的 {self.final_site_dir}，未发布任何新内容。")
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
        if self.final_site_dir:
            log.error(f"构建失败：已保留原有的 {self.final_site_dir}。")


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
