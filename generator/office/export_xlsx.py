"""Fill a self-evaluation form with a record, as an .xlsx file: the national form (项目支出绩效自评表)
here, the 湖北 / 武汉 and 苏州 forms in export_hubei.py and export_suzhou.py (`LAYOUTS`).

The national sheet is laid out as the Ministry of Finance's template is: title and (YYYY年度); 项目名称,
主管部门, 实施单位; the 项目资金（万元） block (年度资金总额 with the 预算执行率 indicator's 分值 / 执行率 /
得分, then 其中：当年财政拨款 / 上年结转资金 / 其他资金 and any other source); 年度总体目标; the indicator
block with merged 一级 / 二级 cells and `指标N：` before each 三级 name; 总分. Amounts, weights and scores
carry the number format `0.00`. What the form has no place for is listed, not dropped silently. Every
row's height fits its wrapped text (row_height.py). A record with an 执行监控 section ([monitoring]) gets the
national monitoring form (项目支出绩效目标执行监控表, export_monitoring.py) as the workbook's second sheet.

The import reads each layout back into the same record (see tests/test_office_export.py).
"""

from __future__ import annotations

from pathlib import Path

from generator.core.decimals import fmt
from generator.core.model import Indicator, Record

from .export_common import (
    CENTER,
    LEFT,
    ExportFailure,
    Sheet,
    as_record,
    cut_path,
    finish,
    full_marks,
    indicator_notes,
    is_budget_execution,
    leaf_name_col,
    record_notes,
    write_levels,
)
from .xlsx_writer import SheetPlan, to_bytes

NUMBER_FORMAT = "0.00"
STANDARD_SOURCES = ("当年财政拨款", "上年结转资金", "其他资金")
COLUMNS = {"A": 11, "B": 14, "C": 16, "D": 34, "E": 18, "F": 18, "G": 9, "H": 9, "I": 26}
FORM = "自评表"

__all__ = ["ExportFailure", "LAYOUTS", "build_sheets", "build_workbook", "choose_layout", "export_bytes", "export_xlsx"]


