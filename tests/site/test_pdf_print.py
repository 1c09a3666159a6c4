"""PDFs printed by Chromium, imported back (generator/office/pdf_*.py): the site's own print view of a
project page, the national form written as an HTML table in the layout variants real PDFs come in, and a
report typeset from a seed's narrative.

- print view: the built site (conftest.built_site) printed with print media; the form recogniser reads
  the project's name, units, budget, goals and every indicator back as the record has them;
- form variants (generator/bench/pdf_sources.form_html from a seed's exported form as `import` reads it):
  labels spaced with full-width spaces, the indicator table over three pages with its header repeated and
  a row cut by a page break, the whole form turned on a portrait page, a value drawn in glyphs without
  characters (recorded "未公布", listed with its page);
- report: the narrative's headings (一、 / （一）) and paragraphs come back, without the running head and
  page numbers.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import tomli

pytest.importorskip("pypdfium2", reason="没有安装 PDF 导入组件 pypdfium2（pip install -e '.[pdf]'），跳过 PDF 导入测试")
pytest.importorskip("pytest_playwright", reason="pytest-playwright is not installed")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import pdf_sources  # noqa: E402

from generator.cli.main import main  # noqa: E402
from generator.office import read_form  # noqa: E402
from generator.office.pdf_report import pdf_to_markdown  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
LEAF_KEYS = ("path", "name", "target", "actual", "weight", "score", "reason")


def seed(slug: str) -> dict:
    return tomli.loads(next(ROOT.glob(f"projects/*/{slug}.toml")).read_text(encoding="utf-8"), parse_float=Decimal)


def nospace(value: object) -> object:
    """A space the print wrapped a line at is not printed: text is compared without spaces."""
    return re.sub(r"\s+", "", value) if isinstance(value, str) else value


# ---------------------------------------------------------------------------- the site's print view

# seeds whose page prints a three-level indicator table the national form recogniser reads (苏州's record has
# two levels and derived weights marked *: its print view is not a form layout, and reads as no indicators)
PRINTABLE = {
    "bayannur-treasury-epay": 2021,
    "caidian-jincai": 2021,
    "dapeng-treasury-funds": 2021,
    "fumin-finance-platforms": 2024,
}


@pytest.mark.parametrize("slug", sorted(PRINTABLE))
def test_the_print_view_of_a_project_page_reads_back_as_its_record(site_url, page, tmp_path, slug):
    page.goto(f"{site_url}projects/{PRINTABLE[slug]}/{slug}/")
    page.emulate_media(media="print")
    pdf = tmp_path / f"{slug}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    got = read_form(str(pdf)).data
    want = seed(slug)
    for key in ("name", "department", "implementer"):
        assert got.get(key) == want.get(key), key
    if want.get("scored", True):
        assert got["total"] == want["total"]
    for key in ("initial", "budget", "executed", "rate"):
        assert got["budget"].get(key) == want["budget"].get(key), key
    for key in ("expected", "achieved"):  # text or a list of texts in the record; the import gives a list
        written = want.get("goals", {}).get(key)
        assert got.get("goals", {}).get(key) == ([written] if isinstance(written, str) else written), key
    assert len(got["indicator"]) == len(want["indicator"])
    for g, w in zip(got["indicator"], want["indicator"]):
        for key in LEAF_KEYS:
            assert nospace(g.get(key)) == nospace(w.get(key)), (w["name"], key, g.get(key), w.get(key))


# ---------------------------------------------------------------------------- the form in layout variants


@pytest.fixture(scope="module")
def form_data(tmp_path_factory) -> dict:
    """bayannur's record as its exported national form reads (what the HTML form is written from)."""
    base = tmp_path_factory.mktemp("form")
    book = base / "form.xlsx"
    assert main(["export", str(next(ROOT.glob("projects/*/bayannur-treasury-epay.toml"))), "--out", str(book)]) == 0
    data = read_form(str(book)).data
    data.pop("monitoring")  # the HTML form is the self-evaluation form alone
    return data


def printed_form(browser, tmp_path: Path, data: dict, **variant) -> Path:
    return pdf_sources.print_html(browser, pdf_sources.form_html(data, **variant), tmp_path / "form.pdf")


