"""Semantic checks on a scored record: tree, scores, budget, narrative, and across records.

Each check only reads the Evaluation and reports diagnostics at the key that is wrong. The
published figures of a real document may be inconsistent; those are warnings, never silently
"fixed".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from . import diagnostics as dg
from .decimals import HUNDRED, ZERO, decimal_places, fmt, parse_decimal, q2, quantize_to, total
from .model import Record
from .quantity import comparable, is_copy
from .rounding import Verdict, compare, precision_words
from .rules import public_rule
from .scoring import Evaluation, LeafResult, Node, form_weight, grade_for, walk

TOLERANCE = Decimal("0.005")


class Reporter:
    """Collects a record's diagnostics. Each says what is wrong twice: `message` for editors (where, which
    field, how to fix it) and, for a code the public reads (diagnostics.Listing), `public` for the project
    page: the published figure, what the recomputation gives and by which rule, in plain neutral Chinese."""

    def __init__(self, record: Record) -> None:
        self.record = record
        self.diags: list[dg.Diagnostic] = []

    def report(self, problem: dg.Problem) -> None:
        """A problem found while scoring, at its key in the record."""
        self.at(problem.code, problem.key, problem.message, problem.public)

    def at(self, code: str, key: dg.KeyPath, message: str, public: str = "") -> None:
        line, col = self.record.locate(key)
        self._add(code, self.record.file, line, col, message, public)

    def at_line(self, code: str, line: int, col: int, message: str, public: str = "") -> None:
        """A problem at a place in the record's TOML text (not tied to one key)."""
        self._add(code, self.record.file, line, col, message, public)

    def at_narrative(self, code: str, line: int, col: int, message: str, public: str = "") -> None:
        self._add(code, self.record.narrative_file, line, col, message, public)

    def _add(self, code: str, file: str, line: int, col: int, message: str, public: str) -> None:
        listing = dg.CODES[code].listing
        if listing is not None and listing.public and not public:
            raise dg.PublicTextMissing(f"{code}（{message}）没有面向公众的说明")
        self.diags.append(dg.make(code, file, line, col, message, public))

    def texts(self) -> list[tuple[str, Callable[[str, int, int, str], None]]]:
        """The record's TOML text and its narrative, each with the way to report at a line and column of it."""
        out: list[tuple[str, Callable[[str, int, int, str], None]]] = [(self.record.toml_text, self.at_line)]
        if self.record.narrative:
            out.append((self.record.narrative, self.at_narrative))
        return out


def agrees(published: Decimal, exact: Decimal) -> bool:
    """A published figure agrees with an exact one when equal at the published precision."""
    places = min(decimal_places(published), 6)
    return quantize_to(exact, places) == published or abs(published - exact) < TOLERANCE


# ---------------------------------------------------------------------------- the public's words


def _gap(published: Decimal, recomputed: Decimal) -> str:
    """How a published score stands to the recomputed one: 公布得分比复核结果高 2.1 分."""
    return f"公布得分比复核结果{'高' if published > recomputed else '低'} {fmt(abs(published - recomputed))} 分"


def _quoted(text: str) -> str:
    """Text in Chinese quotation marks, quotation marks inside it made single: “…‘产出’类…”."""
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


def _money(value: Decimal | None, unit: str) -> str:
    return f"{fmt(value)} {unit}"


def _summed(ev: Evaluation) -> str:
    """How the published indicator scores make the total: added up, or rescaled when some do not apply."""
    if all(leaf.indicator.applicable for leaf in ev.leaves):
        return "相加"
    return "相加后按满分折算（不适用的指标不计）"


def _rate_formulas(record: Record) -> dict[str, str]:
    """The budget figures a rate quoted in the narrative is recomputed from, as the public reads them."""
    b = record.budget
    out: dict[str, str] = {}
    if b is None:
        return out
    if b.executed is not None and b.base:
        out["execution"] = f"执行数 {_money(b.executed, b.unit)} ÷ 预算数 {_money(b.base, b.unit)}"
    if b.initial:
        adj = b.adjustment if b.adjustment is not None else (b.budget - b.initial if b.budget is not None else None)
        if adj is not None:
            out["adjustment"] = f"调整数 {_money(adj, b.unit)} ÷ 年初预算数 {_money(b.initial, b.unit)}"
    return out


# ---------------------------------------------------------------------------- scores


