"""Checks on a table the source printed with gaps: values written "未公布", and tables printed only in part.

Where some scores or weights were never printed, the total cannot be checked row by row; it is checked against
what the published figures allow instead: never below the scores that are known (scores are not negative), never
above them plus the most the other rows could give. A table cut short ([form] excerpt) gets one notice in place of
the reports about the values it never printed (checks.py leaves those out under an excerpt). Each finding says
what it found for editors and, in plain words, for the public (数据核对).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .checks import TOLERANCE, Reporter
from .decimals import ZERO, decimal_places, fmt, quantize_to
from .model import Indicator
from .scoring import Evaluation, LeafResult, Node, on_full_scale, walk

_NAMES_SHOWN = 5  # rows named in a note before "等"


def check_gaps(ev: Evaluation, rep: Reporter) -> None:
    """I250 excerpt, W152 two maxima, I245 weights not published, W243 a group's scores over its weight,
    W246 / W247 / I249 the total against its bounds, W248 a computed total above the maximum."""
    record = ev.record
    excerpt = record.excerpt
    if excerpt is not None:
        where = excerpt.strip().rstrip("。")
        rep.at(
            "I250",
            ("form", "excerpt"),
            f"评价表只公布了一部分（{where}）：未印出的分值、得分和总分不再逐项报告，总分按已公布部分的范围核对。",
            f"公布材料仅包含评价表的一部分（{where}），以下按已公布部分核对。",
        )
    form_max = record.form.max_score if record.form is not None else None
    if record.max_score is not None and form_max is not None and record.max_score != form_max:
        rep.at(
            "W152",
            ("form", "max_score"),
            f"顶层 max_score = {fmt(record.max_score)}，[form] 中 max_score = {fmt(form_max)}，两者不同；"
            "计算使用顶层的值。请核对原表印明的满分，只在 [form] 中填写。",
        )
    if not record.scored or not ev.leaves:
        return
    _no_scores_published(ev, rep)
    _unpublished_weights(ev, rep)
    _group_scores(ev, rep)
    _total_bounds(ev, rep)
    _computed_above_maximum(ev, rep)


def _no_scores_published(ev: Evaluation, rep: Reporter) -> None:
    """I251: a scored form that printed neither a row score nor a total: nothing can be checked."""
    record = ev.record
    if "total" in record.unpublished and all("score" in leaf.indicator.unpublished for leaf in ev.leaves):
        rep.at(
            "I251",
            ("total",),
            "评价表各项得分和总分原文均未公布：得分无法核对，只核对分值和预算。",
            "公布的评价表各项得分和总分均为空白，本站无法核对得分。",
        )


def stated_maximum(ev: Evaluation) -> Decimal | None:
    """The maximum the record, its form or its scheme states (not the sum of the weights it happens to have)."""
    r = ev.record
    if r.max_score is not None:
        return r.max_score
    if r.form is not None and r.form.max_score is not None:
        return r.form.max_score
    if ev.scheme is not None and ev.scheme.max_score is not None:
        return ev.scheme.max_score
    return None


def _names(indicators: list[Indicator]) -> str:
    shown = "、".join(f"“{ind.name}”" for ind in indicators[:_NAMES_SHOWN])
    return shown + ("等" if len(indicators) > _NAMES_SHOWN else "")


def _unpublished_weights(ev: Evaluation, rep: Reporter) -> None:
    rows = [leaf.indicator for leaf in ev.leaves if leaf.weight is None and "weight" in leaf.indicator.unpublished]
    if not rows:
        return
    grouped = any(isinstance(n, Node) and n.declared_weight is not None for n in walk(ev.roots))
    by_group = "，只按所属上级指标的分值整体核对" if grouped else ""
    rep.at(
        "I245",
        rows[0].key + ("weight",),
        f'{len(rows)} 项指标的分值原文未公布（weight = "未公布"：{_names(rows)}），这些指标不按评分规则单独复核'
        f"{by_group}；复核总分无法计算。",
        f"公布材料没有给出 {len(rows)} 项指标的分值（{_names(rows)}），这些指标不按评分规则单独复核{by_group}，"
        "本站不计算复核总分。",
    )


def _group_scores(ev: Evaluation, rep: Reporter) -> None:
    """A group whose rows have no weights of their own is checked as a whole: its scores cannot exceed its weight."""
    for node in walk(ev.roots):
        if not isinstance(node, Node) or node.declared_weight is None or node.group_key is None:
            continue
        leaves = [leaf for leaf in node.leaves() if leaf.indicator.applicable]
        if all(leaf.weight is not None for leaf in leaves):
            continue  # each row is checked against its own weight
        known = sum((leaf.indicator.score for leaf in leaves if leaf.indicator.score is not None), ZERO)
        if known > node.declared_weight + TOLERANCE:
            name = "/".join(node.path)
            rep.at(
                "W243",
                node.group_key + ("weight",),
                f"“{name}”的分值为 {fmt(node.declared_weight)}，其下各指标公布得分之和为 {fmt(known)}，超过该分值。",
                f"“{name}”的分值为 {fmt(node.declared_weight)} 分，其下各项指标公布得分相加为 {fmt(known)} 分，"
                "超过该分值。",
            )


@dataclass(frozen=True)
class Bounds:
    """What the published scores allow the total to be, on the record's own scale."""

    low: Decimal  # the scores that are known (a score is never negative)
    high: Decimal | None  # plus the most the other rows can give; None when that is not known
    known: Decimal  # the known scores added up, before any rescaling
    rest: Decimal | None  # the most the rows without a score (and, in an excerpt, the rows not printed) can give
    unknown: list[Indicator]  # printed rows whose score is not known
    scaled: bool  # rescaled to the full scale because some rows do not apply