@pytest.mark.parametrize(
    "variant",
    [{}, {"space": pdf_sources.SPACE}, {"turn": True}],
    ids=["plain", "full-width spaces in labels", "turned on the page"],
)
def test_a_browser_printed_form_reads_back(browser, tmp_path, form_data, variant):
    result = read_form(str(printed_form(browser, tmp_path, form_data, **variant)))
    assert result.unmapped == [] and result.unreadable == []
    assert result.data == form_data


def test_a_table_over_three_pages_with_its_header_repeated_and_a_row_cut(browser, tmp_path, form_data):
    tall = form_data["indicator"][3]["name"]  # 系统故障率: its reason runs over a page break
    pdf = printed_form(browser, tmp_path, form_data, split=True, tall_reason=tall)
    result = read_form(str(pdf))
    assert result.sheet == "第 1–3 页" and result.unmapped == []
    want = [dict(i) for i in form_data["indicator"]]
    want[3]["reason"] = "\n".join(["原因分析及改进措施"] * 28)
    got = result.data["indicator"]
    assert [nospace(i.get("reason")) for i in got] == [nospace(i.get("reason")) for i in want]
    for g, w in zip(got, want):
        assert {k: v for k, v in g.items() if k != "reason"} == {k: v for k, v in w.items() if k != "reason"}
    assert result.data["total"] == form_data["total"] and result.data["max_score"] == form_data["max_score"]


def test_a_value_in_glyphs_without_characters_is_not_published_and_listed(browser, tmp_path, form_data):
    name = form_data["indicator"][5]["name"]  # 异常处理能力: its 年度指标值 优秀 in private-use characters
    result = read_form(str(printed_form(browser, tmp_path, form_data, scramble=name)))
    leaf = next(i for i in result.data["indicator"] if i["name"] == name)
    assert leaf["target"] == "未公布"
    assert len(result.unreadable) == 1
    assert re.fullmatch(
        r"第 1 页，表 1 第 \d+ 行第 5 列：字形没有对应的文字编码，读不出，记为“未公布”", result.unreadable[0]
    )
    index = result.data["indicator"].index(leaf)
    assert result.comments[("indicator", index, "target")].endswith("读不出，记为“未公布”，请对照原文填写")


# ---------------------------------------------------------------------------- a report


def headings(markdown: str) -> list[str]:
    return [re.sub(r"^#+\s*", "", line) for line in markdown.splitlines() if line.startswith("#")]


def paragraphs(markdown: str) -> list[str]:
    return [re.sub(r"\s+", "", p) for p in markdown.split("\n\n") if p.strip() and not p.startswith(("#", "|"))]


def test_a_report_pdf_becomes_the_narrative_with_its_headings(browser, tmp_path, capsys):
    source = next(ROOT.glob("projects/*/bayannur-treasury-epay.md")).read_text(encoding="utf-8")
    title = "2021年国库集中支付电子化服务项目绩效自评报告"
    report = pdf_sources.print_html(
        browser, pdf_sources.report_html([source], title), tmp_path / "报告.pdf", running_head=title
    )
    markdown, notes = pdf_to_markdown(str(report))
    assert notes == []
    assert markdown.startswith(f"# {title}\n")  # the title once: the running head on every page is left out
    assert headings(markdown)[1:] == headings(source)
    assert "## 一、项目基本情况" in markdown and "### (一)项目基本情况简介" in markdown
    assert paragraphs(markdown) == paragraphs(source)
    assert not re.search(r"^- \d+ -$", markdown, re.M)  # page numbers left out
    # and through the command, beside a form printed by the browser
    form = pdf_sources.print_html(browser, pdf_sources.form_html(seed_form(tmp_path)), tmp_path / "表.pdf")
    out_dir = tmp_path / "projects" / "2021"
    flags = [
        "--id",
        "bayannur-treasury-epay",
        "--region",
        "内蒙古自治区巴彦淖尔市",
        "--evaluator",
        "巴彦淖尔市财政综合保障中心",
    ]
    assert main(["import", str(form), str(report), "--out", str(out_dir), *flags]) == 0
    assert "（叙述来自 报告.pdf）" in capsys.readouterr().out
    assert (out_dir / "bayannur-treasury-epay.md").read_text(encoding="utf-8") == markdown


def seed_form(tmp_path: Path) -> dict:
    book = tmp_path / "form.xlsx"
    assert main(["export", str(next(ROOT.glob("projects/*/bayannur-treasury-epay.toml"))), "--out", str(book)]) == 0
    data = read_form(str(book)).data
    data.pop("monitoring")
    return data
