"""A page's layout: its ruled tables (cells, merged cells from the ruling lines) and the text lines outside them.

Tables are found from ruling lines alone ("lattice"): horizontal and vertical lines that cross form a table;
the distinct line positions give its grid of elementary boxes, and two neighbouring boxes with no line
between them belong to one cell — that is how a merged cell prints. A table whose outer border is not drawn
(or is cut off at the page's edge) is closed by the extent of its lines. Characters are put in the cell
under their centre and read as lines, top to bottom; everything else on the page becomes text lines,
split into pieces where a wide gap separates them (`项目名称      国库集中支付电子化服务`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .pdf_read import Char, PdfPage, Segment

SNAP = 1.5  # line positions closer than this (points) are one line
JOIN = 2.5  # collinear pieces with a gap up to this are one line
COVER = 2.0  # a line covers a point within this distance
MIN_SIZE = 6.0  # a table at least this wide and tall
SPACE_GAP = 0.2  # a gap wider than this share of the character height between two characters is a space
CJK_SPACE_GAP = 0.5  # the same between two Chinese characters
CHUNK_GAP = 0.8  # a gap wider than the line's usual one by this many character heights splits a text line into pieces


@dataclass
class Cell:
    r0: int  # elementary rows and columns of the table, 0-based, inclusive
    c0: int
    r1: int
    c1: int
    x0: float
    y0: float
    x1: float
    y1: float
    chars: list[Char] = field(default_factory=list)
    text: str = ""
    unreadable: bool = False  # some glyph has no character


@dataclass
class Table:
    xs: list[float]  # column edges
    ys: list[float]  # row edges
    cells: list[Cell]
    index: int = 0  # 1-based, in reading order on its page
    top_drawn: bool = True  # a line is drawn along its top edge (a table cut by a page break has none)
    bottom_drawn: bool = True
    at: dict[tuple[int, int], Cell] = field(default_factory=dict, repr=False)  # elementary box → its cell

    def __post_init__(self) -> None:
        for cell in self.cells:
            for r in range(cell.r0, cell.r1 + 1):
                for c in range(cell.c0, cell.c1 + 1):
                    self.at[(r, c)] = cell

    @property
    def y0(self) -> float:
        return self.ys[0]

    @property
    def y1(self) -> float:
        return self.ys[-1]

    @property
    def rows(self) -> int:
        return len(self.ys) - 1

    @property
    def cols(self) -> int:
        return len(self.xs) - 1


@dataclass
class TextLine:
    y0: float
    y1: float
    x0: float
    x1: float
    pieces: list[tuple[float, float, str]]  # (x0, x1, text), left to right
    height: float  # the line's character height (its font size, near enough)
    unreadable: bool = False
    index: int = 0  # 1-based among the page's text lines outside tables

    @property
    def text(self) -> str:
        return " ".join(p[2] for p in self.pieces)


@dataclass
class PageLayout:
    page: PdfPage
    items: list[Table | TextLine]  # top to bottom

    @property
    def tables(self) -> list[Table]:
        return [i for i in self.items if isinstance(i, Table)]

    @property
    def lines(self) -> list[TextLine]:
        return [i for i in self.items if isinstance(i, TextLine)]


def page_layout(page: PdfPage) -> PageLayout:
    tables = find_tables(page.segments)
    free: list[Char] = []
    for ch in page.chars:
        if not _place(tables, ch):
            free.append(ch)
    for t in tables:
        for cell in t.cells:
            cell.text, cell.unreadable = _text(cell.chars, cell.x0, cell.x1)
            cell.chars = []
    lines = text_lines(free)
    items: list[Table | TextLine] = [*tables, *lines]
    items.sort(key=lambda i: (i.y0, 0 if isinstance(i, Table) else 1))
    for n, t in enumerate((i for i in items if isinstance(i, Table)), start=1):
        t.index = n
    for n, line in enumerate((i for i in items if isinstance(i, TextLine)), start=1):
        line.index = n
    return PageLayout(page, items)


# ---------------------------------------------------------------------------- lines → tables


def _merge_lines(segments: list[Segment], horizontal: bool) -> list[tuple[float, float, float]]:
    """Collinear, touching pieces joined: (position, start, end) of each ruling line."""
    keyed = sorted(
        (s.y0, s.x0, s.x1) if horizontal else (s.x0, s.y0, s.y1) for s in segments if s.horizontal == horizontal
    )
    groups: list[list[tuple[float, float, float]]] = []
    for item in keyed:
        if groups and item[0] - groups[-1][-1][0] <= SNAP:
            groups[-1].append(item)
        else:
            groups.append([item])
    out: list[tuple[float, float, float]] = []
    for g in groups:
        pos = sum(i[0] for i in g) / len(g)
        spans = sorted((i[1], i[2]) for i in g)
        a, b = spans[0]
        for s, e in spans[1:]:
            if s <= b + JOIN:
                b = max(b, e)
            else:
                out.append((pos, a, b))
                a, b = s, e
        out.append((pos, a, b))
    return out


def find_tables(segments: list[Segment]) -> list[Table]:
    hs = _merge_lines(segments, True)
    vs = _merge_lines(segments, False)
    if not hs or not vs:
        return []
    # connected components: a horizontal and a vertical line that touch are in one table
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for hi, (y, hx0, hx1) in enumerate(hs):
        for vi, (x, vy0, vy1) in enumerate(vs):
            if hx0 - COVER <= x <= hx1 + COVER and vy0 - COVER <= y <= vy1 + COVER:
                a, b = find(hi), find(len(hs) + vi)
                if a != b:
                    parent[a] = b
    comps: dict[int, tuple[list, list]] = {}
    for hi, h in enumerate(hs):
        comps.setdefault(find(hi), ([], []))[0].append(h)
    for vi, v in enumerate(vs):
        comps.setdefault(find(len(hs) + vi), ([], []))[1].append(v)
    tables = []
    for h_lines, v_lines in comps.values():
        if not h_lines or not v_lines:
            continue
        t = _table(h_lines, v_lines)
        if t is not None:
            tables.append(t)
    tables.sort(key=lambda t: (t.y0, t.xs[0]))
    return tables


def _edges(positions: list[float]) -> list[float]:
    out: list[float] = []
    for p in sorted(positions):
        if out and p - out[-1] <= SNAP:
            continue
        out.append(p)
    return out


def _table(h_lines: list, v_lines: list) -> Table | None:
    # the table's extent: its lines' ends close a border that is not drawn
    left = min(min(h[1] for h in h_lines), min(v[0] for v in v_lines))
    right = max(max(h[2] for h in h_lines), max(v[0] for v in v_lines))
    top = min(min(v[1] for v in v_lines), min(h[0] for h in h_lines))
    bottom = max(max(v[2] for v in v_lines), max(h[0] for h in h_lines))
    if right - left < MIN_SIZE or bottom - top < MIN_SIZE:
        return None
    xs = _edges([left, right] + [v[0] for v in v_lines])
    ys = _edges([top, bottom] + [h[0] for h in h_lines])
    if len(xs) < 2 or len(ys) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1

    def v_wall(c: int, r: int) -> bool:
        """A vertical line at edge xs[c] across row r (the outer edges always count)."""
        if c == 0 or c == nc:
            return True
        x, mid = xs[c], (ys[r] + ys[r + 1]) / 2
        return any(abs(v[0] - x) <= SNAP and v[1] - COVER <= mid <= v[2] + COVER for v in v_lines)

    def h_wall(r: int, c: int) -> bool:
        if r == 0 or r == nr:
            return True
        y, mid = ys[r], (xs[c] + xs[c + 1]) / 2
        return any(abs(h[0] - y) <= SNAP and h[1] - COVER <= mid <= h[2] + COVER for h in h_lines)

    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not v_wall(c + 1, r):
                parent[find(r * nc + c)] = find(r * nc + c + 1)
            if r + 1 < nr and not h_wall(r + 1, c):
                parent[find(r * nc + c)] = find((r + 1) * nc + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(find(r * nc + c), []).append((r, c))
    cells = []
    taken: set[tuple[int, int]] = set()
    for boxes in sorted(groups.values()):
        r0, r1 = min(b[0] for b in boxes), max(b[0] for b in boxes)
        c0, c1 = min(b[1] for b in boxes), max(b[1] for b in boxes)
        # a region that is not a rectangle (lines that stop short) is cut to its first row's run
        if len(boxes) != (r1 - r0 + 1) * (c1 - c0 + 1):
            row = sorted(b for b in boxes if b[0] == r0)
            c1 = row[0][1]
            while (r0, c1 + 1) in boxes:
                c1 += 1
            r1 = r0
        if any((r, c) in taken for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)):
            for b in boxes:
                if b not in taken:
                    taken.add(b)
                    cells.append(Cell(b[0], b[1], b[0], b[1], xs[b[1]], ys[b[0]], xs[b[1] + 1], ys[b[0] + 1]))
            continue
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                taken.add((r, c))
        cells.append(Cell(r0, c0, r1, c1, xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]))
    for b in ((r, c) for r in range(nr) for c in range(nc)):
        if b not in taken:  # boxes of a cut region not covered by another cell
            taken.add(b)
            cells.append(Cell(b[0], b[1], b[0], b[1], xs[b[1]], ys[b[0]], xs[b[1] + 1], ys[b[0] + 1]))
    cells.sort(key=lambda c: (c.r0, c.c0))

    def drawn(y: float) -> bool:
        width = right - left
        covered = sum(h[2] - h[1] for h in h_lines if abs(h[0] - y) <= SNAP)
        return covered >= width * 0.5

    return Table(xs=xs, ys=ys, cells=cells, top_drawn=drawn(ys[0]), bottom_drawn=drawn(ys[-1]))


def _place(tables: list[Table], ch: Char) -> bool:
    x, y = ch.cx, ch.cy
    for t in tables:
        if not (t.xs[0] <= x <= t.xs[-1] and t.ys[0] <= y <= t.ys[-1]):
            continue
        c = min(max(bisect.bisect_right(t.xs, x) - 1, 0), t.cols - 1)
        r = min(max(bisect.bisect_right(t.ys, y) - 1, 0), t.rows - 1)
        cell = t.at.get((r, c))
        if cell is not None:
            cell.chars.append(ch)
            return True
    return False


# ---------------------------------------------------------------------------- characters → text


def _rows_of(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into lines (a character joins a line when its centre lies within the line's
    height), each line left to right, lines top to bottom."""
    lines: list[list[Char]] = []
    spans: list[tuple[float, float]] = []
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        for i in range(len(spans) - 1, max(len(spans) - 4, -1), -1):  # sorted by centre: a recent line
            top, bottom = spans[i]
            if top <= ch.cy <= bottom:
                lines[i].append(ch)
                break
        else:
            lines.append([ch])
            spans.append((ch.y0 + ch.height * 0.2, ch.y1 - ch.height * 0.2))
    order = sorted(range(len(lines)), key=lambda i: spans[i][0])
    return [sorted(lines[i], key=lambda c: c.x0) for i in order]


