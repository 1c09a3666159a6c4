"""A PDF's pages as Grids, the worksheet abstraction the form recognisers read by label (grid.py).

Each form becomes one Grid: its text lines outside tables (title, `（2021年度）`, notes, signatures) are
rows with one cell per piece of text, its tables' elementary rows are rows, and merged cells (from the
ruling lines, pdf_layout.py) are merged ranges. A table that runs on over a page break continues in the
same Grid when the next page starts with a table of the same columns: header rows printed again at the top
of the page are dropped, a row cut by the page break (no line drawn at the cut) is joined again, and a merged
cell cut by it grows on into the next page. A new form starts on a page whose first table does not continue
the one before and has a title of its own (`…执行监控表` after the 自评表, as LibreOffice prints a workbook's
sheets); pages of text alone after a form (a report printed behind it) are a part of their own. Title rows
and page numbers printed again on every page are left out.

Every cell knows where it was printed (`Place`): a message or a provenance comment says
`第 2 页，表 1 第 5 行第 8 列` — the table's rows and cells as counted on that page, the cells of a row
counted from the left the way a reader counts them — and text outside tables `第 1 页表格外第 2 行`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from generator.core.field_types import NOT_PUBLISHED

from .form_reader import NOTE_START, SIGNATURE
from .grid import Grid, Number, label
from .pdf_layout import PageLayout, Table, TextLine

EDGE_MATCH = 2.5  # column edges of two parts of one table agree within this many points
_PAGE_NUMBER = re.compile(
    r"^(?:[-—－\s]*\d{1,3}[-—－\s]*|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3}"
    r"|[Pp]age\s*\d{1,3}(?:\s*of\s*\d{1,3})?)$"
)
MARGIN = 0.12  # page numbers are looked for in this share of the page at its top and bottom


_FORM_TITLE = re.compile(r"表(?:\(.{0,12}\))?$")
# the group line this tool's own project page prints under a level's name (render/templates/indicators.html.j2):
# figures of the leaves below, not a value of its own, so a print of that page reads back without it
_OWN_GROUP_LINE = re.compile(r"\n?分值\s*[\d.]+\s*·\s*得分\s*[\d.]+(?:\s*·\s*复核\s*[\d.]+)?$")
TEXT_COL = 50  # text printed after the form's first table goes in columns no table uses (_Builder.add_line)


@dataclass(frozen=True)
class Place:
    page: int
    table: int | None  # 1-based on its page; None for text outside tables
    row: int  # the table's row on that page, or the text line's number among the page's lines outside tables
    col: int  # the cell's place in its row counted from the left, or the piece of the text line

    def text(self) -> str:
        if self.table is None:
            return f"第 {self.page} 页表格外第 {self.row} 行" + (f"第 {self.col} 段" if self.col > 1 else "")
        return f"第 {self.page} 页，表 {self.table} 第 {self.row} 行第 {self.col} 列"


@dataclass
class PdfGrid(Grid):
    """A Grid read from PDF pages: `ref` names the page and cell, unreadable cells read "未公布"."""

    places: dict[tuple[int, int], Place] = field(default_factory=dict)
    unreadable: set[tuple[int, int]] = field(default_factory=set)
    pages: list[int] = field(default_factory=list)
    problems: dict[tuple[int, int], str] = field(default_factory=dict)  # origin → why a number could not be read
    has_table: bool = False  # pages of text alone (a report printed behind the form) are no form

    def ref(self, r: int, c: int) -> str:
        o = self.origin(r, c)
        place = self.places.get(o)
        return place.text() if place is not None else f"{self.name}第 {o[0]} 行"

    def place(self, r: int, c: int) -> Place | None:
        return self.places.get(self.origin(r, c))

    def text(self, r: int, c: int) -> str:
        if self.origin(r, c) in self.unreadable:
            return NOT_PUBLISHED
        return super().text(r, c)

    def number(self, r: int, c: int, *, kind: str = "amount", unit: str | None = None) -> Number:
        o = self.origin(r, c)
        if o in self.unreadable:
            n = Number(problem="PDF 中这个单元格的字形没有对应的文字编码，读不出来")
        else:
            n = super().number(r, c, kind=kind, unit=unit)
        if n.problem:
            self.problems[o] = n.problem
        return n


def page_span(pages: list[int]) -> str:
    if not pages:
        return "PDF"
    return f"第 {pages[0]} 页" if pages[0] == pages[-1] else f"第 {pages[0]}–{pages[-1]} 页"


def is_page_number(line: TextLine, page_height: float) -> bool:
    """`- 3 -`, `第 3 页`, `3/20` printed in the top or bottom margin."""
    in_margin = line.y1 <= page_height * MARGIN or line.y0 >= page_height * (1 - MARGIN)
    return in_margin and bool(_PAGE_NUMBER.match(line.text.strip()))


def _content(lay: PageLayout) -> list[Table | TextLine]:
    return [i for i in lay.items if not (isinstance(i, TextLine) and is_page_number(i, lay.page.height))]


# ---------------------------------------------------------------------------- building


@dataclass
class _Piece:
    """A cell about to go into the grid: grid rows and columns, what it holds, where it was printed."""

    r0: int
    c0: int
    r1: int
    c1: int
    text: str
    unreadable: bool
    place: Place
    first: bool  # in the first row printed on its page
    last: bool  # in the last row printed on its page


@dataclass
class _Open:
    """The table a Grid is filling, for a continuation on the next page."""

    header_rows: list[tuple[str, ...]]  # signatures of its first rows (as printed on its first page)
    last_cells: dict[int, tuple[int, int]]  # grid column → origin of the cell in its last printed row
    bottom_open: bool  # no line was drawn under its last row: the page break cut a row
    edges: list[float]  # its column edges as first printed
    cols: list[int]  # the grid column that starts at each edge

    def column_map(self, xs: list[float]) -> list[int] | None:
        """Grid columns for a part printed on the next page: each of its edges must be one of the table's."""
        return _map(self.edges, self.cols, xs)


