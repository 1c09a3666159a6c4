"""Real forms as printed (issue 11): values the source left blank ("未公布"), a year it did not print, a table it
printed in part, and inconsistencies it published. A faithful record loads, every other check runs, the page says
未公布 where the source did, and the discrepancies are warnings under 数据核对 — never a record dropped."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.authoring.toml_writer import dump_record
from generator.core import diagnostics as dg
from generator.core.loader import load_file
from generator.core.pipeline import evaluate_file, run
from generator.core.report import project_report
from generator.core.schemes import load_library
from generator.publish.memory import build_in_memory
from generator.publish.site import SiteRequest
from generator.render.downloads import indicator_rows, project_row
from generator.render.guide.codes import diagnostic_codes_page
from generator.render.outputs import render_one
from generator.render.project import SiteOptions, finding_groups

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2025, 1, 1)
MD = "## 一、概况\n\n正文\n"

HEAD = """\
id = "{id}"
name = "{name}"
year = 2023
region = "某省某市"
department = "某市财政局"
evaluation = "单位自评"
evaluator = "某市财政局"
date = "2024-03"
status = "published"
"""

ROWS = """
[[indicator]]
path = ["产出"]
name = "数量"
target = "≥10 个"
actual = "10 个"
weight = 10
score = 10

[[indicator]]
path = ["产出"]
name = "质量"
target = "≥95%"
actual = "96%"
weight = 10
score = 10
"""


def head(slug: str = "x", name: str = "测试项目", **replace: str) -> str:
    """The record's top-level fields, with `field=value` lines replaced (value written as TOML)."""
    text = HEAD.format(id=slug, name=name)
    for key, value in replace.items():
        text, n = re.subn(rf"^{key} = .*$", f"{key} = {value}", text, flags=re.M)
        if not n:
            text += f"{key} = {value}\n"
    return text


def write(base: Path, slug: str, text: str, md: str | None = MD, folder: str = "2023") -> Path:
    path = base / "projects" / folder / f"{slug}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if md is not None:
        path.with_suffix(".md").write_text(md, encoding="utf-8")
    return path


def checked(base: Path):
    result = run([str(base / "projects")])
    return result, {ev.record.slug: ev for ev in result.evaluations}


def codes(result, slug: str) -> list[str]:
    return [d.code for d in result.diagnostics if Path(d.file).stem == slug]


def pages(base: Path) -> dict[str, str]:
    _, built = build_in_memory(SiteRequest(str(base / "projects"), SiteOptions(), TODAY, workers=1))
    return {path: page.content for path, page in built.items()}


def public_texts(ev) -> list[str]:
    return [text for _, texts in finding_groups(ev.diagnostics) for text in texts]


def fact(page: str, label: str) -> str:
    """The value of a row of the page's facts table (评价年度, 主管部门…), without markup."""
    m = re.search(rf"<tr><th>{label}</th><td>(.*?)</td></tr>", page)
    assert m, label
    return re.sub(r"<[^>]+>", "", m.group(1))


# ---------------------------------------------------------------------------- 未公布 in the identity


def test_department_not_published_loads_and_every_listing_copes(tmp_path):
    write(tmp_path, "blank", head("blank", department='"未公布"', total="20") + ROWS)
    write(tmp_path, "named", head("named", name="另一个项目", total="20") + ROWS)
    result, evs = checked(tmp_path)
    assert result.ok and codes(result, "blank") == []
    record = evs["blank"].record
    assert record.department is None and "department" in record.unpublished

    site = pages(tmp_path)
    page = site["projects/2023/blank.md"]
    assert fact(page, "主管部门") == "未公布"
    assert 'href="../../../departments/not-published/"' in page
    index = site["departments/index.md"]
    # a group of its own, after the departments that are named
    assert "主管部门未公布</a>（1 个）" in index
    assert index.index("某市财政局") < index.index("主管部门未公布")
    assert (
        "测试项目" in site["departments/not-published.md"] and "另一个项目" not in site["departments/not-published.md"]
    )
    assert "测试项目" not in site["departments/某市财政局.md"]
    table = site["projects/index.md"]
    assert 'data-department="未公布"' in table and '<option value="未公布">未公布</option>' in table
    assert project_row(evs["blank"])[4] == "未公布"


