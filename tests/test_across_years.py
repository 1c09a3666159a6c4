"""Across years (issue 13): a project evaluated in several years shown side by side, the departments' averages by
year and the 关注清单 — built from the seeds plus tests/site/fixtures/years (one project, fixture-hotline, in 2022
and 2023 with other level-1 points in 2023; a second 2023 project of the same department, not scored; a 2024 draft
and a 2025 record embargoed until 2099 of fixture-hotline, both with marker phrases that must never be published)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
import tomli

from generator.core.across_years import YearEntry, YearLeaf, YearPart, compare
from generator.core.decimals import ZERO, fmt, q2
from generator.core.pipeline import run
from generator.publish.memory import build_in_memory
from generator.publish.policy import is_public
from generator.publish.site import SiteRequest
from generator.render.compare import change_notes
from generator.render.project import SiteOptions

ROOT = Path(__file__).resolve().parents[1]
YEARS = ROOT / "tests" / "site" / "fixtures" / "years"
TODAY = dt.date(2025, 1, 1)
PROJECT = "fixture-hotline"
DEPARTMENT = "样例市政务服务管理局"
COMPARE = f"projects/compare/{PROJECT}.md"
WITHHELD = [
    "逐年草稿专用短语青鸾",
    "qingluandraftmarker",
    "逐年未公开专用短语白泽",
    "baizefuturemarker",
    "青鸾",
    "白泽",
]


class _Tables(HTMLParser):
    """Every table of a page: rows of (text, colspan) cells, by the table's class attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[tuple[str, int]]]]] = []
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append((a.get("class") or "", []))
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell, self._span = [], int(a.get("colspan") or 1)
        elif tag == "span" and self._cell is not None:
            self._cell.append(" ")  # a sub-line (path, tag, count) reads apart from the text before it

    def handle_endtag(self, tag):
        if tag == "span" and self._cell is not None:
            self._cell.append(" ")
        if tag in ("td", "th") and self._cell is not None:
            text = re.sub(r"\s+", " ", "".join(self._cell)).strip()
            self.tables[-1][1][-1].append((text, self._span))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str, cls: str) -> list[list[list[tuple[str, int]]]]:
    parser = _Tables()
    parser.feed(html)
    return [rows for c, rows in parser.tables if cls in c.split()]


def texts(row: list[tuple[str, int]]) -> list[str]:
    return [t for t, _ in row]


def _num(value: object) -> str:
    return fmt(Decimal(str(value)))


