"""Problems found, recommendations and their follow-up across years (issue 17): the record format's checks (each at
file:line), the checks across records, the project page's 存在的问题 / 有关建议 / 整改情况 / 评价结果应用, the 问题清单,
a department's open problems, search, the JSON and CSV downloads, and the seeds' structured text."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from pathlib import Path

import pytest
import tomli
from test_public_findings import editor_words, visible_text

from generator.core import diagnostics as dg
from generator.core.pipeline import run
from generator.publish.memory import MemorySink, build_in_memory
from generator.publish.site import SiteRequest, build_site
from generator.render.problem_list import FINDINGS_PAGE, PROBLEMS_CSV
from generator.render.project import SiteOptions
from generator.render.search_text import terms

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path("/work/shared/seeds")
TODAY = dt.date(2025, 1, 1)


def head(*, pid: str = "proj-a", year: int = 2021, evaluation: str = "单位自评", status: str = "published") -> str:
    return f"""\
id = "{pid}"
name = "测试项目甲"
year = {year}
region = "某省某市"
department = "某市财政局"
evaluation = "{evaluation}"
evaluator = "某市财政局"
date = "{year}"
status = "{status}"
scored = false
"""


def problem(key: str, title: str, category: str | None = "决策", text: str | None = None) -> str:
    cat = f'category = "{category}"\n' if category else ""
    return f'\n[[problems]]\nkey = "{key}"\ntitle = "{title}"\ntext = "{text or title + "的原文。"}"\n{cat}'


def follow(year: int, key: str, status: str, evidence: str | None = None) -> str:
    ev = f'evidence = "{evidence}"\n' if evidence else ""
    return f'\n[[follow_up]]\nyear = {year}\nproblem = "{key}"\nstatus = "{status}"\n{ev}'


def write(base: Path, text: str, *, year: int, name: str = "a") -> Path:
    folder = base / "projects" / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    path.with_suffix(".md").write_text("## 一、概况\n\n正文。\n", encoding="utf-8")
    return path


def line_of(path: Path, needle: str, after: str | None = None) -> int:
    """The line (1-based) of the first line containing `needle`, after the first line containing `after`."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, ln in enumerate(lines) if after in ln) if after else 0
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def nth_line(path: Path, needle: str, n: int) -> int:
    """The line (1-based) of the n-th line containing `needle`."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return [i + 1 for i, ln in enumerate(lines) if needle in ln][n - 1]


def diags(base: Path) -> list[dg.Diagnostic]:
    return run([str(base / "projects")]).diagnostics


def at(found: list[dg.Diagnostic], code: str) -> list[tuple[str, int]]:
    return [(Path(d.file).name, d.line) for d in found if d.code == code]


def site(base: Path) -> tuple[dict[str, str], dict[str, bytes]]:
    """Every page (Markdown) and every file of the site built from base/projects."""
    request = SiteRequest(str(base / "projects"), SiteOptions(), TODAY, workers=1)
    build, pages = build_in_memory(request)
    sink = MemorySink()
    build_site(request, sink)
    files = {path: a.content for path, a in sink.assets.items()}
    files.update({a.path: a.content for a in build.index.data_files()})
    return {p: page.content for p, page in pages.items()}, files


def table(page: str, css: str) -> list[list[str]]:
    """The body rows of the first table of class `css`, as the visible text of each cell."""
    m = re.search(rf'<table class="{css}"[^>]*>.*?<tbody>(.*?)</tbody>', page, re.S)
    assert m, f"no table {css}"
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", m.group(1), re.S)
    ]


# ---------------------------------------------------------------------------- the record's own checks


def test_each_format_error_is_at_its_line(tmp_path):
    body = (
        head()
        + problem("p1", "预算编制不细")
        + problem("p1", "重复编号的问题")
        + problem("p 2", "编号有空格")
        + problem("p3", "类别不对", category="管理")
        + problem("p4", "没有类别", category=None)
        + '\n[[recommendations]]\nkey = "r1"\ntext = "加强预算编制。"\nanswers = ["p1", "p9"]\n'
        + '\n[[recommendations]]\nkey = "r1"\ntext = "重复的建议编号。"\n'
    )
    path = write(tmp_path, body, year=2021)
    found = diags(tmp_path)
    assert at(found, "E502") == [  # the key lines of the second p1 and the second r1
        ("a.toml", nth_line(path, 'key = "p1"', 2)),
        ("a.toml", nth_line(path, 'key = "r1"', 2)),
    ]
    assert at(found, "E501") == [("a.toml", line_of(path, 'key = "p 2"'))]
    assert at(found, "E503") == [("a.toml", line_of(path, 'category = "管理"'))]
    assert at(found, "E505") == [("a.toml", line_of(path, "answers ="))]
    assert at(found, "W504") == [("a.toml", line_of(path, 'key = "p4"') - 1)]  # its [[problems]] header
    e503 = next(d for d in found if d.code == "E503")
    assert "决策、过程、产出、效益" in e503.message
    assert next(d for d in found if d.code == "W504").listing is dg.Listing.EDITORS


def test_the_records_own_level1_names_are_categories(tmp_path):
    body = (
        head().replace("scored = false\n", "total = 10\n")
        + '\n[[indicator]]\npath = ["投入目标"]\nname = "资金到位率"\nweight = 10\nscore = 10\n'
        + problem("p1", "资金到位晚", category="投入目标")
        + problem("p2", "产出不足", category="产出")
    )
    write(tmp_path, body, year=2021)
    found = diags(tmp_path)
    assert not [d for d in found if d.code.startswith(("E5", "W5"))], [d.to_text() for d in found]


def test_unknown_status_is_an_error_at_its_line(tmp_path):
    write(tmp_path, head() + problem("p1", "问题一"), year=2021)
    later = write(tmp_path, head(year=2022) + follow(2021, "p1", "完成"), year=2022)
    found = diags(tmp_path)
    assert at(found, "E103") == [("a.toml", line_of(later, 'status = "完成"'))]
    assert "已整改、整改中、未整改、未说明" in next(d for d in found if d.code == "E103").message


def test_result_use_checks(tmp_path):
    body = head() + '\n[result_use]\nchange = "持平"\nbudget_year = 2020\namount = 5\ntext = "预算保持不变。"\n'
    path = write(tmp_path, body, year=2021)
    found = diags(tmp_path)
    assert at(found, "W520") == [("a.toml", line_of(path, "amount = 5"))]
    assert at(found, "W521") == [("a.toml", line_of(path, "budget_year = 2020"))]
    assert not dg.has_errors(found)


# ---------------------------------------------------------------------------- across records


def test_follow_up_naming_no_earlier_problem_or_year(tmp_path):
    write(tmp_path, head() + problem("p1", "预算编制不细") + problem("p2", "运维不主动"), year=2021)
    later = write(
        tmp_path,
        head(year=2022)
        + follow(2021, "p1", "已整改")
        + follow(2021, "p9", "已整改")
        + follow(2020, "p1", "已整改")
        + follow(2022, "p1", "整改中")
        + follow(2021, "p1", "整改中"),
        year=2022,
    )
    found = diags(tmp_path)
    lines = later.read_text(encoding="utf-8").split("\n")
    follow_ups = [i + 1 for i, ln in enumerate(lines) if ln == "[[follow_up]]"]
    assert at(found, "E511") == [("a.toml", follow_ups[1] + 2)]  # problem = "p9"
    assert at(found, "E510") == [("a.toml", follow_ups[2] + 1), ("a.toml", follow_ups[3] + 1)]  # year = 2020, 2022
    assert at(found, "E512") == [("a.toml", follow_ups[4] + 2)]
    e511 = next(d for d in found if d.code == "E511")
    assert "p1（预算编制不细）" in e511.message and "p2（运维不主动）" in e511.message
    assert "2020" in next(d for d in found if d.code == "E510").message


def test_previous_problems_without_any_status_warn_the_editor(tmp_path):
    write(tmp_path, head() + problem("p1", "预算编制不细") + problem("p2", "运维不主动"), year=2021)
    later = write(tmp_path, head(year=2022), year=2022)
    found = diags(tmp_path)
    [w] = [d for d in found if d.code == "W513"]
    assert (Path(w.file).name, w.line) == ("a.toml", line_of(later, "year = 2022"))
    assert w.file.endswith("2022/a.toml") and "p1（预算编制不细）" in w.message and "2021" in w.message
    assert w.listing is dg.Listing.EDITORS and w.public == ""
    pages, _ = site(tmp_path)  # a warning for editors: the record is published, the page shows 未说明
    page = pages["projects/2022/a.md"]
    assert "W513" not in page and "[[follow_up]]" not in page
    assert table(page, "pd-follow-up") == [
        ["2021 年度单位自评", "决策", "预算编制不细", "未说明", "—"],
        ["2021 年度单位自评", "决策", "运维不主动", "未说明", "—"],
    ]


def test_some_previous_problems_without_status_are_a_note(tmp_path):
    write(tmp_path, head() + problem("p1", "预算编制不细") + problem("p2", "运维不主动"), year=2021)
    write(tmp_path, head(year=2022) + follow(2021, "p1", "已整改", "已按新标准编制预算。"), year=2022)
    found = diags(tmp_path)
    assert not at(found, "W513")
    [note] = [d for d in found if d.code == "I514"]
    assert "p2（运维不主动）" in note.message and "p1" not in note.message.split("中，")[1]


def test_only_the_previous_evaluation_is_expected_to_follow_up(tmp_path):
    write(tmp_path, head() + problem("p1", "预算编制不细"), year=2021)
    write(tmp_path, head(year=2022) + follow(2021, "p1", "整改中"), year=2022)
    write(tmp_path, head(year=2023), year=2023)  # its previous evaluation (2022) lists no problems
    found = diags(tmp_path)
    assert not [d for d in found if d.code in ("W513", "I514")], [d.to_text() for d in found]


def test_problem_keys_are_unique_in_a_project_and_year(tmp_path):
    write(tmp_path, head() + problem("p1", "自评发现的问题"), year=2021)
    other = write(tmp_path, head(evaluation="部门评价") + problem("p1", "部门评价发现的问题"), year=2021, name="b")
    found = diags(tmp_path)
    [e] = [d for d in found if d.code == "E502"]
    assert (Path(e.file).name, e.line) == ("b.toml", line_of(other, 'key = "p1"'))
    assert "a.toml" in e.message and "自评发现的问题" in e.message


# ---------------------------------------------------------------------------- pages, search and data


@pytest.fixture(scope="module")
def three_years(tmp_path_factory) -> tuple[Path, dict[str, str], dict[str, bytes]]:
    """A project evaluated in 2021, 2022 and 2023, another project's 2024 evaluation, and a draft."""
    base = tmp_path_factory.mktemp("three-years")
    write(
        base,
        head()
        + problem("p1", "预算编制精细度欠佳", text="预算编制时，对平台运维工作的复杂性估计不足。")
        + problem("p2", "运维服务主动性不足", category="过程")
        + problem("p3", "绩效评价结果应用不充分", category="过程")
        + '\n[[recommendations]]\nkey = "r1"\ntitle = "提高预算编制的科学性"\ntext = "加强调研。"\nanswers = ["p1"]\n'
        + '\n[[recommendations]]\nkey = "r2"\ntext = "建立主动运维机制。"\nanswers = ["p2", "p3"]\n',
        year=2021,
    )
    write(
        base,
        head(year=2022)
        + follow(2021, "p1", "已整改", "已按新的测算标准编制2022年预算。")
        + follow(2021, "p2", "整改中", "已制定巡检计划。")
        + problem("p1", "验收不及时", category="产出")
        + '\n[result_use]\nchange = "减少"\nbudget_year = 2023\namount = 5\nbudget = 45\n'
        + 'text = "根据评价结果，2023年预算调减5万元。"\n',
        year=2022,
    )
    write(base, head(year=2023) + follow(2021, "p2", "已整改", "巡检制度已运行一年。"), year=2023)
    write(
        base,
        head(pid="proj-b", year=2024).replace("某市财政局", "某县财政局").replace("测试项目甲", "测试项目乙")
        + problem("p1", "资金到位晚", category="过程"),
        year=2024,
    )
    write(
        base,
        head(pid="proj-c", year=2023, status="draft").replace("测试项目甲", "测试项目丙")
        + problem("p1", "草稿专用问题七彩麒麟"),
        year=2023,
        name="c",
    )
    pages, files = site(base)
    return base, pages, files


