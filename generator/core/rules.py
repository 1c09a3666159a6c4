"""Scoring rule kinds: each kind is one function registered here with its parameters.

A rule kind turns (weight, target, actual, parameters, the leaf's own facts) into an Outcome: a
computed score, or — where the evaluator chooses the score — the range or set of scores the
rule allows. Rules never see MkDocs or files; when a rule cannot apply, its Outcome carries a
diagnostics.Problem keyed at the indicator's input it could not use (actual or level).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property
from typing import Any

from .decimals import HUNDRED, ZERO, ceil, clamp, fmt, q2
from .diagnostics import Problem
from .fields import RULE_FIELDS, Field
from .quantity import Quantity

# The fields of a rule table that are parameters of its kind (kind and title name and describe the rule).
RULE_PARAMS: dict[str, Field] = {f.name: f for f in RULE_FIELDS if f.name not in ("kind", "title")}


@dataclass(frozen=True)
class Param:
    """A parameter a rule kind takes. Its type, allowed values and description are those of the field
    of the same name in fields.RULE_FIELDS; whether it is required and its default belong to the kind."""

    name: str
    required: bool = False
    default: object = None  # used by the rule when the parameter is not written

    @property
    def field(self) -> Field:
        return RULE_PARAMS[self.name]

    @property
    def kind(self) -> str:
        return self.field.kind


@dataclass
class Context:
    weight: Decimal
    target: Quantity
    actual: Quantity
    params: dict[str, Any]
    level: str | None = None
    failed: int | None = None
    execution_rate: Decimal | None = None  # from the record's budget, in percent
    # which way is better for this row, when the record says (scoring.row_direction: the target's operator, else
    # a cost indicator's ceiling); the rule's own `direction` parameter wins over it
    direction: str | None = None

    def with_params(self, params: dict[str, Any]) -> Context:
        # dataclasses.replace would do, at four times the cost, once per scored indicator
        return Context(
            self.weight,
            self.target,
            self.actual,
            params,
            self.level,
            self.failed,
            self.execution_rate,
            self.direction,
        )


@dataclass
class Outcome:
    computed: Decimal | None = None  # the score, rounded half up to 0.01 (what pages show and totals add)
    exact: Decimal | None = None  # the same before any rounding: a published score is compared with this, once
    low: Decimal | None = None  # allowed range when the evaluator chooses the score
    high: Decimal | None = None
    allowed: tuple[Decimal, ...] = ()  # allowed discrete scores
    explanation: str = ""  # how the score was obtained, in Chinese
    problem: Problem | None = None  # when the rule could not apply; its key is relative to the indicator


# A rule in the public's words, from its parameters (defaults filled in), its direction ("higher", "lower" or
# "equal") and the unit of its target: what a project page's 数据核对 says a score was recomputed by.
Phrase = Callable[[dict[str, Any], str, str], str]


@dataclass(frozen=True)
class RuleKind:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    body: Callable[[Context], Outcome]  # reads every defaulted parameter from ctx.params, defaults filled in
    phrase: Phrase
    example: str = ""
    evaluator_choice: bool = False  # the evaluator picks the score; only its range is checked
    # it computes from the numbers of the target and actual: a copied, unreadable or incomparable one stops it
    reads_values: bool = True

    @cached_property
    def defaults(self) -> dict[str, object]:
        return {p.name: p.default for p in self.params if p.default is not None}

    def compute(self, ctx: Context) -> Outcome:
        """The rule's outcome, its declared defaults standing in for parameters not written."""
        defaults = self.defaults
        if defaults:
            ctx = ctx.with_params({**defaults, **ctx.params})
        return self.body(ctx)


KINDS: dict[str, RuleKind] = {}