def _cjk(text: str) -> bool:
    return "\u3000" <= text <= "\u9fff" or "\uff00" <= text <= "\uffef"


def _join(chars: list[Char]) -> str:
    out = ""
    prev: Char | None = None
    for ch in chars:
        if prev is not None and ch.text != " " and not out.endswith(" "):
            gap = ch.x0 - prev.x1
            # between two Chinese characters PDFium's boxes are the glyphs' ink, so only a wide gap is a space
            wide = CJK_SPACE_GAP if _cjk(prev.text) and _cjk(ch.text) else SPACE_GAP
            if (prev.space_after and gap > 0.05 * prev.height) or gap > wide * max(ch.height, prev.height):
                out += " "
        out += ch.text
        prev = ch
    return re.sub(" {2,}", " ", out).strip(" ")


def _first_word(line: list[Char]) -> float:
    """Width of what a line starts with that could not have been broken: a Latin word or number, else
    one character."""
    end = line[0].x1
    if line[0].text.isascii() and line[0].text.isalnum():
        for ch in line[1:]:
            if not (ch.text.isascii() and (ch.text.isalnum() or ch.text in ".,%")):
                break
            end = ch.x1
    return end - line[0].x0


def _text(chars: list[Char], left: float, right: float) -> tuple[str, bool]:
    """A cell's text: lines the cell's width wrapped are joined again (the next line's first word would not
    have fitted after the line), line breaks the writer typed (a line that ends short) are kept."""
    if not chars:
        return "", False
    rows = [r for r in _rows_of(chars) if _join(r)]
    if not rows:
        return "", any(c.unreadable for c in chars)
    pad = min(max(min(r[0].x0 for r in rows) - left, 0.0), 8.0)
    out = _join(rows[0])
    for prev, line in zip(rows, rows[1:]):
        text = _join(line)
        room = (right - pad) - prev[-1].x1
        if room < _first_word(line) + 0.5 * max(line[0].height, 1.0):
            tail, head = out[-1:], text[:1]
            out += (" " if tail.isascii() and tail.isalnum() and head.isascii() and head.isalnum() else "") + text
        else:
            out += "\n" + text
    return out, any(c.unreadable for c in chars)


