"""What a record holds once loaded and structurally checked — and the record format itself.

Every attribute a record file can set is declared here, once, with `spec(kind, description, …)`:
its TOML name, kind, Chinese description, whether it is required, its allowed values and bounds.
The attribute order is the format's order. fields.py reads these declarations into the field
trees that loading, the structural checks, the JSON Schema, the TOML writer, `new` and the guide
follow, so a new field is one attribute here (plus its tests). Attributes without a spec (a row's
position, the file a record came from) are not part of the format.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .diagnostics import KeyPath
from .field_types import NOT_PUBLISHED, declared, spec
from .field_types import FieldKind as K

Locate = Callable[[KeyPath], tuple[int, int]]

EVALUATION_KINDS = ("单位自评", "部门评价", "财政评价", "第三方评价", "执行监控")
STATUSES = ("draft", "published")
ROUNDINGS = ("half_up", "truncate", "whole")  # how a form rounds its scores: 四舍五入, 截尾, 整数分
LIKELIHOODS = ("确定能", "有可能", "完全不可能")
# Problems found and their follow-up (issue 17): the categories every record may use besides its own level-1
# indicator names, a follow-up's statuses, and how an evaluation's result changed the next year's budget.
PROBLEM_CATEGORIES = ("决策", "过程", "产出", "效益")
FOLLOW_UP_STATUSES = ("已整改", "整改中", "未整改", "未说明")
BUDGET_CHANGES = ("减少", "持平", "增加", "未说明")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # a project id, as `new` and `import` accept one


def _amount(description: str, unpublished_ok: bool = True) -> Any:
    """An amount of money: a number that cannot be negative (or "未公布" where the form left it blank)."""
    return spec(K.NUMBER, description, minimum=0, unpublished_ok=unpublished_ok)


def _unpublished() -> Any:
    """The names of an object's fields written "未公布" (field_types.NOT_PUBLISHED): set by the loader, not a field."""
    return field(default=frozenset(), repr=False, compare=False)


@dataclass(kw_only=True)
class Goals:
    expected: list[str] = spec(K.TEXT_OR_LIST, "预期目标", default_factory=list)
    achieved: list[str] = spec(K.TEXT_OR_LIST, "实际完成情况", default_factory=list)


@dataclass(kw_only=True)
class BudgetRow:
    name: str = spec(K.STR, "名称（资金来源或子项目名称）", required=True)
    initial: Decimal | None = _amount("年初预算数")
    budget: Decimal | None = _amount("全年预算数（调整后预算）")
    executed: Decimal | None = _amount("全年执行数（实际支出）")
    rate: Decimal | None = spec(
        K.NUMBER, "公布的执行率（百分数，如 83.62 表示 83.62%）", minimum=0, unpublished_ok=True
    )
    uncertain: str | None = spec(K.STR, "原表中这一行的金额辨认或对应不确定时照实说明")
    key: KeyPath = ()  # where the row is in the TOML, for diagnostics
    unpublished: frozenset[str] = _unpublished()


@dataclass(kw_only=True)
class Balance:
    unallocated: Decimal | None = _amount("指标结余数 = 预算数 − 财政拨款数")
    appropriated: Decimal | None = _amount("财政拨款数")
    paid: Decimal | None = _amount("实际支付数")
    balance: Decimal | None = _amount("资金结余、结转数 = 财政拨款数 − 实际支付数")
    carried: Decimal | None = _amount("结转数")
    recovered: Decimal | None = _amount("财政收回数")
    unpublished: frozenset[str] = _unpublished()


