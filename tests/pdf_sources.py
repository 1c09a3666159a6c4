"""PDFs for the PDF import tests, made at test time from the project's own outputs (no outside files).

- `libreoffice_pdfs`: the forms `python -m generator export` writes, printed by LibreOffice headless (as a
  bureau prints its workbook to PDF); None when soffice is not installed.
- `form_html` + `print_html`: the national self-evaluation form written as an HTML table (rowspan/colspan
  for the merged cells) from an import's record data, printed by Chromium's print-to-PDF — with the layout
  variants real PDFs come in: labels spaced with full-width spaces (`项　目　名　称`), the indicator table
  running over several pages with its header repeated and a row cut by the page break, the whole form
  turned on the page, a value whose glyphs have no characters.
- `turned` / `rotated`: a PDF's pages drawn turned by 90°/180°/270° on a new page, or given a /Rotate entry
  (pypdfium2).
- `image_only`: a PDF whose pages are pictures of another PDF's pages (a scan, without a text layer).
- `minimal_pdf`: a hand-written one-page PDF (for the encrypted case).
"""

from __future__ import annotations

import html
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

from generator.core.decimals import fmt

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
SPACE = "\u3000"


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


# ---------------------------------------------------------------------------- the national form in HTML


def _spaced(text: str, space: str) -> str:
    """`项目名称` → `项　目　名　称`: labels as some bureaus type them."""
    return space.join(text) if space else text


def _cell(text: object, *, tag: str = "td", rowspan: int = 1, colspan: int = 1, cls: str = "") -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    attrs += f' class="{cls}"' if cls else ""
    value = fmt(text) if isinstance(text, Decimal) else ("" if text is None else str(text))
    return f"<{tag}{attrs}>{html.escape(value).replace(chr(10), '<br>')}</{tag}>"


def _num(value: object, places: int = 2) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return f"{Decimal(value):.{places}f}"


