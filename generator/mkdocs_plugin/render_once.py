"""`{% call pd_once(key, part) %}…{% endcall %}` for the theme: a part of the page layout rendered
once per key and reused (theme/main.html: the sidebar, the tabs and the header).

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


def layout_keys(context: TemplateContext, in_nav: bool, section: int | None) -> TemplateContext:
    """The pd_once keys of a page. Its depth (base_url) decides every relative link; its section (the index
    of its top-level navigation item) decides which tab and sidebar item are current. A page in the
    navigation renders its own sidebar (it lists the page's table of contents): key None."""
    keys = cast("dict[str, Any]", context)  # MkDocs types the context without room for a theme's own keys
    depth = context.get("base_url")
    keys["pd_depth_key"] = depth
    keys["pd_tabs_key"] = (depth, section)
    keys["pd_sidebar_key"] = None if in_nav else (depth, section)
    return context
