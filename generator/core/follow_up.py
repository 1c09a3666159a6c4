"""Follow-up across years (issue 17): what a later record of a project says about the problems an earlier one
listed, checked across records before any record is scored (like corpus.py's checks).

A record names an earlier problem by the year of that evaluation and the problem's key ([[follow_up]] year and
problem); the keys of one project and year are unique across its records (E502). What the check needs of each
record — its problems' keys and titles, its follow-ups' years and keys — is read with its identity
(corpus.read_identity), parsing the whole file only when it has such tables.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import tomli

from . import diagnostics as dg
from .decimals import read_number

if TYPE_CHECKING:
    from .corpus import RecordIdentity

# A [[problems]] or [[follow_up]] table header: only a file with one is parsed whole by the identity pass.
_TABLES = re.compile(r"^[ \t]*\[\[[ \t]*(?:problems|follow_up)[ \t]*\]\]", re.M)


@dataclass(frozen=True)
class References:
    """A record's problems (key, title) and follow-ups (year, problem key), in file order; values the structural
    checks reject (a year that is not an integer, a key that is not text) are kept as None and "" so that
    positions stay right: the loader reports them."""

    problems: tuple[tuple[str, str], ...] = ()
    follow_ups: tuple[tuple[int | None, str], ...] = ()


def read_references(text: str) -> References:
    """The problems and follow-ups of a record file's text (nothing when it has neither, or cannot be parsed)."""
    if not _TABLES.search(text):
        return References()
    try:
        data = tomli.loads(text, parse_float=read_number)
    except (ValueError, RecursionError):  # a syntax error: loading the record reports it
        return References()
    return References(
        tuple((_text(row.get("key")), _text(row.get("title"))) for row in _rows(data.get("problems"))),
        tuple((_year(row.get("year")), _text(row.get("problem"))) for row in _rows(data.get("follow_up"))),
    )


def _rows(value: object) -> list[dict[str, object]]:
    return [row if isinstance(row, dict) else {} for row in value] if isinstance(value, list) else []


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _year(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def check_follow_ups(records: Sequence[RecordIdentity]) -> list[dg.Diagnostic]:
    """E502 a problem key used twice in one project and year, E510/E511 a follow-up naming no earlier record or no
    problem of it, W513/I514 the previous evaluation's problems left (all, or some) without a status."""
    by_id: dict[str, list[RecordIdentity]] = defaultdict(list)
    for r in records:
        by_id[r.id].append(r)
    diags: list[dg.Diagnostic] = []
    for group in by_id.values():
        listed = _problems_by_year(group, diags)
        years = sorted({r.year for r in group})
        for r in group:
            _check_references(r, listed, years, diags)
            _check_previous(r, listed, years, diags)
    return diags


# year → problem key → (the record listing it, its title)
Listed = dict[int, dict[str, tuple["RecordIdentity", str]]]


def _problems_by_year(group: list[RecordIdentity], diags: list[dg.Diagnostic]) -> Listed:
    listed: Listed = defaultdict(dict)
    for r in group:
        for i, (key, title) in enumerate(r.problems):
            if not key:
                continue
            first = listed[r.year].setdefault(key, (r, title))
            if first[0] is not r:  # twice in one record is the record's own check (problems.py)
                line, col = r.locate(("problems", i, "key"))
                diags.append(
                    dg.make(
                        "E502",
                        r.file,
                        line,
                        col,
                        f"同一项目 {r.year} 年度的 {first[0].file} 已有编号为“{key}”的问题（“{first[1]}”）；"
                        "以后年度的整改情况无法指明是哪一个，请换一个编号。",
                    )
                )
    return listed


def _check_references(r: RecordIdentity, listed: Listed, years: list[int], diags: list[dg.Diagnostic]) -> None:
    earlier = [y for y in years if y < r.year]
    for i, (year, key) in enumerate(r.follow_ups):
        if year is None or not key:
            continue  # not filled in, or not an integer: loading reports it
        if year not in earlier:
            line, col = r.locate(("follow_up", i, "year"))
            if year >= r.year:
                why = f"它不早于本记录的年度 {r.year}"
            else:
                why = f"项目 {r.id} 没有 {year} 年度的评价记录"
            have = "、".join(str(y) for y in earlier) or "（没有）"
            diags.append(
                dg.make(
                    "E510",
                    r.file,
                    line,
                    col,
                    f"[[follow_up]] 的 year = {year} 不是同一项目较早年度的评价：{why}。项目 {r.id} 较早的评价年度：{have}。",
                )
            )
            continue
        if key not in listed.get(year, {}):
            line, col = r.locate(("follow_up", i, "problem"))
            keys = listed.get(year, {})
            have = "、".join(f"{k}（{title}）" for k, (_, title) in keys.items()) or "（该年度的记录没有写问题）"
            diags.append(
                dg.make(
                    "E511",
                    r.file,
                    line,
                    col,
                    f"项目 {r.id} {year} 年度的记录中没有编号为“{key}”的问题。该年度的问题编号：{have}。",
                )
            )


def _check_previous(r: RecordIdentity, listed: Listed, years: list[int], diags: list[dg.Diagnostic]) -> None:
    earlier = [y for y in years if y < r.year]
    if not earlier:
        return
    previous = earlier[-1]
    problems = listed.get(previous, {})
    if not problems:
        return
    addressed = {key for year, key in r.follow_ups if year == previous}
    missing = [k for k in problems if k not in addressed]
    if not missing:
        return
    files = "、".join(sorted({owner.file for owner, _ in problems.values()}))
    shown = "、".join(f"{k}（{problems[k][1]}）" for k in missing)
    line, col = r.locate((r.year_key,))
    if len(missing) == len(problems):
        diags.append(
            dg.make(
                "W513",
                r.file,
                line,
                col,
                f"同一项目上一次评价（{previous} 年度，{files}）列出了 {len(problems)} 个问题：{shown}；"
                "本记录没有说明其中任何一个的整改情况，公开页面显示为“未说明”。报告说明了整改情况时，请为每个问题写 "
                f'[[follow_up]]（year = {previous}，problem = "编号"，status = "已整改" 等，evidence 照录原文）；'
                '报告没有说明时可写 status = "未说明"。',
            )
        )
    else:
        diags.append(
            dg.make(
                "I514",
                r.file,
                line,
                col,
                f"上一次评价（{previous} 年度，{files}）所列问题中，{shown} 没有整改情况，公开页面显示为“未说明”。",
            )
        )