class _Builder:
    def __init__(self) -> None:
        self.grid = PdfGrid(name="", max_row=0, max_col=0)
        self.row = 0
        self.columns: list[float] | None = None  # column edges of the form's first table: the grid's columns
        self.open: _Open | None = None
        self.has_table = False
        self.heads: set[str] = set()  # the text lines above the form's first table (its title)

    def add_line(self, page: int, line: TextLine) -> None:
        """A text line as a row, one cell per piece. Above the form's first table (title, `单位名称：…`,
        `项目名称  …` pairs) from the first column; after it in columns no table uses, so that a reader going
        down a table (the goals under 预期目标, indicators up to a 合计 row a table may not have) does not take
        a heading or a paragraph printed between or after tables for a row of the table. Whatever no reader
        uses is reported as before (notes and signatures are recognised in any column)."""
        self.row += 1
        first = TEXT_COL if self.has_table else 1
        for k, (_x0, _x1, text) in enumerate(line.pieces, start=first):
            pos = (self.row, k)
            self.grid.values[pos] = text
            self.grid.places[pos] = Place(page, None, line.index, k - first + 1)
            if "\ufffd" in text:
                self.grid.unreadable.add(pos)
            self.grid.max_col = max(self.grid.max_col, k)
        self.grid.max_row = self.row
        self.open = None

    def add_table(self, page: int, table: Table, *, continues: bool, lines: list[TextLine]) -> list[TextLine]:
        """Put the table's rows into the grid; returns the text lines it took (see _missing). A table that
        does not run on from the page before takes the columns of the form's first table when its edges are
        among them (as a workbook's tables share the sheet's columns), else columns of its own."""
        op = self.open if continues else None
        col_of = op.column_map(table.xs) if op is not None else None
        if col_of is None:
            op = None
            if self.columns is None:
                self.columns = list(table.xs)
            col_of = _map(self.columns, list(range(1, len(self.columns) + 1)), table.xs)
            col_of = col_of or list(range(1, len(table.xs) + 1))
        skip = _repeated_header(table, op.header_rows) if op is not None else 0
        # a row cut by the page break: no line under it on the page before, and none over its rest here (or
        # the header printed again sits over it)
        cut = op is not None and op.bottom_open and (skip > 0 or not table.top_drawn)
        base = self.row - skip - (1 if cut else 0)  # grid row of the table's row r is base + 1 + r
        columns = _visual_columns(table)
        pieces = []
        for cell in table.cells:
            if cell.r0 < skip:
                continue
            c0 = col_of[cell.c0]
            pieces.append(
                _Piece(
                    base + 1 + cell.r0,
                    c0,
                    base + 1 + cell.r1,
                    max(col_of[cell.c1 + 1] - 1, c0),
                    cell.text,
                    cell.unreadable,
                    Place(page, table.index, cell.r0 + 1, columns[(cell.r0, cell.c0)]),
                    cell.r0 == skip,
                    cell.r1 == table.rows - 1,
                )
            )
        taken: list[TextLine] = []
        if op is not None:
            taken = self._missing(op, page, table, lines, base + 1 + skip, base + table.rows, pieces)
        last_cells: dict[int, tuple[int, int]] = {}
        for p in sorted(pieces, key=lambda p: (p.r0, p.c0)):
            if op is not None and p.first and self._carry_on(op, p, cut):
                origin = op.last_cells[p.c0]
            else:
                self._put(p)
                origin = (p.r0, p.c0)
            if p.last:
                last_cells[p.c0] = origin
        self.row = max(self.row, base + table.rows)
        self.grid.max_row = self.row
        self.grid.max_col = max(self.grid.max_col, max(p.c1 for p in pieces) if pieces else 0)
        self.open = _Open(
            header_rows=op.header_rows
            if op is not None
            else [_signature(table, r) for r in range(min(table.rows, 12))],
            last_cells=last_cells,
            bottom_open=not table.bottom_drawn,
            edges=op.edges if op is not None else list(table.xs),
            cols=op.cols if op is not None else col_of,
        )
        self.has_table = True
        return taken

    def _missing(
        self, op: _Open, page: int, table: Table, lines: list[TextLine], r0: int, r1: int, pieces: list[_Piece]
    ) -> list[TextLine]:
        """Columns of the table printed before that this page's part lacks (LibreOffice draws no border
        round the part of a merged cell that runs on over a page break, and prints its text there, outside
        the ruled area): one cell over the part's rows, holding the text printed in that strip."""
        taken: list[TextLine] = []
        for x0, x1 in ((op.edges[0], table.xs[0]), (table.xs[-1], op.edges[-1])):
            if x1 - x0 <= EDGE_MATCH:
                continue
            c0, c1 = op.cols[_nearest(op.edges, x0)], op.cols[_nearest(op.edges, x1)] - 1
            if c1 < c0:
                continue
            inside = [
                line
                for line in lines
                if line.x0 >= x0 - EDGE_MATCH
                and line.x1 <= x1 + EDGE_MATCH
                and line.y0 >= table.y0 - EDGE_MATCH
                and line.y1 <= table.y1 + EDGE_MATCH
            ]
            taken += inside
            place = Place(page, None, inside[0].index, 1) if inside else Place(page, table.index, 1, 1)
            text = "\n".join(line.text for line in inside)
            pieces.append(_Piece(r0, c0, r1, c1, text, any(line.unreadable for line in inside), place, True, True))
        return taken

    def _put(self, p: _Piece) -> None:
        g = self.grid
        if g.origin(p.r0, p.c0) != (p.r0, p.c0) or (p.r0, p.c0) in g.places:
            return  # a cell already there (a misaligned continuation): the first one stays
        if p.r1 > p.r0 or p.c1 > p.c0:
            g.spans[(p.r0, p.c0)] = (p.r0, p.c0, p.r1, p.c1)
            for r in range(p.r0, p.r1 + 1):
                for c in range(p.c0, p.c1 + 1):
                    g.origin_of[(r, c)] = (p.r0, p.c0)
        g.places[(p.r0, p.c0)] = p.place
        text = _without_own_group_line(p.text)
        if text:
            g.values[(p.r0, p.c0)] = text
            if p.unreadable:
                g.unreadable.add((p.r0, p.c0))

    def _carry_on(self, op: _Open, p: _Piece, cut: bool) -> bool:
        """The first cell printed under a page break continues the cell above the break when the break cut
        the row (no line drawn there), or when the cell above is a merged cell that runs on (one of the two
        is merged over rows and one of them is empty: the printed text of a merged cell appears once).
        Its text then follows the text above, and the merged range grows down to it."""
        g = self.grid
        target = op.last_cells.get(p.c0)
        if target is None:
            return False
        t_r0, t_c0, t_r1, t_c1 = g.spans.get(target, (*target, *target))
        if t_c1 != p.c1:
            return False
        merged = t_r1 > t_r0 or p.r1 > p.r0
        above = g.values.get(target)
        if not cut and not (merged and (not above or not p.text)):
            return False
        if p.text:
            g.values[target] = f"{above}\n{p.text}" if above else p.text
            if not above:
                g.places[target] = p.place  # where the text was printed
            if p.unreadable:
                g.unreadable.add(target)
        if p.r1 > t_r1:
            g.spans[target] = (t_r0, t_c0, p.r1, t_c1)
            for r in range(t_r0, p.r1 + 1):
                for c in range(t_c0, t_c1 + 1):
                    g.origin_of[(r, c)] = target
        return True


