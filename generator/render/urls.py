"""Relative links between generated pages, for directory-style URLs (page.md → page/)."""

from __future__ import annotations

import posixpath
from urllib.parse import quote

from generator.core.names import department_slug


def page_url(src: str) -> str:
    """Site-relative URL of a page source path: a/b.md → a/b/, a/index.md → a/, index.md → ''."""
    if not src.endswith(".md"):
        return src
    stem = src[:-3]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def rel(from_src: str, to_src: str) -> str:
    """Link from the page at from_src to the page or file at to_src."""
    here = page_url(from_src)
    target = page_url(to_src)
    base = posixpath.dirname(here.rstrip("/")) if here.endswith("/") else posixpath.dirname(here)
    base_dir = here if here.endswith("/") or here == "" else base + "/"
    link = posixpath.relpath(target or ".", base_dir.rstrip("/") or ".")
    if (target.endswith("/") or target == "") and not link.endswith("/"):
        link += "/"
    if link == "./":
        link = "./"
    return quote(link, safe="/.#-_~")


# The index pages of records whose source printed no department / no evaluation year ("未公布"): ASCII addresses,
# which no Chinese department name or four-digit year gives.
UNPUBLISHED_DEPARTMENT_PAGE = "departments/not-published.md"
UNPUBLISHED_YEAR_PAGE = "years/not-published.md"


def department_page(name: str | None) -> str:
    """Source path of a department's index page (None: the department was not published)."""
    if name is None:
        return UNPUBLISHED_DEPARTMENT_PAGE
    return f"departments/{department_slug(name)}.md"  # the same address the cross-record check compares


def year_page(year: int | None) -> str:
    """Source path of a year's index page (None: the evaluation year was not published)."""
    return UNPUBLISHED_YEAR_PAGE if year is None else f"years/{year}.md"