def check_scores(ev: Evaluation, rep: Reporter) -> None:
    record = ev.record
    for problem in ev.problems:
        rep.report(problem)
    if record.scored and record.total is not None and not ev.leaves:
        rep.at(
            "W220",
            ("total",),
            f"记录公布了总分 {fmt(record.total)}，但没有填写任何指标（[[indicator]]），总分无法复核。"
            "请照原表录入指标；原表确无指标时，网站只显示公布的总分。",
            f"公布材料给出了总分 {fmt(record.total)} 分，但没有各项指标的得分，本站无法复核总分。",
        )
    for leaf in ev.leaves:
        for problem in leaf.problems:
            rep.report(problem)
        check_values(leaf, rep)
        if record.scored:
            check_leaf_score(leaf, rep, ev.score_places, ev.rounding)
    if not record.scored:
        return
    for item in walk(ev.roots):
        form_weight = _form_weight(item)
        if (
            isinstance(item, Node)
            and item.declared_weight is not None
            and item.group_key is not None
            and form_weight is not None
        ):
            # A table printed in part lacks rows: children adding up to less than their group is not a discrepancy.
            cut = record.excerpt is not None and form_weight < item.declared_weight
            if item.declared_weight != form_weight and not cut:
                parts = " + ".join(fmt(_form_weight(c)) if _form_weight(c) is not None else "?" for c in item.children)
                rep.at(
                    "W241",
                    item.group_key + ("weight",),
                    f"“{'/'.join(item.path)}”的分值为 {fmt(item.declared_weight)}，但下级分值之和为 {parts} = {fmt(form_weight)}。",
                    f"“{'/'.join(item.path)}”的分值为 {fmt(item.declared_weight)} 分，其下各项分值相加为 "
                    f"{fmt(form_weight)} 分，两者不符。",
                )
    present = {n.path for n in walk(ev.roots) if isinstance(n, Node)}
    for g in record.groups:
        if g.path not in present and record.excerpt is None:  # in an excerpt, a group's rows may lie past the cut
            rep.at(
                "W218",
                ("group", g.index, "path"),
                f"分组 {'/'.join(g.path)} 下没有任何指标（[[indicator]] 的 path 是否写得不同？）。",
            )
    total_weight = total(_form_weight(r) for r in ev.roots)
    if ev.max_score is not None and total_weight is not None:
        if total_weight != ev.max_score and not (record.excerpt is not None and total_weight < ev.max_score):
            key = ("max_score",) if record.max_score is not None else ("scheme",) if record.scheme else ("indicator",)
            rep.at(
                "W242",
                key,
                f"各一级指标分值之和为 {fmt(total_weight)}，与满分 {fmt(ev.max_score)} 不符。",
                f"各一级指标的分值相加为 {fmt(total_weight)} 分，与满分 {fmt(ev.max_score)} 分不符。",
            )
    if record.total is None:
        if record.excerpt is None and "total" not in record.unpublished:
            rep.at(
                "E101",
                (),
                '计分记录缺少 total（公布的总分）。请照录原文总分；原文没有印出总分时写 total = "未公布"；'
                "原文没有分值和得分时写 scored = false。",
            )
        return
    expected = ev.expected_total
    if expected is not None and record.excerpt is None:  # an excerpt's total is checked by bounds (gap_checks)
        if not agrees(record.total, expected):
            rep.at(
                "W205",
                ("total",),
                f"公布总分 {fmt(record.total)} 与各指标公布得分之和 {fmt(expected)} 不符（相差 {fmt(record.total - expected)} 分）。",
                f"公布总分为 {fmt(record.total)} 分，各项指标公布得分{_summed(ev)}为 {fmt(expected)} 分，"
                f"两者相差 {fmt(abs(record.total - expected))} 分。",
            )
    if record.grade and ev.bands and ev.max_score:
        expected_grade = grade_for(ev, record.total)
        if expected_grade != record.grade:
            rep.at(
                "W212",
                ("grade",),
                f"按“{ev.bands.title}”，总分 {fmt(record.total)} 应为“{expected_grade}”，公布等级为“{record.grade}”。",
                f"公布等级为“{record.grade}”；按等级分数段“{ev.bands.title}”，公布总分 {fmt(record.total)} 分"
                f"对应的等级为“{expected_grade}”。",
            )


