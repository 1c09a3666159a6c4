"""Problems across records (issue 17): a project page's 整改情况, the site-wide 问题清单, the open problems of a
department page and data/problems.csv, made once every published record is known from the sheets their summaries
carry (render/problems.py).

A problem's status is the one the latest later evaluation of the same project gives it ([[follow_up]]); a problem
no later evaluation speaks of is 未说明 when the project has a later published evaluation, else 待后续评价. Only
published records reach the summaries: a draft or embargoed record neither shows its problems nor lends a status.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from generator.core.model import EVALUATION_KINDS, FOLLOW_UP_STATUSES, PROBLEM_CATEGORIES

from .downloads import _csv as csv_bytes  # the one CSV writer of the site's data files (BOM, formula guard)
from .problems import UNCATEGORISED, Sheet, SheetFollowUp, SheetProblem, anchor, text_html, unpack_sheet
from .summary import ProjectSummary
from .text import front_matter
from .unpublished import UNPUBLISHED
from .urls import page_url, rel

FINDINGS_PAGE = "findings/index.md"  # 问题清单 (problems.md is the preview's 校验问题 page)
PROBLEMS_CSV = "data/problems.csv"
DONE = "已整改"
NOT_STATED = "未说明"
AWAITING = "待后续评价"
STATUSES = (*FOLLOW_UP_STATUSES, AWAITING)  # the order filters and counts list them in


@dataclass(frozen=True)
class Entry:
    """A problem as a published record lists it."""

    summary: ProjectSummary
    problem: SheetProblem
    position: int  # among the record's problems

    @property
    def category(self) -> str:
        return self.problem.category or UNCATEGORISED


@dataclass(frozen=True)
class Status:
    """A problem's status now: from the latest later evaluation that gives one (`source`), or 未说明 / 待后续评价."""

    status: str
    source: ProjectSummary | None = None
    evidence: str | None = None


def _kind(s: ProjectSummary) -> int:
    return EVALUATION_KINDS.index(s.evaluation) if s.evaluation in EVALUATION_KINDS else len(EVALUATION_KINDS)


def _order(s: ProjectSummary) -> tuple:
    return (s.filed_year, _kind(s), s.path)


def evaluation_label(s: ProjectSummary) -> str:
    """“2021 年度单位自评”, or “评价年度未公布的单位自评”."""
    return f"{s.year} 年度{s.evaluation}" if s.year is not None else f"评价年度未公布的{s.evaluation}"


def findings_link(src: str) -> str:
    """A line pointing to the 问题清单, for 全部项目 and 数据下载."""
    link = rel(src, FINDINGS_PAGE)
    return f'<p class="pd-see-also"><a href="{link}">问题清单</a>列出各评价报告所列的问题、所属类别及其整改情况。</p>'


def badge(status: str) -> str:
    return f'<span class="pd-status" data-status="{escape(status)}">{escape(status)}</span>'


class Tracker:
    """Every published problem and follow-up, and each problem's status now. Records are matched by id and by the
    year they are filed under (the evaluation year; see Record.filing_year), as the checks across records match
    them (core/follow_up.py)."""

    def __init__(self, summaries: Iterable[ProjectSummary]) -> None:
        self.summaries = list(summaries)
        self.by_path = {s.path: s for s in self.summaries}
        self.sheets: dict[str, Sheet] = {s.path: unpack_sheet(s.problems) for s in self.summaries if s.problems}
        self.by_id: dict[str, list[ProjectSummary]] = defaultdict(list)
        for s in sorted(self.summaries, key=_order):
            self.by_id[s.id].append(s)
        self.entries: list[Entry] = [
            Entry(s, p, i) for s in self.summaries for i, p in enumerate(self.sheet(s).problems)
        ]
        self.problems: dict[tuple[str, int, str], Entry] = {}
        for e in self.entries:
            self.problems.setdefault((e.summary.id, e.summary.filed_year, e.problem.key), e)
        self.follows: dict[tuple[str, int, str], list[tuple[ProjectSummary, SheetFollowUp]]] = defaultdict(list)
        for s in self.summaries:
            for f in self.sheet(s).follow_ups:
                self.follows[(s.id, f.year, f.problem)].append((s, f))

    def sheet(self, s: ProjectSummary) -> Sheet:
        return self.sheets.get(s.path, Sheet())

    def later(self, s: ProjectSummary) -> list[ProjectSummary]:
        """The project's published evaluations of later years."""
        return [o for o in self.by_id[s.id] if o.filed_year > s.filed_year]

    def previous(self, s: ProjectSummary) -> list[ProjectSummary]:
        """The project's published evaluations of the nearest earlier year (several kinds may share a year)."""
        earlier = [o for o in self.by_id[s.id] if o.filed_year < s.filed_year]
        return [o for o in earlier if o.filed_year == earlier[-1].filed_year] if earlier else []

    def status(self, e: Entry) -> Status:
        s = e.summary
        said = [
            (o, f) for o, f in self.follows.get((s.id, s.filed_year, e.problem.key), []) if o.filed_year > s.filed_year
        ]
        if said:
            source, f = max(said, key=lambda item: _order(item[0]))
            return Status(f.status, source, f.evidence)
        return Status(NOT_STATED if self.later(s) else AWAITING)