@dataclass(kw_only=True)
class Budget:
    unit: str = spec(K.STR, "金额单位，默认 “万元”", default="万元")
    initial: Decimal | None = _amount("年初预算数")
    adjustment: Decimal | None = spec(K.NUMBER, "预算调整数（调增为正，调减为负）", unpublished_ok=True)
    budget: Decimal | None = _amount("全年预算数（调整后预算）")
    arrived: Decimal | None = _amount("到位资金")
    executed: Decimal | None = _amount("全年执行数（实际支出）")
    rate: Decimal | None = spec(K.NUMBER, "公布的预算执行率（百分数）", minimum=0, unpublished_ok=True)
    adjustment_rate: Decimal | None = spec(K.NUMBER, "公布的预算调整率（百分数）", unpublished_ok=True)
    sources: list[BudgetRow] = spec(K.TABLES, "资金来源 “其中” 各行", table=BudgetRow, default_factory=list)
    items: list[BudgetRow] = spec(K.TABLES, "支出明细 / 子项目", table=BudgetRow, default_factory=list)
    balance: Balance | None = spec(K.TABLE, "结余结转情况", table=Balance)
    unpublished: frozenset[str] = _unpublished()

    @property
    def base(self) -> Decimal | None:
        """The budget the execution rate is measured against: adjusted if given, else initial."""
        return self.budget if self.budget is not None else self.initial


UNPUBLISHED = "未公布"  # the format's one marker for a value the source left blank (issue 11 format note, item 1)
NATURE_WORDS = {"定性": "", "定量": "", "正向": "≥", "反向": "≤"}  # 指标性质 written as a word, and its operator


class Columns(str):
    """A target or actual printed in three columns, 指标性质 / 指标值 / 度量单位, kept as written
    (format note, item 4: target = { nature = "≥", value = "95", unit = "%" }).

    As a string it is the three glued together ("≥", "95", "%" → "≥95%"): the form every reader shows and
    the rules read, exactly as the equivalent string would be. A column not published is left out of it
    (all of it is "未公布" when the value is); a nature written as a word (定性, 正向…) gives its operator."""

    nature: str
    value: str
    unit: str

    def __new__(cls, nature: str = "", value: str = "", unit: str = "") -> Columns:
        obj = super().__new__(cls, _glue(nature, value, unit))
        obj.nature, obj.value, obj.unit = nature, value, unit
        return obj

    def __getnewargs__(self) -> tuple[str, str, str]:  # type: ignore[override]  # pickling (worker processes)
        return (self.nature, self.value, self.unit)

    def table(self) -> dict[str, str]:
        """The inline table as written, without the columns left out."""
        return {k: v for k, v in (("nature", self.nature), ("value", self.value), ("unit", self.unit)) if v}


def _glue(nature: str, value: str, unit: str) -> str:
    if value.strip() == UNPUBLISHED:
        return UNPUBLISHED
    op = NATURE_WORDS.get(nature.strip(), nature.strip())
    parts = [op if op != UNPUBLISHED else "", value.strip(), unit.strip() if unit.strip() != UNPUBLISHED else ""]
    return "".join(parts)


@dataclass
class RuleRef:
    name: str | None = None  # a named rule
    inline: dict[str, Any] | None = None  # an inline rule table


@dataclass(kw_only=True)
class Group:
    path: tuple[str, ...] = spec(K.PATH, '该级指标的路径，如 ["产出指标"] 或 ["产出指标", "数量指标"]', required=True)
    weight: Decimal | None = spec(K.NUMBER, "该级指标的分值", minimum=0)
    split: str | None = spec(
        K.ENUM, "equal：下级未写分值的指标平均分摊本级分值（保留两位小数，余数计入最后一项）", choices=("equal",)
    )
    index: int = 0  # position among the [[group]] tables


@dataclass(kw_only=True)
class IndicatorPart:
    """A «其中» sub-row printed under an indicator (format note, item 5): it breaks the row down, it is not scored."""

    name: str = spec(K.STR, "子行名称，照原文，如 “其中：桃树种植面积”", required=True)
    target: str | None = spec(K.QUANTITY, "子行的指标值，照原文", number_as_text=True)
    actual: str | None = spec(K.QUANTITY, "子行的完成值，照原文", number_as_text=True)
    weight: Decimal | None = spec(K.NUMBER, "子行印的分值（原表印了才填）", minimum=0)
    score: Decimal | None = spec(K.NUMBER, "子行印的得分（原表印了才填）", minimum=0)
    key: KeyPath = ()  # where the row is in the TOML, for diagnostics


