"""Fill the national self-evaluation form (项目支出绩效自评表) with a record, as an .xlsx file.

The sheet is laid out as the Ministry of Finance's template is: title and (YYYY年度); 项目名称, 主管部门,
实施单位; the 项目资金（万元） block (年度资金总额 with the 预算执行率 indicator's 分值 / 执行率 / 得分,
then 其中：当年财政拨款 / 上年结转资金 / 其他资金 and any other source); 年度总体目标; the indicator
block with merged 一级 / 二级 cells and `指标N：` before each 三级 name; 总分. Amounts, weights and
scores carry the number format `0.00`. What the form has no place for is listed, not dropped silently.

The import reads this file back into the same record (see tests/test_office_export.py).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from generator.core.decimals import ZERO, fmt
from generator.core.field_types import NOT_PUBLISHED
from generator.core.model import Indicator, Record

from .xlsx_writer import SheetPlan, to_bytes

NUMBER_FORMAT = "0.00"
STANDARD_SOURCES = ("当年财政拨款", "上年结转资金", "其他资金")
COLUMNS = {"A": 11, "B": 14, "C": 16, "D": 34, "E": 18, "F": 18, "G": 9, "H": 9, "I": 26}
_CENTER = "center"
_LEFT = "left"


class ExportFailure(Exception):
    """The record could not be loaded; the message lists its errors (Chinese)."""


def _as_record(source) -> Record:
    if isinstance(source, Record):
        return source
    record = getattr(source, "record", None)
    if isinstance(record, Record):
        return record
    from generator.core import diagnostics as dg
    from generator.core.loader import load_file

    path = str(source)
    record, diags = load_file(path)
    if record is None:
        problems = "\n".join(d.to_text() for d in diags if d.severity is dg.Severity.ERROR) or f"无法读取 {path}"
        raise ExportFailure(f"记录 {path} 无法读取，不能导出：\n{problems}")
    return record


def is_budget_execution(ind: Indicator) -> bool:
    """The leaf that lives in the form's 年度资金总额 row rather than in the indicator table."""
    if ind.path:
        return False
    if ind.rule is not None:
        kind = (ind.rule.inline or {}).get("kind") if ind.rule.inline else ind.rule.name
        if kind in ("budget_execution", "预算执行率"):
            return True
    return "预算执行率" in ind.name


class _Sheet:
    """The form's cells as instructions for the writer (values, merges, the framed block)."""

    def __init__(self, plan: SheetPlan) -> None:
        self.plan = plan

    def put(
        self,
        row: int,
        col: str,
        value,
        *,
        fmt_number: bool = False,
        bold: bool = False,
        align: str = _CENTER,
        size: int = 10,
    ) -> None:
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() and abs(value) < 10**15 else value
        self.plan.put(row, col, value, number=fmt_number, bold=bold, align=align, size=size)

    def value(self, row: int, col: str, obj: object, name: str, value, **style) -> None:
        """A field's value, or "未公布" where the source left it blank (issue 11); nothing when not given."""
        if value is not None:
            self.put(row, col, value, **style)
        elif name in getattr(obj, "unpublished", ()):
            self.put(row, col, NOT_PUBLISHED, align=style.get("align", _CENTER))

    def merge(self, first: str, last: str) -> None:
        self.plan.merge(first, last)

    def frame(self, r0: int, r1: int, c0: str = "A", c1: str = "I") -> None:
        self.plan.frame(r0, r1, c0, c1)


