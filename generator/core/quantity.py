"""Parse targets and actual values as editors write them.

`≥24 万笔`, `＜48小时`, `15%及其以下`, `=100%`, `97%以上`, `≥5年`, `80元/人`, `$\\geq 50\\%$`, `明显提升` →
operator, number, unit. Full-width characters, the math notation of reports typed in Word or TeX
(≧, ═, ≮, `\\ge`, `$…$`) and the wording of the forms (不低于, 不超过, 达到…) are understood. Text with no
usable number (or several numbers and no way to tell which one is meant) is qualitative. A mark next to
the number that cannot be read (`^80%`, `290$`, `5=50%`, a TeX command left over) never gives a bare
number: the quantity is `unreadable` and says which mark, and nothing is scored from it.

Units are kept as written, durations and counts included (年, 月, 天, 次, 人次, 户, 个 …, and compound units
such as 元/人 or 万元/公里). `convert` compares two units only where that is safe: the same base unit with a
scale (元 and 万元, 米 and 公里, 万笔 and 笔), never units of different things (个 and 项, 天 and 月).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .decimals import fmt, parse_decimal

UNPUBLISHED = "未公布"  # the format's marker for a value the source left blank (issue 11 format note, item 1)

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．％＜＞＝＋－，：　≧≦═﹦﹪﹤﹥～",
    "0123456789.%<>=+-,: ≥≤==%<>~",
)

# Operators written before the number (longer words before the shorter ones they start with).
_PREFIX_OPS: list[tuple[str, str]] = [
    (">=", ">="),
    ("<=", "<="),
    ("≥", ">="),
    ("≤", "<="),
    ("⩾", ">="),
    ("⩽", "<="),
    ("≮", ">="),  # not less than
    ("≯", "<="),  # not greater than
    ("不低于", ">="),
    ("不少于", ">="),
    ("不小于", ">="),
    ("至少", ">="),
    ("达到", ">="),
    ("大于或等于", ">="),
    ("大于等于", ">="),
    ("不高于", "<="),
    ("不超过", "<="),
    ("不多于", "<="),
    ("不大于", "<="),
    ("小于或等于", "<="),
    ("小于等于", "<="),
    ("控制在", "<="),
    (">", ">"),
    ("<", "<"),
    ("大于", ">"),
    ("超过", ">"),
    ("高于", ">"),
    ("小于", "<"),
    ("低于", "<"),
    ("=", "="),
    ("等于", "="),
]
# Operators written after the number and its unit.
_SUFFIX_OPS: list[tuple[str, str]] = [
    ("及其以上", ">="),
    ("及以上", ">="),
    ("以上", ">="),
    ("及其以下", "<="),
    ("及以下", "<="),
    ("以下", "<="),
    ("以内", "<="),
    ("之内", "<="),
    ("内", "<="),
    ("前", "<="),  # deadlines: 3个工作日内, 12月底前
]
SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}
# Which way is better, by operator: more (≥, >), less (≤, <), or exactly the target (=).
DIRECTIONS = {">=": "higher", ">": "higher", "<=": "lower", "<": "lower", "=": "equal"}

_NUMBER = r"[+-]?\d+(?:\.\d+)?"
# A unit: %, ‰, letters (m², km), or up to five Chinese characters (万笔, 人次, 个工作日), optionally per another
# (元/人, 万元/公里, 次/年).
_WORD = r"(?:[A-Za-z]+[²³]?|[㎡㎞㎏]|[\u4e00-\u9fff·]{1,5}?)"
_UNIT = rf"(?:%|‰|‱|℃|{_WORD}(?:/{_WORD})?)"
_prefix_alt = "|".join(re.escape(p) for p, _ in _PREFIX_OPS)
_suffix_alt = "|".join(re.escape(s) for s, _ in _SUFFIX_OPS)
# A short expression: optional prefix op, number, optional unit, optional suffix op, nothing else.
_EXACT = re.compile(
    rf"^(?P<pre>{_prefix_alt})?\s*(?P<num>{_NUMBER})\s*(?P<unit>{_UNIT})?\s*(?P<suf>{_suffix_alt})?\s*[。.]?$"
)
# A number inside free text, with whatever operator stands right before it.
_EMBEDDED = re.compile(
    rf"(?P<pre>{_prefix_alt})?\s*(?P<num>{_NUMBER})\s*"
    rf"(?P<unit>%|‰|[A-Za-z]+(?:/[A-Za-z]+)?|[\u4e00-\u9fff]{{1,2}}(?:/[\u4e00-\u9fff]{{1,2}})?)?\s*(?P<suf>{_suffix_alt})?"
)
_PREFIX_MAP = dict(_PREFIX_OPS)
_SUFFIX_MAP = dict(_SUFFIX_OPS)
# Words that may follow a number without being its unit: in a short expression (60分 is a score) …
_NOT_UNITS = {"的", "得", "扣", "分"}
# … and in free text, where 号 and 条 number documents and articles (dates are taken out before, see _DATE).
_NOT_UNITS_IN_TEXT = _NOT_UNITS | {"号", "条"}
# Characters a scanned table's text recognition gives for ≥, ≤ or = (工5%, 二95%): before a number they are
# an operator that could not be read, not a word.
_MISREAD_OPS = set("工二三王土干")

# TeX as reports type it ($\geq 50\%$): commands with their meaning; `\text{万元}` keeps its text.
_TEX_COMMANDS = {
    "geqslant": "≥",
    "geqq": "≥",
    "geq": "≥",
    "ge": "≥",
    "leqslant": "≤",
    "leqq": "≤",
    "leq": "≤",
    "le": "≤",
    "gt": ">",
    "lt": "<",
    "%": "%",
    ",": "",
    ";": "",
    ":": "",
    "!": "",
    " ": " ",
    "quad": " ",
}
_TEX_MATH = re.compile(r"\$([^$]*)\$")
_TEX_TEXT = re.compile(r"\\(?:text|mathrm|rm|mbox|textrm)\s*\{([^{}]*)\}")
_TEX_GROUP = re.compile(r"\{([^{}]*)\}")
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+|[%,;:! ])")
# Marks that have no place next to a number in a target or actual: when one is left after the operators are
# read, the text is not read as a number (OCR noise, a symbol the font lost, a TeX command).
_STRAY = re.compile(r"[\\^$_{}|#@&~<>=≥≤≠≈±≒†‡§¦‖¥]")


@dataclass(frozen=True)
class Quantity:
    text: str  # as written
    op: str | None = None  # ">=", ">", "<=", "<", "=" or None
    value: Decimal | None = None
    unit: str = ""
    unreadable: str = ""  # a mark in the text that could not be read; then there is no value

    @property
    def is_numeric(self) -> bool:
        return self.value is not None

    @property
    def is_inequality(self) -> bool:
        return self.op in (">=", ">", "<=", "<")

    @property
    def blank(self) -> bool:
        """Nothing written, or the source printed nothing (未公布)."""
        stripped = self.text.strip()
        return not stripped or stripped == UNPUBLISHED

    @property
    def direction(self) -> str | None:
        """'higher' when more is better, 'lower' when less is better, 'equal' when the target is exact."""
        return DIRECTIONS.get(self.op or "")

    def canonical(self) -> str:
        """The quantity printed in the canonical short form (`≥24万笔`)."""
        if self.value is None:
            return self.text
        return f"{SYMBOLS.get(self.op, '') if self.op else ''}{fmt(self.value)}{self.unit}"


def _tex(text: str) -> str:
    """TeX notation as plain text: $\\geq 50\\%$ → ≥ 50%; an unknown command is left (and read as a stray mark)."""
    text = _TEX_MATH.sub(lambda m: m.group(1), text)
    if "\\" not in text:
        return text
    text = _TEX_TEXT.sub(lambda m: m.group(1), text)
    text = _TEX_COMMAND.sub(lambda m: _TEX_COMMANDS.get(m.group(1), m.group(0)), text)
    # TeX's groups ({50}) go once every command was read; a command left over, or a lone brace, stays to be flagged
    if "\\" not in text:
        while _TEX_GROUP.search(text):
            text = _TEX_GROUP.sub(lambda m: m.group(1), text)
    return text


def normalize(text: str) -> str:
    out = text.translate(_FULLWIDTH).strip()
    if "\\" in out or "$" in out:
        out = _tex(out)
    out = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", out)  # thousands separators (1,000万元 too)
    out = re.sub(r"\s+", " ", out).strip()
    return out


@lru_cache(maxsize=4096)  # the same targets ("100%", "≥95%") recur in every record; Quantity is immutable
def parse(text: str | None) -> Quantity:
    if text is None:
        return Quantity(text="")
    raw = str(text)
    norm = normalize(raw)
    m = _EXACT.match(norm)
    if m:
        return _from_match(raw, m, _NOT_UNITS)
    if norm[:1] in _MISREAD_OPS and _EXACT.match(norm[1:].lstrip()):
        return Quantity(text=raw, unreadable=norm[0])
    # Free text: use the single number that carries an operator, else the single number.
    found = [mm for mm in _EMBEDDED.finditer(_without_dates(norm)) if mm.group("num")]
    with_op = [mm for mm in found if mm.group("pre") or mm.group("suf")]
    chosen = with_op[0] if len(with_op) == 1 else found[0] if len(found) == 1 else None
    stray = _stray(norm, found, chosen)
    if stray:
        return Quantity(text=raw, unreadable=stray)
    if chosen is None:
        return Quantity(text=raw)
    return _from_match(raw, chosen, _NOT_UNITS_IN_TEXT)


# Dates and deadlines in free text (2021年12月31日前, 11月底, 2022-06): their numbers are not quantities.
_DATE = re.compile(
    r"\d{4}\s*(?:年|[-/.])\s*\d{1,2}\s*(?:月|[-/.])?\s*(?:\d{1,2}\s*日?)?(?:底|末|初|份)?"
    r"|\d{4}\s*年(?:度|底|末|初)?|\d{1,2}\s*月\s*(?:\d{1,2}\s*日|底|末|初|份|上旬|中旬|下旬)"
)


def _without_dates(text: str) -> str:
    """The text with each date replaced by a mark of the same length (positions stay those of `text`)."""
    return _DATE.sub(lambda m: "□" * len(m.group(0)), text)


def _stray(norm: str, found: list[re.Match[str]], chosen: re.Match[str] | None) -> str:
    """A mark that stops the text being read as a number: a leftover TeX command, a stray symbol beside the
    chosen number, or an operator glued between two numbers (5=50%). "" when there is none."""
    left = _TEX_COMMAND.search(norm)
    if left:
        return left.group(0)
    if chosen is None:
        return ""
    start, end = chosen.span()
    if chosen.group("pre") and start > 0 and (norm[start - 1].isdigit() or norm[start - 1] == "%"):
        return chosen.group("pre")
    if end < len(norm) and norm[end].isdigit():
        return norm[end]  # a digit glued after the quantity's unit
    consumed = [range(mm.start("pre"), mm.end("pre")) for mm in found if mm.group("pre")]
    for mark in _STRAY.finditer(norm):
        if not any(mark.start() in r for r in consumed):
            return mark.group(0)
    return ""


def _from_match(raw: str, m: re.Match[str], not_units: set[str]) -> Quantity:
    value = parse_decimal(m.group("num"))
    unit = (m.group("unit") or "").strip()
    if unit in not_units:
        unit = ""
    unit = _UNIT_ALIASES.get(unit, unit)
    op = None
    if m.group("pre"):
        op = _PREFIX_MAP[m.group("pre")]
    if m.group("suf"):
        op = _SUFFIX_MAP[m.group("suf")]
    return Quantity(text=raw, op=op, value=value, unit=unit)


# ---------------------------------------------------------------------------- units

# Units written another way for the same thing (百分比 is how some forms write %).
_UNIT_ALIASES = {"百分比": "%", "个百分比": "%"}

# Units of one kind as multiples of a base unit. Only these convert; anything else compares only when equal.
_FACTORS: dict[str, tuple[str, Decimal]] = {
    **{u: ("元", Decimal(f)) for u, f in (("元", 1), ("千元", 1000), ("万元", 10**4), ("百万元", 10**6))},
    "亿元": ("元", Decimal(10**8)),
    **{u: ("米", Decimal(f)) for u, f in (("米", "1"), ("m", "1"), ("厘米", "0.01"), ("cm", "0.01"))},
    **{u: ("米", Decimal(f)) for u, f in (("毫米", "0.001"), ("mm", "0.001"), ("公里", 1000), ("千米", 1000))},
    "km": ("米", Decimal(1000)),
    **{u: ("克", Decimal(f)) for u, f in (("克", 1), ("g", 1), ("千克", 1000), ("公斤", 1000), ("kg", 1000))},
    **{u: ("克", Decimal(f)) for u, f in (("斤", 500), ("吨", 10**6), ("t", 10**6))},
    **{u: ("秒", Decimal(f)) for u, f in (("秒", 1), ("分钟", 60), ("小时", 3600), ("天", 86400))},
    **{u: ("月", Decimal(f)) for u, f in (("月", 1), ("个月", 1), ("年", 12))},
    **{u: ("平方米", Decimal(f)) for u, f in (("平方米", 1), ("㎡", 1), ("m²", 1), ("公顷", 10**4))},
    "平方公里": ("平方米", Decimal(10**6)),
    "%": ("%", Decimal(1)),
    "‰": ("%", Decimal("0.1")),
}
# A count written in tens of thousands (万笔, 万人次, 亿次): the same count times the prefix.
_SCALES = {"亿": Decimal(10**8), "万": Decimal(10**4)}


def _base(unit: str) -> tuple[str, Decimal]:
    """(base unit, factor) of one unit written without a slash."""
    if unit in _FACTORS:
        return _FACTORS[unit]
    for prefix, scale in _SCALES.items():
        rest = unit[len(prefix) :]
        if unit.startswith(prefix) and rest:
            base, factor = _base(rest)
            return base, factor * scale
    return unit, Decimal(1)


def base_unit(unit: str) -> tuple[str, Decimal]:
    """(base unit, factor): 万元 → (元, 10000); 万元/公里 → (元/米, 10); 人次 → (人次, 1)."""
    unit = _UNIT_ALIASES.get(unit, unit)
    if "/" in unit:
        top, _, bottom = unit.partition("/")
        (tb, tf), (bb, bf) = _base(top), _base(bottom)
        return f"{tb}/{bb}", tf / bf
    return _base(unit)


def convert(value: Decimal, unit: str, to: str) -> Decimal | None:
    """`value` in `unit` expressed in `to`; None when the two are not the same kind of unit. A blank unit (a
    bare count) converts to anything unchanged."""
    if not unit or not to or unit == to:
        return value
    (b1, f1), (b2, f2) = base_unit(unit), base_unit(to)
    if b1 != b2:
        return None
    return value * f1 / f2


def same_unit(a: Quantity, b: Quantity) -> bool:
    """Units agree when equal or when one side has none (a bare count)."""
    return not a.unit or not b.unit or a.unit == b.unit


def comparable(a: Quantity, b: Quantity) -> bool:
    """Whether the two can be compared: the same unit, one side without one, or units that convert."""
    return same_unit(a, b) or base_unit(a.unit)[0] == base_unit(b.unit)[0]


def is_copy(target: Quantity, actual: Quantity) -> bool:
    """An actual that repeats its target, operator included (≥266米 for ≥266米): a target, not a measured value."""
    return (
        actual.is_inequality
        and bool(target.text.strip())
        and normalize(actual.text).replace(" ", "") == normalize(target.text).replace(" ", "")
    )
