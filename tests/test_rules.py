"""One group of tests per scoring rule kind (generator.rules), directly and through whole records."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from generator.core.pipeline import run
from generator.core.quantity import parse
from generator.core.rules import KINDS, Context, Outcome, Param, check_params, finish, rule_kind

ROOT_MD = "## 一、概况\n正文\n"


def _dec(value):
    """Numbers as the loader delivers them: Decimal, also inside lists and tables."""
    if isinstance(value, dict):
        return {k: _dec(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dec(v) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return D(str(value))
    return value


def outcome(
    kind: str,
    weight,
    target: str | None = None,
    actual: str | None = None,
    *,
    discretion=None,
    level=None,
    failed=None,
    rate=None,
    **params,
) -> Outcome:
    """Run one rule kind the way the engine does: compute, then discretion and the cap."""
    ctx = Context(
        weight=D(str(weight)),
        target=parse(target),
        actual=parse(actual),
        params=_dec(params),
        level=level,
        failed=failed,
        execution_rate=None if rate is None else D(str(rate)),
    )
    return finish(KINDS[kind].compute(ctx), ctx.weight, None if discretion is None else D(str(discretion)))


def score(kind: str, weight, target=None, actual=None, **kw) -> D | None:
    return outcome(kind, weight, target, actual, **kw).computed


def line_of(text: str, startswith: str, after: str | None = None) -> int:
    """1-based number of the first line starting with `startswith` (after the line containing `after`)."""
    lines = text.split("\n")
    start = 0
    if after is not None:
        start = next(i for i, ln in enumerate(lines) if after in ln)
    return next(i for i in range(start, len(lines)) if lines[i].strip().startswith(startswith)) + 1


def indicator(
    name: str,
    weight,
    score_,
    *,
    target=None,
    actual=None,
    rule=None,
    reason="扣分原因",
    path='["产出指标", "数量指标"]',
    extra: str = "",
) -> str:
    out = ["[[indicator]]", f"path = {path}", f'name = "{name}"']
    if target is not None:
        out.append(f'target = "{target}"')
    if actual is not None:
        out.append(f'actual = "{actual}"')
    out.append(f"weight = {weight}")
    if score_ is not None:
        out.append(f"score = {score_}")
    if reason:
        out.append(f'reason = "{reason}"')
    if rule is not None:
        out.append(f"rule = {rule}")
    if extra:
        out.append(extra)
    return "\n".join(out) + "\n"


@pytest.fixture
def check(tmp_path, write_record, record_head):
    """check(body, total=None) → (evaluation, diagnostics, text) for a one-file record."""

    def go(body: str, total=None, head_extra: str = ""):
        text = record_head + head_extra + (f"total = {total}\n" if total is not None else "") + "\n" + body
        path = write_record(tmp_path, text, ROOT_MD)
        result = run([str(path)])
        assert len(result.evaluations) == 1, [d.to_text() for d in result.diagnostics]
        return result.evaluations[0], result.diagnostics, text

    return go


def codes(diags, code=None):
    return [d for d in diags if code is None or d.code == code]


@pytest.fixture(scope="module")
def seeds(repo_root):
    result = run([str(repo_root / "projects")])
    return {ev.record.id: ev for ev in result.evaluations}


def seed_leaf(seeds, record_id: str, name: str):
    matches = [leaf for leaf in seeds[record_id].leaves if leaf.indicator.name == name]
    assert len(matches) == 1
    return matches[0]


# ---------------------------------------------------------------------------- budget_execution


class TestBudgetExecution:
    def test_plain_is_rate_times_weight(self):
        assert score("budget_execution", 10, "100%", "83.62%") == D("8.36")
        assert score("budget_execution", 10, None, None, rate="83.62") == D("8.36")

    def test_plain_is_capped_at_full_rate(self):
        assert score("budget_execution", 10, None, None, rate=120) == D(10)

    def test_budget_amounts_take_precedence_over_actual(self):
        # the engine passes the rate from the budget; the leaf's own actual value is then only cross-checked
        assert score("budget_execution", 10, "100%", "0%", rate=50) == D(5)

    def test_no_rate_at_all_is_reported(self):
        out = outcome("budget_execution", 10, "100%", "执行较好")
        assert out.computed is None and out.problem.code == "W209"

    @pytest.mark.parametrize(
        "rate, expected",
        [
            (100, "10"),
            (95.52, "10"),
            (95, "10"),
            (94.5, "9.95"),
            (90, "9.5"),
            (80, "8.5"),
            (60, "6.5"),
            (59.99, "0"),
            (0, "0"),
        ],
    )
    def test_threshold_variant(self, rate, expected):
        # 富民：预算执行率95%以上，得满分；低于95%，每下降1%扣权重的1%；预算执行率60%以下，不计分
        params = dict(full_at=95, per_point_pct=1, zero_below=60)
        assert score("budget_execution", 10, "≥95%", None, rate=rate, **params) == D(expected)

    def test_threshold_variant_whole_points(self):
        assert score(
            "budget_execution", 10, None, None, rate="94.5", full_at=95, per_point_pct=1, partial="whole"
        ) == D("9.9")

    def test_record_rate_from_budget_exact_decimals(self, check):
        body = "[budget]\nbudget = 200\nexecuted = 167.23\n\n" + indicator(
            "预算执行率", 10, 8.36, target="100%", actual="83.62%", rule='"budget_execution"', path="[]"
        )
        ev, diags, _ = check(body, total=8.36)
        assert ev.execution_rate == D("83.62")  # 167.23 ÷ 200 = 83.615 → 83.62 half up
        assert ev.leaves[0].computed == D("8.36")
        assert not codes(diags, "W206") and not codes(diags, "I207") and not codes(diags, "W309")

    def test_record_hand_rounded_score_is_info_not_warning(self, check):
        body = "[budget]\nbudget = 200\nexecuted = 167.23\n\n" + indicator(
            "预算执行率", 10, 8, target="100%", actual="83.62%", rule='"budget_execution"', path="[]"
        )
        ev, diags, text = check(body, total=8)
        [info] = codes(diags, "I207")
        assert info.line == line_of(text, "score =")
        assert not codes(diags, "W206")

    def test_record_wrong_score_is_warning(self, check):
        body = "[budget]\nbudget = 200\nexecuted = 167.23\n\n" + indicator(
            "预算执行率", 10, 7, target="100%", actual="83.62%", rule='"budget_execution"', path="[]"
        )
        ev, diags, text = check(body, total=7)
        [w] = codes(diags, "W206")
        assert w.line == line_of(text, "score =")
        assert "8.36" in w.message
        assert not codes(diags, "I207")

    def test_record_actual_disagreeing_with_budget(self, check):
        body = "[budget]\nbudget = 200\nexecuted = 167.23\n\n" + indicator(
            "预算执行率", 10, 8.36, target="100%", actual="90%", rule='"budget_execution"', path="[]"
        )
        _, diags, text = check(body, total=8.36)
        [w] = codes(diags, "W309")
        assert w.line == line_of(text, "actual =")

    def test_record_threshold_variant_seed_fumin(self, seeds):
        leaf = seed_leaf(seeds, "fumin-finance-platforms", "预算执行率")
        assert seeds["fumin-finance-platforms"].execution_rate == D("95.52")
        assert leaf.kind == "budget_execution"
        assert leaf.computed == D(2) == leaf.indicator.score


# ---------------------------------------------------------------------------- ratio


class TestRatio:
    @pytest.mark.parametrize(
        "target, actual, weight, expected",
        [
            ("≥10 个", "8 个", 5, "4"),
            ("≥10 个", "12 个", 5, "5"),
            ("≥10 个", "10 个", 5, "5"),
            ("10 个", "7 个", 5, "3.5"),
            ("≥90%", "0%", 10, "0"),
            ("4.5 万元", "0 万元", 5, "0"),
            ("≥3 套", "2 套", 10, "6.67"),
        ],
    )
    def test_positive(self, target, actual, weight, expected):
        assert score("ratio", weight, target, actual) == D(expected)

    @pytest.mark.parametrize(
        "target, actual, weight, expected",
        [
            ("≤1 小时", "2 小时", 10, "5"),
            ("≤1 小时", "0.5 小时", 10, "10"),
            ("≤1 小时", "1 小时", 10, "10"),
            ("＜48小时", "60小时", 6, "4.8"),
            ("15%及其以下", "20%", 3, "2.25"),
        ],
    )
    def test_reverse_inverse(self, target, actual, weight, expected):
        assert score("ratio", weight, target, actual) == D(expected)
        assert score("ratio", weight, target, actual, lower_mode="inverse") == D(expected)

    @pytest.mark.parametrize(
        "actual, expected",
        [("5", "10"), ("10", "10"), ("12", "8"), ("15", "5"), ("20", "0"), ("25", "0")],
    )
    def test_reverse_linear_reaches_zero_at_twice_target(self, actual, expected):
        assert score("ratio", 10, "≤10 次", f"{actual} 次", lower_mode="linear") == D(expected)

    def test_explicit_direction_overrides_bare_target(self):
        assert score("ratio", 10, "10 次", "20 次") == D(10)  # bare number → higher is better
        assert score("ratio", 10, "10 次", "20 次", direction="lower") == D(5)

    def test_text_without_number_is_reported(self):
        out = outcome("ratio", 5, "≥90%", "满意")
        assert out.computed is None and out.problem.code == "W209"
        out = outcome("ratio", 5, "明显提升", "80%")
        assert out.computed is None and out.problem.code == "W209"
        out = outcome("ratio", 5, "≥90%", None)
        assert out.computed is None and out.problem.code == "I219"

    def test_record_reverse_linear(self, check):
        body = indicator(
            "故障修复时间", 10, 8, target="≤10 小时", actual="12 小时", rule='{ kind = "ratio", lower_mode = "linear" }'
        )
        ev, diags, _ = check(body, total=8)
        assert ev.leaves[0].computed == D(8)
        assert not codes(diags, "W206")
        body = indicator("故障修复时间", 10, 8, target="≤10 小时", actual="12 小时", rule='"ratio"')
        ev, diags, text = check(body, total=8)
        assert ev.leaves[0].computed == D("8.33")  # inverse: 10 ÷ 12 × 10
        [info] = codes(diags, "I207")  # 8.33 published as 8: rounding, not an error
        assert info.line == line_of(text, "score =")
        assert not codes(diags, "W206")

    def test_default_rule_for_numeric_target_is_ratio(self, check):
        ev, diags, _ = check(indicator("支付笔数", 10, 8, target="≥10 万笔", actual="8 万笔"), total=8)
        assert ev.leaves[0].kind == "ratio"
        assert ev.leaves[0].computed == D(8)


# ---------------------------------------------------------------------------- zero


class TestZero:
    def test_zero_target(self):
        assert score("zero", 5, "0 起", "0 起") == D(5)
        assert score("zero", 5, "0 起", "1 起") == D(0)
        assert score("zero", 5, "=0", "0.5") == D(0)

    def test_record(self, check):
        ev, diags, text = check(indicator("安全事故", 5, 5, target="0 起", actual="1 起", rule='"zero"'), total=5)
        assert ev.leaves[0].computed == D(0)
        [w] = codes(diags, "W206")
        assert w.line == line_of(text, "score =")


# ---------------------------------------------------------------------------- steps


class TestSteps:
    def test_seed_002_payments_started_unit_counts_whole(self):
        # ≥24万笔得2分，每少1万笔扣0.5分：22.08 万笔 → 1.92 short → 2 units → 1 of 2
        assert score("steps", 2, "≥24 万笔", "22.08 万笔", step=1, points=0.5) == D(1)

    def test_seed_002_satisfaction(self):
        # ≥95% 得4分，以95%为基数，每少5%扣1分：91.67% → 3.33 short → 1 step → 3 of 4
        actual = "根据问卷调查结果，国库支付中心工作人员对国库支付系统的满意度 91.67%。"
        assert score("steps", 4, "≥95%", actual, step=5, points=1) == D(3)

    def test_exact_partial_steps(self):
        assert score("steps", 2, "≥24 万笔", "22.08 万笔", step=1, points=0.5, partial="exact") == D("1.04")

    def test_pct_of_weight_per_step(self):
        assert score("steps", 10, "≥100%", "88%", step=5, pct=10) == D(7)  # 12 short → 3 steps × 10 % of 10

    def test_lower_is_better(self):
        assert score("steps", 4, "≤10 次", "0 次", step=1, points=0.5) == D(4)
        assert score("steps", 4, "≤10 次", "13 次", step=1, points=0.5) == D("2.5")
        assert score("steps", 1, "≤60 分钟", "72 分钟", step=5, points=0.5) == D(0)  # 12 over → 3 steps → floor 0

    def test_base_replaces_target(self):
        text = "智慧财政市区一体化系统、金财系统、基建系统、财务核算等 4 套系统软硬件正常运转，正常运转率 ≥95%。"
        assert score("steps", 2, text, "100%", step=5, points=1, base=95) == D(2)
        assert score("steps", 2, "全部正常运转", "89%", step=5, points=1, base=95) == D(0)

    def test_floor_at_zero(self):
        assert score("steps", 2, "≥24 万笔", "10 万笔", step=1, points=0.5) == D(0)

    def test_target_met_is_full(self):
        assert score("steps", 2, "≥24 万笔", "24 万笔", step=1, points=0.5) == D(2)
        assert score("steps", 2, "≥24 万笔", "30 万笔", step=1, points=0.5) == D(2)

    def test_params_checked(self):
        assert check_params(KINDS["steps"], {"kind": "steps", "points": D(1)})  # step missing
        assert check_params(KINDS["steps"], {"kind": "steps", "step": D(1)})  # neither points nor pct
        assert check_params(KINDS["steps"], {"kind": "steps", "step": D(0), "points": D(1)})
        assert not check_params(KINDS["steps"], {"kind": "steps", "step": D(1), "points": D("0.5")})

    def test_seed_002_leaves(self, seeds):
        pay = seed_leaf(seeds, "dapeng-treasury-funds", "直接支付、授权支付笔数")
        assert (pay.weight, pay.computed, pay.indicator.score) == (D(2), D(1), D(1))
        sat = seed_leaf(seeds, "dapeng-treasury-funds", "使用人员满意度")
        assert (sat.weight, sat.computed, sat.indicator.score) == (D(4), D(3), D(3))

    def test_record(self, check):
        body = indicator(
            "直接支付、授权支付笔数",
            2,
            1.5,
            target="≥24 万笔",
            actual="22.08 万笔",
            rule='{ kind = "steps", step = 1, points = 0.5 }',
        )
        ev, diags, text = check(body, total=1.5)
        assert ev.leaves[0].computed == D(1)
        [w] = codes(diags, "W206")
        assert w.line == line_of(text, "score =")


# ---------------------------------------------------------------------------- band

SUZHOU = dict(low=100, high=130, below_pct=5, above_pct=1)


class TestBand:
    @pytest.mark.parametrize(
        "actual, expected",
        [
            ("=93%", "3.9"),
            ("=100%", "6"),
            ("=124%", "6"),
            ("=130%", "6"),
            ("=140%", "5.4"),
            ("=200%", "1.8"),
            ("=80%", "0"),
        ],
    )
    def test_suzhou_band_of_full_marks(self, actual, expected):
        # 完成100%~130%得满分，每低1个百分点扣权重5%，超过130%每超1%扣权重1%
        assert score("band", 6, "=100%", actual, **SUZHOU) == D(expected)

    def test_achievement_is_relative_to_target(self):
        assert score("band", 10, "=805个", "=1000个", **SUZHOU) == D(10)  # 124.2 %
        assert score("band", 10, "=6", "=7", **SUZHOU) == D(10)  # 116.7 %
        assert score("band", 10, "=10", "=14", **SUZHOU) == D(9)  # 140 % → 10 points over → −10 %

    def test_no_upper_limit(self):
        # 苏州“结果”类：以100%及以上为满分，每降低1%扣权重值5%
        assert score("band", 2.44, "≥500000 个", "=2690000 个", low=100, below_pct=5) == D("2.44")
        assert score("band", 10, "≥100 份", "=90 份", low=100, below_pct=5) == D(5)

    def test_lower_direction(self):
        assert score("band", 1, "15%及其以下", "=1%", **SUZHOU) == D(1)
        assert score("band", 10, "≤10", "10.5", **SUZHOU) == D("7.5")  # 5 % over × 5 %

    def test_whole_points(self):
        assert score("band", 6, "=100%", "=93.5%", **SUZHOU) == D("4.05")
        assert score("band", 6, "=100%", "=93.5%", partial="whole", **SUZHOU) == D("3.9")

    def test_zero_target_is_reported(self):
        out = outcome("band", 6, "=0", "=5", **SUZHOU)
        assert out.computed is None and out.problem.code == "W209"

    def test_seed_suzhou_execution_rate(self, seeds):
        leaf = seed_leaf(seeds, "suzhou-egov-construction", "预算执行率")
        assert leaf.kind == "band"
        assert (leaf.weight, leaf.computed, leaf.indicator.score) == (D(6), D("3.9"), D(6))


# ---------------------------------------------------------------------------- deviation

BANDS = [[10, 100], [15, 60], [20, 20]]


class TestDeviation:
    @pytest.mark.parametrize(
        "actual, expected",
        [
            ("100", "5"),
            ("105", "5"),
            ("110", "5"),
            ("90", "5"),
            ("112", "3"),
            ("85", "3"),
            ("118", "1"),
            ("80", "1"),
            ("121", "0"),
            ("50", "0"),
        ],
    )
    def test_bands(self, actual, expected):
        # ±10%以内得5分，±10–15%得3分，±15–20%得1分，±20%以外不得分
        assert score("deviation", 5, "100 万元", f"{actual} 万元", bands=BANDS) == D(expected)

    def test_zero_target_is_reported(self):
        out = outcome("deviation", 5, "0", "3", bands=BANDS)
        assert out.computed is None and out.problem.code == "W209"

    def test_bands_param_shape(self):
        assert check_params(KINDS["deviation"], {"kind": "deviation"})
        assert check_params(KINDS["deviation"], {"kind": "deviation", "bands": [[D(10)]]})
        assert not check_params(KINDS["deviation"], {"kind": "deviation", "bands": _dec(BANDS)})

    def test_record_inline_bands(self, check):
        # integers inside the TOML rows are numbers like any other (this once crashed the CLI)
        body = indicator(
            "成本控制",
            5,
            3,
            target="100 万元",
            actual="112 万元",
            rule='{ kind = "deviation", bands = [[10, 100], [15, 60], [20, 20]] }',
        )
        ev, diags, _ = check(body, total=3)
        assert ev.leaves[0].computed == D(3)
        assert not codes(diags, "W206")


# ---------------------------------------------------------------------------- tiers

TIERS_80_60 = [["达成", 80, 100], ["部分达成", 60, 80], ["未达成", 0, 60]]
TIERS_80_50 = [["达成", 80, 100], ["部分达成", 50, 80], ["未达成", 0, 50]]


class TestTiers:
    def test_range_is_checked_not_recomputed(self):
        out = outcome("tiers", 10, "明显提升", "部分提升", level="部分达成", tiers=TIERS_80_60)
        assert out.computed is None
        assert (out.low, out.high) == (D(6), D(8))
        out = outcome("tiers", 10, "明显提升", "部分提升", level="部分达成", tiers=TIERS_80_50)
        assert (out.low, out.high) == (D(5), D(8))

    def test_without_level_any_score_in_weight(self):
        out = outcome("tiers", 10, "明显提升", "明显提升", tiers=TIERS_80_60)
        assert (out.low, out.high) == (D(0), D(10))

    def test_unknown_level(self):
        out = outcome("tiers", 10, "明显提升", "明显提升", level="很好", tiers=TIERS_80_60)
        assert out.problem.code == "W216"

    @pytest.mark.parametrize(
        "rule, score_, problem",
        [
            ('"定性三档"', 7, None),
            ('"定性三档"', 6, None),
            ('"定性三档"', 8, None),
            ('"定性三档"', 5.5, "W208"),
            ('"定性三档"', 9, "W208"),
            ('"定性三档80/50"', 5.5, None),
            ('"定性三档80/50"', 4.5, "W208"),
        ],
    )
    def test_record(self, check, rule, score_, problem):
        body = indicator(
            "信息化建设", 10, score_, target="明显提升", actual="有所提升", rule=rule, extra='level = "部分达成"'
        )
        ev, diags, text = check(body, total=score_)
        assert ev.leaves[0].computed is None
        found = codes(diags, "W208")
        if problem is None:
            assert not found
        else:
            [w] = found
            assert w.line == line_of(text, "score =")

    def test_record_unknown_level(self, check):
        body = indicator(
            "信息化建设", 10, 7, target="明显提升", actual="有所提升", rule='"定性三档"', extra='level = "基本达成"'
        )
        _, diags, text = check(body, total=7)
        [w] = codes(diags, "W216")
        assert w.line == line_of(text, "level =")

    def test_scheme_default_for_qualitative_target(self, check):
        body = indicator("信息化建设", 5, 5, target="明显提升", actual="明显提升", reason="")
        ev, diags, _ = check(body, total=5, head_extra='scheme = "national-self"\nmax_score = 5\n')
        assert ev.leaves[0].rule_label == "定性三档"
        assert ev.leaves[0].kind == "tiers"


# ---------------------------------------------------------------------------- levels

FIVE = [["好", 100], ["较好", 80], ["一般", 60], ["较差", 40], ["差", 20]]


class TestLevels:
    @pytest.mark.parametrize("level, expected", [("好", "5"), ("较好", "4"), ("一般", "3"), ("较差", "2"), ("差", "1")])
    def test_five_levels(self, level, expected):
        assert score("levels", 5, "健全", None, level=level, levels=FIVE) == D(expected)
        assert score("levels", 5, "健全", level, levels=FIVE) == D(expected)  # level taken from the actual text

    def test_not_a_level_gives_allowed_scores(self):
        out = outcome("levels", 5, "健全", "基本健全", levels=FIVE)
        assert out.computed is None
        assert set(out.allowed) == {D(5), D(4), D(3), D(2), D(1)}

    def test_unknown_declared_level(self):
        out = outcome("levels", 5, "健全", "健全", level="很好", levels=FIVE)
        assert out.problem.code == "W216"

    def test_record(self, check):
        ev, diags, _ = check(
            indicator("资金使用合规性", 5, 4, target="合规", actual="较好", rule='"定性五级"'), total=4
        )
        assert ev.leaves[0].computed == D(4)
        assert not codes(diags, "W206")
        ev, diags, text = check(
            indicator("资金使用合规性", 5, 5, target="合规", actual="较好", rule='"定性五级"'), total=5
        )
        [w] = codes(diags, "W206")
        assert w.line == line_of(text, "score =")
        ev, diags, text = check(
            indicator("资金使用合规性", 5, 3.5, target="合规", actual="合规", rule='"定性五级"'), total=3.5
        )
        [w] = codes(diags, "W208")  # not one of 5/4/3/2/1
        assert w.line == line_of(text, "score =")


# ---------------------------------------------------------------------------- checklist


class TestChecklist:
    def test_with_failed(self):
        assert score("checklist", 2, points=0.5, failed=1) == D("1.5")
        assert score("checklist", 2, points=0.5, failed=0) == D(2)
        assert score("checklist", 2, points=0.5, failed=10) == D(0)  # floor at 0

    def test_without_failed_allows_multiples(self):
        out = outcome("checklist", 2, points=0.5)
        assert out.computed is None
        assert set(out.allowed) == {D(2), D("1.5"), D(1), D("0.5"), D(0)}

    def test_seed_fumin(self, seeds):
        leaf = seed_leaf(seeds, "fumin-finance-platforms", "绩效指标明确性")
        assert (leaf.weight, leaf.computed, leaf.indicator.score) == (D(4), D(3), D(3))

    def test_record_not_a_multiple(self, check):
        ev, diags, _ = check(
            indicator("项目立项规范性", 2, 1.5, rule='{ kind = "checklist", points = 0.5 }'), total=1.5
        )
        assert not codes(diags, "W217")
        ev, diags, text = check(
            indicator("项目立项规范性", 2, 1.3, rule='{ kind = "checklist", points = 0.5 }'), total=1.3
        )
        [w] = codes(diags, "W217")
        assert w.line == line_of(text, "score =")

    def test_record_failed_count(self, check):
        body = indicator("完成数量", 10, 6, rule='{ kind = "checklist", points = 2 }', extra="failed = 1")
        ev, diags, text = check(body, total=6)
        assert ev.leaves[0].computed == D(8)
        [w] = codes(diags, "W206")
        assert w.line == line_of(text, "score =")


# ---------------------------------------------------------------------------- judgement


class TestJudgement:
    def test_range_only(self):
        out = outcome("judgement", 4, "有所提升", "普通单据三天内支付完成")
        assert out.computed is None
        assert (out.low, out.high) == (D(0), D(4))

    def test_record(self, check):
        ev, diags, _ = check(
            indicator("支付效率提升程度", 4, 3.5, target="有所提升", actual="明显提升", rule='"judgement"'), total=3.5
        )
        assert ev.leaves[0].computed is None
        assert ev.leaves[0].effective_score == D("3.5")  # the evaluator's score stands
        assert not [d for d in diags if d.code in ("W206", "W208", "W243", "W204")]


# ---------------------------------------------------------------------------- discretion and the cap


class TestDiscretionAndCap:
    def test_discretion_subtracts_after_rule(self):
        assert score("steps", 4, "≥50%", "100%", step=5, points=1, discretion=0.5) == D("3.5")
        out = outcome("steps", 4, "≥50%", "100%", step=5, points=1, discretion=0.5)
        assert "酌情扣 0.5 分" in out.explanation

    def test_discretion_cannot_go_below_zero(self):
        assert score("ratio", 2, "≥10", "1", discretion=5) == D(0)

    def test_cap_at_weight(self):
        assert finish(Outcome(computed=D(12)), D(10), None).computed == D(10)
        assert finish(Outcome(computed=D(-3)), D(10), None).computed == D(0)
        assert score("ratio", 10, "≥10", "30") == D(10)  # over-achievement
        assert score("budget_execution", 10, rate=130) == D(10)

    def test_half_up_rounding_of_scores(self):
        assert finish(Outcome(computed=D("2.675")), D(10), None).computed == D("2.68")
        assert finish(Outcome(computed=D("0.125")), D(10), None).computed == D("0.13")

    def test_seed_002_discretion(self, seeds):
        leaf = seed_leaf(seeds, "dapeng-treasury-funds", "系统正常运转率")
        assert (leaf.computed, leaf.indicator.score) == (D("1.5"), D("1.5"))
        leaf = seed_leaf(seeds, "dapeng-treasury-funds", "新区政府综合财务报告所提建议采用率")
        assert (leaf.computed, leaf.indicator.score) == (D("3.5"), D("3.5"))

    def test_record_discretion_needs_reason(self, check):
        body = indicator(
            "建议采用率",
            4,
            3.5,
            target="≥50%",
            actual="100%",
            rule='{ kind = "steps", step = 5, points = 1 }',
            reason="",
            extra="discretion = 0.5",
        )
        ev, diags, text = check(body, total=3.5)
        assert ev.leaves[0].computed == D("3.5")
        [w] = codes(diags, "W213")
        assert w.line == line_of(text, "discretion =")
        assert not codes(diags, "W206")
        body = indicator(
            "建议采用率",
            4,
            3.5,
            target="≥50%",
            actual="100%",
            rule='{ kind = "steps", step = 5, points = 1 }',
            reason="所提建议不足3条，酌情扣0.5分",
            extra="discretion = 0.5",
        )
        _, diags, _ = check(body, total=3.5)
        assert not codes(diags, "W213") and not codes(diags, "W204")


def test_every_kind_is_covered():
    tested = {
        "budget_execution",
        "ratio",
        "zero",
        "steps",
        "band",
        "deviation",
        "tiers",
        "levels",
        "checklist",
        "judgement",
    }
    assert set(KINDS) == tested


# ---------------------------------------------------------------------------- parameters, declared once


def test_every_parameter_is_a_rule_field():
    """A rule kind names its parameters; their type, choices and description are the RULE_FIELDS entry."""
    from generator.core.fields import RULE_FIELDS

    fields = {f.name: f for f in RULE_FIELDS}
    for kind in KINDS.values():
        for p in kind.params:
            assert p.field is fields[p.name] and p.kind == fields[p.name].kind
    with pytest.raises(ValueError, match="not in fields.RULE_FIELDS"):
        rule_kind("made_up", "虚构", "", (Param("no_such_parameter"),))


def test_rules_read_their_defaults_from_the_declaration():
    """A default written once in the kind's Param is the one the rule computes with."""
    steps = KINDS["steps"]
    ctx = Context(
        weight=D(2), target=parse("≥24 万笔"), actual=parse("22.08 万笔"), params={"step": D(1), "points": D("0.5")}
    )
    assert steps.defaults == {"partial": "whole"}
    assert steps.compute(ctx).computed == D(1)  # 1.92 short → 2 whole steps
    exact = replace(
        steps, params=tuple(replace(p, default="exact") if p.name == "partial" else p for p in steps.params)
    )
    assert exact.compute(ctx).computed == D("1.04")  # the same body, the other declared default
    assert ctx.params == {"step": D(1), "points": D("0.5")}  # the caller's parameters are left as they were
    budget = KINDS["budget_execution"]
    assert budget.defaults["per_point_pct"] == D(1)
    assert score("budget_execution", 10, rate=90, full_at=95) == D("9.5")  # 5 points × 1 % of 10