def test_department_left_empty_is_an_error_but_the_record_is_still_checked(tmp_path, run_cli):
    """ "" is "not filled": an error (the record is not published), yet `report` returns it with every other check."""
    write(tmp_path, "x", head(department='""', total="5") + ROWS)
    proc = run_cli("report", "projects", cwd=tmp_path)
    assert proc.returncode == 1
    [project] = json.loads(proc.stdout)["projects"]
    found = [d["code"] for d in project["diagnostics"]]
    assert "E101" in found and "W205" in found  # the total is still checked: 5 against 20


def test_required_fields_left_out_keep_the_record_in_report(tmp_path, run_cli):
    text = head(total="9") + ROWS
    text = text.replace('department = "某市财政局"\n', "").replace('date = "2024-03"', 'date = ""')
    write(tmp_path, "x", text)
    proc = run_cli("report", "projects", cwd=tmp_path)
    [project] = json.loads(proc.stdout)["projects"]
    errors = [d["message"] for d in project["diagnostics"] if d["code"] == "E101"]
    assert len(errors) == 2 and all('"未公布"' in m for m in errors)  # each says how to record a blank in the source
    assert any(d["code"] == "W205" for d in project["diagnostics"])
    assert project["indicators"][0]["computed_score"] == 10


def test_evaluator_date_and_implementer_not_published(tmp_path):
    text = head(evaluator='"未公布"', date='"未公布"', implementer='"未公布"', total="20") + ROWS
    write(tmp_path, "x", text)
    result, evs = checked(tmp_path)
    assert result.ok and codes(result, "x") == []
    page = pages(tmp_path)["projects/2023/x.md"]
    assert fact(page, "评价机构") == fact(page, "评价日期") == fact(page, "实施单位") == "未公布"
    row = project_row(evs["x"])
    assert row[5:9] == ["未公布", "单位自评", "未公布", "未公布"]


# ---------------------------------------------------------------------------- no evaluation year


def test_year_not_published_is_filed_under_the_year_the_source_was_published(tmp_path):
    write(tmp_path, "x", head(year='"未公布"', filed_year="2023", total="20") + ROWS)
    write(tmp_path, "y", head("y", name="同年项目", total="20") + ROWS)
    result, evs = checked(tmp_path)
    assert result.ok and codes(result, "x") == []
    ev = evs["x"]
    assert ev.record.year is None and ev.record.filing_year == 2023
    report = project_report(ev)
    assert (report["year"], report["filed_year"], report["not_published"]) == (None, 2023, ["year"])

    site = pages(tmp_path)
    page = site["projects/2023/x.md"]  # filed, and addressed, under filed_year
    assert fact(page, "评价年度") == "未公布"
    assert '<p class="pd-subtitle">评价年度未公布 · 单位自评' in page
    assert "2023 年度" not in page
    years = site["years/index.md"]
    assert "评价年度未公布</a>（1 个）" in years and "2023 年度</a>（1 个）" in years
    assert "测试项目" in site["years/not-published.md"] and "测试项目" not in site["years/2023.md"]
    assert '<tr data-year="未公布"' in site["projects/index.md"]
    assert indicator_rows(ev)[0][1] == "未公布"


def test_year_not_published_needs_its_filing_year(tmp_path):
    path = write(tmp_path, "x", head(year='"未公布"', total="20") + ROWS)
    result, evs = checked(tmp_path)
    [e] = [d for d in result.diagnostics if d.code == "E101"]
    assert e.line == 3 and "filed_year" in e.message
    assert "x" in evs  # still checked and reported
    path.write_text(head(year='"未公布"', filed_year="2022", total="20") + ROWS, encoding="utf-8")
    result, _ = checked(tmp_path)
    [e] = [d for d in result.diagnostics if d.code == "E126"]
    assert "filed_year = 2022" in e.message and e.line == text_line(path, "filed_year")


def test_filed_year_is_only_for_a_year_not_published(tmp_path):
    path = write(tmp_path, "x", head(filed_year="2023", total="20") + ROWS)
    result, _ = checked(tmp_path)
    [w] = [d for d in result.diagnostics if d.code == "W151"]
    assert result.ok and w.line == text_line(path, "filed_year")
    write(tmp_path, "far", head("far", year='"未公布"', filed_year="2999", total="20") + ROWS, folder="2999")
    result, _ = checked(tmp_path)
    [e] = [d for d in result.diagnostics if d.code == "E130"]
    assert "filed_year = 2999" in e.message