def text_lines(chars: list[Char]) -> list[TextLine]:
    out = []
    for line in _rows_of(chars):
        # a gap wider than the line's usual one by a character or so splits it (letter-spaced labels,
        # `项　目　名　称`, have wide gaps everywhere and stay one piece)
        gaps = sorted(b.x0 - a.x1 for a, b in zip(line, line[1:]))
        usual = max(gaps[len(gaps) // 2], 0.0) if gaps else 0.0
        pieces: list[list[Char]] = [[line[0]]]
        for prev, ch in zip(line, line[1:]):
            if ch.x0 - prev.x1 > usual + CHUNK_GAP * max(ch.height, prev.height, 1.0):
                pieces.append([ch])
            else:
                pieces[-1].append(ch)
        texts = [(p[0].x0, p[-1].x1, _join(p)) for p in pieces]
        texts = [t for t in texts if t[2].strip()]
        if not texts:
            continue
        heights = sorted(c.height for c in line if c.text.strip())
        out.append(
            TextLine(
                y0=min(c.y0 for c in line),
                y1=max(c.y1 for c in line),
                x0=texts[0][0],
                x1=texts[-1][1],
                pieces=texts,
                height=heights[len(heights) // 2] if heights else 0.0,
                unreadable=any(c.unreadable for c in line),
            )
        )
    return out