def _without_own_group_line(text: str) -> str:
    m = _OWN_GROUP_LINE.search(text)
    return text[: m.start()].rstrip() if m and m.start() > 0 else text


def _map(edges: list[float], cols: list[int], xs: list[float]) -> list[int] | None:
    """The grid column starting at each of xs, when each is one of `edges` (which start `cols`)."""
    out = []
    for x in xs:
        i = _nearest(edges, x)
        if abs(edges[i] - x) > EDGE_MATCH:
            return None
        out.append(cols[i])
    return out if len(set(out)) == len(out) else None


def _nearest(edges: list[float], x: float) -> int:
    i = bisect.bisect_left(edges, x)
    return min((j for j in (i - 1, i) if 0 <= j < len(edges)), key=lambda j: abs(edges[j] - x))


def _visual_columns(table: Table) -> dict[tuple[int, int], int]:
    """(row, column) of each cell's top-left box → its place in that row counted from the left, counting
    the cells that reach into the row from above too."""
    out: dict[tuple[int, int], int] = {}
    for r in range(table.rows):
        in_row = sorted((c for c in table.cells if c.r0 <= r <= c.r1), key=lambda c: c.c0)
        for k, c in enumerate(in_row, start=1):
            if c.r0 == r:
                out[(c.r0, c.c0)] = k
    return out


