"""How tall each row of an exported form must be for its wrapped text to show whole.

Spreadsheet programs do not grow a row to fit wrapped text when they open a file: LibreOffice keeps the
default height (long texts then run over the rows below), and no program sizes a merged cell. So the
writer sets every row's height itself, from an estimate that errs on the generous side, so that the text
fits both in Excel / WPS (宋体) and in LibreOffice on Linux (Noto CJK, whose lines are taller):

- a column width unit is 5.25 pt (Excel measures widths in the 10 pt 宋体 digit, 7 px); LibreOffice draws
  the same columns about a fifth wider, which leaves room to spare there;
- a character outside ASCII (汉字, full-width punctuation, and the ones such as “ ” that 宋体 draws full
  width) is 1 em wide, an ASCII character 0.6 em (about half);
- lines break between full-width characters and at spaces; a Latin word or a number stays whole unless it
  is longer than a line; closing punctuation stays with the character before it, opening with the one
  after (as spreadsheet programs break Chinese text); explicit line breaks count;
- a line is 1.45 em high (Noto Sans / Serif CJK; 宋体 needs less), plus 3 pt of cell padding.

A merged cell's width is the sum of its columns; a cell merged over several rows gets the rows' combined
height, the shortfall spread evenly over them. No row is taller than Excel allows (409 pt); a cell whose
text would need more is reported, so the export can say so.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

POINTS_PER_WIDTH_UNIT = 5.25
DEFAULT_COLUMN_WIDTH = 8.43  # Excel's default, in width units
CELL_PADDING_X = 4.0  # points left and right together
CELL_PADDING_Y = 3.0
LINE_HEIGHT_EM = 1.45
WIDE = 10  # tenths of an em: whole numbers keep the sums exact
NARROW = 6
DEFAULT_ROW_HEIGHT = 15.0
MAX_ROW_HEIGHT = 409.0  # Excel's limit

_CLOSING = "，。、；：？！）》」』】〕〉”’…—·%‰,.;:?!)]}>％"
_OPENING = "（《「『【〔〈“‘([{<"
# A token is one full-width character or a run of other non-space characters, with the punctuation that
# may not start or end a line kept on it; spaces are break opportunities of their own.
_WIDE_RANGES = "\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
_OPEN = re.escape(_OPENING)
_TOKEN = re.compile(
    rf"[{_OPEN}]*(?:[{_WIDE_RANGES}]|[^\s{_WIDE_RANGES}{_OPEN}]+)[{re.escape(_CLOSING)}]*|[{_OPEN}]+|\s+"
)


def text_width(text: str) -> int:
    """The width of a text in tenths of an em, by the rule above."""
    ascii_chars = len(text.encode("ascii", "ignore"))
    return WIDE * (len(text) - ascii_chars) + NARROW * ascii_chars


def line_count(text: str, width_em: float) -> int:
    """The number of lines `text` takes when wrapped into `width_em` em (at least one)."""
    width = max(int(width_em * 10), WIDE)
    if len(text) * WIDE <= width and "\n" not in text and "\r" not in text:
        return 1  # the common case: a label or a number that fits whatever its characters
    total = 0
    for hard_line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        total += _wrapped(hard_line, width)
    return max(total, 1)


def _wrapped(line: str, width: int) -> int:
    if text_width(line) <= width:
        return 1
    lines, used = 1, 0
    for token in _TOKEN.findall(line):
        w = text_width(token)
        if token.isspace():
            used += w  # a space at the end of a line is dropped, so it never opens a new line
            continue
        if used > 0 and used + w > width:
            lines += 1
            used = 0
        while w > width:  # a word longer than a line is broken inside it
            lines += 1
            w -= width
        used += w
    return lines


# One cell's text and where it sits: rows r0..r1 and columns c0..c1 (its merged range), text, font size in pt.
TextCell = tuple[int, int, int, int, str, float]


@dataclass
class Fit:
    heights: dict[int, float]  # row → height in points
    too_tall: list[tuple[int, int]]  # (row, column) of cells whose text needs more than MAX_ROW_HEIGHT


@lru_cache(maxsize=4096)  # forms repeat their labels; bounded, as a site build exports every record
def needed_height(text: str, width_pt: float, size: float) -> float:
    """Points of height a cell `width_pt` wide needs for `text` at `size` pt."""
    width_em = max((width_pt - CELL_PADDING_X) / size, 1.0)
    return line_count(text, width_em) * LINE_HEIGHT_EM * size + CELL_PADDING_Y


def fit_rows(cells: list[TextCell], widths: dict[int, float], rows: set[int]) -> Fit:
    """Heights for `rows` (every row that holds a cell) from the cells' texts; widths are column index →
    width units (others have the default width)."""
    last_col = max([c1 for _r0, _c0, _r1, c1, _t, _s in cells] + list(widths) + [1])
    edge = [0.0]  # edge[c] = points from the left edge of column 1 to the right edge of column c
    for c in range(1, last_col + 1):
        edge.append(edge[-1] + widths.get(c, DEFAULT_COLUMN_WIDTH) * POINTS_PER_WIDTH_UNIT)
    heights = dict.fromkeys(rows, DEFAULT_ROW_HEIGHT)
    spanning: list[tuple[TextCell, float]] = []
    too_tall: list[tuple[int, int]] = []
    for cell in cells:
        r0, c0, r1, c1, text, size = cell
        need = needed_height(text, edge[c1] - edge[c0 - 1], size)
        if r1 > r0:
            spanning.append((cell, need))
            continue
        if need > MAX_ROW_HEIGHT:
            too_tall.append((r0, c0))
        if need > heights.get(r0, DEFAULT_ROW_HEIGHT):
            heights[r0] = need
    for (r0, c0, r1, _c1, _text, _size), need in spanning:
        span = range(r0, r1 + 1)
        have = sum(heights.setdefault(r, DEFAULT_ROW_HEIGHT) for r in span)
        if need > have:
            extra = (need - have) / len(span)
            for r in span:
                heights[r] += extra
        if need > MAX_ROW_HEIGHT * len(span):
            too_tall.append((r0, c0))
    rounded = {r: min(math.ceil(h * 4) / 4, MAX_ROW_HEIGHT) for r, h in heights.items()}
    return Fit(rounded, sorted(set(too_tall)))
