"""PDFs made from the project's own output with Chromium's print-to-PDF, for the PDF import benchmark and the
tests (plain Python, no pytest; playwright and Debian's Chromium come with the [test] extra).

- `form_html`: the national self-evaluation form holding a record as the form import reads it, as an HTML
  table (rowspan / colspan for the merged cells), with the layout variants real PDFs come in;
- `report_html`: narrative Markdown as a report is typeset (A4, 首行缩进, headings set larger);
- `print_html`: Chromium's print-to-PDF of such a page, optionally with a running head and page numbers.
"""

from __future__ import annotations

import html
import os
import shutil
from decimal import Decimal
from pathlib import Path

from generator.core.decimals import fmt

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
SPACE = "\u3000"


def chromium_path() -> str | None:
    """Debian's Chromium (PD_TEST_CHROMIUM overrides), never a downloaded browser."""
    path = os.environ.get("PD_TEST_CHROMIUM", "/usr/bin/chromium")
    return path if os.path.exists(path) else shutil.which("chromium")


def _spaced(text: str, space: str) -> str:
    """`项目名称` → `项　目　名　称`: labels as some bureaus type them."""
    return space.join(text) if space else text


def _cell(text: object, *, tag: str = "td", rowspan: int = 1, colspan: int = 1) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    value = fmt(text) if isinstance(text, Decimal) else ("" if text is None else str(text))
    return f"<{tag}{attrs}>{html.escape(value).replace(chr(10), '<br>')}</{tag}>"


