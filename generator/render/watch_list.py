"""关注清单: the published records a reader may want to look at first — low scores, low budget execution, and
totals the recomputation does not confirm — each with a link to its page.

The thresholds are data (render/watch_list.toml) and the page states them. Only published records reach the
summaries this page is made from: a draft or an embargoed record cannot appear here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from html import escape
from pathlib import Path

import tomli

from generator.core.decimals import fmt
from generator.core.schemes import GradeBands

from .compare import COMPARE_INDEX, multi_year_ids
from .grades import band_ranges
from .summary import ProjectSummary
from .text import front_matter
from .unpublished import UNPUBLISHED
from .urls import rel

WATCH_PAGE = "watchlist.md"
THRESHOLDS = Path(__file__).parent / "watch_list.toml"


@dataclass(frozen=True)
class Thresholds:
    score_below: Decimal  # on a 100 scale
    rate_below: Decimal  # percent
    review_at_least: Decimal  # points between the published and the recomputed total


@lru_cache(maxsize=1)
def thresholds() -> Thresholds:
    """The thresholds of render/watch_list.toml."""
    with THRESHOLDS.open("rb") as fh:
        data = tomli.load(fh, parse_float=Decimal)
    return Thresholds(
        Decimal(data["low_score"]["below"]),
        Decimal(data["low_execution"]["below"]),
        Decimal(data["review_difference"]["at_least"]),
    )


def grades_below(bands: GradeBands, below: Decimal) -> list[str]:
    """The grades of a band set that scores below `below` receive: “中”, or “良”（低于 85 分的部分）."""
    out = []
    for band in band_ranges(bands):
        if band.minimum >= below:
            continue
        whole = band.upper is not None and band.upper <= below
        out.append(f"“{band.grade}”" if whole else f"“{band.grade}”（低于 {fmt(below)} 分的部分）")
    return out


def grade_wording(evs: list[ProjectSummary], below: Decimal) -> str:
    """What the score threshold means in the grade bands the published records use, as a sentence:
    按等级分数段，相当于四档（财预〔2020〕10号）的“中”“差”."""
    used = {s.bands.name: s.bands for s in evs if s.bands is not None}
    said = [
        f"{bands.title}的{''.join(grades)}"
        for bands in sorted(used.values(), key=lambda b: b.name)
        if (grades := grades_below(bands, below))
    ]
    return f"按本站记录所用的等级分数段，相当于{'；'.join(said)}。" if said else ""


def low_scores(evs: list[ProjectSummary], t: Thresholds) -> list[ProjectSummary]:
    return [s for s in evs if (pct := s.score_pct) is not None and pct < t.score_below]


def low_execution(evs: list[ProjectSummary], t: Thresholds) -> list[ProjectSummary]:
    return [s for s in evs if s.execution_rate is not None and s.execution_rate < t.rate_below]


def review_differences(evs: list[ProjectSummary], t: Thresholds) -> list[ProjectSummary]:
    return [
        s
        for s in evs
        if s.scored
        and s.total is not None
        and s.computed_total is not None
        and abs(s.computed_total - s.total) >= t.review_at_least
    ]


def _table(caption: str, headers: list[str], rows: list[str]) -> str:
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    return (
        f'<div class="pd-table-wrap">\n<table class="pd-watch">\n<caption>{caption}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</div>"
    )


def _lead(s: ProjectSummary, src: str) -> str:
    """The cells every table starts with: year, project (linked to its page), department."""
    return (
        f'<td>{s.year if s.year is not None else UNPUBLISHED}</td><td><a href="{rel(src, s.path)}">{escape(s.name)}</a>'
        f'<span class="pd-sub">{escape(s.evaluation)}</span></td><td>{escape(s.department or UNPUBLISHED)}</td>'
    )


def _section(title: str, rule: str, found: list[ProjectSummary], table: Callable[[list[ProjectSummary]], str]) -> list:
    body = table(found) if found else "<p>没有符合该标准的记录。</p>"
    return [f"## {title}（{len(found)} 个）", "", rule, "", body, ""]


def watch_list_page(evs: list[ProjectSummary], show_review: bool = True, t: Thresholds | None = None) -> str:
    """The 关注清单 page of the published records `evs` (in the site's order: newest year first)."""
    t = t or thresholds()
    src = WATCH_PAGE
    lead = ["年度", "项目", "主管部门"]

    def scores(found: list[ProjectSummary]) -> str:
        rows = []
        for s in found:
            grade = (
                f'<span class="pd-badge pd-grade" data-grade="{escape(s.grade)}">{escape(s.grade)}</span>'
                if s.grade
                else "—"
            )
            rows.append(
                f'<tr>{_lead(s, src)}<td class="pd-num">{fmt(s.total)}<small> / {fmt(s.max_score)}</small></td>'
                f'<td class="pd-num">{fmt(s.score_pct)}</td><td>{grade}</td></tr>'
            )
        return _table("得分偏低的记录", lead + ["公布总分", "百分制", "等级"], rows)

    def execution(found: list[ProjectSummary]) -> str:
        rows = [
            f'<tr>{_lead(s, src)}<td class="pd-num">{fmt(s.budget)}</td><td class="pd-num">{fmt(s.executed)}</td>'
            f'<td>{escape(s.unit or "")}</td><td class="pd-num">{fmt(s.execution_rate)}%</td></tr>'
            for s in found
        ]
        return _table("预算执行率偏低的记录", lead + ["预算数", "执行数", "单位", "执行率"], rows)

    def review(found: list[ProjectSummary]) -> str:
        rows = []
        for s in found:
            assert s.total is not None and s.computed_total is not None  # review_differences keeps only these
            rows.append(
                f'<tr>{_lead(s, src)}<td class="pd-num">{fmt(s.total)}</td><td class="pd-num">{fmt(s.computed_total)}</td>'
                f'<td class="pd-num">{fmt(s.computed_total - s.total)}</td></tr>'
            )
        return _table("复核总分与公布总分不一致的记录", lead + ["公布总分", "复核总分", "相差（复核 − 公布）"], rows)

    basis = escape(grade_wording(evs, t.score_below))
    out = [
        front_matter("关注清单"),
        "# 关注清单",
        "",
        "本页按下列标准，从全部公开的评价记录中自动列出值得关注的记录，并链接到各记录的页面。列入本页只说明记录符合该标准，"
        "不是新的评价结论；公布的得分和等级以各记录页面照录的原文为准。",
        "",
    ]
    out += _section(
        "得分偏低",
        f"公布总分换算为百分制后低于 {fmt(t.score_below)} 分。{basis}未计分的评价记录不列入。",
        low_scores(evs, t),
        scores,
    )
    out += _section(
        "预算执行率偏低",
        f"预算执行率（执行数 ÷ 预算数，有调整后预算的按调整后预算）低于 {fmt(t.rate_below)}%。算不出执行率的记录不列入。",
        low_execution(evs, t),
        execution,
    )
    if show_review:
        out += _section(
            "复核总分与公布总分不一致",
            f"本站按记录写明的评分规则重新计算的总分，与公布的总分相差 {fmt(t.review_at_least)} 分及以上。"
            "差异的原因见各记录页面的“数据核对”部分。",
            review_differences(evs, t),
            review,
        )
    return "\n".join(out)


# --- across years (issue 13): the 关注清单 and 逐年对比 pages, mentioned from 全部项目 and 数据下载
def across_years_links(evs: list[ProjectSummary], src: str) -> str:
    """A line pointing to the 关注清单 and, when some project has two years or more, to 逐年对比."""
    links = f'<a href="{rel(src, WATCH_PAGE)}">关注清单</a>列出得分偏低、预算执行率偏低等值得关注的评价记录'
    if multi_year_ids((s.id, s.year) for s in evs):
        links += f'；评价过多个年度的项目可<a href="{rel(src, COMPARE_INDEX)}">逐年对比</a>'
    return f'<p class="pd-see-also">{links}。</p>'
