"""A self-evaluation form printed as a text PDF, read into a record like the .xlsx forms.

The pages are read (pdf_read.py), their tables found from the ruling lines (pdf_layout.py) and put
together into Grids (pdf_grid.py); the recognisers that read .xlsx forms by their labels then read them
unchanged (importer.read_grids: national, 湖北, 苏州, 执行监控). On top of the workbook import:

- provenance: every value of the record with the page and cell it was printed in (pdf_trace.py), which
  the command writes as a comment beside the value;
- values the importer could not read — a number that is not one (`约5`), a cell whose glyphs have no
  character (a font without a Unicode map) — are recorded as "未公布" where the record format allows it,
  and listed with their page;
- pages without a text layer (scans) are named; a PDF with no text at all cannot be imported (this tool
  does no OCR: tesseract misread too many figures on the test scans, see the guide).

Failures (encrypted, damaged, only scans, nothing recognised) raise ImportFailure naming file and page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.field_types import NOT_PUBLISHED
from generator.core.fields import RECORD_FIELDS, Field

from .form_reader import FIELD_NAMES, FUND_TOTAL, ImportResult
from .grid import Grid, label
from .importer import ImportFailure, read_grids
from .pdf_grid import PdfGrid, build_grids, page_span
from .pdf_layout import PageLayout, page_layout
from .pdf_read import PdfPage, PdfProblem, open_pdf
from .pdf_trace import INFERRED, KeyPath, trace

SCAN_COVER = 0.3  # a page without text whose images cover this share of it is a scan
_UNREAD = re.compile(r"^(?P<ref>.+?): 无法识别(?P<what>.+?)：(?P<why>.+)，未导入$")
_INDICATOR = re.compile(r"^指标“(?P<name>.+)”的(?P<field>.+)$")
_FUND = re.compile(r"^(?P<name>.+)的(?P<field>年初预算数|全年预算数|执行数|执行率)$")
_FIELD_OF = {v: k for k, v in FIELD_NAMES.items()}


@dataclass
class PdfImportResult(ImportResult):
    """An ImportResult with where each value came from."""

    pages: int = 0
    comments: dict[KeyPath, str] = field(default_factory=dict)  # key path → `第 2 页，表 1 第 5 行第 8 列`
    unreadable: list[str] = field(default_factory=list)  # values recorded as "未公布", with their page and cell
    scanned: list[int] = field(default_factory=list)  # pages without a text layer


def read_pages(path: str) -> list[PdfPage]:
    try:
        return open_pdf(path)
    except PdfProblem as exc:
        raise ImportFailure(str(exc)) from None


def scanned_pages(pages: list[PdfPage]) -> list[int]:
    return [p.number for p in pages if not p.has_text and p.image_area >= SCAN_COVER]


def pages_text(numbers: list[int]) -> str:
    """`第 2、3、5 页`"""
    return "第 " + "、".join(str(n) for n in numbers) + " 页"


def no_text_message(name: str, pages: list[PdfPage], scanned: list[int]) -> str:
    if scanned:
        return (
            f"{name} 的{pages_text(scanned)}没有文字层（是扫描或拍照得到的图像），其中的表格和数字无法读取；"
            "本工具不做文字识别（OCR）。请向来源索取文字版 PDF 或 Excel/Word 原件，或对照原件手工录入。"
        )
    return f"{name} 共 {len(pages)} 页，没有任何文字（空白页），无法导入。"


def read_pdf_form(path: str, *, layout: str | None = None, sheet: str | None = None) -> PdfImportResult:
    name = Path(path).name
    pages = read_pages(path)
    scanned = scanned_pages(pages)
    text_pages = [p for p in pages if p.has_text]
    if not text_pages:
        raise ImportFailure(no_text_message(name, pages, scanned))
    layouts: list[PageLayout] = [page_layout(p) for p in text_pages]
    every = build_grids(layouts)
    grids = [g for g in every if g.has_table]
    if not grids:
        raise ImportFailure(
            f"{name}（{page_span([p.number for p in text_pages])}）中没有找到画有表格线的表格，无法按自评表导入。"
            "表格没有边框线、或整份是报告文字时无法识别；报告请作为第二个参数导入。"
        )
    text_only = [g for g in every if not g.has_table]
    chosen = _sheet(grids, sheet, name) if sheet is not None else None
    try:
        parts: list[Grid] = list(grids)
        base = read_grids(parts, path, layout=layout, sheet=chosen, part="部分")
    except ImportFailure as exc:
        text = str(exc)
        if text.startswith(f"{name} 中"):
            text = f"{name}（{page_span([p.number for p in text_pages])}）中" + text[len(name) + 2 :]
        raise ImportFailure(text) from None
    result = PdfImportResult(**vars(base))
    result.pages = len(pages)
    for g in text_only:
        result.notes.append(
            f"{g.name}只有文字、没有表格（如印在表后的评价报告），不属于自评表，没有读入记录；"
            "报告的文字请作为第二个参数导入（可以就是这个 PDF）。"
        )
    result.scanned = scanned
    if scanned:
        result.unmapped.append(
            f"{pages_text(scanned)}: 没有文字层（扫描图像），这些页未读取；请对照原件核对是否缺少内容"
        )
    by_name = {g.name: g for g in grids}
    grid = by_name.get(result.sheet)
    monitoring_grid = by_name.get(result.monitoring_sheet) if result.monitoring_sheet else None
    if grid is None:  # pragma: no cover - read_grids names one of the grids it was given
        return result
    marked = _unreadable_numbers(result)
    found = trace(result.data, grid, monitoring_grid)
    texts = _unreadable_texts(result, [g for g in (grid, monitoring_grid) if g is not None])
    for key, where in found.items():
        if key in marked:
            continue
        if where is None:
            result.comments[key] = INFERRED
        elif where in texts and _value(result.data, key) == NOT_PUBLISHED:
            result.comments[key] = f"{where}：字形没有对应的文字编码，读不出，记为“未公布”，请对照原文填写"
        else:
            result.comments[key] = where
    result.comments.update(marked)
    return result


def _sheet(grids: list[PdfGrid], sheet: str, name: str) -> str:
    """--sheet for a PDF: a page number (`2`, `第 2 页`) or a part's name, as the import names them."""
    if any(g.name == sheet for g in grids):
        return sheet
    m = re.search(r"\d+", sheet)
    if m:
        number = int(m.group(0))
        for g in grids:
            if number in g.pages:
                return g.name
    parts = "、".join(g.name for g in grids)
    raise ImportFailure(
        f"{name} 中没有第 {sheet} 页的表格。--sheet 对 PDF 写页码，如 --sheet 2；有表格的部分：{parts}。"
    )


