"""Index pages: home, all projects, per year, per department, methodology, data."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from html import escape
from pathlib import Path

import tomli
from markupsafe import Markup

from generator.core.decimals import HUNDRED, ZERO, fmt, percent, q2
from generator.core.rules import KINDS

from .by_year import AVERAGES_NOTE, averages_table
from .data_page import data_page
from .downloads import SITE_FILES
from .env import render
from .grades import METHODOLOGY_WORDING, band_ranges, range_text
from .open_data import FEED, address, department_feed
from .problem_list import FINDINGS_PAGE, Tracker, findings_link, open_problems_section
from .project import SiteOptions
from .summary import ProjectSummary
from .text import front_matter, md_inline
from .unpublished import UNPUBLISHED, UNPUBLISHED_DEPARTMENT, UNPUBLISHED_YEAR
from .urls import rel, year_page
from .watch_list import WATCH_PAGE, across_years_links, watch_list_page

# ---- feeds (issue 13): the visible 订阅 link works with any site engine; the front matter's `feed` lets a theme
# add the autodiscovery <link rel="alternate" type="application/atom+xml"> (mkdocs_plugin/theme/main.html).


def feed_meta(path: str, title: str) -> dict[str, str]:
    """The front matter's `feed`: the feed's site path (percent-encoded) and title."""
    return {"href": address(path), "title": title}


def _department_feed_meta(department: str | None, site_title: str) -> dict[str, dict[str, str]]:
    """A department page's `feed` front matter (none for records whose department was not published: they are in
    the site-wide feed only)."""
    if department is None:
        return {}
    title = f"{site_title}：{department}" if site_title else department
    return {"feed": feed_meta(department_feed(department), title)}


def feed_link(src: str, path: str, text: str) -> str:
    return f'<p class="pd-feed"><a href="{rel(src, path)}" type="application/atom+xml">{escape(text)}</a></p>'


UNIT_TO_WAN = {"万元": Decimal(1), "元": Decimal("0.0001"), "亿元": Decimal(10000), "千元": Decimal("0.1")}


RULE_TEXTS = Path(__file__).parent / "rule_texts.toml"


@lru_cache(maxsize=1)
def _rule_texts() -> dict[str, str]:
    with RULE_TEXTS.open("rb") as fh:
        return {name: entry["text"] for name, entry in tomli.load(fh).items()}


def public_rule_text(kind: str) -> str:
    """How 方法说明 explains a kind of scoring rule to the public (render/rule_texts.toml)."""
    return _rule_texts()[kind]


def _page(path: str, content: str):
    from .outputs import Page

    return Page(path, content)


def table_rows(evs: list[ProjectSummary], from_src: str) -> list[dict]:
    """The projects table's rows as dicts, with links relative to the page `from_src`."""
    return [
        {
            "year": s.year if s.year is not None else UNPUBLISHED,
            "name": s.name,
            "region": s.region,
            "department": s.department if s.department is not None else UNPUBLISHED,
            "kind": s.evaluation,
            "grade": s.grade,
            "grade_label": s.grade_label,
            "total": s.total,
            "total_unpublished": s.total_unpublished,
            "max_score": s.max_score,
            "score_pct": s.score_pct,
            "rate": s.execution_rate,
            "url": rel(from_src, s.path),
            "id": s.id,
        }
        for s in evs
    ]


def projects_table(evs: list[ProjectSummary], from_src: str, filters: bool) -> str:
    """The projects table as HTML, with the year/region/department/kind/grade filters when `filters`."""
    # a year or department not published is one more choice, after the others
    years = sorted({str(e.year) for e in evs if e.year is not None}, reverse=True)
    departments = sorted({e.department for e in evs if e.department is not None})
    facets = {
        "year": years + ([UNPUBLISHED] if any(e.year is None for e in evs) else []),
        "region": sorted({e.region for e in evs}),
        "department": departments + ([UNPUBLISHED] if any(e.department is None for e in evs) else []),
        "kind": sorted({e.evaluation for e in evs}),
        "grade": sorted({e.grade_label for e in evs}),
    }
    return render(
        "projects_table.html.j2",
        rows_html=Markup("\n".join(_row_html(r) for r in table_rows(evs, from_src))),
        facets=facets,
        filters=filters,
        csv_url=rel(from_src, SITE_FILES[0]),  # the rows shown, as CSV: taken from data/projects.csv (pd-table.js)
    )


