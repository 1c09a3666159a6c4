"""What a PDF page holds, as plain data: its characters with their boxes and its ruling lines.

The one module that talks to the PDF library (pypdfium2, the `[pdf]` extra; the choice against pdfplumber
is measured in content/guide and the issue's report: PDFium reads a page about ten times faster and the
install is 9 MB instead of 60 MB). Everything after this works on `PdfPage`.

Coordinates are points, measured from the page's top-left corner, x to the right and y down, in the
orientation in which the page's text reads left to right: a page whose content is drawn turned (a landscape
table printed on a portrait sheet) is turned back by the angle most of its characters are drawn at, so the
table finder never sees a rotated page. A page's /Rotate entry needs nothing: PDFium reports positions in
the page's own space, before that rotation.

A file that cannot be read (encrypted, damaged, not a PDF) raises PdfProblem with a Chinese message naming
the file and, where it is one page that fails, the page.
"""

from __future__ import annotations

import ctypes
import dataclasses
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

MAX_PAGES = 500  # a form or a report; anything longer is not what the importer is for
LINE_THICKNESS = 2.5  # a filled rectangle at most this thick is a ruling line (Chromium draws borders so)
AXIS_SLOPE = 0.6  # a path segment whose ends differ by at most this across its run is horizontal / vertical
_UNREADABLE = {0, 0xFFFD, 0xFFFE, 0xFFFF}


