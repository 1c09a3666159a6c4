"""Every use of MkDocs or Material beyond their documented plugin API, in one place.

Each is labelled `Hack:` with what it relies on and the versions it was checked against;
tests/test_mkdocs_internals.py fails loudly when an upgrade breaks one, so nothing here falls back
silently. The Material templates the theme overrides are checked there too.
"""

from __future__ import annotations

import logging
from typing import Any

CHECKED_WITH = {"mkdocs": "1.6.1", "mkdocs-material": "9.8.2"}


# Hack: `config.theme.dirs` is the template search path MkDocs builds from custom_dir and the theme
# (MkDocs 1.6.1). The tool's own overrides go right after the site's custom_dir, so a records repository
# gets them from the installed package and can still override them.
def add_template_dir(config: Any, folder: str) -> None:
    dirs = config.theme.dirs
    if folder not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, folder)


# Hack: `Page.present_anchor_ids` is the set of anchors MkDocs checks links to `page#anchor` against
# (MkDocs 1.6.1). Anchors inside HTML blocks set aside from Markdown (render/lift.py) must count too.
def add_present_anchors(page: Any, anchors: set[str]) -> None:
    page.present_anchor_ids = set(page.present_anchor_ids or ()) | anchors


# Hack: the LiveReloadServer keeps its watches in `_watched_paths` (path → number of watch() calls) and
# its watchdog observer in `observer` (MkDocs 1.6.1). The preview moves folder watches to a native observer.
def watched_paths(server: Any) -> dict[str, int]:
    return server._watched_paths


def observer(server: Any) -> Any:
    return server.observer


def set_observer(server: Any, new: Any) -> None:
    server.observer = new


# Hack: `mkdocs serve --dirty` logs this warning on every rebuild (mkdocs.commands.build, MkDocs 1.6.1); the
# plugin starts over from an empty folder whenever navigation could be stale, so the preview hides it.
DIRTY_BUILD_LOGGER = "mkdocs.commands.build"
DIRTY_BUILD_WARNING = "'dirty' build"


class DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return DIRTY_BUILD_WARNING not in record.getMessage()


def hide_dirty_build_warning() -> None:
    logging.getLogger(DIRTY_BUILD_LOGGER).addFilter(DropDirtyWarning())


# Hack: `mkdocs build --strict` fails when anything was logged at WARNING or above under the "mkdocs"
# logger (MkDocs 1.6.1 counts them the same way); the plugin counts them to decide whether to publish.
class WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    def attach(self) -> None:
        self.count = 0
        logging.getLogger("mkdocs").addHandler(self)

    def detach(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self)


# Hack: `active` of a navigation item (MkDocs 1.6.1: a settable property, which marks the item's ancestors too)
# is what MkDocs sets on the page being rendered and what Material's tabs and sidebar read to mark the current
# section. A page outside the navigation (a project page) has its section marked the same way while it renders.
def set_active(item: Any, value: bool) -> None:
    item.active = value


# Hack: `previous_page` / `next_page` of a page in the navigation are plain attributes MkDocs fills in when it
# builds the navigation (MkDocs 1.6.1); Material's footer links read them (feature navigation.footer).
def set_neighbour(page: Any, neighbour: str, other: Any) -> None:
    assert neighbour in ("previous_page", "next_page")
    setattr(page, neighbour, other)


# Material blocks and partials the theme overrides or calls (mkdocs-material 9.8.2): see
# mkdocs_plugin/theme/ and tests/test_mkdocs_internals.py.
MATERIAL_BLOCKS = {
    # libs: the 关怀模式 choice applied before first paint; extrahead, announce, content, footer: portal norms;
    # tabs: the public sections, rendered once per depth and section
    "base.html": ("site_nav", "header", "tabs", "libs", "extrahead", "announce", "content", "footer"),
    "404.html": ("content",),
}
