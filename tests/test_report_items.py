"""`import` fills [[problems]] and [[recommendations]] from a report's 问题 / 建议 headings (issue 17), marked for
review: the heuristic on Markdown (office/report_items.py), on a Word report built here, and on the seeds' narratives
(where it must find what the seed records carry, word for word)."""

from __future__ import annotations

import importlib.util
from decimal import Decimal as D
from pathlib import Path

import pytest
import tomli

from generator.cli.main import main
from generator.core.pipeline import run as run_pipeline
from generator.office import docx_to_markdown
from generator.office.report_items import REVIEW_MARK, Item, mark_for_review, split_report

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "office_fixture_builders", Path(__file__).parent / "fixtures" / "office" / "builders.py"
)
builders = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(builders)


# ---------------------------------------------------------------------------- the heuristic on Markdown


def test_sub_headings_are_the_items():
    md = """## 五、主要经验及做法、存在的问题及原因分析

### （一）主要经验及做法

严把审核关。

### （二）存在的问题及原因分析

#### 1. 项目绩效指标设置不够完整

质量指标仅设置“软件系统正常运行率”。

#### 2. 部分子项目招标价格需加强论证

对每项价格没有进行充分论证。

## 六、有关建议

### （一）设置完整的项目绩效指标体系

建议增加“投诉次数”等指标。

### （二）加强招标价格论证

邀请行业专家论证。
"""
    found = split_report(md)
    assert found.problem_heading == "（二）存在的问题及原因分析"  # not the heading that also names 经验
    assert found.problems == [
        Item("项目绩效指标设置不够完整", "质量指标仅设置“软件系统正常运行率”。"),
        Item("部分子项目招标价格需加强论证", "对每项价格没有进行充分论证。"),
    ]
    assert found.recommendation_heading == "六、有关建议"
    assert [x.title for x in found.recommendations] == ["设置完整的项目绩效指标体系", "加强招标价格论证"]
    tables = found.record_tables()  # as many recommendations as problems: paired in order, for review
    assert [r["answers"] for r in tables["recommendations"]] == [["p1"], ["p2"]]
    assert [p["key"] for p in tables["problems"]] == ["p1", "p2"]
    assert "category" not in tables["problems"][0]  # never guessed


def test_paragraphs_led_by_a_title_inside_groups():
    md = """## 六、存在的问题及原因分析

### （一）预算管理层面

预算编制精细度欠佳：预算编制时，估计不足。

### （二）运维服务质量层面

1\\.平台故障响应与修复仍有提升空间：部分复杂故障的处理时间较长。

2\\.运维服务的主动性不足：运维工作以被动响应为主。

原因在于服务意识不够强。

## 七、有关建议

统一加强管理：建立机制。
"""
    found = split_report(md)
    assert found.problems == [
        Item("预算编制精细度欠佳", "预算编制时，估计不足。"),
        Item("平台故障响应与修复仍有提升空间", "部分复杂故障的处理时间较长。"),
        Item("运维服务的主动性不足", "运维工作以被动响应为主。\n原因在于服务意识不够强。"),
    ]
    assert found.recommendations == [Item("统一加强管理", "建立机制。")]
    assert "answers" not in found.record_tables()["recommendations"][0]  # 3 problems, 1 recommendation: not paired


def test_nothing_and_plain_paragraphs():
    md = """## 四、存在问题

### (一)项目立项、实施存在问题

无

### (二)资金管理使用存在问题

国库集中支付电子化服务实施完成，但未进行验收，部分项目资金未支付。

## 五、其他需要说明的问题

后续工作计划。
"""
    found = split_report(md)
    assert found.problems == [
        Item("资金管理使用存在问题", "国库集中支付电子化服务实施完成，但未进行验收，部分项目资金未支付。")
    ]
    assert found.recommendations == []
    single = split_report("## 项目管理存在的问题及原因\n\n随着需求变化，建设周期不充裕。\n")
    assert single.problems == [Item("随着需求变化", "随着需求变化，建设周期不充裕。")]  # titled by its first clause
    assert split_report("## 一、项目基本情况\n\n正文。\n").problems == []


def test_mark_for_review_comments_each_table():
    text = '[[problems]]\nkey = "p1"\n\n[[recommendations]]\nkey = "r1"\n'
    marked = mark_for_review(text)
    assert marked.count(REVIEW_MARK + "\n[[") == 2
    assert tomli.loads(marked) == tomli.loads(text)