def _signature(table: Table, r: int) -> tuple[str, ...]:
    return tuple(label(c.text) for c in sorted(table.cells, key=lambda c: c.c0) if c.r0 == r and c.text)


def _repeated_header(table: Table, header_rows: list[tuple[str, ...]]) -> int:
    """How many of the table's first rows repeat rows printed before (a repeated header)."""
    best = 0
    for k in range(1, min(table.rows, 6) + 1):
        run = [_signature(table, r) for r in range(k)]
        if any(len(s) < 2 for s in run):
            break
        if any(header_rows[i : i + k] == run for i in range(0, len(header_rows) - k + 1)):
            best = k
    return best


def build_grids(layouts: list[PageLayout]) -> list[PdfGrid]:
    """The pages' forms as Grids, in page order (see the module's docstring)."""
    builders: list[_Builder] = []
    current: _Builder | None = None
    for lay in layouts:
        items = _content(lay)
        if not items:
            continue
        lead = 0  # title rows printed again at the top of every page (LibreOffice's print titles)
        if current is not None:
            lead = len(_leading_lines(items, current.heads))
        after = items[lead] if lead < len(items) else None
        continues = (
            current is not None
            and current.open is not None
            and isinstance(after, Table)
            and current.open.column_map(after.xs) is not None
        )
        if current is None or (
            not continues and current.has_table and (_starts_form(items, current.heads) or _text_page(items[lead:]))
        ):
            current = _Builder()
            builders.append(current)
            current.heads = {label(i.text) for i in _leading_lines(items)}
        else:
            items = items[lead:]
        current.grid.pages.append(lay.page.number)
        taken: set[int] = set()
        pending: list[TextLine] = []

        def flush(lines: list[TextLine], builder: _Builder = current, page: int = lay.page.number) -> None:
            for block in text_blocks(lines):
                builder.add_line(page, block)

        for n, item in enumerate(items):
            if isinstance(item, Table):
                flush(pending)
                pending = []
                later = [i for i in items[n + 1 :] if isinstance(i, TextLine) and id(i) not in taken]
                got = current.add_table(lay.page.number, item, continues=continues and n == 0, lines=later)
                taken |= {id(line) for line in got}
            elif id(item) not in taken:
                pending.append(item)
        flush(pending)
        # the table stays open for the next page only when nothing follows it on this page
        rest = [i for i in items if id(i) not in taken]
        if rest and not isinstance(rest[-1], Table):
            current.open = None
    grids = []
    for b in builders:
        b.grid.name = page_span(b.grid.pages)
        b.grid.has_table = b.has_table
        grids.append(b.grid)
    return grids


