"""Escaping record text for the Markdown and HTML we emit."""
from __future__ import annotations

import html
import json
import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|!~])")


def md_inline(text: str) -> str:
    """Record text placed in Markdown (headings, link text): HTML-escaped, Markdown syntax neutralised."""
    escaped = html.escape(text, quote=False)
    escaped = escaped.replace("{", "&#123;").replace("}", "&#125;")
    return re.sub(r"([\\`*_\[\]#|!~])", r"\\\1", escaped)


def front_matter(title: str, **extra: object) -> str:
    """YAML front matter; JSON strings are valid YAML and need no further quoting rules."""
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    for key, value in extra.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def slugify_name(text: str) -> str:
    """A file-name-safe form of a Chinese name (department pages)."""
    cleaned = re.sub(r"[\\/:*?\"<>|%#\s{}\[\]]+", "-", text).strip("-.")
    return cleaned or "unnamed"
