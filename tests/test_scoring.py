"""The scoring engine (generator.scoring): weights, totals, rescaling, grades, exact decimals."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from generator.core.decimals import fmt, percent, q2, to_number
from generator.core.loader import load_file
from generator.core.pipeline import run
from generator.core.schemes import load_library
from generator.core.scoring import derive_weights, evaluate, execution_rate, on_full_scale, published_grade

MD = "## 一、概况\n正文\n"


@pytest.fixture(scope="module")
def library():
    return load_library(None)


@pytest.fixture
def load(tmp_path, write_record, record_head):
    """load(body, head_extra="") → the Record built from the file (asserting it loads)."""

    def go(body: str, head_extra: str = ""):
        path = write_record(tmp_path, record_head + head_extra + "\n" + body, MD)
        record, diags = load_file(str(path))
        assert record is not None, [d.to_text() for d in diags]
        return record

    return go


@pytest.fixture
def validate(tmp_path, write_record, record_head):
    def go(body: str, head_extra: str = ""):
        text = record_head + head_extra + "\n" + body
        path = write_record(tmp_path, text, MD)
        result = run([str(path)])
        return result, text

    return go


def leaves_toml(path: str, names: list[str], weight=None, score=None) -> str:
    out = []
    for n in names:
        out += ["[[indicator]]", f"path = {path}", f'name = "{n}"', 'target = "=1"', 'actual = "=1"']
        if weight is not None:
            out.append(f"weight = {weight}")
        if score is not None:
            out.append(f"score = {score}")
        out.append("")
    return "\n".join(out)


def line_of(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.split("\n"), start=1) if ln.startswith(needle))


# ---------------------------------------------------------------------------- exact decimals


class TestExactDecimals:
    def test_execution_rate_half_up(self):
        assert percent(D("167.23"), D(200)) == D("83.62")  # float arithmetic gives 83.61
        assert round(167.23 / 200 * 100, 2) == 83.61  # …which is why the engine does not use floats

    def test_q2_rounds_half_up(self):
        assert q2(D("83.615")) == D("83.62")
        assert q2(D("2.675")) == D("2.68")
        assert q2(D("0.125")) == D("0.13")
        assert q2(D("0.124")) == D("0.12")

    def test_percent_of_zero_budget_is_none(self):
        assert percent(D(5), D(0)) is None

    def test_plain_rendering(self):
        assert fmt(D("1E+1")) == "10"
        assert fmt(D("2.180")) == "2.18"
        assert fmt(D("96.5")) == "96.5"
        assert to_number(D("80.00")) == 80 and isinstance(to_number(D("80.00")), int)
        assert to_number(D("83.62")) == 83.62

    def test_record_execution_rate(self, load, library):
        record = load("[budget]\nbudget = 200\nexecuted = 167.23\n", "scored = false\n")
        assert execution_rate(record) == D("83.62")
        ev = evaluate(record, library)
        assert ev.execution_rate == D("83.62")
        assert ev.declared_total is None and ev.computed_total is None

    def test_rate_uses_adjusted_budget_else_initial(self, load):
        record = load("[budget]\ninitial = 279.02\nbudget = 414.96\nexecuted = 414.96\n", "scored = false\n")
        assert execution_rate(record) == D(100)
        record = load("[budget]\ninitial = 200\nexecuted = 150\n", "scored = false\n")
        assert execution_rate(record) == D(75)


# ---------------------------------------------------------------------------- derived weights


class TestDerivedWeights:
    @pytest.mark.parametrize(
        "total, count, share, last", [(24, 11, "2.18", "2.20"), (22, 9, "2.44", "2.48"), (8, 4, "2", "2")]
    )
    def test_split_equal(self, load, total, count, share, last):
        body = f'[[group]]\npath = ["产出目标"]\nweight = {total}\nsplit = "equal"\n\n'
        body += leaves_toml('["产出目标"]', [f"指标{i}" for i in range(count)])
        record = load(body, "scored = false\n")
        derived = derive_weights(record)
        weights = [derived[i] for i in range(count)]
        assert weights[:-1] == [D(share)] * (count - 1)
        assert weights[-1] == D(last)
        assert sum(weights) == D(total)

    def test_explicit_weights_are_kept_and_the_rest_is_split(self, load):
        body = '[[group]]\npath = ["产出目标"]\nweight = 10\nsplit = "equal"\n\n'
        body += leaves_toml('["产出目标"]', ["甲"], weight=4) + leaves_toml('["产出目标"]', ["乙", "丙", "丁"])
        record = load(body, "scored = false\n")
        assert derive_weights(record) == {1: D(2), 2: D(2), 3: D(2)}

    def test_evaluated_leaves_carry_derived_weights(self, validate):
        body = '[[group]]\npath = ["产出目标"]\nweight = 24\nsplit = "equal"\n\n'
        body += "".join(leaves_toml('["产出目标"]', [f"指标{i}"], score="2.18" if i < 10 else "2.2") for i in range(11))
        result, _ = validate(body, "total = 24\n")
        [ev] = result.evaluations
        assert [leaf.weight for leaf in ev.leaves] == [D("2.18")] * 10 + [D("2.20")]
        assert all(leaf.weight_derived for leaf in ev.leaves)
        assert ev.computed_total == D(24)
        assert result.ok, [d.to_text() for d in result.diagnostics]
        assert not [d for d in result.diagnostics if d.code in ("W241", "W242", "W244", "W205")]

    def test_seed_suzhou(self, repo_root):
        ev = next(
            e for e in run([str(repo_root / "projects")]).evaluations if e.record.id == "suzhou-egov-construction"
        )
        by_group = {}
        for leaf in ev.leaves:
            by_group.setdefault(leaf.indicator.path[0], []).append(leaf.weight)
        assert by_group["产出目标"] == [D("2.18")] * 10 + [D("2.20")]
        assert by_group["结果目标"] == [D("2.44")] * 8 + [D("2.48")]
        assert by_group["影响力目标"] == [D(2)] * 4


# ---------------------------------------------------------------------------- not applicable

NA_BODY = """\
[[group]]
path = ["产出指标"]
weight = 30

