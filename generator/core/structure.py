"""Structural validation: types, required fields, allowed values, unknown keys.

Walks the parsed TOML against the field model (fields.py) and returns clean Python values
(Decimal for numbers, tuples for paths, RuleRef for an indicator's rule) plus diagnostics pointing
at the offending key. Each field kind has one check method, listed in _CHECKS.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import diagnostics as dg
from .decimals import LIMIT, MAX_INTEGER_DIGITS, OutOfRange, fmt
from .diagnostics import KeyPath
from .field_types import NOT_PUBLISHED, YEARS, is_date_text
from .fields import RULE_FIELDS, Field, FieldKind
from .model import Columns, RuleRef

K = FieldKind
_STR, _NUMBER = K.STR, K.NUMBER  # looking a member up on the enum class costs more than the check itself
MAX_ABS = Decimal("1e12")  # a larger number is rejected (E105)
MAX_ROWS = 5000  # a larger table array is rejected (E109)
# Control characters (tab, line feed and carriage return aside), DEL, C1 controls, U+FFFE/U+FFFF:
# invisible, and they break YAML front matter, XML and the site's own markup.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

# Chinese words editors may type as keys, and the field they mean.
ALIASES = {
    "分值": "weight",
    "权重": "weight",
    "得分": "score",
    "评分": "score",
    "指标值": "target",
    "目标值": "target",
    "年度指标值": "target",
    "实际完成值": "actual",
    "完成值": "actual",
    "扣分说明": "reason",
    "偏差原因": "reason",
    "名称": "name",
    "项目名称": "name",
    "年度": "year",
    "主管部门": "department",
    "实施单位": "implementer",
    "评价类型": "evaluation",
    "状态": "status",
    "总分": "total",
    "等级": "grade",
    "地区": "region",
    "评价机构": "evaluator",
    "日期": "date",
    "规则": "rule",
    "档次": "level",
    "复核分": "review_score",
    "预算数": "budget",
    "执行数": "executed",
    "年初预算数": "initial",
    "执行率": "rate",
    "指标解释": "explanation",
    "评分标准": "criteria",
}


class _Unpublished:
    """What the checker gives for a field written "未公布" where the format allows it (see loader.build)."""

    def __repr__(self) -> str:
        return "UNPUBLISHED"


UNPUBLISHED = _Unpublished()

_NAME_MAPS: dict[
    int, tuple[tuple[Field, ...], dict[str, Field]]
] = {}  # id of a field tuple → (the tuple, its fields by name)


def _by_name(fields: tuple[Field, ...]) -> dict[str, Field]:
    # Keyed by identity: the field tuples are the schema's constants, and hashing one (as lru_cache
    # would, on every table of every record) hashes every nested field — a fifth of validation time.
    entry = _NAME_MAPS.get(id(fields))
    if entry is None or entry[0] is not fields:
        entry = _NAME_MAPS[id(fields)] = (fields, {f.name: f for f in fields})
    return entry[1]


@dataclass
class Checker:
    file: str
    locate: Callable[[KeyPath], tuple[int, int]]
    diags: list[dg.Diagnostic] = field(default_factory=list)
    # Required fields not filled in (absent, or a blank date), each reported with E101: the loader still builds
    # the record, so that every other check runs on it (it is not published while the error stands).
    missing: list[KeyPath] = field(default_factory=list)

    def report(self, code: str, path: KeyPath, message: str) -> None:
        line, col = self.locate(path)
        self.diags.append(dg.make(code, self.file, line, col, message))

    # ------------------------------------------------------------------ tables
    def table(self, data: dict[str, Any], fields: tuple[Field, ...], path: KeyPath, where: str) -> dict[str, Any]:
        known = _by_name(fields)
        out: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                self.unknown_key(key, list(known), path + (key,), where)
                continue
            if value == NOT_PUBLISHED and known[key].unpublished_ok:  # the source left it blank: said, not filled
                out[key] = UNPUBLISHED
                continue
            checked = self.value(value, known[key], path + (key,))
            if checked is not None:
                out[key] = checked
        for f in fields:
            if f.required and f.name not in data:
                self.missing.append(path + (f.name,))
                self.report(
                    "E101",
                    path,
                    f"{where}缺少必填字段 {f.name}（{f.description}）。请补充，例如 {f.name} = {f.example_text}"
                    + (f'；原文没有印出时写 {f.name} = "{NOT_PUBLISHED}"。' if f.unpublished_ok else "。"),
                )
        return out

    def unknown_key(self, key: str, known: list[str], path: KeyPath, where: str) -> None:
        guess = ALIASES.get(key) if ALIASES.get(key) in known else None
        if not guess:
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            guess = close[0] if close else None
        hint = f"您是否想写 {guess}？" if guess else f"允许的字段有：{'、'.join(known)}。"
        self.report("E104", path, f"{where or '记录'}中出现未知字段 {key}。{hint}")

    # ------------------------------------------------------------------ values
    def value(self, value: object, f: Field, path: KeyPath) -> object:
        kind = f.kind
        if kind is _STR and type(value) is str and not _CONTROL.search(value):  # the common case first
            return value
        if (
            kind is _NUMBER
            and type(value) is Decimal
            and value.is_finite()
            and abs(value) <= MAX_ABS
            and (f.minimum is None or value >= f.minimum)
        ):
            return value
        label = f"字段 {f.name}（{f.description}）"
        if _out_of_range(value):  # whatever the field's kind: such a number is never used, nor printed in full
            self.out_of_range(path, label, value)
            return None
        if isinstance(value, str) and kind.controls:
            bad = _CONTROL.search(value)
            if bad:
                self.report(
                    "E114",
                    path,
                    f"{label}的第 {bad.start() + 1} 个字符是不可见的控制字符（U+{ord(bad.group(0)):04X}），请删除后重新输入。",
                )
                return None
        return _CHECKS[kind](self, value, f, path, label)

    def _str(self, value: object, f: Field, path: KeyPath, label: str) -> object:
        if isinstance(value, str):
            return value
        if f.number_as_text and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            if _finite(value):
                return fmt(Decimal(value))
            self.bad_number(path, label)
            return None
        self.wrong_type(path, label, f.kind, value)
        return None

    def _enum(self, value: object, f: Field, path: KeyPath, label: str) -> object:
        if not isinstance(value, str):
            self.wrong_type(path, label, f.kind, value)
            return None
        if f.choices and value not in f.choices:
            close = difflib.get_close_matches(value, f.choices, n=1, cutoff=0.3)
            hint = f"您是否想写 “{close[0]}”？" if close else ""
            self.report("E103", path, f"{label}的值 “{value}” 不在允许范围内，应为：{'、'.join(f.choices)}。{hint}")
            return None
        return value

    def _int(self, value: object, f: Field, path: KeyPath, label: str) -> object:
        if isinstance(value, bool) or not isinstance(value, int):
            self.wrong_type(path, label, f.kind, value)
            return None
        return self.bounded(Decimal(value), f, path, label) and value

    def _number(self, value: object, f: Field, path: KeyPath, label: str) -> object:
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            self.wrong_type(path, label, f.kind, value)
            return None
        if not _finite(value):
            self.bad_number(path, label)
            return None
        number = Decimal(value)
        return number if self.bounded(number, f, path, label) else None

    def _bool(self, value: object, f: Field, path: KeyPath, label: str) -> object:
        if not isinstance(value, bool):
            self.wrong_type(path, label, f.kind, value)
            return None
        return value

    def _date(self, value: object, f: Field, path: KeyPath, label: str) -> object:
        if isinstance(value, _dt.datetime):
            return value.date().isoformat()
        if isinstance(value, _dt.date):
            return value.isoformat()
        if isinstance(value, int) and not isinstance(value, bool) and YEARS[0] <= value <= YEARS[1]:
            return str(value)
        if isinstance(value, str) and is_date_text(value):
            return value
        if isinstance(value, str) and not value.strip():  # left blank: a value still to fill, not a wrong one
            if f.required:
                self.missing.append(path)
                self.report(
                    "E101",
                    path,
                    f"{label}尚未填写。请照原文填写"
                    + (f'；原文没有印出时写 {f.name} = "{NOT_PUBLISHED}"。' if f.unpublished_ok else "。"),
                )
            else:
                self.report("W130", path, f"{label}是空的。请照原文填写；原文没有该项时删除这一行。")
            return None
        self.report("E107", path, f'{label}写成了 {_show(value)}，日期应写成 "2021"、"2021-08" 或 2021-08-31。')
        return None

    def _strings(self, value: object, f: Field, path: KeyPath, label: str) -> object:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(value)
        self.wrong_type(path, label, f.kind, value)
        return None

    def _path(self, value: object, f: Field, path: KeyPath, label: str) -> object:
        if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
            return tuple(v.strip() for v in value)
        if isinstance(value, str) and value.strip():
            return tuple(p.strip() for p in value.split("/") if p.strip())
        self.report(
            "E108",
            path,
            f'{label}应为由指标名称组成的列表，例如 path = ["产出指标", "数量指标"]，现在是 {_show(value)}。',
        )
        return None

    def _table(self, value: object, f: Field, path: KeyPath, label: str) -> object:
        if not isinstance(value, dict):
            self.wrong_type(path, label, f.kind, value)
            return None
        return self.table(value, f.fields, path, f"[{'.'.join(str(p) for p in path)}] ")

    def _tables(self, value: object, f: Field, path: KeyPath, label: str) -> object:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.wrong_type(path, label, f.kind, value)
            return None
        if len(value) > MAX_ROWS:
            self.report("E109", path, f"{label}有 {len(value)} 项，超过上限 {MAX_ROWS}。")
            return None
        return [
            self.table(v, f.fields, path + (i,), f"第 {i + 1} 个 [[{'.'.join(str(p) for p in path)}]] ")
            for i, v in enumerate(value)
        ]

    def _rules(self, value: object, f: Field, path: KeyPath, label: str) -> object:
        if not isinstance(value, dict):
            self.wrong_type(path, label, f.kind, value)
            return None
        out = {}
        for name, table in value.items():
            if not isinstance(table, dict):
                self.wrong_type(path + (name,), f"规则 {name}", K.TABLE, table)
                continue
            out[name] = self.table(table, RULE_FIELDS, path + (name,), f"规则 [rules.{name}] ")
        return out

    def _rule(self, value: object, f: Field, path: KeyPath, label: str) -> object:
        if isinstance(value, str):
            return RuleRef(name=value)
        if isinstance(value, dict):
            return RuleRef(inline=self.table(value, RULE_FIELDS, path, "行内规则 "))
        self.wrong_type(path, label, f.kind, value)
        return None

    def _quantity(self, value: object, f: Field, path: KeyPath, label: str) -> object:
        """A target or actual: text (or a bare number) as printed, or its three columns as an inline table."""
        if not isinstance(value, dict):
            return self._str(value, f, path, label)
        parts: dict[str, str] = {}
        for key, part in value.items():
            if key not in COLUMNS:
                self.unknown_key(key, list(COLUMNS), path + (key,), f"{label}的三栏写法")
                continue
            checked = self._str(part, _COLUMN_FIELDS[key], path + (key,), f"{label}的 {key}（{COLUMNS[key]}）")
            if isinstance(checked, str):
                bad = _CONTROL.search(checked)
                if bad:
                    self.report(
                        "E114",
                        path + (key,),
                        f"{label}的 {key} 第 {bad.start() + 1} 个字符是不可见的控制字符（U+{ord(bad.group(0)):04X}），"
                        "请删除后重新输入。",
                    )
                    continue
                parts[key] = checked
        if "value" not in value:
            self.report(
                "E101",
                path,
                f'{label}写成三栏时缺少 value（指标值）。请照原表填写，如 {{ nature = "≥", value = "95", unit = "%" }}。',
            )
            return None
        if len(parts) != len(value):
            return None
        return Columns(parts.get("nature", ""), parts["value"], parts.get("unit", ""))

    def _rows(self, value: object, f: Field, path: KeyPath, label: str) -> object:
        """bands, tiers and levels: lists of rows (their shape is checked with the rule's parameters)."""
        if not isinstance(value, list) or not all(isinstance(v, list) for v in value):
            self.wrong_type(path, label, f.kind, value)
            return None
        beyond = next((x for row in value for x in row if _out_of_range(x)), None)
        if beyond is not None:
            self.out_of_range(path, label, beyond)
            return None
        if any(isinstance(x, Decimal) and not x.is_finite() for row in value for x in row):
            self.bad_number(path, label)
            return None
        # TOML integers inside the rows become Decimal like every other number
        return [[Decimal(x) if isinstance(x, int) and not isinstance(x, bool) else x for x in row] for row in value]

    def bounded(self, number: Decimal, f: Field, path: KeyPath, label: str) -> bool:
        if abs(number) > MAX_ABS:
            self.report("E105", path, f"{label}的值 {number} 过大（超过 10¹²），请检查是否多写了数字。")
            return False
        if f.minimum is not None and number < Decimal(str(f.minimum)):
            code = "E106" if f.minimum == 0 else "E105"
            self.report(code, path, f"{label}的值 {fmt(number)} 不能小于 {fmt(Decimal(str(f.minimum)))}。")
            return False
        return True

    def wrong_type(self, path: KeyPath, label: str, kind: FieldKind, value: object) -> None:
        hint = ""
        if value == NOT_PUBLISHED:  # the marker where the format does not take it
            hint = (
                f"该字段不能写“{NOT_PUBLISHED}”：原文没有这一项时删除这一行（可写“{NOT_PUBLISHED}”的字段见字段说明）。"
            )
        self.report("E102", path, f"{label}应为{kind.expected}，现在是{_describe(value)} {_show(value)}。{hint}")
        return None

    def bad_number(self, path: KeyPath, label: str) -> None:
        self.report("E105", path, f"{label}不能是 nan 或 inf，请填写一个普通数字。")
        return None

    def out_of_range(self, path: KeyPath, label: str, value: object) -> None:
        if isinstance(value, OutOfRange):
            written, reason = value.text, value.reason
        else:  # an integer: TOML integers have no other limit
            written, reason = _short_int(value), f"绝对值不能达到 10 的 {MAX_INTEGER_DIGITS} 次方"
        self.report("E105", path, f"{label}的值 {written} 超出本工具能处理的范围（{reason}）。请检查是否多写了数字。")
        return None


def _out_of_range(value: object) -> bool:
    """A number beyond the limits of decimals.py: a float literal read as OutOfRange, or too large an integer."""
    return type(value) is OutOfRange or (type(value) is int and not -LIMIT < value < LIMIT)


def _short_int(value: object) -> str:
    if not isinstance(value, int) or value.bit_length() > 256:  # str() of a huge integer is slow, or refused
        return "（位数过多的整数）"
    text = str(value)
    return text if len(text) <= 24 else text[:20] + "…"


def _finite(value: object) -> bool:
    return not isinstance(value, Decimal) or value.is_finite()


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, (int, Decimal)):
        return "数字"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "表"
    return "其他类型"


