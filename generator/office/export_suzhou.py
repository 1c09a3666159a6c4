"""Fill the 苏州 municipal self-evaluation form (苏州市级财政支出项目绩效自评表) with a record.

The sheet is laid out as the 苏州 form is: 项目名称 / 项目年份 / 项目主管部门(单位) (and 实施单位 when the
record names one); 市级预算执行情况(万元): 年初预算数 | 当年使用上年结余、结转及当年调整预算数 | 财政拨款数 |
指标结余数; 市级财政资金使用情况(万元): 财政拨款数 | 实际支付数 | 资金结余、结转数 | 其中: 结转数 | 财政收回数;
项目资金构成: 子项目名称 | 实际金额 with 合计; the indicator table 项目 | 类别 | 指标名称 | 目标值 | 权重 |
实际完成值 | 自评分, the category weight in its 类别 cell (“投入目标（26分）”) and the full marks in the 项目 cell;
合计; 项目基本情况, one row per section of the narrative (its `##` headings), with 年度绩效目标 from the
record's goals.
"""

from __future__ import annotations

import re
from decimal import Decimal

from generator.core.decimals import fmt
from generator.core.model import Indicator, Record
from generator.core.scoring import derive_weights

from .export_common import (
    LEFT,
    Sheet,
    cut_path,
    finish,
    full_marks,
    indicator_notes,
    leaf_name_col,
    record_notes,
    write_levels,
)
from .form_reader import NOTE_START
from .grid import join_lines, label
from .xlsx_writer import SheetPlan

FORM = "苏州自评表"
WIDTHS = {"A": 14, "B": 16, "C": 30, "D": 20, "E": 9, "F": 20, "G": 9}
GOALS_HEADS = ("年度绩效目标", "年度目标")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation (Markdown escapes)
_BLOCK_START = re.compile(r"^(?:[-*+]\s|\d+[.)]\s|>|\|)")


def build_workbook(record: Record) -> tuple[SheetPlan, list[str]]:
    notes: list[str] = []
    sheet = SheetPlan(
        title="苏州市级财政支出项目绩效自评表", widths=dict(WIDTHS), print_title_rows="1:1", landscape=True
    )
    s = Sheet(sheet)
    s.put(1, "A", "苏州市级财政支出项目绩效自评表", bold=True, size=16)
    s.merge("A1", "G1")
    s.put(2, "A", "项目名称")
    s.merge("A2", "B2")
    s.put(2, "C", record.name, align=LEFT)
    s.merge("C2", "E2")
    s.put(2, "F", "项目年份")
    s.put(2, "G", record.year)
    s.put(3, "A", "项目主管部门(单位)")
    s.merge("A3", "B3")
    s.put(3, "C", record.department, align=LEFT)
    if record.implementer:
        s.merge("C3", "D3")
        s.put(3, "E", "实施单位")
        s.put(3, "F", record.implementer, align=LEFT)
        s.merge("F3", "G3")
    else:
        s.merge("C3", "G3")
    r = _funds(s, record, 4, notes)
    r = _indicators(s, record, r + 1, notes)
    s.frame(2, r, "A", "G")
    _basic_facts(s, record, r + 2, notes)
    notes += _not_exported(record)
    finish(sheet, notes)
    return sheet, notes