_form_weight = form_weight  # the weight the form gives a node (scoring.form_weight)


def check_leaf_score(leaf: LeafResult, rep: Reporter, places: int = 2, convention: str = "half_up") -> None:
    """A row's published score against its weight and its rule; a computed score is compared once, from the exact
    value, at the table's precision `places` and rounding `convention` (rounding.py)."""
    ind = leaf.indicator
    key = ind.key
    if leaf.weight is None:
        if "weight" not in ind.unpublished:  # written "未公布": one note for the record (gap_checks, I245)
            rep.at(
                "W244",
                key,
                f"指标“{ind.name}”缺少分值（weight），不按评分规则单独复核，复核总分无法计算。"
                '请照录原文分值；原文没有印出末级分值时写 weight = "未公布"。',
            )
        return
    if ind.score is None:
        if ind.applicable and "score" not in ind.unpublished:  # "未公布": the total is checked by bounds
            rep.at(
                "W215",
                key,
                f"指标“{ind.name}”没有公布得分（score）。",
                f"指标“{ind.name}”：公布材料没有给出该指标的得分。",
            )
        return
    if ind.score > leaf.weight:
        rep.at(
            "W243",
            key + ("score",),
            f"指标“{ind.name}”得分 {fmt(ind.score)} 超过分值 {fmt(leaf.weight)}。",
            f"指标“{ind.name}”：公布得分 {fmt(ind.score)} 分，超过该指标的分值 {fmt(leaf.weight)} 分。",
        )
        return
    # The budget-execution row explains its own deduction (the rate), and the national form gives it no reason column.
    explained = leaf.kind == "budget_execution"
    if ind.score < leaf.weight and not (ind.reason or "").strip() and ind.applicable and not explained:
        rep.at(
            "W204",
            key + ("score",),
            f"指标“{ind.name}”得 {fmt(ind.score)} 分，低于分值 {fmt(leaf.weight)}，但没有扣分说明（reason）。",
            f"指标“{ind.name}”：公布得分 {fmt(ind.score)} 分，低于分值 {fmt(leaf.weight)} 分，公布材料没有说明扣分原因。",
        )
    if ind.discretion and not (ind.reason or "").strip():
        rep.at(
            "W213",
            key + ("discretion",),
            f"指标“{ind.name}”酌情扣 {fmt(ind.discretion)} 分，但没有写明原因（reason）。",
            f"指标“{ind.name}”：评价人酌情扣 {fmt(ind.discretion)} 分，公布材料没有说明原因。",
        )
    out = leaf.outcome
    if out is None or not ind.applicable:
        return
    if out.problem:
        problem = out.problem
        if problem.code == "I219" and "actual" in ind.unpublished:  # said "未公布", not left unfilled
            problem = dg.Problem(
                "I219", "完成值原文未公布，无法按规则复核，以公布得分为准", problem.key, problem.public
            )
        rep.report(problem.under(key, f"指标“{ind.name}”"))
    rule = f"评分规则“{leaf.rule_label}”"
    if out.computed is not None:
        diff = ind.score - out.computed
        verdict = compare(ind.score, out.exact if out.exact is not None else out.computed, places, convention)
        if verdict is Verdict.SAME:
            return
        recomputed = (
            f"按{_quoted(public_rule(leaf.rule or {}, leaf.target, leaf.direction))}的评分规则复核为 "
            f"{fmt(out.computed)} 分（{out.explanation}）"
        )
        if verdict is Verdict.ROUNDED:
            rep.at(
                "I207",
                key + ("score",),
                f"指标“{ind.name}”按{rule}计算得 {fmt(out.computed)} 分（{out.explanation}），公布 {fmt(ind.score)} 分，"
                f"是按表格的精度（{precision_words(places, convention)}）取整的结果。",
                f"指标“{ind.name}”：公布得分 {fmt(ind.score)} 分，{recomputed}，两者只差取整。",
            )
            return
        rep.at(
            "W206",
            key + ("score",),
            f"指标“{ind.name}”按{rule}计算应得 {fmt(out.computed)} 分（{out.explanation}），公布得分为 {fmt(ind.score)} 分，相差 {fmt(diff)} 分。",
            f"指标“{ind.name}”：公布得分 {fmt(ind.score)} 分，{recomputed}，{_gap(ind.score, out.computed)}。",
        )
        return
    if out.low is not None and out.high is not None and not (out.low - TOLERANCE <= ind.score <= out.high + TOLERANCE):
        rep.at(
            "W208",
            key + ("score",),
            f"指标“{ind.name}”{out.explanation}，应在 {fmt(q2(out.low))}–{fmt(q2(out.high))} 分之间，公布得分为 {fmt(ind.score)} 分。",
            f"指标“{ind.name}”：公布得分 {fmt(ind.score)} 分，不在评分规则允许的范围内。{out.explanation}，"
            f"得分应在 {fmt(q2(out.low))}–{fmt(q2(out.high))} 分之间。",
        )
    elif out.allowed and all(abs(ind.score - a) >= TOLERANCE for a in out.allowed):
        code = "W217" if leaf.kind == "checklist" else "W208"
        shown = "、".join(fmt(a) for a in sorted(set(out.allowed), reverse=True)[:8])
        rep.at(
            code,
            key + ("score",),
            f"指标“{ind.name}”{out.explanation}，可能的得分为 {shown}，公布得分为 {fmt(ind.score)} 分。",
            f"指标“{ind.name}”：公布得分 {fmt(ind.score)} 分，不是评分规则可能给出的得分。{out.explanation}，"
            f"可能的得分为 {shown} 分。",
        )


