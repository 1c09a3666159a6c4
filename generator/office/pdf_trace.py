"""Where each imported value was printed: the cell (page, table, row, column) or text line it was read from.

The recognisers (national.py, wuhan.py, …) build the record from a Grid without saying which cell gave
which value, and they stay so: the trace is found afterwards, by matching. Each value of the record is
looked for among the grid's cells — text by its normalised label (the cell's text itself, or the cell's text
without an `指标1：` prefix, or a cell containing it), numbers by their exact value, years in the text —
and a row of a table (an indicator, a fund source) first in the row where its name was printed. Cells
are taken in reading order and each is given once while another cell with the value is free, so that
`分值 5.00 | 得分 5.00` give the weight the first cell and the score the second.

A value the form does not print as such (the scheme chosen by the layout, `scored = false`, a figure the
recogniser derived and named in its notes) gets `None`: the writer then says it was inferred.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .form_reader import classify_fund_header, classify_indicator_header
from .grid import join_lines, label, parse_number_text
from .pdf_grid import PdfGrid

KeyPath = tuple  # ("indicator", 3, "score") — keys and list positions from the record's root
_PREFIX = re.compile(r"^(?:指标|目标)\s*\d+\s*[:：、.．]\s*")
_NAME_KEYS = ("name",)
INFERRED = "表中没有直接印出，导入时按表样推断或由其他数字算出（见导入输出的“说明”）"
# a key → the column headers (form_reader's classes) its value is printed under; a cell under such a
# header is preferred (the 预算执行率 leaf's 完成值 is the 年度资金总额 row's 执行率)
_HEADERS = {
    "weight": {"weight"},
    "score": {"score"},
    "target": {"target"},
    "actual": {"actual", "rate"},
    "reason": {"reason"},
    "initial": {"initial"},
    "adjustment": {"adjustment"},
    "budget": {"budget"},
    "executed": {"executed"},
    "rate": {"rate"},
}


@dataclass
class _Cell:
    origin: tuple[int, int]
    rows: range
    text: str
    norm: str
    bare: str  # without an `指标1：` prefix
    number: Decimal | None
    unit: str | None  # written in the cell (`0 万元`, `83.62%`)


def _catalogue(grid: PdfGrid) -> list[_Cell]:
    cells = []
    for o in sorted(grid.values):
        text = grid.text(*o)
        if not text:
            continue
        r0, _c0, r1, _c1 = grid.span(*o)
        norm = label(join_lines(text))
        bare = label(_PREFIX.sub("", join_lines(text)))
        number, unit = None, None
        for kind in ("amount", "rate", "points"):
            n = parse_number_text(text, kind=kind)
            if n.value is not None:
                number, unit = n.value, n.unit
                break
        cells.append(_Cell(o, range(r0, r1 + 1), text, norm, bare, number, unit))
    return cells


class Tracer:
    def __init__(self, grid: PdfGrid) -> None:
        self.grid = grid
        self.cells = _catalogue(grid)
        self.claimed: set[tuple[int, int]] = set()
        self._headers: dict[tuple[int, int], str | None] = {}

    def header(self, cell: _Cell) -> str | None:
        """The class of the nearest column header above the cell (分值 → weight, 执行率 → rate …)."""
        if cell.origin not in self._headers:
            g = self.grid
            r, c = cell.origin
            found = None
            for rr in range(r - 1, 0, -1):
                o = g.origin(rr, c)
                if o == cell.origin or not g.text(*o):
                    continue
                lab = g.label(*o)
                found = classify_fund_header(lab) or classify_indicator_header(lab)
                if found:
                    break
            self._headers[cell.origin] = found
        return self._headers[cell.origin]

    # ------------------------------------------------------------------ matching
    def _score(self, value: object, cell: _Cell) -> int:
        if isinstance(value, bool):  # 存在偏差 是 / 否
            return 2 if cell.norm == ("是" if value else "否") else 0
        if isinstance(value, int):  # a year, in `（2021年度）`
            return 2 if re.search(rf"(?<!\d){value}(?!\d)", cell.text) else 0
        if isinstance(value, Decimal):
            return 3 if cell.number is not None and cell.number == value else 0
        if not isinstance(value, str):
            return 0
        want = label(join_lines(value))
        if not want:
            return 0
        if want == cell.norm:
            return 4
        if want == cell.bare:
            return 3
        n = parse_number_text(value, kind="rate")
        if n.value is not None and cell.number is not None and n.value == cell.number and cell.unit in (None, "%"):
            return 2  # `0%` read from a cell `0.00` (not from `0 万元`)
        if _wordy(want) and want in cell.norm:
            return 2  # a goal split from a cell holding several, a name in `单位名称：…`
        if len(cell.norm) >= 6 and len(cell.norm) * 3 >= len(want) and cell.norm in want:
            return 1  # a value put together from several cells (a reason from two columns)
        return 0

    def find(self, value: object, rows: range | None = None, key: object = None) -> _Cell | None:
        """The best cell for `value` (of the record's `key`): in `rows` first, under the key's column header,
        then the best match, unclaimed first, then in reading order."""
        best: tuple | None = None
        found: _Cell | None = None
        wanted = _HEADERS.get(key) if isinstance(key, str) else None
        for cell in self.cells:
            s = self._score(value, cell)
            if not s:
                continue
            in_rows = rows is not None and any(r in rows for r in cell.rows)
            key_ = (
                -int(in_rows),
                -int(bool(wanted) and self.header(cell) in wanted),  # type: ignore[operator]
                -s,
                int(cell.origin in self.claimed),
                cell.origin,
            )
            if best is None or key_ < best:
                best, found = key_, cell
        return found

    def where(self, cell: _Cell) -> str:
        self.claimed.add(cell.origin)
        return self.grid.ref(*cell.origin)

    # ------------------------------------------------------------------ the record
    def trace(self, data: Mapping, prefix: KeyPath, out: dict[KeyPath, str | None]) -> None:
        self._table(data, prefix, None, out)

    def _table(self, data: Mapping, path: KeyPath, rows: range | None, out: dict, row_item: bool = False) -> None:
        """`row_item`: a row of a table (an indicator): without its name printed, the row of the first value
        found stands for it."""
        for key, value in data.items():
            sub = path + (key,)
            if isinstance(value, Mapping):
                self._table(value, sub, rows, out)
            elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
                self._rows(value, sub, out)
            elif isinstance(value, list):
                self._list(value, sub, rows, out)
            else:
                cell = self.find(value, rows, key)
                out[sub] = self.where(cell) if cell is not None else None
                if row_item and rows is None and cell is not None and not isinstance(value, str):
                    rows = cell.rows

    def _rows(self, items: list, path: KeyPath, out: dict) -> None:
        after = 0
        for i, item in enumerate(items):
            anchor = None
            name = next((item[k] for k in _NAME_KEYS if isinstance(item.get(k), str)), None)
            if name is not None:
                anchor = self._anchor(name, after)
            rows = anchor.rows if anchor is not None else None
            if anchor is not None:
                after = anchor.rows.start
            self._table(item, path + (i,), rows, out, row_item=True)

    def _anchor(self, name: str, after: int) -> _Cell | None:
        """The cell that printed a row's name: the first one from row `after` on, or any."""
        want = label(join_lines(name))
        hits = [c for c in self.cells if c.norm == want or c.bare == want]
        if not hits:
            hits = [c for c in self.cells if len(want) >= 2 and want in c.norm]
        later = [c for c in hits if c.rows.start >= after and c.origin not in self.claimed]
        found = later or hits
        return found[0] if found else None

    def _list(self, items: list, path: KeyPath, rows: range | None, out: dict) -> None:
        places = []
        for item in items:
            cell = self.find(item, rows)
            if cell is not None:
                places.append(self.where(cell))
        unique = list(dict.fromkeys(places))
        out[path] = _shorten(unique) if unique else None


def _wordy(text: str) -> bool:
    """Long enough to be found inside other text by chance only rarely (not `0%` inside `100%`)."""
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") >= 2 or len(text) >= 8


def _shorten(places: Iterable[str]) -> str:
    """`第 1 页，表 1 第 11 行第 2 列、第 11 行第 3 列`: places on one page's table named once."""
    items = list(places)
    shown = items if len(items) <= 3 else items[:2]
    parts: list[str] = []
    prefix = None
    for place in shown:
        head, sep, rest = place.rpartition(" 第 ")
        if sep and head == prefix and "，表" in head:
            parts[-1] += "、第 " + rest
        else:
            parts.append(place)
            prefix = head if sep else None
    return "；".join(parts) + ("" if len(items) <= 3 else f" 等 {len(items)} 处")


def trace(data: Mapping, grid: PdfGrid, monitoring_grid: PdfGrid | None = None) -> dict[KeyPath, str | None]:
    """key path → where the value was printed (None: inferred or derived) for every value of `data`."""
    out: dict[KeyPath, str | None] = {}
    main = {k: v for k, v in data.items() if k != "monitoring"}
    Tracer(grid).trace(main, (), out)
    if "monitoring" in data:
        Tracer(monitoring_grid or grid).trace({"monitoring": data["monitoring"]}, (), out)
    return out
