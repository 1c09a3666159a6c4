"""The scoring engine: effective weights, per-leaf scores from the rules, the tree, totals, grade."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

from .decimals import ZERO, decimal_places, fmt, percent, q2, total
from .diagnostics import Diagnostic, KeyPath, Problem
from .model import Indicator, Record
from .quantity import Quantity, comparable, convert, is_copy, parse
from .rules import KINDS, Context, Outcome, RuleKind, check_params, finish
from .schemes import GradeBands, Library, Scheme

COST = "成本指标"  # a path element containing it (成本指标, 经济成本指标…) makes a cost indicator


@dataclass
class LeafResult:
    indicator: Indicator
    weight: Decimal | None
    weight_derived: bool = False
    rule_label: str | None = None  # the rule's name as written, or its kind
    rule: dict[str, Any] | None = None
    outcome: Outcome | None = None
    target: Quantity = field(default_factory=lambda: Quantity(""))
    actual: Quantity = field(default_factory=lambda: Quantity(""))
    problems: list[Problem] = field(default_factory=list)
    direction: str | None = None  # which way is better, from the record (row_direction); None: the rule's default
    # why the rule was not applied to a row it would compute from numbers (a copied or unreadable value, units that
    # do not convert, a zeroed total row): its score is then the published one, like a score no rule recomputes
    unverifiable: str = ""

    @property
    def computed(self) -> Decimal | None:
        return self.outcome.computed if self.outcome else None

    @property
    def effective_score(self) -> Decimal | None:
        """The computed score, or the published one where the rule leaves it to the evaluator."""
        if self.computed is not None:
            return self.computed
        return self.indicator.score

    @property
    def kind(self) -> str | None:
        return self.rule.get("kind") if self.rule else None


@dataclass
class Node:
    path: tuple[str, ...]
    declared_weight: Decimal | None = None
    group_key: KeyPath | None = None
    children: list[Node | LeafResult] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path[-1]

    def leaves(self) -> list[LeafResult]:
        out: list[LeafResult] = []
        for c in self.children:
            out.extend(c.leaves() if isinstance(c, Node) else [c])
        return out

    @property
    def weight(self) -> Decimal | None:
        return total(leaf.weight for leaf in self.leaves() if leaf.indicator.applicable)

    @property
    def declared_score(self) -> Decimal | None:
        return total(leaf.indicator.score for leaf in self.leaves() if leaf.indicator.applicable)

    @property
    def computed_score(self) -> Decimal | None:
        return total(leaf.effective_score for leaf in self.leaves() if leaf.indicator.applicable)


class TotalScope(str, Enum):
    """What the computed total (复核总分) covers."""

    COMPLETE = "complete"  # every row of the table
    PARTIAL = "partial"  # the published part of a table the source printed only in part ([form] excerpt)
    NOT_COMPUTABLE = "not_computable"  # some row has no weight or no score to add: no total is claimed


@dataclass
class Evaluation:
    record: Record
    scheme: Scheme | None
    bands: GradeBands | None
    leaves: list[LeafResult]
    roots: list[Node | LeafResult]
    max_score: Decimal | None
    declared_sum: Decimal | None
    computed_total: Decimal | None
    grade: str | None
    execution_rate: Decimal | None
    problems: list[Problem] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    total_scope: TotalScope | None = None  # None: unscored, or no indicators
    # the table's precision and rounding convention, which published scores are compared at (see rounding.py)
    score_places: int = 2
    rounding: str = "half_up"

    @property
    def declared_total(self) -> Decimal | None:
        return self.record.total if self.record.scored else None

    @property
    def expected_total(self) -> Decimal | None:
        """The total the published indicator scores add up to, on the full scale (what `total` should be)."""
        if self.declared_sum is None:
            return None
        return on_full_scale(self.declared_sum, self.leaves, self.max_score)


def on_full_scale(applicable_sum: Decimal, leaves: list[LeafResult], max_score: Decimal | None) -> Decimal:
    """A sum of scores over the applicable indicators, as a total out of max_score.

    When some indicators do not apply (applicable = false), the sum is rescaled by max_score over
    the weight of those that do, and rounded half up to 0.01; otherwise it is returned as it is.
    """
    applicable = [leaf for leaf in leaves if leaf.indicator.applicable]
    if len(applicable) == len(leaves) or not max_score:
        return applicable_sum
    applicable_weight = sum((leaf.weight or ZERO for leaf in applicable), ZERO)
    if not applicable_weight:
        return applicable_sum
    return q2(applicable_sum / applicable_weight * max_score)


def grade_for(ev: Evaluation, total: Decimal) -> str | None:
    """The grade the evaluation's bands give a total (None without bands or a maximum score)."""
    return ev.bands.grade(total, ev.max_score) if ev.bands and ev.max_score else None


