"""Forms printed to PDF, imported back: `python -m generator import FORM.pdf` (generator/office/pdf_*.py).

The PDFs are made at test time from the project's own output: each seed exported with
`python -m generator export` in its layout, printed by LibreOffice headless as a bureau prints its workbook
(tables running over several pages, title rows repeated on every page, merged cells cut by page breaks,
the 执行监控表 on its own page) — and the same pages given a /Rotate entry or drawn turned on the page.
The PDF must read back as the workbook does, value for value; each value written with the page and cell
it was printed in. Browser-printed variants are in tests/site/test_pdf_print.py; failures in test_pdf_errors.py.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import tomli

pytest.importorskip("pypdfium2", reason="没有安装 PDF 导入组件 pypdfium2（pip install -e '.[pdf]'），跳过 PDF 导入测试")

sys.path.insert(0, str(Path(__file__).parent))
import pdf_sources  # noqa: E402

from generator.cli.main import main  # noqa: E402
from generator.core.pipeline import run as run_pipeline  # noqa: E402
from generator.office import read_form  # noqa: E402
from generator.office.grid import join_lines, label, parse_number_text  # noqa: E402
from generator.office.pdf_layout import page_layout  # noqa: E402
from generator.office.pdf_read import open_pdf  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = {  # seed → the layout it is exported in
    "bayannur-treasury-epay": "national",  # with the 执行监控表 as a second sheet
    "caidian-jincai": "hubei",
    "suzhou-egov-construction": "suzhou",
    "dapeng-treasury-funds": "national",
    "fumin-finance-platforms": "national",
}


def seed_path(name: str) -> Path:
    return next(ROOT.glob(f"projects/*/{name}.toml"))


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """seed → (its exported workbook, that workbook printed to PDF by LibreOffice)."""
    base = tmp_path_factory.mktemp("printed")
    books = []
    for name, layout in EXPORTS.items():
        out = base / f"{name}.xlsx"
        assert main(["export", str(seed_path(name)), "--layout", layout, "--out", str(out)]) == 0
        books.append(out)
    pdfs = pdf_sources.libreoffice_pdfs(books, base)
    if pdfs is None:
        pytest.skip("没有安装 LibreOffice（soffice），无法把导出的自评表打印成 PDF，跳过")
    return {b.stem: (b, p) for b, p in zip(books, pdfs)}


def leaves(data, path=()):
    """(key path, value) of every value in a record dict."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from leaves(v, path + (k,))
    elif isinstance(data, list) and data and all(isinstance(v, dict) for v in data):
        for i, v in enumerate(data):
            yield from leaves(v, path + (i,))
    else:
        yield path, data


def accuracy(got: dict, want: dict) -> tuple[int, int, list]:
    """Values read exactly as the workbook holds them, values in the workbook, and the others."""
    have = dict(leaves(got))
    wrong = [(k, have.get(k), v) for k, v in leaves(want) if have.get(k) != v]
    total = sum(1 for _ in leaves(want))
    return total - len(wrong), total, wrong


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_a_printed_form_reads_back_as_its_workbook(printed, name):
    book, pdf = printed[name]
    want = read_form(str(book))
    got = read_form(str(pdf))
    assert got.layout == want.layout
    assert got.unmapped == [] and got.unreadable == []
    right, total, wrong = accuracy(got.data, want.data)
    # what a print cannot keep: a space where a long cell text was wrapped onto the next line
    assert all(
        isinstance(g, str) and g.replace(" ", "") == w.replace(" ", "") and w.count(" ") > g.count(" ")
        for _k, g, w in wrong
    ), wrong
    assert right >= total - 3, (right, total)
    assert got.narrative == want.narrative  # the 苏州 form's text cells


def test_the_monitoring_form_on_its_own_page_fills_monitoring(printed):
    book, pdf = printed["bayannur-treasury-epay"]
    got = read_form(str(pdf))
    assert got.sheet == "第 1 页" and got.monitoring_sheet == "第 2 页"
    assert got.data["monitoring"] == read_form(str(book)).data["monitoring"]


def test_tables_over_several_pages_are_one_table(printed):
    """caidian's table runs over three pages under a title printed again on each; suzhou's merged
    `项目绩效实现情况（80分）` cell is cut by two page breaks and printed outside the ruled area."""
    caidian = read_form(str(printed["caidian-jincai"][1]))
    assert caidian.sheet == "第 1–3 页" and len(caidian.data["indicator"]) == 21
    assert caidian.data["indicator"][-1]["name"] == "上线单位满意率"  # the one row on page 3
    suzhou = read_form(str(printed["suzhou-egov-construction"][1]))
    assert suzhou.data["max_score"] == 80 and any("项目绩效实现情况（80分）" in n for n in suzhou.notes)
    assert {tuple(i["path"]) for i in suzhou.data["indicator"]} == {
        ("投入目标",),
        ("产出目标",),
        ("结果目标",),
        ("影响力目标",),
    }


