"""Targets and actual values as editors write them → operator, number, unit (generator.quantity)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from generator.core.quantity import Quantity, normalize, parse, same_unit


@pytest.mark.parametrize(
    "text, op, value, unit",
    [
        ("≥24 万笔", ">=", "24", "万笔"),
        ("＜48小时", "<", "48", "小时"),  # full-width operator
        ("15%及其以下", "<=", "15", "%"),
        ("=100%", "=", "100", "%"),
        ("≥95%", ">=", "95", "%"),
        ("97%以上", ">=", "97", "%"),
        ("≤1 小时", "<=", "1", "小时"),
        ("1 项", None, "1", "项"),
        ("4.5 万元", None, "4.5", "万元"),
        ("＞90%", ">", "90", "%"),
        ("≥266米", ">=", "266", "米"),
        ("10万元以内", "<=", "10", "万元"),
        ("不低于95%", ">=", "95", "%"),
        ("达到 90%", ">=", "90", "%"),
        ("大于等于60分", ">=", "60", ""),  # 分 is a score, not a unit
        ("≧90%", ">=", "90", "%"),
        ("≦1小时", "<=", "1", "小时"),
        ("  ≥ 24  万笔 ", ">=", "24", "万笔"),  # stray spaces
        ("0 起", None, "0", "起"),
        ("-5%", None, "-5", "%"),
        ("120M互联网专线", None, "120", "M"),
    ],
)
def test_parse_operator_number_unit(text, op, value, unit):
    q = parse(text)
    assert q.op == op
    assert q.value == D(value)
    assert q.unit == unit
    assert q.text == text  # the text as written is kept
    assert q.is_numeric


def test_full_width_digits_and_percent_sign():
    q = parse("９５％")
    assert (q.op, q.value, q.unit) == (None, D(95), "%")
    q = parse("≥５０．５％")
    assert (q.op, q.value, q.unit) == (">=", D("50.5"), "%")
    assert normalize("＜４８小时") == "<48小时"


def test_thousands_separator_is_not_a_decimal_point():
    q = parse("1,200 万元")
    assert q.value == D(1200) and q.unit == "万元"


def test_values_are_exact_decimals():
    q = parse("22.08 万笔")
    assert isinstance(q.value, D)
    assert q.value == D("22.08")  # not 22.079999…
    assert str(q.value) == "22.08"


@pytest.mark.parametrize(
    "text", ["明显提升", "长期", "优秀", "健全", "全年", "明显发挥", "提升", "规范", "", "从100M升级到150M"]
)
def test_qualitative_text_has_no_value(text):
    q = parse(text)
    assert q.value is None
    assert not q.is_numeric
    assert q.op is None and q.direction is None
    assert q.canonical() == text  # printed back unchanged


def test_none_is_empty_quantity():
    q = parse(None)
    assert q.text == "" and q.value is None


@pytest.mark.parametrize(
    "text, direction",
    [
        ("≥24 万笔", "higher"),
        ("＞90%", "higher"),
        ("97%以上", "higher"),
        ("≤1 小时", "lower"),
        ("＜48小时", "lower"),
        ("15%及其以下", "lower"),
        ("10万元以内", "lower"),
        ("=100%", "equal"),  # an exact target: both sides of it lose points (issue 11)
        ("═100%", "equal"),
        ("24 万笔", None),
    ],
)
def test_direction_from_operator(text, direction):
    assert parse(text).direction == direction


def test_inequality_flag():
    assert parse("≥90%").is_inequality
    assert parse("＜48小时").is_inequality
    assert not parse("=100%").is_inequality
    assert not parse("100%").is_inequality


def test_single_number_inside_free_text_is_found():
    # seed 002's actual values are sentences around one figure
    q = parse("根据问卷调查结果，国库支付中心工作人员对国库支付系统的满意度 91.67%。")
    assert (q.value, q.unit) == (D("91.67"), "%")
    q = parse("智慧财政市区一体化系统、金财系统、基建系统、财务核算等 4 套系统软硬件正常运转，正常运转率 ≥95%。")
    # the one number carrying an operator is the target, not the count of systems
    assert (q.op, q.value, q.unit) == (">=", D(95), "%")


def test_latex_free_forms():
    # The record format stores targets LaTeX-free (`$\geq 50\%$` is written `≥50%`); the plain forms parse fully.
    q = parse("≥50%")
    assert (q.op, q.value, q.unit) == (">=", D(50), "%")
    for text in ["≥24 万笔", "≤1 小时", "15%及其以下", "＜48小时"]:
        canonical = parse(text).canonical()
        assert "$" not in canonical and "\\" not in canonical


@pytest.mark.parametrize(
    "text, canonical",
    [
        ("≥24 万笔", "≥24万笔"),
        ("＜48小时", "<48小时"),
        ("15%及其以下", "≤15%"),
        ("97%以上", "≥97%"),
        ("=100%", "=100%"),
        ("９５％", "95%"),
        ("4.50 万元", "4.5万元"),
        ("1 项", "1项"),
    ],
)
def test_canonical_form(text, canonical):
    assert parse(text).canonical() == canonical
    again = parse(canonical)
    first = parse(text)
    assert (again.op, again.value, again.unit) == (first.op, first.value, first.unit)


def test_same_unit():
    assert same_unit(parse("≥24 万笔"), parse("22.08 万笔"))
    assert same_unit(parse("≥24 万笔"), parse("22"))  # a bare count agrees with anything
    assert not same_unit(parse("≥24 万笔"), parse("22 笔"))


def test_quantity_is_immutable_value():
    assert parse("≥24 万笔") == Quantity(text="≥24 万笔", op=">=", value=D(24), unit="万笔")


# ---------------------------------------------------------------------------- notation, units (issue 11)

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from generator.core.decimals import fmt  # noqa: E402
from generator.core.model import Columns  # noqa: E402
from generator.core.quantity import comparable, convert  # noqa: E402

# Every way reports write each operator: symbols, full width, Word's ≧/═, TeX as typed in reports, and words.
NOTATIONS = {
    ">=": [
        "≥",
        "≧",
        ">=",
        "＞＝",
        "⩾",
        "≮",
        r"\geq ",
        r"\ge ",
        r"\geqslant ",
        r"$\geq$",
        "不低于",
        "不少于",
        "达到",
        "大于等于",
    ],
    "<=": ["≤", "≦", "<=", "＜＝", "⩽", "≯", r"\leq ", r"\le ", r"$\leq$", "不高于", "不超过", "不多于", "小于或等于"],
    "=": ["=", "＝", "═", "﹦", "$=$", "等于"],
    ">": [">", "＞", r"\gt ", "大于", "高于"],
    "<": ["<", "＜", r"\lt ", "小于", "低于"],
}
# Units as the forms print them: durations and counts keep their unit, compound units stay whole.
KEPT_UNITS = [
    "%",
    "年",
    "月",
    "个月",
    "天",
    "小时",
    "次",
    "人次",
    "户",
    "个",
    "台",
    "套",
    "只",
    "头",
    "亩",
    "万元",
    "元/人",
    "万元/公里",
    "次/年",
    "个工作日",
    "m²",
    "km",
    "",
]
SETTINGS = settings(max_examples=200, deadline=None)


@st.composite
def written(draw):
    """(text as a report writes it, operator, value, unit)."""
    op = draw(st.sampled_from(sorted(NOTATIONS)))
    mark = draw(st.sampled_from(NOTATIONS[op]))
    value = draw(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
    unit = draw(st.sampled_from(KEPT_UNITS))
    space = draw(st.sampled_from(["", " "]))
    shown_unit = r"\%" if unit == "%" and "\\" in mark and draw(st.booleans()) else unit
    text = f"{mark}{space}{fmt(value)}{space}{shown_unit}".strip()
    if draw(st.booleans()) and "$" not in mark and "\\" not in mark:
        text = f"${text}$"  # the whole expression typed as TeX math
    return text, op, value, unit


@SETTINGS
@given(case=written())
def test_every_notation_gives_its_operator_and_keeps_the_unit(case):
    text, op, value, unit = case
    q = parse(text)
    assert (q.op, q.value, q.unit, q.unreadable) == (op, value, unit, ""), text
    assert q.text == text


@SETTINGS
@given(case=written(), stray=st.sampled_from(list("^$#@|_{}~§") + ["\\frac", "\\sim", "工", "5"]), lead=st.booleans())
def test_a_mark_that_cannot_be_read_never_gives_a_bare_number(case, stray, lead):
    """A stray mark before or after the quantity (text recognition noise, a TeX command left over, an operator
    misread as 工, a digit glued on): the quantity is flagged as unreadable, or is no number at all; never a number
    read past the mark."""
    text, op, value, unit = case
    if ("$" in text and stray == "$") or (stray == "工" and not lead):
        return  # a third $ closes nothing new; 工 after a unit is a word
    noisy = f"{stray}{text}" if lead else f"{text}{stray}"
    q = parse(noisy)
    if q.value is not None:
        # only a digit can join the quantity and still be read: as part of the number, or as one of its own
        assert stray == "5" and not q.unreadable, (noisy, q)
    else:
        assert q.unreadable or not q.is_numeric


@pytest.mark.parametrize(
    "text, mark",
    [("^80%", "^"), ("290$", "$"), ("5=50%", "="), ("工5%", "工"), (r"$\frac{1}{2}$", "\\frac"), ("≥95%§", "§")],
)
def test_unreadable_marks_are_named(text, mark):
    q = parse(text)
    assert q.value is None and q.unreadable == mark


@pytest.mark.parametrize(
    "text, op, value, unit",
    [
        ("≥5年", ">=", "5", "年"),  # a duration keeps its unit
        ("不少于3次", ">=", "3", "次"),
        ("≤80元/人", "<=", "80", "元/人"),
        ("10万元/公里以内", "<=", "10", "万元/公里"),
        ("$\\geq 50\\%$", ">=", "50", "%"),
        ("═100%", "=", "100", "%"),
        ("≥100百分比", ">=", "100", "%"),  # some forms write the percent sign out
        ("使用年限不低于5年", ">=", "5", "年"),
        ("11月底完成100%", None, "100", "%"),  # the date is not a quantity
    ],
)
def test_units_and_words_of_the_forms(text, op, value, unit):
    q = parse(text)
    assert (q.op, q.value, q.unit) == (op, D(value), unit)


def test_dates_in_free_text_are_not_quantities():
    assert parse("2021年12月31日前完成").value is None
    assert parse("2022-06-30前").value is None


@pytest.mark.parametrize(
    "value, unit, to, expected",
    [
        ("13", "万元", "元", "130000"),
        ("130000", "元", "万元", "13"),
        ("1.5", "公里", "米", "1500"),
        ("2", "万笔", "笔", "20000"),
        ("3", "万元/公里", "元/米", "30"),
        ("90", "分钟", "小时", "1.5"),
        ("2", "年", "月", "24"),
        ("5", "‰", "%", "0.5"),
        ("7", "", "万元", "7"),  # a bare count compares with anything
    ],
)
def test_units_convert_where_safe(value, unit, to, expected):
    assert convert(D(value), unit, to) == D(expected)


@pytest.mark.parametrize(
    "unit, to", [("个", "项"), ("天", "月"), ("只", "头"), ("元/人", "元"), ("%", "个百分点"), ("亩", "平方米")]
)
def test_units_of_different_things_do_not_convert(unit, to):
    assert convert(D(1), unit, to) is None
    assert not comparable(parse(f"1{unit}"), parse(f"2{to}"))


@SETTINGS
@given(
    nature=st.sampled_from(["≥", "≤", "=", "＞", "＜", "≧", "═", "定性", "正向", "反向", ""]),
    value=st.one_of(
        st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False).map(fmt),
        st.sampled_from(["有效", "明显提升", "未公布"]),
    ),
    unit=st.sampled_from(["%", "人次", "万元", "元/人", "", "未公布"]),
)
def test_three_columns_read_as_their_string(nature, value, unit):
    """target = { nature, value, unit } is read exactly as the equivalent string would be."""
    columns = Columns(nature, value, unit)
    words = {"定性": "", "正向": "≥", "反向": "≤"}
    glued = "未公布" if value == "未公布" else words.get(nature, nature) + value + ("" if unit == "未公布" else unit)
    assert columns == glued and (columns.nature, columns.value, columns.unit) == (nature, value, unit)
    a, b = parse(columns), parse(glued)
    assert (a.op, a.value, a.unit, a.unreadable, a.blank) == (b.op, b.value, b.unit, b.unreadable, b.blank)