class PdfProblem(Exception):
    """A PDF that cannot be read at all; the message is Chinese and names the file (and page)."""


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    y0: float  # top
    x1: float
    y1: float  # bottom
    unreadable: bool = False  # the font maps this glyph to no character (U+FFFD, a private-use code…)
    space_after: bool = False  # PDFium saw a word space after it (a gap, no space character drawn)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Segment:
    """A horizontal (y0 == y1) or vertical (x0 == x1) ruling line; x0 ≤ x1, y0 ≤ y1."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return self.y0 == self.y1


@dataclass
class PdfPage:
    number: int  # 1-based, as a reader counts
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    image_area: float = 0.0  # share of the page covered by images (a scan is one image over the page)
    turned: int = 0  # degrees the content was turned back by (0, 90, 180, 270)

    @property
    def has_text(self) -> bool:
        return any(c.text.strip() for c in self.chars)


def open_pdf(path: str) -> list[PdfPage]:
    """Every page of the PDF at `path`; PdfProblem when it cannot be read."""
    p = Path(path)
    name = p.name
    try:
        with open(p, "rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise PdfProblem(f"无法读取文件 {path}：{exc.strerror or exc}。") from None
    if b"%PDF-" not in head:
        raise PdfProblem(f"{name} 不是 PDF 文件（文件开头没有 PDF 标记），无法导入。请确认文件完整，或向来源索取原件。")
    try:
        doc = pdfium.PdfDocument(str(p))
    except pdfium.PdfiumError as exc:
        raise PdfProblem(_open_error(name, exc)) from None
    try:
        count = len(doc)
        if count == 0:
            raise PdfProblem(f"{name} 没有任何页面，无法导入。")
        if count > MAX_PAGES:
            raise PdfProblem(f"{name} 有 {count} 页，超过导入的上限 {MAX_PAGES} 页。请只提供自评表和评价报告所在的页。")
        pages = []
        for i in range(count):
            try:
                page = doc[i]
            except pdfium.PdfiumError:
                raise PdfProblem(f"{name} 第 {i + 1} 页已损坏，无法读取。请向来源重新索取文件。") from None
            try:
                pages.append(_read_page(page, i + 1))
            except (pdfium.PdfiumError, OSError, ValueError) as exc:
                raise PdfProblem(
                    f"{name} 第 {i + 1} 页无法读取（{exc}），文件可能已损坏。请向来源重新索取文件。"
                ) from None
            finally:
                page.close()
        return pages
    finally:
        doc.close()


def _open_error(name: str, exc: Exception) -> str:
    err = raw.FPDF_GetLastError()
    if err == raw.FPDF_ERR_PASSWORD:
        return (
            f"{name} 已加密，需要密码才能打开（从第 1 页起无法读取任何一页），无法导入。"
            "请向来源索取未加密的文件，或用知道密码的 PDF 阅读器另存为不加密的 PDF 后再导入。"
        )
    if err == raw.FPDF_ERR_SECURITY:
        return f"{name} 使用了不支持的加密方式（从第 1 页起无法读取任何一页），无法导入。请向来源索取未加密的文件。"
    if err == raw.FPDF_ERR_FORMAT:
        return f"{name} 已损坏或不是有效的 PDF：文件结构读不出来，连第 1 页也无法打开，无法导入。请向来源重新索取文件。"
    return f"无法打开 {name}（{exc}），连第 1 页也无法读取，文件可能已损坏。请向来源重新索取文件。"


# ---------------------------------------------------------------------------- one page


def _read_page(page: pdfium.PdfPage, number: int) -> PdfPage:
    left, bottom, right, top = page.get_bbox()
    width, height = right - left, top - bottom
    chars, turn = _chars(page, left, top)
    segments, image_area = _drawing(page, left, top)
    out = PdfPage(number=number, width=width, height=height, chars=chars, segments=segments)
    out.image_area = image_area / (width * height) if width > 0 and height > 0 else 0.0
    if turn:
        _turn(out, turn)
    return out


def _chars(page: pdfium.PdfPage, left: float, top: float) -> tuple[list[Char], int]:
    """The page's characters (generated spaces and line breaks left out: lines and spaces are found from
    positions later) and the turn most of them are drawn at (0, 90, 180, 270)."""
    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        turn = _dominant_turn(tp, n)
        chars: list[Char] = []
        rect = raw.FS_RECTF()
        visible: dict[int | None, bool] = {}
        for i in range(n):
            code = raw.FPDFText_GetUnicode(tp, i)
            if raw.FPDFText_IsGenerated(tp, i):
                if code == 0x20 and chars and not chars[-1].space_after:
                    chars[-1] = dataclasses.replace(chars[-1], space_after=True)
                continue
            if code in (0x0D, 0x0A):
                continue
            obj = raw.FPDFText_GetTextObject(tp, i)
            key = ctypes.cast(obj, ctypes.c_void_p).value
            if key not in visible:
                visible[key] = _visible(obj)
            if not visible[key]:
                continue
            if not raw.FPDFText_GetLooseCharBox(tp, i, rect):
                continue
            unreadable = code in _UNREADABLE or 0xE000 <= code <= 0xF8FF or bool(raw.FPDFText_HasUnicodeMapError(tp, i))
            text = "\ufffd" if unreadable else _char(code)
            x0, x1 = sorted((rect.left - left, rect.right - left))
            y0, y1 = sorted((top - rect.top, top - rect.bottom))
            if turn == 0 and y1 - y0 < 0.6 * (x1 - x0):
                # a flat glyph (一, —) whose box PDFium gives as its ink only: the line's box instead, from
                # its baseline and font size, so that it stays on its line
                size = raw.FPDFText_GetFontSize(tp, i)
                ox, oy = ctypes.c_double(), ctypes.c_double()
                if size > 0 and raw.FPDFText_GetCharOrigin(tp, i, ox, oy):
                    base = top - oy.value
                    y0, y1 = base - 0.88 * size, base + 0.12 * size
            chars.append(Char(text, x0, y0, x1, y1, unreadable))
        return chars, turn
    finally:
        tp.close()


def _dominant_turn(tp, n: int) -> int:
    """The multiple of 90° most of the page's characters are drawn at, from about 60 of them."""
    angles: Counter[int] = Counter()
    for i in range(0, n, max(1, n // 60)):
        if raw.FPDFText_IsGenerated(tp, i):
            continue
        angle = raw.FPDFText_GetCharAngle(tp, i)
        if angle >= 0:
            angles[round(math.degrees(angle) / 90) % 4 * 90] += 1
    if not angles:
        return 0
    turn, count = angles.most_common(1)[0]
    return turn if count * 2 > sum(angles.values()) else 0


def _visible(obj) -> bool:
    """False for text drawn (mostly) outside its clipping path: LibreOffice draws the text of a merged cell
    that runs over a page break on every page, centred on the whole cell, and clips it away where it falls
    outside the page's part of the cell — text whose middle is clipped away is not what a reader sees."""
    if not obj:
        return True
    clip = raw.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return True
    xs: list[float] = []
    ys: list[float] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for p in range(raw.FPDFClipPath_CountPaths(clip)):
        for k in range(raw.FPDFClipPath_CountPathSegments(clip, p)):
            seg = raw.FPDFClipPath_GetPathSegment(clip, p, k)
            if raw.FPDFPathSegment_GetPoint(seg, x, y):
                xs.append(x.value)
                ys.append(y.value)
    if not xs:
        return True
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return True
    cx, cy = (left.value + right.value) / 2, (bottom.value + top.value) / 2
    return min(xs) <= cx <= max(xs) and min(ys) <= cy <= max(ys)


def _char(code: int) -> str:
    try:
        return chr(code)
    except ValueError:
        return "\ufffd"


def _turn(page: PdfPage, degrees: int) -> None:
    """Turn the page's content back by `degrees` so that its text is upright."""
    w, h = page.width, page.height

    def point(x: float, y: float) -> tuple[float, float]:
        # PDFium's angle is clockwise as the page is seen (y down): 90 means text running downwards
        if degrees == 90:
            return y, w - x
        if degrees == 180:
            return w - x, h - y
        return h - y, x  # 270: text running upwards, the page's bottom edge becomes its left edge

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        (ax, ay), (bx, by) = point(x0, y0), point(x1, y1)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    page.chars = [Char(c.text, *box(c.x0, c.y0, c.x1, c.y1), c.unreadable, c.space_after) for c in page.chars]
    page.segments = [Segment(*box(s.x0, s.y0, s.x1, s.y1)) for s in page.segments]
    if degrees in (90, 270):
        page.width, page.height = h, w
    page.turned = degrees


# ---------------------------------------------------------------------------- ruling lines and images

_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: _Matrix, outer: _Matrix) -> _Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: _Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _matrix(obj) -> _Matrix:
    fs = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, fs):
        return _IDENTITY
    return (fs.a, fs.b, fs.c, fs.d, fs.e, fs.f)


