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
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils.templates import TemplateContext

from generator.core import diagnostics as dg
from generator.publish import background
from generator.publish.policy import build_date, build_time
from generator.publish.site import SiteBuild, SiteRequest, build_site
from generator.publish.site_files import write_site_files
from generator.render.guide_pages import GUIDE_PATHS, generated_guide_pages
from generator.render.outputs import CROSS_RECORD, is_index_page
from generator.render.project import SiteOptions
from generator.render.search_text import SearchDoc, SearchGroup, page_search_doc
from generator.render.text import join_cjk_lines

from . import internals
from .config import DisclosureConfig
from .guides import add_written_guide
from .nav import GUIDE_FOLDER, SiteNav, default_nav, use_default_features
from .output import SiteOutput, refuse_records_in_docs
from .pages import MkDocsPages
from .portal import PortalPages, load_settings
from .render_once import layout_keys, rendered_once
from .serve import ServeSession
from .serve_watch import stop_native_watcher, use_native_watcher
from .theme_dir import THEME_DIR

log = logging.getLogger("mkdocs.plugins.disclosure")
PACKAGE_THEME = THEME_DIR
ASSETS = {
    "extra_css": ("assets/pd.css", "assets/pd-a11y.css"),
    "extra_javascript": ("assets/pd-search.js", "assets/pd-table.js", "assets/pd-care.js", "assets/pd-keyboard.js"),
}


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
        self.site_nav: SiteNav | None = None  # the public sections and the guide's (nav.py)
        self.finishing: background.BackgroundJob | None = None  # data files and search index, written beside the pages
        self.portal: PortalPages | None = None  # government-website footer, meta tags and notices (portal.py)
        self.told: set[str] = set()  # notes logged once per process (mkdocs serve configures on every rebuild)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = os.path.dirname(config.config_file_path or ".")
        self.records_dir = os.path.normpath(os.path.join(base, self.config.records_dir))
        refuse_records_in_docs(self.records_dir, config.docs_dir)
        if self.command == "serve" and (self.serve is None or self.serve.records_dir != self.records_dir):
            self.serve = ServeSession(self.records_dir, self.config.workers, self.dirty)
        internals.add_template_dir(config, PACKAGE_THEME)
        self.configure_portal(config)
        if not config.nav:
            config.nav = default_nav(config.docs_dir, GUIDE_PATHS)
            use_default_features(config.theme)
        for option, paths in ASSETS.items():
            for path in paths:
                if path not in [str(x) for x in config[option]]:
                    config[option].append(path)
        self.warnings.attach()
        if self.command != "serve":  # build and gh-deploy: site_dir is replaced (or, without atomic, cleaned)
            self.output = SiteOutput(config, self.records_dir, base or ".", self.config.atomic)
        return config

    def configure_portal(self, config: MkDocsConfig) -> None:
        """The government-website settings: a malformed identifier stops the build (PluginError, each problem on
        its mkdocs.yml line); missing ones and a missing site_url are INFO lines, never warnings (--strict)."""
        settings = load_settings(self.config.portal, config)
        self.portal = PortalPages(settings, config, build_time())
        notes = []
        if not config.site_url:
            notes.append(
                "未设置 site_url：sitemap.xml 不列出网址，页面没有规范链接（canonical）和 Url 标签，找错入口不带页面网址，"
                "订阅（api/v1/*.atom）中的链接是相对地址、不含自身地址（rel=self）。"
                "正式发布前请在 mkdocs.yml 中设置 site_url（网站的完整网址，可带子路径，如 https://czj.example.gov.cn/jxpj/）。"
            )
        if settings.missing_identifiers:
            notes.append(
                f"未设置{'、'.join(settings.missing_identifiers)}（mkdocs.yml 中 disclosure 插件的 portal）：每个页面显示“预览版”提示。"
            )
        for note in notes:
            if note not in self.told:
                self.told.add(note)
                log.info(note)

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.serve:
            self.serve.start_over_if_layout_changed(config, [config.docs_dir, config.theme.custom_dir, PACKAGE_THEME])

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # The editor guide ships with the tool and every site publishes it: its hand-written pages are read from
        # the package like pages of docs_dir (guides.py), its generated ones come with the build's pages below.
        add_written_guide(files, config)
        options = SiteOptions(
            show_review=self.config.show_review, site_title=config.site_name, site_url=config.site_url or ""
        )
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
        extra = generated_guide_pages()
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
        self.site_nav = SiteNav(nav)
        if self.portal is not None:
            self.portal.set_nav(nav)
        return nav

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        env.globals["pd_once"] = rendered_once()
        if self.portal is not None:
            self.portal.set_projects(self.build.index.summaries.values() if self.build else ())
            env.globals["pd_portal"] = self.portal.site_context()  # theme pages (404.html) have no page context
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
            group = SearchGroup.HELP if src.startswith(GUIDE_FOLDER) else SearchGroup.PAGE
            self.search_docs.append(doc := page_search_doc(page.url, page.title, full, group))
            if self.serve:
                self.serve.keep_page_doc(src, doc)
        return html

    def on_page_context(
        self, context: TemplateContext, *, page: MkDocsPage, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        if self.portal is not None:
            context["pd_portal"] = self.portal.page_context(page)  # type: ignore[typeddict-unknown-key]
        section = None
        if self.site_nav is not None:
            section = self.site_nav.section_of(page)
            self.site_nav.mark(page, section)
            context["nav"] = self.site_nav.view(section)
        return layout_keys(context, in_nav=id(page) in self.nav_pages, section=section)

    def on_template_context(
        self, context: TemplateContext, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext:
        if self.site_nav is not None:  # theme pages (404.html) show the public sections
            context["nav"] = self.site_nav.view(None)
        return context

    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        if self.site_nav is not None:
            self.site_nav.unmark()
        src = page.file.src_uri
        if self.pages is None or not self.pages.is_generated(src):
            return output
        output = self.pages.restore(src, output)
        if self.build is not None and any(mark in output for mark in CROSS_RECORD):  # 其他年度, 整改情况
            for mark, section in self.build.index.cross_record(src).items():
                output = output.replace(mark, section)
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
        if self.site_nav is not None:
            self.site_nav.unmark()
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
