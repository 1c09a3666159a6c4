"""What the exported forms share: loading the record, writing cells, the indicator tree with its merged
level cells, and the notes on what a form has no place for."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Protocol

from generator.core.decimals import fmt
from generator.core.field_types import NOT_PUBLISHED
from generator.core.model import Indicator, Record

from .xlsx_writer import SheetPlan, col_index, col_name

CENTER = "center"
LEFT = "left"


class ExportFailure(Exception):
    """The record could not be loaded; the message lists its errors (Chinese)."""


def as_record(source) -> Record:
    """A Record from a path to its .toml, a Record, or a scoring Evaluation."""
    if isinstance(source, Record):
        return source
    record = getattr(source, "record", None)
    if isinstance(record, Record):
        return record
    from generator.core import diagnostics as dg
    from generator.core.loader import load_file

    path = str(source)
    record, diags = load_file(path)
    if record is None:
        problems = "\n".join(d.to_text() for d in diags if d.severity is dg.Severity.ERROR) or f"无法读取 {path}"
        raise ExportFailure(f"记录 {path} 无法读取，不能导出：\n{problems}")
    return record


def is_budget_execution(ind: Indicator) -> bool:
    """The leaf that lives in the national form's 年度资金总额 row rather than in the indicator table."""
    if ind.path:
        return False
    if ind.rule is not None:
        kind = (ind.rule.inline or {}).get("kind") if ind.rule.inline else ind.rule.name
        if kind in ("budget_execution", "预算执行率"):
            return True
    return "预算执行率" in ind.name


class Sheet:
    """The form's cells as instructions for the writer (values, merges, the framed block)."""

    def __init__(self, plan: SheetPlan) -> None:
        self.plan = plan

    def put(
        self,
        row: int,
        col: str,
        value,
        *,
        fmt_number: bool = False,
        percent: bool = False,
        bold: bool = False,
        align: str = CENTER,
        size: int = 10,
    ) -> None:
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() and abs(value) < 10**15 else value
        self.plan.put(row, col, value, number=fmt_number, percent=percent, bold=bold, align=align, size=size)

    def value(self, row: int, col: str, obj: object, name: str, value, **style) -> None:
        """A field's value, or "未公布" where the source left it blank (issue 11); nothing when not given."""
        if value is not None:
            self.put(row, col, value, **style)
        elif name in getattr(obj, "unpublished", ()):
            self.put(row, col, NOT_PUBLISHED, align=style.get("align", CENTER))

    def merge(self, first: str, last: str) -> None:
        self.plan.merge(first, last)

    def frame(self, r0: int, r1: int, c0: str = "A", c1: str = "I") -> None:
        self.plan.frame(r0, r1, c0, c1)


class Leaf(Protocol):
    """A row of an indicator table: an indicator, or a row of the 执行监控 table."""

    @property
    def path(self) -> tuple[str, ...]: ...

    @property
    def name(self) -> str: ...


def cut_path(ind: Leaf, levels: int, notes: list[str], form: str) -> tuple[str, ...]:
    """The indicator's upper levels as the form's `levels` level columns show them: deeper levels are
    joined with “/” into the last column (and said so in the notes)."""
    path = tuple(ind.path)
    if len(path) <= levels:
        return path
    kept = path[: levels - 1]
    joined = "/".join(path[levels - 1 :])
    notes.append(
        f"指标“{ind.name}”有 {len(path)} 级上级指标，{form}只有 {levels} 栏，最后一栏写作“{joined}”，导入后成为一级。"
        if levels == 1
        else f"指标“{ind.name}”有 {len(path)} 级上级指标，{form}只有 {levels} 栏，最后一栏写作“{joined}”。"
    )
    return (*kept, joined)


