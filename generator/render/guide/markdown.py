"""Markdown pieces shared by the generated guide pages."""

from __future__ import annotations


def anchor(name: str) -> str:
    """A stable link target (codes.md#e101, rules.md#steps) that needs no Markdown extension: the
    headings' own ids depend on the site's slugify setting, these do not."""
    return f'<a id="{name}"></a>'


def cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def block(lines: list[str]) -> str:
    """Lines joined into one block for a page template, without the blank lines at its ends (the template places those)."""
    return "\n".join(lines).strip("\n")