def check_values(leaf: LeafResult, rep: Reporter) -> None:
    ind = leaf.indicator
    t, a = leaf.target, leaf.actual
    if is_copy(t, a):
        rep.at(
            "W210",
            ind.key + ("actual",),
            f"指标“{ind.name}”的完成值 “{ind.actual}” 照抄了目标值（带比较符号），不是实际数值，该项得分不按规则复核。"
            "原表另有实际完成的数值时请照录；原表如此则保留。",
            f"指标“{ind.name}”：公布的完成值“{ind.actual}”与目标值写法相同，未给出实际完成的数值，本站无法据此核对得分。",
        )
    elif t.is_numeric and a.is_numeric and not comparable(t, a):
        rep.at(
            "W211",
            ind.key + ("actual",),
            f"指标“{ind.name}”目标值单位为“{t.unit}”，完成值单位为“{a.unit}”，不能换算，无法直接比较；"
            "该项得分不按规则复核。",
            f"指标“{ind.name}”：公布的目标值“{ind.target}”与完成值“{ind.actual}”单位不同"
            f"（“{t.unit}”与“{a.unit}”），无法直接比较，本站不按评分规则核对该项得分。",
        )
    if leaf.kind == "budget_execution" and a.value is not None and a.unit in ("%", ""):
        b = rep.record.budget
        if b is not None and b.executed is not None and b.base:
            exact = b.executed / b.base * HUNDRED
            if not agrees(a.value, exact):
                rep.at(
                    "W309",
                    ind.key + ("actual",),
                    f"指标“{ind.name}”完成值为 {fmt(a.value)}%，但 执行数 {fmt(b.executed)} ÷ 预算数 {fmt(b.base)} = {fmt(q2(exact))}%。",
                    f"指标“{ind.name}”：公布的完成值为 {fmt(a.value)}%，按预算表计算，执行数 {_money(b.executed, b.unit)}"
                    f" ÷ 预算数 {_money(b.base, b.unit)} = {fmt(q2(exact))}%。",
                )


# ---------------------------------------------------------------------------- budget