def rule_kind(
    name: str,
    title: str,
    description: str,
    params: tuple[Param, ...] = (),
    example: str = "",
    evaluator_choice: bool = False,
    phrase: Phrase | None = None,
    reads_values: bool = True,
) -> Callable[[Callable[[Context], Outcome]], Callable[[Context], Outcome]]:
    unknown = [p.name for p in params if p.name not in RULE_PARAMS]
    if unknown:  # a parameter is declared once, in fields.RULE_FIELDS: its type and description live there
        raise ValueError(f"rule kind {name}: parameters {unknown} are not in fields.RULE_FIELDS")
    if phrase is None:  # a public page names the rule a score was recomputed by: no kind goes without its words
        raise ValueError(f"rule kind {name}: phrase (the rule in the public's words) is required")

    def register(fn: Callable[[Context], Outcome]) -> Callable[[Context], Outcome]:
        reads = reads_values and not evaluator_choice
        KINDS[name] = RuleKind(name, title, description, params, fn, phrase, example, evaluator_choice, reads)
        return fn

    return register


def public_rule(rule: dict[str, Any], target: Quantity, direction: str | None = None) -> str:
    """A rule as the public reads it: its own Chinese title (as on 方法说明), else its kind's words with its figures.
    `direction` is the row's (scoring.row_direction), when the record gives one."""
    title = str(rule.get("title") or "").strip().rstrip("。")
    if title:
        return title
    kind = KINDS[rule["kind"]]
    params = {**kind.defaults, **{k: v for k, v in rule.items() if k not in ("kind", "title")}}
    return kind.phrase(params, params.get("direction") or direction or target.direction or "higher", target.unit)


def _n(value: object) -> str:
    """A parameter as written in a sentence: 95, 0.3 (TOML gives integers as int, other numbers as Decimal)."""
    return fmt(value if isinstance(value, Decimal) else Decimal(str(value)))


def _reference(p: dict[str, Any]) -> str:
    return f"基数 {_n(p['base'])}" if p.get("base") is not None else "目标值"


def _amount(value: object, unit: str) -> str:
    return f"{_n(value)} 个百分点" if unit == "%" else f"{_n(value)} {unit}".rstrip()


def _no_number(message: str, public: str) -> Problem:
    """W209: the rule found no number it can compute with (`public`: the same for the public page)."""
    return Problem("W209", message, ("actual",), public + "，本站无法按评分规则核对该项得分")


def _not_a_level(message: str, public: str) -> Problem:
    """W216: the chosen level (level) is not one the rule defines."""
    return Problem("W216", message, ("level",), public)


def _pct(value: Decimal) -> Decimal:
    return value / HUNDRED


def _direction(ctx: Context) -> str:
    """higher, lower or equal: the rule's parameter, else the row's, else the target's operator, else higher."""
    return ctx.params.get("direction") or ctx.direction or ctx.target.direction or "higher"


def _actual(ctx: Context) -> Outcome | Decimal:
    """The actual value, or the Outcome saying why there is none to compute with."""
    if ctx.actual.blank:
        return Outcome(
            problem=Problem(
                "I219",
                "完成值（actual）未填写，无法按规则复核，以公布得分为准",
                ("actual",),
                "公布材料没有给出完成值，本站无法按评分规则核对该项得分，以公布得分为准",
            )
        )
    if ctx.actual.value is None:
        return Outcome(
            problem=_no_number(
                f"完成值 “{ctx.actual.text}” 中没有可用于计算的数字", f"公布的完成值“{ctx.actual.text}”不是数值"
            )
        )
    return ctx.actual.value


_MONEY = ("元", "万元", "千元", "亿元")


def _is_money(unit: str) -> bool:
    """An amount of money, or money per something (元/人, 万元/公里)."""
    return unit.split("/")[0] in _MONEY


