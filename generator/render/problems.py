"""One record's problems found, recommendations, follow-ups and 评价结果应用 (issue 17), as its project page, its
JSON download and its search terms show them, and the small packed sheet the site keeps of them.

What needs the other records (the titles of earlier problems, the statuses later evaluations give) is rendered
once every record is known (problem_list.py), at the FOLLOW_UP placeholder: only public records reach it, so no
draft or embargoed record's text can appear on a public page.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from html import escape
from typing import Any

from generator.core.decimals import fmt, to_number
from generator.core.model import Record

# Where a project page shows 整改情况 across its years (filled in once every record is known, see outputs.py).
FOLLOW_UP = "<!--pd-follow-up-->"
UNCATEGORISED = "未分类"


def anchor(key: str) -> str:
    """The id of a problem's row on its project page (keys are ASCII letters, digits and hyphens: E501)."""
    return f"problem-{key}"


def text_html(text: str) -> str:
    """Record text in a table cell: escaped, its line breaks kept."""
    return "<br>".join(escape(line) for line in text.strip().split("\n"))


# --------------------------------------------------------------------------- the project page


def problem_sections(r: Record) -> list[str]:
    """存在的问题 and 有关建议 (each only when the record has them), the 整改情况 placeholder, then 评价结果应用."""
    parts: list[str] = []
    if r.problems:
        parts += ["## 存在的问题", "", problems_table(r), ""]
    if r.recommendations:
        parts += ["## 有关建议", "", recommendations_table(r), ""]
    parts += [FOLLOW_UP, ""]
    if r.result_use is not None:
        parts += ["## 评价结果应用", "", result_use_html(r), ""]
    return parts


def problems_table(r: Record) -> str:
    rows = "\n".join(
        f'<tr id="{anchor(p.key)}"><td>{escape(p.category or UNCATEGORISED)}</td>'
        f'<th scope="row">{escape(p.title)}</th><td>{text_html(p.text)}</td></tr>'
        for p in r.problems
    )
    return (
        '<div class="pd-table-wrap">\n<table class="pd-problems">\n'
        '<thead><tr><th scope="col">类别</th><th scope="col">问题</th><th scope="col">原文</th></tr></thead>\n'
        f"<tbody>\n{rows}\n</tbody>\n</table>\n</div>"
    )


def recommendations_table(r: Record) -> str:
    titles = {p.key: p.title for p in r.problems}
    titled = any(x.title for x in r.recommendations)

    def answers(keys: list[str]) -> str:
        links = [f'<a href="#{anchor(k)}">{escape(titles[k])}</a>' for k in keys if k in titles]
        return "、".join(links) or "—"

    rows = "\n".join(
        "<tr>"
        + (f'<th scope="row">{escape(x.title or "")}</th>' if titled else "")
        + f"<td>{text_html(x.text)}</td><td>{answers(x.answers)}</td></tr>"
        for x in r.recommendations
    )
    head = ('<th scope="col">建议</th>' if titled else "") + '<th scope="col">原文</th><th scope="col">针对的问题</th>'
    return (
        '<div class="pd-table-wrap">\n<table class="pd-recommendations">\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n</div>"
    )


def result_use_html(r: Record) -> str:
    use = r.result_use
    assert use is not None
    unit = r.budget.unit if r.budget is not None else "万元"
    change = use.change + (f"（{use.budget_year} 年度预算）" if use.budget_year is not None else "")
    items = [("对预算安排的影响", escape(change))]
    if use.amount is not None:
        verb = {"减少": "调减", "增加": "调增"}.get(use.change, "调整")
        items.append((f"{verb}金额", f"{fmt(use.amount)} {escape(unit)}"))
    if use.budget is not None:
        items.append(("调整后预算", f"{fmt(use.budget)} {escape(unit)}"))
    if use.text:
        items.append(("原文", text_html(use.text)))
    body = "\n".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in items)
    return f'<dl class="pd-result-use">\n{body}\n</dl>'


# --------------------------------------------------------------------------- search and JSON


def search_text(r: Record) -> str:
    """What the search index adds for the record's problems, recommendations, follow-ups and result use."""
    parts = [f"{p.title} {p.category or ''} {p.text}" for p in r.problems]
    parts += [f"{x.title or ''} {x.text}" for x in r.recommendations]
    parts += [f"{f.status} {f.evidence or ''}" for f in r.follow_ups]
    if r.result_use is not None:
        parts.append(f"{r.result_use.change} {r.result_use.text or ''}")
    return " ".join(parts)


def report_data(r: Record) -> dict[str, Any]:
    """The record's problems, recommendations, follow-ups and result use in its JSON download."""
    use = r.result_use
    return {
        "problems": [{"key": p.key, "title": p.title, "category": p.category, "text": p.text} for p in r.problems],
        "recommendations": [
            {"key": x.key, "title": x.title, "text": x.text, "answers": list(x.answers)} for x in r.recommendations
        ],
        "follow_up": [
            {"year": f.year, "problem": f.problem, "status": f.status, "evidence": f.evidence} for f in r.follow_ups
        ],
        "result_use": None
        if use is None
        else {
            "change": use.change,
            "budget_year": use.budget_year,
            "amount": to_number(use.amount),
            "budget": to_number(use.budget),
            "unit": r.budget.unit if r.budget is not None else "万元",
            "text": use.text,
        },
    }


# --------------------------------------------------------------------------- what the site keeps


@dataclass(frozen=True)
class SheetProblem:
    key: str
    title: str
    category: str | None
    text: str


@dataclass(frozen=True)
class SheetFollowUp:
    year: int
    problem: str
    status: str
    evidence: str | None


@dataclass(frozen=True)
class Sheet:
    """A published record's problems and follow-ups, as the cross-record pages need them."""

    problems: tuple[SheetProblem, ...] = ()
    follow_ups: tuple[SheetFollowUp, ...] = ()


def pack_sheet(r: Record) -> bytes:
    """The record's sheet, compressed (b"" when it has neither problems nor follow-ups): it waits in the
    project's summary until the index pages are made."""
    if not r.problems and not r.follow_ups:
        return b""
    data = [
        [[p.key, p.title, p.category, p.text] for p in r.problems],
        [[f.year, f.problem, f.status, f.evidence] for f in r.follow_ups],
    ]
    return zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


def unpack_sheet(blob: bytes) -> Sheet:
    if not blob:
        return Sheet()
    problems, follow_ups = json.loads(zlib.decompress(blob).decode("utf-8"))
    return Sheet(
        tuple(SheetProblem(k, t, c, x) for k, t, c, x in problems),
        tuple(SheetFollowUp(y, k, s, e) for y, k, s, e in follow_ups),
    )
