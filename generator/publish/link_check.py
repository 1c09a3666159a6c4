"""The offline internal-link check of a built site: every href and src of every HTML page, resolved against the
page, must name a file of the site, and a #fragment must name an id (or <a name>) of the target page.

Links elsewhere (other hosts, mailto:, tel:, data:) are not followed. Absolute links to the site's own address
(site_url, e.g. the canonical link) and links from the server root (/czj/jxpj/…) count as internal: the site may
live under a sub-path of its host, and a link that leaves that path leaves the site.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .html_facts import Link, PageFacts, html_pages, read_page

OUTSIDE = "\x00outside"  # a target above the site's folder or outside its path on the host


@dataclass(frozen=True)
class BrokenLink:
    page: str  # the page with the link, relative to the site folder
    line: int
    column: int
    url: str  # as written
    target: str  # the file it resolves to (OUTSIDE when it leaves the site)
    fragment: str  # the missing #fragment ("" when the file itself is missing)


@dataclass(frozen=True)
class SiteAddress:
    """Where the site is published (from site_url), to tell its own absolute links from others."""

    origin: str = ""  # "https://czj.example.gov.cn" ("" when site_url is not known)
    prefix: str = "/"  # the sub-path, with slashes at both ends

    @classmethod
    def of(cls, site_url: str | None) -> SiteAddress:
        if not site_url:
            return cls()
        parts = urlsplit(site_url)
        prefix = parts.path if parts.path.endswith("/") else parts.path + "/"
        return cls(f"{parts.scheme}://{parts.netloc}".lower(), prefix if prefix.startswith("/") else "/" + prefix)


def resolve(page: str, url: str, address: SiteAddress) -> tuple[str, str] | None:
    """(site-relative path as linked, #fragment) of an internal link from `page`; None for a link elsewhere."""
    url = url.strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        scheme = parts.scheme or urlsplit(address.origin).scheme
        if scheme not in ("http", "https") or not address.origin:
            return None
        if f"{scheme}://{parts.netloc}".lower() != address.origin:
            return None
    fragment = unquote(parts.fragment)
    if not parts.path:
        return (page, fragment)
    path = unquote(parts.path)
    if path.startswith("/"):
        if path.startswith(address.prefix):
            return (path[len(address.prefix) :], fragment)
        if path + "/" == address.prefix:
            return ("", fragment)
        return (OUTSIDE, fragment)
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if joined == ".." or joined.startswith("../"):
        return (OUTSIDE, fragment)
    joined = "" if joined == "." else joined
    return (joined + "/" if path.endswith("/") and joined else joined, fragment)


class LinkChecker:
    """Takes the pages one by one (site-check reads each page once) and reports the broken links at the end."""

    def __init__(self, site_dir: str, address: SiteAddress) -> None:
        self.site_dir = site_dir
        self.address = address
        self.ids: dict[str, frozenset[str]] = {}  # page → its ids
        self.exists: dict[str, str | None] = {}  # linked path → the file it is (None: missing)
        self.pending: list[tuple[str, Link, str, str]] = []  # fragment checks of pages not read yet
        self.broken: list[BrokenLink] = []
        self.checked = 0  # internal links followed

    def _file(self, linked: str) -> str | None:
        if linked not in self.exists:
            candidates = (
                [linked + "index.html"] if linked == "" or linked.endswith("/") else [linked, linked + "/index.html"]
            )
            found = None
            for c in candidates:
                full = os.path.join(self.site_dir, *c.split("/"))
                if os.path.isfile(full):
                    found = c
                    break
            self.exists[linked] = found
        return self.exists[linked]

    def add(self, facts: PageFacts) -> None:
        self.ids[facts.path] = frozenset(facts.ids)
        for link in facts.links:
            resolved = resolve(facts.path, link.url, self.address)
            if resolved is None:
                continue
            linked, fragment = resolved
            self.checked += 1
            target = linked if linked == facts.path else (None if linked == OUTSIDE else self._file(linked))
            if target is None:
                self.broken.append(BrokenLink(facts.path, link.line, link.column, link.url, linked, ""))
            elif fragment and target.endswith(".html"):
                if target in self.ids:
                    self._check_fragment(facts.path, link, target, fragment)
                else:
                    self.pending.append((facts.path, link, target, fragment))

    def _check_fragment(self, page: str, link: Link, target: str, fragment: str) -> None:
        ids = self.ids.get(target)
        if ids is None:  # an HTML file the walk did not read (a hidden folder): read it now
            ids = self.ids[target] = frozenset(read_page(self.site_dir, target).ids)
        if fragment not in ids:
            self.broken.append(BrokenLink(page, link.line, link.column, link.url, target, fragment))

    def finish(self) -> list[BrokenLink]:
        for page, link, target, fragment in self.pending:
            self._check_fragment(page, link, target, fragment)
        self.pending = []
        return sorted(self.broken, key=lambda b: (b.page, b.line, b.column, b.url))


def check_links(site_dir: str, site_url: str | None = None, pages: Iterable[str] | None = None) -> list[BrokenLink]:
    """Every broken internal link of the built site in site_dir (site_url: the address it is published at)."""
    checker = LinkChecker(site_dir, SiteAddress.of(site_url))
    for path in pages if pages is not None else html_pages(site_dir):
        checker.add(read_page(site_dir, path))
    return checker.finish()
