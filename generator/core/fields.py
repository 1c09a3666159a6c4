"""The record format as data: every field, its type and its Chinese description.

One model serves three readers: the structural validator (structure.py), the JSON Schema that
editors' tools use for completion (jsonschema_export.py) and the field reference in the guide.
"""
from __future__ import annotations

from dataclasses import dataclass

EVALUATION_KINDS = ("单位自评", "部门评价", "财政评价", "第三方评价", "执行监控")
STATUSES = ("draft", "published")
LIKELIHOODS = ("确定能", "有可能", "完全不可能")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # str | int | number | bool | date | enum | strlist | text_or_list | path | table | tables | rules | rule
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    fields: tuple["Field", ...] = ()
    minimum: float | None = None
    example: object = None


def _amount(name: str, desc: str) -> Field:
    return Field(name, "number", desc, minimum=0)


_BUDGET_ROW = (
    Field("name", "str", "名称（资金来源或子项目名称）", required=True),
    _amount("initial", "年初预算数"),
    _amount("budget", "全年预算数（调整后预算）"),
    _amount("executed", "全年执行数（实际支出）"),
    Field("rate", "number", "公布的执行率（百分数，如 83.62 表示 83.62%）", minimum=0),
)

RULE_FIELDS = (
    Field("kind", "enum", "规则类型", required=True, choices=()),  # choices filled from the rule registry
    Field("direction", "enum", "方向：higher 越高越好，lower 越低越好（默认由目标值的符号决定）", choices=("higher", "lower")),
    Field("lower_mode", "enum", "反向比率的算法：inverse 目标÷实际×分值；linear 到 2 倍目标时线性降为 0", choices=("inverse", "linear")),
    Field("step", "number", "每一档的单位数量（如每少 1 万笔则为 1；每下降 5% 则为 5）", minimum=0),
    Field("points", "number", "每一档（或每一不符合项）扣的分数", minimum=0),
    Field("pct", "number", "每一档扣分值的百分之几", minimum=0),
    Field("base", "number", "计算差额的基数（默认为目标值）"),
    Field("partial", "enum", "不足一档时：whole 按一档计（默认），exact 按比例计", choices=("whole", "exact")),
    Field("full_at", "number", "执行率达到此百分数即得满分", minimum=0),
    Field("per_point_pct", "number", "执行率每低 1 个百分点扣分值的百分之几", minimum=0),
    Field("zero_below", "number", "执行率低于此百分数不得分", minimum=0),
    Field("low", "number", "满分区间下限（完成率百分数，如 100）", minimum=0),
    Field("high", "number", "满分区间上限（完成率百分数，如 130；不写则无上限）", minimum=0),
    Field("below_pct", "number", "低于下限每 1 个百分点扣分值的百分之几", minimum=0),
    Field("above_pct", "number", "高于上限每 1 个百分点扣分值的百分之几", minimum=0),
    Field("bands", "bands", "偏差档次：[[偏差上限%, 得分占分值%], …]"),
    Field("tiers", "tiers", "定性档次：[[名称, 下限%, 上限%], …]"),
    Field("levels", "levels", "定性等级：[[名称, 得分占分值%], …]"),
    Field("title", "str", "规则的中文说明（显示在方法说明页）"),
)

INDICATOR_FIELDS = (
    Field("path", "path", "上级指标名称，从一级开始，如 [\"产出指标\", \"数量指标\"]；一级指标本身是末级时写 []", required=True),
    Field("name", "str", "指标名称（三级指标）", required=True),
    Field("target", "str", "年度指标值 / 目标值，照原文填写，如 “≥24 万笔”“明显提升”"),
    Field("actual", "str", "实际完成值，照原文填写"),
    Field("weight", "number", "分值（权重）", minimum=0),
    Field("score", "number", "公布的得分", minimum=0),
    Field("reason", "str", "扣分说明 / 偏差原因分析及改进措施"),
    Field("rule", "rule", "评分规则：规则名称，或行内表 { kind = \"steps\", step = 1, points = 0.5 }；不写则按方案默认"),
    Field("level", "str", "定性指标评价人选择的档次（如 “达成”“好”）"),
    Field("discretion", "number", "酌情扣分（在规则计算结果上再扣的分数，须写 reason）", minimum=0),
    Field("failed", "int", "清单类指标不符合的项数", minimum=0),
    Field("applicable", "bool", "该指标是否适用；false 表示不适用，总分按适用指标折算"),
    Field("review_score", "number", "复核分", minimum=0),
    Field("explanation", "str", "指标解释"),
    Field("criteria", "str", "评分标准 / 指标说明原文"),
)