# ---------------------------------------------------------------------------- values not read → 未公布


def _field(path: KeyPath) -> Field | None:
    fields = RECORD_FIELDS
    found = None
    for key in path:
        if isinstance(key, int):
            continue
        found = next((f for f in fields if f.name == key), None)
        if found is None:
            return None
        fields = found.fields
    return found


def _value(data: dict, path: KeyPath) -> object:
    node: object = data
    for key in path:
        if isinstance(node, dict) and not isinstance(key, int):
            node = node.get(key)
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return None
    return node


def _unreadable_numbers(result: PdfImportResult) -> dict[KeyPath, str]:
    """Numbers the recognisers could not read (listed in `unmapped`), put in the record as "未公布" where
    the field takes it; returns their comments."""
    comments: dict[KeyPath, str] = {}
    keep = []
    for line in result.unmapped:
        m = _UNREAD.match(line)
        path = _path_of(result.data, m.group("what")) if m else None
        if m is None or path is None or not (_field(path) and _field(path).unpublished_ok):  # type: ignore[union-attr]
            keep.append(line)
            continue
        _set(result.data, path, NOT_PUBLISHED)
        ref, what, why = m.group("ref"), m.group("what"), m.group("why")
        result.unreadable.append(f"{ref}：{what}读不出（{why}），记为“未公布”")
        comments[path] = f"{ref}：读不出（{why}），记为“未公布”，请对照原文填写"
    result.unmapped[:] = keep
    return comments


def _path_of(data: dict, what: str) -> KeyPath | None:
    if what == "总分":
        return ("total",) if "total" not in data else None
    m = _INDICATOR.match(what)
    if m:
        f = _FIELD_OF.get(m.group("field"))
        for i, ind in enumerate(data.get("indicator", [])):
            if ind.get("name") == m.group("name") and f and f not in ind:
                return ("indicator", i, f)
        return None
    m = _FUND.match(what)
    if m:
        f = _FIELD_OF.get(m.group("field"))
        budget = data.get("budget", {})
        row = m.group("name")
        if FUND_TOTAL.match(label(row)):
            return ("budget", f) if f not in budget else None
        source = re.sub(r"^其中\s*[:：]?\s*", "", row).strip()
        for i, src in enumerate(budget.get("sources", [])):
            if src.get("name") == source and f not in src:
                return ("budget", "sources", i, f)
    return None


def _set(data: dict, path: KeyPath, value: object) -> None:
    node: object = data
    for key in path[:-1]:
        node = node[key]  # type: ignore[index]
    node[path[-1]] = value  # type: ignore[index]


def _unreadable_texts(result: PdfImportResult, grids: list[PdfGrid]) -> set[str]:
    """Cells whose glyphs have no characters that went into the record (as "未公布"): listed, and their refs."""
    refs = set()
    for g in grids:
        for o in sorted(g.unreadable):
            if o in g.used and o not in g.problems:  # numbers: listed with the field they were for
                ref = g.ref(*o)
                refs.add(ref)
                result.unreadable.append(f"{ref}：字形没有对应的文字编码，读不出，记为“未公布”")
    return refs
