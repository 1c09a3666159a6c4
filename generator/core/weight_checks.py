"""Level-1 weights against what else states them: the weight note printed on the form ([form] weight_note, W264)
and the scoring scheme the record names (W265 where the scheme marks its weights binding, else the editors'
note I266, never on a public page). Issue 11, item 3.

Called from pipeline.check_record after checks.check_scores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .checks import Reporter
from .decimals import fmt, parse_decimal, total
from .scoring import Evaluation, LeafResult, Node


@dataclass(frozen=True)
class Level1:
    name: str
    weight: Decimal | None
    printed: bool  # the form prints this weight itself (a [[group]] weight or a level-1 row's own weight)


def level1(ev: Evaluation) -> list[Level1]:
    """The level-1 indicators in form order, with their weights (None when a weight below is missing)."""
    out = []
    for item in ev.roots:
        if isinstance(item, LeafResult):
            out.append(Level1(item.indicator.name, item.weight, item.weight is not None))
        elif isinstance(item, Node):
            printed = item.declared_weight is not None
            below = total(leaf.weight for leaf in item.leaves())  # applicable or not: the form's weight
            out.append(Level1(item.name, item.declared_weight if printed else below, printed))
    return out


# ---------------------------------------------------------------------------- the weight note

# "产出指标50分", "预算执行情况(10分)", "决策：20分": a name right before a number of points.
_NOTE_ENTRY = re.compile(r"([\u4e00-\u9fffA-Za-z]+?)\s*(?:分值|权重)?\s*[为:：]?\s*[（(]?\s*(\d+(?:\.\d+)?)\s*分")
_NAME_TAIL = re.compile(r"(?:指标|类|分值|权重|为|占|共|计)+$")


def note_entries(note: str) -> list[tuple[str, Decimal]]:
    """(name, points) in a weight note as printed: "产出指标50分、效益指标30分" → [(产出指标, 50), (效益指标, 30)]."""
    out = []
    for m in _NOTE_ENTRY.finditer(note):
        value = parse_decimal(m.group(2))
        if value is not None:
            out.append((m.group(1), value))
    return out


def _core(name: str) -> str:
    return _NAME_TAIL.sub("", name) or name


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _affinity(a: str, b: str) -> int:
    """How surely two level-1 names mean the same indicator: 3 equal, 2 one contains the other, 1 one's characters
    run in order through the other (预算执行率 / 预算资金执行率) or they start with the same two (预算执行情况), 0 not."""
    a, b = _core(a), _core(b)
    if a == b:
        return 3
    if a in b or b in a:
        return 2
    short, long = sorted((a, b), key=len)
    if len(short) >= 2 and (_subsequence(short, long) or long[:2] == short[:2]):
        return 1
    return 0


def _match(entries: list[tuple[str, Decimal]], levels: list[Level1]) -> list[tuple[int, int]]:
    """(entry index, level index) pairs: each entry to the one level-1 indicator it most surely names."""
    pairs: list[tuple[int, int]] = []
    taken: set[int] = set()
    for tier in (3, 2, 1):
        for i, (name, _) in enumerate(entries):
            if any(p[0] == i for p in pairs):
                continue
            candidates = [j for j, lv in enumerate(levels) if j not in taken and _affinity(name, lv.name) == tier]
            if len(candidates) == 1:
                pairs.append((i, candidates[0]))
                taken.add(candidates[0])
    return pairs


def _noted(entry: tuple[str, Decimal], name: str) -> str:
    """How the note gives a weight: 表上注明 50 分, or 表上注明“绩效指标”90 分 when it names it otherwise."""
    written, points = entry
    return f"表上注明 {fmt(points)} 分" if written == name else f"表上注明“{written}”{fmt(points)} 分"


def check_weight_note(ev: Evaluation, rep: Reporter) -> None:
    """W264: the level-1 weights differ from the weight note printed on the form."""
    form = ev.record.form
    if not ev.record.scored or form is None or not form.weight_note:
        return
    entries = note_entries(form.weight_note)
    levels = level1(ev)
    if not entries or not levels:
        return
    partial = bool(form.excerpt)
    pairs = _match(entries, levels)
    differ: list[str] = []
    for i, j in pairs:
        lv = levels[j]
        if lv.weight is not None and (lv.printed or not partial) and lv.weight != entries[i][1]:
            differ.append(f"{lv.name} {fmt(lv.weight)} 分（{_noted(entries[i], lv.name)}）")
    rest_entries = [e for i, e in enumerate(entries) if all(p[0] != i for p in pairs)]
    rest_levels = [lv for j, lv in enumerate(levels) if all(p[1] != j for p in pairs)]
    if len(rest_entries) == 1 and rest_levels and not partial and all(lv.weight is not None for lv in rest_levels):
        # one entry left for the indicators left, as "绩效指标(90分)" covers 产出, 效益 and 满意度
        name, points = rest_entries[0]
        together = sum((lv.weight for lv in rest_levels if lv.weight is not None), Decimal(0))
        if together != points:
            names = "、".join(lv.name for lv in rest_levels)
            differ.append(f"{names}合计 {fmt(together)} 分（{_noted((name, points), '')}）")
    if not differ:
        return
    listed = "；".join(differ)
    rep.at(
        "W264",
        ("form", "weight_note"),
        f"表上注明的分值为“{form.weight_note}”，与一级指标的分值不符：{listed}。"
        "请核对各一级指标的分值与表上的说明；原文如此则保留。",
        f"表上注明的分值为“{form.weight_note}”，而表中一级指标的分值为：{listed}。",
    )


# ---------------------------------------------------------------------------- the scheme's weights


def scheme_weights(ev: Evaluation) -> dict[str, Decimal]:
    """The level-1 weights the record's scheme gives: its level-1 groups and level-1 rows (预算执行率 10)."""
    scheme = ev.scheme
    out: dict[str, Decimal] = {}
    if scheme is None:
        return out
    for entry in (*scheme.groups, *scheme.template):
        path = tuple(entry.get("path", ()))
        weight = entry.get("weight")
        if len(path) == 1 and weight is not None:
            out.setdefault(path[0], Decimal(weight))
    return out