def test_project_page_lists_problems_and_recommendations(three_years):
    _, pages, _ = three_years
    page = pages["projects/2021/a.md"]
    assert page.index("## 存在的问题") < page.index("## 有关建议") < page.index("## 评价报告")
    assert table(page, "pd-problems") == [
        ["决策", "预算编制精细度欠佳", "预算编制时，对平台运维工作的复杂性估计不足。"],
        ["过程", "运维服务主动性不足", "运维服务主动性不足的原文。"],
        ["过程", "绩效评价结果应用不充分", "绩效评价结果应用不充分的原文。"],
    ]
    assert table(page, "pd-recommendations") == [
        ["提高预算编制的科学性", "加强调研。", "预算编制精细度欠佳"],
        ["", "建立主动运维机制。", "运维服务主动性不足、绩效评价结果应用不充分"],
    ]
    assert '<tr id="problem-p1">' in page and '<a href="#problem-p2">运维服务主动性不足</a>' in page


def test_follow_up_shows_earlier_titles_statuses_and_evidence(three_years):
    _, pages, _ = three_years
    page = pages["projects/2022/a.md"]
    assert table(page, "pd-follow-up") == [
        ["2021 年度单位自评", "决策", "预算编制精细度欠佳", "已整改", "已按新的测算标准编制2022年预算。"],
        ["2021 年度单位自评", "过程", "运维服务主动性不足", "整改中", "已制定巡检计划。"],
        ["2021 年度单位自评", "过程", "绩效评价结果应用不充分", "未说明", "—"],  # not mentioned: 未说明
    ]
    assert '<a href="../../2021/a/#problem-p1">预算编制精细度欠佳</a>' in page
    # 评价结果应用
    use = re.search(r'<dl class="pd-result-use">(.*?)</dl>', page, re.S).group(1)
    assert re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", use) == [
        ("对预算安排的影响", "减少（2023 年度预算）"),
        ("调减金额", "5 万元"),
        ("调整后预算", "45 万元"),
        ("原文", "根据评价结果，2023年预算调减5万元。"),
    ]
    # the earlier page: the latest later evaluation's word on each of its problems
    earlier = pages["projects/2021/a.md"]
    assert table(earlier, "pd-follow-up-later") == [
        ["预算编制精细度欠佳", "已整改", "已按新的测算标准编制2022年预算。", "2022 年度单位自评"],
        ["运维服务主动性不足", "已整改", "巡检制度已运行一年。", "2023 年度单位自评"],
        ["绩效评价结果应用不充分", "未说明", "—", "—"],
    ]
    assert "pd-follow-up-later" not in pages["projects/2024/a.md"] and "整改情况" not in pages["projects/2024/a.md"]