def _text_page(items: list[Table | TextLine]) -> bool:
    """A page of text without a table after a form (the report printed behind it) is not part of the form;
    notes printed under the form that run onto a page of their own (`填表说明：…`) are."""
    if not items or any(isinstance(i, Table) for i in items):
        return False
    first = label(items[0].text)  # type: ignore[union-attr]  # no tables: text lines only
    return not (NOTE_START.match(first) or SIGNATURE.match(first))


def _starts_form(items: list[Table | TextLine], heads: set[str]) -> bool:
    """A page starts another form when a title of its own (`…表`, `…表（2021年度）`) stands above its first
    table, as each worksheet of a workbook is printed from a new page under its title."""
    if not any(isinstance(i, Table) for i in items):
        return False
    return any(_FORM_TITLE.search(label(line.text)) and label(line.text) not in heads for line in _leading_lines(items))


def _leading_lines(items: list[Table | TextLine], only: set[str] | None = None) -> list[TextLine]:
    """The text lines above a page's first table (with `only`: those whose label is in it, up to the first
    that is not)."""
    out = []
    for i in items:
        if not isinstance(i, TextLine) or (only is not None and label(i.text) not in only):
            break
        out.append(i)
    return out


def text_blocks(lines: list[TextLine]) -> list[TextLine]:
    """Lines of one paragraph (a note under the form, wrapped over several lines) as one block, the way the
    workbook held it in one cell: lines that follow closely, in the same size and from the same left edge.
    A line the page's width wrapped joins without a break; a line that ended short keeps its line break.
    Lines with several pieces (`填表人：…    联系电话：…`) stay lines."""
    if not lines:
        return []
    right = max(line.x1 for line in lines)
    out: list[TextLine] = []
    for line in lines:
        b = out[-1] if out else None
        h = max(line.height, 1.0)
        if (
            b is not None
            and len(b.pieces) == 1
            and len(line.pieces) == 1
            and abs(b.height - line.height) <= 0.15 * h
            and -0.2 * h <= line.y0 - b.y1 <= 0.8 * h
            and abs(line.x0 - b.x0) <= 2.5 * h
        ):
            wrapped = b.x1 >= right - 2 * h
            text = b.pieces[0][2] + ("" if wrapped else "\n") + line.pieces[0][2]
            out[-1] = TextLine(
                y0=b.y0,
                y1=line.y1,
                x0=b.x0,
                x1=line.x1,
                pieces=[(b.x0, max(b.x1, line.x1), text)],
                height=b.height,
                unreadable=b.unreadable or line.unreadable,
                index=b.index,
            )
        else:
            out.append(line)
    return out
