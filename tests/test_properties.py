"""Properties over generated inputs (hypothesis): score bounds, monotonicity, round trips, positions."""

from __future__ import annotations

from decimal import Decimal as D

import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.core.decimals import fmt
from generator.core.quantity import Quantity, parse
from generator.core.rules import KINDS, Context, check_params, finish
from generator.core.toml_positions import build_index

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------------------- strategies: rules


def decimals(lo, hi, places=2):
    return st.decimals(min_value=lo, max_value=hi, places=places, allow_nan=False, allow_infinity=False)


weights = decimals(0, 100)
amounts = decimals(0, 10**6)
signed_amounts = decimals(-1000, 10**6)
percents = decimals(0, 100)
OPS = ["", "≥", "＞", "≤", "＜", "=", "═", "不低于", "以内", "\\geq "]
UNITS = ["", "%", "万笔", "小时", "个", "万元", "次"]


@st.composite
def quantity_text(draw, values=amounts):
    op = draw(st.sampled_from(OPS))
    value = fmt(draw(values))
    unit = draw(st.sampled_from(UNITS))
    if op == "以内":
        return f"{value}{unit}以内"
    return f"{op}{value} {unit}".strip()


names = st.sampled_from(["好", "较好", "一般", "较差", "差", "达成", "部分达成", "未达成"])


@st.composite
def rule_case(draw):
    """(kind, params, level, failed, execution_rate) with parameters check_params accepts."""
    kind = draw(st.sampled_from(sorted(KINDS)))
    params: dict = {}
    level = failed = rate = None
    opt = lambda name, strategy: params.__setitem__(name, draw(strategy)) if draw(st.booleans()) else None  # noqa: E731
    if kind == "budget_execution":
        if draw(st.booleans()):
            params["full_at"] = draw(percents)
            opt("per_point_pct", decimals(0, 10))
            opt("zero_below", percents)
            opt("partial", st.sampled_from(["whole", "exact"]))
        if draw(st.booleans()):
            rate = draw(decimals(0, 300))
    elif kind == "ratio":
        opt("direction", st.sampled_from(["higher", "lower", "equal"]))
        opt("lower_mode", st.sampled_from(["inverse", "linear"]))
    elif kind == "steps":
        params["step"] = draw(decimals(D("0.01"), 100))
        if draw(st.booleans()):
            params["points"] = draw(decimals(0, 10))
        else:
            params["pct"] = draw(decimals(0, 100))
        opt("base", amounts)
        opt("direction", st.sampled_from(["higher", "lower", "equal"]))
        opt("partial", st.sampled_from(["whole", "exact"]))
    elif kind == "band":
        params["below_pct"] = draw(decimals(0, 100))
        low = draw(decimals(0, 200))
        params["low"] = low
        if draw(st.booleans()):
            params["high"] = low + draw(decimals(0, 100))
        opt("above_pct", decimals(0, 100))
        opt("direction", st.sampled_from(["higher", "lower", "equal"]))
        opt("partial", st.sampled_from(["whole", "exact"]))
    elif kind == "deviation":
        limits = sorted(draw(st.lists(decimals(0, 100), min_size=1, max_size=4)))
        params["bands"] = [[lim, draw(percents)] for lim in limits]
    elif kind == "tiers":
        tiers = []
        for name in draw(st.lists(names, min_size=1, max_size=3, unique=True)):
            lo, hi = sorted([draw(percents), draw(percents)])
            tiers.append([name, lo, hi])
        params["tiers"] = tiers
        level = draw(st.one_of(st.none(), names))
    elif kind == "levels":
        params["levels"] = [
            [name, draw(percents)] for name in draw(st.lists(names, min_size=1, max_size=5, unique=True))
        ]
        level = draw(st.one_of(st.none(), names))
    elif kind == "checklist":
        params["points"] = draw(decimals(D("0.1"), 10))
        failed = draw(st.one_of(st.none(), st.integers(0, 50)))
    return kind, params, level, failed, rate


@SETTINGS
@given(
    case=rule_case(),
    weight=weights,
    target=quantity_text(),
    actual=st.one_of(quantity_text(signed_amounts), st.just("明显提升")),
    discretion=st.one_of(st.none(), decimals(0, 10)),
)
def test_score_always_within_zero_and_weight(case, weight, target, actual, discretion):
    kind, params, level, failed, rate = case
    assert not check_params(KINDS[kind], dict(params, kind=kind))
    ctx = Context(
        weight=weight,
        target=parse(target),
        actual=parse(actual),
        params=params,
        level=level,
        failed=failed,
        execution_rate=rate,
    )
    out = finish(KINDS[kind].compute(ctx), weight, discretion)
    if out.computed is not None:
        assert D(0) <= out.computed <= weight
    if out.low is not None:
        assert D(0) <= out.low <= out.high <= weight
    for allowed in out.allowed:
        assert D(0) <= allowed <= weight
    assert out.computed is not None or out.low is not None or out.allowed or out.problem


