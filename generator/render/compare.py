"""逐年对比: one page per project evaluated in two years or more, its years side by side.

Each published record leaves a small packed entry (core/across_years.YearEntry and its page) when it is
rendered; once every record is in, the entries of one project id make its comparison page. Drafts and
embargoed records are never rendered, so they leave no entry and no year of theirs appears here.
"""

from __future__ import annotations

import json
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from generator.core.across_years import Change, Comparison, Row, YearEntry, YearLeaf, YearPart, compare, year_entry
from generator.core.decimals import fmt
from generator.core.scoring import Evaluation

from .text import front_matter, md_inline
from .urls import rel

COMPARE_DIR = "projects/compare"
COMPARE_INDEX = f"{COMPARE_DIR}/index.md"
_TITLE_NOTE = re.compile(r"\s*（[^（）]*）$")  # a scheme title's closing note: its template's weights


def compare_path(project_id: str) -> str:
    """Source path of a project's comparison page (ids are lower-case letters, digits and hyphens)."""
    return f"{COMPARE_DIR}/{project_id}.md"


@dataclass(frozen=True)
class Column:
    """One evaluation on a comparison page: what it published, and its own page."""

    entry: YearEntry
    page: str  # the project page's source path


# --------------------------------------------------------------------------- the packed entry


def _d(value: Decimal | None) -> str | None:
    return None if value is None else fmt(value)


