"""The project page: identity, budget, goals, the indicator table as on the form, charts, narrative."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from generator.core.decimals import ZERO, fmt, percent
from generator.core.diagnostics import Diagnostic, Listing, Severity
from generator.core.gap_checks import stated_maximum
from generator.core.model import BudgetRow
from generator.core.revisions import update_date
from generator.core.scoring import Evaluation, LeafResult, Node, TotalScope, form_weight, published_grade

from .charts import BudgetBar, RateRow, budget_chart, rate_chart
from .env import render
from .narrative import render_narrative
from .problems import problem_sections
from .problems import search_text as problems_search_text
from .search_text import INDICATOR, ORG, TEXT, TITLE, SearchDoc, SearchGroup, markdown_text
from .text import front_matter, md_inline
from .unpublished import UNPUBLISHED, text
from .urls import page_url

LEVEL_NAMES = ["一级指标", "二级指标", "三级指标", "四级指标", "五级指标", "六级指标"]


@dataclass(frozen=True)
class SiteOptions:
    """Site-wide choices that change how pages are rendered."""

    show_review: bool = True  # show 复核得分 where the computed score differs
    site_title: str = "项目支出绩效评价信息公开"
    guide: bool = True  # the editors' guide pages are part of the site (links to guide/fields.md)
    site_url: str = ""  # the address the site is published at ("" when unknown): feeds' absolute links (feeds.py)


def public_findings(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The problems a published page and its downloads show: the warnings and notes the registry lists for the
    public (diagnostics.Listing), about the published figures. Not how the files are written, nor checks across
    records, whose messages name other record files — possibly a draft or an embargoed record (W121)."""
    return [d for d in diagnostics if d.severity is not Severity.ERROR and d.listing.public]


def finding_groups(diagnostics: list[Diagnostic]) -> list[tuple[str, list[str]]]:
    """The public findings in their plain words, under their headings (得分核对, 预算核对, 报告正文核对), each
    group in the order of the record (the indicator table's order, then the report's)."""
    findings = public_findings(diagnostics)
    return [
        (listing.heading, [d.public for d in findings if d.listing is listing])
        for listing in Listing
        if any(d.listing is listing for d in findings)
    ]


def findings_section(diagnostics: list[Diagnostic]) -> list[str]:
    """数据核对: what the recomputation found, for the public (no codes, files, field names or instructions)."""
    groups = finding_groups(diagnostics)
    if not groups:
        return []
    parts = [
        "## 数据核对",
        "",
        '<p class="pd-findings-intro">本站按评分规则和公布的数据重新核算，发现以下与公布材料不一致或无法核对之处。'
        "核对结果不改变公布的得分和等级。</p>",
        "",
    ]
    for heading, texts in groups:
        parts += [f"### {heading}", "", render("findings.html.j2", findings=texts), ""]
    return parts


def filing_year(ev: Evaluation) -> int:
    """The year a rendered record is filed under (a record without one is withheld with E101, never rendered)."""
    year = ev.record.filing_year
    if year is None:
        raise ValueError(f"{ev.record.file}: no filing year")
    return year


def project_path(ev: Evaluation) -> str:
    """Source path of the project page, relative to the site root (under its filing year: see Record.filing_year)."""
    return f"projects/{ev.record.filing_year}/{ev.record.slug}.md"


def download_base(ev: Evaluation) -> str:
    """Path of the project's download files without extension, relative to the site root."""
    return f"downloads/{ev.record.filing_year}/{ev.record.slug}"


def year_text(ev: Evaluation) -> str:
    """The evaluation year as a page names it: "2021 年度", or "评价年度未公布"."""
    year = ev.record.year
    return f"{year} 年度" if year is not None else "评价年度未公布"


def partial(ev: Evaluation) -> bool:
    """The record's table was printed in part ([form] excerpt): its sums are of the published part only."""
    return ev.record.scored and ev.record.excerpt is not None


def _differs(leaf: LeafResult) -> bool:
    return (
        leaf.computed is not None
        and leaf.indicator.score is not None
        and abs(leaf.computed - leaf.indicator.score) >= Decimal("0.005")
    )