def published_grade(ev: Evaluation) -> str | None:
    """The grade shown publicly: the stated one, else the one the bands give the published total."""
    r = ev.record
    if not r.scored or "grade" in r.unpublished:  # the source printed no grade: none is shown as published
        return None
    if r.grade:
        return r.grade
    return grade_for(ev, r.total) if r.total is not None else None


def derive_weights(record: Record) -> dict[int, Decimal]:
    """Leaf weights derived by a group's split = "equal": 24/11 → 2.18 ×10 and 2.20 on the last."""
    derived: dict[int, Decimal] = {}
    for g in record.groups:
        if g.split != "equal" or g.weight is None:
            continue
        direct = [ind for ind in record.indicators if ind.path == g.path]
        open_ = [ind for ind in direct if ind.weight is None]
        if not open_:
            continue
        remaining = g.weight - sum((ind.weight for ind in direct if ind.weight is not None), ZERO)
        share = q2(remaining / len(open_))
        for ind in open_[:-1]:
            derived[ind.index] = share
        derived[open_[-1].index] = remaining - share * (len(open_) - 1)
    return derived


def _branch_rule(scheme: Scheme | None, path: tuple[str, ...]) -> str | None:
    if scheme is None:
        return None
    best: tuple[int, str] | None = None
    for entry in scheme.template:
        p = tuple(entry.get("path", ()))
        if entry.get("rule") and path[: len(p)] == p and (best is None or len(p) > best[0]):
            best = (len(p), entry["rule"])
    return best[1] if best else None


def resolve_rule(
    ind: Indicator, record: Record, scheme: Scheme | None, lib: Library, target: Quantity
) -> tuple[str | None, dict[str, Any] | None, list[Problem]]:
    problems: list[Problem] = []
    key: KeyPath = ind.key + ("rule",)
    rule: dict[str, Any] | None
    if ind.rule and ind.rule.inline is not None:
        rule = dict(ind.rule.inline)
        label = rule.get("kind")
    else:
        if ind.rule and ind.rule.name:
            label = ind.rule.name
        else:
            label = _branch_rule(scheme, ind.full_path)
            if label is None and scheme is not None:
                label = scheme.defaults.get("quantitative" if target.is_numeric else "qualitative")
            if label is None:
                label = "ratio" if target.is_numeric else "judgement"
        rule = lib.resolve_rule(label, record.rules)
        if rule is None:
            known = "、".join(list(record.rules) + list(lib.rules) + list(KINDS))
            problems.append(
                Problem("E123", f"指标“{ind.name}”引用的评分规则 “{label}” 不存在。可用的规则：{known}。", key)
            )
            return label, None, problems
        if label in record.rules:
            key = ("rules", label)
    kind = KINDS.get(rule.get("kind", ""))
    if kind is None:
        problems.append(
            Problem(
                "E124", f"指标“{ind.name}”的评分规则类型 “{rule.get('kind')}” 不存在，应为：{'、'.join(KINDS)}。", key
            )
        )
        return label, None, problems
    issues = check_params(kind, rule)
    if issues:
        problems.append(Problem("E124", f"指标“{ind.name}”的评分规则参数有误：{'；'.join(issues)}。", key))
        return label, None, problems
    return label, rule, problems


def row_direction(ind: Indicator, target: Quantity) -> str | None:
    """Which way is better for a row, as the record says it: the target's operator (≥ higher, ≤ lower, = equal)
    always; without one, a cost indicator whose target is an amount is a ceiling (lower is better, as the national
    framework treats cost indicators; a rate under 成本指标, such as a saving rate, keeps the rule's default)."""
    if target.op:
        return target.direction
    if target.is_numeric and target.unit not in ("%", "‰") and any(COST in p for p in ind.path):
        return "lower"
    return None


def table_precision(record: Record) -> tuple[int, str]:
    """(decimal places, convention) the published scores are compared at: those the [form] declares, else the
    finest precision among the table's published scores, rounded half up."""
    form = record.form
    convention = (form.rounding if form else None) or "half_up"
    if convention == "whole":
        return 0, convention
    if form is not None and form.score_places is not None:
        return form.score_places, convention
    places = [decimal_places(ind.score) for ind in record.indicators if ind.score is not None]
    return max(places, default=2), convention