def _show(value: object) -> str:
    if isinstance(value, str):
        text = f"“{value[:40]}”"
    elif isinstance(value, (Decimal, OutOfRange)):
        text = str(value)
    else:
        try:
            text = repr(value)
        except ValueError:  # an integer too long to print, inside a list
            text = "（无法显示）"
    return text if len(text) <= 40 else text[:37] + "…"


# The columns of a target or actual printed in three (model.Columns), and what each holds.
COLUMNS = {"nature": "指标性质，如 ≥、≤、=、定性", "value": "指标值", "unit": "度量单位"}
_COLUMN_FIELDS = {name: Field(name, K.STR, text, number_as_text=True) for name, text in COLUMNS.items()}

_CHECKS: dict[FieldKind, Callable[[Checker, object, Field, KeyPath, str], object]] = {
    K.STR: Checker._str,
    K.INT: Checker._int,
    K.NUMBER: Checker._number,
    K.BOOL: Checker._bool,
    K.DATE: Checker._date,
    K.ENUM: Checker._enum,
    K.STRLIST: Checker._strings,
    K.TEXT_OR_LIST: Checker._strings,
    K.PATH: Checker._path,
    K.TABLE: Checker._table,
    K.TABLES: Checker._tables,
    K.RULES: Checker._rules,
    K.RULE: Checker._rule,
    K.QUANTITY: Checker._quantity,
    K.BANDS: Checker._rows,
    K.TIERS: Checker._rows,
    K.LEVELS: Checker._rows,
}
_missing = set(FieldKind) - set(_CHECKS)
if _missing:  # a new field kind needs its check here
    raise AssertionError(f"field kinds without a check: {sorted(_missing)}")