def form_html(
    data: dict,
    *,
    space: str = "",
    split: bool = False,
    turn: bool = False,
    tall_reason: str | None = None,
    scramble: str | None = None,
) -> str:
    """The national form holding `data` (a record as the xlsx import reads it).

    space: put between the characters of every label; split: the indicator table is a table of its own
    with a repeated header, on pages small enough that it runs over several of them; turn: the form is
    printed turned by 90° on a portrait page; tall_reason: an indicator name whose reason is made long
    enough to be cut by a page break; scramble: an indicator name whose 年度指标值 is drawn in private-use
    characters (a font without a Unicode map)."""
    L = lambda t: _spaced(t, space)  # noqa: E731
    b = data.get("budget", {})
    leaf0 = data["indicator"][0] if data["indicator"] and data["indicator"][0]["name"] == "预算执行率" else None
    leaves = data["indicator"][1:] if leaf0 else data["indicator"]
    sources = b.get("sources", [])
    head = [
        "<tr>" + _cell(L("项目名称"), tag="th") + _cell(data["name"], colspan=8) + "</tr>",
        "<tr>"
        + _cell(L("主管部门"), tag="th")
        + _cell(data.get("department"), colspan=4)
        + _cell(L("实施单位"), tag="th")
        + _cell(data.get("implementer"), colspan=3)
        + "</tr>",
        "<tr>"
        + _cell(L("项目资金（万元）"), tag="th", rowspan=2 + len(sources))
        + _cell("")
        + "".join(_cell(L(t), tag="th") for t in ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率"))
        + _cell(L("得分"), tag="th", colspan=2)
        + "</tr>",
        "<tr>"
        + _cell(L("年度资金总额"), tag="th")
        + "".join(_cell(_num(b.get(k))) for k in ("initial", "budget", "executed"))
        + _cell(_num(leaf0.get("weight")) if leaf0 else "—")
        + _cell(_num(b.get("rate")))
        + _cell(_num(leaf0.get("score")) if leaf0 else "—", colspan=2)
        + "</tr>",
    ]
    for src in sources:
        head.append(
            "<tr>"
            + _cell("其中：" + src["name"], tag="th")
            + "".join(_cell(_num(src.get(k))) for k in ("initial", "budget", "executed"))
            + _cell("—")
            + _cell(_num(src.get("rate")))
            + _cell("—", colspan=2)
            + "</tr>"
        )
    goals = data.get("goals", {})
    head += [
        "<tr>"
        + _cell(L("年度总体目标"), tag="th", rowspan=2)
        + _cell(L("预期目标"), tag="th", colspan=4)
        + _cell(L("实际完成情况"), tag="th", colspan=4)
        + "</tr>",
        "<tr>"
        + _cell("\n".join(goals.get("expected", [])), colspan=4)
        + _cell("\n".join(goals.get("achieved", [])), colspan=4)
        + "</tr>",
    ]
    header = [L(t) for t in ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")]
    header.append(L("偏差原因分析及改进措施"))
    rows = []
    spans: dict[tuple[int, int], int] = {}
    for level in (0, 1):  # rowspans of the level cells
        i = 0
        while i < len(leaves):
            key = tuple(leaves[i]["path"][: level + 1])
            j = i
            while j < len(leaves) and tuple(leaves[j]["path"][: level + 1]) == key:
                j += 1
            spans[(i, level)] = j - i
            i = j
    for i, leaf in enumerate(leaves):
        cells = []
        for level in (0, 1):
            if (i, level) in spans:
                path = leaf["path"]
                cells.append(_cell(path[level] if len(path) > level else "", rowspan=spans[(i, level)]))
        target = leaf.get("target", "")
        if scramble and leaf["name"] == scramble:
            target = "".join(chr(0xE000 + (ord(ch) % 0x1000)) for ch in target)
        reason = leaf.get("reason", "")
        if tall_reason and leaf["name"] == tall_reason:
            reason = "\n".join([reason or "原因分析及改进措施"] * 28)
        cells += [
            _cell(leaf["name"]),
            _cell(target),
            _cell(leaf.get("actual", "")),
            _cell(_num(leaf.get("weight"))),
            _cell(_num(leaf.get("score"))),
            _cell(reason),
        ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    total = "<tr>" + _cell(L("总分"), tag="th", colspan=5) + _cell(_num(data.get("max_score")))
    total += _cell(_num(data.get("total"))) + _cell("") + "</tr>"
    title = f"<h1>{html.escape(L('项目支出绩效自评表'))}</h1><p class=year>（{data.get('year')}年度）</p>"
    if split:
        body = (
            title
            + "<table>"
            + "".join(head)
            + "</table><table class=ind><thead><tr>"
            + "".join(_cell(h, tag="th") for h in header)
            + "</tr></thead><tbody>"
            + "".join(rows)
            + total.replace('colspan="5"', 'colspan="5"')
            + "</tbody></table>"
        )
    else:
        ind_head = "<tr>" + _cell(L("绩效指标"), tag="th", rowspan=len(rows) + 1)
        ind_head += "".join(_cell(h, tag="th") for h in header) + "</tr>"
        total = total.replace('colspan="5"', 'colspan="6"')
        body = title + "<table>" + "".join(head) + ind_head + "".join(rows) + total + "</table>"
    page = "A5 landscape" if split else "A4 landscape"
    style = (
        f"@page {{ size: {page}; margin: 12mm; }}"
        "body { font-family: 'Noto Sans CJK SC', sans-serif; font-size: 9pt; margin: 0; }"
        "h1 { font-size: 16pt; text-align: center; margin: 0 0 2pt; } .year { text-align: center; margin: 0 0 6pt; }"
        "table { border-collapse: collapse; width: 100%; margin-bottom: 0; }"
        "td, th { border: 0.75pt solid #000; padding: 2pt 3pt; font-weight: normal; vertical-align: middle; }"
        "table.ind { margin-top: -0.75pt; }"
    )
    if turn:  # a landscape form turned onto a portrait page, as scanned-in-landscape prints come
        style = style.replace(page, "A4 portrait")
        style += (
            "body { font-size: 7pt; } .turn { position: absolute; top: 0; left: 0; width: 262mm;"
            " transform-origin: top left; transform: translate(186mm, 0) rotate(90deg); }"
        )
        body = f"<div class=turn>{body}</div>"
    return f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{style}</style></head><body>{body}</body></html>'


def print_html(browser, text: str, path: Path) -> Path:
    """Chromium's print-to-PDF of an HTML text (the page's @page size)."""
    page = browser.new_page()
    try:
        page.set_content(text, wait_until="load")
        page.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
    finally:
        page.close()
    return path


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


def minimal_pdf(extra_trailer: str = "", texts: tuple[str, ...] = ("Hello",), broken_page: int | None = None) -> bytes:
    """A PDF written by hand, one page per text (Helvetica), with a correct cross-reference table;
    `extra_trailer` goes into the trailer, `broken_page` (1-based) gets a page object that is not a page."""
    n = len(texts)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    font = 3 + 2 * n
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode()]
    for i, text in enumerate(texts):
        stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()
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


def chromium_path() -> str | None:
    import os

    path = os.environ.get("PD_TEST_CHROMIUM", "/usr/bin/chromium")
    return path if os.path.exists(path) else shutil.which("chromium")