def write_levels(
    s: Sheet,
    rows: Sequence[tuple[int, tuple[str, ...]]],
    level_cols: str,
    label: Callable[[tuple[str, ...]], str] = lambda key: key[-1],
) -> None:
    """The level columns of the indicator table: each level's name once, merged down over the run of
    consecutive rows under it. `rows` are (row, upper levels), in order and on consecutive rows."""
    for depth, col in enumerate(level_cols, start=1):
        start: int | None = None
        key: tuple[str, ...] | None = None
        for row, path in [*rows, (rows[-1][0] + 1 if rows else 0, ())]:
            here = path[:depth] if len(path) >= depth else None
            if here is not None and here == key:
                continue
            if key is not None and start is not None:
                s.put(start, col, label(key))
                if row - 1 > start:
                    s.merge(f"{col}{start}", f"{col}{row - 1}")
            start, key = row, here


def leaf_name_col(path: tuple[str, ...], level_cols: str, name_col: str) -> str:
    """Where a leaf's name goes: the name column under a full path; a leaf with fewer upper levels has
    its name in the first empty level column (as the forms print 预算执行率 with no upper level)."""
    if len(path) >= len(level_cols):
        return name_col
    return level_cols[len(path)]


def shift(col: str, by: int) -> str:
    return col_name(col_index(col) + by)


def indicator_notes(record: Record, skip: Indicator | None, form: str) -> list[str]:
    """The indicator fields no form has a column for."""
    extras = []
    for ind in record.indicators:
        if ind is skip:
            continue
        for attr, label in (
            ("level", "档次"),
            ("discretion", "酌情扣分"),
            ("failed", "不符合项数"),
            ("review_score", "复核分"),
            ("explanation", "指标解释"),
            ("criteria", "评分标准"),
        ):
            if getattr(ind, attr) is not None:
                extras.append(label)
        if ind.rule is not None:
            extras.append("评分规则")
        if not ind.applicable:
            extras.append("不适用标记")
    return [f"指标的{'、'.join(sorted(set(extras)))}{form}没有栏目，未导出。"] if extras else []


def record_notes(record: Record, form: str, *, monitoring_sheet: bool = False) -> list[str]:
    """Record-level content no form has a place for; the 执行监控 table goes with the national form as its
    second sheet (`monitoring_sheet`), the other layouts say they leave it out."""
    out: list[str] = []
    if record.grade:
        out.append(f"等级“{record.grade}”{form}没有栏目，未导出。")
    if record.monitoring is not None and not monitoring_sheet:
        out.append("执行监控情况（[monitoring]）属于另一张表，只随全国通用样式导出（第二张工作表），这一样式未导出。")
    if record.rules:
        out.append("自定义评分规则（[rules]）未导出。")
    # Problems found and their follow-up (issue 17): no form has cells for them item by item.
    listed = [
        label
        for label, present in (
            ("存在的问题（[[problems]]）", record.problems),
            ("有关建议（[[recommendations]]）", record.recommendations),
            ("整改情况（[[follow_up]]）", record.follow_ups),
            ("评价结果应用（[result_use]）", record.result_use),
        )
        if present
    ]
    if listed:
        out.append(f"逐条录入的{'、'.join(listed)}{form}没有栏目，未导出。")
    if record.evaluation != "单位自评":
        out.append(f"记录的评价类型是“{record.evaluation}”，导出的仍是单位自评表样式。")
    return out


def full_marks(record: Record, derived: dict[int, Decimal], notes: list[str], where: str) -> Decimal | None:
    """The record's max_score; without one, the sum of its indicators' weights when every one is known
    (said in the notes: `where` names the cell it goes to)."""
    if record.max_score is not None:
        return record.max_score
    weights = [ind.weight if ind.weight is not None else derived.get(ind.index) for ind in record.indicators]
    known = [w for w in weights if w is not None]
    if not weights or len(known) != len(weights):
        return None
    total = sum(known, Decimal(0))
    notes.append(f"记录没有写满分（max_score），{where}写各指标分值之和 {fmt(total)}。")
    return total


def finish(plan: SheetPlan, notes: list[str]) -> None:
    """Row heights from the wrapped text; a cell too long for the tallest row is named in the notes."""
    for ref in plan.fit_rows():
        notes.append(
            f"单元格 {ref} 的文字很长，所需行高超过表格软件允许的最大值（409 磅），打印时可能显示不全，请在表格软件中调整。"
        )