def _row_html(p: dict) -> str:
    """One row of the projects table (plain f-string: this runs for every project on several pages)."""
    e = escape
    grade = p["grade"]
    badge = f'<span class="pd-badge pd-grade" data-grade="{e(grade)}">{e(grade)}</span>' if grade else p["grade_label"]
    if p["total"] is not None:
        total = f"{fmt(p['total'])}<small> / {fmt(p['max_score'])}</small>"
    else:
        total = UNPUBLISHED if p["total_unpublished"] else "—"
    rate = f"{fmt(p['rate'])}%" if p["rate"] is not None else "—"
    return (
        f'<tr data-year="{p["year"]}" data-name="{e(p["name"])}" data-region="{e(p["region"])}" '
        f'data-department="{e(p["department"])}" data-kind="{e(p["kind"])}" data-grade="{e(p["grade_label"])}" '
        f'data-score="{fmt(p["score_pct"])}" data-rate="{fmt(p["rate"])}" data-id="{e(p["id"])}">'
        f'<td>{p["year"]}</td><td><a href="{p["url"]}">{e(p["name"])}</a></td><td>{e(p["region"])}</td>'
        f'<td>{e(p["department"])}</td><td>{e(p["kind"])}</td><td class="pd-num">{total}</td><td>{badge}</td>'
        f'<td class="pd-num">{rate}</td></tr>'
    )


def _wan(s: ProjectSummary, value: Decimal | None) -> Decimal | None:
    if value is None or s.unit is None:
        return None
    factor = UNIT_TO_WAN.get(s.unit)
    return value * factor if factor is not None else None


def summary(evs: list[ProjectSummary]) -> dict:
    """Totals for a list of projects: count, budget and executed (in 万元), execution rate, average score."""
    budget = sum((_wan(e, e.budget) or ZERO for e in evs), ZERO)
    executed = sum((_wan(e, e.executed) or ZERO for e in evs), ZERO)
    # the rate only over projects giving both figures: a budget whose execution is not published is not 0 % spent
    both = [e for e in evs if _wan(e, e.budget) is not None and _wan(e, e.executed) is not None]
    both_budget = sum((_wan(e, e.budget) or ZERO for e in both), ZERO)
    both_executed = sum((_wan(e, e.executed) or ZERO for e in both), ZERO)
    scores = [s for s in (e.score_pct for e in evs) if s is not None]
    return {
        "projects": len(evs),
        "budget": budget,
        "executed": executed,
        "rate": percent(both_executed, both_budget) if both_budget else None,
        "average": q2(sum(scores, ZERO) / len(scores)) if scores else None,
        "scored": len(scores),
    }


def grade_distribution(evs: list[ProjectSummary]) -> list[dict]:
    """How many projects have each published grade (usual grades first, then others, then 未公布 and 未计分), with
    bar widths."""
    counts = Counter(e.grade_label for e in evs)
    order = ["优", "良", "中", "低", "差"]
    last = ["未公布", "未计分"]
    names = (
        [g for g in order if g in counts]
        + sorted(g for g in counts if g not in order and g not in last)
        + [g for g in last if g in counts]
    )
    top = max(counts.values(), default=1)
    total = sum(counts.values()) or 1
    return [
        {
            "name": g,
            "count": counts[g],
            "share": q2(Decimal(counts[g]) / total * HUNDRED),
            "width": int(counts[g] * 100 / top),
        }
        for g in names
    ]


def home_page(evs: list[ProjectSummary], options: SiteOptions) -> str:
    """The home page: totals, grade distribution and the ten newest projects."""
    src = "index.md"
    recent = evs[:10]
    return "\n".join(
        [
            front_matter(  # the site's navigation stays: it is the way in
                options.site_title, hide=["toc"], feed=feed_meta(FEED, f"{options.site_title}：最新公开")
            ),
            f"# {md_inline(options.site_title)}",
            "",
            "本站公开项目支出绩效评价结果：每个项目的绩效指标、预算执行、评价结论和评价报告，并按公布的评分规则逐项复核计算。",
            "",
            render("home.html.j2", s=summary(evs)),
            "",
            "## 等级分布",
            "",
            render("grades.html.j2", grades=grade_distribution(evs)),
            "",
            "## 最新公开",
            "",
            projects_table(recent, src, filters=False),
            "",
            f'<p><a class="md-button" href="{rel(src, "projects/index.md")}">查看全部项目</a> '
            f'<a class="md-button" href="{rel(src, "data.md")}">下载数据</a> '
            f'<a class="md-button" href="{rel(src, FINDINGS_PAGE)}">问题清单</a> '
            f'<a class="md-button" href="{rel(src, FEED)}" type="application/atom+xml">订阅更新</a></p>',
            "",
        ]
    )