def test_findings_page_counts_and_filters(three_years):
    _, pages, _ = three_years
    page = pages[FINDINGS_PAGE]
    counts = {row[0]: row[1:] for row in table(page, "pd-problem-counts")}
    header = re.findall(r'<th scope="col">(.*?)</th>', re.search(r"pd-problem-counts.*?</thead>", page, re.S).group(0))
    assert header == ["类别", "问题数", "已整改", "整改中", "未整改", "未说明", "待后续评价"]
    assert counts == {
        "决策": ["1", "1", "0", "0", "0", "0"],
        "过程": ["3", "1", "0", "0", "1", "1"],  # 运维 已整改 (2023), 结果应用 未说明, proj-b 待后续评价
        "产出": ["1", "0", "0", "0", "1", "0"],  # 2022's 验收不及时: a later evaluation (2023) says nothing of it
    }
    assert "共 5 个问题，来自 3 个评价记录" in page
    rows = table(page, "pd-problem-list")
    assert [r[4] for r in rows] == [
        "资金到位晚",
        "验收不及时",
        "预算编制精细度欠佳",
        "运维服务主动性不足",
        "绩效评价结果应用不充分",
    ]
    assert rows[3][5] == "已整改2023 年度单位自评"  # the status, and the evaluation saying so
    for name, values in {
        "category": ["决策", "过程", "产出"],
        "year": ["2024", "2022", "2021"],
        "department": ["某县财政局", "某市财政局"],
        "status": ["已整改", "未说明", "待后续评价"],
    }.items():
        select = re.search(rf'<select name="{name}">(.*?)</select>', page, re.S).group(1)
        assert re.findall(r'<option value="([^"]+)">', select) == values, name
    assert 'data-pd-filters data-pd-unit="个问题"' in page and '<table class="pd-problem-list" data-pd-table>' in page
    first = re.search(r'<tr data-year="2024"[^>]*>', page).group(0)
    assert (
        'data-category="过程"' in first
        and 'data-status="待后续评价"' in first
        and 'data-department="某县财政局"' in first
    )