def _drawing(page: pdfium.PdfPage, left: float, top: float) -> tuple[list[Segment], float]:
    """Ruling lines (stroked path segments and thin filled rectangles, axis-aligned) and the area covered
    by images, in top-down page coordinates."""
    segments: list[Segment] = []
    image_area = 0.0
    to_page: _Matrix = (1.0, 0.0, 0.0, -1.0, -left, top)  # PDF space → top-down page space

    def visit(obj, outer: _Matrix, depth: int) -> None:
        nonlocal image_area
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM and depth < 8:
            m = _compose(_matrix(obj), outer)
            for i in range(raw.FPDFFormObj_CountObjects(obj)):
                visit(raw.FPDFFormObj_GetObject(obj, i), m, depth + 1)
        elif kind == raw.FPDF_PAGEOBJ_PATH:
            segments.extend(_path_segments(obj, _compose(_matrix(obj), outer)))
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            x0, y0, x1, y1 = _bounds(obj, outer)
            image_area += max(0.0, x1 - x0) * max(0.0, y1 - y0)

    for i in range(raw.FPDFPage_CountObjects(page)):
        visit(raw.FPDFPage_GetObject(page, i), to_page, 0)
    return segments, image_area


def _bounds(obj, outer: _Matrix) -> tuple[float, float, float, float]:
    """The object's bounding box; for an object inside a form, PDFium gives it in the form's space."""
    l_, b_, r_, t_ = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not raw.FPDFPageObj_GetBounds(obj, l_, b_, r_, t_):
        return 0.0, 0.0, 0.0, 0.0
    corners = [_apply(outer, x, y) for x in (l_.value, r_.value) for y in (b_.value, t_.value)]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _light(obj, stroke: bool) -> bool:
    """A white (or fully transparent) line draws nothing a reader sees."""
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    get = raw.FPDFPageObj_GetStrokeColor if stroke else raw.FPDFPageObj_GetFillColor
    if not get(obj, r, g, b, a):
        return False
    return a.value == 0 or min(r.value, g.value, b.value) >= 235


def _path_segments(obj, m: _Matrix) -> list[Segment]:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, fill, stroke):
        return []
    stroked = bool(stroke.value) and not _light(obj, True)
    filled = bool(fill.value) and not _light(obj, False)
    if not stroked and not filled:
        return []
    points: list[list[tuple[float, float]]] = []
    start: tuple[float, float] | None = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        if not raw.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        pt = _apply(m, x.value, y.value)
        if raw.FPDFPathSegment_GetType(seg) == raw.FPDF_SEGMENT_MOVETO or not points:
            points.append([pt])
            start = pt
        else:
            points[-1].append(pt)
        if raw.FPDFPathSegment_GetClose(seg) and start is not None:
            points[-1].append(start)
    out: list[Segment] = []
    for sub in points:
        xs, ys = [p[0] for p in sub], [p[1] for p in sub]
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        if filled and not stroked:
            # a filled shape is a line only when it is thin: a bar along its long side (a cell's shading
            # or the page's white background is not a line)
            if h <= LINE_THICKNESS and w > h:
                mid = (min(ys) + max(ys)) / 2
                out.append(Segment(min(xs), mid, max(xs), mid))
            elif w <= LINE_THICKNESS and h > w:
                mid = (min(xs) + max(xs)) / 2
                out.append(Segment(mid, min(ys), mid, max(ys)))
            continue
        for (ax, ay), (bx, by) in zip(sub, sub[1:]):
            if abs(ay - by) <= AXIS_SLOPE and abs(ax - bx) > AXIS_SLOPE:
                yy = (ay + by) / 2
                out.append(Segment(min(ax, bx), yy, max(ax, bx), yy))
            elif abs(ax - bx) <= AXIS_SLOPE and abs(ay - by) > AXIS_SLOPE:
                xx = (ax + bx) / 2
                out.append(Segment(xx, min(ay, by), xx, max(ay, by)))
    return out