def _funds(s: Sheet, record: Record, r: int, notes: list[str]) -> int:
    """The two figure blocks and 项目资金构成; returns the last row written."""
    b = record.budget
    if b is None:
        return r - 1
    bal = b.balance
    unit = b.unit
    appropriated = bal.appropriated if bal is not None else None
    plan_row = (b.initial, b.adjustment, appropriated, bal.unallocated if bal is not None else None)
    if any(v is not None for v in plan_row):
        s.put(r, "A", f"市级预算执行情况\n({unit})")
        s.merge(f"A{r}", f"A{r + 1}")
        for col, text in (
            ("B", "年初预算数"),
            ("C", "当年使用上年结余、结转及当年调整预算数"),
            ("D", "财政拨款数"),
            ("F", "指标结余数"),
        ):
            s.put(r, col, text)
        s.merge(f"D{r}", f"E{r}")
        s.merge(f"F{r}", f"G{r}")
        for col, value in zip("BCDF", plan_row):
            if value is not None:
                s.put(r + 1, col, value, fmt_number=True)
        s.merge(f"D{r + 1}", f"E{r + 1}")
        s.merge(f"F{r + 1}", f"G{r + 1}")
        r += 2
    paid = bal.paid if bal is not None and bal.paid is not None else b.executed
    if (bal is None or bal.paid is None) and b.executed is not None:
        notes.append(
            f"执行数 {fmt(b.executed)} 写入“实际支付数”一栏（{FORM}没有执行数栏），导入时也记为结余结转情况的实际支付数。"
        )
    use_row = (
        appropriated,
        paid,
        bal.balance if bal is not None else None,
        bal.carried if bal is not None else None,
        bal.recovered if bal is not None else None,
    )
    if any(v is not None for v in use_row):
        s.put(r, "A", f"市级财政资金使用情况\n({unit})")
        s.merge(f"A{r}", f"A{r + 2}")
        for col, text in (("B", "财政拨款数"), ("C", "实际支付数"), ("D", "资金结余、结转数")):
            s.put(r, col, text)
            s.merge(f"{col}{r}", f"{col}{r + 1}")
        s.put(r, "E", "其中:")
        s.merge(f"E{r}", f"G{r}")
        s.put(r + 1, "E", "结转数")
        s.put(r + 1, "F", "财政收回数")
        s.merge(f"F{r + 1}", f"G{r + 1}")
        for col, value in zip("BCDEF", use_row):
            if value is not None:
                s.put(r + 2, col, value, fmt_number=True)
        s.merge(f"F{r + 2}", f"G{r + 2}")
        r += 3
    if b.items:
        top = r
        s.put(r, "A", "项目资金构成(详细列出各子项目名称和金额)")
        s.put(r, "B", "子项目名称")
        s.merge(f"B{r}", f"E{r}")
        s.put(r, "F", f"实际金额({unit})")
        s.merge(f"F{r}", f"G{r}")
        amounts = [item.budget for item in b.items]
        r += 1
        s.put(r, "B", "合计")
        s.merge(f"B{r}", f"E{r}")
        if all(a is not None for a in amounts):
            total = sum((a for a in amounts if a is not None), Decimal(0))
            s.put(r, "F", total, fmt_number=True)
            notes.append(f"项目资金构成的合计 {fmt(total)} 是各子项目金额之和。")
        s.merge(f"F{r}", f"G{r}")
        for item in b.items:
            r += 1
            s.put(r, "B", item.name, align=LEFT)
            s.merge(f"B{r}", f"E{r}")
            if item.budget is not None:
                s.put(r, "F", item.budget, fmt_number=True)
            s.merge(f"F{r}", f"G{r}")
        s.merge(f"A{top}", f"A{r}")
        r += 1
    return r - 1


def _indicators(s: Sheet, record: Record, r: int, notes: list[str]) -> int:
    """The indicator table and its 合计 row; returns the 合计 row."""
    for col, text in zip("ABCDEFG", ("项目", "类别", "指标名称", "目标值", "权重", "实际完成值", "自评分")):
        s.put(r, col, text)
    scored = record.scored
    derived = derive_weights(record) if scored else {}
    if derived:
        notes.append(
            f'{len(derived)} 个指标的分值由上级指标的 split = "equal" 推算（该类总分值 ÷ 指标个数），写入了权重栏；'
            "导入后成为各指标的分值。"
        )
    group_weight = {g.path: g.weight for g in record.groups if g.weight is not None} if scored else {}

    def category(key: tuple[str, ...]) -> str:
        w = group_weight.get(key)
        return key[-1] if w is None else f"{key[-1]}\n（{fmt(w)}分）"

    plan: list[tuple[int, Indicator, tuple[str, ...]]] = []
    for ind in record.indicators:
        r += 1
        plan.append((r, ind, cut_path(ind, 1, notes, FORM)))
    if plan:
        top = plan[0][0]
        marks = full_marks(record, derived, notes, "“项目绩效实现情况”一栏的满分") if scored else None
        s.put(top, "A", "项目绩效实现情况" + (f"\n（{fmt(marks)}分）" if marks is not None else ""))
        s.merge(f"A{top}", f"A{r}")
    write_levels(s, [(row, path) for row, _ind, path in plan], "B", category)
    for row, ind, path in plan:
        s.put(row, leaf_name_col(path, "B", "C"), ind.name, align=LEFT)
        if ind.target is not None:
            s.put(row, "D", ind.target)
        if ind.actual is not None:
            s.put(row, "F", ind.actual)
        if scored:
            weight = ind.weight if ind.weight is not None else derived.get(ind.index)
            if weight is not None:
                s.put(row, "E", weight, fmt_number=True)
            if ind.score is not None:
                s.put(row, "G", ind.score, fmt_number=True)
    r += 1
    s.put(r, "A", "合计", bold=True)
    s.merge(f"A{r}", f"F{r}")
    if scored and record.total is not None:
        s.put(r, "G", record.total, fmt_number=True)
    return r


