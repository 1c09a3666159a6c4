"""The navigation a records repository gets when its mkdocs.yml has none."""

from __future__ import annotations

import os

DEFAULT_NAV: list[dict[str, str] | str] = [
    {"首页": "index.md"},
    {"全部项目": "projects/index.md"},
    {"按年度": "years/index.md"},
    {"按部门": "departments/index.md"},
    {"方法说明": "methodology.md"},
    {"数据下载": "data.md"},
]


def default_nav(docs_dir: str) -> list[dict[str, str] | str]:
    """A short sidebar: listing every project there would make every page grow with the number of
    projects. Hand-written top-level pages of docs_dir follow the defaults."""
    nav = list(DEFAULT_NAV)
    taken = {v for item in nav if isinstance(item, dict) for v in item.values()}
    if os.path.isdir(docs_dir):
        for name in sorted(os.listdir(docs_dir)):
            if name.endswith(".md") and name not in taken:
                nav.append(name)
    return nav