def _numbers(ctx: Context) -> Outcome | tuple[Decimal, Decimal]:
    """(target, actual): the target is the base parameter when given; or the Outcome saying what is missing."""
    actual = _actual(ctx)
    if isinstance(actual, Outcome):
        return actual
    base = ctx.params.get("base")
    target = Decimal(base) if base is not None else ctx.target.value
    if target is None:
        what = f"目标值 “{ctx.target.text}”" if ctx.target.text else "目标值（target）为空"
        public = f"公布的目标值“{ctx.target.text}”不是数值" if ctx.target.text else "公布材料没有给出目标值"
        return Outcome(problem=_no_number(f"{what}中没有可用于计算的数字", public))
    if actual == 0 < target and _direction(ctx) == "lower" and _is_money(ctx.target.unit or ctx.actual.unit):
        # Nothing spent under a cost ceiling: a saving and work never done look the same, so the row is not
        # re-scored. (0 complaints under "≤3 次" is simply met.)
        return Outcome(
            problem=Problem(
                "I270",
                "以金额为上限的指标（如成本指标）完成值为 0，无法区分是节约还是未实施，不按规则复核，以公布得分为准",
                ("actual",),
                "公布的完成值为 0 元，而该指标以目标金额为上限：无法据此判断是节约还是未实施，本站不复核该项得分，以公布得分为准",
            )
        )
    return target, actual


# ---------------------------------------------------------------------------- kinds


@rule_kind(
    "budget_execution",
    "预算执行率",
    "执行率 = 执行数 ÷ 预算数。未设参数时得分 = min(执行率, 100%) × 分值；"
    "设 full_at 时执行率达到 full_at% 得满分，每低 1 个百分点扣分值的 per_point_pct%，低于 zero_below% 不得分。",
    (
        Param("full_at"),
        Param("per_point_pct", default=Decimal(1)),
        Param("zero_below"),
        Param("partial", default="exact"),
    ),
    example='rule = { kind = "budget_execution", full_at = 95, per_point_pct = 1, zero_below = 60 }  # 富民：95%以上满分，每下降1%扣权重的1%，60%以下不得分',
    phrase=lambda p, direction, unit: (
        "得分 = 执行率 × 分值，执行率超过 100% 按 100% 计"
        if p.get("full_at") is None
        else f"执行率达到 {_n(p['full_at'])}% 得满分，每低 1 个百分点扣分值的 {_n(p['per_point_pct'])}%"
        + ("（不足 1 个百分点按 1 个百分点计）" if p["partial"] == "whole" else "")
        + (f"，低于 {_n(p['zero_below'])}% 不得分" if p.get("zero_below") is not None else "")
    ),
)
def budget_execution(ctx: Context) -> Outcome:
    rate = ctx.execution_rate if ctx.execution_rate is not None else ctx.actual.value
    if rate is None:
        return Outcome(
            problem=_no_number("没有预算金额，完成值中也没有执行率", "公布材料没有预算金额，完成值中也没有执行率")
        )
    w = ctx.weight
    full_at = ctx.params.get("full_at")
    if full_at is None:
        score = min(rate, HUNDRED) / HUNDRED * w
        return Outcome(computed=score, explanation=f"执行率 {fmt(rate)}%，min(执行率, 100%) × {fmt(w)}")
    zero_below = ctx.params.get("zero_below")
    if rate >= full_at:
        return Outcome(computed=w, explanation=f"执行率 {fmt(rate)}% ≥ {fmt(full_at)}%，得满分")
    if zero_below is not None and rate < zero_below:
        return Outcome(computed=ZERO, explanation=f"执行率 {fmt(rate)}% 低于 {fmt(zero_below)}%，不得分")
    gap = full_at - rate
    if ctx.params["partial"] == "whole":
        gap = ceil(gap)
    per = ctx.params["per_point_pct"]
    score = w - gap * _pct(per) * w
    return Outcome(
        computed=score,
        explanation=f"执行率 {fmt(rate)}%，比 {fmt(full_at)}% 低 {fmt(gap)} 个百分点，每点扣分值的 {fmt(per)}%",
    )