def _num(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return f"{Decimal(str(value)):.2f}"


def _level_spans(leaves: list[dict]) -> dict[tuple[int, int], int]:
    """(first row, level) → rows of each run of leaves sharing that level's name."""
    spans: dict[tuple[int, int], int] = {}
    for level in (0, 1):
        i = 0
        while i < len(leaves):
            key = tuple(leaves[i]["path"][: level + 1])
            j = i
            while j < len(leaves) and tuple(leaves[j]["path"][: level + 1]) == key:
                j += 1
            spans[(i, level)] = j - i
            i = j
    return spans


def form_html(
    data: dict,
    *,
    space: str = "",
    split: bool = False,
    turn: bool = False,
    tall_reason: str | None = None,
    scramble: str | None = None,
) -> str:
    """The national form holding `data` (a record as the xlsx import reads it: its first indicator, 预算执行率
    with no path, is the 年度资金总额 row's 分值 / 得分).

    space: put between the characters of every label; split: the indicator table is a table of its own
    with a repeated header, on pages small enough that it runs over several of them; turn: the form is
    printed turned by 90° on a portrait page; tall_reason: an indicator name whose reason is made long
    enough to be cut by a page break; scramble: an indicator name whose 年度指标值 is drawn in private-use
    characters (as a font without a Unicode map comes out)."""

    def lab(text: str) -> str:
        return _spaced(text, space)

    b = data.get("budget", {})
    first = data["indicator"][0] if data["indicator"] and data["indicator"][0]["name"] == "预算执行率" else None
    leaves = data["indicator"][1:] if first else data["indicator"]
    sources = b.get("sources", [])
    head = [
        "<tr>" + _cell(lab("项目名称"), tag="th") + _cell(data["name"], colspan=8) + "</tr>",
        "<tr>"
        + _cell(lab("主管部门"), tag="th")
        + _cell(data.get("department"), colspan=4)
        + _cell(lab("实施单位"), tag="th")
        + _cell(data.get("implementer"), colspan=3)
        + "</tr>",
        "<tr>"
        + _cell(lab("项目资金（万元）"), tag="th", rowspan=2 + len(sources))
        + _cell("")
        + "".join(_cell(lab(t), tag="th") for t in ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率"))
        + _cell(lab("得分"), tag="th", colspan=2)
        + "</tr>",
        "<tr>"
        + _cell(lab("年度资金总额"), tag="th")
        + "".join(_cell(_num(b.get(k))) for k in ("initial", "budget", "executed"))
        + _cell(_num(first.get("weight")) if first else "—")
        + _cell(_num(b.get("rate")))
        + _cell(_num(first.get("score")) if first else "—", colspan=2)
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
        + _cell(lab("年度总体目标"), tag="th", rowspan=2)
        + _cell(lab("预期目标"), tag="th", colspan=4)
        + _cell(lab("实际完成情况"), tag="th", colspan=4)
        + "</tr>",
        "<tr>"
        + _cell("\n".join(goals.get("expected", [])), colspan=4)
        + _cell("\n".join(goals.get("achieved", [])), colspan=4)
        + "</tr>",
    ]
    header = [lab(t) for t in ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")]
    header.append(lab("偏差原因分析及改进措施"))
    spans = _level_spans(leaves)
    rows = []
    for i, leaf in enumerate(leaves):
        cells = [
            _cell(leaf["path"][level] if len(leaf["path"]) > level else "", rowspan=spans[(i, level)])
            for level in (0, 1)
            if (i, level) in spans
        ]
        target = leaf.get("target", "")
        if scramble and leaf["name"] == scramble:
            target = "".join(chr(0xE000 + (ord(ch) % 0x1000)) for ch in target)
        reason = leaf.get("reason", "")
        if tall_reason and leaf["name"] == tall_reason:
            reason = "\n".join([reason or "原因分析及改进措施"] * 28)
        cells += [_cell(leaf["name"]), _cell(target), _cell(leaf.get("actual", ""))]
        cells += [_cell(_num(leaf.get("weight"))), _cell(_num(leaf.get("score"))), _cell(reason)]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    figures = _cell(_num(data.get("max_score"))) + _cell(_num(data.get("total"))) + _cell("") + "</tr>"
    title = f"<h1>{html.escape(lab('项目支出绩效自评表'))}</h1><p class=year>（{data.get('year')}年度）</p>"
    if split:
        body = (
            f"{title}<table>{''.join(head)}</table><table class=ind><thead><tr>"
            + "".join(_cell(h, tag="th") for h in header)
            + f"</tr></thead><tbody>{''.join(rows)}<tr>{_cell(lab('总分'), tag='th', colspan=5)}{figures}</tbody></table>"
        )
    else:
        ind = "<tr>" + _cell(lab("绩效指标"), tag="th", rowspan=len(rows) + 1)
        ind += "".join(_cell(h, tag="th") for h in header) + "</tr>"
        total = f"<tr>{_cell(lab('总分'), tag='th', colspan=6)}{figures}"
        body = f"{title}<table>{''.join(head)}{ind}{''.join(rows)}{total}</table>"
    page = "A5 landscape" if split else "A4 landscape"
    style = (
        f"@page {{ size: {page}; margin: 12mm; }}"
        "body { font-family: 'Noto Sans CJK SC', sans-serif; font-size: 9pt; margin: 0; }"
        "h1 { font-size: 16pt; text-align: center; margin: 0 0 2pt; } .year { text-align: center; margin: 0 0 6pt; }"
        "table { border-collapse: collapse; width: 100%; }"
        "td, th { border: 0.75pt solid #000; padding: 2pt 3pt; font-weight: normal; vertical-align: middle; }"
        "table.ind { margin-top: -0.75pt; }"
    )
    if turn:  # a landscape form turned onto a portrait page
        style = style.replace(page, "A4 portrait")
        style += (
            "body { font-size: 7pt; } .turn { position: absolute; top: 0; left: 0; width: 262mm;"
            " transform-origin: top left; transform: translate(186mm, 0) rotate(90deg); }"
        )
        body = f"<div class=turn>{body}</div>"
    return f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{style}</style></head><body>{body}</body></html>'


def report_html(markdown_texts: list[str], title: str) -> str:
    """Narrative Markdown typeset as a report: A4, 12 pt body with 首行缩进 and no space between paragraphs,
    the title and headings set larger (needs markdown-it-py, the [site] extra)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    parts = "".join(f"<section>{md.render(text)}</section>" for text in markdown_texts)
    style = (
        "@page { size: A4; margin: 25mm 25mm 20mm; }"
        "body { font-family: 'Noto Serif CJK SC', serif; font-size: 12pt; line-height: 1.6; margin: 0; }"
        "h1 { font-size: 20pt; text-align: center; } h2 { font-size: 15pt; margin: 10pt 0 4pt; }"
        "h3 { font-size: 13.5pt; margin: 8pt 0 3pt; } h4 { font-size: 12.5pt; margin: 6pt 0 2pt; }"
        "p { text-indent: 2em; margin: 0; text-align: justify; } li { margin: 0; }"
        "table { border-collapse: collapse; margin: 6pt 0; } td, th { border: 0.75pt solid #000; padding: 2pt 4pt; }"
    )
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{style}</style></head>'
        f"<body><h1>{html.escape(title)}</h1>{parts}</body></html>"
    )


def print_html(browser, text: str, path: Path, *, running_head: str | None = None) -> Path:
    """Chromium's print-to-PDF of an HTML text (its @page size); `running_head` prints that line at the top of
    every page and the page number at the bottom, as report files have."""
    page = browser.new_page()
    try:
        page.set_content(text, wait_until="load")
        options: dict = {"path": str(path), "prefer_css_page_size": True, "print_background": True}
        if running_head is not None:
            options.update(
                display_header_footer=True,
                header_template=f'<div style="font-size:9px;width:100%;text-align:center">{html.escape(running_head)}</div>',
                footer_template='<div style="font-size:9px;width:100%;text-align:center">- <span class="pageNumber"></span> -</div>',
            )
        page.pdf(**options)
    finally:
        page.close()
    return path
