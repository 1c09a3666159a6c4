"""A worksheet as a grid of cells with merged ranges resolved, read by label rather than by address.

Every cell of a merged range answers with the value of the range's top-left cell (its *origin*); a
reader asks for text, a label (normalised for matching) or an exact number, and marks the cells it
has used. Whatever non-empty cell no reader used is reported afterwards as `工作表!B12: 无法识别……`.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from generator.core.decimals import fmt

from .xlsx_writer import col_name

MAX_ROWS = 5000
MAX_COLS = 60

_LABEL_TRANS = str.maketrans(
    {
        "（": "(",
        "）": ")",
        "：": ":",
        "，": ",",
        "；": ";",
        "【": "[",
        "】": "]",
        "\u3000": "",
        "\u00a0": "",
        "\u200b": "",
        "\ufeff": "",
    }
)
_WS = re.compile(r"\s+")
_UNIT_IN_LABEL = re.compile(r"\((?:单位:)?(万元|元|千元|亿元)\)|单位:(万元|元|千元|亿元)")
_DIGITS = str.maketrans("０１２３４５６７８９．％－＋，", "0123456789.%-+,")
PLACEHOLDERS = {
    "",
    "—",
    "——",
    "-",
    "--",
    "－",
    "/",
    "／",
    "\\",
    "无",
    "空",
    "－－",
    "…",
    "_",
    "×",
    "x",
    "X",
    "n/a",
    "N/A",
}
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


def label(text: str) -> str:
    """Normalised text for matching labels: no whitespace, half-width brackets and colons."""
    return _WS.sub("", (text or "").translate(_LABEL_TRANS))


def strip_unit(lab: str) -> tuple[str, str | None]:
    """`项目资金(万元)` → (`项目资金`, `万元`)."""
    m = _UNIT_IN_LABEL.search(lab)
    if not m:
        return lab, None
    return (lab[: m.start()] + lab[m.end() :]), (m.group(1) or m.group(2))


def join_lines(text: str) -> str:
    """A cell wrapped by hand (`经济效益\\n指标`) read as one line: pieces joined without a separator,
    except between two Latin letters or digits, which keep one space."""
    parts = [p.strip() for p in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    parts = [p for p in parts if p]
    out = ""
    for p in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and p[0].isascii() and p[0].isalnum():
            out += " "
        out += p
    return out


def _percent_format(number_format: str) -> bool:
    """True when the number format shows the value ×100 with a % sign (`0.00%`, not `0.00"%"`)."""
    unquoted = re.sub(r'"[^"]*"|\\.', "", number_format or "")
    return "%" in unquoted


def decimal_of(value: float | int) -> Decimal:
    """An exact decimal for a number read from a cell: 167.23 stays 167.23 (15 significant digits, as
    Excel shows them), never 167.22999999999999."""
    if isinstance(value, int):
        return Decimal(value)
    if value.is_integer() and abs(value) < 1e15:
        return Decimal(int(value))
    return Decimal(format(value, ".15g"))


def plain(d: Decimal) -> Decimal:
    """Trailing zeros of a computed decimal dropped (83.6200 → 83.62), never in exponent form."""
    return Decimal(format(d.normalize(), "f"))


@dataclass
class Number:
    """An exact number read from a cell, or why it could not be read."""

    value: Decimal | None = None
    problem: str | None = None
    unit: str | None = None  # unit written in the cell itself (“200万元”)

    @property
    def empty(self) -> bool:
        return self.value is None and self.problem is None


@dataclass
class Grid:
    name: str
    max_row: int
    max_col: int
    values: dict[tuple[int, int], object] = field(default_factory=dict)  # origin → raw value
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # origin → formula without cached value
    origin_of: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    spans: dict[tuple[int, int], tuple[int, int, int, int]] = field(default_factory=dict)
    used: set[tuple[int, int]] = field(default_factory=set)
    truncated: bool = False

    @classmethod
    def from_worksheet(cls, ws, ws_formulas=None) -> Grid:
        raw_cells = _filled_cells(ws)
        real_rows = max((r for (r, _c) in raw_cells), default=0)
        real_cols = max((c for (_r, c) in raw_cells), default=0)
        if ws_formulas is not None:
            formula_cells = {
                pos: v
                for pos, v in _filled_cells(ws_formulas).items()
                if isinstance(v, str) and v.startswith("=") and raw_cells.get(pos) is None
            }
        else:
            formula_cells = {}
        real_rows = max([real_rows] + [r for (r, _c) in formula_cells])
        real_cols = max([real_cols] + [c for (_r, c) in formula_cells])
        truncated = real_rows > MAX_ROWS or real_cols > MAX_COLS
        merges = list(ws.merged_cells.ranges)
        real_rows = max([real_rows] + [m.max_row for m in merges if m.min_row <= real_rows])
        real_cols = max([real_cols] + [m.max_col for m in merges if m.min_col <= real_cols])
        max_row, max_col = min(real_rows, MAX_ROWS), min(real_cols, MAX_COLS)
        g = cls(name=ws.title, max_row=max_row, max_col=max_col, truncated=truncated)
        for rng in merges:
            r0, c0, r1, c1 = rng.min_row, rng.min_col, rng.max_row, rng.max_col
            if r0 > max_row or c0 > max_col:
                continue
            g.spans[(r0, c0)] = (r0, c0, r1, c1)
            for r in range(r0, min(r1, max_row) + 1):
                for c in range(c0, min(c1, max_col) + 1):
                    g.origin_of[(r, c)] = (r0, c0)
        for pos, formula in formula_cells.items():
            if pos[0] <= max_row and pos[1] <= max_col and g.origin_of.get(pos, pos) == pos:
                g.formulas[pos] = formula
        for pos, value in raw_cells.items():
            if pos[0] > max_row or pos[1] > max_col or g.origin_of.get(pos, pos) != pos:
                continue  # cells hidden under a merged range do not show on the form
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            g.values[pos] = value
            g.formats[pos] = ws.cell(row=pos[0], column=pos[1]).number_format or "General"
        return g

    # ------------------------------------------------------------------ addressing
    def origin(self, r: int, c: int) -> tuple[int, int]:
        return self.origin_of.get((r, c), (r, c))

    def span(self, r: int, c: int) -> tuple[int, int, int, int]:
        o = self.origin(r, c)
        return self.spans.get(o, (o[0], o[1], o[0], o[1]))

    def is_new(self, r: int, c: int) -> bool:
        """The cell is the top-left of its merged range (or not merged)."""
        return self.origin(r, c) == (r, c)

    def starts_in_row(self, r: int, c: int) -> bool:
        return self.origin(r, c)[0] == r

    def one_row(self, r: int, c: int) -> bool:
        r0, _, r1, _ = self.span(r, c)
        return r0 == r1

    def ref(self, r: int, c: int) -> str:
        o = self.origin(r, c)
        return f"{self.name}!{col_name(o[1])}{o[0]}"

    # ------------------------------------------------------------------ values
    def raw(self, r: int, c: int) -> object:
        return self.values.get(self.origin(r, c))

    def text(self, r: int, c: int) -> str:
        """The cell as text, as it reads on the form (numbers as displayed: 0.8362 with `0.00%` → 83.62%)."""
        o = self.origin(r, c)
        value = self.values.get(o)
        if value is None:
            return ""
        if isinstance(value, str):
            return value.replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n").strip().strip("\u3000\u00a0")
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, (int, float)):
            d = decimal_of(value)
            if _percent_format(self.formats.get(o, "")):
                return fmt(d * 100) + "%"
            return fmt(d)
        if isinstance(value, _dt.datetime):
            return value.date().isoformat() if value.time() == _dt.time(0) else value.isoformat(sep=" ")
        if isinstance(value, (_dt.date, _dt.time)):
            return value.isoformat()
        return str(value).strip()

    def label(self, r: int, c: int) -> str:
        return label(self.text(r, c))

    def number(self, r: int, c: int, *, kind: str = "amount", unit: str | None = None) -> Number:
        """An exact number from a cell: a number cell, or a number stored as text (`22.50`, `200万元`,
        `83.62%`, `5分`, `1,234.5`). Placeholders (—, /, 无, empty) give an empty Number. kind is
        `amount` (may carry 万元/元), `rate` (percent; a `0.00%` cell 0.8362 reads 83.62) or `points`."""
        o = self.origin(r, c)
        value = self.values.get(o)
        if value is None:
            if o in self.formulas:
                return Number(
                    problem=f"公式 {self.formulas[o]} 没有保存计算结果（请在 Excel/WPS 中打开并保存后再导入）"
                )
            return Number()
        if isinstance(value, bool):
            return Number(problem=f"“{self.text(r, c)}”不是数字")
        if isinstance(value, (int, float)):
            d = decimal_of(value)
            if kind == "rate" and _percent_format(self.formats.get(o, "")):
                d = plain(d * 100)
            return Number(value=d)
        if not isinstance(value, str):
            return Number(problem=f"“{self.text(r, c)}”不是数字")
        return parse_number_text(value, kind=kind, unit=unit)

    def use(self, r: int, c: int) -> None:
        self.used.add(self.origin(r, c))

    def use_row(self, r: int, c_from: int = 1, c_to: int | None = None) -> None:
        for c in range(c_from, (c_to or self.max_col) + 1):
            if self.starts_in_row(r, c):
                self.use(r, c)

    def filled(self, r: int, c: int) -> bool:
        return self.text(r, c) != ""

    def row_cells(self, r: int, *, new_only: bool = True) -> list[int]:
        """Columns of the non-empty cells that start in row r (top row of their merged range)."""
        cols = []
        seen = set()
        for c in range(1, self.max_col + 1):
            o = self.origin(r, c)
            if o in seen:
                continue
            seen.add(o)
            if new_only and o[0] != r:
                continue
            if self.text(r, c):
                cols.append(c)
        return cols

    def find(self, predicate, *, rows: range | None = None) -> list[tuple[int, int]]:
        """Origins (row-major order) whose label satisfies predicate(label)."""
        out = []
        for r, c in sorted(self.values):
            if rows is not None and r not in rows:
                continue
            if predicate(self.label(r, c)):
                out.append((r, c))
        return out

    def labels(self) -> set[str]:
        return {self.label(r, c) for (r, c) in self.values}

    def leftovers(self) -> list[tuple[int, int]]:
        return [
            o
            for o in sorted(self.values)
            if o not in self.used and self.text(*o) and label(self.text(*o)) not in PLACEHOLDERS
        ]


def _filled_cells(ws) -> dict[tuple[int, int], object]:
    """(row, column) → value of every cell that holds a value. Styled but empty rows (a format applied
    to a million rows) cost nothing."""
    cells = getattr(ws, "_cells", None)
    if isinstance(cells, dict):
        return {pos: cell.value for pos, cell in cells.items() if cell.value is not None}
    return {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}


def parse_number_text(text: str, *, kind: str = "amount", unit: str | None = None) -> Number:
    s = text.translate(_DIGITS).replace("\u3000", "").replace("\u00a0", "")
    s = _WS.sub("", s)
    if s in PLACEHOLDERS:
        return Number()
    found_unit = None
    for suffix in ("万元", "千元", "亿元", "元", "%", "分"):
        if s.endswith(suffix):
            found_unit = suffix
            s = s[: -len(suffix)]
            break
    if found_unit is not None:
        allowed = {"amount": ("万元", "千元", "亿元", "元"), "rate": ("%",), "points": ("分",)}[kind]
        if found_unit not in allowed:
            return Number(problem=f"“{text.strip()}”的单位“{found_unit}”不是这一栏应有的单位")
        if kind == "amount" and unit and found_unit != unit:
            return Number(problem=f"“{text.strip()}”以{found_unit}为单位，与表头的{unit}不一致，不能换算后照录")
    if _THOUSANDS.match(s):
        s = s.replace(",", "")
    if not _NUMBER.match(s):
        return Number(problem=f"“{text.strip()}”不是可以识别的数字")
    try:
        value = Decimal(s)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only valid decimals
        return Number(problem=f"“{text.strip()}”不是可以识别的数字")
    return Number(value=value, unit=found_unit)