def test_department_page_lists_open_problems(three_years):
    _, pages, _ = three_years
    dept = next(c for p, c in pages.items() if p.startswith("departments/") and "# 某市财政局" in c)
    assert "## 尚未整改的问题" in dept
    rows = table(dept, "pd-open-problems")
    assert [(r[0], r[3], r[4]) for r in rows] == [
        ("2022", "验收不及时", "未说明"),
        ("2021", "绩效评价结果应用不充分", "未说明"),
    ]  # 预算编制精细度欠佳 and 运维服务主动性不足 are 已整改
    assert "本部门评价记录所列 4 个问题中，2 个尚未说明已经整改" in visible_text(dept)
    other = next(c for p, c in pages.items() if p.startswith("departments/") and "# 某县财政局" in c)
    assert [r[4] for r in table(other, "pd-open-problems")] == ["待后续评价"]


def test_drafts_lend_no_problem_and_no_status(three_years):
    _, pages, files = three_years
    everything = "\n".join(pages.values()) + "\n".join(c.decode("utf-8", "replace") for c in files.values())
    assert "七彩麒麟" not in everything


def test_a_follow_up_of_a_record_not_public_names_no_title(tmp_path):
    write(tmp_path, head(status="draft") + problem("p1", "草稿中的问题标题"), year=2021)
    write(tmp_path, head(year=2022) + follow(2021, "p1", "已整改", "已完成。"), year=2022)
    pages, _ = site(tmp_path)
    page = pages["projects/2022/a.md"]
    assert table(page, "pd-follow-up") == [["2021 年度", "—", "该年度评价未在本站公开", "已整改", "已完成。"]]
    assert "草稿中的问题标题" not in "\n".join(pages.values())