@dataclass(kw_only=True)
class Indicator:
    index: int  # position among the [[indicator]] tables
    path: tuple[str, ...] = spec(
        K.PATH, '上级指标名称，从一级开始，如 ["产出指标", "数量指标"]；一级指标本身是末级时写 []', required=True
    )
    name: str = spec(K.STR, "指标名称（三级指标）", required=True)
    target: str | None = spec(
        K.QUANTITY,
        "年度指标值 / 目标值，照原文填写，如 “≥24 万笔”“明显提升”；原表分三栏（指标性质 / 指标值 / 度量单位）时写成"
        ' { nature = "≥", value = "95", unit = "%" }',
        number_as_text=True,
        unpublished_ok=True,
    )
    actual: str | None = spec(
        K.QUANTITY,
        "实际完成值，照原文填写；原表分栏时同样可写成 { nature, value, unit }",
        number_as_text=True,
        unpublished_ok=True,
    )
    weight: Decimal | None = spec(K.NUMBER, "分值（权重）", minimum=0, unpublished_ok=True)
    score: Decimal | None = spec(K.NUMBER, "公布的得分", minimum=0, unpublished_ok=True)
    reason: str | None = spec(K.STR, "扣分说明 / 偏差原因分析及改进措施", unpublished_ok=True)
    rule: RuleRef | None = spec(
        K.RULE, '评分规则：规则名称，或行内表 { kind = "steps", step = 1, points = 0.5 }；不写则按方案默认'
    )
    level: str | None = spec(K.STR, "定性指标评价人选择的档次（如 “达成”“好”）", number_as_text=True)
    discretion: Decimal | None = spec(K.NUMBER, "酌情扣分（在规则计算结果上再扣的分数，须写 reason）", minimum=0)
    failed: int | None = spec(K.INT, "清单类指标不符合的项数", minimum=0)
    applicable: bool = spec(K.BOOL, "该指标是否适用；false 表示不适用，总分按适用指标折算", default=True)
    review_score: Decimal | None = spec(K.NUMBER, "复核分", minimum=0)
    explanation: str | None = spec(K.STR, "指标解释")
    criteria: str | None = spec(K.STR, "评分标准 / 指标说明原文")
    parts: list[IndicatorPart] = spec(K.TABLES, "该指标下印的“其中”子行", table=IndicatorPart, default_factory=list)
    uncertain: str | None = spec(
        K.STR, "原表中这一行的值与指标的对应关系不确定时（栏目错位、合并单元格）照实说明，如 “完成值与指标名称错位一行”"
    )
    unpublished: frozenset[str] = _unpublished()

    @property
    def full_path(self) -> tuple[str, ...]:
        return self.path + (self.name,)

    @property
    def key(self) -> KeyPath:
        return ("indicator", self.index)


@dataclass(kw_only=True)
class MonitoringRow:
    path: tuple[str, ...] = spec(K.PATH, "上级指标名称", default=())
    name: str = spec(K.STR, "指标名称", required=True)
    target: str | None = spec(K.STR, "年度指标值", number_as_text=True)
    progress: str | None = spec(K.STR, "期间执行情况")
    deviation: bool | None = spec(K.BOOL, "是否存在偏差")
    likelihood: str | None = spec(K.ENUM, "完成目标的可能性", choices=LIKELIHOODS)
    reason: str | None = spec(K.STR, "偏差原因")


@dataclass(kw_only=True)
class Monitoring:
    period: str | None = spec(K.STR, "监控期间，如 “1-6月”")
    budget: Decimal | None = _amount("年初预算项目总资金数", unpublished_ok=False)
    executed: Decimal | None = _amount("期末累计支出数", unpublished_ok=False)
    summary: str | None = spec(K.STR, "项目进度总体概述")
    deviation_reasons: str | None = spec(K.STR, "存在偏差原因分析")
    next_steps: str | None = spec(K.STR, "下一步工作措施")
    rows: list[MonitoringRow] = spec(
        K.TABLES, "各指标执行情况", key="indicator", table=MonitoringRow, default_factory=list
    )


def _nowhere(path: KeyPath) -> tuple[int, int]:
    return (1, 1)


