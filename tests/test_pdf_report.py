"""A report's pages as narrative Markdown (generator/office/pdf_report.py), from laid-out lines.

Lines are given with the positions a typeset report has (A4 points: body text 12 pt from x = 72 to 523,
首行缩进 24 pt): wrapped lines join into paragraphs, also over a page break; a short line ends one; the
Chinese numbering makes headings; the running head and page numbers are left out. A report printed by
Chromium is tested end to end in tests/site/test_pdf_print.py.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pypdfium2", reason="没有安装 PDF 导入组件 pypdfium2（pip install -e '.[pdf]'），跳过 PDF 导入测试")

from generator.office.pdf_layout import PageLayout, TextLine  # noqa: E402
from generator.office.pdf_read import PdfPage  # noqa: E402
from generator.office.pdf_report import escape_inline, layouts_to_markdown  # noqa: E402

LEFT, RIGHT, SIZE = 72.0, 523.0, 12.0


def line(y: float, text: str, *, x0: float = LEFT, x1: float = RIGHT, size: float = SIZE) -> TextLine:
    return TextLine(y0=y, y1=y + size, x0=x0, x1=x1, pieces=[(x0, x1, text)], height=size)


def page(number: int, lines: list[TextLine]) -> PageLayout:
    return PageLayout(PdfPage(number, 595.0, 842.0), list(lines))


def furniture(number: int) -> list[TextLine]:
    return [
        line(30, "2021年国库集中支付电子化服务项目绩效自评报告", x0=200, x1=395, size=9),
        line(800, f"- {number} -", x0=290, x1=305, size=9),
    ]


def test_lines_become_paragraphs_and_headings():
    first = [
        line(80, "2021年国库集中支付电子化服务项目绩效自评报告", x0=130, x1=465, size=18),
        line(120, "一、项目基本情况", x1=170),
        line(140, "（一）项目基本情况简介", x1=200),
        line(160, "2021年，市财政综合保障中心认真贯彻落实财政工作会议精神，抓好信息员队伍建设，扎实推动信息", x0=96),
        line(178, "宣传工作和信息化管理，加大推进国库集中支付电子化服务。", x1=400),
        line(196, "同时有效减轻了代理银行工作压力，提高了效率，降低了风险，提高了工作效率，节省了大量的时间和", x0=96),
        line(214, "人力，体现了财政授权支付业务的高效与安全，详见第 3 页的表格和以下各节的说明，这一段"),
        line(232, "跨过页底，在下一页接着写。这一行写满了整个版心的宽度，所以下一页的第一行是它的续行，接"),
    ]
    second = [
        line(80, "着写完。", x1=120),
        line(100, "1.项目资金投入情况", x1=190),
        line(120, "二、绩效自评工作情况", x1=180),
        line(140, "项目计划投资额为22.5万元，实际到位资金为22.5万元。", x0=96, x1=400),
    ]
    markdown = layouts_to_markdown([page(1, furniture(1) + first), page(2, furniture(2) + second)])
    assert markdown.split("\n\n") == [
        "# 2021年国库集中支付电子化服务项目绩效自评报告",
        "## 一、项目基本情况",
        "### （一）项目基本情况简介",
        "2021年，市财政综合保障中心认真贯彻落实财政工作会议精神，抓好信息员队伍建设，扎实推动信息"
        "宣传工作和信息化管理，加大推进国库集中支付电子化服务。",
        "同时有效减轻了代理银行工作压力，提高了效率，降低了风险，提高了工作效率，节省了大量的时间和"
        "人力，体现了财政授权支付业务的高效与安全，详见第 3 页的表格和以下各节的说明，这一段"
        "跨过页底，在下一页接着写。这一行写满了整个版心的宽度，所以下一页的第一行是它的续行，接着写完。",
        "#### 1.项目资金投入情况",
        "## 二、绩效自评工作情况",
        "项目计划投资额为22.5万元，实际到位资金为22.5万元。\n",
    ]


@pytest.mark.parametrize(
    "text", ["7*24 小时", "见 <附件>", "1. 开头像列表", "# 不是标题", "a_b [c]", "- 减号", "> 引号", "\\"]
)
def test_markdown_characters_are_escaped_as_the_word_import_does(text):
    docx_md = pytest.importorskip("generator.office.docx_md", reason="python-docx 未安装（[office]），无法比较")
    assert escape_inline(text) == docx_md.escape_inline(text)
    assert escape_inline(text, line_start=False) == docx_md.escape_inline(text, line_start=False)
