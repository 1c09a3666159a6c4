"""Real forms as printed (issue 11, items 3–5): rule direction from the target, actuals that cannot verify a
score, three-column targets, «其中» sub-rows, a zeroed budget total row, rounding at the table's precision, and
level-1 weights against the form's note and the scheme. Each test runs whole records through the pipeline and
looks at what an editor and the public are told."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from generator.core.pipeline import run
from generator.core.quantity import parse
from generator.core.rounding import Verdict, compare, round_score
from generator.core.rules import KINDS, Context, finish
from generator.render.project import finding_groups

MD = "## 一、概况\n\n正文\n"


@pytest.fixture
def check(tmp_path, write_record, record_head):
    """check(body, head="") → (evaluation, diagnostics) of a one-file record."""

    def go(body: str, head: str = ""):
        path = write_record(tmp_path, record_head + head + "\n" + body, MD)
        result = run([str(path)])
        assert len(result.evaluations) == 1, [d.to_text() for d in result.diagnostics]
        return result.evaluations[0], result.diagnostics

    return go


def row(name, target=None, actual=None, weight=10, score=None, path='["产出指标", "数量指标"]', extra=""):
    out = ["[[indicator]]", f"path = {path}", f'name = "{name}"']
    if target is not None:
        out.append(f"target = {target}" if target.startswith("{") else f'target = "{target}"')
    if actual is not None:
        out.append(f'actual = "{actual}"')
    out.append(f"weight = {weight}")
    if score is not None:
        out.append(f"score = {score}")
        if D(str(score)) < D(str(weight)):
            out.append('reason = "有扣分"')
    if extra:
        out.append(extra)
    return "\n".join(out) + "\n\n"


def leaf(ev, name):
    [found] = [lf for lf in ev.leaves if lf.indicator.name == name]
    return found


def codes(diags, code):
    return [d for d in diags if d.code == code]


# ---------------------------------------------------------------------------- direction from the target


class TestDirection:
    @pytest.mark.parametrize(
        "target, actual, expected",
        [
            ("=100%", "100%", "10"),
            ("=100%", "80%", "8"),  # below an exact target: as higher-is-better
            ("=100%", "125%", "8"),  # above it: as lower-is-better, target ÷ actual
            ("═5000元", "4000元", "8"),
            ("＝5000元", "6250元", "8"),
            ("≤10万元", "13万元", "7.69"),  # overspending a ceiling loses points
            ("＜48小时", "60小时", "8"),
            ("≤10万元", "9万元", "10"),
        ],
    )
    def test_operator_gives_the_rule_its_direction(self, check, target, actual, expected):
        ev, _ = check(row("指标", target, actual))
        assert leaf(ev, "指标").computed == D(expected)

    def test_cost_indicator_without_operator_is_a_ceiling(self, check):
        """Target 10万元, actual 13万元 under 成本指标: deductions, not full marks."""
        body = row("项目成本", "10万元", "13万元", score=10, path='["产出指标", "成本指标"]')
        body += row("单位成本", "80元/人", "100元/人", score=10, path='["产出指标", "经济成本指标"]')
        ev, diags = check(body, "total = 20\n")
        assert leaf(ev, "项目成本").direction == "lower" and leaf(ev, "项目成本").computed == D("7.69")
        assert leaf(ev, "单位成本").computed == D(8)
        [w206] = [d for d in codes(diags, "W206") if "项目成本" in d.message]
        assert "复核为 7.69 分" in w206.public and "完成值不超过目标值得满分，超出时按 目标值 ÷ 完成值" in w206.public

    def test_an_explicit_operator_wins_over_the_cost_default(self, check):
        ev, _ = check(row("节约额", "≥10万元", "8万元", path='["产出指标", "成本指标"]'))
        assert leaf(ev, "节约额").direction == "higher" and leaf(ev, "节约额").computed == D(8)

    def test_the_rules_own_direction_wins_over_everything(self, check):
        body = row(
            "成本",
            "10万元",
            "13万元",
            path='["产出指标", "成本指标"]',
            extra='rule = { kind = "ratio", direction = "higher" }',
        )
        ev, _ = check(body)
        assert leaf(ev, "成本").computed == D(10)

    def test_a_rate_under_cost_indicators_keeps_the_default(self, check):
        ev, _ = check(row("成本节约率", "5%", "6%", path='["产出指标", "成本指标"]'))
        assert leaf(ev, "成本节约率").direction is None and leaf(ev, "成本节约率").computed == D(10)

    def test_a_plain_target_elsewhere_is_higher_is_better(self, check):
        ev, _ = check(row("数量", "10个", "13个"))
        assert leaf(ev, "数量").direction is None and leaf(ev, "数量").computed == D(10)

    def test_steps_deduct_either_side_of_an_exact_target(self, check):
        rule = 'rule = { kind = "steps", step = 1, points = 1 }'
        ev, _ = check(row("低", "=8个", "6个", extra=rule) + row("高", "=8个", "11个", extra=rule))
        assert leaf(ev, "低").computed == D(8) and leaf(ev, "高").computed == D(7)

    def test_public_words_follow_the_direction(self):
        from generator.core.rules import public_rule

        assert public_rule({"kind": "ratio"}, parse("=100%")).startswith("完成值等于目标值得满分")
        assert public_rule({"kind": "ratio"}, parse("10万元"), "lower").startswith("完成值不超过目标值得满分")
        steps = {"kind": "steps", "step": 1, "points": D("0.5")}
        assert public_rule(steps, parse("=8个")).startswith("等于目标值得满分，每偏离 1 个扣 0.5 分")


# ---------------------------------------------------------------------------- unverifiable actuals


class TestUnverifiable:
    def test_an_actual_copied_from_its_target_is_not_scored(self, check):
        ev, diags = check(
            row("长度", "≥200米", "≥200米", score=10) + row("宽度", "≥50厘米", "60厘米", score=10), "total = 20\n"
        )
        copied = leaf(ev, "长度")
        assert copied.computed is None and copied.unverifiable == "完成值照抄目标值"
        [w210] = codes(diags, "W210")
        assert "本站无法据此核对得分" in w210.public
        assert not codes(diags, "W206") and not codes(diags, "I207")
        assert ev.computed_total == D(20)  # the published score stands in, as for any row no rule recomputes

    def test_a_copy_in_another_notation_is_a_copy(self, check):
        ev, diags = check(row("满意度", "≥95%", "≧95％", score=10), "total = 10\n")
        assert leaf(ev, "满意度").computed is None and codes(diags, "W210")

    def test_a_copied_actual_no_longer_passes_a_wrong_score(self, check):
        """A copy used to score full marks "as verified": a published 6 of 10 went unremarked either way; now the
        page says the score could not be checked rather than showing a recomputed 10."""
        ev, _ = check(row("长度", "≥200米", "≥200米", score=6), "total = 6\n")
        assert leaf(ev, "长度").computed is None

    def test_unreadable_notation_is_flagged_not_scored(self, check):
        ev, diags = check(row("比例", "^80%", "80%", score=10), "total = 10\n")
        assert leaf(ev, "比例").computed is None
        [w240] = codes(diags, "W260")
        assert "“^”" in w240.public and "本站不按评分规则核对该项得分" in w240.public

    def test_units_that_convert_are_compared_in_the_targets_unit(self, check):
        ev, diags = check(row("投入", "≤10万元", "130000元", path='["产出指标", "成本指标"]'))
        out = leaf(ev, "投入").outcome
        assert out.computed == D("7.69") and "按 13 万元计" in out.explanation
        assert not codes(diags, "W211")

    def test_units_that_do_not_convert_are_flagged_not_scored(self, check):
        ev, diags = check(row("数量", "≥5个", "6项", score=10), "total = 10\n")
        assert leaf(ev, "数量").computed is None
        [w211] = codes(diags, "W211")
        assert "不按评分规则核对" in w211.public

    def test_blank_target_and_actual_with_full_marks(self, check):
        body = row("工程质量合格", "未公布", "未公布", score=10) + row("制度健全", weight=10, score=10)
        body += row("按标准评", weight=10, score=10, extra='criteria = "有制度得满分"')
        ev, diags = check(body, "total = 30\n")
        found = {d.message.split("”")[0][3:] for d in codes(diags, "W262")}
        assert found == {"工程质量合格", "制度健全"}  # a row scored against its own criteria is not
        [w242] = [d for d in codes(diags, "W262") if "工程质量合格" in d.message]
        assert w242.public == "指标“工程质量合格”：公布材料没有给出目标值和完成值，该项得满分 10 分，本站无法核实。"
        assert not [d for d in diags if d.code == "I219"]

    def test_blank_values_without_full_marks_are_only_noted(self, check):
        ev, diags = check(row("工程质量合格", "≥1个", weight=10, score=8, extra='rule = "ratio"'), "total = 8\n")
        assert not codes(diags, "W262") and codes(diags, "I219")

    def test_text_target_met_but_deducted(self, check):
        body = row("制度", "健全", "健全。", score=8) + row("效果", "明显提升", "有所提升", score=8)
        _, diags = check(body, "total = 16\n")
        [w243] = codes(diags, "W263")
        assert "“制度”" in w243.message
        assert w243.public == "指标“制度”：公布的完成值“健全。”与目标值相同，公布得分 8 分，低于分值 10 分。"


# ---------------------------------------------------------------------------- three-column targets


def test_three_column_targets_score_as_their_string(check):
    as_string = row("覆盖率", "≥95%", "90%") + row("知晓率", "═100%", "98%") + row("人数", "≧735人次", "700人次")
    as_columns = (
        row("覆盖率", '{ nature = "≥", value = "95", unit = "%" }', "90%")
        + row("知晓率", '{ nature = "═", value = 100, unit = "%" }', "98%")
        + row("人数", '{ nature = "≧", value = "735", unit = "人次" }', "700人次")
    )
    a, _ = check(as_string)
    b, _ = check(as_columns)
    for x, y in zip(a.leaves, b.leaves):
        assert (x.target.op, x.target.value, x.target.unit, x.direction) == (
            y.target.op,
            y.target.value,
            y.target.unit,
            y.direction,
        )
        assert x.outcome.exact == y.outcome.exact and x.outcome.explanation == y.outcome.explanation
    columns = b.leaves[1].indicator.target
    assert (columns.nature, columns.value, columns.unit) == ("═", "100", "%")  # recorded as written


def test_three_column_target_needs_its_value(tmp_path, write_record, record_head):
    path = write_record(tmp_path, record_head + row("指标", '{ nature = "≥", unit = "%" }'), MD)
    result = run([str(path)])
    # the missing value is the one error about the target (the record, built anyway, also lacks scores and a total)
    about_target = [d for d in result.diagnostics if "target" in d.message or "value" in d.message]
    assert [d.code for d in about_target] == ["E101"] and "value" in about_target[0].message


# ---------------------------------------------------------------------------- «其中» sub-rows


def parts(*rows):
    return "".join(
        "[[indicator.parts]]\n"
        + f'name = "{n}"\n'
        + (f'target = "{t}"\n' if t else "")
        + (f'actual = "{a}"\n' if a else "")
        + extra
        + "\n"
        for n, t, a, extra in rows
    )


class TestParts:
    def test_parts_that_add_up_pass(self, check):
        body = row("种植面积", "29.5亩", "29.5亩") + parts(
            ("其中桃树", "1.5亩", "1.5亩", ""),
            ("其中苹果", "5亩", "5亩", ""),
            ("其中露天蔬菜", "20亩", "20亩", ""),
            ("其中大棚", "3亩", "3亩", ""),
        )
        body += row("鱼塘", "3亩", "3亩") + parts(("其中鱼塘养殖面积", "3亩", "3亩", ""))
        body += row("资金", "≤2万元", "2万元") + parts(
            ("其中设备", "15000元", "15000元", ""), ("其中服务", "0.5万元", "5000元", "")
        )
        _, diags = check(body)
        assert not [d for d in diags if d.code in ("W267", "W268")]

    def test_mixed_units_are_flagged(self, check):
        body = row("养殖数量", "192只", "192只") + parts(
            ("其中羊", "180只", "180只", ""), ("其中猪", "12头", "12头", "")
        )
        _, diags = check(body)
        [w247] = codes(diags, "W267")
        assert "“只”、“头”" in w247.public and not codes(diags, "W268")

    def test_parts_that_do_not_add_up(self, check):
        body = row("人数", "100人", "90人") + parts(("其中男", "60人", "50人", ""), ("其中女", "50人", "40人", ""))
        _, diags = check(body)
        found = {d.message.split("子行")[1][:3] for d in codes(diags, "W268")}
        assert found == {"目标值"}  # 60 + 50 = 110 ≠ 100; 50 + 40 = 90 agrees
        [w248] = codes(diags, "W268")
        assert w248.public == "指标“人数”：其下“其中”各行的目标值相加为 110人，与该指标公布的目标值 100人不符。"

    def test_one_part_may_be_a_share_but_not_more_than_the_whole(self, check):
        _, diags = check(row("受益人数", "1000人", "1000人") + parts(("其中脱贫人口", "300人", "300人", "")))
        assert not codes(diags, "W268")
        _, diags = check(row("受益人数", "1000人", "1000人") + parts(("其中脱贫人口", "1300人", "300人", "")))
        assert len(codes(diags, "W268")) == 1

    def test_part_weights_and_scores_add_up_to_the_row(self, check):
        body = row("数量", "10个", "10个", weight=10, score=10) + parts(
            ("其中一", "5个", "5个", "weight = 5\nscore = 5\n"), ("其中二", "5个", "5个", "weight = 4\nscore = 5\n")
        )
        _, diags = check(body, "total = 10\n")
        [w248] = codes(diags, "W268")
        assert "分值" in w248.message and "9" in w248.message


# ---------------------------------------------------------------------------- a zeroed budget total row


ZEROED = """
[budget]
unit = "万元"
initial = 0
budget = 0
executed = 0
rate = 0

