"""Hand a build's pages and files to MkDocs (the plugin's SiteSink).

The generated pages are mostly HTML: their HTML blocks are set aside before MkDocs' Markdown runs
(render/lift.py) and put back into the page MkDocs renders. Downloads go straight into the site
folder: MkDocs only needs to know the pages.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.publish.swap import open_in
from generator.render.lift import lift, restore
from generator.render.outputs import Asset, Page

if TYPE_CHECKING:
    from .serve import ServeSession

log = logging.getLogger("mkdocs.plugins.disclosure")
# Generated pages are reached through the index pages, not the sidebar: MkDocs need not list them as
# missing from the nav (pages that the nav does name still appear there).
NOT_IN_NAV = InclusionLevel.NOT_IN_NAV
ANCHOR_IDS = re.compile(r'\bid="([^"]+)"')


class MkDocsPages:
    def __init__(self, files: Files, config: MkDocsConfig, serve: ServeSession | None = None) -> None:
        self.files = files
        self.config = config
        self.serve = serve
        self.hand_written = {f.src_uri for f in files}
        self.html_blocks: dict[str, bytes] = {}  # page → its HTML blocks, compressed, until the page is written
        self.projects: set[str] = set()  # generated pages the search index has a document of its own for
        self.asset_paths: set[str] = set()  # files handed over (not those the workers wrote themselves)

    def page(self, page: Page) -> None:
        if page.path in self.hand_written:
            log.info(f"{page.path} 是手写页面，优先于生成的同名页面。")
            return
        if page.search is not None:
            self.projects.add(page.path)
        if page.lifted is not None:  # lifted already (by a worker process)
            markdown, packed = page.lifted
        elif self.serve:
            markdown, packed = self.serve.lift(page)
        else:
            markdown, packed = lift(page.content)
        self.html_blocks[page.path] = packed
        if self.serve:
            self.files.append(self.serve.page_file(self.config, page.path, markdown, packed, NOT_IN_NAV))
        else:
            self.files.append(
                File.generated(self.config, page.path, content=markdown.encode("utf-8"), inclusion=NOT_IN_NAV)
            )

    def asset(self, asset: Asset) -> None:
        self.asset_paths.add(asset.path)
        if self.serve:
            self.serve.place(self.config.site_dir, asset)
            return
        with open_in(self.config.site_dir, asset.path) as fh:
            fh.write(asset.content)

    def is_generated(self, src: str) -> bool:
        return src in self.html_blocks

    def restore(self, src: str, html: str) -> str:
        """A page's HTML with its set-aside blocks back in place."""
        return restore(html, self.html_blocks.get(src, b""))

    def anchors(self, html: str) -> set[str]:
        return set(ANCHOR_IDS.findall(html))