def _score(kind, params, weight, target, actual_value):
    ctx = Context(weight=weight, target=parse(target), actual=parse(fmt(actual_value)), params=params)
    return finish(KINDS[kind].compute(ctx), weight, None).computed


@SETTINGS
@given(
    weight=weights,
    t=amounts,
    a=signed_amounts,
    b=signed_amounts,
    op=st.sampled_from(["≥", "＞", ""]),
    unit=st.sampled_from(UNITS),
)
def test_positive_ratio_is_monotone(weight, t, a, b, op, unit):
    lo, hi = sorted([a, b])
    target = f"{op}{fmt(t)}{unit}"
    assert _score("ratio", {}, weight, target, lo) <= _score("ratio", {}, weight, target, hi)


@SETTINGS
@given(
    weight=weights,
    t=amounts,
    a=signed_amounts,
    b=signed_amounts,
    op=st.sampled_from(["≥", "＞", ""]),
    step=decimals(D("0.01"), 100),
    points=decimals(0, 5),
    partial=st.sampled_from(["whole", "exact"]),
)
def test_steps_is_monotone(weight, t, a, b, op, step, points, partial):
    lo, hi = sorted([a, b])
    params = {"step": step, "points": points, "partial": partial}
    target = f"{op}{fmt(t)}"
    assert _score("steps", params, weight, target, lo) <= _score("steps", params, weight, target, hi)
    # lower-is-better targets are monotone the other way
    params_lower = dict(params, direction="lower")
    assert _score("steps", params_lower, weight, target, lo) >= _score("steps", params_lower, weight, target, hi)


@SETTINGS
@given(
    weight=weights,
    t=decimals(D("0.01"), 10**6),
    a=signed_amounts,
    b=signed_amounts,
    kind=st.sampled_from(["ratio", "steps"]),
    eq=st.sampled_from(["=", "═", "＝", "$=$"]),
    mode=st.sampled_from(["inverse", "linear"]),
)
def test_an_exact_target_is_best_met_exactly(weight, t, a, b, kind, eq, mode):
    """An "=" target (in any notation): full marks at the target, less the further the actual is from it on
    either side."""
    params = {"lower_mode": mode} if kind == "ratio" else {"step": D(1), "points": D("0.5")}
    target = f"{eq}{fmt(t)}"
    at = _score(kind, params, weight, target, t)
    assert at == weight
    lo, hi = sorted([a, b])
    if hi <= t:  # both below the target: the nearer scores no less
        assert _score(kind, params, weight, target, lo) <= _score(kind, params, weight, target, hi)
    if lo >= t:  # both above it: the nearer scores no less
        assert _score(kind, params, weight, target, hi) <= _score(kind, params, weight, target, lo)


# ---------------------------------------------------------------------------- canonical form round trip

CANON_UNITS = [
    "",
    "%",
    "‰",
    "万笔",
    "小时",
    "个",
    "家",
    "套",
    "万元",
    "亿元",
    "天",
    "分钟",
    "次",
    "平方米",
    "人次",
    "M",
    "km",
    "Mb/s",
]


@SETTINGS
@given(
    op=st.sampled_from([None, ">=", ">", "<=", "<", "="]),
    value=st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=4),
    unit=st.sampled_from(CANON_UNITS),
)
def test_canonical_form_parses_back(op, value, unit):
    q = Quantity(text="", op=op, value=value, unit=unit)
    back = parse(q.canonical())
    assert (back.op, back.value, back.unit) == (op, value, unit)
    assert back.canonical() == q.canonical()


@SETTINGS
@given(text=quantity_text())
def test_canonical_is_a_fixed_point(text):
    q = parse(text)
    assert q.is_numeric
    again = parse(q.canonical())
    assert (again.op, again.value, again.unit) == (q.op, q.value, q.unit)


# ---------------------------------------------------------------------------- toml_positions

# String content that tends to confuse line scanners: quotes, comment and table characters, `key = value` lines,
# and Unicode line/paragraph separators that str.splitlines() would treat as line breaks.
TRICKY = list("#[]{}=\"'\\,. \t中文指标") + ["\u2028", "\u2029", "\x85", "[[indicator]]", "k = 1", '"""', "\\\\"]
text_chars = st.one_of(
    st.sampled_from(TRICKY),
    st.characters(
        min_codepoint=0x20, max_codepoint=0x2FFF, blacklist_characters="\x7f", blacklist_categories=("Cs", "Cc")
    ),
)
content = st.lists(text_chars, max_size=8).map("".join)