def text_line(path: Path, key: str) -> int:
    return next(i for i, ln in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if ln.startswith(key))


# ---------------------------------------------------------------------------- the total


def test_total_not_published_on_a_scored_table(tmp_path):
    write(tmp_path, "x", head(total='"未公布"', grade='"未公布"') + ROWS.replace('actual = "96%"', 'actual = "76%"'))
    result, evs = checked(tmp_path)
    assert result.ok and "E101" not in codes(result, "x")
    ev = evs["x"]
    report = project_report(ev)
    assert report["declared_total"] is None and report["computed_total"] == 18
    assert report["not_published"] == ["total", "grade"]
    page = pages(tmp_path)["projects/2023/x.md"]
    assert "总分 <strong>未公布</strong>" in page and "等级未公布" in page
    assert "复核得分 <strong>18</strong>" in page  # the recomputation is still shown
    assert re.search(
        r'<th scope="row" colspan="\d+">合计</th><td class="pd-num">20</td><td class="pd-num">未公布</td>', page
    )
    assert project_row(ev)[10:12] == ["未公布", "未公布"]


def test_a_lost_total_is_still_an_error_that_says_how_to_record_it(tmp_path):
    write(tmp_path, "x", head() + ROWS)
    result, evs = checked(tmp_path)
    [e] = [d for d in result.diagnostics if d.code == "E101"]
    assert 'total = "未公布"' in e.message
    assert "x" in evs


# ---------------------------------------------------------------------------- weights and scores not published

GROUP_WEIGHTS_ONLY = """
max_score = 100
total = "{total}"

[[group]]
path = ["产出"]
weight = 60

[[group]]
path = ["效益"]
weight = 40

[[indicator]]
path = ["产出"]
name = "数量"
target = "≥10 个"
actual = "10 个"
weight = "未公布"
score = 30

[[indicator]]
path = ["产出"]
name = "质量"
target = "≥95%"
actual = "90%"
weight = "未公布"
score = 28
reason = "合格率未达标"

[[indicator]]
path = ["效益"]
name = "效果"
target = "明显提升"
actual = "明显提升"
weight = "未公布"
score = 38
reason = "个别单位效果一般"
"""


def test_a_form_printing_group_weights_only(tmp_path):
    """Rows without weights are not re-scored one by one; the groups are checked as a whole, and no computed total
    is claimed (it would silently equal the published one)."""
    write(tmp_path, "x", head().rstrip("\n") + GROUP_WEIGHTS_ONLY.format(total="96").replace('"96"', "96"))
    result, evs = checked(tmp_path)
    assert result.ok
    assert [c for c in codes(result, "x") if c not in ("W204",)] == ["I245"]  # one note, at the first such row
    ev = evs["x"]
    report = project_report(ev)
    assert report["computed_total"] is None and report["computed_total_scope"] == "not_computable"
    assert all(i["computed_score"] is None and i["not_published"] == ["weight"] for i in report["indicators"])
    [note] = public_texts(ev)
    assert note.startswith("公布材料没有给出 3 项指标的分值（“数量”、“质量”、“效果”）")
    page = pages(tmp_path)["projects/2023/x.md"]
    assert "复核总分 <strong>无法计算</strong>" in page
    assert page.count('<td class="pd-num">未公布</td>') == 3
    assert '产出<span class="pd-sub">分值 60 · 得分 58' in page  # the group shows its printed weight
    # the group as a whole: its scores cannot exceed its weight
    path = Path(ev.record.file)
    path.write_text(path.read_text(encoding="utf-8").replace("score = 38", "score = 41"), encoding="utf-8")
    result, evs = checked(tmp_path)
    [w] = [d for d in result.diagnostics if d.code == "W243"]
    assert "“效益”的分值为 40 分，其下各项指标公布得分相加为 41 分，超过该分值。" == w.public