def _ratio_words(ref: str, direction: str, lower_mode: str) -> str:
    over = f"随超出幅度递减，达到{ref}的 2 倍时为 0 分" if lower_mode == "linear" else f"按 {ref} ÷ 完成值 × 分值 计分"
    if direction == "equal":
        return f"完成值等于{ref}得满分，低于时按 完成值 ÷ {ref} × 分值 计分，高于时{over}"
    if direction != "lower":
        return f"完成值达到{ref}得满分，否则按 完成值 ÷ {ref} × 分值 计分"
    return f"完成值不超过{ref}得满分，超出时{over}"


def _over(t: Decimal, a: Decimal, w: Decimal, mode: str) -> Outcome:
    """A ratio's score for an actual above the target when less is better (or the target is exact)."""
    if t <= 0 or a <= 0:
        return Outcome(
            problem=_no_number(
                f"反向比率需要正的目标值和完成值（目标 {fmt(t)}，完成 {fmt(a)}）",
                f"目标值 {fmt(t)} 或完成值 {fmt(a)} 不是正数，无法计算比率",
            )
        )
    if mode == "linear":
        return Outcome(
            computed=max(ZERO, (2 * t - a) / t) * w,
            explanation=f"完成值 {fmt(a)} 超过目标值 {fmt(t)}，按线性递减（2 倍目标值为 0 分）",
        )
    return Outcome(computed=t / a * w, explanation=f"完成值 {fmt(a)} 超过目标值 {fmt(t)}，得 目标值 ÷ 完成值 × 分值")


@rule_kind(
    "ratio",
    "比率",
    "正向（≥）：完成值 ≥ 目标值得满分，否则得 完成值 ÷ 目标值 × 分值。反向（≤，以及没有比较符号的成本指标）："
    "完成值 ≤ 目标值得满分，"
    '否则得 目标值 ÷ 完成值 × 分值（lower_mode = "inverse"，默认），或在 2 倍目标值处线性降为 0（lower_mode = "linear"）。'
    "等值（=）：完成值等于目标值得满分，低于时按正向、高于时按反向计分。",
    (Param("direction"), Param("lower_mode", default="inverse"), Param("base")),
    example='rule = "ratio"  # 成本指标 “10 万元”（上限）、实际 13 万元 → 10 ÷ 13 × 分值',
    phrase=lambda p, direction, unit: _ratio_words(_reference(p), direction, p["lower_mode"]),
)
def ratio(ctx: Context) -> Outcome:
    numbers = _numbers(ctx)
    if isinstance(numbers, Outcome):
        return numbers
    (t, a), w = numbers, ctx.weight
    direction = _direction(ctx)
    if direction == "lower":
        if a <= t:
            return Outcome(computed=w, explanation=f"完成值 {fmt(a)} ≤ 目标值 {fmt(t)}，得满分")
        return _over(t, a, w, ctx.params["lower_mode"])
    if direction == "equal":
        if a == t:
            return Outcome(computed=w, explanation=f"完成值 {fmt(a)} 等于目标值，得满分")
        if a > t:
            return _over(t, a, w, ctx.params["lower_mode"])
    if a >= t:
        return Outcome(computed=w, explanation=f"完成值 {fmt(a)} ≥ 目标值 {fmt(t)}，得满分")
    if t == 0:
        return Outcome(computed=w, explanation="目标值为 0，得满分")
    return Outcome(computed=max(ZERO, a) / t * w, explanation=f"完成值 {fmt(a)} ÷ 目标值 {fmt(t)} × 分值")


@rule_kind(
    "zero",
    "零目标",
    "目标值为 0（如 “安全事故 0 起”）：完成值 ≤ 0 得满分，否则不得分。",
    example='rule = "zero"  # 目标 “0 起”，实际 “1 起” → 0 分',
    phrase=lambda p, direction, unit: "完成值为 0 得满分，否则不得分",
)
def zero(ctx: Context) -> Outcome:
    actual = _actual(ctx)
    if isinstance(actual, Outcome):
        return actual
    if actual <= 0:
        return Outcome(computed=ctx.weight, explanation="完成值为 0，得满分")
    return Outcome(computed=ZERO, explanation=f"完成值 {fmt(actual)} 大于 0，不得分")