[[budget.sources]]
name = "本年财政拨款"
initial = 90
budget = 89.974
executed = 89.974
"""


def test_zeroed_total_row_is_not_scored_from_the_zero(check):
    body = ZEROED + row("预算执行率", actual="0", weight=10, score=0, path="[]", extra='rule = "预算执行率"')
    ev, diags = check(body, 'total = 0\nscheme = "national-self"\nmax_score = 10\n')
    execution = leaf(ev, "预算执行率")
    assert execution.computed is None and execution.unverifiable
    [w249] = codes(diags, "W269")
    assert "89.974 万元" in w249.public and "本站不核对该项得分" in w249.public
    assert codes(diags, "W302")  # the 其中 rows against the total row, as before
    assert "W269" in {d.code for d in diags} and ("得分核对", [w249.public]) in [
        (h, [t for t in texts if "合计行" in t]) for h, texts in finding_groups(ev.diagnostics)
    ]


def test_a_total_row_with_money_is_scored_as_before(check):
    body = "[budget]\nbudget = 100\nexecuted = 90\n" + row(
        "预算执行率", weight=10, score=9, path="[]", extra='rule = "预算执行率"'
    )
    ev, diags = check(body, "total = 9\n")
    assert leaf(ev, "预算执行率").computed == D(9) and not codes(diags, "W269")


# ---------------------------------------------------------------------------- rounding


class TestRounding:
    @pytest.mark.parametrize(
        "exact, places, convention, expected",
        [
            ("8.645", 1, "half_up", "8.6"),  # not 8.65 then 8.7
            ("8.65", 1, "half_up", "8.7"),
            ("2.675", 2, "half_up", "2.68"),
            ("2.6749", 2, "half_up", "2.67"),
            ("8.69", 1, "truncate", "8.6"),
            ("8.62", 0, "truncate", "8"),
            ("8.5", 1, "whole", "9"),  # whole points, whatever the places
            ("8.49", 2, "whole", "8"),
        ],
    )
    def test_round_once(self, exact, places, convention, expected):
        assert round_score(D(exact), places, convention) == D(expected)

    def test_verdicts(self):
        assert compare(D("8.6"), D("8.645"), 1) is Verdict.ROUNDED
        assert compare(D("8.7"), D("8.645"), 1) is Verdict.DIFFERENT
        assert compare(D("8.65"), D("8.645"), 2) is Verdict.SAME
        assert compare(D("9"), D("8.62"), 0) is Verdict.ROUNDED
        assert compare(D("9"), D("8.62"), 1) is Verdict.DIFFERENT  # a table scored to one decimal
        assert compare(D("8"), D("8.62"), 0, "truncate") is Verdict.ROUNDED
        assert compare(D("9"), D("8.62"), 0, "truncate") is Verdict.DIFFERENT

    @staticmethod
    def _half_way():
        """A rule whose exact score is 8.645 (86.45 % of 10)."""
        return row("执行率", actual="86.45%", weight=10, path="[]", extra='rule = "预算执行率"')

    def test_half_way_case_at_one_place_is_not_flagged(self, check):
        ev, diags = check(
            self._half_way().replace("weight = 10", 'weight = 10\nscore = 8.6\nreason = "未执行完"'), "total = 8.6\n"
        )
        assert leaf(ev, "执行率").outcome.exact == D("8.645")
        assert not codes(diags, "W206") and [d.code for d in diags if d.code == "I207"] == ["I207"]

    def test_half_way_case_at_two_places(self, check):
        _, diags = check(
            self._half_way().replace("weight = 10", 'weight = 10\nscore = 8.65\nreason = "未执行完"'), "total = 8.65\n"
        )
        assert not codes(diags, "W206") and not codes(diags, "I207")

    def test_precision_is_the_tables_not_the_cells(self, check):
        """A score printed without decimals in a table scored to one decimal is a deduction, not rounding."""
        body = row("工程资金", "43.2", "37.24", score=9) + row("质量", "100", "99", score=9.9)
        ev, diags = check(body, "total = 18.9\n")
        assert ev.score_places == 1
        [w206] = codes(diags, "W206")
        assert "工程资金" in w206.message and not codes(diags, "I207")

    def test_declared_precision_and_convention(self, check):
        body = row("工程资金", "43.2", "37.24", score=9) + row("质量", "100", "99", score=9.9)
        _, diags = check(body, "total = 18.9\n\n[form]\nscore_places = 0\n")
        assert [d.code for d in diags if d.code in ("I207", "W206")] == ["I207"]  # 8.62 → 9; 9.9 read at its own
        _, diags = check(row("工程资金", "43.2", "37.24", score=8), 'total = 8\n\n[form]\nrounding = "truncate"\n')
        assert [d.code for d in diags if d.code in ("I207", "W206")] == ["I207"]
        _, diags = check(row("工程资金", "43.2", "37.24", score=8.6), 'total = 8.6\n\n[form]\nrounding = "whole"\n')
        assert [d.code for d in diags if d.code in ("I207", "W206")] == ["I207"]  # 8.6 is finer than whole points

    def test_rule_outcome_keeps_the_exact_score(self):
        ctx = Context(weight=D(10), target=parse("43.2"), actual=parse("37.24"), params={})
        out = finish(KINDS["ratio"].compute(ctx), D(10), None)
        assert out.computed == D("8.62") and out.exact == D("37.24") / D("43.2") * 10


# ---------------------------------------------------------------------------- level-1 weights


GROUPS = """
[[group]]
path = ["产出指标"]
weight = {out}