# --------------------------------------------------------------------------- a project page's 整改情况


def follow_up_section(page_path: str, tracker: Tracker) -> str:
    """整改情况 of a project page: what this evaluation says of earlier problems (those of the previous evaluation it
    does not mention shown as 未说明), and what later evaluations say of this one's problems. "" when neither."""
    me = tracker.by_path.get(page_path)
    if me is None:
        return ""
    parts: list[str] = []
    earlier = _earlier_rows(me, tracker, page_path)
    if earlier:
        parts += [
            '<h3 id="整改情况-以往问题">以往评价所列问题的整改情况</h3>',
            _table(
                "pd-follow-up",
                ["原评价", "类别", "问题", "整改情况", "说明"],
                earlier,
            ),
        ]
    sheet = tracker.sheet(me)
    if sheet.problems and tracker.later(me):
        rows = []
        for i, p in enumerate(sheet.problems):
            st = tracker.status(Entry(me, p, i))
            source = (
                f'<a href="{rel(page_path, st.source.path)}">{escape(evaluation_label(st.source))}</a>'
                if st.source is not None
                else "—"
            )
            rows.append(
                [
                    f'<a href="#{anchor(p.key)}">{escape(p.title)}</a>',
                    badge(st.status),
                    text_html(st.evidence) if st.evidence else "—",
                    source,
                ]
            )
        parts += [
            '<h3 id="整改情况-以后评价">本次所列问题在以后评价中的整改情况</h3>',
            _table("pd-follow-up-later", ["问题", "整改情况", "说明", "出处"], rows),
        ]
    if not parts:
        return ""
    head = '<h2 id="整改情况">整改情况</h2>'
    note = (
        '<p class="pd-see-also">整改情况照录同一项目以后年度评价的说明；以后年度的评价没有说明的，显示为“未说明”。'
        f'全部问题见<a href="{rel(page_path, FINDINGS_PAGE)}">问题清单</a>。</p>'
    )
    return _braces("\n".join([head, *parts, note]))


def _earlier_rows(me: ProjectSummary, tracker: Tracker, page_path: str) -> list[list[str]]:
    sheet = tracker.sheet(me)
    rows: list[tuple[tuple, list[str]]] = []
    named = set()
    for f in sheet.follow_ups:
        named.add((f.year, f.problem))
        entry = tracker.problems.get((me.id, f.year, f.problem))
        rows.append(_earlier_row(entry, f.year, f.status, f.evidence, page_path))
    for prev in tracker.previous(me):
        for i, p in enumerate(tracker.sheet(prev).problems):
            if (prev.filed_year, p.key) not in named:
                rows.append(_earlier_row(Entry(prev, p, i), prev.filed_year, NOT_STATED, None, page_path))
    return [cells for _, cells in sorted(rows, key=lambda item: item[0])]


def _earlier_row(
    entry: Entry | None, year: int, status: str, evidence: str | None, page_path: str
) -> tuple[tuple, list[str]]:
    said = text_html(evidence) if evidence else "—"
    if entry is None:  # the earlier record is not published here (a draft, or not yet public)
        return (year, 1, 0, ""), [f"{year} 年度", "—", "该年度评价未在本站公开", badge(status), said]
    s = entry.summary
    link = rel(page_path, s.path)
    return (year, 0, _kind(s), s.path, entry.position), [
        f'<a href="{link}">{escape(evaluation_label(s))}</a>',
        escape(entry.category),
        f'<a href="{link}#{anchor(entry.problem.key)}">{escape(entry.problem.title)}</a>',
        badge(status),
        said,
    ]


def _table(css: str, headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<div class="pd-table-wrap">\n<table class="{css}">\n<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{body}\n</tbody>\n</table>\n</div>"
    )


def _braces(html: str) -> str:
    """As render/text.neutral_braces does for the page around it: no template engine downstream evaluates record text."""
    return html.replace("{", "&#123;").replace("}", "&#125;")


# --------------------------------------------------------------------------- 问题清单


