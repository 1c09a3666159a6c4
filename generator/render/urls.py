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


def department_page(name: str) -> str:
    """Source path of a department's index page."""
    return f"departments/{department_slug(name)}.md"  # the same address the cross-record check compares
