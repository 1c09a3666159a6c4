"""Names that become parts of the site's addresses, and the rules they must follow."""

from __future__ import annotations

import re

from .model import ID_PATTERN

ID_MAX = 64  # characters of a project id
STEM_MAX = 80  # characters of a record's file name (without .toml): it is the project page's address
STEM_PATTERN = ID_PATTERN  # lower-case ASCII letters, digits and hyphens, as an id


def slugify_name(text: str) -> str:
    """A file-name-safe form of a Chinese name (department pages)."""
    cleaned = re.sub(r"[\\/:*?\"<>|%#\s{}\[\]]+", "-", text).strip("-.")
    return cleaned or "unnamed"


def department_slug(name: str) -> str:
    """The part of a department page's address that comes from the department's name."""
    return slugify_name(name)