@dataclass(kw_only=True)
class Revision:
    """A change made to a record after its first publication (publish_date), shown on its page under 修订记录."""

    date: str | None = spec(K.DATE, "修订日期：公开后改动记录的那一天，写到日，如 2025-03-18", required=True)
    note: str = spec(
        K.STR,
        "修订说明：改了什么、为什么改，如 “更正：指标‘系统故障率’的公布得分由 8 分更正为 6 分（录入时抄错）”",
        required=True,
    )
    fields: list[str] = spec(K.STRLIST, '改动涉及的数据（可选），如 ["指标‘系统故障率’得分"]', default_factory=list)
    key: KeyPath = ()  # where the row is in the TOML, for diagnostics


@dataclass(kw_only=True)
class Form:
    """Facts about the published table itself, as the source prints them (issue 11 format note, item 3)."""

    excerpt: str | None = spec(
        K.STR,
        "原文只公布了评价表的一部分时，写明截止处，如 “表格在‘效益指标’之后截断（原文仅公布第2页）”；"
        "写了它，未印出的分值、得分和总分不再逐项报告，总分按已公布部分核对",
    )
    score_places: int | None = spec(
        K.INT, "公布得分的小数位数（表格的精度），原表各项得分的位数一致时填写，如 1 表示保留一位小数", minimum=0
    )
    rounding: str | None = spec(
        K.ENUM,
        "得分的取舍方法，原文写明时填写：half_up 四舍五入，truncate 截尾（舍去），whole 取整数分（四舍五入到整数）",
        choices=ROUNDINGS,
    )
    weight_note: str | None = spec(K.STR, "表上印的分值说明，照录原文，如 “决策20分、过程20分、产出30分、效益30分”")
    max_score: Decimal | None = spec(K.NUMBER, "评价表上印明的满分（原表写明时填写）", minimum=0)


# ---------------------------------------------------------------------------- problems, recommendations, follow-up


@dataclass(kw_only=True)
class ReportProblem:
    """One problem the report lists (存在的问题): what oversight reads first, and what later years follow up."""

    index: int = 0  # position among the [[problems]] tables
    key: str = spec(
        K.STR,
        "问题编号：英文字母、数字和连字符，如 p1、budget-precision；同一项目同一年度内不重复，"
        "以后年度的记录用 年度 + 编号 说明它的整改情况",
        required=True,
        example="p1",
    )
    title: str = spec(K.STR, "问题的简短标题（报告有小标题时照录）", required=True)
    text: str = spec(K.STR, "问题原文，照报告原文录入", required=True)
    category: str | None = spec(K.STR, "类别：决策、过程、产出、效益，或本记录的一级指标名称（如 “投入目标”）")


@dataclass(kw_only=True)
class Recommendation:
    """One recommendation of the report (有关建议), with the problems it answers."""

    index: int = 0  # position among the [[recommendations]] tables
    key: str = spec(K.STR, "建议编号：英文字母、数字和连字符，如 r1；本记录内不重复", required=True, example="r1")
    title: str | None = spec(K.STR, "建议的简短标题（报告有小标题时照录）")
    text: str = spec(K.STR, "建议原文，照报告原文录入", required=True)
    answers: list[str] = spec(
        K.STRLIST, '针对的问题：本记录 [[problems]] 的编号，如 ["p1", "p2"]', default_factory=list
    )


@dataclass(kw_only=True)
class FollowUp:
    """What this evaluation says about a problem an earlier evaluation of the same project listed (整改情况)."""

    index: int = 0  # position among the [[follow_up]] tables
    year: int = spec(K.INT, "原问题所在评价的年度（同一项目较早年度的记录）", required=True, minimum=1990, example=2021)
    problem: str = spec(K.STR, "原问题的编号：该年度记录中 [[problems]] 的 key", required=True, example="p1")
    status: str = spec(K.ENUM, "整改情况", required=True, choices=FOLLOW_UP_STATUSES)
    evidence: str | None = spec(K.STR, "整改情况的说明，照报告原文录入")