GROUP_FIELDS = (
    Field("path", "path", "该级指标的路径，如 [\"产出指标\"] 或 [\"产出指标\", \"数量指标\"]", required=True),
    Field("weight", "number", "该级指标的分值", minimum=0),
    Field("split", "enum", "equal：下级未写分值的指标平均分摊本级分值（保留两位小数，余数计入最后一项）", choices=("equal",)),
)

MONITORING_ROW_FIELDS = (
    Field("path", "path", "上级指标名称"),
    Field("name", "str", "指标名称", required=True),
    Field("target", "str", "年度指标值"),
    Field("progress", "str", "期间执行情况"),
    Field("deviation", "bool", "是否存在偏差"),
    Field("likelihood", "enum", "完成目标的可能性", choices=LIKELIHOODS),
    Field("reason", "str", "偏差原因"),
)

RECORD_FIELDS = (
    Field("id", "str", "项目编号：同一项目各年度保持不变，用小写字母、数字和连字符", required=True, example="bayannur-treasury-epay"),
    Field("name", "str", "项目名称", required=True),
    Field("year", "int", "评价年度", required=True, minimum=1990),
    Field("region", "str", "地区，如 “江苏省苏州市”", required=True),
    Field("department", "str", "主管部门", required=True),
    Field("implementer", "str", "实施单位"),
    Field("evaluation", "enum", "评价类型", required=True, choices=EVALUATION_KINDS),
    Field("evaluator", "str", "评价机构 / 评价人", required=True),
    Field("date", "date", "评价日期：2021、2021-08 或 2021-08-31", required=True),
    Field("status", "enum", "状态：draft 草稿（不公开），published 公开", required=True, choices=STATUSES),
    Field("publish_date", "date", "公开日期；晚于构建日期的记录暂不公开"),
    Field("source", "str", "资料来源（原文出处）"),
    Field("scheme", "str", "评分方案名称，如 national-self、national-dept、suzhou-self"),
    Field("grade_bands", "str", "等级分数段名称（覆盖方案默认值），如 national4、five"),
    Field("scored", "bool", "是否计分；原文没有分值和得分时写 false"),
    Field("max_score", "number", "满分（默认为一级指标分值之和）", minimum=0),
    Field("total", "number", "公布的总分", minimum=0),
    Field("grade", "str", "公布的等级（原文写明时填写）"),
    Field("goals", "table", "年度总体目标", fields=(
        Field("expected", "text_or_list", "预期目标"),
        Field("achieved", "text_or_list", "实际完成情况"),
    )),
    Field("budget", "table", "预算与执行（金额单位默认万元）", fields=(
        Field("unit", "str", "金额单位，默认 “万元”"),
        _amount("initial", "年初预算数"),
        Field("adjustment", "number", "预算调整数（调增为正，调减为负）"),
        _amount("budget", "全年预算数（调整后预算）"),
        _amount("arrived", "到位资金"),
        _amount("executed", "全年执行数（实际支出）"),
        Field("rate", "number", "公布的预算执行率（百分数）", minimum=0),
        Field("adjustment_rate", "number", "公布的预算调整率（百分数）"),
        Field("sources", "tables", "资金来源 “其中” 各行", fields=_BUDGET_ROW),
        Field("items", "tables", "支出明细 / 子项目", fields=_BUDGET_ROW),
        Field("balance", "table", "结余结转情况", fields=(
            _amount("unallocated", "指标结余数 = 预算数 − 财政拨款数"),
            _amount("appropriated", "财政拨款数"),
            _amount("paid", "实际支付数"),
            _amount("balance", "资金结余、结转数 = 财政拨款数 − 实际支付数"),
            _amount("carried", "结转数"),
            _amount("recovered", "财政收回数"),
        )),
    )),
    Field("group", "tables", "上级指标（一级、二级……）的分值", fields=GROUP_FIELDS),
    Field("indicator", "tables", "末级指标，每行一个，按原表顺序", fields=INDICATOR_FIELDS),
    Field("rules", "rules", "本记录自定义的评分规则：[rules.名称]"),
    Field("monitoring", "table", "执行监控情况", fields=(
        Field("period", "str", "监控期间，如 “1-6月”"),
        _amount("budget", "年初预算项目总资金数"),
        _amount("executed", "期末累计支出数"),
        Field("summary", "str", "项目进度总体概述"),
        Field("deviation_reasons", "str", "存在偏差原因分析"),
        Field("next_steps", "str", "下一步工作措施"),
        Field("indicator", "tables", "各指标执行情况", fields=MONITORING_ROW_FIELDS),
    )),
)