def check_scheme_weights(ev: Evaluation, rep: Reporter) -> None:
    """W265 (binding scheme) or I266 (editors only): level-1 weights other than the scheme's."""
    scheme = ev.scheme
    if not ev.record.scored or scheme is None:
        return
    expected = scheme_weights(ev)
    partial = bool(ev.record.form and ev.record.form.excerpt)
    differ = [
        (lv, expected[lv.name])
        for lv in level1(ev)
        if lv.name in expected
        and lv.weight is not None
        and (lv.printed or not partial)
        and lv.weight != expected[lv.name]
    ]
    if not differ:
        return
    listed = "；".join(f"{lv.name} {fmt(lv.weight)} 分（方案 {fmt(w)} 分）" for lv, w in differ)
    if scheme.binding_weights:
        rule = "、".join(f"{lv.name} {fmt(w)} 分" for lv, w in differ)
        shown = "、".join(f"{lv.name} {fmt(lv.weight)} 分" for lv, _ in differ)
        rep.at(
            "W265",
            ("scheme",),
            f"评分方案“{scheme.title}”规定了一级指标的分值，记录中的分值与之不同：{listed}。"
            "请核对分值；原表确实用了别的分值时，改用相应的方案或不写 scheme。",
            f"按评分方案“{scheme.title}”，一级指标的分值应为{rule}，表中为{shown}。",
        )
    else:
        rep.at(
            "I266",
            ("scheme",),
            f"一级指标的分值与评分方案“{scheme.title}”的常用分值不同：{listed}。该方案的分值不是强制的，"
            "原表如此则无需处理（此提示不在公开页面显示）。",
        )
