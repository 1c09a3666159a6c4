"""Fill the 湖北 / 武汉 self-evaluation table with a record (the layout `import` reads as “wuhan”).

The sheet is laid out as the 湖北 table is: the title (YYYY年度项目支出绩效自评表) and 单位名称：…; 项目名称,
主管部门, 项目实施单位; 预算执行情况（万元） with 资金来源 | 预算数（A） | 执行数（B） | 执行率（B/A）, a row per
source and 合计; 年度绩效目标完成情况 with 一级 | 二级 | 三级指标 | 年初目标值 | 实际完成值 | 未完成原因及改进措施,
the level cells merged down. The table has no points; for a scored record it takes the 分值 / 得分 columns
and a 总分 row of the table's scored variant. Execution rates show as percentages (0.00%).
"""

from __future__ import annotations

from generator.core.decimals import fmt
from generator.core.model import Indicator, Record
from generator.core.scoring import derive_weights

from .export_common import (
    CENTER,
    LEFT,
    Sheet,
    cut_path,
    finish,
    full_marks,
    indicator_notes,
    leaf_name_col,
    record_notes,
    shift,
    write_levels,
)
from .xlsx_writer import SheetPlan

FORM = "湖北自评表"
WIDTHS = {"A": 12, "B": 14, "C": 26, "D": 28, "E": 28}  # then 分值 / 得分 (scored) and the reason column
POINT_WIDTH = 9
REASON_WIDTH = 26


def build_workbook(record: Record) -> tuple[SheetPlan, list[str]]:
    notes: list[str] = []
    scored = record.scored
    last = "H" if scored else "F"  # the rightmost column
    widths: dict[str, float] = dict(WIDTHS)
    if scored:
        widths.update({"F": POINT_WIDTH, "G": POINT_WIDTH})
    widths[last] = REASON_WIDTH
    sheet = SheetPlan(title="项目支出绩效自评表", widths=widths, print_title_rows="1:2", landscape=True)
    s = Sheet(sheet)

    s.put(1, "A", f"{record.year}年度项目支出绩效自评表", bold=True, size=16)
    s.merge("A1", f"{last}1")
    s.put(2, "A", f"单位名称：{record.evaluator}", align=LEFT)
    s.merge("A2", f"{last}2")
    s.put(3, "A", "项目名称")
    s.put(3, "B", record.name, align=LEFT)
    s.merge("B3", f"{last}3")
    s.put(4, "A", "主管部门")
    s.put(4, "B", record.department, align=LEFT)
    s.merge("B4", "C4")
    s.put(4, "D", "项目实施单位")
    s.put(4, "E", record.implementer, align=LEFT)
    s.merge("E4", f"{last}4")
    r = _funds(s, record, 5, last, notes)

    # ---------------------------------------------------------------- 年度绩效目标完成情况
    r += 1
    s.put(r, "A", "年度绩效目标完成情况")
    s.merge(f"A{r}", f"{last}{r}")
    r += 1
    heads = ["一级指标", "二级指标", "三级指标", "年初目标值", "实际完成值"]
    heads += ["分值", "得分"] if scored else []
    heads.append("未完成原因及改进措施")
    for i, text in enumerate(heads):
        s.put(r, shift("A", i), text)
    derived = derive_weights(record) if scored else {}
    if derived:
        notes.append(
            f'{len(derived)} 个指标的分值由上级指标的 split = "equal" 推算（该类总分值 ÷ 指标个数），写入了分值栏。'
        )
    plan: list[tuple[int, Indicator, tuple[str, ...]]] = []
    for ind in record.indicators:
        r += 1
        plan.append((r, ind, cut_path(ind, 2, notes, FORM)))
    write_levels(s, [(row, path) for row, _ind, path in plan], "AB")
    for row, ind, path in plan:
        s.put(row, leaf_name_col(path, "AB", "C"), ind.name, align=LEFT)
        if ind.target is not None:
            s.put(row, "D", ind.target, align=LEFT)
        if ind.actual is not None:
            s.put(row, "E", ind.actual, align=LEFT)
        if scored:
            weight = ind.weight if ind.weight is not None else derived.get(ind.index)
            if weight is not None:
                s.put(row, "F", weight, fmt_number=True)
            if ind.score is not None:
                s.put(row, "G", ind.score, fmt_number=True)
        if ind.reason:
            s.put(row, last, ind.reason, align=LEFT)
    if scored:
        r += 1
        s.put(r, "A", "总分", bold=True)
        s.merge(f"A{r}", f"E{r}")
        max_score = full_marks(record, derived, notes, "总分行的分值")
        if max_score is not None:
            s.put(r, "F", max_score, fmt_number=True)
        if record.total is not None:
            s.put(r, "G", record.total, fmt_number=True)
    s.frame(3, r, "A", last)

    notes += _not_exported(record)
    finish(sheet, notes)
    return sheet, notes


def _funds(s: Sheet, record: Record, r: int, last: str, notes: list[str]) -> int:
    """预算执行情况: a row per source and 合计; returns the last row written (r - 1 when there is no budget)."""
    b = record.budget
    if b is None:
        return r - 1
    top = r
    s.put(r, "A", f"预算执行情况（{b.unit}）")
    for col, text in zip("BCDE", ("资金来源", "预算数（A）", "执行数（B）", "执行率（B/A）")):
        s.put(r, col, text)
    s.merge(f"E{r}", f"{last}{r}")
    for row in [*b.sources, None]:
        r += 1
        name, budget, executed, rate = (
            ("合计", b.budget, b.executed, b.rate) if row is None else (row.name, row.budget, row.executed, row.rate)
        )
        s.put(r, "B", name)
        for col, value in (("C", budget), ("D", executed)):
            if value is not None:
                s.put(r, col, value, fmt_number=True)
        if rate is not None:
            s.put(r, "E", rate / 100, percent=True, align=CENTER)
        s.merge(f"E{r}", f"{last}{r}")
    s.merge(f"A{top}", f"A{r}")
    return r


def _not_exported(record: Record) -> list[str]:
    out: list[str] = []
    b = record.budget
    if b is not None:
        for attr, label in (
            ("initial", "年初预算数"),
            ("adjustment", "预算调整数"),
            ("arrived", "到位资金"),
            ("adjustment_rate", "预算调整率"),
        ):
            if getattr(b, attr) is not None:
                out.append(f"{label}（budget.{attr} = {fmt(getattr(b, attr))}）{FORM}没有这一栏，未导出。")
        if any(src.initial is not None for src in b.sources):
            out.append(f"资金来源的年初预算数{FORM}没有这一栏，未导出。")
        if b.items:
            out.append(f"支出明细 / 子项目（{len(b.items)} 行）{FORM}没有位置，未导出。")
        if b.balance is not None:
            out.append(f"结余结转情况（budget.balance）{FORM}没有位置，未导出。")
    if record.goals_expected or record.goals_achieved:
        out.append(f"年度总体目标（[goals]）{FORM}没有位置，未导出。")
    if record.groups and any(g.weight is not None for g in record.groups):
        out.append(f"上级指标的分值（[[group]]）{FORM}没有栏目，未导出（可由各指标分值相加得出）。")
    out += indicator_notes(record, None, FORM)
    out += record_notes(record, FORM)
    return out
