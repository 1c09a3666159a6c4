"""The 湖北 / 武汉 self-evaluation table (seed 001's shape): no points.

单位名称：… above the table; 项目名称 / 主管部门 / 项目实施单位; 预算执行情况（万元） with 资金来源 |
预算数（A） | 执行数（B） | 执行率（B/A）, a row per source and 合计; 年度绩效目标完成情况 with 一级 | 二级 |
三级指标 | 年初目标值 | 实际完成值 | 未完成原因及改进措施; 备注 under the table. Variants that add 分值 / 得分
columns are read as scored.
"""

from __future__ import annotations

from .form_reader import FormReader, ImportResult
from .grid import Grid

NAME = "wuhan"
TITLE = "湖北省（武汉市）项目支出绩效自评表"
PAIRS = {"项目名称": "name", "主管部门": "department", "实施单位": "implementer", "项目实施单位": "implementer"}


def detect(grid: Grid) -> int:
    labels = grid.labels()
    score = 0
    if any(l.startswith("预算数(A)") or l.startswith("执行率(B/A)") or l.startswith("执行数(B)") for l in labels):
        score += 3
    if any("年初目标值" in l for l in labels):
        score += 2
    if any("三级指标" in l for l in labels):
        score += 2
    if any("未完成原因" in l for l in labels) or any(l.startswith("资金来源") for l in labels):
        score += 1
    return score


def read(grid: Grid) -> ImportResult:
    res = ImportResult(layout=NAME, layout_title=TITLE, sheet=grid.name)
    fr = FormReader(grid, res)
    first_pair = fr.read_pairs(PAIRS)
    fr.read_title(first_pair or 3)
    res.data["scheme"] = "national-self"
    fr.use_block_labels(lambda l: l.startswith("预算执行情况"))
    funds = fr.find_label(lambda l: l.startswith("资金来源") or l.startswith("预算数(A)"))
    if funds:
        fr.read_funds(funds[0])
    section = fr.find_label(lambda l: l.startswith("年度绩效目标完成情况") or l == "绩效目标完成情况")
    if section:
        grid.use(*section)
    header = fr.find_label(lambda l: "三级指标" in l)
    if header is None:
        res.unmapped.append(f"{grid.name}: 找不到“三级指标”表头，指标表未导入")
        fr.finish()
        return res
    cols, last_header = fr.indicator_header(header[0])
    fr.read_indicators(cols, last_header + 1)
    fr.decide_scored()
    fr.finish()
    return res
