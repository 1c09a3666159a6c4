"""The published figures of a record: what may not change after publication without a revision note.

This is the one definition of "figures" (issue 13, history): the total, maximum score and grade; each group's
and indicator's weight; each indicator's score, target and actual; every budget amount and rate (the [budget]
table, its 资金来源 and 支出明细 rows, its 结余结转 table) and the monitoring amounts. validate compares them with
an earlier version of the record (git_history.py) and asks for a [[revisions]] entry when one changed.

Each figure has an identity that survives rows being inserted or reordered: an indicator by its path and name,
a budget row by its name (with a count for repeated names), not by its position in the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from .decimals import fmt
from .diagnostics import KeyPath
from .field_types import NOT_PUBLISHED
from .model import Record

# (attribute, how an editor's message names it), in the format's order
RECORD_FIGURES = (("max_score", "满分"), ("total", "总分"), ("grade", "等级"))
GROUP_FIGURES = (("weight", "分值"),)
INDICATOR_FIGURES = (("target", "指标值"), ("actual", "完成值"), ("weight", "分值"), ("score", "得分"))
BUDGET_FIGURES = (
    ("unit", "金额单位"),
    ("initial", "年初预算数"),
    ("adjustment", "预算调整数"),
    ("budget", "全年预算数"),
    ("arrived", "到位资金"),
    ("executed", "全年执行数"),
    ("rate", "预算执行率"),
    ("adjustment_rate", "预算调整率"),
)
ROW_FIGURES = (("initial", "年初预算数"), ("budget", "全年预算数"), ("executed", "全年执行数"), ("rate", "执行率"))
BALANCE_FIGURES = (
    ("unallocated", "指标结余数"),
    ("appropriated", "财政拨款数"),
    ("paid", "实际支付数"),
    ("balance", "资金结余、结转数"),
    ("carried", "结转数"),
    ("recovered", "财政收回数"),
)
MONITORING_FIGURES = (("budget", "年初预算项目总资金数"), ("executed", "期末累计支出数"))

FigureId = tuple[object, ...]  # ("indicator", ("产出指标", "数量指标", "完成笔数"), 0, "score")


@dataclass(frozen=True)
class Figure:
    name: str  # as an editor's message names it: 指标“系统故障率”得分
    value: str  # as written, normalised: "8" (for 8.0 too), "未公布", "≥95%"; "" when not given
    key: KeyPath  # where it is in the record's TOML


def figures(record: Record) -> dict[FigureId, Figure]:
    """Every published figure of the record, by an identity that does not depend on row positions."""
    return {fid: fig for fid, fig in _walk(record)}


def _value(obj: object, attr: str) -> str:
    if attr in getattr(obj, "unpublished", ()):
        return NOT_PUBLISHED
    value = getattr(obj, attr)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return fmt(value)
    return str(value).strip()


def _of(
    obj: object, table: tuple[tuple[str, str], ...], fid: FigureId, key: KeyPath, lead: str
) -> Iterator[tuple[FigureId, Figure]]:
    for attr, label in table:
        yield fid + (attr,), Figure(f"{lead}{label}", _value(obj, attr), key + (attr,))


def _counted(names: list[str]) -> list[tuple[str, int]]:
    """Each name with how many times it came before: rows with the same name keep distinct identities."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        out.append((name, seen.get(name, 0)))
        seen[name] = seen.get(name, 0) + 1
    return out


def _walk(record: Record) -> Iterator[tuple[FigureId, Figure]]:
    yield from _of(record, RECORD_FIGURES, (), (), "")
    for group, (path, n) in zip(record.groups, _counted(["/".join(g.path) for g in record.groups])):
        yield from _of(group, GROUP_FIGURES, ("group", path, n), ("group", group.index), f"上级指标“{path}”")
    names = ["/".join(ind.full_path) for ind in record.indicators]
    for ind, (path, n) in zip(record.indicators, _counted(names)):
        yield from _of(ind, INDICATOR_FIGURES, ("indicator", path, n), ind.key, f"指标“{ind.name}”")
    b = record.budget
    if b is not None:
        yield from _of(b, BUDGET_FIGURES, ("budget",), ("budget",), "预算表中的")
        for table, lead in (("sources", "资金来源"), ("items", "支出明细")):
            rows = getattr(b, table)
            for i, (row, (name, n)) in enumerate(zip(rows, _counted([r.name for r in rows]))):
                yield from _of(row, ROW_FIGURES, ("budget", table, name, n), ("budget", table, i), f"{lead}“{name}”的")
        if b.balance is not None:
            yield from _of(b.balance, BALANCE_FIGURES, ("budget", "balance"), ("budget", "balance"), "结余结转表中的")
    m = record.monitoring
    if m is not None:
        yield from _of(m, MONITORING_FIGURES, ("monitoring",), ("monitoring",), "执行监控表中的")
