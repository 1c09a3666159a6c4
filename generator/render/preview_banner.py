"""The banner on a record that only the local preview shows (a draft, or a record before its publication
date): the editor sees the page as it will look, and cannot mistake it for a published one.

Only the preview asks for it (publish/workers.py with Job.preview); a build never renders such a record.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape

from .outputs import RenderedProject

BANNER_CLASS = "pd-preview-banner"


def banner_html(title: str, detail: str) -> str:
    """An admonition-styled HTML block (no blank line inside: it stays one block, see lift.py)."""
    return (
        f'<div class="admonition warning {BANNER_CLASS}" role="note">\n'
        f'<p class="admonition-title">{escape(title)}</p>\n'
        f"<p>{escape(detail)}</p>\n"
        "</div>"
    )


def with_banner(rendered: RenderedProject, title: str, detail: str) -> RenderedProject:
    """The project with the banner at the top of its page (right after the front matter, above the title),
    and its search result saying the same."""
    output = rendered.output
    page = output.page
    banner = banner_html(title, detail) + "\n\n"
    if page.content.startswith("---\n"):
        head, sep, body = page.content.partition("\n---\n")
        content = head + sep + "\n" + banner + body.lstrip("\n")
    else:
        content = banner + page.content
    search = page.search and replace(page.search, summary=f"{title} · {page.search.summary}")
    return replace(rendered, output=replace(output, page=replace(page, content=content, search=search)))