def category_order(names: Iterable[str]) -> list[str]:
    """决策, 过程, 产出, 效益 first, then the records' own level-1 names, then 未分类."""
    present = set(names)
    usual = [c for c in PROBLEM_CATEGORIES if c in present]
    others = sorted(c for c in present if c not in PROBLEM_CATEGORIES and c != UNCATEGORISED)
    return usual + others + ([UNCATEGORISED] if UNCATEGORISED in present else [])


def counts(tracker: Tracker) -> list[tuple[str, Counter]]:
    """Problems per category, each with the number in each status (and the total under "")."""
    by: dict[str, Counter] = defaultdict(Counter)
    for e in tracker.entries:
        st = tracker.status(e).status
        by[e.category][st] += 1
        by[e.category][""] += 1
    return [(c, by[c]) for c in category_order(by)]


def findings_page(tracker: Tracker) -> str:
    """问题清单: every problem of a published evaluation, its status now, counts per category, with filters."""
    src = FINDINGS_PAGE
    entries = tracker.entries
    records = len({e.summary.path for e in entries})
    out = [
        front_matter("问题清单", description="各项目绩效评价报告所列存在的问题及其整改情况"),
        "# 问题清单",
        "",
        "各评价报告“存在的问题”部分逐条列出的问题。整改情况取自同一项目以后年度的评价：以后年度的评价没有说明的显示为"
        "“未说明”，还没有以后年度评价的显示为“待后续评价”。",
        "",
    ]
    if not entries:
        out += ["本站公开的评价记录中还没有逐条列出的问题。", ""]
        return "\n".join(out)
    out += [
        f"共 {len(entries)} 个问题，来自 {records} 个评价记录。"
        f'<a href="{rel(src, PROBLEMS_CSV)}" download>下载问题清单（CSV）</a>',
        "",
        "## 按类别统计",
        "",
        _counts_table(tracker),
        "",
        "## 全部问题",
        "",
        _filters(tracker),
        "",
        _findings_table(tracker, src),
        "",
    ]
    return "\n".join(out)


def _counts_table(tracker: Tracker) -> str:
    rows = counts(tracker)
    statuses = STATUSES  # every status, 0 included: a reader sees at once that none is 已整改
    head = '<th scope="col">类别</th><th scope="col">问题数</th>' + "".join(
        f'<th scope="col">{st}</th>' for st in statuses
    )
    total: Counter = sum((c for _, c in rows), Counter())

    def row(label: str, c: Counter) -> str:
        return (
            f'<tr data-category="{escape(label)}"><th scope="row">{escape(label)}</th>'
            f'<td class="pd-num">{c[""]}</td>'
            + "".join(f'<td class="pd-num" data-status="{st}">{c[st]}</td>' for st in statuses)
            + "</tr>"
        )

    body = "\n".join(row(label, c) for label, c in rows)
    foot = (
        f'<tr class="pd-total-row"><th scope="row">合计</th><td class="pd-num">{total[""]}</td>'
        + "".join(f'<td class="pd-num">{total[st]}</td>' for st in statuses)
        + "</tr>"
    )
    return (
        '<div class="pd-table-wrap">\n<table class="pd-problem-counts">\n<caption>各类别问题数及整改情况</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n<tfoot>{foot}</tfoot>\n</table>\n</div>"
    )


def _year(s: ProjectSummary) -> str:
    return str(s.year) if s.year is not None else UNPUBLISHED


def _department(s: ProjectSummary) -> str:
    return s.department if s.department is not None else UNPUBLISHED


def _filters(tracker: Tracker) -> str:
    entries = tracker.entries
    years = sorted({str(e.summary.year) for e in entries if e.summary.year is not None}, reverse=True)
    departments = sorted({e.summary.department for e in entries if e.summary.department is not None})
    facets = [
        ("category", "类别", category_order(e.category for e in entries)),
        ("year", "年度", years + ([UNPUBLISHED] if any(e.summary.year is None for e in entries) else [])),
        (
            "department",
            "主管部门",
            departments + ([UNPUBLISHED] if any(e.summary.department is None for e in entries) else []),
        ),
        ("status", "整改情况", [st for st in STATUSES if any(tracker.status(e).status == st for e in entries)]),
    ]
    selects = "\n".join(
        f'<label>{label} <select name="{name}"><option value="">全部</option>'
        + "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
        + "</select></label>"
        for name, label, values in facets
    )
    return (
        '<form class="pd-filters" data-pd-filters data-pd-unit="个问题" hidden aria-label="筛选问题">\n'
        f"{selects}\n"
        '<label>关键词 <input type="search" name="q" placeholder="问题、项目名称……"></label>\n'
        '<output class="pd-count" aria-live="polite"></output>\n</form>'
    )