def indicator_rows(ev: Evaluation) -> tuple[list[dict], int]:
    """The indicator table's rows as on the form (group cells spanning their leaves), and the depth of the tree."""
    depth = max((len(leaf.indicator.full_path) for leaf in ev.leaves), default=1)
    rows: list[dict] = []

    def visit(items: list, ancestors: list[Node]) -> None:
        for item in items:
            if isinstance(item, Node):
                visit(item.children, ancestors + [item])
                continue
            leaf: LeafResult = item
            cells = []
            for node in ancestors:
                if node.leaves()[0] is leaf:
                    cells.append(
                        {
                            "name": node.name,
                            "rowspan": len(node.leaves()),
                            "depth": len(node.path),
                            # the group's weight as printed ([[group]]), else what its rows add up to
                            "weight": node.declared_weight if node.declared_weight is not None else node.weight,
                            "score": node.declared_score,
                            "review": node.computed_score,
                        }
                    )
            ind = leaf.indicator
            rows.append(
                {
                    "level_cells": cells,
                    "colspan": depth - len(ind.path),
                    "name": ind.name,
                    "target": text(ind, "target", ind.target),
                    "actual": text(ind, "actual", ind.actual),
                    "np": ind.unpublished,
                    "weight": leaf.weight,
                    "weight_derived": leaf.weight_derived,
                    "score": ind.score,
                    "computed": leaf.computed,
                    "differs": _differs(leaf),
                    "explanation": leaf.outcome.explanation if leaf.outcome else "",
                    "reason": text(ind, "reason", ind.reason),
                    "na": not ind.applicable,
                }
            )

    visit(ev.roots, [])
    return rows, depth


def rate_rows(nodes: list) -> list[RateRow]:
    """Score-rate chart rows for the nodes that have both a weight and a published score."""
    out = []
    for n in nodes:
        weight = n.weight
        score = n.declared_score if isinstance(n, Node) else n.indicator.score
        if weight and score is not None:
            out.append(RateRow(label=n.name if isinstance(n, Node) else n.indicator.name, score=score, weight=weight))
    return out


def _base(row: BudgetRow) -> Decimal | None:
    """What a budget row's execution is measured against: its adjusted budget, else its initial one."""
    return row.budget if row.budget is not None else row.initial


def budget_section(ev: Evaluation, review: bool) -> str:
    """The budget table and its chart, as HTML (empty when the record has no budget)."""
    b = ev.record.budget
    if b is None:
        return ""
    items = [
        {
            "row": r,
            "rate": percent(r.executed, base)
            if r.executed is not None and (r.budget or r.initial) and (base := _base(r)) is not None
            else None,
        }
        for r in b.items
    ]

    def total(attr: str) -> Decimal | None:
        values = [getattr(r, attr) for r in b.items]
        return sum(values, ZERO) if values and all(v is not None for v in values) else None

    totals = {"initial": total("initial"), "budget": total("budget"), "executed": total("executed")}
    totals["rate"] = (
        percent(totals["executed"], totals["budget"]) if totals["executed"] is not None and totals["budget"] else None
    )
    adj = (
        b.adjustment
        if b.adjustment is not None
        else (b.budget - b.initial if b.budget is not None and b.initial is not None else None)
    )
    adjustment_rate = percent(adj, b.initial) if adj is not None and b.initial else None
    rows = {id(r): r.unpublished for r in (*b.sources, *b.items)}
    html = render(
        "budget.html.j2",
        np=b.unpublished,
        row_np=lambda row: rows.get(id(row), frozenset()),
        balance_np=b.balance.unpublished if b.balance is not None else frozenset(),
        b=b,
        rate=ev.execution_rate,
        items=items,
        totals=totals,
        review=review,
        adjustment_rate=adjustment_rate,
    )
    bars = [
        BudgetBar(r.name, base, r.executed)
        for r in b.items
        if r.executed is not None and (base := _base(r)) is not None
    ]
    if not bars and b.base is not None and b.executed is not None:
        bars = [BudgetBar("年度资金总额", b.base, b.executed)]
    chart = budget_chart("chart-budget", "预算数与执行数", bars, b.unit)
    return html + "\n" + chart


_TITLE_NOTE = re.compile(r"\s*（[^（）]*）$")  # a scheme title's closing note: its template's weights


def scheme_line(ev: Evaluation) -> str:
    """The scheme a record is scored by, with the level-1 points of the record's own table: the scheme's
    template weights are only a starting point, and the page must not contradict the table below it."""
    name = _TITLE_NOTE.sub("", ev.scheme.title) if ev.scheme else "记录自定"
    parts = [
        (n.name if isinstance(n, Node) else n.indicator.name, weight)
        for n in ev.roots
        if (weight := _printed_weight(n)) is not None
    ]
    if not parts:
        return name
    return f"{name}（本表一级指标：{' / '.join(f'{label} {fmt(weight)}' for label, weight in parts)}）"


def _partial_row(ev: Evaluation) -> dict:
    """已公布部分合计: the weights and scores of the rows the excerpt prints, added up, and their recomputation."""
    applicable = [leaf for leaf in ev.leaves if leaf.indicator.applicable]
    weights = [leaf.weight for leaf in applicable]
    scores = [leaf.indicator.score for leaf in applicable]
    return {
        "weight": sum((w for w in weights if w is not None), ZERO) if all(w is not None for w in weights) else None,
        "score": sum((x for x in scores if x is not None), ZERO) if all(x is not None for x in scores) else None,
        "review": ev.computed_total,
    }


