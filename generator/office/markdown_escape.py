"""Text from an imported document as Markdown text: what Markdown would read as markup is escaped. Shared by the
Word (docx_md.py) and PDF (pdf_report.py) report imports; it needs no third-party package."""

from __future__ import annotations

import re

# At the start of a line: a list item, a heading or a quote.
_LIST_START = re.compile(r"^(\d{1,9}[.)](?=\s|$)|[-+](?=\s|$)|#{1,6}(?=\s|$)|>)")


def escape_inline(text: str, *, line_start: bool = True) -> str:
    """Escape what Markdown would read as markup (`*`, `_`, backticks, `<`, brackets); at the start of
    a line, text that would open a list, quote or heading gets a backslash too."""
    text = re.sub(r"([\\`*_<\[\]])", r"\\\1", text)
    m = _LIST_START.match(text) if line_start else None
    if m:
        head = m.group(0)
        if head[0].isdigit():
            digits = re.match(r"\d+", head).group(0)  # type: ignore[union-attr]  # head[0] is a digit
            text = digits + "\\" + text[len(digits) :]
        else:
            text = "\\" + text
    return text