def check_budget(record: Record, rep: Reporter) -> None:
    b = record.budget
    if b is None:
        return
    if b.base is not None and b.base == 0 and b.executed:
        rep.at(
            "W310",
            ("budget", "executed"),
            f"预算数为 0，执行数却是 {fmt(b.executed)}：执行率无法计算。请核对原表的预算数（是否写在调整后预算或其他栏）。",
            f"公布的预算数为 0，执行数为 {_money(b.executed, b.unit)}，无法计算执行率。",
        )
    if b.executed is not None and b.base:
        exact = b.executed / b.base * HUNDRED
        if b.rate is not None and not agrees(b.rate, exact):
            rep.at(
                "W301",
                ("budget", "rate"),
                f"公布执行率 {fmt(b.rate)}%，但 执行数 {fmt(b.executed)} ÷ 预算数 {fmt(b.base)} = {fmt(q2(exact))}%。",
                f"公布的预算执行率为 {fmt(b.rate)}%，按公布金额计算，执行数 {_money(b.executed, b.unit)}"
                f" ÷ 预算数 {_money(b.base, b.unit)} = {fmt(q2(exact))}%。",
            )
        if b.executed > b.base:
            rep.at(
                "W308",
                ("budget", "executed"),
                f"执行数 {fmt(b.executed)} 大于预算数 {fmt(b.base)}。",
                f"公布的执行数 {_money(b.executed, b.unit)}大于预算数 {_money(b.base, b.unit)}，执行率超过 100%。",
            )
    for rows in (b.sources, b.items):
        for row in rows:
            if row.rate is not None and row.executed is not None:
                base = row.budget if row.budget is not None else row.initial
                if base:
                    exact = row.executed / base * HUNDRED
                    if not agrees(row.rate, exact):
                        rep.at(
                            "W301",
                            row.key + ("rate",),
                            f"“{row.name}”公布执行率 {fmt(row.rate)}%，但 {fmt(row.executed)} ÷ {fmt(base)} = {fmt(q2(exact))}%。",
                            f"“{row.name}”公布的执行率为 {fmt(row.rate)}%，按公布金额计算，执行数 "
                            f"{_money(row.executed, b.unit)} ÷ 预算数 {_money(base, b.unit)} = {fmt(q2(exact))}%。",
                        )
    code_for = {"sources": "W302", "items": "W303"}
    label_for = {"sources": "“其中”各行", "items": "明细各行"}
    public_for = {"sources": "资金来源各项", "items": "支出明细各项"}
    for group_name, rows in (("sources", b.sources), ("items", b.items)):
        rows = [r for r in rows if any(v is not None for v in (r.initial, r.budget, r.executed))]
        if not rows:
            continue
        for column, label in (("initial", "年初预算数"), ("budget", "全年预算数"), ("executed", "执行数")):
            total = getattr(b, column)
            values = [getattr(r, column) for r in rows]
            if total is None or any(v is None for v in values):
                continue
            s = sum(values, ZERO)
            if s != total:
                rep.at(
                    code_for[group_name],
                    ("budget", group_name),
                    f"{label_for[group_name]}的{label}之和为 {fmt(s)}，与合计 {fmt(total)} 不符（相差 {fmt(s - total)}）。",
                    f"预算表中{public_for[group_name]}的{label}相加为 {_money(s, b.unit)}，比公布的合计 "
                    f"{_money(total, b.unit)}{'多' if s > total else '少'} {_money(abs(s - total), b.unit)}。",
                )
    if (
        b.initial is not None
        and b.adjustment is not None
        and b.budget is not None
        and b.initial + b.adjustment != b.budget
    ):
        rep.at(
            "W305",
            ("budget", "adjustment"),
            f"年初预算 {fmt(b.initial)} + 调整数 {fmt(b.adjustment)} = {fmt(b.initial + b.adjustment)}，与全年预算数 {fmt(b.budget)} 不符。",
            f"公布的年初预算数 {_money(b.initial, b.unit)}加调整数 {_money(b.adjustment, b.unit)}为 "
            f"{_money(b.initial + b.adjustment, b.unit)}，与公布的全年预算数 {_money(b.budget, b.unit)}不符。",
        )
    if b.adjustment_rate is not None and b.initial:
        adj = b.adjustment if b.adjustment is not None else (b.budget - b.initial if b.budget is not None else None)
        if adj is not None:
            exact = adj / b.initial * HUNDRED
            if not agrees(b.adjustment_rate, exact):
                rep.at(
                    "W305",
                    ("budget", "adjustment_rate"),
                    f"公布预算调整率 {fmt(b.adjustment_rate)}%，但 调整数 {fmt(adj)} ÷ 年初预算 {fmt(b.initial)} = {fmt(q2(exact))}%。",
                    f"公布的预算调整率为 {fmt(b.adjustment_rate)}%，按公布金额计算，调整数 {_money(adj, b.unit)}"
                    f" ÷ 年初预算数 {_money(b.initial, b.unit)} = {fmt(q2(exact))}%。",
                )
    bal = b.balance
    if bal is not None:
        if (
            bal.appropriated is not None
            and bal.paid is not None
            and bal.balance is not None
            and bal.appropriated - bal.paid != bal.balance
        ):
            rep.at(
                "W304",
                ("budget", "balance", "balance"),
                f"资金结余、结转数 {fmt(bal.balance)} ≠ 财政拨款数 {fmt(bal.appropriated)} − 实际支付数 {fmt(bal.paid)} = {fmt(bal.appropriated - bal.paid)}。",
                f"公布的资金结余、结转数为 {_money(bal.balance, b.unit)}，按公布金额计算，财政拨款数 "
                f"{_money(bal.appropriated, b.unit)} − 实际支付数 {_money(bal.paid, b.unit)} = "
                f"{_money(bal.appropriated - bal.paid, b.unit)}。",
            )
        if (
            bal.balance is not None
            and bal.carried is not None
            and bal.recovered is not None
            and bal.carried + bal.recovered != bal.balance
        ):
            rep.at(
                "W304",
                ("budget", "balance", "carried"),
                f"结转数 {fmt(bal.carried)} + 财政收回数 {fmt(bal.recovered)} = {fmt(bal.carried + bal.recovered)}，与资金结余、结转数 {fmt(bal.balance)} 不符。",
                f"公布的结转数 {_money(bal.carried, b.unit)}加财政收回数 {_money(bal.recovered, b.unit)}为 "
                f"{_money(bal.carried + bal.recovered, b.unit)}，与公布的资金结余、结转数 {_money(bal.balance, b.unit)}不符。",
            )
        base = b.base
        if (
            bal.unallocated is not None
            and bal.appropriated is not None
            and base is not None
            and base - bal.appropriated != bal.unallocated
        ):
            rep.at(
                "W304",
                ("budget", "balance", "unallocated"),
                f"指标结余数 {fmt(bal.unallocated)} ≠ 预算数 {fmt(base)} − 财政拨款数 {fmt(bal.appropriated)} = {fmt(base - bal.appropriated)}。",
                f"公布的指标结余数为 {_money(bal.unallocated, b.unit)}，按公布金额计算，预算数 {_money(base, b.unit)}"
                f" − 财政拨款数 {_money(bal.appropriated, b.unit)} = {_money(base - bal.appropriated, b.unit)}。",
            )
        if bal.paid is not None and b.executed is not None and bal.paid != b.executed:
            rep.at(
                "W304",
                ("budget", "balance", "paid"),
                f"实际支付数 {fmt(bal.paid)} 与执行数 {fmt(b.executed)} 不符。",
                f"公布的实际支付数 {_money(bal.paid, b.unit)}与执行数 {_money(b.executed, b.unit)}不符。",
            )