def _n(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def pack(ev: Evaluation, page: str) -> bytes:
    """What a comparison needs of a rendered record, compressed: it waits in memory until the build ends
    (about 1 KB a record)."""
    if ev.record.year is None:  # no evaluation year published: in no comparison by year (multi_year_ids)
        return b""
    e = year_entry(ev)
    data = [
        page,
        [e.id, e.year, e.evaluation, e.name, e.department, e.scheme, e.scheme_title, e.bands, e.bands_title],
        [e.scored, _d(e.total), _d(e.max_score), e.grade, _d(e.computed_total), _d(e.execution_rate)],
        [[p.name, _d(p.weight), _d(p.score)] for p in e.parts],
        [[list(x.path), x.target, x.actual, _d(x.weight), _d(x.score), x.applicable] for x in e.leaves],
    ]
    return zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


def unpack(blob: bytes) -> Column:
    page, ident, score, parts, leaves = json.loads(zlib.decompress(blob).decode("utf-8"))
    pid, year, evaluation, name, department, scheme, scheme_title, bands, bands_title = ident
    scored, total, max_score, grade, computed, rate = score
    entry = YearEntry(
        id=pid,
        year=year,
        evaluation=evaluation,
        name=name,
        department=department,
        scheme=scheme,
        scheme_title=scheme_title,
        bands=bands,
        bands_title=bands_title,
        scored=scored,
        total=_n(total),
        max_score=_n(max_score),
        grade=grade,
        computed_total=_n(computed),
        execution_rate=_n(rate),
        parts=tuple(YearPart(n, _n(w), _n(s)) for n, w, s in parts),
        leaves=tuple(YearLeaf(tuple(p), t, a, _n(w), _n(s), ok) for p, t, a, w, s, ok in leaves),
    )
    return Column(entry, page)


# --------------------------------------------------------------------------- the pages


def comparison_pages(columns_by_id: dict[str, list[Column]]) -> list[tuple[str, str]]:
    """(path, Markdown) of each project's comparison page, and of the page listing them (none when no project
    has two years)."""
    pages: list[tuple[str, str]] = []
    listed: list[Comparison] = []
    for pid in sorted(columns_by_id):
        columns = columns_by_id[pid]
        comparison = compare(c.entry for c in columns)
        if comparison is None:
            continue
        links = {(c.entry.year, c.entry.evaluation): c.page for c in columns}  # one record per year and kind (E120)
        pages.append((compare_path(pid), comparison_page(comparison, links)))
        listed.append(comparison)
    if listed:
        pages.append((COMPARE_INDEX, index_page(listed)))
    return pages


def multi_year_ids(pairs: Iterable[tuple[str, int | None]]) -> set[str]:
    """The project ids among (id, year) pairs that appear in two years or more: those with a comparison page.
    A record whose evaluation year was not published has no place in a comparison by year."""
    years: dict[str, set[int]] = defaultdict(set)
    for pid, year in pairs:
        if year is not None:
            years[pid].add(year)
    return {pid for pid, ys in years.items() if len(ys) > 1}


def _labels(entries: tuple[YearEntry, ...]) -> list[str]:
    """Column headings: 2023 年度, or 2023 年度部门评价 where one year has several evaluations."""
    per_year: dict[int, int] = defaultdict(int)
    for e in entries:
        per_year[e.year] += 1
    return [f"{e.year} 年度{e.evaluation}" if per_year[e.year] > 1 else f"{e.year} 年度" for e in entries]


def _scheme(title: str | None) -> str:
    return _TITLE_NOTE.sub("", title) if title else "记录自定的指标体系"


def _points(value: Decimal | None) -> str:
    return "未设分值" if value is None else f"{fmt(value)} 分"


def change_notes(change: Change, labels: list[str]) -> list[str]:
    """Why two evaluations' totals cannot be compared point for point, in plain words (empty when they can)."""
    before, after = labels[change.before], labels[change.after]
    notes = []
    if change.scheme:
        a, b = change.scheme
        notes.append(f"{after}采用的评分方案（{_scheme(b)}）与 {before}（{_scheme(a)}）不同。")
    if change.weights:
        parts = []
        for name, a_w, b_w in change.weights:
            if a_w is None:
                parts.append(f"新设“{name}” {_points(b_w)}")
            elif b_w is None:
                parts.append(f"不再设“{name}”（原 {_points(a_w)}）")
            else:
                parts.append(f"“{name}” {_points(a_w)} → {_points(b_w)}")
        notes.append(f"{after}的一级指标分值与 {before}不同：{'；'.join(parts)}。")
    if change.max_score:
        a_m, b_m = change.max_score
        notes.append(f"满分由 {before}的 {_points(a_m)}变为 {after}的 {_points(b_m)}。")
    if change.bands:
        a_b, b_b = change.bands
        notes.append(f"{after}的等级分数段（{b_b or '未注明'}）与 {before}（{a_b or '未注明'}）不同。")
    return notes


def _row_note(row: Row, labels: list[str]) -> str:
    """Which years do not list an indicator: 2023 年度新增, 2023 年度起不再列出, or the years without it."""
    missing = [i for i, c in enumerate(row.cells) if c is None]
    if not missing:
        return ""
    present = [i for i, c in enumerate(row.cells) if c is not None]
    if max(missing) < min(present):
        return f"{labels[min(present)]}新增"
    if min(missing) > max(present):
        return f"{labels[min(missing)]}起不再列出"
    return "、".join(labels[i] for i in missing) + "未列出"


def _cells(leaf: YearLeaf | None, scored: bool) -> str:
    """One year's three cells of an indicator's row (plain f-strings: this runs for every indicator of every
    compared project, and a template costs several times as much)."""
    if leaf is None:
        return '<td class="pd-cmp-absent" colspan="3">无此指标</td>'
    if not leaf.applicable:
        score = "不适用"
    elif not scored or leaf.score is None:
        score = "—"
    else:
        score = fmt(leaf.score)
    if scored and leaf.weight is not None and leaf.applicable:
        score += f"<small> / {fmt(leaf.weight)}</small>"
    return f'<td>{escape(leaf.target or "—")}</td><td>{escape(leaf.actual or "—")}</td><td class="pd-num">{score}</td>'


def indicators_table(rows: tuple[Row, ...], entries: tuple[YearEntry, ...], labels: list[str]) -> str:
    """Every indicator by year: 指标值, 完成值 and 得分 / 分值 of each year side by side."""
    years = "".join(f'<th scope="colgroup" colspan="3">{escape(label)}</th>' for label in labels)
    sub = '<th scope="col">指标值</th><th scope="col">完成值</th><th scope="col">得分</th>' * len(labels)
    body = []
    for row in rows:
        parents = " / ".join(row.path[:-1])
        note = _row_note(row, labels)
        head = (
            (f'<span class="pd-sub">{escape(parents)}</span>' if parents else "")
            + escape(row.path[-1])
            + (f'<span class="pd-cmp-tag">{escape(note)}</span>' if note else "")
        )
        cells = "".join(_cells(cell, e.scored) for cell, e in zip(row.cells, entries))
        body.append(f'<tr><th scope="row">{head}</th>{cells}</tr>')
    return "\n".join(
        [
            '<div class="pd-table-wrap">',
            '<table class="pd-compare pd-compare-indicators">',
            "<caption>绩效指标逐年对比（得分 / 分值）</caption>",
            "<thead>",
            f'<tr><th scope="col" rowspan="2">指标</th>{years}</tr>',
            f"<tr>{sub}</tr>",
            "</thead>",
            "<tbody>",
            *body,
            "</tbody>",
            "</table>",
            "</div>",
        ]
    )


def _part_cell(part: YearPart | None, scored: bool) -> str:
    if part is None:
        return '<td class="pd-num">—</td>'
    if not scored:
        return "<td>未计分</td>"
    score = fmt(part.score) if part.score is not None else "—"
    weight = f"<small> / {fmt(part.weight)}</small>" if part.weight is not None else ""
    return f'<td class="pd-num">{score}{weight}</td>'


def _table(cls: str, caption: str, corner: str, labels: list[str], rows: list[str]) -> str:
    head = "".join(f'<th scope="col">{escape(label)}</th>' for label in labels)
    return "\n".join(
        [
            '<div class="pd-table-wrap">',
            f'<table class="pd-compare {cls}">',
            f"<caption>{caption}</caption>",
            f'<thead><tr><th scope="col">{corner}</th>{head}</tr></thead>',
            "<tbody>",
            *rows,
            "</tbody>",
            "</table>",
            "</div>",
        ]
    )


def _row(label: str, cells: Iterable[str]) -> str:
    return f'<tr><th scope="row">{label}</th>{"".join(cells)}</tr>'


def totals_table(c: Comparison, labels: list[str], links: list[str]) -> str:
    """Each evaluation's kind, scheme, total, grade, execution rate and page, one column per evaluation."""
    e_ = c.entries

    def total(e: YearEntry) -> str:
        if not e.scored or e.total is None:
            return "<td>未计分</td>"
        return f'<td class="pd-num" data-total="{fmt(e.total)}">{fmt(e.total)}<small> / {fmt(e.max_score)}</small></td>'

    def grade(e: YearEntry) -> str:
        if not e.grade:
            return "<td>—</td>"
        return f'<td><span class="pd-badge pd-grade" data-grade="{escape(e.grade)}">{escape(e.grade)}</span></td>'

    def rate(e: YearEntry) -> str:
        return f'<td class="pd-num">{fmt(e.execution_rate) + "%" if e.execution_rate is not None else "—"}</td>'

    rows = [
        _row("评价类型", (f"<td>{escape(e.evaluation)}</td>" for e in e_)),
        _row("评分方案", (f"<td>{escape(_scheme(e.scheme_title) if e.scored else '未计分')}</td>" for e in e_)),
        _row("总分", map(total, e_)),
        _row("等级", map(grade, e_)),
    ]
    if any(e.scored and e.computed_total is not None and e.computed_total != e.total for e in e_):
        rows.append(_row("复核总分", (f'<td class="pd-num">{fmt(e.computed_total) or "—"}</td>' for e in e_)))
    rows += [
        _row("预算执行率", map(rate, e_)),
        _row(
            "评价结果", (f'<td><a href="{url}">{escape(label)}评价结果</a></td>' for url, label in zip(links, labels))
        ),
    ]
    return _table("pd-compare-totals", "各年度总体情况", "年度", labels, rows)


def parts_table(c: Comparison, labels: list[str]) -> str:
    """Each level-1 indicator's score and points, one column per evaluation."""
    rows = [_row(escape(p.name), (_part_cell(cell, e.scored) for cell, e in zip(p.cells, c.entries))) for p in c.parts]
    return _table("pd-compare-parts", "一级指标（得分 / 分值）", "一级指标", labels, rows)


def _list(cls: str, items: list[str]) -> str:
    return f'<ul class="{cls}">\n' + "\n".join(f"<li>{escape(item)}</li>" for item in items) + "\n</ul>"


def comparison_page(c: Comparison, pages: dict[tuple[int, str], str]) -> str:
    """A project's evaluations side by side: totals, level-1 points and scores, every indicator by year.
    `pages`: each evaluation's project page, by (year, evaluation)."""
    src = compare_path(c.id)
    latest = c.entries[-1]
    labels = _labels(c.entries)
    years = c.years
    span = f"{years[0]}—{years[-1]}"
    names = list(dict.fromkeys(e.name for e in reversed(c.entries)))
    notes = [note for change in c.changes for note in change_notes(change, labels)]
    unscored = [labels[i] for i, e in enumerate(c.entries) if not e.scored]
    links = [rel(src, pages[(e.year, e.evaluation)]) for e in c.entries]
    out = [
        front_matter(
            f"{latest.name}：逐年对比",
            description=f"{latest.department} {latest.name} {span} 年度绩效评价结果逐年对比",
            hide=["toc"],
        ),
        f"# {md_inline(latest.name)}：逐年对比",
        "",
        f'<p class="pd-subtitle">{span} 年度 · {len(c.entries)} 次评价 · {escape(latest.department)}</p>',
        "",
        "本页把该项目各年度公布的评价结果并列显示：总分、一级指标，以及每个绩效指标的指标值、完成值和得分。"
        "各年度的指标按“一级指标 / 二级指标 / 指标名称”对应；某年度没有的指标标为“无此指标”。数字均照录公布材料。",
        "",
    ]
    if len(names) > 1:
        out += [f"各年度使用的项目名称：{'、'.join(f'“{md_inline(n)}”' for n in names)}。", ""]
    if notes:
        out += [
            '<div class="pd-cmp-notice" role="note">\n<p><strong>评分口径有变化</strong></p>\n'
            + _list("pd-cmp-notes", notes)
            + "\n<p>口径不同的年度之间，总分、等级和同一指标的得分不宜直接比较。</p>\n</div>",
            "",
        ]
    if unscored:
        out += [f"{'、'.join(unscored)}的评价未计分，只列出指标值和完成值。", ""]
    out += ["## 各年度总体情况", "", totals_table(c, labels, links), ""]
    if c.parts and any(e.scored for e in c.entries):
        out += ["## 一级指标", "", parts_table(c, labels), ""]
    out += [
        "## 绩效指标",
        "",
        indicators_table(c.rows, c.entries, labels),
        "",
        "## 指标变化",
        "",
        _list("pd-cmp-changes", [_changes_text(ch, labels) for ch in c.changes]),
        "",
    ]
    return "\n".join(out)


def _changes_text(change: Change, labels: list[str]) -> str:
    before, after = labels[change.before], labels[change.after]
    if not change.added and not change.removed:
        return f"{after}与 {before}的指标相同。"
    said = []
    if change.added:
        said.append(f"新增 {len(change.added)} 项（{'；'.join(' / '.join(p) for p in change.added)}）")
    if change.removed:
        said.append(f"不再列出 {len(change.removed)} 项（{'；'.join(' / '.join(p) for p in change.removed)}）")
    return f"{after}与 {before}相比：{'，'.join(said)}。"


def index_page(comparisons: list[Comparison]) -> str:
    """The page listing every project with a comparison page."""
    ordered = sorted(comparisons, key=lambda c: (c.entries[-1].department, c.entries[-1].name, c.id))
    items = "\n".join(
        f'<li><a href="{rel(COMPARE_INDEX, compare_path(c.id))}">{escape(c.entries[-1].name)}</a>'
        f"（{escape(c.entries[-1].department)}；{'、'.join(str(y) for y in c.years)} 年度）</li>"
        for c in ordered
    )
    return "\n".join(
        [
            front_matter("逐年对比"),
            "# 逐年对比",
            "",
            f"以下 {len(ordered)} 个项目有两个或更多年度的公开评价记录，可逐年对比各年度的指标、目标值、完成值和得分。",
            "",
            f'<ul class="pd-group-list">\n{items}\n</ul>',
            "",
        ]
    )