def basic(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'


@st.composite
def toml_value(draw, depth=0) -> str:
    choices = ["int", "float", "bool", "basic", "literal", "ml_basic", "ml_literal"]
    if depth < 2:
        choices += ["array", "ml_array", "inline"]
    kind = draw(st.sampled_from(choices))
    if kind == "int":
        return str(draw(st.integers(-(10**6), 10**6)))
    if kind == "float":
        return f"{draw(st.integers(-1000, 1000))}.{draw(st.integers(0, 99))}"
    if kind == "bool":
        return draw(st.sampled_from(["true", "false"]))
    if kind == "basic":
        return basic(draw(content))
    if kind == "literal":
        return "'" + draw(content).replace("'", "") + "'"
    if kind == "ml_basic":
        lines = draw(st.lists(content, min_size=1, max_size=4))
        body = "\n".join(s.replace("\\", "\\\\").replace('"', '\\"') for s in lines)
        return '"""\n' + body + '"""'
    if kind == "ml_literal":
        lines = draw(st.lists(content.map(lambda s: s.replace("'", "")), min_size=1, max_size=4))
        return "'''" + "\n".join(lines) + "'''"
    items = draw(st.lists(toml_value(depth + 1), max_size=3))
    if kind == "array":
        return "[" + ", ".join(items) + "]"
    if kind == "ml_array":
        comment = draw(st.sampled_from(["", '  # a comment with [ and " and = ', "  # 注释"]))
        return "[" + comment + "\n" + "".join(f"  {it},\n" for it in items) + "]"
    keys = draw(st.lists(bare_key, max_size=3, unique=True))
    return "{ " + ", ".join(f"{k} = {draw(toml_value(depth + 1))}" for k in keys) + " }"


bare_key = st.from_regex(r"k[A-Za-z0-9_-]{0,6}", fullmatch=True)
quoted_key = st.text(alphabet=st.sampled_from(list('指标名称 .#[]=-_ab"\\')), min_size=1, max_size=6)


@st.composite
def key_spelling(draw) -> tuple[str, str]:
    """(key as written, key as parsed)."""
    style = draw(st.sampled_from(["bare", "basic", "literal"]))
    if style == "bare":
        k = draw(bare_key)
        return k, k
    k = draw(quoted_key)
    if style == "literal" and "'" not in k:
        return f"'{k}'", k
    return '"' + k.replace("\\", "\\\\").replace('"', '\\"') + '"', k


@st.composite
def pairs(draw):
    spellings = draw(st.lists(key_spelling(), max_size=4, unique_by=lambda s: s[1]))
    return [
        (
            written,
            key,
            draw(toml_value()),
            draw(st.sampled_from(["", "  ", "\t"])),
            draw(st.sampled_from([" = ", "=", "  =  "])),
        )
        for written, key in spellings
    ]


@st.composite
def toml_document(draw):
    """A record-like document and the (line, column) where every key is written."""
    lines: list[str] = []
    expected: dict[tuple, tuple[int, int]] = {}

    def emit(text: str) -> None:
        lines.extend(text.split("\n"))

    def emit_pairs(prefix: tuple, items) -> None:
        for written, key, value, indent, eq in items:
            if draw(st.booleans()):
                emit(draw(st.sampled_from(["", '# comment [x] = "', "   # 注释 ''' \"\"\""])))
            expected[prefix + (key,)] = (len(lines) + 1, len(indent) + 1)
            emit(f"{indent}{written}{eq}{value}")

    emit_pairs((), draw(pairs()))
    if draw(st.booleans()):  # a dotted key defines its table on the same line
        expected[("d0",)] = expected[("d0", "leaf")] = (len(lines) + 1, 1)
        emit("d0.leaf = 1")
    for t in range(draw(st.integers(0, 2))):
        emit(f"[t{t}]" if draw(st.booleans()) else f"[ t{t} ]  # table")
        expected[(f"t{t}",)] = (len(lines), 1)
        emit_pairs((f"t{t}",), draw(pairs()))
    for a in range(draw(st.integers(0, 2))):
        for i in range(draw(st.integers(1, 3))):
            emit(f"[[a{a}]]")
            expected[(f"a{a}", i)] = (len(lines), 1)
            expected.setdefault((f"a{a}",), (len(lines), 1))
            emit_pairs((f"a{a}", i), draw(pairs()))
            if draw(st.booleans()):
                emit(f"[a{a}.meta]")
                expected[(f"a{a}", i, "meta")] = (len(lines), 1)
                emit_pairs((f"a{a}", i, "meta"), draw(pairs()))
    return "\n".join(lines) + "\n", expected


def _get(data, path):
    for p in path:
        data = data[p]
    return data


@SETTINGS
@given(doc=toml_document(), crlf=st.booleans())
def test_located_line_is_where_the_key_is_written(doc, crlf):
    text, expected = doc
    if crlf:
        text = text.replace("\n", "\r\n")
    data = tomli.loads(text)  # the generator writes valid TOML
    for path in expected:
        _get(data, path)  # …with every key where we think it is
    index = build_index(text)
    for path, (line, col) in expected.items():
        assert index.locate(path) == (line, col), (path, text)