def zeroed_total(record: Record) -> tuple[Decimal, Decimal] | None:
    """(budget, executed) added up from the 其中 or detail rows when the budget's total row is printed as zero
    while those rows show money (a total row cleared on the form); None otherwise."""
    b = record.budget
    if b is None or b.base not in (None, ZERO) or b.executed not in (None, ZERO):
        return None
    if b.base is None and b.executed is None:
        return None  # not printed at all: nothing was zeroed
    for rows in (b.sources, b.items):
        budget = sum((r.budget if r.budget is not None else r.initial or ZERO for r in rows), ZERO)
        executed = sum((r.executed or ZERO for r in rows), ZERO)
        if budget > 0 or executed > 0:
            return budget, executed
    return None


def _in_target_unit(target: Quantity, actual: Quantity) -> tuple[Quantity, str]:
    """The actual expressed in the target's unit when the two differ but convert (万元 and 元), with a note."""
    if actual.value is None or not target.unit or not actual.unit or target.unit == actual.unit:
        return actual, ""
    value = convert(actual.value, actual.unit, target.unit)
    if value is None:
        return actual, ""
    shown = Quantity(text=actual.text, op=actual.op, value=value, unit=target.unit)
    return shown, f"（完成值 {fmt(actual.value)} {actual.unit}按 {fmt(value)} {target.unit}计）"


def _not_applied(leaf: LeafResult, kind: RuleKind, record: Record, rate: Decimal | None) -> Outcome | None:
    """The outcome of a rule that must not compute for this row, or None when it may. A score is never computed
    from a zero total row the 其中 rows contradict, from an actual that copies its target, from a value whose
    notation cannot be read, or across units that do not convert; the row is then unverifiable."""
    if not kind.reads_values:
        return None
    if kind.name == "budget_execution":
        zeroed = zeroed_total(record)
        if zeroed is not None:
            budget, executed = zeroed
            unit = record.budget.unit if record.budget else ""
            leaf.unverifiable = "预算合计行为 0"
            return Outcome(
                problem=Problem(
                    "W269",
                    f"预算表的合计行为 0，而“其中”或明细各行合计预算 {fmt(budget)}、执行 {fmt(executed)}：执行率无法从清零的"
                    "合计行计算，该项得分不按规则复核。请核对原表合计行；原表如此则保留，网站说明该项无法核对",
                    ("actual",),
                    f"公布的预算合计行为 0，而其中各行合计预算 {fmt(budget)} {unit}、执行 {fmt(executed)} {unit}，"
                    "执行率无法按合计行计算，本站不核对该项得分",
                )
            )
        if rate is not None:
            return None  # computed from the budget, whatever the actual says
    score = leaf.indicator.score
    ind = leaf.indicator
    criteria = (ind.criteria or "").strip() or (ind.explanation or "").strip()
    if leaf.target.blank and leaf.actual.blank and score is not None and score == leaf.weight and not criteria:
        leaf.unverifiable = "目标值和完成值都未公布"  # full marks nothing shows were earned (W262)
    elif is_copy(leaf.target, leaf.actual):
        leaf.unverifiable = "完成值照抄目标值"
    elif leaf.target.unreadable or leaf.actual.unreadable:
        leaf.unverifiable = "目标值或完成值的写法无法识别"
    elif leaf.target.is_numeric and leaf.actual.is_numeric and not comparable(leaf.target, leaf.actual):
        leaf.unverifiable = "目标值与完成值单位不同"
    else:
        return None
    return Outcome(explanation=f"{leaf.unverifiable}，无法按评分规则核对，以公布得分为准")


def execution_rate(record: Record) -> Decimal | None:
    b = record.budget
    if b is None or b.executed is None or not b.base:
        return None
    return percent(b.executed, b.base)


