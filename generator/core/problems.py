"""Checks on one record's problems, recommendations, follow-up entries and 评价结果应用 (issue 17).

What needs other records (a follow-up naming an earlier year's problem, the previous evaluation's problems
left without a status) is checked across records, before any record is scored: follow_up.py.
"""

from __future__ import annotations

import re

from .checks import Reporter
from .decimals import ZERO, fmt
from .model import PROBLEM_CATEGORIES, Record
from .scoring import Evaluation, Node

# A problem's or a recommendation's key: later years name an earlier problem by year and key, and the page links to
# it (#problem-<key>), so it stays short and plain.
KEY_PATTERN = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")
MAX_KEY = 32


def valid_key(key: str) -> bool:
    return len(key) <= MAX_KEY and bool(KEY_PATTERN.match(key))


def categories(ev: Evaluation) -> list[str]:
    """The categories a problem of this record may have: 决策/过程/产出/效益, then the record's own level-1
    indicator names (each also without a closing “指标”: 产出指标 → 产出)."""
    names: list[str] = list(PROBLEM_CATEGORIES)
    for root in ev.roots:
        name = root.name if isinstance(root, Node) else root.indicator.name
        names.append(name)
        if name.endswith("指标") and len(name) > 2:
            names.append(name[: -len("指标")])
    return list(dict.fromkeys(names))


def check_problems(ev: Evaluation, rep: Reporter) -> None:
    """E501/E502 keys, E503/W504 categories, E505 recommendations answering no problem of the record, E512 a
    problem followed up twice, W520/W521 评价结果应用."""
    r = ev.record
    allowed = categories(ev)
    _keys(rep, "problems", [p.key for p in r.problems], "问题")
    for i, p in enumerate(r.problems):
        if p.category is None:
            rep.at(
                "W504",
                ("problems", i),
                f'问题“{p.title}”没有写类别，问题清单中列为“未分类”。可写 category = "{allowed[0]}" 等，'
                f"类别可以是：{'、'.join(allowed)}。",
            )
        elif p.category not in allowed:
            rep.at(
                "E503",
                ("problems", i, "category"),
                f"问题“{p.title}”的类别“{p.category}”不在允许范围内，应为：{'、'.join(allowed)}。",
            )
    _keys(rep, "recommendations", [x.key for x in r.recommendations], "建议")
    known = {p.key for p in r.problems}
    for i, x in enumerate(r.recommendations):
        for key in x.answers:
            if key not in known:
                listed = "、".join(dict.fromkeys(p.key for p in r.problems)) or "（本记录没有写问题）"
                rep.at(
                    "E505",
                    ("recommendations", i, "answers"),
                    f"第 {i + 1} 条建议针对的问题“{key}”不是本记录任何一个问题的编号。本记录的问题编号：{listed}。",
                )
    seen: dict[tuple[int, str], int] = {}
    for i, f in enumerate(r.follow_ups):
        if not f.problem:
            continue  # not filled in: E101 said so
        first = seen.setdefault((f.year, f.problem), i)
        if first != i:
            rep.at(
                "E512",
                ("follow_up", i, "problem"),
                f"第 {first + 1} 个 [[follow_up]] 已经说明了 {f.year} 年度问题“{f.problem}”的整改情况，请合并为一个。",
            )
    _result_use(r, rep)


def _keys(rep: Reporter, table: str, keys: list[str], noun: str) -> None:
    seen: dict[str, int] = {}
    for i, key in enumerate(keys):
        if not key:
            continue  # not filled in: E101 said so
        if not valid_key(key):
            rep.at(
                "E501",
                (table, i, "key"),
                f"{noun}编号“{key}”只能用英文字母、数字和连字符（最长 {MAX_KEY} 个字符），如 p1、budget-precision。",
            )
            continue
        first = seen.setdefault(key, i)
        if first != i:
            rep.at("E502", (table, i, "key"), f"第 {first + 1} 个{noun}已经用了编号“{key}”，请换一个编号。")


def _result_use(r: Record, rep: Reporter) -> None:
    use = r.result_use
    if use is None:
        return
    if use.amount is not None and use.amount > ZERO and use.change in ("持平", "未说明"):
        rep.at(
            "W520",
            ("result_use", "amount"),
            f'[result_use] 写了 change = "{use.change}"，却写了调整金额 {fmt(use.amount)}。'
            "请核对原文：预算有调整时改正 change，没有调整时删除 amount。",
        )
    if use.budget_year is not None and r.year is not None and use.budget_year < r.year:
        rep.at(
            "W521",
            ("result_use", "budget_year"),
            f"受影响的预算年度 {use.budget_year} 早于本记录的评价年度 {r.year}，请核对原文。",
        )
