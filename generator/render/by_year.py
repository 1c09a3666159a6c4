"""A department's results year by year: the average score and the average budget execution rate, each
saying how many records it covers (only scored records have a score; only records with a budget and its
execution have a rate)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from generator.core.decimals import ZERO, fmt, q2

from .summary import ProjectSummary
from .unpublished import UNPUBLISHED


@dataclass(frozen=True)
class YearAverages:
    year: int | None  # None: records whose evaluation year was not published, listed last
    records: int
    average_score: Decimal | None  # on a 100 scale, over `scored` records
    scored: int
    average_rate: Decimal | None  # percent, over `with_rate` records
    with_rate: int


def _mean(values: list[Decimal]) -> Decimal | None:
    return q2(sum(values, ZERO) / len(values)) if values else None


def averages_by_year(evs: list[ProjectSummary]) -> list[YearAverages]:
    """Each year's averages, newest year first, then the records whose evaluation year was not published."""
    by_year: dict[int | None, list[ProjectSummary]] = defaultdict(list)
    for s in evs:
        by_year[s.year].append(s)
    out = []
    for year in sorted(by_year, key=lambda y: (y is None, -(y or 0))):
        items = by_year[year]
        scores = [p for s in items if (p := s.score_pct) is not None]
        rates = [s.execution_rate for s in items if s.execution_rate is not None]
        out.append(YearAverages(year, len(items), _mean(scores), len(scores), _mean(rates), len(rates)))
    return out


def _cell(value: Decimal | None, count: int, suffix: str, attr: str) -> str:
    shown = f"{fmt(value)}{suffix}" if value is not None else "—"
    return f'<td class="pd-num" data-{attr}="{fmt(value)}" data-count="{count}">{shown}<span class="pd-sub">计入 {count} 个</span></td>'


def averages_table(evs: list[ProjectSummary]) -> str:
    """The small table of a department page: year, records, average score and average execution rate, each
    average with the number of records it covers."""
    rows = "\n".join(
        f'<tr data-year="{a.year if a.year is not None else ""}"><th scope="row">{a.year if a.year is not None else UNPUBLISHED}</th><td class="pd-num">{a.records}</td>'
        + _cell(a.average_score, a.scored, "", "average")
        + _cell(a.average_rate, a.with_rate, "%", "rate")
        + "</tr>"
        for a in averages_by_year(evs)
    )
    return (
        '<div class="pd-table-wrap">\n<table class="pd-by-year">\n<caption>各年度平均得分与预算执行率</caption>\n'
        '<thead><tr><th scope="col">年度</th><th scope="col">评价记录</th><th scope="col">平均得分（百分制）</th>'
        '<th scope="col">平均预算执行率</th></tr></thead>\n'
        f"<tbody>\n{rows}\n</tbody>\n</table>\n</div>"
    )


AVERAGES_NOTE = (
    "平均得分是当年计分的评价记录公布总分（换算为百分制）的算术平均，未计分的记录不计入；"
    "平均预算执行率是当年能算出执行率（执行数 ÷ 预算数）的记录的执行率的算术平均。“计入”是每个平均数包含的记录数。"
)
