"""PDFs for the PDF import tests, made at test time from the project's own outputs (no outside files).

- `libreoffice_pdfs`: the forms `python -m generator export` writes, printed by LibreOffice headless (as a
  bureau prints its workbook to PDF); None when soffice is not installed.
- `form_html`, `report_html`, `print_html` (from generator.bench.pdf_sources, which the benchmark shares):
  the national form as an HTML table and a report, printed by Chromium's print-to-PDF — with the layout
  variants real PDFs come in: labels spaced with full-width spaces (`项　目　名　称`), the indicator table
  running over several pages with its header repeated and a row cut by the page break, the whole form
  turned on the page, a value whose glyphs have no characters.
- `turned` / `rotated`: a PDF's pages drawn turned by 90°/180°/270° on a new page, or given a /Rotate entry
  (pypdfium2).
- `image_only`: a PDF whose pages are pictures of another PDF's pages (a scan, without a text layer).
- `minimal_pdf`: a hand-written one-page PDF (for the encrypted case).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from generator.bench.pdf_sources import SPACE, chromium_path, form_html, print_html, report_html

__all__ = ["SPACE", "chromium_path", "form_html", "print_html", "report_html"]


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_pdfs(files: list[Path], outdir: Path) -> list[Path] | None:
    """All files printed to PDF in one LibreOffice run with a private profile; None without LibreOffice."""
    exe = soffice()
    if exe is None:
        return None
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


# ---------------------------------------------------------------------------- pages turned, scans


def turned(src: Path, out: Path, angle: int) -> Path:
    """Each page of `src` drawn turned clockwise by `angle` on a new page (a landscape table on portrait paper)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(src))
    new = pdfium.PdfDocument.new()
    for i in range(len(doc)):
        w, h = doc[i].get_size()
        obj = doc.page_as_xobject(i, new).as_pageobject()
        m = pdfium.PdfMatrix().rotate(angle)
        if angle == 90:
            m, page = m.translate(0, w), new.new_page(h, w)
        elif angle == 270:
            m, page = m.translate(h, 0), new.new_page(h, w)
        else:
            m, page = m.translate(w, h), new.new_page(w, h)
        obj.set_matrix(m)
        page.insert_obj(obj)
        page.gen_content()
    new.save(str(out))
    return out


def rotated(src: Path, out: Path, angle: int = 90) -> Path:
    """The same pages with a /Rotate entry: a viewer shows them turned, their content is unchanged."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(src))
    for i in range(len(doc)):
        doc[i].set_rotation(angle)
    doc.save(str(out))
    return out


def image_only(src: Path, out: Path, pages: list[int] | None = None, scale: float = 1.0) -> Path:
    """`src` with the given pages (1-based; all by default) replaced by pictures of themselves."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(src))
    new = pdfium.PdfDocument.new()
    for i in range(len(doc)):
        if pages is not None and i + 1 not in pages:
            new.import_pages(doc, [i])
            continue
        w, h = doc[i].get_size()
        bitmap = doc[i].render(scale=scale)
        image = pdfium.PdfImage.new(new)
        image.set_bitmap(bitmap)
        image.set_matrix(pdfium.PdfMatrix().scale(w, h))
        page = new.new_page(w, h)
        page.insert_obj(image)
        page.gen_content()
    new.save(str(out))
    return out


def minimal_pdf(
    extra_trailer: str = "", texts: tuple[str, ...] = ("Hello",), broken_page: int | None = None, ruled: bool = False
) -> bytes:
    """A PDF written by hand, one page per text (Helvetica), with a correct cross-reference table;
    `extra_trailer` goes into the trailer, `broken_page` (1-based) gets a page object that is not a page,
    `ruled` draws a table of 2 × 2 cells with ruling lines round the text."""
    n = len(texts)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    font = 3 + 2 * n
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode(),
    ]
    for i, text in enumerate(texts):
        grid = "0.5 w 10 60 m 190 60 l S 10 90 m 190 90 l S 10 120 m 190 120 l S "
        grid += "10 60 m 10 120 l S 100 60 m 100 120 l S 190 60 m 190 120 l S "
        stream = ((grid if ruled else "") + f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET").encode()
        page = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents {4 + 2 * i} 0 R"
            f" /Resources << /Font << /F1 {font} 0 R >> >> >>"
        ).encode()
        objects.append(b"(not a page)" if broken_page == i + 1 else page)
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for k, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{k} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R {extra_trailer}>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
