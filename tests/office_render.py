"""Look at an exported form as LibreOffice prints it: convert to PDF (soffice), read the position of every
word (pdftotext -bbox-layout) and render the pages (pdftoppm), then name what a reader would see wrong:

- text missing from the page (a long cell text must appear whole, in order, in the PDF's text);
- two words drawn over each other (their boxes overlap by more than a quarter of a line);
- a cell border running through a word (a dark horizontal line across the word's whole box and beyond
  it on both sides) — the word has left its row.

Shared by tests/test_office_render.py; needs soffice, pdftotext and pdftoppm (Debian: libreoffice-calc-nogui,
poppler-utils)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

TOOLS = ("pdftotext", "pdftoppm")
DPI = 144
SCALE = DPI / 72  # pixels per PDF point
DARK = 160  # a gray value below this is ink
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', re.DOTALL)
_PAGE = re.compile(r"<page\b")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def missing_tools() -> list[str]:
    return [name for name in ("soffice", *TOOLS) if (soffice() if name == "soffice" else shutil.which(name)) is None]


def to_pdf(files: list[Path], outdir: Path) -> list[Path]:
    """All files converted in one LibreOffice run (one start-up), with a private profile."""
    exe = soffice()
    assert exe is not None
    profile = (outdir / "lo-profile").resolve().as_uri()
    subprocess.run(
        [exe, "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to", "pdf"]
        + ["--outdir", str(outdir), *map(str, files)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdfs = [outdir / (f.stem + ".pdf") for f in files]
    assert all(p.is_file() for p in pdfs), [p for p in pdfs if not p.is_file()]
    return pdfs


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def words(pdf: Path) -> list[Word]:
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    found = []
    for page, chunk in enumerate(_PAGE.split(xml)[1:], start=1):
        for m in _WORD.finditer(chunk):
            x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
            found.append(Word(page, x0, y0, x1, y1, m.group(5)))
    return found


def plain_text(pdf: Path) -> str:
    """The PDF's text in drawing order, without any white space (LibreOffice draws a cell's lines together)."""
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", "", text)


@dataclass
class Gray:
    width: int
    height: int
    pixels: bytes

    def dark_run(self, y: int, x0: int, x1: int) -> bool:
        """Every pixel of row y from x0 to x1 is ink."""
        if not (0 <= y < self.height) or x0 < 0 or x1 >= self.width:
            return False
        row = self.pixels[y * self.width + x0 : y * self.width + x1 + 1]
        return max(row) < DARK


def pages(pdf: Path, outdir: Path) -> list[Gray]:
    prefix = outdir / pdf.stem
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", str(pdf), str(prefix)], check=True, capture_output=True)
    out = []
    for path in sorted(outdir.glob(pdf.stem + "-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
        data = path.read_bytes()
        header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
        assert header, path
        w, h = int(header.group(1)), int(header.group(2))
        out.append(Gray(w, h, data[header.end() : header.end() + w * h]))
    return out


def problems(pdf: Path, texts: list[str], workdir: Path) -> list[str]:
    """What is wrong on the printed form (empty when every text shows whole, in its own row)."""
    found: list[str] = []
    drawn = plain_text(pdf)
    for text in texts:
        if re.sub(r"\s+", "", text) not in drawn:
            found.append(f"文字不全：{text[:30]}")
    ws = sorted(words(pdf), key=lambda w: (w.page, w.y0))
    for i, a in enumerate(ws):
        for b in ws[i + 1 :]:
            if b.page != a.page or b.y0 >= a.y1:
                break  # sorted by page and top: no later word reaches down into this one
            dy = min(a.y1, b.y1) - max(a.y0, b.y0)
            dx = min(a.x1, b.x1) - max(a.x0, b.x0)
            if dy > 0.25 * min(a.y1 - a.y0, b.y1 - b.y0) and dx > 1:
                found.append(f"第 {a.page} 页文字重叠：“{a.text[:15]}”与“{b.text[:15]}”")
    images = pages(pdf, workdir)
    for w in ws:
        if len(w.text) < 2:
            continue  # a single glyph's stroke could fill its own box
        img = images[w.page - 1]
        x0, x1 = int(w.x0 * SCALE) - 2, int(w.x1 * SCALE) + 2
        inside = range(int(w.y0 * SCALE) + 3, int(w.y1 * SCALE) - 2)
        if any(img.dark_run(y, x0, x1) for y in inside):
            found.append(f"第 {w.page} 页表格线穿过文字：“{w.text[:15]}”")
    return found