[[indicator]]
path = ["产出指标", "数量指标"]
name = "甲"
target = "≥10 个"
actual = "10 个"
weight = 10
score = 10

[[indicator]]
path = ["产出指标", "数量指标"]
name = "乙"
target = "≥10 个"
actual = "8 个"
weight = 10
score = 8
reason = "未全部完成"

[[indicator]]
path = ["产出指标", "质量指标"]
name = "丙"
target = "≥10 个"
weight = 10
applicable = false
"""


class TestNotApplicable:
    def test_total_rescaled_over_applicable_weights(self, validate):
        result, _ = validate(NA_BODY, "total = 27\n")
        [ev] = result.evaluations
        # Σ applicable scores ÷ Σ applicable weights × max = 18 ÷ 20 × 30
        assert ev.max_score == D(30)
        assert ev.computed_total == D(27)
        assert not [d for d in result.diagnostics if d.code == "W205"]

    def test_group_weights_include_the_dropped_indicator(self, validate):
        # the form declares 30 for the group although one indicator does not apply: no W241/W242
        result, _ = validate(NA_BODY, "total = 27\n")
        assert result.ok, [d.to_text() for d in result.diagnostics]
        assert not [d for d in result.diagnostics if d.code in ("W241", "W242", "W215", "W204")]

    def test_published_total_compared_after_rescaling(self, validate):
        result, text = validate(NA_BODY, "total = 18\n")
        [w] = [d for d in result.diagnostics if d.code == "W205"]
        assert w.line == line_of(text, "total =")
        assert "27" in w.message

    def test_rescaled_to_100(self, validate):
        body = (
            NA_BODY.replace("weight = 30", "weight = 100")
            .replace('actual = "10 个"\nweight = 10\nscore = 10', 'actual = "10 个"\nweight = 50\nscore = 50')
            .replace('actual = "8 个"\nweight = 10\nscore = 8', 'actual = "8 个"\nweight = 40\nscore = 32')
        )
        result, _ = validate(body, "total = 91.11\n")
        [ev] = result.evaluations
        assert [leaf.weight for leaf in ev.leaves] == [D(50), D(40), D(10)]
        assert ev.computed_total == D("91.11")  # 82 ÷ 90 × 100
        assert not [d for d in result.diagnostics if d.code in ("W241", "W242", "W205")]

    def test_one_rescaling_for_the_computed_and_the_expected_total(self, validate):
        # scoring's computed total and the W205 check's expected total both come from on_full_scale
        result, _ = validate(NA_BODY.replace("score = 8\n", "score = 7\n"), "total = 25.5\n")
        [ev] = result.evaluations
        assert ev.declared_sum == D(17)
        assert ev.expected_total == on_full_scale(D(17), ev.leaves, ev.max_score) == D("25.5")  # 17 ÷ 20 × 30
        assert not [d for d in result.diagnostics if d.code == "W205"]

    def test_nothing_to_rescale_when_every_indicator_applies(self, validate):
        result, _ = validate(NA_BODY.replace("applicable = false\n", "score = 10\n"), "total = 28\n")
        [ev] = result.evaluations
        assert on_full_scale(D("28.123"), ev.leaves, ev.max_score) == D("28.123")  # unchanged, not rounded
        assert ev.expected_total == D(28)


# ---------------------------------------------------------------------------- totals and grades


class TestTotalsAndGrades:
    @pytest.mark.parametrize(
        "bands, total, grade",
        [
            ("national4", "90", "优"),
            ("national4", "89.5", "良"),
            ("national4", "80", "良"),
            ("national4", "79.99", "中"),
            ("national4", "65", "中"),
            ("national4", "59.9", "差"),
            ("five", "89.5", "良"),
            ("five", "75", "中"),
            ("five", "65", "低"),
            ("five", "60", "低"),
            ("five", "59", "差"),
            ("five", "96.5", "优"),
        ],
    )
    def test_grade_bands(self, library, bands, total, grade):
        assert library.grade_bands[bands].grade(D(total), D(100)) == grade

    def test_grade_scaled_to_100_when_max_differs(self, library):
        bands = library.grade_bands["national4"]
        assert bands.grade(D(80), D(80)) == "优"
        assert bands.grade(D(72), D(80)) == "优"  # 90 on a 100 scale
        assert bands.grade(D("71.9"), D(80)) == "良"

    def test_wrong_published_grade(self, validate):
        body = leaves_toml('["产出指标"]', ["甲"], weight=100, score=85)
        result, text = validate(body, 'total = 85\ngrade = "优"\n')
        [w] = [d for d in result.diagnostics if d.code == "W212"]
        assert w.line == line_of(text, "grade =")
        assert "良" in w.message
        result, _ = validate(body, 'total = 85\ngrade = "良"\n')
        assert not [d for d in result.diagnostics if d.code == "W212"]
        result, text = validate(body, 'total = 85\ngrade = "良"\ngrade_bands = "five"\n')
        assert not [d for d in result.diagnostics if d.code == "W212"]

    def test_published_grade_is_the_stated_one_else_the_banded_total(self, validate):
        body = leaves_toml('["产出指标"]', ["甲"], weight=100, score=85)
        result, _ = validate(body, 'total = 85\ngrade = "优"\n')
        assert published_grade(result.evaluations[0]) == "优"  # as published, even where W212 disagrees
        result, _ = validate(body, "total = 85\n")
        assert published_grade(result.evaluations[0]) == "良"
        result, _ = validate(body, 'total = 85\ngrade_bands = "five"\n')
        assert published_grade(result.evaluations[0]) == "良"
        unscored = '[[indicator]]\npath = ["产出指标"]\nname = "甲"\ntarget = "=1"\nactual = "=1"\n'
        result, _ = validate(unscored, 'scored = false\ngrade = "优"\n')
        assert published_grade(result.evaluations[0]) is None  # an unscored record shows no grade

    def test_five_band_grade_on_record(self, validate):
        body = leaves_toml('["产出指标"]', ["甲"], weight=100, score=65)
        result, text = validate(body, 'total = 65\ngrade = "中"\ngrade_bands = "five"\n')
        [w] = [d for d in result.diagnostics if d.code == "W212"]
        assert "低" in w.message
        assert result.evaluations[0].bands.name == "five"

    def test_total_not_sum(self, validate):
        body = leaves_toml('["产出指标"]', ["甲", "乙"], weight=50, score=50)
        result, text = validate(body, "total = 90\n")
        [w] = [d for d in result.diagnostics if d.code == "W205"]
        assert w.line == line_of(text, "total =")
        assert result.evaluations[0].declared_sum == D(100)

    def test_computed_total_uses_rules_and_published_choices(self, validate):
        body = (
            leaves_toml('["产出指标"]', ["甲"], weight=50, score=50)
            + '[[indicator]]\npath = ["效益指标"]\nname = "乙"\ntarget = "明显提升"\nactual = "有所提升"\nweight = 50\nscore = 45\n'
            'reason = "部分达成"\nrule = "judgement"\n'
        )
        result, _ = validate(body, "total = 95\n")
        [ev] = result.evaluations
        assert ev.computed_total == D(95)
        assert ev.grade == "优"

    def test_max_score_from_scheme(self, validate):
        body = leaves_toml('["投入目标"]', ["甲"], weight=80, score=80)
        result, _ = validate(body, 'scheme = "suzhou-self"\ntotal = 80\n')
        [ev] = result.evaluations
        assert ev.max_score == D(80)
        assert ev.grade == "优"

    def test_unknown_scheme(self, validate):
        body = leaves_toml('["产出指标"]', ["甲"], weight=100, score=100)
        result, text = validate(body, 'scheme = "national-selff"\ntotal = 100\n')
        [e] = [d for d in result.diagnostics if d.code == "E122"]
        assert e.line == line_of(text, "scheme =")
        assert not result.ok

    def test_branch_rule_from_scheme_template(self, validate):
        # suzhou-self: 结果目标 leaves default to the 苏州结果类 band (no upper limit)
        body = (
            '[[group]]\npath = ["结果目标"]\nweight = 22\nsplit = "equal"\n\n'
            + leaves_toml('["结果目标"]', ["甲"]).replace(
                'target = "=1"\nactual = "=1"', 'target = "≥10 个"\nactual = "=50 个"'
            )
            + "score = 22\n"
        )
        result, _ = validate(body, 'scheme = "suzhou-self"\nmax_score = 22\ntotal = 22\n')
        [ev] = result.evaluations
        assert ev.leaves[0].rule_label == "苏州结果类"
        assert ev.leaves[0].computed == D(22)  # 500 % is not penalised without an upper limit


# ---------------------------------------------------------------------------- seeds


@pytest.fixture(scope="module")
def seed_evaluations(repo_root):
    return {ev.record.id: ev for ev in run([str(repo_root / "projects")]).evaluations}


@pytest.mark.parametrize(
    "record_id, declared, computed, max_score, grade",
    [
        # the two 成本指标 rows (4.5 and 18 万元, 0 spent, published 0) are ceilings: 5 each by the rule (issue 11)
        ("bayannur-treasury-epay", "80", "80", "100", "良"),
        ("dapeng-treasury-funds", "96.5", "96.5", "100", "优"),
        ("fumin-finance-platforms", "95.4", "96", "100", "优"),
        ("suzhou-egov-construction", "80", "77.9", "80", "优"),
    ],
)
def test_seed_totals(seed_evaluations, record_id, declared, computed, max_score, grade):
    ev = seed_evaluations[record_id]
    assert ev.declared_total == D(declared)
    assert ev.computed_total == D(computed)
    assert ev.max_score == D(max_score)
    assert ev.grade == grade


def test_seed_unscored(seed_evaluations):
    ev = seed_evaluations["caidian-jincai"]
    assert ev.declared_total is None and ev.computed_total is None and ev.grade is None
    assert ev.execution_rate == D("83.62")
    assert all(leaf.computed is None for leaf in ev.leaves)


def test_benchmark_records_are_valid_and_mostly_consistent(tmp_path):
    # generator.bench measures the whole path only if its synthetic records load and score
    from generator.bench.synthetic import write_records

    projects = write_records(tmp_path, 40, seed=7)
    result = run([str(projects)])
    assert len(result.evaluations) == 40
    assert not [d for d in result.diagnostics if d.code.startswith(("E0", "E1"))]
    leaves = [leaf for ev in result.evaluations for leaf in ev.leaves]
    assert 20 * 40 <= len(leaves) <= 50 * 40
    assert {leaf.kind for leaf in leaves} >= {
        "ratio",
        "steps",
        "band",
        "tiers",
        "levels",
        "checklist",
        "judgement",
        "budget_execution",
    }
    w206 = [d for d in result.diagnostics if d.code == "W206"]
    assert 0 < len(w206) < len(leaves) * 0.1  # some deliberate inconsistencies, not noise