def test_weights_left_out_are_for_editors(tmp_path):
    write(tmp_path, "x", head(total="20") + ROWS.replace("weight = 10\n", ""))
    result, evs = checked(tmp_path)
    found = [d for d in result.diagnostics if d.code == "W244"]
    assert len(found) == 2 and result.ok
    assert public_texts(evs["x"]) == []  # how the file is written is not a finding about the source
    assert evs["x"].computed_total is None


def test_scores_not_published_check_the_total_by_its_bounds(tmp_path):
    rows = ROWS.replace("score = 10\n\n", 'score = "未公布"\n\n', 1)  # 数量 (10) not published, 质量 10
    write(tmp_path, "inside", head("inside", total="15") + rows)
    write(tmp_path, "above", head("above", total="25") + rows)
    write(tmp_path, "below", head("below", total="8") + rows)
    result, evs = checked(tmp_path)
    assert result.ok
    assert "W215" not in codes(result, "inside")  # said 未公布: not a value still to fill
    [inside] = public_texts(evs["inside"])
    assert inside == "1 项指标的得分未公布（“数量”），总分无法逐项核对；公布总分 15 分在可能的范围 10–20 分之内。"
    [above] = public_texts(evs["above"])
    assert above == (
        "公布总分为 25 分；1 项指标的得分未公布，已公布的得分相加为 10 分，加上其余指标最多能得的 10 分，总分最多为 20 分。"
    )
    [below] = public_texts(evs["below"])
    assert below == "公布总分为 8 分，低于已公布的各项指标得分之和 10 分（1 项指标的得分未公布）。"
    assert [d.severity for d in evs["above"].diagnostics] == [dg.Severity.WARNING]
    page = pages(tmp_path)["projects/2023/above.md"]
    assert '<td class="pd-num pd-score-cell">未公布</td>' in page and "总分最多为 20 分" in page


def test_a_score_left_out_is_bounded_too(tmp_path):
    write(tmp_path, "x", head(total="25") + ROWS.replace("score = 10\n\n", "\n", 1))
    result, _ = checked(tmp_path)
    assert {"W215", "W246"} <= set(codes(result, "x"))


def test_bounds_respect_the_published_rounding(tmp_path):
    rows = ROWS.replace("score = 10\n\n", 'score = "未公布"\n\n', 1).replace("score = 10\n", "score = 9.96\n")
    rows = rows.replace('actual = "96%"', 'actual = "95.6%"')
    write(tmp_path, "x", head(total="10") + rows)  # 9.96 printed as a whole 10: rounding, not a discrepancy
    result, _ = checked(tmp_path)
    assert "W247" not in codes(result, "x") and "I249" in codes(result, "x")


def test_a_computed_total_above_the_maximum_has_its_own_warning(tmp_path):
    write(tmp_path, "x", head(total="20", max_score="15") + ROWS)
    result, evs = checked(tmp_path)
    assert result.ok
    texts = public_texts(evs["x"])
    assert "按评分规则复核，复核总分为 20 分，超过满分 15 分（各项指标的分值相加为 20 分）。" in texts
    assert "各一级指标的分值相加为 20 分，与满分 15 分不符。" in texts


# ---------------------------------------------------------------------------- a table printed in part

EXCERPT = """
max_score = 100

[form]
excerpt = "表格在“产出指标”之后截断（原文仅公布第 1 页）"

[[group]]
path = ["产出"]
weight = 50

[[group]]
path = ["效益"]
weight = 30
"""


def test_an_excerpt_gets_one_notice_instead_of_reports_on_what_was_never_printed(tmp_path):
    body = EXCERPT + ROWS
    write(tmp_path, "cut", head("cut").rstrip("\n") + body)
    write(tmp_path, "whole", head("whole", name="未注明截断").rstrip("\n") + body.replace("excerpt =", "# excerpt ="))
    result, evs = checked(tmp_path)
    # without the excerpt the same table is missing its total, rows and weights
    assert {"E101", "W241", "W242", "W218"} <= set(codes(result, "whole"))
    assert codes(result, "cut") == ["I250"]
    ev = evs["cut"]
    [notice] = public_texts(ev)
    assert (
        notice
        == "公布材料仅包含评价表的一部分（表格在“产出指标”之后截断（原文仅公布第 1 页）），以下按已公布部分核对。"
    )
    report = project_report(ev)
    assert (report["computed_total"], report["computed_total_scope"], report["grade"]) == (20, "partial", None)
    assert report["excerpt"].startswith("表格在")
    page = pages(tmp_path)["projects/2023/cut.md"]
    assert "已公布部分合计" in page and "已公布部分复核合计 <strong>20</strong>" in page
    assert ">合计<" not in page  # never labelled as the complete total
    assert "复核得分 <strong>" not in page