# ---------------------------------------------------------------------------- narrative

_NUM = r"(\d+(?:\.\d+)?)"
_RATE_QUOTES = [
    ("execution", re.compile(r"(?:预算)?执行率(?:为|达到|达|是|仅为|约为|[：:])?\s*" + _NUM + r"\s*[%％]")),
    ("execution", re.compile(r"完成(?:全年|年度)?预算(?:数)?的\s*" + _NUM + r"\s*[%％]")),
    ("adjustment", re.compile(r"预算调整率(?:为|达到|达|是|[：:])?\s*" + _NUM + r"\s*[%％]")),
]
_RANGE_WORDS = ("以上", "以下", "以内", "及以上", "及以下", "的得", "得满分", "为基数", "，得", "的，")
_TOTAL_QUOTE = re.compile(
    r"(?:自评得分|综合评定为|综合得分|绩效自评为|评价得分为|评价总分为|总得分|最终得分)[：:为]?\s*" + _NUM + r"\s*分"
)
_ITEM_HEAD = re.compile(r"^\s*[（(]\s*\d+\s*[)）]\s*([^。，,：:（(]{2,40}?)\s*[。：:]")
_ITEM_SCORE = re.compile(r"该指标[^。]*?得(?:分为)?\s*" + _NUM + r"\s*分")