def _findings_table(tracker: Tracker, src: str) -> str:
    rows = []
    for e in sorted(tracker.entries, key=lambda e: (e.summary.sort_key, e.position)):
        s = e.summary
        st = tracker.status(e)
        link = rel(src, s.path)
        rows.append(
            f'<tr data-year="{escape(_year(s))}" data-department="{escape(_department(s))}" '
            f'data-category="{escape(e.category)}" data-status="{escape(st.status)}" data-name="{escape(s.name)}" '
            f'data-title="{escape(e.problem.title)}">'
            f"<td>{escape(_year(s))}</td><td>{escape(_department(s))}</td>"
            f'<td><a href="{link}">{escape(s.name)}</a><span class="pd-sub">{escape(s.evaluation)}</span></td>'
            f"<td>{escape(e.category)}</td>"
            f'<td><a href="{link}#{anchor(e.problem.key)}">{escape(e.problem.title)}</a></td>'
            f"<td>{badge(st.status)}{_source(st, src)}</td></tr>"
        )
    return _braces(
        '<div class="pd-table-wrap">\n<table class="pd-problem-list" data-pd-table>\n<thead><tr>'
        '<th scope="col" data-sort="year" data-type="number">年度</th>'
        '<th scope="col" data-sort="department">主管部门</th>'
        '<th scope="col" data-sort="name">项目</th>'
        '<th scope="col" data-sort="category">类别</th>'
        '<th scope="col" data-sort="title">问题</th>'
        '<th scope="col" data-sort="status">整改情况</th>'
        f"</tr></thead>\n<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>\n</div>"
    )


def _source(st: Status, src: str) -> str:
    if st.source is None:
        return ""
    return f'<span class="pd-sub"><a href="{rel(src, st.source.path)}">{escape(evaluation_label(st.source))}</a></span>'


# --------------------------------------------------------------------------- a department's open problems


def open_problems_section(items: list[ProjectSummary], tracker: Tracker, src: str) -> str:
    """尚未整改的问题 of a department page: its records' problems not 已整改 ("" when its records list none)."""
    paths = {s.path for s in items}
    mine = [e for e in tracker.entries if e.summary.path in paths]
    if not mine:
        return ""
    open_ = [(e, st) for e in mine if (st := tracker.status(e)).status != DONE]
    link = rel(src, FINDINGS_PAGE)
    if not open_:
        return "\n".join(
            [
                "## 尚未整改的问题",
                "",
                f'<p>本部门评价记录所列 {len(mine)} 个问题均已整改（<a href="{link}">问题清单</a>）。</p>',
            ]
        )
    rows = [
        [
            escape(_year(e.summary)),
            f'<a href="{rel(src, e.summary.path)}">{escape(e.summary.name)}</a>',
            escape(e.category),
            f'<a href="{rel(src, e.summary.path)}#{anchor(e.problem.key)}">{escape(e.problem.title)}</a>',
            badge(st.status) + _source(st, src),
        ]
        for e, st in sorted(open_, key=lambda item: (item[0].summary.sort_key, item[0].position))
    ]
    return "\n".join(
        [
            "## 尚未整改的问题",
            "",
            f"<p>本部门评价记录所列 {len(mine)} 个问题中，{len(open_)} 个尚未说明已经整改"
            f'（整改中、未整改、未说明或待后续评价），全部问题见<a href="{link}">问题清单</a>。</p>',
            "",
            _braces(_table("pd-open-problems", ["年度", "项目", "类别", "问题", "整改情况"], rows)),
        ]
    )


# --------------------------------------------------------------------------- data/problems.csv

CSV_HEADER = [
    "项目编号",
    "评价年度",
    "项目名称",
    "主管部门",
    "评价类型",
    "问题编号",
    "类别",
    "问题",
    "问题原文",
    "整改情况",
    "整改情况出处",
    "整改说明",
    "项目页面",
]


def problems_csv(tracker: Tracker) -> bytes:
    """data/problems.csv: one row per published problem, with its status now."""
    rows = [CSV_HEADER]
    for e in sorted(tracker.entries, key=lambda e: (e.summary.sort_key, e.position)):
        s = e.summary
        st = tracker.status(e)
        rows.append(
            [
                s.id,
                _year(s),
                s.name,
                _department(s),
                s.evaluation,
                e.problem.key,
                e.category,
                e.problem.title,
                e.problem.text,
                st.status,
                evaluation_label(st.source) if st.source is not None else "",
                st.evidence or "",
                page_url(s.path),
            ]
        )
    return csv_bytes(rows)