@dataclass(kw_only=True)
class ResultUse:
    """评价结果应用: how the evaluation's result changed the project's budget of a following year."""

    change: str = spec(K.ENUM, "评价结果对下一年度预算安排的影响", required=True, choices=BUDGET_CHANGES)
    budget_year: int | None = spec(K.INT, "受影响的预算年度（原文写明时填写），如 2023", minimum=1990)
    amount: Decimal | None = _amount("调减或调增的金额（不带正负号；原文公布时填写，单位同 [budget] unit）", False)
    budget: Decimal | None = _amount("调整后的预算安排数（原文公布时填写）", False)
    text: str | None = spec(K.STR, "评价结果应用情况原文")


@dataclass(kw_only=True)
class Record:
    file: str  # path as given (for diagnostics)
    slug: str
    id: str = spec(
        K.STR,
        "项目编号：同一项目各年度保持不变，用小写字母、数字和连字符",
        required=True,
        example="bayannur-treasury-epay",
    )
    name: str = spec(K.STR, "项目名称", required=True)
    year: int | None = spec(
        K.INT,
        '评价年度；原文没有写评价年度时写 "未公布"，并写 filed_year',
        required=True,
        minimum=1990,
        unpublished_ok=True,
    )
    filed_year: int | None = spec(
        K.INT,
        '归档年度：只在 year = "未公布" 时填写，写原文发布的年份（来自发布页面的日期），记录放在 projects/<filed_year>/；'
        "不是推测的评价年度",
        minimum=1990,
    )
    region: str = spec(K.STR, "地区，如 “江苏省苏州市”", required=True)
    department: str | None = spec(K.STR, "主管部门", required=True, unpublished_ok=True)
    implementer: str | None = spec(K.STR, "实施单位", unpublished_ok=True)
    evaluation: str = spec(K.ENUM, "评价类型", required=True, choices=EVALUATION_KINDS)
    evaluator: str | None = spec(K.STR, "评价机构 / 评价人", required=True, unpublished_ok=True)
    date: str | None = spec(K.DATE, "评价日期：2021、2021-08 或 2021-08-31", required=True, unpublished_ok=True)
    status: str = spec(K.ENUM, "状态：draft 草稿（不公开），published 公开", required=True, choices=STATUSES)
    publish_date: str | None = spec(K.DATE, "公开日期；晚于构建日期的记录暂不公开")
    former_slugs: list[str] = spec(
        K.STRLIST,
        '以前用过的文件名（不含 .toml，同一年度目录）：改过文件名的记录在旧网址留下转向新网址的页面，如 ["old-name"]',
        default_factory=list,
    )
    source: str | None = spec(K.STR, "资料来源（原文出处）")
    source_date: str | None = spec(K.DATE, "资料来源网页的发布日期（网页写明时填写），不是评价日期")
    scheme: str | None = spec(K.STR, "评分方案名称，如 national-self、national-dept、suzhou-self")
    grade_bands: str | None = spec(K.STR, "等级分数段名称（覆盖方案默认值），如 national4、five")
    scored: bool = spec(K.BOOL, "是否计分；原文没有分值和得分时写 false", default=True)
    max_score: Decimal | None = spec(K.NUMBER, "满分（默认为一级指标分值之和）", minimum=0)
    total: Decimal | None = spec(K.NUMBER, "公布的总分", minimum=0, unpublished_ok=True)
    grade: str | None = spec(K.STR, "公布的等级（原文写明时填写）", unpublished_ok=True)
    narrative_marker: str | None = spec(
        K.ENUM,
        '原文没有公布评价报告正文时写 "未公布"，不建同名 .md 文件',
        key="narrative",
        choices=(NOT_PUBLISHED,),
    )
    public_contacts: list[str] = spec(
        K.STRLIST,
        "有意公开的联系电话（如单位的咨询电话），每项一个号码；这些号码公开时照原样显示，不作脱敏处理",
        default_factory=list,
    )
    form: Form | None = spec(K.TABLE, "原表本身的情况：截断、得分精度与取舍、表上印的分值说明和满分", table=Form)
    goals: Goals = spec(K.TABLE, "年度总体目标", table=Goals, default_factory=Goals)
    budget: Budget | None = spec(K.TABLE, "预算与执行（金额单位默认万元）", table=Budget)
    groups: list[Group] = spec(
        K.TABLES, "上级指标（一级、二级……）的分值", key="group", table=Group, default_factory=list
    )
    indicators: list[Indicator] = spec(
        K.TABLES, "末级指标，每行一个，按原表顺序", key="indicator", table=Indicator, default_factory=list
    )
    rules: dict[str, dict[str, Any]] = spec(K.RULES, "本记录自定义的评分规则：[rules.名称]", default_factory=dict)
    monitoring: Monitoring | None = spec(K.TABLE, "执行监控情况", table=Monitoring)
    problems: list[ReportProblem] = spec(
        K.TABLES, "报告所列存在的问题，每个问题一项（可选）", table=ReportProblem, default_factory=list
    )
    recommendations: list[Recommendation] = spec(
        K.TABLES, "报告所提建议，每条建议一项（可选）", table=Recommendation, default_factory=list
    )
    follow_ups: list[FollowUp] = spec(
        K.TABLES,
        "本次评价对同一项目以往年度所列问题的整改情况，每个问题一项（可选）",
        key="follow_up",
        table=FollowUp,
        default_factory=list,
    )
    result_use: ResultUse | None = spec(K.TABLE, "评价结果应用：对以后年度预算安排的影响（可选）", table=ResultUse)
    revisions: list[Revision] = spec(
        K.TABLES,
        "修订记录：公开（publish_date）后的每次改动写一行，按日期先后排列",
        table=Revision,
        default_factory=list,
    )
    narrative: str | None = None  # Markdown text; None when the file is missing
    narrative_file: str = ""
    toml_text: str = ""
    locate: Locate = field(default=_nowhere, repr=False, compare=False)
    unpublished: frozenset[str] = _unpublished()
    # Required fields absent from the file (E101 already said so): loaded as None, "" or () so that every other
    # check still runs on the record, which is not published while the error stands.
    missing: frozenset[KeyPath] = field(default=frozenset(), repr=False, compare=False)

    @property
    def filing_year(self) -> int | None:
        """The year the record is filed and addressed under: its evaluation year, or, where the source printed
        none (year = "未公布"), the year the source was published (filed_year). Never a guessed evaluation year."""
        return self.year if self.year is not None else self.filed_year

    @property
    def excerpt(self) -> str | None:
        """Where the published table ends, when the source printed only part of it ([form] excerpt)."""
        return self.form.excerpt if self.form is not None and (self.form.excerpt or "").strip() else None

    @property
    def narrative_unpublished(self) -> bool:
        """The source published no report text (narrative = "未公布")."""
        return self.narrative_marker == NOT_PUBLISHED

    def not_published(self) -> list[KeyPath]:
        """Every value written "未公布", as key paths in the record's order: ("department",), ("indicator", 3, "score")."""
        out: list[KeyPath] = [(name,) for name in _in_order(self, self.unpublished)]
        if self.narrative_unpublished:
            out.append(("narrative",))
        b = self.budget
        if b is not None:
            out += [("budget", name) for name in _in_order(b, b.unpublished)]
            for rows, table in ((b.sources, "sources"), (b.items, "items")):
                for i, row in enumerate(rows):
                    out += [("budget", table, i, name) for name in _in_order(row, row.unpublished)]
            if b.balance is not None:
                out += [("budget", "balance", name) for name in _in_order(b.balance, b.balance.unpublished)]
        for ind in self.indicators:
            out += [ind.key + (name,) for name in _in_order(ind, ind.unpublished)]
        return out

    @property
    def goals_expected(self) -> list[str]:
        return self.goals.expected

    @property
    def goals_achieved(self) -> list[str]:
        return self.goals.achieved


def _in_order(obj: object, names: frozenset[str]) -> list[str]:
    """The names among an object's attributes, in the order the format declares them."""
    if not names:
        return []
    return [d.field.name for d in declared(type(obj)) if d.field.name in names]