@pytest.mark.parametrize("how", ["rotate-90", "turn-90", "turn-180", "turn-270"])
def test_turned_pages_read_the_same(printed, tmp_path, how):
    """A /Rotate entry, or the content drawn turned on the sheet (a landscape table on portrait paper)."""
    _book, pdf = printed["bayannur-treasury-epay"]
    kind, angle = how.split("-")
    out = tmp_path / f"{how}.pdf"
    if kind == "rotate":
        pdf_sources.rotated(pdf, out, int(angle))
    else:
        pdf_sources.turned(pdf, out, int(angle))
    assert read_form(str(out)).data == read_form(str(pdf)).data


# ---------------------------------------------------------------------------- the command and provenance

FLAGS = [
    "--id",
    "bayannur-treasury-epay",
    "--region",
    "内蒙古自治区巴彦淖尔市",
    "--evaluator",
    "巴彦淖尔市财政综合保障中心",
]
_PLACE = re.compile(
    r"^(?P<key>\w+) = (?P<value>.+?)  # 第 (?P<page>\d+) 页，表 (?P<table>\d+) 第 (?P<row>\d+) 行第 (?P<col>\d+) 列$"
)


def printed_cell(pdf: Path, page: int, table: int, row: int, col: int) -> str:
    """The text of the col-th cell from the left in a table's row, as printed on the page."""
    t = page_layout(open_pdf(str(pdf))[page - 1]).tables[table - 1]
    in_row = sorted((c for c in t.cells if c.r0 <= row - 1 <= c.r1), key=lambda c: c.c0)
    return in_row[col - 1].text


def shows(cell: str, value: object) -> bool:
    """The printed cell shows the value: the same number, or the text (a path's names, an indicator's name
    after its `指标1：`)."""
    if isinstance(value, bool):  # 存在偏差 是 / 否
        return label(cell) == ("是" if value else "否")
    number = parse_number_text(cell, kind="rate").value
    if isinstance(value, (Decimal, int)) or (
        isinstance(value, str) and parse_number_text(value, kind="rate").value is not None
    ):
        want = value if not isinstance(value, str) else parse_number_text(value, kind="rate").value
        if number is not None and number == want:
            return True
    texts = value if isinstance(value, list) else [str(value)]
    return any(label(t) in label(join_lines(cell)) for t in texts)


def test_import_writes_each_value_with_the_cell_it_was_printed_in(printed, tmp_path, capsys):
    _book, pdf = printed["bayannur-treasury-epay"]
    out_dir = tmp_path / "projects" / "2021"
    code = main(["import", str(pdf), "--out", str(out_dir), *FLAGS])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "识别为“项目支出绩效自评表（全国通用样式）”（national，PDF “第 1 页”）" in out
    assert "写在记录中该值旁边的注释里" in out
    toml = out_dir / "bayannur-treasury-epay.toml"
    text = toml.read_text(encoding="utf-8")
    data = tomli.loads(text, parse_float=Decimal)
    assert data["name"] == "国库集中支付电子化服务" and data["total"] == 80
    assert run_pipeline([str(toml)]).ok
    checked = 0
    for line in text.splitlines():
        m = _PLACE.match(line)
        if not m:
            continue
        value = tomli.loads(f"v = {m.group('value')}", parse_float=Decimal)["v"]
        cell = printed_cell(pdf, *(int(m.group(k)) for k in ("page", "table", "row", "col")))
        assert shows(cell, value), (line, cell)
        checked += 1
    assert checked >= 16 * 4  # every indicator's values, the budget, the pairs
    assert "score = 0.00  # 第 1 页，表 1 第 4 行第 8 列" in text  # 预算执行率's 得分 in the 年度资金总额 row
    assert 'region = "内蒙古自治区巴彦淖尔市"\n' in text  # given by a flag: no place on the form
    assert "# 表中没有直接印出" in text.split("scheme = ")[1].splitlines()[0]  # chosen by the layout