@rule_kind(
    "steps",
    "按档扣分",
    "达到目标值（或 base 基数）得满分；每差 step 个单位扣 points 分（或分值的 pct%），扣完为止。"
    "反向（≤）每多 step 个单位扣分；等值（=）每偏离 step 个单位扣分。"
    '不足一档按一档计（partial = "whole"，默认），或按比例计（partial = "exact"）。',
    (
        Param("step", required=True),
        Param("points"),
        Param("pct"),
        Param("base"),
        Param("direction"),
        Param("partial", default="whole"),
    ),
    example='rule = { kind = "steps", step = 1, points = 0.5 }  # 大鹏：≥24万笔得2分，每少1万笔扣0.5分；22.08 万笔 → 差 2 档 → 1 分',
    phrase=lambda p, direction, unit: (
        {"lower": "不超过", "equal": "等于"}.get(direction, "达到")
        + f"{_reference(p)}得满分，每{ {'lower': '多', 'equal': '偏离'}.get(direction, '少') } {_amount(p['step'], unit)}扣"
        + (f" {_n(p['points'])} 分" if p.get("points") is not None else f"分值的 {_n(p['pct'])}%")
        + ("，不足一档按一档计" if p["partial"] == "whole" else "，不足一档按比例计")
        + "，扣完为止"
    ),
)
def steps(ctx: Context) -> Outcome:
    numbers = _numbers(ctx)
    if isinstance(numbers, Outcome):
        return numbers
    (base, a), w = numbers, ctx.weight
    direction = _direction(ctx)
    gap = abs(a - base) if direction == "equal" else (a - base) if direction == "lower" else (base - a)
    if gap <= 0:
        met = "等于" if direction == "equal" else "达到"
        return Outcome(computed=w, explanation=f"完成值 {fmt(a)} {met} {fmt(base)}，得满分")
    step = ctx.params["step"]
    units = gap / step
    if ctx.params["partial"] == "whole":
        units = ceil(units)
    per = ctx.params.get("points")  # check_params requires points or pct
    lost = units * per if per is not None else units * _pct(ctx.params["pct"]) * w
    unit_text = f"{fmt(per)} 分" if per is not None else f"分值的 {fmt(ctx.params['pct'])}%"
    return Outcome(
        computed=w - lost,
        explanation=f"完成值 {fmt(a)} 与 {fmt(base)} 相差 {fmt(gap)}，计 {fmt(units)} 档，每档扣 {unit_text}",
    )


def _band_words(p: dict[str, Any], direction: str) -> str:
    whole = "（不足 1 个百分点按 1 个百分点计）" if p["partial"] == "whole" else ""
    if direction == "lower":
        return f"完成值不超过目标值得满分，每超出目标值 1% 扣分值的 {_n(p['below_pct'])}%{whole}"
    high = p.get("high")
    if high is None and direction == "equal":
        high = p["low"]
    if high is None:
        span = f"{_n(p['low'])}% 及以上"
    elif high == p["low"]:
        span = f"{_n(high)}%"
    else:
        span = f"{_n(p['low'])}%–{_n(high)}%"
    words = f"完成率（完成值 ÷ 目标值）在 {span} 得满分，每低 1 个百分点扣分值的 {_n(p['below_pct'])}%"
    if high is not None and p["above_pct"]:
        words += f"，超过 {_n(high)}% 每超 1 个百分点扣分值的 {_n(p['above_pct'])}%"
    return words + whole