def _basic_facts(s: Sheet, record: Record, r: int, notes: list[str]) -> None:
    """项目基本情况: a row per `##` section of the narrative (as plain text), 年度绩效目标 from the goals."""
    sections, dropped = narrative_sections(record.narrative or "")
    if dropped:
        notes.append(f"叙述中第一个二级标题（##）之前的文字没有导出：{FORM}的“项目基本情况”按标题分栏。")
    goals = "\n".join(record.goals_expected)
    heads = [head for head, _ in sections]
    at = next((i for i, h in enumerate(heads) if h in GOALS_HEADS), None)
    if goals:
        if at is not None:
            sections[at] = (sections[at][0], goals)
        else:
            after = [i for i, h in enumerate(heads) if h in ("项目概况", "项目总目标")]
            sections.insert(after[-1] + 1 if after else 0, (GOALS_HEADS[0], goals))
    empty = [head for head, body in sections if not body]
    if empty:
        notes.append(f"叙述中没有文字的小节（{'、'.join(empty)}）没有导出。")
    # 填表说明 and the like are notes under the form: the import reads them as notes, not as narrative
    remarks = [(head, body) for head, body in sections if body and NOTE_START.match(label(head))]
    sections = [(head, body) for head, body in sections if body and not NOTE_START.match(label(head))]
    if remarks:
        notes.append(f"叙述中的“{'”“'.join(head for head, _ in remarks)}”写在表下作为表注；导入时表注不读入叙述。")
    if sections:
        s.put(r, "A", "项目基本情况")
        s.merge(f"A{r}", f"A{r + len(sections) - 1}")
        for i, (head, body) in enumerate(sections):
            s.put(r + i, "B", head)
            s.put(r + i, "C", body, align=LEFT)
            s.merge(f"C{r + i}", f"G{r + i}")
        s.frame(r, r + len(sections) - 1, "A", "G")
        r += len(sections)
    for head, body in remarks:
        s.put(r, "A", f"{head}：{body}", align=LEFT)
        s.merge(f"A{r}", f"G{r}")
        r += 1


def narrative_sections(markdown: str) -> tuple[list[tuple[str, str]], bool]:
    """The narrative's `##` sections as (heading, plain text): deeper headings become lines of their own,
    Markdown escapes are undone, a paragraph wrapped over several lines is joined into one line. The
    second value says whether text before the first `##` heading (other than a `#` title) was left out."""
    sections: list[tuple[str, list[str]]] = []
    dropped = False
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph and sections:
            sections[-1][1].append(_join(paragraph))
        paragraph.clear()

    for raw in markdown.splitlines():
        line = raw.strip()
        heading = _HEADING.match(line)
        if heading and len(heading.group(1)) == 2:
            flush()
            sections.append((_plain(heading.group(2)), []))
            continue
        if not sections:
            if line and not (heading and len(heading.group(1)) == 1):
                dropped = True
            continue
        if not line:
            flush()
        elif heading:
            flush()
            sections[-1][1].append(_plain(heading.group(2)))
        elif _BLOCK_START.match(line):
            flush()
            paragraph.append(_plain(line))
        else:
            paragraph.append(_plain(line))
    flush()
    return [(head, "\n".join(lines)) for head, lines in sections], dropped


def _plain(text: str) -> str:
    return _ESCAPED.sub(r"\1", text)


def _join(lines: list[str]) -> str:
    return join_lines("\n".join(lines))


def _not_exported(record: Record) -> list[str]:
    out: list[str] = []
    b = record.budget
    if b is not None:
        if b.budget is not None and (b.initial is None or b.adjustment is None or b.initial + b.adjustment != b.budget):
            out.append(
                f"全年预算数（budget.budget = {fmt(b.budget)}）{FORM}没有这一栏（表中是年初预算数和调整数），未导出。"
            )
        if b.rate is not None:
            out.append(f"执行率（budget.rate = {fmt(b.rate)}）{FORM}没有这一栏，未导出。")
        if b.arrived is not None:
            out.append(f"到位资金（budget.arrived = {fmt(b.arrived)}）{FORM}没有这一栏，未导出。")
        if b.adjustment_rate is not None:
            out.append(f"预算调整率（budget.adjustment_rate）{FORM}没有这一栏，未导出。")
        paid = b.balance.paid if b.balance is not None else None
        if b.executed is not None and paid is not None and paid != b.executed:
            out.append(
                f"执行数 {fmt(b.executed)} 与实际支付数 {fmt(paid)} 不同，{FORM}只有实际支付数一栏，执行数未导出。"
            )
        if b.sources:
            out.append(f"资金来源（{len(b.sources)} 行）{FORM}没有位置，未导出。")
        if any(any(getattr(i, f) is not None for f in ("initial", "executed", "rate")) for i in b.items):
            out.append(f"子项目只导出了金额（budget），其他数字{FORM}没有栏目。")
    if record.goals_achieved:
        out.append(f"年度总体目标的实际完成情况（goals.achieved）{FORM}没有位置，未导出。")
    if any(ind.reason for ind in record.indicators):
        out.append(f"指标的偏差原因（reason）{FORM}没有栏目，未导出。")
    if not record.scored:
        out.append("记录不计分（scored = false），权重、自评分和合计栏留空。")
    out += indicator_notes(record, None, FORM)
    out += record_notes(record, FORM)
    return out
