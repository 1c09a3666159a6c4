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
        ("=100%", None),
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
