"""The plugin's options in mkdocs.yml (`plugins: - disclosure: …`)."""

from __future__ import annotations

from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


# --- government-website settings (portal): checked by publish/portal.py with Chinese messages and lines
class _AsWritten(c.BaseConfigOption[Any]):
    """An option MkDocs passes on as written: the plugin checks it (in Chinese, with the line in mkdocs.yml)."""

    def run_validation(self, value: object, /) -> object:
        return value


class DisclosureConfig(Config):
    records_dir = c.Type(str, default="projects")
    """The records folder, relative to mkdocs.yml."""
    show_review = c.Type(bool, default=True)
    """Show 复核得分 beside the published score where the recomputation differs."""
    search = c.Type(bool, default=True)
    """Write the site's own search index (search/) after the build."""
    atomic = c.Type(bool, default=True)
    """Build into a staging folder and replace site_dir only when the build succeeded."""
    workers = c.Type(int, default=0)
    """Processes that evaluate and render records (0: one per core)."""
    personal_data = c.Choice(("mask", "fail"), default="mask")
    """Personal phone, ID and bank-card numbers in records: "mask" publishes them de-identified (138****1234) with a
    warning, "fail" withholds the record with an error (E140)."""
    preview_polling = c.Type(bool, default=False)
    """mkdocs serve: find edits by polling (where the operating system does not notify)."""
    portal = _AsWritten()
    """Government-website identifiers, footer and meta tags (publish/portal.py; the guide's 发布 page)."""