def build_workbook(record: Record) -> tuple[SheetPlan, list[str]]:
    notes: list[str] = []
    sheet = SheetPlan(title="项目支出绩效自评表", widths=dict(COLUMNS), print_title_rows="1:2", landscape=True)
    s = Sheet(sheet)

    s.put(1, "A", "项目支出绩效自评表", align=CENTER, bold=True, size=16)
    s.merge("A1", "I1")
    s.put(2, "A", f"（{record.year}年度）" if record.year is not None else "（评价年度未公布）")
    s.merge("A2", "I2")
    s.put(3, "A", "项目名称")
    s.put(3, "B", record.name, align=LEFT)
    s.merge("B3", "I3")
    s.put(4, "A", "主管部门")
    s.value(4, "B", record, "department", record.department, align=LEFT)
    s.merge("B4", "E4")
    s.put(4, "F", "实施单位")
    s.value(4, "G", record, "implementer", record.implementer, align=LEFT)
    s.merge("G4", "I4")
    first_framed = 3

    # ---------------------------------------------------------------- 项目资金
    b = record.budget
    unit = b.unit if b is not None else "万元"
    exec_leaf = next((ind for ind in record.indicators if is_budget_execution(ind)), None)
    r = 5
    s.put(r, "A", f"项目资金（{unit}）")
    for col, text in zip("CDEFGH", ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")):
        s.put(r, col, text)
    s.merge(f"H{r}", f"I{r}")
    r += 1
    s.put(r, "B", "年度资金总额")
    if b is not None:
        for col, field_name in zip("CDEG", ("initial", "budget", "executed", "rate")):
            s.value(r, col, b, field_name, getattr(b, field_name), fmt_number=True)
    if exec_leaf is not None and record.scored:
        s.value(r, "F", exec_leaf, "weight", exec_leaf.weight, fmt_number=True)
        s.value(r, "H", exec_leaf, "score", exec_leaf.score, fmt_number=True)
    s.merge(f"H{r}", f"I{r}")
    sources = list(b.sources) if b is not None else []
    names = [src.name for src in sources] + [n for n in STANDARD_SOURCES if n not in {src.name for src in sources}]
    by_name = {src.name: src for src in sources}
    for i, name in enumerate(names):
        r += 1
        s.put(r, "B", ("其中：" if i == 0 else "") + name, align=LEFT)
        src = by_name.get(name)
        if src is not None:
            for col, field_name in zip("CDEG", ("initial", "budget", "executed", "rate")):
                s.value(r, col, src, field_name, getattr(src, field_name), fmt_number=True)
        s.put(r, "F", "—")
        s.put(r, "H", "—")
        s.merge(f"H{r}", f"I{r}")
    s.merge("A5", f"A{r}")

    # ---------------------------------------------------------------- 年度总体目标
    r += 1
    goals_top = r
    s.put(r, "A", "年度总体目标")
    s.put(r, "B", "预期目标")
    s.merge(f"B{r}", f"E{r}")
    s.put(r, "F", "实际完成情况")
    s.merge(f"F{r}", f"I{r}")
    count = max(len(record.goals_expected), len(record.goals_achieved), 1)
    for i in range(count):
        r += 1
        if i < len(record.goals_expected):
            s.put(r, "B", record.goals_expected[i], align=LEFT)
        if i < len(record.goals_achieved):
            s.put(r, "F", record.goals_achieved[i], align=LEFT)
        s.merge(f"B{r}", f"E{r}")
        s.merge(f"F{r}", f"I{r}")
    s.merge(f"A{goals_top}", f"A{r}")

    # ---------------------------------------------------------------- 绩效指标
    r += 1
    table_top = r
    s.put(r, "A", "绩效指标")
    for col, text in zip(
        "BCDEFGHI",
        ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"),
    ):
        s.put(r, col, text)
    leaves = [ind for ind in record.indicators if ind is not exec_leaf]
    from generator.core.scoring import derive_weights

    derived = derive_weights(record)
    if derived and record.scored:
        notes.append(
            f'{len(derived)} 个指标的分值由上级指标的 split = "equal" 推算（该类总分值 ÷ 指标个数），写入了分值栏。'
        )
    plan: list[tuple[int, Indicator, tuple[str, ...]]] = []
    for ind in leaves:
        r += 1
        plan.append((r, ind, cut_path(ind, 2, notes, FORM)))
    write_levels(s, [(row, path) for row, _ind, path in plan], "BC")
    counters: dict[tuple[str, ...], int] = {}
    for row, ind, path in plan:
        col = leaf_name_col(path, "BC", "D")
        if col == "D":
            counters[path] = counters.get(path, 0) + 1
            s.put(row, "D", f"指标{counters[path]}：{ind.name}", align=LEFT)
        else:
            s.put(row, col, ind.name, align=LEFT)  # a leaf with fewer upper levels: its name in a level column
        s.value(row, "E", ind, "target", ind.target, align=LEFT)
        s.value(row, "F", ind, "actual", ind.actual, align=LEFT)
        if record.scored:
            weight = ind.weight if ind.weight is not None else derived.get(ind.index)
            s.value(row, "G", ind, "weight", weight, fmt_number=True)
            s.value(row, "H", ind, "score", ind.score, fmt_number=True)
        s.value(row, "I", ind, "reason", ind.reason or None, align=LEFT)
    r += 1
    s.put(r, "A", "总分", bold=True)
    s.merge(f"A{r}", f"F{r}")
    if record.scored:
        max_score = full_marks(record, derived, notes, "总分行的分值")
        if max_score is not None:
            s.put(r, "G", max_score, fmt_number=True)
        s.value(r, "H", record, "total", record.total, fmt_number=True)
    s.merge(f"A{table_top}", f"A{r - 1}")
    s.frame(first_framed, r)

    notes += _not_exported(record, exec_leaf)
    finish(sheet, notes)
    return sheet, notes


def _not_exported(record: Record, exec_leaf: Indicator | None) -> list[str]:
    out: list[str] = []
    b = record.budget
    if b is not None:
        for attr, label in (("adjustment", "预算调整数"), ("arrived", "到位资金"), ("adjustment_rate", "预算调整率")):
            if getattr(b, attr) is not None:
                out.append(f"{label}（budget.{attr} = {fmt(getattr(b, attr))}）自评表没有这一栏，未导出。")
        if b.items:
            out.append(f"支出明细 / 子项目（{len(b.items)} 行）自评表没有位置，未导出。")
        if b.balance is not None:
            out.append("结余结转情况（budget.balance）自评表没有位置，未导出。")
    if exec_leaf is not None:
        if exec_leaf.target:
            out.append(
                f"“预算执行率”的目标值“{exec_leaf.target}”自评表没有位置（年度资金总额一行只有分值、执行率、得分），未导出。"
            )
        if exec_leaf.reason:
            out.append(f"“预算执行率”的扣分说明“{exec_leaf.reason}”自评表没有位置，未导出。")
        if exec_leaf.rule is not None:
            out.append("“预算执行率”的评分规则自评表没有位置，未导出。")
        if record.budget is None or record.budget.rate is None:
            if exec_leaf.actual:
                out.append(f"“预算执行率”的完成值“{exec_leaf.actual}”没有导出：执行率一栏只写记录中的 budget.rate。")
    if not record.scored:
        out.append("记录不计分（scored = false），分值、得分和总分栏留空。")
    out += indicator_notes(record, exec_leaf, FORM)
    if record.groups and any(g.weight is not None for g in record.groups):
        out.append("上级指标的分值（[[group]]）自评表没有栏目，未导出（可由各指标分值相加得出）。")
    out += record_notes(record, FORM, monitoring_sheet=True)
    return out


def _hubei(record: Record) -> tuple[SheetPlan, list[str]]:
    from .export_hubei import build_workbook as build

    return build(record)


def _suzhou(record: Record) -> tuple[SheetPlan, list[str]]:
    from .export_suzhou import build_workbook as build

    return build(record)


# layout → (the form's name, its builder); `import` reads hubei as its layout “wuhan”
LAYOUTS = {
    "national": ("项目支出绩效自评表（全国通用样式）", build_workbook),
    "hubei": ("湖北省（武汉市）项目支出绩效自评表", _hubei),
    "suzhou": ("苏州市级财政支出项目绩效自评表", _suzhou),
}


def choose_layout(record: Record) -> tuple[str, str]:
    """The layout for a record whose editor named none, and why (Chinese): the 苏州 scheme gives the 苏州
    form, a 湖北 region the 湖北 form, anything else the national form."""
    if record.scheme == "suzhou-self":
        return "suzhou", f"按记录的评分方案 {record.scheme} 选用"
    if record.region.startswith("湖北"):
        return "hubei", f"按记录的地区“{record.region}”选用"
    return "national", "默认样式"


def build_sheets(record: Record, layout: str = "national") -> tuple[list[SheetPlan], list[str]]:
    """The workbook's sheets for `layout`: the self-evaluation form, and for the national layout the
    执行监控 form when the record has one. Returns the sheets and the notes of both."""
    plan, notes = LAYOUTS[layout][1](record)
    plans = [plan]
    if layout == "national" and record.monitoring is not None:
        from .export_monitoring import build_sheet

        monitoring, more = build_sheet(record)
        plans.append(monitoring)
        notes = notes + more
    return plans, notes


def export_xlsx(record_path_or_evaluation, out_path, layout: str = "national") -> list[str]:
    """Write the form of `layout` for a record (a path to its .toml, a loaded Record, or a scoring
    Evaluation) to out_path. Returns notes on what the form has no place for."""
    record = as_record(record_path_or_evaluation)
    plans, notes = build_sheets(record, layout)
    out = Path(out_path)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(to_bytes(*plans))
    return notes


def export_bytes(record: Record, layout: str = "national") -> bytes:
    """The filled form as bytes (the site's download); the same record always gives the same bytes."""
    plans, _notes = build_sheets(record, layout)
    return to_bytes(*plans)