@rule_kind(
    "band",
    "满分区间",
    "完成率 = 完成值 ÷ 目标值。完成率在 [low%, high%] 内得满分；每低于 low 1 个百分点扣分值的 below_pct%，"
    "每高于 high 1 个百分点扣分值的 above_pct%；不写 high 则无上限（等值目标 = 以 low 为上限，超出时按 above_pct 扣分）。"
    "反向指标（≤）完成值不超过目标值得满分。",
    (
        Param("low", default=Decimal(100)),
        Param("high"),
        Param("below_pct", required=True),
        Param("above_pct", default=ZERO),
        Param("direction"),
        Param("partial", default="exact"),
    ),
    example='[rules."产出类"]\nkind = "band"\nlow = 100\nhigh = 130\nbelow_pct = 5\nabove_pct = 1  # 苏州：完成100%~130%得满分，每低1个百分点扣权重5%，超过130%每超1%扣权重1%',
    phrase=lambda p, direction, unit: _band_words(p, direction),
)
def band(ctx: Context) -> Outcome:
    numbers = _numbers(ctx)
    if isinstance(numbers, Outcome):
        return numbers
    (t, a), w = numbers, ctx.weight
    whole = ctx.params["partial"] == "whole"
    below = ctx.params["below_pct"]
    if _direction(ctx) == "lower":
        if a <= t:
            return Outcome(computed=w, explanation=f"完成值 {fmt(a)} 不超过目标值 {fmt(t)}，得满分")
        over = (a - t) / t * HUNDRED if t else HUNDRED
        over = ceil(over) if whole else over
        return Outcome(
            computed=w - over * _pct(below) * w,
            explanation=f"超过目标值 {fmt(q2(over))}%，每 1% 扣分值的 {fmt(below)}%",
        )
    if t == 0:
        return Outcome(problem=_no_number("目标值为 0，无法计算完成率", "目标值为 0，无法计算完成率"))
    achieved = a / t * HUNDRED
    low = ctx.params["low"]
    high = ctx.params.get("high")
    if high is None and _direction(ctx) == "equal":
        high = low  # an exact target: above it only above_pct deducts (none by default)
    shown = fmt(q2(achieved))
    if achieved < low:
        gap = low - achieved
        gap = ceil(gap) if whole else gap
        return Outcome(
            computed=w - gap * _pct(below) * w,
            explanation=f"完成率 {shown}%，低于 {fmt(low)}% {fmt(q2(gap))} 个百分点，每点扣分值的 {fmt(below)}%",
        )
    if high is not None and achieved > high:
        gap = achieved - high
        gap = ceil(gap) if whole else gap
        above = ctx.params["above_pct"]
        return Outcome(
            computed=w - gap * _pct(above) * w,
            explanation=f"完成率 {shown}%，超过 {fmt(high)}% {fmt(q2(gap))} 个百分点，每点扣分值的 {fmt(above)}%",
        )
    return Outcome(computed=w, explanation=f"完成率 {shown}%，在满分区间内")


@rule_kind(
    "deviation",
    "偏差档次",
    "偏差率 = |完成值 − 目标值| ÷ 目标值。bands = [[偏差上限%, 得分占分值%], …]：偏差在第一个上限以内得对应比例，依次类推，超出最后一个上限不得分。",
    (Param("bands", required=True),),
    example='rule = { kind = "deviation", bands = [[10, 100], [15, 60], [20, 20]] }  # ±10%以内得5分，±10–15%得3分，±15–20%得1分',
    phrase=lambda p, direction, unit: (
        "完成值与目标值的偏差率在 "
        + "，".join(
            f"±{_n(limit)}% 以内得分值的 {_n(share)}%" for limit, share in sorted(p["bands"], key=lambda b: b[0])
        )
        + "，超出不得分"
    ),
)
def deviation(ctx: Context) -> Outcome:
    numbers = _numbers(ctx)
    if isinstance(numbers, Outcome):
        return numbers
    (t, a), w = numbers, ctx.weight
    if t == 0:
        return Outcome(problem=_no_number("目标值为 0，无法计算偏差率", "目标值为 0，无法计算偏差率"))
    dev = abs(a - t) / abs(t) * HUNDRED
    for limit, share in sorted(ctx.params["bands"], key=lambda band: band[0]):
        if dev <= limit:
            return Outcome(
                computed=_pct(share) * w,
                explanation=f"偏差率 {fmt(q2(dev))}% 在 ±{fmt(limit)}% 以内，得分值的 {fmt(share)}%",
            )
    return Outcome(computed=ZERO, explanation=f"偏差率 {fmt(q2(dev))}% 超出所有档次，不得分")