def test_a_value_that_cannot_be_read_is_not_published_with_its_page(tmp_path, capsys):
    """A score printed as `约5` cannot be read: the record says "未公布" for it, the output names the page."""
    from openpyxl import load_workbook

    form = tmp_path / "自评表.xlsx"
    assert main(["export", str(seed_path("bayannur-treasury-epay")), "--out", str(form)]) == 0
    book = load_workbook(form)
    sheet = book.worksheets[0]
    header = next(c.row for c in sheet["D"] if c.value == "三级指标")
    column = next(c.column for c in sheet[header] if c.value == "得分")
    row = next(c.row for c in sheet["D"] if c.value and "系统故障率" in str(c.value))
    sheet.cell(row=row, column=column).value = "约5"
    book.save(form)
    pdfs = pdf_sources.libreoffice_pdfs([form], tmp_path)
    if pdfs is None:
        pytest.skip("没有安装 LibreOffice（soffice），无法把自评表打印成 PDF，跳过")
    out_dir = tmp_path / "projects" / "2021"
    code = main(["import", str(pdfs[0]), "--out", str(out_dir), *FLAGS])
    out = capsys.readouterr().out
    assert code == 1, out  # written, but a value is missing
    assert "读不出的值（1 个，记录中写为“未公布”，请对照原文填写）" in out
    m = re.search(
        r"  (第 1 页，表 1 第 \d+ 行第 \d+ 列)：指标“系统故障率”的得分读不出（“约5”不是可以识别的数字），记为“未公布”",
        out,
    )
    assert m, out
    text = (out_dir / "bayannur-treasury-epay.toml").read_text(encoding="utf-8")
    leaf = next(i for i in tomli.loads(text)["indicator"] if i["name"] == "系统故障率")
    assert leaf["score"] == "未公布" and "weight" in leaf
    assert f'score = "未公布"  # {m.group(1)}：读不出（“约5”不是可以识别的数字）' in text
    assert "结果：记录已写入，但有 1 个值读不出" in out


def test_sheet_names_a_page_of_the_pdf(printed):
    """--sheet for a PDF takes a page: page 2 holds the 执行监控表 alone."""
    _book, pdf = printed["bayannur-treasury-epay"]
    result = read_form(str(pdf), sheet="2")
    assert result.layout == "monitoring" and result.sheet == "第 2 页"
    with pytest.raises(Exception, match="没有第 7 页的表格.*有表格的部分：第 1 页、第 2 页"):
        read_form(str(pdf), sheet="7")


def test_the_writer_puts_a_note_beside_each_value():
    """dump_record(comments=…): a note after the value, also after a multi-line string and in a table array;
    the TOML reads back the same."""
    from generator.authoring.toml_writer import dump_record

    data = {
        "id": "x",
        "name": "项目",
        "indicator": [
            {"path": [], "name": "甲", "score": Decimal("5.00")},
            {"path": ["产出"], "name": "乙", "reason": "第一行\n第二行", "score": "未公布"},
        ],
    }
    comments = {
        ("name",): "第 1 页，表 1 第 1 行第 2 列",
        ("indicator", 1, "reason"): "第 2 页，表 1 第 3 行第 9 列",
        ("indicator", 1, "score"): "第 2 页，表 1 第 3 行第 8 列：读不出",
    }
    text = dump_record(data, comments=comments)
    assert 'name = "项目"  # 第 1 页，表 1 第 1 行第 2 列\n' in text
    assert '第二行"""  # 第 2 页，表 1 第 3 行第 9 列\n' in text
    assert 'score = "未公布"  # 第 2 页，表 1 第 3 行第 8 列：读不出\n' in text
    assert "score = 5.00\n" in text  # no note given, none written
    assert tomli.loads(text, parse_float=Decimal) == data


def test_a_scanned_page_in_a_form_is_named_and_the_rest_imported(printed, tmp_path, capsys):
    """Page 2 (the 执行监控表) scanned: page 1 is imported, page 2 named as having no text layer."""
    _book, pdf = printed["bayannur-treasury-epay"]
    mixed = pdf_sources.image_only(pdf, tmp_path / "部分扫描.pdf", pages=[2])
    out_dir = tmp_path / "projects" / "2021"
    code = main(["import", str(mixed), "--out", str(out_dir), *FLAGS])
    out = capsys.readouterr().out
    assert code == 1
    assert "第 2 页: 没有文字层（扫描图像），这些页未读取" in out
    data = tomli.loads((out_dir / "bayannur-treasury-epay.toml").read_text(encoding="utf-8"), parse_float=Decimal)
    assert data["total"] == 80 and "monitoring" not in data