def _printed_weight(item: Node | LeafResult) -> Decimal | None:
    """A level-1 weight as the form prints it: the group's own ([[group]]), else what its rows add up to."""
    if isinstance(item, Node) and item.declared_weight is not None:
        return item.declared_weight
    return form_weight(item)


def project_view(ev: Evaluation, options: SiteOptions, department_url: str) -> dict:
    """What the meta block (meta.html.j2) shows of a project: identity, published and reviewed score and grade."""
    r = ev.record
    return {
        "id": r.id,
        "name": r.name,
        "year": r.year if r.year is not None else UNPUBLISHED,
        "region": r.region,
        "department": text(r, "department", r.department),
        "department_url": department_url,
        "implementer": text(r, "implementer", r.implementer),
        "evaluation": r.evaluation,
        "evaluator": text(r, "evaluator", r.evaluator),
        "date": text(r, "date", r.date),
        "publish_date": r.publish_date,
        "update_date": update_date(r),
        "source": r.source,
        "scored": r.scored,
        "total": r.total if r.scored else None,
        "total_unpublished": r.scored and "total" in r.unpublished,
        "grade_unpublished": r.scored and "grade" in r.unpublished,
        "max_score": stated_maximum(ev) if partial(ev) else ev.max_score,
        "grade": published_grade(ev),
        "review_total": ev.computed_total,
        "review_partial": ev.total_scope is TotalScope.PARTIAL,
        "excerpt": partial(ev),
        "review_not_computable": r.scored and ev.total_scope is TotalScope.NOT_COMPUTABLE,
        "review_grade": ev.grade,
        "show_review": options.show_review,
        "scheme_title": scheme_line(ev),
        "bands_title": ev.bands.title if ev.bands else "—",
    }


def page_facts(ev: Evaluation) -> dict[str, str]:
    """Facts about the page for a site engine's templates (front matter): whose material it is, its keywords and,
    when the record gives it, the date it was made public. The MkDocs adapter turns them into the meta tags and
    the 信息公开 header of government websites (mkdocs_plugin/portal.py)."""
    r = ev.record
    year = f"{r.year} 年度" if r.year is not None else None
    words = [r.name, r.department, r.region, year, r.evaluation, "绩效评价"]
    facts = {"keywords": ",".join(dict.fromkeys(w for w in words if w))}
    if r.department:  # a department the source did not publish has no page of its own
        facts = {"department": r.department, **facts}
    if r.publish_date:
        facts["publish_date"] = r.publish_date
    if updated := update_date(r):
        facts["update_date"] = updated  # the latest [[revisions]] entry: the header's 更新日期
    return facts


def revisions_section(ev: Evaluation) -> list[str]:
    """修订记录: the changes made after first publication, as the record's [[revisions]] note them (none: nothing)."""
    r = ev.record
    rows = [rev for rev in r.revisions if rev.date]
    if not rows:
        return []
    html = render(
        "revisions.html.j2", rows=rows, publish_date=r.publish_date, any_fields=any(rev.fields for rev in rows)
    )
    return ["## 修订记录", "", html, ""]


