"""The record format as data: every field, its kind and its Chinese description.

Record fields are declared once, on the model's dataclasses (model.py); this module reads them into
the Field trees below. Rule tables stay plain dicts (their parameters vary by kind), so their fields
are declared here, in RULE_FIELDS; each rule kind (rules.py) names the ones it takes.

These trees serve every reader of the format: the loader and the structural validator
(structure.py), the placeholder check, the JSON Schema editors' tools use (authoring/json_schema.py),
the TOML writer, `new` and the field reference in the guide.
"""

from __future__ import annotations

from .field_types import Field, FieldKind, Layout, fields_of
from .model import EVALUATION_KINDS, LIKELIHOODS, STATUSES, BudgetRow, Group, Indicator, MonitoringRow, Record

__all__ = [
    "EVALUATION_KINDS",
    "LIKELIHOODS",
    "STATUSES",
    "Field",
    "FieldKind",
    "Layout",
    "RECORD_FIELDS",
    "BUDGET_ROW_FIELDS",
    "GROUP_FIELDS",
    "INDICATOR_FIELDS",
    "MONITORING_ROW_FIELDS",
    "RULE_FIELDS",
    "sub_fields",
]

K = FieldKind

RULE_FIELDS = (
    Field("kind", K.ENUM, "规则类型", required=True, choices=()),  # choices: the rule registry, rules.KINDS
    Field(
        "direction",
        K.ENUM,
        "方向：higher 越高越好，lower 越低越好，equal 等于目标值最好（默认由目标值的符号决定；"
        "没有符号的成本指标按 lower）",
        choices=("higher", "lower", "equal"),
    ),
    Field(
        "lower_mode",
        K.ENUM,
        "反向比率的算法：inverse 目标÷实际×分值；linear 到 2 倍目标时线性降为 0",
        choices=("inverse", "linear"),
    ),
    Field("step", K.NUMBER, "每一档的单位数量（如每少 1 万笔则为 1；每下降 5% 则为 5）", minimum=0),
    Field("points", K.NUMBER, "每一档（或每一不符合项）扣的分数", minimum=0),
    Field("pct", K.NUMBER, "每一档扣分值的百分之几", minimum=0),
    Field("base", K.NUMBER, "计算差额的基数（默认为目标值）"),
    Field("partial", K.ENUM, "不足一档时：whole 按一档计（默认），exact 按比例计", choices=("whole", "exact")),
    Field("full_at", K.NUMBER, "执行率达到此百分数即得满分", minimum=0),
    Field("per_point_pct", K.NUMBER, "执行率每低 1 个百分点扣分值的百分之几", minimum=0),
    Field("zero_below", K.NUMBER, "执行率低于此百分数不得分", minimum=0),
    Field("low", K.NUMBER, "满分区间下限（完成率百分数，如 100）", minimum=0),
    Field("high", K.NUMBER, "满分区间上限（完成率百分数，如 130；不写则无上限）", minimum=0),
    Field("below_pct", K.NUMBER, "低于下限每 1 个百分点扣分值的百分之几", minimum=0),
    Field("above_pct", K.NUMBER, "高于上限每 1 个百分点扣分值的百分之几", minimum=0),
    Field("bands", K.BANDS, "偏差档次：[[偏差上限%, 得分占分值%], …]"),
    Field("tiers", K.TIERS, "定性档次：[[名称, 下限%, 上限%], …]"),
    Field("levels", K.LEVELS, "定性等级：[[名称, 得分占分值%], …]"),
    Field("title", K.STR, "规则的中文说明（显示在方法说明页）"),
)

RECORD_FIELDS = fields_of(Record)
BUDGET_ROW_FIELDS = fields_of(BudgetRow)
GROUP_FIELDS = fields_of(Group)
INDICATOR_FIELDS = fields_of(Indicator)
MONITORING_ROW_FIELDS = fields_of(MonitoringRow)


def sub_fields(fields: tuple[Field, ...], *names: str) -> tuple[Field, ...]:
    """The fields of a nested table, found by name: sub_fields(RECORD_FIELDS, "budget", "sources")."""
    for name in names:
        fields = next(f.fields for f in fields if f.name == name)
    return fields