def load(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomli.load(fh)


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("years") / "projects"
    shutil.copytree(ROOT / "projects", base)
    shutil.copytree(YEARS, base, dirs_exist_ok=True)
    return base


@pytest.fixture(scope="module")
def site(records):
    return build_in_memory(SiteRequest(str(records), SiteOptions(), TODAY, workers=1))


@pytest.fixture(scope="module")
def public(records):
    """The core's evaluations of the records the site publishes (independent of the render stage)."""
    return [ev for ev in run([str(records)]).evaluations if is_public(ev, TODAY)]


# ---------------------------------------------------------------------------- the comparison page


def test_comparison_shows_both_years_values_side_by_side(site):
    _, pages = site
    page = pages[COMPARE].content
    old, new = load(YEARS / "2022" / "hotline-operation.toml"), load(YEARS / "2023" / "hotline-operation.toml")
    (indicators,) = tables(page, "pd-compare-indicators")
    assert texts(indicators[0]) == ["指标", "2022 年度", "2023 年度"]
    body = {row[0][0]: row[1:] for row in indicators[2:]}
    before = {tuple(i["path"]) + (i["name"],): i for i in old["indicator"]}
    after = {tuple(i["path"]) + (i["name"],): i for i in new["indicator"]}
    assert len(body) == len(before.keys() | after.keys())

    def cells(i: dict) -> list[str]:
        return [i["target"], i["actual"], f"{_num(i['score'])} / {_num(i['weight'])}"]

    for path in before.keys() | after.keys():
        label = " ".join(filter(None, [" / ".join(path[:-1]), path[-1]]))  # parents (a sub-line), then the name
        row = next(v for k, v in body.items() if k.startswith(label))
        a, b = before.get(path), after.get(path)
        if a and b:
            assert texts(row) == cells(a) + cells(b), path
        elif b:
            assert row[0] == ("无此指标", 3) and texts(row[1:]) == cells(b), path
            assert next(k for k in body if k.startswith(label)).endswith("2023 年度新增")
        else:
            assert texts(row[:3]) == cells(a) and row[3] == ("无此指标", 3), path
            assert next(k for k in body if k.startswith(label)).endswith("2023 年度起不再列出")
    (totals,) = tables(page, "pd-compare-totals")
    total_row = next(texts(r) for r in totals if r[0][0] == "总分")
    assert total_row[1:] == [f"{_num(old['total'])} / 100", f"{_num(new['total'])} / 100"]
    # 指标变化 names what was added and what is no longer listed
    assert "新增 1 项（产出指标 / 时效指标 / 工单转办时限）" in page
    assert "不再列出 1 项（产出指标 / 时效指标 / 平均接通时长）" in page


def test_changed_level1_points_raise_the_warning(site):
    _, pages = site
    page = pages[COMPARE].content
    old, new = load(YEARS / "2022" / "hotline-operation.toml"), load(YEARS / "2023" / "hotline-operation.toml")
    changed = [
        (g["path"][0], a["weight"], g["weight"])
        for g in new["group"]
        for a in old["group"]
        if a["path"] == g["path"] and a["weight"] != g["weight"]
    ]
    assert changed  # the fixture changes 产出 and 效益
    notice = page.split('<div class="pd-cmp-notice"', 1)[1].split("</div>", 1)[0]
    assert "评分口径有变化" in notice
    for name, a, b in changed:
        assert f"“{name}” {a} 分 → {b} 分" in notice
    assert "不宜直接比较" in notice


def test_unchanged_points_raise_no_warning(tmp_path):
    """Control: the same project with the same scheme and level-1 points in both years has a comparison page
    without the warning."""
    records = tmp_path / "projects"
    (records / "2022").mkdir(parents=True)
    (records / "2023").mkdir(parents=True)
    for ext in ("toml", "md"):
        shutil.copy(YEARS / "2022" / f"hotline-operation.{ext}", records / "2022")
        shutil.copy(YEARS / "2022" / f"hotline-operation.{ext}", records / "2023")
    again = records / "2023" / "hotline-operation.toml"
    again.write_text(again.read_text(encoding="utf-8").replace("year = 2022", "year = 2023"), encoding="utf-8")
    _, pages = build_in_memory(SiteRequest(str(records), SiteOptions(), TODAY, workers=1))
    page = pages[COMPARE].content
    assert "pd-cmp-notice" not in page and "评分口径" not in page
    assert "2023 年度与 2022 年度的指标相同。" in page


def _entry(year: int, leaves: list[tuple[tuple[str, ...], str]], **kw) -> YearEntry:
    fields = dict(
        id="p",
        year=year,
        evaluation="单位自评",
        name="项目",
        department="某局",
        scheme="national-self",
        scheme_title="单位自评（预算执行率 10 / 产出 50 / 效益 30 / 满意度 10）",
        bands="national4",
        bands_title="四档",
        scored=True,
        total=Decimal(90),
        max_score=Decimal(100),
        grade="优",
        computed_total=Decimal(90),
        execution_rate=None,
        parts=(YearPart("产出指标", Decimal(60), Decimal(55)), YearPart("效益指标", Decimal(40), Decimal(35))),
        leaves=tuple(YearLeaf(p, t, t, Decimal(10), Decimal(10)) for p, t in leaves),
    )
    fields.update(kw)
    return YearEntry(**fields)


def test_indicators_match_by_full_path_whatever_their_order():
    a = _entry(2022, [(("产出指标", "数量指标", "甲"), "1"), (("产出指标", "质量指标", "乙"), "2")])
    b = _entry(2023, [(("产出指标", "质量指标", "乙"), "3"), (("产出指标", "数量指标", "甲"), "4")])
    c = compare([b, a])  # any order in, oldest first out
    assert c is not None and [e.year for e in c.entries] == [2022, 2023]
    assert {r.path[-1]: [x.target for x in r.cells] for r in c.rows} == {"甲": ["1", "4"], "乙": ["2", "3"]}
    assert not c.changes[0].added and not c.changes[0].removed
    # the same name under another parent is another indicator
    d = _entry(2023, [(("效益指标", "数量指标", "甲"), "5"), (("产出指标", "质量指标", "乙"), "6")])
    c2 = compare([a, d])
    assert c2 is not None
    assert c2.changes[0].added == (("效益指标", "数量指标", "甲"),)
    assert c2.changes[0].removed == (("产出指标", "数量指标", "甲"),)


def test_an_indicator_listed_twice_is_matched_by_its_place():
    path = ("产出指标", "数量指标", "维护")
    a = _entry(2022, [(path, "1"), (path, "2")])
    b = _entry(2023, [(path, "3"), (path, "4")])
    c = compare([a, b])
    assert c is not None
    assert [[x.target for x in r.cells] for r in c.rows] == [["1", "3"], ["2", "4"]]


def test_one_year_is_no_comparison():
    assert compare([_entry(2022, []), _entry(2022, [], evaluation="部门评价")]) is None


def test_another_scheme_and_bands_are_warned_about_in_plain_words():
    a = _entry(2022, [])
    b = _entry(
        2023,
        [],
        scheme="national-dept",
        scheme_title="部门评价 / 财政评价（决策 / 过程 / 产出 / 效益）",
        bands="five",
        bands_title="五档（优/良/中/低/差）",
    )
    c = compare([a, b])
    assert c is not None and c.changes[0].basis_changed
    notes = change_notes(c.changes[0], ["2022 年度", "2023 年度"])
    assert any("评分方案（部门评价 / 财政评价）与 2022 年度（单位自评）不同" in n for n in notes), notes
    assert any("等级分数段（五档（优/良/中/低/差））" in n for n in notes), notes
    assert not re.search(r"[A-Za-z_]{3,}", "".join(notes))  # no scheme names, field names or codes


def test_an_unscored_year_is_said_so_not_warned_about():
    a = _entry(2022, [])
    b = _entry(
        2023,
        [],
        scored=False,
        total=None,
        max_score=None,
        grade=None,
        computed_total=None,
        parts=(YearPart("产出指标", None, None),),
    )
    c = compare([a, b])
    assert c is not None and not c.changes[0].basis_changed and c.changes[0].unscored == (1,)


# ---------------------------------------------------------------------------- department pages


def test_department_page_averages_by_year(site, public):
    _, pages = site
    page = pages[f"departments/{DEPARTMENT}.md"].content
    (table,) = tables(page, "pd-by-year")
    shown = {int(r[0][0]): texts(r[1:]) for r in table[1:]}
    mine = [ev for ev in public if ev.record.department == DEPARTMENT]
    expected = {}
    for year in sorted({ev.record.year for ev in mine}, reverse=True):
        evs = [ev for ev in mine if ev.record.year == year]
        scores = [q2(ev.record.total / ev.max_score * 100) for ev in evs if ev.record.scored]
        rates = [ev.execution_rate for ev in evs if ev.execution_rate is not None]
        score = fmt(q2(sum(scores, ZERO) / len(scores))) if scores else "—"
        rate = fmt(q2(sum(rates, ZERO) / len(rates))) + "%" if rates else "—"
        expected[year] = [str(len(evs)), f"{score} 计入 {len(scores)} 个", f"{rate} 计入 {len(rates)} 个"]
    assert shown == expected
    # the fixture makes the two counts differ in 2023: one scored record, two with an execution rate
    assert shown[2023][1].endswith("计入 1 个") and shown[2023][2].endswith("计入 2 个")
    assert list(shown) == sorted(shown, reverse=True) and 2024 not in shown and 2025 not in shown


# ---------------------------------------------------------------------------- 关注清单


def _linked(section: str) -> set[str]:
    """The project pages a section of the watch list links to, as projects/<year>/<file>."""
    return {unquote(h)[3:].rstrip("/") for h in re.findall(r'href="([^"]+)"', section)}


def test_watch_list_contains_exactly_the_expected_records(site, public):
    _, pages = site
    page = pages["watchlist.md"].content
    with (ROOT / "generator" / "render" / "watch_list.toml").open("rb") as fh:
        limits = tomli.load(fh, parse_float=Decimal)
    score_below = Decimal(limits["low_score"]["below"])
    rate_below = Decimal(limits["low_execution"]["below"])
    at_least = Decimal(limits["review_difference"]["at_least"])

    def where(ev) -> str:
        return f"projects/{ev.record.year}/{ev.record.slug}"

    expected = {
        "得分偏低": {
            where(ev)
            for ev in public
            if ev.record.scored and ev.record.total is not None and ev.record.total / ev.max_score * 100 < score_below
        },
        "预算执行率偏低": {
            where(ev) for ev in public if ev.execution_rate is not None and ev.execution_rate < rate_below
        },
        "复核总分与公布总分不一致": {
            where(ev)
            for ev in public
            if ev.record.scored
            and ev.computed_total is not None
            and abs(ev.computed_total - ev.record.total) >= at_least
        },
    }
    sections = {
        m.group(1): m.group(2) for m in re.finditer(r"^## (\S+)（\d+ 个）\n(.*?)(?=^## |\Z)", page, re.S | re.M)
    }
    assert set(sections) == set(expected)
    for title, want in expected.items():
        assert _linked(sections[title]) == want, title
        assert f"## {title}（{len(want)} 个）" in page
    # what the fixture was made to show
    assert "projects/2022/hotline-operation" in expected["得分偏低"] & expected["预算执行率偏低"]
    assert "projects/2023/hotline-operation" in expected["复核总分与公布总分不一致"]
    assert not {"projects/2024/hotline-operation", "projects/2025/hotline-operation"} & set().union(*expected.values())
    # every link leads to a published project page
    assert all(f"{p}.md" in pages for want in expected.values() for p in want)


def test_watch_list_leaves_out_the_review_when_the_site_hides_it(records):
    _, pages = build_in_memory(SiteRequest(str(records), SiteOptions(show_review=False), TODAY, workers=1))
    page = pages["watchlist.md"].content
    assert "## 得分偏低" in page and "## 预算执行率偏低" in page and "复核" not in page


# ---------------------------------------------------------------------------- what is never published


def test_drafts_and_embargoed_years_never_appear(site, records):
    build, pages = site
    assert (records / "2024" / "hotline-operation.toml").is_file() and (
        records / "2025" / "hotline-operation.toml"
    ).is_file()
    assert build.withheld == 2
    everything = [p.content for p in pages.values()]
    for needle in WITHHELD:
        assert not [p for p, page in pages.items() if needle in page.content], needle
    assert "projects/2024/hotline-operation.md" not in pages and "projects/2025/hotline-operation.md" not in pages
    compare_page = pages[COMPARE].content
    assert "2024 年度" not in compare_page and "2025 年度" not in compare_page
    assert all("2024/hotline-operation" not in text and "2025/hotline-operation" not in text for text in everything)


def test_seeds_alone_have_no_comparison(tmp_path):
    """No shipped project has two years: no comparison page, no link to one; the watch list is there."""
    _, pages = build_in_memory(SiteRequest(str(ROOT / "projects"), SiteOptions(), TODAY, workers=1))
    assert not [p for p in pages if p.startswith("projects/compare/")]
    assert "逐年对比" not in pages["projects/index.md"].content
    for path in ("projects/index.md", "data.md"):
        assert 'href="../watchlist/"' in pages[path].content, path
    assert "watchlist.md" in pages


def test_project_pages_link_to_their_comparison(site):
    _, pages = site
    for year in (2022, 2023):
        page = pages[f"projects/{year}/hotline-operation.md"].content
        assert 'href="../../compare/fixture-hotline/"' in page, year
    index = pages["projects/compare/index.md"].content
    assert 'href="fixture-hotline/"' in index and "2022、2023 年度" in index
    assert 'href="compare/"' in pages["projects/index.md"].content


def test_pages_speak_to_the_public(site):
    """No diagnostic codes, file paths, field names or editing instructions on the new pages."""
    from test_public_findings import editor_words, visible_text

    _, pages = site
    for path in (COMPARE, "projects/compare/index.md", "watchlist.md", f"departments/{DEPARTMENT}.md"):
        text = visible_text(pages[path].content)
        assert not editor_words(text), (path, editor_words(text))


def test_the_packed_entry_is_what_the_evaluation_published(public):
    """What waits in memory for the comparison (compress, then read back) is the evaluation's entry, unchanged."""
    from generator.core.across_years import year_entry
    from generator.render.compare import pack, unpack

    assert len(public) >= 7
    for ev in public:
        column = unpack(pack(ev, "projects/x.md"))
        assert column.entry == year_entry(ev) and column.page == "projects/x.md", ev.record.file


def test_record_text_that_looks_like_markup_stays_text(tmp_path):
    """The escaping probe (tests/site/fixtures/escaping) published in two years: its names and values reach the
    comparison, the watch list and its department's page as text, never as HTML or template code."""
    records = tmp_path / "projects"
    shutil.copytree(ROOT / "tests" / "site" / "fixtures" / "escaping", records)
    (records / "2024").mkdir()
    for ext in ("toml", "md"):
        text = (records / "2023" / f"escape-probe.{ext}").read_text(encoding="utf-8")
        text = text.replace("year = 2023", "year = 2024").replace("total = 90", "total = 70")  # low, not confirmed
        (records / "2024" / f"escape-probe.{ext}").write_text(text.replace('grade = "优"', 'grade = "中"'), "utf-8")
    build, pages = build_in_memory(SiteRequest(str(records), SiteOptions(), TODAY, workers=1))
    assert build.published == 2
    department = next(p for p in pages if p.startswith("departments/") and p != "departments/index.md")
    checked = ["projects/compare/escape-probe.md", "projects/compare/index.md", "watchlist.md", department]
    assert pages["watchlist.md"].content.count("projects/2024/escape-probe") == 2  # 得分偏低 and 复核
    for path in checked:
        body = pages[path].content.split("\n---\n", 1)[1]
        for raw in ("<script", "<img", "<b>", "<i>", "{{", "{%"):
            assert raw not in body, (path, raw)
    compare_page = pages["projects/compare/escape-probe.md"].content
    assert "数量&lt;script&gt;alert(1)&lt;/script&gt;&#123;&#123; 7*7 &#125;&#125;" in compare_page