def evaluate(record: Record, lib: Library) -> Evaluation:
    problems: list[Problem] = []
    scheme = None
    if record.scheme:
        scheme = lib.schemes.get(record.scheme)
        if scheme is None:
            problems.append(
                Problem(
                    "E122", f"评分方案 “{record.scheme}” 不存在。可用的方案：{'、'.join(lib.schemes)}。", ("scheme",)
                )
            )
    bands_name = record.grade_bands or (scheme.grade_bands if scheme else "national4")
    bands = lib.grade_bands.get(bands_name)
    if bands is None:
        problems.append(
            Problem(
                "E122", f"等级分数段 “{bands_name}” 不存在。可用的：{'、'.join(lib.grade_bands)}。", ("grade_bands",)
            )
        )
    rate = execution_rate(record)
    derived = derive_weights(record)
    leaves: list[LeafResult] = []
    for ind in record.indicators:
        weight = ind.weight if ind.weight is not None else derived.get(ind.index)
        leaf = LeafResult(
            indicator=ind,
            weight=weight,
            weight_derived=ind.index in derived,
            target=parse(ind.target),
            actual=parse(ind.actual),
        )
        leaf.direction = row_direction(ind, leaf.target)
        if record.scored and weight is not None:
            label, rule, rule_problems = resolve_rule(ind, record, scheme, lib, leaf.target)
            leaf.rule_label, leaf.rule = label, rule
            leaf.problems += rule_problems
            if rule is not None:
                kind = KINDS[rule["kind"]]
                rate_here = rate if kind.name == "budget_execution" else None
                blocked = _not_applied(leaf, kind, record, rate_here)
                if blocked is not None:
                    leaf.outcome = blocked
                    leaves.append(leaf)
                    continue
                params = {k: v for k, v in rule.items() if k not in ("kind", "title")}
                actual, converted = _in_target_unit(leaf.target, leaf.actual)
                ctx = Context(
                    weight=weight,
                    target=leaf.target,
                    actual=actual,
                    params=params,
                    level=ind.level,
                    failed=ind.failed,
                    execution_rate=rate_here,
                    direction=leaf.direction,
                )
                leaf.outcome = finish(kind.compute(ctx), weight, ind.discretion)
                if converted and leaf.outcome.computed is not None:
                    leaf.outcome.explanation += converted
        leaves.append(leaf)
    roots = build_tree(record, leaves)
    applicable = [leaf for leaf in leaves if leaf.indicator.applicable]
    max_score = record.max_score
    if max_score is None and record.form is not None:
        max_score = record.form.max_score  # printed on the form
    if max_score is None and scheme is not None and scheme.max_score is not None and record.scored:
        max_score = scheme.max_score
    if max_score is None:  # the weights of the table's own level-1 rows (printed group weights where rows have none)
        max_score = total(form_weight(r) for r in roots)
    declared_sum = None
    computed_total = None
    scope = None
    if record.scored and applicable:
        declared_sum = total(leaf.indicator.score for leaf in applicable)
        effective_sum = total(leaf.effective_score for leaf in applicable)
        # A row without a weight is not re-scored: adding its published score would make the computed total
        # silently equal the published one. Then no computed total is claimed.
        if effective_sum is not None and all(leaf.weight is not None for leaf in applicable):
            computed_total = q2(on_full_scale(effective_sum, leaves, max_score))
            scope = TotalScope.PARTIAL if record.excerpt else TotalScope.COMPLETE
        else:
            scope = TotalScope.NOT_COMPUTABLE
    ev = Evaluation(
        record=record,
        scheme=scheme,
        bands=bands,
        leaves=leaves,
        roots=roots,
        max_score=max_score,
        declared_sum=declared_sum,
        computed_total=computed_total,
        grade=None,
        execution_rate=rate,
        problems=problems,
        total_scope=scope,
    )
    ev.score_places, ev.rounding = table_precision(record)
    if computed_total is not None and scope is TotalScope.COMPLETE:  # a part of a table has no grade
        ev.grade = grade_for(ev, computed_total)
    return ev


def build_tree(record: Record, leaves: list[LeafResult]) -> list[Node | LeafResult]:
    """Nest leaves under their paths in document order; attach declared group weights."""
    roots: list[Node | LeafResult] = []
    nodes: dict[tuple[str, ...], Node] = {}
    groups = {g.path: g for g in record.groups}
    for leaf in leaves:
        container = roots
        path = leaf.indicator.path
        for depth in range(1, len(path) + 1):
            prefix = path[:depth]
            node = nodes.get(prefix)
            if node is None:
                g = groups.get(prefix)
                node = Node(
                    path=prefix, declared_weight=g.weight if g else None, group_key=("group", g.index) if g else None
                )
                nodes[prefix] = node
                container.append(node)
            container = node.children
        container.append(leaf)
    return roots


def form_weight(item: Node | LeafResult) -> Decimal | None:
    """The weight the form gives a node: all leaves below it, applicable or not (the total is rescaled); its own
    printed weight when some leaf's weight is not known (a form printing group weights only)."""
    if isinstance(item, LeafResult):
        return item.weight
    summed = total(leaf.weight for leaf in item.leaves())
    return summed if summed is not None else item.declared_weight


def walk(items: list[Node | LeafResult]) -> Iterator[Node | LeafResult]:
    """Depth-first over nodes and leaves."""
    for item in items:
        yield item
        if isinstance(item, Node):
            yield from walk(item.children)