def all_projects_page(evs: list[ProjectSummary]) -> str:
    """The page listing every project, with filters."""
    src = "projects/index.md"
    return "\n".join(
        [
            front_matter("全部项目"),
            "# 全部项目",
            "",
            f"共 {len(evs)} 个公开的评价记录。可按年度、地区、主管部门、评价类型、等级和关键词筛选，点击表头排序。",
            "",
            across_years_links(evs, src),  # 关注清单, 逐年对比 (across years)
            "",
            findings_link(src),
            "",
            projects_table(evs, src, filters=True),
            "",
        ]
    )


def group_pages(evs: list[ProjectSummary], department_page: Callable[[str | None], str], site_title: str = "") -> list:
    """The by-year and by-department index pages and one page per year and per department (`site_title` begins
    the title of a department's feed)."""
    pages = []
    # A record whose source printed no evaluation year, or no department, is never put under a year or a department
    # it does not state: each has an index entry of its own (评价年度未公布, 主管部门未公布), listed last.
    by_year: dict[int | None, list[ProjectSummary]] = defaultdict(list)
    by_dept: dict[str | None, list[ProjectSummary]] = defaultdict(list)
    tracker = Tracker(evs)  # problems and their status now: each department page lists its open ones (issue 17)
    for ev in evs:
        by_year[ev.year].append(ev)
        by_dept[ev.department].append(ev)
    years = sorted((y for y in by_year if y is not None), reverse=True) + ([None] if None in by_year else [])
    year_items = "\n".join(
        f'<li><a href="{rel("years/index.md", year_page(y))}">{_year_title(y)}</a>（{len(by_year[y])} 个）</li>'
        for y in years
    )
    pages.append(
        _page(
            "years/index.md",
            "\n".join([front_matter("按年度"), "# 按年度", "", f'<ul class="pd-group-list">\n{year_items}\n</ul>', ""]),
        )
    )
    for y in years:
        items = by_year[y]
        src = year_page(y)
        s = summary(items)
        pages.append(
            _page(
                src,
                "\n".join(
                    [
                        front_matter(_year_title(y)),
                        f"# {_year_title(y)}",
                        "",
                        f"{len(items)} 个评价记录，预算合计 {fmt(q2(s['budget']))} 万元，执行 {fmt(q2(s['executed']))} 万元。",
                        "",
                        _UNPUBLISHED_YEAR_NOTE if y is None else "",
                        "",
                        projects_table(items, src, filters=False),
                        "",
                    ]
                ),
            )
        )
    departments = sorted(d for d in by_dept if d is not None) + ([None] if None in by_dept else [])
    dept_items = "\n".join(
        f'<li><a href="{rel("departments/index.md", department_page(d))}">{escape(_department_title(d))}</a>'
        f"（{len(by_dept[d])} 个）</li>"
        for d in departments
    )
    pages.append(
        _page(
            "departments/index.md",
            "\n".join(
                [front_matter("按部门"), "# 按主管部门", "", f'<ul class="pd-group-list">\n{dept_items}\n</ul>', ""]
            ),
        )
    )
    for d in departments:
        items = by_dept[d]
        src = department_page(d)
        pages.append(
            _page(
                src,
                "\n".join(
                    [
                        front_matter(_department_title(d), **_department_feed_meta(d, site_title)),
                        f"# {md_inline(_department_title(d))}",
                        "",
                        f"{len(items)} 个评价记录。",
                        "",
                        *([_UNPUBLISHED_DEPARTMENT_NOTE, ""] if d is None else []),
                        averages_table(items),  # across years: average score and execution rate by year
                        "",
                        AVERAGES_NOTE,
                        "",
                        projects_table(items, src, filters=False),
                        "",
                        *(
                            [feed_link(src, department_feed(d), "订阅本部门的新公开（Atom）"), ""]
                            if d is not None
                            else []
                        ),
                        open_problems_section(items, tracker, src),
                        "",
                    ]
                ),
            )
        )
    return pages


_UNPUBLISHED_YEAR_NOTE = "这些评价记录的公布材料没有写明评价年度。本站不推测年度，按公布材料发布的年份归档。"
_UNPUBLISHED_DEPARTMENT_NOTE = "这些评价记录的公布材料没有写明主管部门。"