def check_narrative(ev: Evaluation, rep: Reporter) -> None:
    record = ev.record
    if record.narrative_unpublished and record.narrative is not None:
        rep.at(
            "W150",
            ("narrative",),
            f'记录写了 narrative = "未公布"，但有叙述文件 {record.narrative_file}，网站照常发布它。'
            '原文有报告正文时请删除 narrative = "未公布"；原文没有时请删除该文件。',
        )
    if record.narrative is None:
        if not record.narrative_unpublished:
            rep.at(
                "E110",
                (),
                f"缺少叙述文件 {record.narrative_file}。请新建该文件，写入评价报告的文字部分；"
                '原文没有公布报告正文时，在记录中写 narrative = "未公布"。',
            )
        return
    text = record.narrative
    if not text.strip():
        rep.at_narrative(
            "W111", 1, 1, "叙述文件是空的。请写入评价报告的文字部分（项目基本情况、评价结论、存在问题、改进建议等）。"
        )
        return
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")]  # \n only, as editors count lines
    if not any(line.startswith("#") for line in lines):
        rep.at_narrative("W112", 1, 1, "叙述文件没有 ## 章节标题。请按报告原文加上标题，例如“## 一、项目基本情况”。")
    b = record.budget
    exact_rates: dict[str, Decimal] = {}
    if b is not None and b.executed is not None and b.base:
        exact_rates["execution"] = b.executed / b.base * HUNDRED
    if b is not None and b.initial:
        adj = b.adjustment if b.adjustment is not None else (b.budget - b.initial if b.budget is not None else None)
        if adj is not None:
            exact_rates["adjustment"] = adj / b.initial * HUNDRED
    names = {"execution": "预算执行率", "adjustment": "预算调整率"}
    formulas = _rate_formulas(record)
    by_name = _leaf_names(ev)
    for lineno, line in enumerate(lines, start=1):
        for what, pattern in _RATE_QUOTES:
            exact = exact_rates.get(what)
            if exact is None:
                continue
            for m in pattern.finditer(line):
                tail = line[m.end() : m.end() + 6].lstrip()
                if tail.startswith(_RANGE_WORDS):
                    continue
                quoted = parse_decimal(m.group(1))
                if quoted is not None and not agrees(quoted, exact):
                    rep.at_narrative(
                        "W306",
                        lineno,
                        m.start(1) + 1,
                        f"叙述中写{names[what]}为 {m.group(1)}%，但按记录中的金额计算为 {fmt(q2(exact))}%。",
                        f"评价报告正文写{names[what]}为 {m.group(1)}%，按预算表的金额计算为 {fmt(q2(exact))}%"
                        f"（{formulas[what]}）。",
                    )
        if record.scored and record.total is not None:
            for m in _TOTAL_QUOTE.finditer(line):
                quoted = parse_decimal(m.group(1))
                if quoted is not None and quoted != record.total:
                    rep.at_narrative(
                        "W307",
                        lineno,
                        m.start(1) + 1,
                        f"叙述中写总分为 {m.group(1)} 分，但记录中的公布总分为 {fmt(record.total)} 分。",
                        f"评价报告正文写总分为 {m.group(1)} 分，指标表公布的总分为 {fmt(record.total)} 分。",
                    )
        if record.scored:
            head = _ITEM_HEAD.match(line)
            if head:
                leaf = _match_leaf(head.group(1), by_name)
                scores = list(_ITEM_SCORE.finditer(line))
                if leaf is not None and scores and leaf.indicator.score is not None:
                    m = scores[-1]
                    quoted = parse_decimal(m.group(1))
                    if quoted is not None and quoted != leaf.indicator.score:
                        rep.at_narrative(
                            "W307",
                            lineno,
                            m.start(1) + 1,
                            f"叙述中写“{head.group(1)}”得 {m.group(1)} 分，但指标表中“{leaf.indicator.name}”的公布得分为 {fmt(leaf.indicator.score)} 分（{record.file} 第 {record.locate(leaf.indicator.key + ('score',))[0]} 行）。",
                            f"评价报告正文写“{head.group(1)}”得 {m.group(1)} 分，指标表中“{leaf.indicator.name}”"
                            f"的公布得分为 {fmt(leaf.indicator.score)} 分。",
                        )


def _leaf_names(ev: Evaluation) -> dict[str, list[LeafResult]]:
    out: dict[str, list[LeafResult]] = defaultdict(list)
    for leaf in ev.leaves:
        out[leaf.indicator.name].append(leaf)
    return out


def _match_leaf(name: str, by_name: dict[str, list[LeafResult]]) -> LeafResult | None:
    """The one leaf whose name equals, contains or is contained in the narrative's item name."""
    if name in by_name and len(by_name[name]) == 1:
        return by_name[name][0]
    candidates = [
        leaves[0] for n, leaves in by_name.items() if len(leaves) == 1 and len(n) >= 3 and (n in name or name in n)
    ]
    return candidates[0] if len(candidates) == 1 else None
