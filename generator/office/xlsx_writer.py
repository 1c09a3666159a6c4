"""A small SpreadsheetML writer for the forms this tool fills.

openpyxl builds a cell object with style objects for every cell and took about 15 ms per form;
the site offers a form for every project, so at 10,000 projects that alone was minutes of build
time. This writer takes the same instructions (put a value, merge, frame a block) and writes the
XML directly: inline strings, one style per combination used, fixed timestamps, so the same
record always gives the same bytes. A workbook has one sheet per plan (`to_bytes(form, monitoring)`). openpyxl still reads the files (tests and the importer do).
Row heights come from the wrapped text (row_height.py): `fit_rows()` sets them before `to_bytes`.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from xml.sax.saxutils import escape

from .row_height import TextCell, fit_rows

FIXED_TIME = (2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Style:
    bold: bool = False
    size: int = 10
    align: str = "center"  # center | left
    border: bool = False
    number: bool = False  # number format 0.00
    percent: bool = False  # number format 0.00% (the cell holds the fraction: 0.8362 shows 83.62%)


@dataclass
class SheetPlan:
    title: str
    widths: dict[str, float] = field(default_factory=dict)
    cells: dict[tuple[int, int], tuple[object, Style]] = field(default_factory=dict)
    merges: list[str] = field(default_factory=list)
    print_title_rows: str | None = None  # e.g. "1:2"
    landscape: bool = True
    heights: dict[int, float] = field(default_factory=dict)  # row → height in points, set by fit_rows()

    def put(
        self,
        row: int,
        col: str,
        value,
        *,
        number: bool = False,
        bold: bool = False,
        align: str = "center",
        size: int = 10,
        percent: bool = False,
    ) -> None:
        c = col_index(col)
        old = self.cells.get((row, c))
        border = old[1].border if old else False
        self.cells[(row, c)] = (value, _style(bold, size, align, border, number, percent))

    def merge(self, first: str, last: str) -> None:
        if first != last:
            self.merges.append(f"{first}:{last}")

    def frame(self, r0: int, r1: int, c0: str = "A", c1: str = "I") -> None:
        cells = self.cells
        blank = (None, _style(False, 10, "center", False, False, False))
        for r in range(r0, r1 + 1):
            for c in range(col_index(c0), col_index(c1) + 1):
                value, s = cells.get((r, c), blank)
                cells[(r, c)] = (value, _style(s.bold, s.size, s.align, True, s.number, s.percent))

    def value(self, ref: str):
        col = "".join(ch for ch in ref if ch.isalpha())
        row = int("".join(ch for ch in ref if ch.isdigit()))
        found = self.cells.get((row, col_index(col)))
        return found[0] if found else None

    def fit_rows(self) -> list[str]:
        """Set every row's height from its wrapped text; returns the cells (A12) whose text needs more
        than the tallest row a spreadsheet allows."""
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        for ref in self.merges:
            first, last = ref.split(":")
            spans[_cell_of(first)] = _cell_of(last)
        texts: list[TextCell] = []
        for (r, c), (value, style) in self.cells.items():
            if value is None or value == "":
                continue
            r1, c1 = spans.get((r, c), (r, c))
            texts.append((r, c, r1, c1, value if isinstance(value, str) else str(value), style.size))
        widths = {col_index(k): w for k, w in self.widths.items()}
        fit = fit_rows(texts, widths, {r for r, _ in self.cells})
        self.heights = fit.heights
        return [f"{col_name(c)}{r}" for r, c in fit.too_tall]


def _cell_of(ref: str) -> tuple[int, int]:
    col = "".join(ch for ch in ref if ch.isalpha())
    return int(ref[len(col) :]), col_index(col)


@cache
def _style(bold: bool, size: int, align: str, border: bool, number: bool, percent: bool = False) -> Style:
    # A form uses a handful of styles over a few hundred cells: share them instead of building one per cell.
    return Style(bold=bold, size=size, align=align, border=border, number=number, percent=percent)


@cache
def col_index(col: str) -> int:
    n = 0
    for ch in col:
        n = n * 26 + (ord(ch) - 64)
    return n


@cache
def col_name(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _number(value) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(value)
    return None


def _styles_xml(styles: list[Style]) -> str:
    fonts = sorted({(s.bold, s.size) for s in styles} | {(False, 10)})
    font_xml = "".join(
        f'<font>{"<b/>" if b else ""}<sz val="{size}"/><name val="宋体"/><family val="3"/><charset val="134"/></font>'
        for b, size in fonts
    )
    xfs = []
    for s in styles:
        font = fonts.index((s.bold, s.size))
        num = 10 if s.percent else 2 if s.number else 0  # built-in formats: 2 is "0.00", 10 is "0.00%"
        border = 1 if s.border else 0
        apply_number = ' applyNumberFormat="1"' if s.number or s.percent else ""
        xfs.append(
            f'<xf numFmtId="{num}" fontId="{font}" fillId="0" borderId="{border}" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1"'
            f'{apply_number}><alignment horizontal="{s.align}" vertical="center" wrapText="1"/></xf>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<fonts count="{len(fonts)}">{font_xml}</fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
        '<border><left style="thin"><color rgb="FF000000"/></left><right style="thin"><color rgb="FF000000"/></right>'
        '<top style="thin"><color rgb="FF000000"/></top><bottom style="thin"><color rgb="FF000000"/></bottom><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def _row_attrs(plan: SheetPlan, r: int) -> str:
    height = plan.heights.get(r)
    if height is None:
        return f'r="{r}"'
    return f'r="{r}" ht="{format(height, "g")}" customHeight="1"'


def _sheet_xml(plan: SheetPlan, style_id) -> str:
    rows: dict[int, list[str]] = {}
    for r, c in sorted(plan.cells):
        value, style = plan.cells[(r, c)]
        sid = style_id(style)
        ref = f"{col_name(c)}{r}"
        if value is None or value == "":
            cell = f'<c r="{ref}" s="{sid}"/>'
        elif (num := _number(value)) is not None:
            cell = f'<c r="{ref}" s="{sid}"><v>{num}</v></c>'
        else:
            cell = f'<c r="{ref}" s="{sid}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'
        rows.setdefault(r, []).append(cell)
    last_row = max(rows, default=1)
    last_col = max((c for _, c in plan.cells), default=1)
    cols = "".join(
        f'<col min="{col_index(k)}" max="{col_index(k)}" width="{w}" customWidth="1"/>'
        for k, w in sorted(plan.widths.items(), key=lambda kv: col_index(kv[0]))
    )
    sheet_data = "".join(f"<row {_row_attrs(plan, r)}>{''.join(cells)}</row>" for r, cells in sorted(rows.items()))
    merge_refs = "".join('<mergeCell ref="%s"/>' % m for m in plan.merges)
    merges = f'<mergeCells count="{len(plan.merges)}">{merge_refs}</mergeCells>' if plan.merges else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="A1:{col_name(last_col)}{last_row}"/>'
        '<sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
        f"{'<cols>' + cols + '</cols>' if cols else ''}<sheetData>{sheet_data}</sheetData>{merges}"
        '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
        f'<pageSetup paperSize="9" orientation="{"landscape" if plan.landscape else "portrait"}" fitToWidth="1" fitToHeight="0"/>'
        "</worksheet>"
    )


def to_bytes(*plans: SheetPlan) -> bytes:
    """The workbook: one worksheet per plan, in order (the first one opens), sharing one style table."""
    if not plans:
        raise ValueError("a workbook needs at least one sheet")
    styles: list[Style] = [Style()]
    index = {Style(): 0}
    by_id: dict[int, int] = {}  # styles are shared objects (see _style): look them up without hashing

    def style_id(style: Style) -> int:
        sid = by_id.get(id(style))
        if sid is None:
            sid = index.get(style)
            if sid is None:
                sid = index[style] = len(styles)
                styles.append(style)
            by_id[id(style)] = sid
        return sid

    sheets = [_sheet_xml(plan, style_id) for plan in plans]
    titles = [escape(plan.title) for plan in plans]
    entries = "".join(f'<sheet name="{t}" sheetId="{i}" r:id="rId{i}"/>' for i, t in enumerate(titles, start=1))
    names = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
        f"'{titles[i]}'!${plan.print_title_rows.split(':')[0]}:${plan.print_title_rows.split(':')[1]}</definedName>"
        for i, plan in enumerate(plans)
        if plan.print_title_rows
    )
    defined = f"<definedNames>{names}</definedNames>" if names else ""
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{entries}</sheets>{defined}</workbook>"
    )
    n = len(plans)
    sheet_types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n + 1)
    )
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{sheet_types}"
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            "</Relationships>"
        ),
        "docProps/core.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{titles[0]}</dc:title><dc:creator>perf-disclosure</dc:creator></cp:coreProperties>"
        ),
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{sheet_rels}"
            f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": "",  # filled in below, once every sheet has named its styles
    }
    for i, text in enumerate(sheets, start=1):
        files[f"xl/worksheets/sheet{i}.xml"] = text
    files["xl/styles.xml"] = _styles_xml(styles)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, text.encode("utf-8"))
    return out.getvalue()
