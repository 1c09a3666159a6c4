"""Relative links between generated pages, for directory-style URLs (page.md → page/)."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote, urlsplit

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


# ---------------------------------------------------------------- links for engines that rewrite HTML links (Zensical)

_HTML_LINK = re.compile(r'\b(href|src)="([^"]*)"')
_FENCE = re.compile(r"^\s*(```|~~~)")


def links_from_source(src: str, content: str) -> str:
    """The page's HTML links made relative to its source file instead of its address.

    The pages link for directory-style URLs (page.md is served at page/) and MkDocs leaves the HTML in a page as it
    is. Zensical rewrites every relative href and src of a page, in HTML too, as if relative to the Markdown file:
    on a page that is not an index page it puts one ../ in front. Written relative to the file, such links come out
    right. Index pages are served at their file's folder, so their links stay; fenced code is left as it is.
    """
    here = page_url(src)
    folder = posixpath.dirname(src)
    if here == (folder + "/" if folder else ""):
        return content

    def from_source(m: re.Match[str]) -> str:
        url = m.group(2)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            return m.group(0)
        target = posixpath.normpath(posixpath.join(here, parts.path))
        link = posixpath.relpath(target, folder or ".")
        if parts.path.endswith("/") and not link.endswith("/"):
            link += "/"
        link += (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
        return f'{m.group(1)}="{link}"'

    lines = content.split("\n")
    fenced = False
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and "=" in line:
            lines[i] = _HTML_LINK.sub(from_source, line)
    return "\n".join(lines)


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
