"""The PDF import measurement (issue 16): `python -m generator.bench --pdf`.

A 20-page PDF as bureaus publish them is made first (pdf_sources, Chromium's print-to-PDF): a seed's national
self-evaluation form on page 1, then the evaluation report — the seeds' narratives typeset as one report
with its title, running head and page numbers — cut to exactly 20 pages. Then, each in a fresh process:

- read: every page's characters and ruling lines (pdf_read) and tables (pdf_layout);
- form: the form read into a record (read_form, with the provenance trace);
- report: the report turned into Markdown (pdf_to_markdown);
- import command: `python -m generator import DOC.pdf DOC.pdf --out …` as an editor runs it, wall time from
  start to exit (interpreter start, both imports, writing and validating the record).

The table gives seconds and seconds per page; the target is the whole import command in ≤ 5 s.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from .children import own_peak_mb, run_child
from .fixtures import ROOT, build_env

PDF_PAGES = 20
PDF_TARGET_SECONDS = 5.0
FORM_SEED = "bayannur-treasury-epay"


def build_pdf(workdir: Path, pages: int = PDF_PAGES) -> Path:
    """workdir/report.pdf: the form and the report, `pages` pages in all."""
    import pypdfium2 as pdfium
    from playwright.sync_api import sync_playwright

    from generator.office import read_form
    from generator.office.export_xlsx import export_xlsx

    from .pdf_sources import CHROMIUM_ARGS, chromium_path, form_html, print_html, report_html

    chromium = chromium_path()
    if chromium is None:
        raise RuntimeError("the PDF benchmark prints its PDF with Chromium: apt-get install chromium")
    seed = next(ROOT.glob(f"projects/*/{FORM_SEED}.toml"))
    export_xlsx(str(seed), str(workdir / "form.xlsx"))
    data = read_form(str(workdir / "form.xlsx")).data
    narratives = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("projects/*/*.md"))]
    out = pdfium.PdfDocument.new()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            print_html(browser, form_html(data), workdir / "form.pdf")
            out.import_pages(pdfium.PdfDocument(str(workdir / "form.pdf")))
            copies = 1
            while True:
                title = "2021年度项目支出绩效评价报告"
                report = print_html(
                    browser, report_html(narratives * copies, title), workdir / "narrative.pdf", running_head=title
                )
                doc = pdfium.PdfDocument(str(report))
                if len(out) + len(doc) >= pages:
                    out.import_pages(doc, list(range(pages - len(out))))
                    break
                copies += 1
        finally:
            browser.close()
    path = workdir / "report.pdf"
    out.save(str(path))
    return path


def child_pdf(directory: Path) -> dict:
    """In the child: time reading the pages, the form and the report of directory/report.pdf."""
    from generator.office import read_form
    from generator.office.pdf_layout import page_layout
    from generator.office.pdf_read import open_pdf
    from generator.office.pdf_report import pdf_to_markdown

    path = str(directory / "report.pdf")
    t0 = time.perf_counter()
    pages = open_pdf(path)
    tables = sum(len(page_layout(p).tables) for p in pages)
    t1 = time.perf_counter()
    result = read_form(path)
    t2 = time.perf_counter()
    markdown, _notes = pdf_to_markdown(path)
    t3 = time.perf_counter()
    return {
        "pages": len(pages),
        "chars": sum(len(p.chars) for p in pages),
        "tables": tables,
        "read": t1 - t0,
        "form": t2 - t1,
        "report": t3 - t2,
        "values": len(getattr(result, "comments", {})),
        "headings": sum(1 for line in markdown.splitlines() if line.startswith("#")),
        "peak_mb": own_peak_mb(),
    }


def measure_pdf(workdir: Path) -> dict:
    """Build the PDF, time its parts in a child, and the whole import command from start to exit."""
    started = time.perf_counter()
    pdf = build_pdf(workdir)
    sys.stderr.write(f"made a {PDF_PAGES}-page PDF in {time.perf_counter() - started:.1f} s: {pdf}\n")
    out = run_child("pdf", workdir)
    cmd = [sys.executable, "-m", "generator", "import", str(pdf), str(pdf), "--out", str(workdir / "out")]
    cmd += ["--id", "bench-pdf", "--region", "内蒙古自治区巴彦淖尔市", "--evaluator", "巴彦淖尔市财政综合保障中心"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=build_env(), cwd=str(workdir), check=False)
    out["command"] = time.perf_counter() - start
    out["exit"] = proc.returncode
    if proc.returncode not in (0, 1) or not (workdir / "out" / "bench-pdf.toml").is_file():
        raise RuntimeError(f"the import command failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return out


def pdf_table(m: dict) -> str:
    """The Markdown table of the PDF measurement, and the verdict against the target."""
    n = m["pages"]
    rows = [
        ("read pages (characters, ruling lines, tables)", m["read"]),
        ("form → record (read_form, provenance)", m["form"]),
        ("report → Markdown (pdf_to_markdown)", m["report"]),
        ("`python -m generator import DOC.pdf DOC.pdf` (fresh process, start to exit)", m["command"]),
    ]
    lines = ["| measurement | pages | seconds | s / page |", "|---|---:|---:|---:|"]
    lines += [f"| {what} | {n} | {s:.2f} | {s / n:.3f} |" for what, s in rows]
    verdict = "meets" if m["command"] <= PDF_TARGET_SECONDS else "MISSES"
    lines.append("")
    lines.append(
        f"{n} pages, {m['chars']} characters, {m['tables']} ruled tables; {m['values']} values traced to their cell, "
        f"{m['headings']} headings; peak memory of the measuring child {m['peak_mb']:.0f} MB. "
        f"The import command {verdict} the target of ≤ {PDF_TARGET_SECONDS:g} s ({m['command']:.2f} s, exit {m['exit']})."
    )
    return "\n".join(lines) + "\n"
