"""The site held in memory (a SiteSink): for tests and for callers that embed the build."""

from __future__ import annotations

from dataclasses import replace

from generator.render.outputs import Asset, Page, fill_cross_record

from .site import SiteBuild, SiteRequest, build_site


class MemorySink:
    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.assets: dict[str, Asset] = {}

    def page(self, page: Page) -> None:
        self.pages[page.path] = page

    def asset(self, asset: Asset) -> None:
        self.assets[asset.path] = asset


def build_in_memory(
    request: SiteRequest, extra_pages: dict[str, str] | None = None
) -> tuple[SiteBuild, dict[str, Page]]:
    """Every page of the site as `generate --out` writes it (其他年度 and 整改情况 filled in), by path."""
    sink = MemorySink()
    build = build_site(replace(request, downloads_dir=None, lift_pages=False), sink)
    for page in build.finish(extra_pages):
        sink.page(page)
    pages = {
        path: replace(page, content=fill_cross_record(page.content, build.index.cross_record(path)))
        for path, page in sink.pages.items()
    }
    return build, pages
