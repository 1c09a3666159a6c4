"""Narrative Markdown → safe HTML: raw HTML is not rendered, only shown as text."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def _shift_headings(tokens) -> None:
    # The project page owns h1/h2; narrative headings start at h3.
    for tok in tokens:
        if tok.type in ("heading_open", "heading_close"):
            level = min(6, int(tok.tag[1]) + 1 if tok.tag != "h1" else 3)
            tok.tag = f"h{max(3, level)}"


def _safe_links(tokens) -> None:
    for tok in tokens:
        for child in tok.children or ():
            if child.type == "link_open":
                href = child.attrGet("href") or ""
                if not href.startswith(("http://", "https://", "#", "mailto:")):
                    child.attrSet("href", "#")
            if child.type == "image":
                child.type = "text"
                child.content = child.content or ""


def render_narrative(text: str) -> str:
    """A record's narrative Markdown as safe HTML: headings from h3, local links and images disarmed, no blank lines."""
    tokens = _MD.parse(text)
    _shift_headings(tokens)
    _safe_links(tokens)
    html = _MD.renderer.render(tokens, _MD.options, {})
    # Never let a record's text start a Jinja or MkDocs macro expression downstream.
    html = html.replace("{", "&#123;").replace("}", "&#125;")
    # No blank line may survive (the site adapter splits pages at blank lines): inside <pre> the
    # entity still reads as a line break.
    return re.sub(r"\n(?=\n)", "&#10;", html)