def build_workbook(record: Record) -> tuple[SheetPlan, list[str]]:
    notes: list[str] = []
    sheet = SheetPlan(title="项目支出绩效自评表", widths=dict(COLUMNS), print_title_rows="1:2", landscape=True)
    s = _Sheet(sheet)

    s.put(1, "A", "项目支出绩效自评表", align=_CENTER, bold=True, size=16)
    s.merge("A1", "I1")
    s.put(2, "A", f"（{record.year}年度）" if record.year is not None else "（评价年度未公布）")
    s.merge("A2", "I2")
    s.put(3, "A", "项目名称")
    s.put(3, "B", record.name, align=_LEFT)
    s.merge("B3", "I3")
    s.put(4, "A", "主管部门")
    s.value(4, "B", record, "department", record.department, align=_LEFT)
    s.merge("B4", "E4")
    s.put(4, "F", "实施单位")
    s.value(4, "G", record, "implementer", record.implementer, align=_LEFT)
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
        for col, name in zip("CDEG", ("initial", "budget", "executed", "rate")):
            s.value(r, col, b, name, getattr(b, name), fmt_number=True)
    if exec_leaf is not None and record.scored:
        s.value(r, "F", exec_leaf, "weight", exec_leaf.weight, fmt_number=True)
        s.value(r, "H", exec_leaf, "score", exec_leaf.score, fmt_number=True)
    s.merge(f"H{r}", f"I{r}")
    sources = list(b.sources) if b is not None else []
    names = [src.name for src in sources] + [n for n in STANDARD_SOURCES if n not in {src.name for src in sources}]
    by_name = {src.name: src for src in sources}
    for i, name in enumerate(names):
        r += 1
        s.put(r, "B", ("其中：" if i == 0 else "") + name, align=_LEFT)
        src = by_name.get(name)
        if src is not None:
            for col, name in zip("CDEG", ("initial", "budget", "executed", "rate")):
                s.value(r, col, src, name, getattr(src, name), fmt_number=True)
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
            s.put(r, "B", record.goals_expected[i], align=_LEFT)
        if i < len(record.goals_achieved):
            s.put(r, "F", record.goals_achieved[i], align=_LEFT)
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
    counters: dict[tuple[str, ...] | None, int] = {}
    plan: list[tuple[int, Indicator, tuple | None, tuple | None, list[str]]] = []
    for ind in leaves:
        r += 1
        path = list(ind.path)
        if len(path) > 2:
            notes.append(
                f"指标“{ind.name}”有 {len(path)} 级上级指标，自评表只有一级、二级两栏，二级栏写作“{'/'.join(path[1:])}”。"
            )
            path = [path[0], "/".join(path[1:])]
        key1 = tuple(path[:1]) if path else None
        key2 = tuple(path[:2]) if len(path) == 2 else None
        plan.append((r, ind, key1, key2, path))
    for col, key_at in (("B", 2), ("C", 3)):
        run_start = None
        for i, (row, _ind, key1, key2, _path) in enumerate(plan):
            key = key1 if col == "B" else key2
            prev = plan[i - 1][key_at] if i else None
            if key is not None and key == prev:
                continue
            if run_start is not None and row - 1 > run_start:
                s.merge(f"{col}{run_start}", f"{col}{row - 1}")
            run_start = row if key is not None else None
            if key is not None:
                s.put(row, col, key[-1])
        if run_start is not None and plan and plan[-1][0] > run_start:
            s.merge(f"{col}{run_start}", f"{col}{plan[-1][0]}")
    for row, ind, _key1, key2, path in plan:
        if len(path) == 2:
            counters[key2] = counters.get(key2, 0) + 1
            s.put(row, "D", f"指标{counters[key2]}：{ind.name}", align=_LEFT)
        elif len(path) == 1:
            s.put(row, "C", ind.name, align=_LEFT)  # a leaf right under 一级: its name in the 二级 column
        else:
            s.put(row, "B", ind.name, align=_LEFT)  # a leaf with no upper level
        s.value(row, "E", ind, "target", ind.target, align=_LEFT)
        s.value(row, "F", ind, "actual", ind.actual, align=_LEFT)
        if record.scored:
            weight = ind.weight if ind.weight is not None else derived.get(ind.index)
            s.value(row, "G", ind, "weight", weight, fmt_number=True)
            s.value(row, "H", ind, "score", ind.score, fmt_number=True)
        s.value(row, "I", ind, "reason", ind.reason or None, align=_LEFT)
    r += 1
    s.put(r, "A", "总分", bold=True)
    s.merge(f"A{r}", f"F{r}")
    if record.scored:
        max_score = record.max_score
        if max_score is None:
            weights = [ind.weight if ind.weight is not None else derived.get(ind.index) for ind in record.indicators]
            known = [w for w in weights if w is not None]
            if weights and len(known) == len(weights):
                max_score = sum(known, ZERO)
                notes.append(f"记录没有写满分（max_score），总分行的分值写各指标分值之和 {fmt(max_score)}。")
        if max_score is not None:
            s.put(r, "G", max_score, fmt_number=True)
        s.value(r, "H", record, "total", record.total, fmt_number=True)
    s.merge(f"A{table_top}", f"A{r - 1}")
    s.frame(first_framed, r)

    notes += _not_exported(record, exec_leaf)
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
        if record.budget is None or record.budget.rate is None:
            if exec_leaf.actual:
                out.append(f"“预算执行率”的完成值“{exec_leaf.actual}”没有导出：执行率一栏只写记录中的 budget.rate。")
    if not record.scored:
        out.append("记录不计分（scored = false），分值、得分和总分栏留空。")
    extras = []
    for ind in record.indicators:
        if ind is exec_leaf:
            continue
        for attr, label in (
            ("level", "档次"),
            ("discretion", "酌情扣分"),
            ("failed", "不符合项数"),
            ("review_score", "复核分"),
            ("explanation", "指标解释"),
            ("criteria", "评分标准"),
        ):
            if getattr(ind, attr) is not None:
                extras.append(label)
        if ind.rule is not None:
            extras.append("评分规则")
        if not ind.applicable:
            extras.append("不适用标记")
    if extras:
        out.append(f"指标的{'、'.join(sorted(set(extras)))}自评表没有栏目，未导出。")
    if record.groups and any(g.weight is not None for g in record.groups):
        out.append("上级指标的分值（[[group]]）自评表没有栏目，未导出（可由各指标分值相加得出）。")
    if record.grade:
        out.append(f"等级“{record.grade}”自评表没有栏目，未导出。")
    if record.monitoring is not None:
        out.append("执行监控情况（[monitoring]）属于另一张表，未导出。")
    if record.rules:
        out.append("自定义评分规则（[rules]）未导出。")
    if record.evaluation != "单位自评":
        out.append(f"记录的评价类型是“{record.evaluation}”，导出的仍是单位自评表样式。")
    return out


def export_xlsx(record_path_or_evaluation, out_path) -> list[str]:
    """Write the national self-evaluation form for a record (a path to its .toml, a loaded Record, or a
    scoring Evaluation) to out_path. Returns notes on what the form has no place for."""
    record = _as_record(record_path_or_evaluation)
    plan, notes = build_workbook(record)
    out = Path(out_path)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(to_bytes(plan))
    return notes


def export_bytes(record: Record) -> bytes:
    """The filled form as bytes (the site's download); the same record always gives the same bytes."""
    plan, _notes = build_workbook(record)
    return to_bytes(plan)