def test_an_excerpt_with_a_printed_total_is_checked_by_bounds(tmp_path):
    write(tmp_path, "low", head("low", total="15").rstrip("\n") + EXCERPT + ROWS)
    write(tmp_path, "high", head("high", total="105").rstrip("\n") + EXCERPT + ROWS)
    write(tmp_path, "fine", head("fine", total="88").rstrip("\n") + EXCERPT + ROWS)
    result, evs = checked(tmp_path)
    assert codes(result, "fine") == ["I250"]  # in range: the one notice says it all
    assert "公布总分为 15 分，低于已公布的各项指标得分之和 20 分（评价表只公布了一部分）。" in public_texts(evs["low"])
    [high] = [d for d in result.diagnostics if d.code == "W246"]
    assert (
        "已公布的得分相加为 20 分，加上其余指标最多能得的 80 分" in high.public and "总分最多为 100 分" in high.public
    )
    page = pages(tmp_path)["projects/2023/fine.md"]
    assert re.search(r'公布总分</th><td class="pd-num">100</td><td class="pd-num">88</td>', page)


# ---------------------------------------------------------------------------- the narrative


def test_narrative_not_published(tmp_path):
    write(tmp_path, "x", head(total="20", narrative='"未公布"') + ROWS, md=None)
    result, evs = checked(tmp_path)
    assert result.ok and codes(result, "x") == []
    assert "评价报告正文：未公布" in pages(tmp_path)["projects/2023/x.md"]
    assert project_report(evs["x"])["not_published"] == ["narrative"]


def test_narrative_marker_with_a_narrative_file_publishes_the_file(tmp_path):
    write(tmp_path, "x", head(total="20", narrative='"未公布"') + ROWS)
    result, _ = checked(tmp_path)
    assert result.ok and codes(result, "x") == ["W150"]
    assert "正文" in pages(tmp_path)["projects/2023/x.md"]


def test_a_missing_narrative_without_the_marker_stays_an_error(tmp_path):
    write(tmp_path, "x", head(total="20") + ROWS, md=None)
    result, evs = checked(tmp_path)
    [e] = [d for d in result.diagnostics if d.code == "E110"]
    assert 'narrative = "未公布"' in e.message and "x" in evs


# ---------------------------------------------------------------------------- budget and downloads

BUDGET = """
[budget]
unit = "万元"
budget = 100
executed = "未公布"
rate = 90

[[budget.sources]]
name = "财政拨款"
budget = 100
executed = "未公布"
rate = "未公布"
"""


def test_budget_figures_not_published(tmp_path):
    rows = ROWS.replace('actual = "10 个"', 'actual = "未公布"')
    write(tmp_path, "x", head(total="20").rstrip("\n") + "\n" + BUDGET + rows)
    result, evs = checked(tmp_path)
    assert result.ok
    ev = evs["x"]
    assert ev.execution_rate is None and set(codes(result, "x")) <= {"I219"}
    [i219] = [d for d in ev.diagnostics if d.code == "I219"]
    assert "原文未公布" in i219.message  # not "未填写": the source left it blank
    page = pages(tmp_path)["projects/2023/x.md"]
    budget = page.split('<table class="pd-budget">', 1)[1].split("</table>", 1)[0]
    assert "<td>100.00</td><td>未公布</td><td>90%</td>" in budget  # the published rate, the amount not published
    assert "<td>未公布</td><td>未公布</td></tr>" in budget
    csv_rows = indicator_rows(ev)
    assert csv_rows[0][6] == "未公布"
    assert project_row(ev)[-2:] == ["未公布", ""]