def render_project(
    ev: Evaluation, options: SiteOptions, *, department_url: str, other_years: str, downloads: list[tuple[str, str]]
) -> str:
    """The page as Markdown with HTML blocks; `other_years` is the 其他年度 block (or a placeholder)."""
    r = ev.record
    review = options.show_review and r.scored and any(_differs(leaf) for leaf in ev.leaves)
    year = year_text(ev)
    parts = [
        front_matter(
            f"{r.name}（{year}{'' if r.year is not None else '，'}{r.evaluation}）",
            description=f"{r.department or ''} {r.name} {year}{r.evaluation}结果".strip(),
            **page_facts(ev),
        ),
        f"# {md_inline(r.name)}",
        "",
        f'<p class="pd-subtitle">{year} · {escape(r.evaluation)} · {escape(r.region)}</p>',
        "",
        render("meta.html.j2", p=project_view(ev, options, department_url)),
        "",
        *revisions_section(ev),
    ]
    if r.budget is not None:
        parts += ["## 预算执行情况", "", budget_section(ev, options.show_review), ""]
    if r.goals_expected or r.goals_achieved:
        n = max(len(r.goals_expected), len(r.goals_achieved))
        goals = [
            (
                r.goals_expected[i] if i < len(r.goals_expected) else "",
                r.goals_achieved[i] if i < len(r.goals_achieved) else "",
            )
            for i in range(n)
        ]
        parts += ["## 年度总体目标", "", render("goals.html.j2", rows=goals), ""]
    if ev.leaves:
        rows, depth = indicator_rows(ev)
        headers = LEVEL_NAMES[: max(depth - 1, 0)] + [
            LEVEL_NAMES[depth - 1] if depth - 1 < len(LEVEL_NAMES) else "指标"
        ]
        parts += [
            "## 绩效指标完成情况",
            "",
            render(
                "indicators.html.j2",
                rows=rows,
                level_headers=headers,
                scored=r.scored,
                review=review,
                max_score=stated_maximum(ev) if partial(ev) else ev.max_score,
                total=r.total,
                total_unpublished="total" in r.unpublished,
                review_total=ev.computed_total,
                partial=_partial_row(ev) if partial(ev) else None,
                any_derived=any(leaf.weight_derived for leaf in ev.leaves),
            ),
            "",
        ]
        if r.scored:
            level1 = [n for n in ev.roots]
            level2 = [c for n in ev.roots if isinstance(n, Node) for c in n.children if isinstance(c, Node)]
            charts = [rate_chart("chart-level1", "一级指标得分率", rate_rows(level1))]
            if level2:
                charts.append(rate_chart("chart-level2", "二级指标得分率", rate_rows(level2)))
            parts += ["## 得分率", "", "\n".join(c for c in charts if c), ""]
    parts += problem_sections(r)  # 存在的问题, 有关建议, 整改情况 (filled in later), 评价结果应用 (issue 17)
    parts += findings_section(ev.diagnostics)
    if r.narrative and r.narrative.strip():
        parts += ["## 评价报告", "", f'<div class="pd-narrative">\n{render_narrative(r.narrative).strip()}\n</div>', ""]
    elif r.narrative_unpublished:
        parts += [
            "## 评价报告",
            "",
            f'<p class="pd-unpublished">评价报告正文：{UNPUBLISHED}（公布材料中没有评价报告正文）。</p>',
            "",
        ]
    if r.monitoring is not None:
        unit = r.budget.unit if r.budget else "万元"
        parts += ["## 执行监控", "", render("monitoring.html.j2", m=r.monitoring, unit=unit), ""]
    if other_years:
        parts += [other_years, ""]
    if downloads:
        links = "\n".join(f'<li><a href="{url}" download>{escape(label)}</a></li>' for label, url in downloads)
        parts += ["## 下载数据", "", f'<ul class="pd-downloads">\n{links}\n</ul>', ""]
    return "\n".join(parts)


def project_search_doc(ev: Evaluation) -> SearchDoc:
    """The project's entry in the search index: its name, organisations, indicator names and the rest of its text
    (goals, targets, actual values, reasons, budget items, narrative) as weighted fields, and its result filters."""
    r = ev.record
    grade = published_grade(ev)
    if r.scored:
        score = f" · 总分 {fmt(r.total)}" if r.total is not None else f" · 总分{UNPUBLISHED}"
    else:
        score = " · 未计分"
    department = r.department if r.department is not None else "主管部门未公布"
    summary = f"{year_text(ev)} · {r.evaluation} · {department}{score}{' · ' + grade if grade else ''}"
    indicators = " ".join(dict.fromkeys(name for leaf in ev.leaves for name in leaf.indicator.full_path))
    values = " ".join(
        f"{leaf.indicator.target or ''} {leaf.indicator.actual or ''} {leaf.indicator.reason or ''}"
        for leaf in ev.leaves
    )
    items = " ".join(row.name for row in (r.budget.items if r.budget else []))
    year = str(r.year) if r.year is not None else ""
    organisations = " ".join(x for x in (r.department, r.region, r.implementer, r.evaluator) if x)
    other = " ".join(
        x
        for x in (
            r.evaluation,
            year,
            r.id,
            " ".join(r.goals_expected),
            " ".join(r.goals_achieved),
            values,
            items,
            problems_search_text(r),
        )
        if x
    )
    grade_label = grade or (UNPUBLISHED if r.scored else "未计分")  # as the projects table's 等级 column
    return SearchDoc(
        url=page_url(project_path(ev)),
        title=f"{r.name}（{r.year if r.year is not None else UNPUBLISHED}）",
        summary=summary,
        fields=(
            (TITLE, r.name),
            (ORG, organisations),
            (INDICATOR, indicators),
            (TEXT, " ".join(x for x in (" ".join(other.split()), markdown_text(r.narrative or "")) if x)),
        ),
        group=SearchGroup.PROJECT,
        # equally ranked results: newest year first, then department, grade and name — so that the projects of one
        # year, department and grade are numbered together and the index's filters take a few runs (search_index)
        order_key="\x1f".join((f"{9999 - (r.filing_year or 0):04d}", department, grade_label, r.name)),
        year=year or UNPUBLISHED,
        department=r.department if r.department is not None else UNPUBLISHED,
        grade=grade_label,
    )
