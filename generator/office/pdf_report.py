"""A report printed as a text PDF, as the record's narrative Markdown (what docx_md.py does for Word files).

Lines are put back into paragraphs: a line the page's width wrapped joins the next one (also over a page
break); a paragraph ends at a line that ends short, and a new one starts at an indented line (首行缩进), a
wider gap or a change of size. Headings are the Chinese numbering bureaus use — `一、` (##), `（一）` (###),
`1.` / `1、` (####) on a short line of its own — and the report's title, printed larger at the top (#).
Ruled tables become pipe tables (merged cells written once; a table that runs on over a page break is one
table, its header printed again dropped). Page numbers and running heads (the same line at the top or
bottom of most pages) are left out. Text is copied verbatim; only Markdown's own characters are escaped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .grid import label
from .importer import ImportFailure
from .markdown_escape import escape_inline
from .pdf_grid import is_page_number
from .pdf_import import no_text_message, pages_text, read_pages, scanned_pages
from .pdf_layout import PageLayout, Table, TextLine, page_layout

_SECTION = re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.．]")
_SUBSECTION = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[)）]")
_NUMBERED = re.compile(r"^\d{1,2}\s*[、.．](?!\d)")
_SENTENCE_END = re.compile(r"[。；;！？!?：:]$")
MARGIN = 0.1  # running heads are looked for in this share of the page at its top and bottom
HEADING_CHARS = 40


@dataclass
class _Para:
    text: str
    height: float
    first: TextLine
    last: TextLine
    page: int


def pdf_to_markdown(path: str) -> tuple[str, list[str]]:
    """Markdown text of a report PDF, and notes on what was not carried over (scanned pages, images)."""
    name = Path(path).name
    pages = read_pages(path)
    scanned = scanned_pages(pages)
    text_pages = [p for p in pages if p.has_text]
    if not text_pages:
        raise ImportFailure(no_text_message(name, pages, scanned).replace("表格和数字", "文字"))
    markdown = layouts_to_markdown([page_layout(p) for p in text_pages])
    notes = []
    if scanned:
        notes.append(f"报告的{pages_text(scanned)}没有文字层（扫描图像），这些页的内容未导入，请对照原件补录。")
    pictured = [p.number for p in text_pages if p.image_area > 0.01]
    if pictured:
        notes.append(f"报告的{pages_text(pictured)}有图片，叙述文件只保留文字，图片未导入。")
    return markdown, notes


def layouts_to_markdown(layouts: list[PageLayout]) -> str:
    """The Markdown of laid-out pages (see the module's docstring)."""
    _drop_running_heads(layouts)
    body = _body_metrics(layouts)
    lines: list[str] = []
    first_para = True
    for block in _blocks(layouts, body):
        if lines:
            lines.append("")
        if isinstance(block, list):
            lines += _table_md(block)
        else:
            lines.append(_paragraph_md(block, body[0], first_para))
        first_para = False
    return "\n".join(lines) + ("\n" if lines else "")


# ---------------------------------------------------------------------------- page furniture


def _drop_running_heads(layouts: list[PageLayout]) -> None:
    """Page numbers, and lines repeated in the top or bottom margin of most pages (a running title)."""
    seen: Counter[str] = Counter()
    for lay in layouts:
        for key in {_furniture_key(lay, i) for i in lay.lines} - {None}:
            seen[key] += 1  # type: ignore[index]
    repeated = {k for k, n in seen.items() if n >= 2 and n * 2 >= len(layouts)}
    for lay in layouts:
        lay.items = [
            i
            for i in lay.items
            if not (
                isinstance(i, TextLine) and (is_page_number(i, lay.page.height) or _furniture_key(lay, i) in repeated)
            )
        ]


def _furniture_key(lay: PageLayout, line: TextLine) -> str | None:
    h = lay.page.height
    if line.y1 > h * MARGIN and line.y0 < h * (1 - MARGIN):
        return None
    return ("top:" if line.y1 <= h * MARGIN else "bottom:") + re.sub(r"\d+", "#", label(line.text))


def _body_metrics(layouts: list[PageLayout]) -> tuple[float, float, float]:
    """The body text's character height, left edge and right edge (the most common ones)."""
    heights: Counter[float] = Counter()
    for lay in layouts:
        for line in lay.lines:
            heights[round(line.height, 1)] += len(line.text)
    h = heights.most_common(1)[0][0] if heights else 10.0
    lefts: Counter[float] = Counter()
    rights: list[float] = []
    for lay in layouts:
        for line in lay.lines:
            if abs(line.height - h) <= 0.15 * h:
                lefts[round(line.x0)] += 1
                rights.append(line.x1)
    left = min((x for x, n in lefts.items() if n * 4 >= max(lefts.values())), default=0.0)
    rights.sort()
    right = rights[int(len(rights) * 0.9)] if rights else 0.0
    return h, float(left), right


# ---------------------------------------------------------------------------- paragraphs and tables


def _blocks(layouts: list[PageLayout], body: tuple[float, float, float]) -> list[_Para | list[list[str]]]:
    h_body, left, right = body
    out: list[_Para | list[list[str]]] = []
    open_table: Table | None = None
    for lay in layouts:
        for n, item in enumerate(lay.items):
            if isinstance(item, Table):
                rows = _rows(item)
                prev = out[-1] if out else None
                if n == 0 and open_table is not None and isinstance(prev, list) and _same_columns(open_table, item):
                    if rows and prev and [label(c) for c in rows[0]] == [label(c) for c in prev[0]]:
                        rows = rows[1:]  # the header printed again on the new page
                    prev.extend(rows)
                elif rows:
                    out.append(rows)
                open_table = item
                continue
            open_table = None
            para = out[-1] if out and isinstance(out[-1], _Para) else None
            h = max(item.height, 1.0)
            if para is not None and _continues(para, item, lay.page.number, h_body, left, right):
                tail, head = para.text[-1:], item.text[:1]
                sep = " " if tail.isascii() and tail.isalnum() and head.isascii() and head.isalnum() else ""
                para.text += sep + item.text
                para.last = item
                para.page = lay.page.number
            else:
                out.append(_Para(item.text, h, item, item, lay.page.number))
        if lay.items and not isinstance(lay.items[-1], Table):
            open_table = None
    return out


def _continues(para: _Para, line: TextLine, page: int, h_body: float, left: float, right: float) -> bool:
    prev = para.last
    h = max(line.height, 1.0)
    if abs(line.height - para.height) > 0.15 * h:
        return False
    if prev.x1 < right - 1.5 * h:  # the line before ended short: the paragraph ended there
        return False
    if line.x0 > left + 1.2 * h:  # indented: a new paragraph (首行缩进)
        return False
    if page == para.page and line.y0 - prev.y1 > 0.9 * h:
        return False
    if _heading_level(line.text) and _SENTENCE_END.search(prev.text.strip()):
        return False
    return True


def _heading_level(text: str) -> int | None:
    t = text.strip()
    if len(t) > HEADING_CHARS or _SENTENCE_END.search(t) or "\n" in t:
        return None
    if _SECTION.match(t):
        return 2
    if _SUBSECTION.match(t):
        return 3
    if _NUMBERED.match(t):
        return 4
    return None


def _paragraph_md(p: _Para, h_body: float, first: bool) -> str:
    text = re.sub(r"\s+", " ", p.text).strip()
    if first and p.height >= 1.2 * h_body and len(text) <= 60:
        return "# " + escape_inline(text, line_start=False)
    level = _heading_level(text)
    if level is None and p.height >= 1.15 * h_body and len(text) <= 30 and not _SENTENCE_END.search(text):
        level = 2
    if level is not None:
        return "#" * level + " " + escape_inline(text, line_start=False)
    return escape_inline(text)


def _rows(table: Table) -> list[list[str]]:
    """The table's rows, a merged cell's text in its first box and the boxes it covers left empty."""
    grid = [["" for _ in range(table.cols)] for _ in range(table.rows)]
    for cell in table.cells:
        grid[cell.r0][cell.c0] = re.sub(r"\s*\n\s*", " ", cell.text).strip()
    # columns no cell starts in (edges that only some rows have) would be empty everywhere: dropped
    starts = {c.c0 for c in table.cells if c.text}
    keep = [c for c in range(table.cols) if c in starts] or list(range(table.cols))
    rows = [[row[c] for c in keep] for row in grid]
    return [r for r in rows if any(r)]


def _same_columns(a: Table, b: Table) -> bool:
    return len(a.xs) == len(b.xs) and all(abs(x - y) <= 2.5 for x, y in zip(a.xs, b.xs))


def _table_md(rows: list[list[str]]) -> list[str]:
    width = max(len(r) for r in rows)
    cells = [[escape_inline(c).replace("|", "\\|") for c in r] + [""] * (width - len(r)) for r in rows]
    out = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * width]
    return out + ["| " + " | ".join(r) + " |" for r in cells[1:]]
