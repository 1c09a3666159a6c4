"""The national self-evaluation form (财政部《项目支出绩效自评表》, seed 000's shape).

项目名称 / 主管部门 / 实施单位; 项目资金（万元） with 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 |
得分 and the rows 年度资金总额 / 其中：当年财政拨款 / 上年结转资金 / 其他资金; 年度总体目标 (预期目标 /
实际完成情况); 绩效指标 with 一级 | 二级 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |
偏差原因分析及改进措施; 总分.
"""

from __future__ import annotations

from .form_reader import FormReader, ImportResult
from .grid import Grid

NAME = "national"
TITLE = "项目支出绩效自评表（全国通用样式）"
PAIRS = {
    "项目名称": "name",
    "主管部门": "department",
    "主管部门(单位)": "department",
    "实施单位": "implementer",
    "项目实施单位": "implementer",
}


def detect(grid: Grid) -> int:
    labels = grid.labels()
    score = 0
    if any(l.startswith("年度资金总额") for l in labels):
        score += 3
    if "年初预算数" in labels and "全年执行数" in labels:
        score += 2
    if any("三级指标" in l for l in labels):
        score += 2
    if any("指标值" in l for l in labels) and any(l in ("分值", "得分") for l in labels):
        score += 1
    if any("总体目标" in l for l in labels):
        score += 1
    return score


def read(grid: Grid) -> ImportResult:
    res = ImportResult(layout=NAME, layout_title=TITLE, sheet=grid.name)
    fr = FormReader(grid, res)
    first_pair = fr.read_pairs(PAIRS)
    fr.read_title(first_pair or 3)
    res.data["scheme"] = "national-self"
    fr.use_block_labels(lambda l: l.startswith("项目资金") and not l.startswith("项目资金构成"))
    funds = fr.find_label(lambda l: l.startswith("年初预算数"))
    total: dict = {}
    if funds:
        _, total = fr.read_funds(funds[0])
    header = fr.find_label(lambda l: "三级指标" in l)
    if header is None:
        res.unmapped.append(f"{grid.name}: 找不到“三级指标”表头，指标表未导入")
        fr.finish()
        return res
    goals = fr.find_label(lambda l: l.startswith("预期目标"), rows=range(1, header[0]))
    if goals:
        fr.read_goals(goals[0], header[0])
    cols, last_header = fr.indicator_header(header[0])
    fr.budget_execution_leaf(total)
    fr.read_indicators(cols, last_header + 1)
    fr.decide_scored()
    fr.finish()
    return res
