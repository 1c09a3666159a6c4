"""`{% call pd_once(key, part) %}…{% endcall %}` for the theme: a part of the page layout rendered
once per key and reused (theme/main.html: the sidebar and the header).

Pages outside the navigation (projects, years, departments) share their sidebar and most of their
header with every page at the same depth; rendering those once per depth saves much of MkDocs'
time per page at thousands of projects.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from mkdocs.utils.templates import TemplateContext


def rendered_once() -> Callable[..., str]:
    """A fresh pd_once for one build: key None renders the part every time."""
    rendered: dict[tuple[Hashable, str], str] = {}

    def pd_once(key: Hashable, part: str, caller: Callable[[], str]) -> str:
        if key is None:
            return caller()
        if (key, part) not in rendered:
            rendered[(key, part)] = caller()
        return rendered[(key, part)]

    return pd_once


def layout_keys(context: TemplateContext, in_nav: bool) -> TemplateContext:
    """The pd_once keys of a page: its depth (base_url), and none for the sidebar of a page in the nav."""
    keys = cast("dict[str, Any]", context)  # MkDocs types the context without room for a theme's own keys
    keys["pd_sidebar_key"] = None if in_nav else context.get("base_url")
    keys["pd_depth_key"] = context.get("base_url")
    return context
