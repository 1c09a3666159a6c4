"""The site's navigation: the default a records repository gets when its mkdocs.yml has none, and what
each page shows of it.

The public sections (首页, 全部项目, 按年度, 按部门, 方法说明, 数据下载 and hand-written pages) are the
tabs and the sidebar of every page. The editor guide (the top-level items whose pages all live in guide/)
is no public section: it shows in the navigation only on its own pages, where it is the current section;
elsewhere it is reached from a link on 数据下载. Pages outside the navigation (projects, years,
departments) mark the section whose folder holds them (全部项目, 按年度, 按部门) as current.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from typing import Any

from mkdocs.structure.nav import Navigation

from . import internals

GUIDE_FOLDER = "guide/"
GUIDE_TITLE = "编辑指南"
DEFAULT_NAV: list[dict[str, Any] | str] = [
    {"首页": "index.md"},
    {"全部项目": "projects/index.md"},
    {"按年度": "years/index.md"},
    {"按部门": "departments/index.md"},
    {"方法说明": "methodology.md"},
    {"数据下载": "data.md"},
]
DEFAULT_FEATURES = ("navigation.tabs",)  # the sections as tabs at 1220 px and wider, in the drawer below


def default_nav(docs_dir: str, guide: Iterable[str] = ()) -> list[dict[str, Any] | str]:
    """A short navigation: listing every project there would make every page grow with the number of
    projects. Hand-written top-level pages of docs_dir follow the defaults; the guide's section comes last:
    `guide` (the tool's guide pages, in reading order), then the other pages of a guide/ folder in docs_dir."""
    nav = list(DEFAULT_NAV)
    taken = {v for item in nav if isinstance(item, dict) for v in item.values()}
    if os.path.isdir(docs_dir):
        for name in sorted(os.listdir(docs_dir)):
            if name.endswith(".md") and name not in taken:
                nav.append(name)
    pages = list(guide)
    guide_dir = os.path.join(docs_dir, GUIDE_FOLDER)
    if os.path.isdir(guide_dir):
        pages += sorted(
            GUIDE_FOLDER + n for n in os.listdir(guide_dir) if n.endswith(".md") and GUIDE_FOLDER + n not in pages
        )
    pages.sort(key=lambda p: p != GUIDE_FOLDER + "index.md")  # stable: the guide's home first, the rest in order
    if pages:
        nav.append({GUIDE_TITLE: pages})
    return nav


def use_default_features(theme: Any) -> None:
    """The features that go with the default navigation, added to the theme's own (`theme` is MkDocs' Theme)."""
    features = list(theme["features"] if "features" in theme else [])
    theme["features"] = features + [f for f in DEFAULT_FEATURES if f not in features]


def _pages(item: Any) -> list[Any]:
    if getattr(item, "is_page", False):
        return [item]
    return [p for child in getattr(item, "children", None) or () for p in _pages(child)]


def _folder(item: Any) -> str:
    """The folder holding every page of a top-level item ("" for the site root, or none in common)."""
    folders = {posixpath.dirname(p.file.src_uri) for p in _pages(item)}
    common = posixpath.commonpath(list(folders)) if folders else ""
    return common + "/" if common else ""


class SiteNav:
    """The navigation of one build, split into the public sections and the guide's."""

    def __init__(self, nav: Navigation) -> None:
        self.nav = nav
        self.guide = {i for i, item in enumerate(nav.items) if _folder(item).startswith(GUIDE_FOLDER)}
        public = [item for i, item in enumerate(nav.items) if i not in self.guide]
        # What the theme receives as `nav` on public pages: the same pages (and homepage), fewer top-level items.
        self.public_view = Navigation(public, nav.pages) if self.guide else nav
        self.folders = sorted(
            ((folder, i) for i, item in enumerate(nav.items) if (folder := _folder(item))),
            key=lambda pair: -len(pair[0]),
        )
        self.top = {id(page): i for i, item in enumerate(nav.items) for page in _pages(item)}
        self.marked: Any = None  # the section marked current for a page outside the navigation
        self._unlink_guide_from_public_pages()

    def _unlink_guide_from_public_pages(self) -> None:
        """A theme's "previous / next page" links never lead from a public page into the guide or back."""
        for page in self.nav.pages:
            for neighbour in ("previous_page", "next_page"):
                other = getattr(page, neighbour)
                if other is not None and self.in_guide(self.section_of(page)) != self.in_guide(self.section_of(other)):
                    internals.set_neighbour(page, neighbour, None)

    def section_of(self, page: Any) -> int | None:
        """The index of the top-level item a page belongs to: the one listing it, or for a page outside the
        navigation the one whose folder holds it (projects/… → 全部项目)."""
        if id(page) in self.top:
            return self.top[id(page)]
        src = page.file.src_uri
        return next((i for folder, i in self.folders if src.startswith(folder)), None)

    def in_guide(self, section: int | None) -> bool:
        return section in self.guide

    def view(self, section: int | None) -> Navigation:
        """The navigation a page of `section` shows: the public sections, and the guide's on its own pages."""
        return self.nav if self.in_guide(section) else self.public_view

    def mark(self, page: Any, section: int | None) -> None:
        """Mark the section of a page outside the navigation as current while it renders (MkDocs marks the
        ancestors of a page in the navigation itself)."""
        self.unmark()
        if section is not None and id(page) not in self.top:
            self.marked = self.nav.items[section]
            internals.set_active(self.marked, True)

    def unmark(self) -> None:
        if self.marked is not None:
            internals.set_active(self.marked, False)
            self.marked = None