@rule_kind(
    "tiers",
    "定性三档",
    "评价人在档次区间内自行确定得分：tiers = [[档次, 下限%, 上限%], …]。校验公布得分是否落在所选档次（level）的区间内，不重新计算。",
    (Param("tiers", required=True),),
    example='[rules."定性三档"]\nkind = "tiers"\ntiers = [["达成", 80, 100], ["部分达成", 60, 80], ["未达成", 0, 60]]',
    evaluator_choice=True,
    phrase=lambda p, direction, unit: (
        "评价人在所选档次的区间内评分（得分占分值的比例："
        + "，".join(f"“{name}” {_n(lo)}%–{_n(hi)}%" for name, lo, hi in p["tiers"])
        + "）"
    ),
)
def tiers(ctx: Context) -> Outcome:
    w = ctx.weight
    if ctx.level is None:
        return Outcome(low=ZERO, high=w, explanation="定性指标，由评价人在档次区间内确定得分（未注明档次）")
    for name, lo, hi in ctx.params["tiers"]:
        if name == ctx.level:
            return Outcome(
                low=_pct(lo) * w, high=_pct(hi) * w, explanation=f"档次“{name}”：分值的 {fmt(lo)}%–{fmt(hi)}%"
            )
    names = "、".join(t[0] for t in ctx.params["tiers"])
    return Outcome(
        low=ZERO,
        high=w,
        problem=_not_a_level(
            f"档次 “{ctx.level}” 不在规则的档次（{names}）中",
            f"公布的档次“{ctx.level}”不是评分规则所列的档次（{names}）之一，本站无法核对得分范围",
        ),
    )


@rule_kind(
    "levels",
    "定性等级",
    "levels = [[等级, 得分占分值%], …]，如 好/较好/一般/较差/差 → 100/80/60/40/20%。等级取自 level 字段，或完成值正好是某个等级名称。",
    (Param("levels", required=True),),
    example='[rules."定性五级"]\nkind = "levels"\nlevels = [["好", 100], ["较好", 80], ["一般", 60], ["较差", 40], ["差", 20]]',
    reads_values=False,
    phrase=lambda p, direction, unit: (
        "各等级得分值的相应比例（" + "、".join(f"“{name}” {_n(share)}%" for name, share in p["levels"]) + "）"
    ),
)
def levels(ctx: Context) -> Outcome:
    w = ctx.weight
    table = [(name, Decimal(share)) for name, share in ctx.params["levels"]]
    chosen = ctx.level or (ctx.actual.text.strip() if ctx.actual.text else None)
    for name, share in table:
        if name == chosen:
            return Outcome(computed=_pct(share) * w, explanation=f"等级“{name}”得分值的 {fmt(share)}%")
    if ctx.level is not None:
        names = "、".join(n for n, _ in table)
        return Outcome(
            allowed=tuple(q2(_pct(s) * w) for _, s in table),
            problem=_not_a_level(
                f"等级 “{ctx.level}” 不在规则的等级（{names}）中",
                f"公布的等级“{ctx.level}”不是评分规则所列的等级（{names}）之一，本站无法核对得分",
            ),
        )
    return Outcome(allowed=tuple(q2(_pct(s) * w) for _, s in table), explanation="定性等级，得分应为各等级对应分数之一")