def test_public_pages_have_no_editor_words(three_years):
    _, pages, _ = three_years
    for path in (FINDINGS_PAGE, "projects/2021/a.md", "projects/2022/a.md"):
        part = (
            pages[path] if path == FINDINGS_PAGE else pages[path].split("## 存在的问题", 1)[1].split("## 评价报告")[0]
        )
        assert editor_words(visible_text(part)) == [], path


def test_search_finds_a_problem_title(three_years):
    base, _, _ = three_years
    from generator.publish.site_index import SiteIndex

    request = SiteRequest(str(base / "projects"), SiteOptions(), TODAY, workers=1)
    build = build_site(request, MemorySink())
    index: SiteIndex = build.index
    docs = {d.url: set(index.search_entry(d).levels) for d in index.search_index_docs()}
    query = terms("结果应用不充分")  # only in a structured problem of the 2021 record, not in its narrative
    assert [url for url, words in docs.items() if set(query) <= words] == ["projects/2021/a/"]
    assert set(terms("巡检制度已运行一年")) <= docs["projects/2023/a/"]  # a follow-up's evidence too


def test_json_and_csv_carry_them(three_years):
    _, _, files = three_years
    data = json.loads(files["downloads/2022/a.json"])
    assert data["problems"] == [{"key": "p1", "title": "验收不及时", "category": "产出", "text": "验收不及时的原文。"}]
    assert data["follow_up"][0] == {
        "year": 2021,
        "problem": "p1",
        "status": "已整改",
        "evidence": "已按新的测算标准编制2022年预算。",
    }
    assert data["result_use"] == {
        "change": "减少",
        "budget_year": 2023,
        "amount": 5,
        "budget": 45,
        "unit": "万元",
        "text": "根据评价结果，2023年预算调减5万元。",
    }
    whole = json.loads(files["data/projects.json"])
    assert [p["recommendations"] for p in whole["projects"] if p["id"] == "proj-a" and p["year"] == 2021] == [
        [
            {"key": "r1", "title": "提高预算编制的科学性", "text": "加强调研。", "answers": ["p1"]},
            {"key": "r2", "title": None, "text": "建立主动运维机制。", "answers": ["p2", "p3"]},
        ]
    ]
    raw = files[PROBLEMS_CSV]
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 5
    by_title = {r["问题"]: r for r in rows}
    assert by_title["运维服务主动性不足"]["整改情况"] == "已整改"
    assert by_title["运维服务主动性不足"]["整改情况出处"] == "2023 年度单位自评"
    assert by_title["运维服务主动性不足"]["整改说明"] == "巡检制度已运行一年。"
    assert by_title["预算编制精细度欠佳"]["问题原文"] == "预算编制时，对平台运维工作的复杂性估计不足。"
    assert by_title["资金到位晚"]["整改情况"] == "待后续评价" and by_title["资金到位晚"]["主管部门"] == "某县财政局"
    assert by_title["验收不及时"]["项目页面"] == "projects/2022/a/"