@pytest.mark.parametrize("slug", ["dapeng-treasury-funds", "fumin-finance-platforms"])
def test_the_seed_narratives_give_the_seed_records_items(slug):
    """On the two reports with titled items, the heuristic finds exactly what the seed records carry."""
    toml = next(ROOT.glob(f"projects/*/{slug}.toml"))
    record = tomli.loads(toml.read_text(encoding="utf-8"))
    found = split_report(toml.with_suffix(".md").read_text(encoding="utf-8"))
    assert [(x.title, x.text) for x in found.problems] == [(p["title"], p["text"]) for p in record["problems"]]
    assert [(x.title, x.text) for x in found.recommendations] == [
        (r["title"], r["text"]) for r in record["recommendations"]
    ]


# ---------------------------------------------------------------------------- a Word report, through `import`


def _report(path: Path, styled: bool) -> Path:
    from docx import Document

    doc = Document()

    def heading(text: str, level: int) -> None:
        if styled:
            doc.add_heading(text, level=level)
        else:
            doc.add_paragraph(text)

    heading("2021 年国库集中支付电子化服务项目绩效自评报告", 1)
    heading("一、项目基本情况", 2)
    doc.add_paragraph("项目共设定一个项目标。")
    heading("二、存在的问题及原因分析", 2)
    heading("（一）资金管理层面", 3)
    doc.add_paragraph("资金支付不及时：系统已上线运行，但未验收，部分资金未支付。")
    heading("（二）运维管理层面", 3)
    doc.add_paragraph("1.运维响应偏慢：复杂故障的处理时间较长。")
    heading("三、有关建议", 2)
    heading("（一）尽快组织验收", 3)
    doc.add_paragraph("抓紧时间，尽快对系统进行验收并支付余款。")
    heading("（二）加强运维团队建设", 3)
    doc.add_paragraph("定期组织技术培训。")
    doc.save(str(path))
    return path


@pytest.mark.parametrize("styled", [True, False])
def test_import_fills_problems_from_a_word_report_marked_for_review(tmp_path, capsys, styled):
    form = builders.build_national(tmp_path / "自评表.xlsx")
    report = _report(tmp_path / "报告.docx", styled)
    md, _ = docx_to_markdown(str(report))
    assert "## 二、存在的问题及原因分析" in md  # from the heading style, or from the numbering typed by hand
    out_dir = tmp_path / "projects" / "2021"
    code = main(
        [
            "import",
            str(form),
            str(report),
            "--out",
            str(out_dir),
            "--id",
            "epay-test",
            "--region",
            "某市",
            "--evaluator",
            "某中心",
        ]  # fmt: skip
    )
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in out + err, out + err
    toml_path = out_dir / "epay-test.toml"
    text = toml_path.read_text(encoding="utf-8")
    data = tomli.loads(text, parse_float=D)
    assert data["problems"] == [
        {"key": "p1", "title": "资金支付不及时", "text": "系统已上线运行，但未验收，部分资金未支付。"},
        {"key": "p2", "title": "运维响应偏慢", "text": "复杂故障的处理时间较长。"},
    ]
    assert data["recommendations"] == [
        {"key": "r1", "title": "尽快组织验收", "text": "抓紧时间，尽快对系统进行验收并支付余款。", "answers": ["p1"]},
        {"key": "r2", "title": "加强运维团队建设", "text": "定期组织技术培训。", "answers": ["p2"]},
    ]
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line in ("[[problems]]", "[[recommendations]]"):
            assert lines[i - 1] == REVIEW_MARK, i
    assert "从报告“二、存在的问题及原因分析”拆分出 2 个问题" in out and "标为待核对" in out
    assert "已按顺序一一对应" in out
    result = run_pipeline([str(toml_path)])
    assert [d.code for d in result.diagnostics if d.severity.value == "error"] == [], out
    assert [d.code for d in result.diagnostics if d.code.startswith("W5")] == ["W504", "W504"]  # 类别 to add
    narrative = (out_dir / "epay-test.md").read_text(encoding="utf-8")
    assert "资金支付不及时：系统已上线运行" in narrative  # the narrative keeps the report's text