[[group]]
path = ["效益指标"]
weight = {benefit}
"""


def weights_body(out=70, benefit=20, execution=10):
    body = GROUPS.format(out=out, benefit=benefit)
    body += row("预算执行率", weight=execution, score=execution, path="[]", extra='rule = "judgement"')
    body += row("产出", "1个", "1个", weight=out, score=out, path='["产出指标"]')
    body += row("效益", "1个", "1个", weight=benefit, score=benefit, path='["效益指标"]')
    return body


class TestWeights:
    def test_weight_note_on_the_form(self, check):
        note = '\n[form]\nweight_note = "一级指标分值统一设置为:产出指标50分、效益指标30分、预算资金执行率10分"\n'
        _, diags = check(weights_body(), "total = 100\n" + note)
        [w244] = codes(diags, "W264")
        assert "产出指标 70 分（表上注明 50 分）" in w244.public and "效益指标 20 分（表上注明 30 分）" in w244.public
        assert "预算执行率" not in w244.public  # 预算资金执行率 10 分 is the 预算执行率 row: it agrees

    def test_weight_note_that_agrees(self, check):
        note = '\n[form]\nweight_note = "预算执行情况(10分)；绩效指标(90分)"\n'
        _, diags = check(weights_body(), "total = 100\n" + note)
        assert not codes(diags, "W264")  # 绩效指标 90 covers 产出 70 + 效益 20
        _, diags = check(weights_body(60, 20), "total = 90\n" + note)
        [w244] = codes(diags, "W264")
        assert "产出指标、效益指标合计 80 分（表上注明“绩效指标”90 分）" in w244.public

    def test_usual_scheme_weights_are_an_editors_note_only(self, check):
        ev, diags = check(weights_body(), 'total = 100\nscheme = "national-self"\n')
        [i246] = codes(diags, "I266")
        assert "产出指标 70 分（方案 50 分）" in i246.message
        assert all("方案" not in t for _, texts in finding_groups(ev.diagnostics) for t in texts)  # not public

    def test_binding_scheme_weights_warn_publicly(self, check, tmp_path):
        scheme = tmp_path / "projects" / "schemes"
        scheme.mkdir(parents=True)
        (scheme / "fixed.toml").write_text(
            '[schemes.fixed]\ntitle = "某市自评"\nbinding_weights = true\n'
            'groups = [{ path = ["产出指标"], weight = 50 }, { path = ["效益指标"], weight = 40 }]\n',
            encoding="utf-8",
        )
        ev, diags = check(weights_body(), 'total = 100\nscheme = "fixed"\n')
        [w245] = codes(diags, "W265")
        assert (
            w245.public
            == "按评分方案“某市自评”，一级指标的分值应为产出指标 50 分、效益指标 40 分，表中为产出指标 70 分、效益指标 20 分。"
        )
        assert not codes(diags, "I266")

    def test_builtin_suzhou_weights_are_binding(self):
        from generator.core.schemes import load_library

        lib = load_library(None)
        assert lib.schemes["suzhou-self"].binding_weights and not lib.schemes["national-self"].binding_weights

    def test_binding_weights_must_be_true_or_false(self, tmp_path):
        from generator.core.schemes import load_library

        (tmp_path / "schemes").mkdir()
        (tmp_path / "schemes" / "bad.toml").write_text('[schemes.bad]\nbinding_weights = "yes"\n', encoding="utf-8")
        lib = load_library(str(tmp_path))
        assert [d.code for d in lib.diagnostics] == ["E125"] and "binding_weights" in lib.diagnostics[0].message
