"""Checks on an indicator row as the form prints it: notation that cannot be read, full marks nothing verifies,
a text target met but deducted, and the «其中» sub-rows under it (issue 11).

Each check reads the Evaluation and reports at the key that holds what it found, in the editors' words and in
the public's (checks.Reporter). Called from pipeline.check_record after checks.check_scores.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .checks import Reporter
from .decimals import ZERO, fmt
from .diagnostics import KeyPath
from .model import IndicatorPart
from .quantity import Quantity, base_unit, convert, normalize, parse
from .scoring import Evaluation, LeafResult

_COLUMNS = {"target": "目标值", "actual": "完成值"}


def check_rows(ev: Evaluation, rep: Reporter) -> None:
    for leaf in ev.leaves:
        check_notation(leaf, rep)
        if ev.record.scored:
            check_unverified_full_marks(leaf, rep)
            check_met_but_deducted(leaf, rep)
        check_parts(leaf, rep)


# ---------------------------------------------------------------------------- notation


def check_notation(leaf: LeafResult, rep: Reporter) -> None:
    """W260: a target or actual with a mark beside its number that cannot be read (never scored as a bare number)."""
    ind = leaf.indicator
    for column, q in (("target", leaf.target), ("actual", leaf.actual)):
        _unreadable(q, ind.key + (column,), f"指标“{ind.name}”", _COLUMNS[column], rep)
    for i, part in enumerate(ind.parts):
        for column in ("target", "actual"):
            q = parse(getattr(part, column))
            _unreadable(
                q, ind.key + ("parts", i, column), f"指标“{ind.name}”的子行“{part.name}”", _COLUMNS[column], rep
            )


def _unreadable(q: Quantity, key: KeyPath, subject: str, what: str, rep: Reporter) -> None:
    if not q.unreadable:
        return
    rep.at(
        "W260",
        key,
        f"{subject}的{what} “{q.text}” 中有无法识别的符号 “{q.unreadable}”，不当作数字计分，该项得分以公布得分为准。"
        f"请对照原表改成能识别的写法（如 “≥80%”）；原表本身无法辨认时写 “未公布”，并在 uncertain 中照录原文。",
        f"{subject}：公布的{what}“{q.text}”中有无法识别的符号“{q.unreadable}”，本站不按评分规则核对该项得分。",
    )


# ---------------------------------------------------------------------------- full marks nothing verifies


def check_unverified_full_marks(leaf: LeafResult, rep: Reporter) -> None:
    """W262: full marks on a row whose target and actual were both left blank (or printed as not published)."""
    ind = leaf.indicator
    if not (leaf.target.blank and leaf.actual.blank) or ind.score is None or leaf.weight is None:
        return
    if ind.score != leaf.weight or not ind.applicable or leaf.computed is not None:
        return  # a rule that computes without them (预算执行率 from the budget) verifies the score
    if (ind.criteria or "").strip() or (ind.explanation or "").strip():
        return  # scored against its own criteria (决策、过程 rows of a department evaluation), not a target
    rep.at(
        "W262",
        ind.key + ("score",),
        f"指标“{ind.name}”没有目标值也没有完成值，却得满分 {fmt(ind.score)} 分：得分无法核实。"
        "请照录原文的目标值和完成值；原文确实空白时保留，网站会说明该项得分无法核实。",
        f"指标“{ind.name}”：公布材料没有给出目标值和完成值，该项得满分 {fmt(ind.score)} 分，本站无法核实。",
    )


# ---------------------------------------------------------------------------- met but deducted

_TRAILING = re.compile(r"[。.，,；;！!\s]+$")


def _words(text: str) -> str:
    return _TRAILING.sub("", normalize(text)).replace(" ", "")


def check_met_but_deducted(leaf: LeafResult, rep: Reporter) -> None:
    """W263: a text (qualitative) target whose actual repeats it, yet the row lost points."""
    ind = leaf.indicator
    t, a = leaf.target, leaf.actual
    if t.is_numeric or t.unreadable or t.blank or a.blank or ind.score is None or leaf.weight is None:
        return
    if not ind.applicable or ind.score >= leaf.weight or _words(t.text) != _words(a.text):
        return
    rep.at(
        "W263",
        ind.key + ("score",),
        f"指标“{ind.name}”的完成值 “{a.text}” 与目标值相同（已达到目标），得分却为 {fmt(ind.score)} 分，"
        f"低于分值 {fmt(leaf.weight)} 分。请核对得分、完成值和扣分说明；原文如此则保留。",
        f"指标“{ind.name}”：公布的完成值“{a.text}”与目标值相同，公布得分 {fmt(ind.score)} 分，"
        f"低于分值 {fmt(leaf.weight)} 分。",
    )


# ---------------------------------------------------------------------------- «其中» sub-rows


def check_parts(leaf: LeafResult, rep: Reporter) -> None:
    """W267 when the sub-rows of a row use units that do not convert; W268 when they do not add up to the row."""
    ind = leaf.indicator
    if not ind.parts:
        return
    row = {"target": leaf.target, "actual": leaf.actual}
    mixed: set[str] = set()
    for column in ("target", "actual"):
        parts = [parse(getattr(p, column)) for p in ind.parts]
        numeric = [q for q in parts if q.is_numeric]
        units = sorted({q.unit for q in numeric if q.unit} | ({row[column].unit} if row[column].unit else set()))
        if len({base_unit(u)[0] for u in units}) > 1:
            mixed.update(units)
            continue
        if numeric and len(numeric) == len(parts) and row[column].is_numeric:
            _sum_check(leaf, column, numeric, rep)
    if mixed:
        shown = "、".join(f"“{u}”" for u in sorted(mixed))
        rep.at(
            "W267",
            ind.key + ("parts",),
            f"指标“{ind.name}”的“其中”子行用了不能换算的不同单位（{shown}），无法相加核对。"
            "请核对原表各子行的单位；原文如此则保留。",
            f"指标“{ind.name}”：其下“其中”各行的单位不同（{shown}），不能相加核对。",
        )
    for column, label in (("weight", "分值"), ("score", "得分")):
        values: list[Decimal | None] = [getattr(p, column) for p in ind.parts]
        whole = leaf.weight if column == "weight" else ind.score
        if whole is not None and values and all(v is not None for v in values):
            _compare(leaf, column, label, sum((v for v in values if v is not None), ZERO), whole, "", len(values), rep)


def _sum_check(leaf: LeafResult, column: str, parts: list[Quantity], rep: Reporter) -> None:
    """The parts of one column (target or actual) added up in the row's unit, against the row's own value."""
    whole = leaf.target if column == "target" else leaf.actual
    if whole.value is None or whole.unit in ("%", "‰"):
        return  # rates do not add up
    total = ZERO
    for q in parts:
        value = convert(q.value, q.unit, whole.unit) if q.value is not None else None
        if value is None:
            return
        total += value
    _compare(leaf, column, _COLUMNS[column], total, whole.value, whole.unit, len(parts), rep)


def _compare(
    leaf: LeafResult, column: str, label: str, total: Decimal, whole: Decimal, unit: str, count: int, rep: Reporter
) -> None:
    """W268 when the sub-rows' sum differs from the row: always when above it; below it only with two or more
    sub-rows (a single «其中» line often names a part of the whole)."""
    if total == whole or (total < whole and count < 2):
        return
    ind = leaf.indicator
    parts = " + ".join(fmt(_value(p, column)) for p in ind.parts)
    rep.at(
        "W268",
        ind.key + (column,),
        f"指标“{ind.name}”的“其中”子行{label}相加为 {parts} = {fmt(total)}{unit}，与该指标的{label} "
        f"{fmt(whole)}{unit} 不符。请核对各子行与该指标的数值；原文如此则保留。",
        f"指标“{ind.name}”：其下“其中”各行的{label}相加为 {fmt(total)}{unit}，"
        f"与该指标公布的{label} {fmt(whole)}{unit}不符。",
    )


def _value(part: IndicatorPart, column: str) -> Decimal | None:
    if column in ("weight", "score"):
        value: Decimal | None = getattr(part, column)
        return value
    return parse(getattr(part, column)).value