def total_bounds(ev: Evaluation) -> Bounds | None:
    """The bounds on the total, when some scores are not known or the table is printed in part (else None)."""
    applicable = [leaf for leaf in ev.leaves if leaf.indicator.applicable]
    unknown = [leaf for leaf in applicable if leaf.indicator.score is None]
    excerpt = ev.record.excerpt is not None
    if not unknown and not excerpt:
        return None
    scaled = len(applicable) != len(ev.leaves)
    if scaled and any(leaf.weight is None for leaf in ev.leaves):
        return None  # rescaling needs every weight
    known = sum((leaf.indicator.score for leaf in applicable if leaf.indicator.score is not None), ZERO)
    rest = _rest(ev, applicable, unknown, excerpt)
    low = _scaled(known, ev) if scaled else known
    high = None if rest is None else (_scaled(known + rest, ev) if scaled else known + rest)
    return Bounds(low, high, known, rest, [leaf.indicator for leaf in unknown], scaled)


def _rest(ev: Evaluation, applicable: list[LeafResult], unknown: list[LeafResult], excerpt: bool) -> Decimal | None:
    """The most the rows without a known score can add: their weights, or what the stated maximum leaves over."""
    if not excerpt and all(leaf.weight is not None for leaf in unknown):
        return sum((leaf.weight for leaf in unknown if leaf.weight is not None), ZERO)
    maximum = stated_maximum(ev)
    scored = [leaf for leaf in applicable if leaf.indicator.score is not None]
    if maximum is None or any(leaf.weight is None for leaf in scored):
        return None
    return max(maximum - sum((leaf.weight for leaf in scored if leaf.weight is not None), ZERO), ZERO)


def _scaled(value: Decimal, ev: Evaluation) -> Decimal:
    return on_full_scale(value, ev.leaves, ev.max_score)


def _above(published: Decimal, bound: Decimal) -> bool:
    """The published total is above the bound even allowing for its own rounding."""
    return published > quantize_to(bound, min(decimal_places(published), 6)) + TOLERANCE / 10


def _below(published: Decimal, bound: Decimal) -> bool:
    return published < quantize_to(bound, min(decimal_places(published), 6)) - TOLERANCE / 10


def _total_bounds(ev: Evaluation, rep: Reporter) -> None:
    record = ev.record
    total = record.total
    bounds = total_bounds(ev)
    if total is None or bounds is None:
        return
    n = len(bounds.unknown)
    missing = f"{n} 项指标的得分未公布" if n else ""
    if record.excerpt is not None:
        missing = "评价表只公布了一部分" + (f"、已公布部分中有 {n} 项指标的得分未公布" if n else "")
    scale_note = "，按满分折算" if bounds.scaled else ""
    if bounds.high is not None and bounds.rest is not None and _above(total, bounds.high):
        rep.at(
            "W246",
            ("total",),
            f"公布总分 {fmt(total)} 高于可能的最高分 {fmt(bounds.high)}：{missing}，已公布得分之和 {fmt(bounds.known)}"
            f" 加上其余指标最多 {fmt(bounds.rest)} 分{scale_note}。",
            f"公布总分为 {fmt(total)} 分；{missing}，已公布的得分相加为 {fmt(bounds.known)} 分，加上其余指标最多能得的 "
            f"{fmt(bounds.rest)} 分{scale_note}，总分最多为 {fmt(bounds.high)} 分。",
        )
    elif _below(total, bounds.low):
        rep.at(
            "W247",
            ("total",),
            f"公布总分 {fmt(total)} 低于已公布得分之和 {fmt(bounds.low)}（{missing}{scale_note}）。",
            f"公布总分为 {fmt(total)} 分，低于已公布的各项指标得分之和 {fmt(bounds.low)} 分（{missing}{scale_note}）。",
        )
    elif n and record.excerpt is None:  # in an excerpt, the one notice (I250) says the total is checked in part
        within = (
            f"在可能的范围 {fmt(bounds.low)}–{fmt(bounds.high)} 分之内"
            if bounds.high is not None
            else f"不低于已公布得分之和 {fmt(bounds.low)} 分"
        )
        rep.at(
            "I249",
            ("total",),
            f"{missing}（{_names(bounds.unknown)}），总分无法逐项核对；公布总分 {fmt(total)} {within}。",
            f"{missing}（{_names(bounds.unknown)}），总分无法逐项核对；公布总分 {fmt(total)} 分{within}。",
        )


def _computed_above_maximum(ev: Evaluation, rep: Reporter) -> None:
    computed, maximum = ev.computed_total, ev.max_score
    if computed is None or maximum is None or computed <= maximum:
        return
    weights = sum((leaf.weight for leaf in ev.leaves if leaf.weight is not None), ZERO)
    what = "已公布部分的复核合计" if ev.record.excerpt is not None else "复核总分"
    rep.at(
        "W248",
        ("max_score",) if ev.record.max_score is not None else ("indicator",),
        f"按评分规则计算的{what} {fmt(computed)} 超过满分 {fmt(maximum)}（各指标分值之和为 {fmt(weights)}）。",
        f"按评分规则复核，{what}为 {fmt(computed)} 分，超过满分 {fmt(maximum)} 分（各项指标的分值相加为 "
        f"{fmt(weights)} 分）。",
    )
