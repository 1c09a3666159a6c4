"""A Word report (.docx) as the record's narrative Markdown.

Headings (Word heading styles, outline levels, or — in documents without any — the Chinese numbering
that bureaus type by hand: `一、` for a section, `（一）` for a subsection) become `##` / `###` …;
paragraphs stay paragraphs; numbered and bulleted paragraphs become Markdown lists; tables become
pipe tables (merged cells written once). Text is copied verbatim; only Markdown's own special
characters are escaped, and no raw HTML is produced.
"""

from __future__ import annotations

import re

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from .markdown_escape import escape_inline

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
_CN_SECTION = re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.．]")
_CN_SUBSECTION = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[)）]")
_SENTENCE_END = re.compile(r"[。；;！？!?]$")


def _style_level(p: Paragraph) -> int | None:
    """Heading level from the paragraph's style (Heading 1 → 1, 标题 2 → 2, Title → 0) or outline level."""
    style = p.style
    while style is not None:
        name = (style.name or "").strip()
        if name.lower() == "title" or name == "标题":
            return 0
        m = _HEADING_STYLE.match(name)
        if m:
            return int(m.group(1))
        style = style.base_style
    ppr = p._p.pPr
    if ppr is not None:
        lvl = ppr.find(qn("w:outlineLvl"))
        if lvl is not None:
            try:
                value = int(lvl.get(qn("w:val")))
            except (TypeError, ValueError):
                return None
            if value < 9:
                return value + 1
    return None


class _Numbering:
    """Whether a numbered paragraph is a bullet or an ordered list item, from the numbering part."""

    def __init__(self, doc) -> None:
        self.formats: dict[tuple[str, str], str] = {}
        try:
            root = doc.part.numbering_part.element
        except (KeyError, AttributeError, NotImplementedError):
            return
        abstract: dict[str, dict[str, str]] = {}
        for an in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in an.findall(qn("w:lvl")):
                fmt_el = lvl.find(qn("w:numFmt"))
                levels[lvl.get(qn("w:ilvl"))] = fmt_el.get(qn("w:val")) if fmt_el is not None else "decimal"
            abstract[an.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is None:
                continue
            for ilvl, f in abstract.get(ref.get(qn("w:val")), {}).items():
                self.formats[(num.get(qn("w:numId")), ilvl)] = f

    def kind(self, num_id: str, ilvl: str) -> str:
        return "bullet" if self.formats.get((num_id, ilvl), "decimal") == "bullet" else "ordered"


def _list_info(p: Paragraph, numbering: _Numbering) -> tuple[str, int] | None:
    ppr = p._p.pPr
    num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
    if num_pr is not None:
        num_id_el = num_pr.find(qn("w:numId"))
        ilvl_el = num_pr.find(qn("w:ilvl"))
        num_id = num_id_el.get(qn("w:val")) if num_id_el is not None else "0"
        ilvl = ilvl_el.get(qn("w:val")) if ilvl_el is not None else "0"
        if num_id != "0":
            return numbering.kind(num_id, ilvl), int(ilvl or 0)
    name = (p.style.name or "") if p.style is not None else ""
    if name.startswith("List Bullet") or name.startswith("列表项目符号"):
        return "bullet", _trailing_level(name)
    if name.startswith("List Number") or name.startswith("列表编号"):
        return "ordered", _trailing_level(name)
    return None


def _trailing_level(name: str) -> int:
    m = re.search(r"(\d)$", name)
    return max(int(m.group(1)) - 1, 0) if m else 0


def _paragraph_text(p: Paragraph) -> str:
    parts: list[str] = []
    for el in p._p.iter():
        tag = el.tag
        if tag == qn("w:t"):
            parts.append(el.text or "")
        elif tag == qn("w:tab"):
            parts.append(" ")
        elif tag in (qn("w:br"), qn("w:cr")):
            parts.append("\n")
    return "".join(parts)


def _table_md(table: Table) -> list[str]:
    rows: list[list[str]] = []
    above: list = []
    for row in table.rows:
        cells = []
        prev_tc = None
        tcs = []
        for i, cell in enumerate(row.cells):
            tc = cell._tc
            if tc is prev_tc or (i < len(above) and above[i] is tc):
                cells.append("")
            else:
                text = "\n".join(p.text for p in cell.paragraphs).strip()
                cells.append(escape_inline(re.sub(r"\s*\n\s*", " ", text)).replace("|", "\\|"))
            prev_tc = tc
            tcs.append(tc)
        above = tcs
        rows.append(cells)
    if not rows:
        return []
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return out


def docx_to_markdown(path: str) -> tuple[str, list[str]]:
    """Markdown text of a .docx report, and notes on what was not carried over (images, …)."""
    doc = Document(path)
    notes: list[str] = []
    numbering = _Numbering(doc)
    blocks: list[Paragraph | Table] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            blocks.append(Paragraph(child, doc))
        elif child.tag == qn("w:tbl"):
            blocks.append(Table(child, doc))
    styled = [_style_level(b) for b in blocks if isinstance(b, Paragraph) and b.text.strip()]
    levels = [lv for lv in styled if lv is not None]
    use_styles = bool(levels)
    # The report's own title: a Title paragraph, or a single top-level heading that comes first.
    title_level = None
    body_levels = [lv for lv in levels if lv > 0]
    if body_levels:
        top = min(body_levels)
        first = next((lv for lv in levels), None)
        if body_levels.count(top) == 1 and first == top and len(set(body_levels)) > 1:
            title_level = top
            body_levels = [lv for lv in body_levels if lv != top]
    base = min(body_levels) if body_levels else 1
    lines: list[str] = []
    list_open = False
    images = 0

    def blank() -> None:
        if lines and lines[-1] != "":
            lines.append("")

    for block in blocks:
        if isinstance(block, Table):
            blank()
            lines += _table_md(block)
            lines.append("")
            list_open = False
            continue
        p = block
        images += len(p._p.findall(".//" + qn("w:drawing"))) + len(p._p.findall(".//" + qn("w:pict")))
        text = _paragraph_text(p).strip()
        if not text:
            continue
        level = _style_level(p) if use_styles else None
        heading = None
        if level is not None:
            if level == 0 or level == title_level:
                heading = 1
            else:
                heading = min(2 + level - base, 6)
        elif not use_styles and len(text) <= 40 and not _SENTENCE_END.search(text) and "\n" not in text:
            if _CN_SECTION.match(text):
                heading = 2
            elif _CN_SUBSECTION.match(text):
                heading = 3
        if heading is not None:
            blank()
            lines.append("#" * heading + " " + escape_inline(re.sub(r"\s+", " ", text), line_start=False))
            lines.append("")
            list_open = False
            continue
        info = _list_info(p, numbering)
        if info is not None:
            kind_, depth = info
            if not list_open:
                blank()
            marker = "-" if kind_ == "bullet" else "1."
            lines.append(
                "  " * depth * (1 if kind_ == "bullet" else 2)
                + marker
                + " "
                + escape_inline(re.sub(r"\s*\n\s*", " ", text))
            )
            list_open = True
            continue
        if list_open:
            lines.append("")
            list_open = False
        for part in text.split("\n"):
            part = part.strip()
            if part:
                blank()
                lines.append(escape_inline(part))
                lines.append("")
    while lines and lines[-1] == "":
        lines.pop()
    if images:
        notes.append(f"报告中有 {images} 张图片，叙述文件只保留文字，图片未导入。")
    return "\n".join(lines) + ("\n" if lines else ""), notes
