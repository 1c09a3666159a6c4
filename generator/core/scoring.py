"""The scoring engine: effective weights, per-leaf scores from the rules, the tree, totals, grade."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

from .decimals import ZERO, percent, q2, total
from .diagnostics import Diagnostic, KeyPath, Problem
from .model import Indicator, Record
from .quantity import Quantity, parse
from .rules import KINDS, Context, Outcome, check_params, finish
from .schemes import GradeBands, Library, Scheme


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
        if record.scored and weight is not None:
            label, rule, rule_problems = resolve_rule(ind, record, scheme, lib, leaf.target)
            leaf.rule_label, leaf.rule = label, rule
            leaf.problems += rule_problems
            if rule is not None:
                params = {k: v for k, v in rule.items() if k not in ("kind", "title")}
                ctx = Context(
                    weight=weight,
                    target=leaf.target,
                    actual=leaf.actual,
                    params=params,
                    level=ind.level,
                    failed=ind.failed,
                    execution_rate=rate if rule["kind"] == "budget_execution" else None,
                )
                leaf.outcome = finish(KINDS[rule["kind"]].compute(ctx), weight, ind.discretion)
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
