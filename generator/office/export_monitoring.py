"""The record's 执行监控 section ([monitoring]) as the national mid-year monitoring form, 项目支出绩效目标执行监控表,
the second sheet of the national export (export_xlsx.py).

The sheet follows the form 巴彦淖尔市财政局 published (seed 000) in the column order of the other monitoring
forms (monitoring.py names them): title and (YYYY年度); 项目名称, 主管部门, 实施单位; 项目资金（万元） with
年初预算数 | <期间>执行数 | 执行率 and the rows 年度资金总额 / 其中：财政拨款 / 其他资金; 绩效指标 with merged
一级 / 二级 cells, `指标N：` before each 三级 name, 年度指标值 | <期间>执行情况 | 是否存在偏差 | 完成目标的可能性 |
偏差原因; 项目执行情况总结 with 一、项目进度总体概述 / 二、存在偏差原因分析 / 三、下一步工作措施, each heading over
its text. The importer (monitoring.py) reads it back into the same [monitoring] section.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from generator.core.decimals import fmt
from generator.core.model import Monitoring, MonitoringRow, Record

from .export_common import CENTER, LEFT, Sheet, cut_path, finish, leaf_name_col, write_levels
from .xlsx_writer import SheetPlan

TITLE = "项目支出绩效目标执行监控表"
FORM = "执行监控表"
COLUMNS = {"A": 11, "B": 12, "C": 14, "D": 30, "E": 16, "F": 16, "G": 10, "H": 14, "I": 26}
TEXT_BLOCKS = (
    ("一、项目进度总体概述", "summary"),
    ("二、存在偏差原因分析", "deviation_reasons"),
    ("三、下一步工作措施", "next_steps"),
)


def execution_rate(m: Monitoring) -> Decimal | None:
    """期末累计执行数 ÷ 年初预算数, as a percentage to two places (the form's 执行率 cell)."""
    if m.budget is None or m.executed is None or m.budget == 0:
        return None
    return (m.executed / m.budget * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def build_sheet(record: Record) -> tuple[SheetPlan, list[str]]:
    m = record.monitoring
    assert m is not None
    notes: list[str] = [f"执行监控情况（[monitoring]）写在第二张工作表“{TITLE}”。"]
    sheet = SheetPlan(title=TITLE, widths=dict(COLUMNS), print_title_rows="1:2", landscape=True)
    s = Sheet(sheet)
    period = m.period or ""

    s.put(1, "A", TITLE, align=CENTER, bold=True, size=16)
    s.merge("A1", "I1")
    s.put(2, "A", f"（{record.year}年度）")
    s.merge("A2", "I2")
    s.put(3, "A", "项目名称")
    s.put(3, "B", record.name, align=LEFT)
    s.merge("B3", "I3")
    s.put(4, "A", "主管部门")
    s.put(4, "B", record.department, align=LEFT)
    s.merge("B4", "E4")
    s.put(4, "F", "实施单位")
    s.put(4, "G", record.implementer, align=LEFT)
    s.merge("G4", "I4")

    # ---------------------------------------------------------------- 项目资金
    unit = record.budget.unit if record.budget is not None else "万元"
    s.put(5, "A", f"项目资金（{unit}）")
    s.merge("A5", "A8")
    s.merge("B5", "C5")
    s.put(5, "D", "年初预算数")
    s.put(5, "E", f"{period}执行数" if period else "累计执行数")
    s.put(5, "F", "执行率")
    s.merge("F5", "I5")
    s.put(6, "B", "年度资金总额")
    if m.budget is not None:
        s.put(6, "D", m.budget, fmt_number=True)
    if m.executed is not None:
        s.put(6, "E", m.executed, fmt_number=True)
    rate = execution_rate(m)
    if rate is not None:
        s.put(6, "F", rate / 100, percent=True)
        notes.append(f"执行监控表的执行率按期末累计执行数 ÷ 年初预算数算出（{fmt(rate)}%）。")
    for row, text in ((6, None), (7, "其中：财政拨款"), (8, "其他资金")):
        if text:
            s.put(row, "B", text, align=LEFT)
        s.merge(f"B{row}", f"C{row}")
        s.merge(f"F{row}", f"I{row}")

    # ---------------------------------------------------------------- 绩效指标
    r = 9
    top = r
    s.put(r, "A", "绩效指标")
    for col, text in zip(
        "BCDEFGHI",
        (
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            f"{period}执行情况" if period else "执行情况",
            "是否存在偏差（是/否）",
            "完成目标的可能性（确定能/有可能/完全不可能）",
            "偏差原因（经费保障/制度保障/人员保障/硬件条件保障/其他）",
        ),
    ):
        s.put(r, col, text)
    plan: list[tuple[int, MonitoringRow, tuple[str, ...]]] = []
    for leaf in m.rows:
        r += 1
        plan.append((r, leaf, cut_path(leaf, 2, notes, FORM)))
    write_levels(s, [(row_no, path) for row_no, _leaf, path in plan], "BC")
    counters: dict[tuple[str, ...], int] = {}
    for row_no, leaf, path in plan:
        col = leaf_name_col(path, "BC", "D")
        if col == "D":
            counters[path] = counters.get(path, 0) + 1
            s.put(row_no, "D", f"指标{counters[path]}：{leaf.name}", align=LEFT)
        else:
            s.put(row_no, col, leaf.name, align=LEFT)
        for col, value in (("E", leaf.target), ("F", leaf.progress)):
            if value is not None:
                s.put(row_no, col, value, align=LEFT)
        if leaf.deviation is not None:
            s.put(row_no, "G", "是" if leaf.deviation else "否")
        if leaf.likelihood is not None:
            s.put(row_no, "H", leaf.likelihood)
        if leaf.reason:
            s.put(row_no, "I", leaf.reason, align=LEFT)
    s.merge(f"A{top}", f"A{r}")

    # ---------------------------------------------------------------- 项目执行情况总结
    first = r + 1
    for heading, attr in TEXT_BLOCKS:
        r += 1
        s.put(r, "B", heading, align=LEFT, bold=True)
        s.merge(f"B{r}", f"I{r}")
        r += 1
        text = getattr(m, attr)
        if text:
            s.put(r, "B", text, align=LEFT)
        s.merge(f"B{r}", f"I{r}")
    s.put(first, "A", "项目执行情况总结")
    s.merge(f"A{first}", f"A{r}")
    s.frame(3, r)
    finish(sheet, notes)
    return sheet, notes