def _year_title(year: int | None) -> str:
    return f"{year} 年度" if year is not None else UNPUBLISHED_YEAR


def _department_title(department: str | None) -> str:
    return department if department is not None else UNPUBLISHED_DEPARTMENT


def methodology_page(evs: list[ProjectSummary]) -> str:
    """The methodology page: the schemes, grade bands and rule kinds the published records use."""
    schemes = {}
    bands = {}
    kinds: Counter = Counter()
    for ev in evs:
        if ev.scheme:
            schemes[ev.scheme.name] = ev.scheme
        if ev.bands:
            bands[ev.bands.name] = ev.bands
        kinds.update(ev.rule_kinds)
    out = [
        front_matter("方法说明"),
        "# 方法说明",
        "",
        "本站不改变任何公布结果。每个评价记录都照录原文的指标、分值、得分和等级；本站另按记录中写明的评分规则重新计算每项得分（复核得分），"
        "并核对分值加总、总分、预算执行率、结余结转等算术关系。发现不一致时，在项目页面的“数据核对”部分列出，并同时显示公布得分和复核得分。",
        "",
        "金额、比率和得分均按十进制精确计算，四舍五入保留两位小数（例如 167.23 ÷ 200 = 83.62%）。",
        "",
        "## 评分方案",
        "",
    ]
    for s in sorted(schemes.values(), key=lambda s: s.name):
        out += [f"### {md_inline(s.title)}", "", md_inline(s.basis) if s.basis else "", ""]
        # The scored parts as on the form: a weighted row of the template (单位自评's 预算执行率) and the groups.
        parts = [t for t in s.template if "weight" in t] + list(s.groups)
        if parts:
            rows = "".join(
                f'<tr><td>{escape(" / ".join(g["path"]))}</td><td class="pd-num">{escape(str(g.get("weight", "")))}</td></tr>'
                for g in parts
            )
            out += [
                f'<div class="pd-table-wrap"><table><thead><tr><th>一级指标</th><th>分值</th></tr></thead><tbody>{rows}</tbody></table></div>',
                "",
            ]
        count = sum(1 for e in evs if e.scheme is not None and e.scheme.name == s.name)
        out += [f"使用该方案的公开记录：{count} 个。", ""]
    out += [
        "## 等级分数段",
        "",
        "总分先换算为百分制（满分不是 100 分时按 总分 ÷ 满分 × 100），再按分数段确定等级；例如 89.5 分为“良”。",
        "",
    ]
    for b in sorted(bands.values(), key=lambda b: b.name):
        band_rows = [
            f'<tr><td><span class="pd-badge pd-grade" data-grade="{escape(band.grade)}">{escape(band.grade)}</span></td>'
            f"<td>{range_text(band, METHODOLOGY_WORDING)}</td></tr>"
            for band in band_ranges(b)
        ]
        out += [
            f"### {md_inline(b.title)}",
            "",
            md_inline(b.basis) if b.basis else "",
            "",
            f'<div class="pd-table-wrap"><table><thead><tr><th>等级</th><th>分数段（百分制）</th></tr></thead><tbody>{"".join(band_rows)}</tbody></table></div>',
            "",
        ]
    out += ["## 评分规则类型", "", "公开记录中使用的评分规则类型及其计算方法：", ""]
    for name in sorted(kinds, key=lambda k: list(KINDS).index(k)):
        kind = KINDS[name]
        out += [
            f"### {md_inline(kind.title)}",
            "",
            md_inline(public_rule_text(name)),
            "",
            f"使用该规则的指标：{kinds[name]} 个。"
            + ("评价人在规定区间内评分，本站只核对得分是否在区间内。" if kind.evaluator_choice else ""),
            "",
        ]
    return "\n".join(out)


def listing_pages(
    evs: list[ProjectSummary], options: SiteOptions, department_page: Callable[[str | None], str]
) -> list:
    """Every index page of the site (home, all projects, methodology, data, years, departments)."""
    pages = [
        _page("index.md", home_page(evs, options)),
        _page("projects/index.md", all_projects_page(evs)),
        _page("methodology.md", methodology_page(evs)),
        _page("data.md", data_page(evs, options)),
        _page(WATCH_PAGE, watch_list_page(evs, options.show_review)),
    ]
    return pages + group_pages(evs, department_page, options.site_title)