def test_the_data_page_offers_problems_csv(three_years):
    _, pages, _ = three_years
    assert '<a href="problems.csv" download>全部问题及整改情况（CSV）</a>' in pages["data.md"]  # data.md is data/
    for path in ("index.md", "projects/index.md", "data.md"):
        assert re.search(r'href="(\.\./)?findings/"', pages[path]), path


# ---------------------------------------------------------------------------- the seeds


SEED_FILES = {  # record → its source document in /work/shared/seeds
    "projects/2021/bayannur-treasury-epay.toml": "000_18cb256f109a0418.txt",
    "projects/2021/caidian-jincai.toml": "001_8b9ddbf38f95a411.txt",
    "projects/2021/dapeng-treasury-funds.toml": "002_c68920b1fec8e3bf.txt",
    "projects/2024/fumin-finance-platforms.toml": "003_14069cec515ef4d6.txt",
    "projects/2020/suzhou-egov-construction.toml": "004_74ff42f95867ce14.txt",
}


def normal(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("record", sorted(SEED_FILES))
def test_seed_problems_are_the_published_text(record):
    source = SEEDS / SEED_FILES[record]
    if not source.is_file():
        pytest.skip("the seed documents are not on this machine")
    document = normal(source.read_text(encoding="utf-8"))
    narrative = normal((ROOT / record).with_suffix(".md").read_text(encoding="utf-8"))
    data = tomli.loads((ROOT / record).read_text(encoding="utf-8"))
    assert data["problems"] and data["recommendations"]
    for item in data["problems"] + data["recommendations"]:
        for key in ("text", "title"):
            if key in item:
                assert normal(item[key]) in document, (record, item[key][:30])
                assert normal(item[key]) in narrative, (record, item[key][:30])


def test_seed_problem_keys_and_categories():
    found = {}
    for record in SEED_FILES:
        data = tomli.loads((ROOT / record).read_text(encoding="utf-8"))
        found[Path(record).stem] = [(p["key"], p["category"]) for p in data["problems"]]
    assert found == {
        "bayannur-treasury-epay": [("p1", "过程")],
        "caidian-jincai": [("p1", "过程")],
        "dapeng-treasury-funds": [("p1", "决策"), ("p2", "决策")],
        "fumin-finance-platforms": [("p1", "决策"), ("p2", "产出"), ("p3", "过程"), ("p4", "过程")],
        "suzhou-egov-construction": [("p1", "投入目标")],
    }


def test_a_record_without_year_or_department_lists_its_problems_as_unpublished(tmp_path):
    """A source that printed no evaluation year and no department (未公布): its problems reach the 问题清单, the CSV
    and the 主管部门未公布 page, with 未公布 where the year and the department go, never a guessed value."""
    text = (
        head(year=2022)
        .replace("year = 2022", 'year = "未公布"\nfiled_year = 2022')
        .replace('department = "某市财政局"', 'department = "未公布"')
    )
    write(tmp_path, text + problem("p1", "台账登记不完整", category="过程"), year=2022)
    assert [d.code for d in diags(tmp_path) if d.severity is dg.Severity.ERROR] == []
    pages, files = site(tmp_path)
    page = pages[FINDINGS_PAGE]
    assert [r[:2] + r[3:5] for r in table(page, "pd-problem-list")] == [["未公布", "未公布", "过程", "台账登记不完整"]]
    for name in ("year", "department"):
        select = re.search(rf'<select name="{name}">(.*?)</select>', page, re.S).group(1)
        assert re.findall(r'<option value="([^"]+)">', select) == ["未公布"], name
    rows = list(csv.DictReader(io.StringIO(files[PROBLEMS_CSV].decode("utf-8-sig"))))
    assert [(r["评价年度"], r["主管部门"], r["问题"], r["整改情况"]) for r in rows] == [
        ("未公布", "未公布", "台账登记不完整", "待后续评价")
    ]
    dept = next(c for p, c in pages.items() if p.startswith("departments/") and "# 主管部门未公布" in c)
    assert [(r[0], r[3], r[4]) for r in table(dept, "pd-open-problems")] == [("未公布", "台账登记不完整", "待后续评价")]
