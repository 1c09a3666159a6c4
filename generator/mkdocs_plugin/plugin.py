"""The MkDocs plugin `disclosure`: hooks only. Each hook hands its work to the core or to a module
of this package; the one site build (publish/site.py) is the same one `generate --out` runs.

- the pages and files MkDocs receives: pages.py; the preview's extras: serve.py;
- MkDocs and Material internals: internals.py; the site folder (guard, lock, swap): output.py over publish/.
"""

from __future__ import annotations

import logging
import os
from functools import partial
from html import escape as html_escape
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils.templates import TemplateContext

from generator.core import diagnostics as dg
from generator.publish import background
from generator.publish.policy import build_date
from generator.publish.site import SiteBuild, SiteRequest, build_site
from generator.publish.site_files import write_site_files
from generator.render.guide_pages import generated_guide_pages
from generator.render.outputs import OTHER_YEARS, is_index_page
from generator.render.project import SiteOptions
from generator.render.search_text import SearchDoc, page_search_doc
from generator.render.text import join_cjk_lines

from . import internals
from .config import DisclosureConfig
from .nav import default_nav
from .output import SiteOutput, refuse_records_in_docs
from .pages import MkDocsPages
from .render_once import layout_keys, rendered_once
from .serve import ServeSession
from .serve_watch import stop_native_watcher, use_native_watcher

log = logging.getLogger("mkdocs.plugins.disclosure")
PACKAGE_THEME = str(Path(__file__).parent / "theme")
ASSETS = {"extra_css": ("assets/pd.css",), "extra_javascript": ("assets/pd-search.js", "assets/pd-table.js")}


class DisclosurePlugin(BasePlugin[DisclosureConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.dirty = False
        self.serve: ServeSession | None = None  # in mkdocs serve: what one rebuild leaves to the next
        self.server: Any = None  # mkdocs serve's live-reload server, once its folder watches are native
        self.output: SiteOutput | None = None  # build and gh-deploy: site_dir, guarded and locked
        self.warnings = internals.WarningCounter()
        self.build: SiteBuild | None = None
        self.pages: MkDocsPages | None = None
        self.search_docs: list[SearchDoc] = []  # hand-written and guide pages, collected as they render
        self.nav_pages: set[int] = set()  # ids of the pages the navigation lists
        self.finishing: background.BackgroundJob | None = None  # data files and search index, written beside the pages

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = os.path.dirname(config.config_file_path or ".")
        self.records_dir = os.path.normpath(os.path.join(base, self.config.records_dir))
        refuse_records_in_docs(self.records_dir, config.docs_dir)
        if self.command == "serve" and (self.serve is None or self.serve.records_dir != self.records_dir):
            self.serve = ServeSession(self.records_dir, self.config.workers, self.dirty)
        internals.add_template_dir(config, PACKAGE_THEME)
        config.nav = config.nav or default_nav(config.docs_dir)
        for option, paths in ASSETS.items():
            for path in paths:
                if path not in [str(x) for x in config[option]]:
                    config[option].append(path)
        self.warnings.attach()
        if self.command != "serve":  # build and gh-deploy: site_dir is replaced (or, without atomic, cleaned)
            self.output = SiteOutput(config, self.records_dir, base or ".", self.config.atomic)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.serve:
            self.serve.start_over_if_layout_changed(config, [config.docs_dir, config.theme.custom_dir, PACKAGE_THEME])

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # The guide's generated pages go with its hand-written ones (content/guide/ in this repository).
        has_guide = os.path.isdir(os.path.join(config.docs_dir, "guide"))
        options = SiteOptions(show_review=self.config.show_review, site_title=config.site_name, guide=has_guide)
        serve = self.serve
        request = SiteRequest(
            self.records_dir,
            options,
            build_date(),
            workers=self.config.workers,
            downloads_dir=None if serve else config.site_dir,
            lift_pages=not serve,
            personal_data=self.config.personal_data,
        )
        self.pages = pages = MkDocsPages(files, config, serve)
        self.search_docs = []
        extra = generated_guide_pages() if has_guide else {}
        if serve:
            self.build = serve.build(request, pages, extra, config)
            return files
        self.build = build = build_site(request, pages)
        for d in build.diagnostics:  # errors fail --strict
            (log.error if d.severity is dg.Severity.ERROR else log.info)(d.to_text())
        for page in build.finish(extra):
            pages.page(page)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav_pages = {id(page) for page in nav.pages}
        return nav

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        env.globals["pd_once"] = rendered_once()
        if self.serve:  # MkDocs makes a new template environment on each rebuild: reuse the compiled templates
            env.bytecode_cache = self.serve.caches.bytecode
            if self.build is not None and self.config.search:
                self.serve.write_search(config, files, self.build)
        elif self.build is not None:
            # Every page has been read by now, so the search index and the data files are known: a child
            # process writes them while MkDocs renders the pages on the other core.
            self.finishing = background.start(
                partial(write_site_files, self.build.index, config.site_dir, self.search_docs, self.config.search)
            )
        return env

    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        # MkDocs treats a page title as HTML (one taken from a heading keeps its entities) and Material
        # prints page.meta.title/description unescaped: record text there must arrive escaped.
        if self.pages and self.pages.is_generated(page.file.src_uri):
            for key in ("title", "description"):
                if isinstance(page.meta.get(key), str):
                    page.meta[key] = html_escape(page.meta[key])
            return markdown
        return join_cjk_lines(markdown)  # hand-written pages: a line break inside a Chinese sentence shows as a space

    def on_page_content(self, html: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        src = page.file.src_uri
        if self.pages is None or src in self.pages.projects:
            return html
        full = self.pages.restore(src, html)
        if self.pages.is_generated(src):
            # MkDocs checks links to #anchors against what it rendered; the anchors inside the set-aside
            # HTML blocks (the guide's <a id="w206">) count too. Project pages are linked without anchors.
            internals.add_present_anchors(page, self.pages.anchors(full))
        if not is_index_page(src):
            self.search_docs.append(doc := page_search_doc(page.url, page.title, full))
            if self.serve:
                self.serve.keep_page_doc(src, doc)
        return html

    def on_page_context(
        self, context: TemplateContext, *, page: MkDocsPage, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        return layout_keys(context, in_nav=id(page) in self.nav_pages)

    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        src = page.file.src_uri
        if self.pages is None or not self.pages.is_generated(src):
            return output
        output = self.pages.restore(src, output)
        if OTHER_YEARS in output and self.build is not None:
            output = output.replace(OTHER_YEARS, self.build.index.other_years(src))
        return output

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(self.records_dir)  # records and theme overrides are not watched by default
        if config.theme.custom_dir:
            server.watch(config.theme.custom_dir)
        if not self.config.preview_polling and use_native_watcher(server):
            self.server = server
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        finished = True
        if self.finishing is not None:
            finished, message = self.finishing.wait()
            self.finishing = None
            (log.info if finished else log.error)(message if finished else f"检索索引或数据文件未能写出：{message}")
        if self.output is not None:
            output, self.output = self.output, None
            publish = finished and not (config.strict and self.warnings.count > 0)
            output.finish(config, publish, "记录有错误或出现警告" if finished else "检索索引或数据文件未能写出")

    def on_build_error(self, *, error: Exception) -> None:
        if self.finishing is not None:
            self.finishing.cancel()
            self.finishing = None
        if self.output is not None:
            self.output.fail()
            self.output = None

    def on_shutdown(self) -> None:
        if self.server is not None:
            stop_native_watcher(self.server)
        self.warnings.detach()