def test_downloads_carry_the_marker(tmp_path):
    write(
        tmp_path,
        "x",
        head(department='"未公布"', total='"未公布"') + ROWS.replace("score = 10\n\n", 'score = "未公布"\n\n', 1),
    )
    result, evs = checked(tmp_path)
    rendered = render_one(evs["x"], SiteOptions())
    files = {asset.path.rsplit(".", 1)[1]: asset.content for asset in rendered.output.assets}
    rows = list(csv.reader(io.StringIO(files["csv"].decode("utf-8-sig"))))
    assert rows[1][8] == "未公布"
    data = json.loads(files["json"])
    assert data["not_published"] == ["department", "total", "indicator[0].score"]
    assert tomli.loads(files["toml"].decode("utf-8"))["department"] == "未公布"
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(files["xlsx"])).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert values.count("未公布") >= 3  # the department, a score, the total


def test_the_toml_writer_keeps_the_marker(tmp_path):
    path = write(
        tmp_path,
        "x",
        head(department='"未公布"', total='"未公布"') + ROWS.replace("weight = 10\n", 'weight = "未公布"\n', 1),
    )
    record, _ = load_file(str(path))
    assert record is not None
    again = tomli.loads(dump_record(record))
    assert again["department"] == again["total"] == again["indicator"][0]["weight"] == "未公布"


# ---------------------------------------------------------------------------- the severity model in the registry


def test_downgraded_codes_keep_their_numbers_free():
    for old, new in dg.RETIRED.items():
        assert old not in dg.CODES
        assert not any(code[1:] == old[1:] for code in dg.CODES), old  # never reused with another meaning
        for code in new.split("、"):
            assert dg.CODES[code].severity is not dg.Severity.ERROR
    page = diagnostic_codes_page()
    assert "## 什么算错误" in page and "## 已停用的代码" in page
    assert "| E202 | [W242](codes.md#w242) |" in page


def test_every_source_discrepancy_is_a_warning_the_public_reads():
    for code in ("W241", "W242", "W243", "W246", "W247", "W248", "I245", "I249", "I250"):
        assert dg.CODES[code].listing is dg.Listing.SCORES, code


# ---------------------------------------------------------------------------- property: 未公布 never drops a record

SEED = ROOT / "projects" / "2021" / "dapeng-treasury-funds.toml"
_TOP = ("department", "implementer", "evaluator", "date", "total", "grade", "year")
_ROW = ("weight", "score", "target", "actual", "reason")
_BUDGET = ("initial", "budget", "executed", "rate", "adjustment", "adjustment_rate", "arrived")


def _candidates(data: dict) -> list[tuple]:
    out: list[tuple] = [(k,) for k in _TOP]
    out += [("indicator", i, k) for i in range(len(data.get("indicator", []))) for k in _ROW]
    out += [("budget", k) for k in _BUDGET]
    for table in ("sources", "items"):
        out += [
            ("budget", table, i, k)
            for i in range(len(data["budget"].get(table, [])))
            for k in ("budget", "executed", "rate")
        ]
    out += [("narrative",)]
    return out


_SEED_DATA = tomli.loads(SEED.read_text(encoding="utf-8"), parse_float=Decimal)
_LIBRARY = load_library(None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sets(st.sampled_from(_candidates(_SEED_DATA)), max_size=25))
def test_any_fields_not_published_never_drop_a_record(keys):
    data = tomli.loads(dump_record(_SEED_DATA), parse_float=Decimal)  # a fresh copy of the seed
    for key in keys:
        node = data
        for part in key[:-1]:
            node = node[part]
        node[key[-1]] = "未公布"
    if ("year",) in keys:
        data["filed_year"] = 2021
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "projects" / "2021"
        folder.mkdir(parents=True)
        path = folder / SEED.name
        path.write_text(dump_record(data), encoding="utf-8")
        if ("narrative",) not in keys:
            path.with_suffix(".md").write_text(SEED.with_suffix(".md").read_text(encoding="utf-8"), encoding="utf-8")
        outcome = evaluate_file(str(path), _LIBRARY)
        assert outcome.evaluation is not None, [d.to_text() for d in outcome.diagnostics]
        errors = [d.to_text() for d in outcome.diagnostics if d.severity is dg.Severity.ERROR]
        assert errors == []
        record = outcome.evaluation.record
        assert set(record.not_published()) == {k for k in keys}
        render_one(outcome.evaluation, SiteOptions())  # and the page and downloads are made
