"""What site-check reads of a built HTML page, in one pass: its links (href, src) with their line and column, the
ids a link can point to, the meta tags, the canonical link, the footer's text and links, and how many entries each
listing on it has (the projects tables, the year and department lists, the table of data files)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass(frozen=True)
class Link:
    url: str
    line: int
    column: int  # 1-based, of the element's start tag


@dataclass
class PageFacts:
    path: str  # relative to the site folder, with "/" (index.html, projects/2021/x/index.html)
    links: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    meta: dict[str, str] = field(default_factory=dict)  # name → content, the first of each name
    canonical: str | None = None
    title: str = ""
    footer_text: str = ""
    footer_links: list[str] = field(default_factory=list)
    listings: list[int] = field(default_factory=list)  # the number of entries of each listing on the page
    redirect: bool = False  # a page that only sends the reader on (meta refresh): a renamed record's old address


def _classes(attrs: dict[str, str | None]) -> set[str]:
    return set((attrs.get("class") or "").split())


class _Reader(HTMLParser):
    def __init__(self, facts: PageFacts) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = facts
        self.footer_depth = 0
        self.footer_text: list[str] = []
        self.in_title = False
        self.listing: int | None = None  # entries counted so far in the listing being read
        self.listing_tag = ""  # "table" or "ul"
        self.listing_depth = 0  # nesting of listing_tag inside the listing
        self.in_tbody = False

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attrs_list)
        facts = self.facts
        line, offset = self.getpos()
        for name in ("href", "src"):
            value = attrs.get(name)
            if value is not None and tag != "base":
                facts.links.append(Link(value, line, offset + 1))
        if attrs.get("id"):
            facts.ids.add(attrs["id"] or "")
        if tag == "a" and attrs.get("name"):
            facts.ids.add(attrs["name"] or "")
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            facts.redirect = True
        if tag == "meta" and attrs.get("name") and attrs.get("content") is not None:
            facts.meta.setdefault(attrs["name"] or "", attrs["content"] or "")
        elif tag == "link" and (attrs.get("rel") or "") == "canonical":
            facts.canonical = attrs.get("href")
        elif tag == "title":
            self.in_title = True
        elif tag == "footer":
            self.footer_depth += 1
        if self.footer_depth and tag == "a" and attrs.get("href"):
            facts.footer_links.append(attrs["href"] or "")
        self._listing_start(tag, attrs)

    def _listing_start(self, tag: str, attrs: dict[str, str | None]) -> None:
        if self.listing is None:
            classes = _classes(attrs)
            if (tag == "table" and ("data-pd-table" in attrs or "pd-data-files" in classes)) or (
                tag == "ul" and "pd-group-list" in classes
            ):
                self.listing, self.listing_tag, self.listing_depth = 0, tag, 1
            return
        if tag == self.listing_tag:
            self.listing_depth += 1
        elif tag == "tbody" and self.listing_tag == "table":
            self.in_tbody = True
        elif self.listing_depth == 1 and (
            (tag == "tr" and self.in_tbody) or (tag == "li" and self.listing_tag == "ul")
        ):
            self.listing += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag == "footer" and self.footer_depth:
            self.footer_depth -= 1
        if self.listing is not None:
            if tag == "tbody":
                self.in_tbody = False
            elif tag == self.listing_tag:
                self.listing_depth -= 1
                if self.listing_depth == 0:
                    self.facts.listings.append(self.listing)
                    self.listing = None

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.facts.title += data
        if self.footer_depth:
            self.footer_text.append(data)

    def close(self) -> None:
        super().close()
        self.facts.footer_text = " ".join(" ".join(self.footer_text).split())
        self.facts.title = self.facts.title.strip()


def read_page(site_dir: str, path: str) -> PageFacts:
    """The facts of the page at `path` (relative to site_dir, with "/")."""
    facts = PageFacts(path)
    with open(os.path.join(site_dir, *path.split("/")), encoding="utf-8", errors="replace") as fh:
        reader = _Reader(facts)
        reader.feed(fh.read())
        reader.close()
    return facts


def html_pages(site_dir: str) -> Iterator[str]:
    """Every HTML page of the built site, sorted (index.html first), relative with "/"."""
    found = []
    for folder, dirs, files in os.walk(site_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = os.path.relpath(folder, site_dir)
        for name in files:
            if name.endswith(".html"):
                found.append(name if rel == "." else f"{rel.replace(os.sep, '/')}/{name}")
    yield from sorted(found, key=lambda p: (p != "index.html", p))
