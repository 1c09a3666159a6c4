"""The site as plain files in a folder: each page as Markdown, the downloads, data files and search
index beside them. What `python -m generator generate --out DIR` writes, for any static-site engine."""

from __future__ import annotations

from pathlib import Path

from generator.render.outputs import Asset, Page, fill_cross_record
from generator.render.urls import links_from_source

from .site import SiteBuild
from .site_files import write_site_files
from .swap import open_in


class DirectorySink:
    """Writes pages and files under `root` as they come (a SiteSink)."""

    def __init__(self, root: str, *, source_links: bool = False) -> None:
        self.root = root
        self.source_links = (
            source_links  # HTML links relative to each page's file, for Zensical (urls.links_from_source)
        )
        self.pages: list[str] = []
        self.assets = 0  # files written: downloads and data files
        self.project_pages: list[str] = []  # pages whose 其他年度 section is filled in at the end

    def page(self, page: Page) -> None:
        with open_in(self.root, page.path) as fh:
            fh.write(self._links(page.path, page.content).encode("utf-8"))
        self.pages.append(page.path)
        if page.search is not None:
            self.project_pages.append(page.path)

    def asset(self, asset: Asset) -> None:
        with open_in(self.root, asset.path) as fh:
            fh.write(asset.content)

    def finish(self, build: SiteBuild, extra_pages: dict[str, str]) -> None:
        """Index pages, 其他年度 links, site-wide data and open-data files and the search index, once every record is in."""
        for page in build.finish(extra_pages):
            self.page(page)
        for path in self.project_pages:
            file = Path(self.root, path)
            sections = {marker: self._links(path, html) for marker, html in build.index.cross_record(path).items()}
            file.write_text(fill_cross_record(file.read_text(encoding="utf-8"), sections), encoding="utf-8")
        # The search index is plain files too (the browser side is mkdocs_plugin/theme/assets/pd-search.js).
        write_site_files(build.index, self.root, [])  # data/…, api/v1/… (open data) and search/…
        self.assets += build.downloads + len(build.index.data_paths()) + len(build.index.open_data_files())

    def _links(self, path: str, content: str) -> str:
        return links_from_source(path, content) if self.source_links else content