@rule_kind(
    "checklist",
    "清单扣分",
    "每有一项不符合扣 points 分，严重的可不得分。写了 failed（不符合项数）时计算得分；否则校验扣分是否为 points 的整数倍。",
    (Param("points", required=True),),
    example='rule = { kind = "checklist", points = 0.5 }  # 富民：一项不符合扣0.5分，严重的此项完全不得分',
    reads_values=False,
    phrase=lambda p, direction, unit: f"每有一项不符合扣 {_n(p['points'])} 分",
)
def checklist(ctx: Context) -> Outcome:
    w, per = ctx.weight, ctx.params["points"]
    if ctx.failed is not None:
        return Outcome(computed=w - ctx.failed * per, explanation=f"{ctx.failed} 项不符合，每项扣 {fmt(per)} 分")
    multiples = []
    k = 0
    while w - k * per > 0 and k < 1000:
        multiples.append(q2(w - k * per))
        k += 1
    return Outcome(allowed=tuple(multiples) + (ZERO,), explanation=f"每项不符合扣 {fmt(per)} 分（未注明不符合项数）")


@rule_kind(
    "judgement",
    "评价人酌情",
    "评分标准由评价人酌情判断（如“根据实现程度酌情给分”）：只校验得分在 0 与分值之间，扣分须写明原因。",
    example='rule = "judgement"',
    evaluator_choice=True,
    phrase=lambda p, direction, unit: "由评价人酌情评分",
)
def judgement(ctx: Context) -> Outcome:
    return Outcome(low=ZERO, high=ctx.weight, explanation="由评价人酌情评分")


def finish(outcome: Outcome, weight: Decimal, discretion: Decimal | None) -> Outcome:
    """Apply the discretionary deduction and the cap at [0, weight]; keep the exact score and, for pages and
    totals, round it half up to 0.01 (a published score is compared with the exact one, see rounding.py)."""
    if outcome.computed is not None:
        value = outcome.computed - (discretion or ZERO)
        outcome.exact = clamp(value, ZERO, weight)
        outcome.computed = q2(outcome.exact)
        if discretion:
            outcome.explanation += f"；酌情扣 {fmt(discretion)} 分"
    return outcome


def check_params(kind: RuleKind, params: dict[str, Any]) -> list[str]:
    """Problems with a rule's parameters, as Chinese sentences."""
    problems = []
    allowed = {p.name for p in kind.params} | {"kind", "title"}
    for name in params:
        if name not in allowed:
            problems.append(
                f"规则类型 {kind.name} 没有参数 {name}（可用参数：{'、'.join(p.name for p in kind.params) or '无'}）"
            )
    for p in kind.params:
        if p.required and p.name not in params:
            problems.append(f"规则类型 {kind.name} 需要参数 {p.name}")
    if kind.name == "steps" and "points" not in params and "pct" not in params:
        problems.append("规则类型 steps 需要 points（每档扣分）或 pct（每档扣分值的百分比）之一")
    if "step" in params and params["step"] == 0:
        problems.append("step 不能为 0")
    for key, width in (("bands", 2), ("tiers", 3), ("levels", 2)):
        if key in params:
            for row in params[key]:
                ok = (
                    isinstance(row, list)
                    and len(row) == width
                    and isinstance(row[0], (str, int, Decimal))
                    and all(
                        isinstance(x, (int, Decimal)) and not isinstance(x, bool)
                        for x in (row[1:] if key != "bands" else row)
                    )
                )
                if key != "bands" and ok:
                    ok = isinstance(row[0], str)
                if key == "tiers" and ok and row[1] > row[2]:
                    ok = False
                if not ok:
                    problems.append(f"{key} 的每一项应为 {_ROW_SHAPES[key]}，现在有 {row!r}")
                    break
    return problems


_ROW_SHAPES = {
    "bands": "[偏差上限%, 得分占分值%]",
    "tiers": '["档次", 下限%, 上限%]',
    "levels": '["等级", 得分占分值%]',
}


def rule_table_fields() -> tuple[Field, ...]:
    """The fields of a rule table as editors see them: RULE_FIELDS, with the registered kinds as the
    allowed values of `kind` (for the JSON Schema and the guide's field reference)."""
    return tuple(replace(f, choices=tuple(KINDS)) if f.name == "kind" else f for f in RULE_FIELDS)
