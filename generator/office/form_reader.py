"""What every form recogniser shares: the import result, and readers for the blocks forms are made of
(title, label → value pairs, fund tables, goals, indicator tables, notes), all found by their labels.

Nothing here invents a figure: a cell is either copied (numbers exactly, as Decimal), reported as
`工作表!B12: 无法识别……` and left out, or listed as a note under the table that the record format has no
place for. Every figure derived from others is named in `notes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from generator.core.decimals import fmt

from .grid import Grid, Number, join_lines, label, strip_unit

TOTAL_LABELS = {"总分", "合计", "总计", "合计得分", "总得分", "自评总分", "评价总分", "总分合计"}
FUND_TOTAL = re.compile(r"^(年度资金总额|资金总额|资金合计|合计|总计|小计|项目资金总额)$")
FUND_SOURCE = re.compile(r"(其中|拨款|资金|结转|结余|收入|自筹|专项|补助|财政|预算内|其他)")
NOTE_START = re.compile(r"^[(\[]?(注|备注|说明|填表说明|附注|标注|注释|填报说明)[\d.、:）)]*")
SIGNATURE = re.compile(
    r"^(填表人|填报人|联系电话|电话|审核人|负责人|单位负责人|项目负责人|财务负责人|填报日期|填表日期|日期|经办人|部门负责人|(单位)?\(?盖章\)?|签章|签字)"
)
STOP_LABELS = {"项目基本情况", "年度总体目标", "项目执行情况总结", "相应绩效指标完成情况", "项目资金构成"}
# The column heads of the tables that follow the indicator table on the site's own project page (存在的问题: 类别 / 问题 /
# 原文; 有关建议: 建议 or 原文 / 针对的问题), met when its print view is imported back from PDF: they end the table too.
SITE_TABLE_HEADS = {"类别", "建议", "原文"}
_PREFIX = re.compile(r"^指标\s*\d+\s*[：:、.．]\s*")
_WEIGHT_SUFFIX = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]\s*$|\s+(\d+(?:\.\d+)?)\s*分\s*$")
_DASHES = ("—", "——", "-", "--", "－", "/", "／")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")


MORE_REASON = "reason+"  # key prefix of a further reason column (原因分析 | 改进措施 side by side), in column order


@dataclass
class ImportResult:
    layout: str = ""  # national | wuhan | suzhou | monitoring (a workbook holding only the 执行监控 form)
    layout_title: str = ""
    sheet: str = ""
    monitoring_sheet: str = ""  # the sheet the [monitoring] section came from, when another sheet gave the rest
    amount_unit: str | None = None  # the unit the form's amounts are written in, where it says so
    data: dict = field(default_factory=dict)  # the record, in the shape its TOML parses to
    narrative: str | None = None  # Markdown from the form's own text cells (苏州 form), if any
    unmapped: list[str] = field(default_factory=list)  # "工作表!B12: 无法识别……"
    notes: list[str] = field(default_factory=list)  # figures derived or inferred, and how
    skipped: list[str] = field(default_factory=list)  # notes under the table, signatures: not record data
    inferred: set[str] = field(default_factory=set)  # top-level keys taken from wording rather than a labelled cell


def clean_name(text: str) -> str:
    return _PREFIX.sub("", join_lines(text)).strip()


def split_weight(text: str) -> tuple[str, Decimal | None]:
    """`投入目标(26分)` → (`投入目标`, 26); `项目绩效实现情况\\n(80分)` → (`项目绩效实现情况`, 80)."""
    t = join_lines(text)
    m = _WEIGHT_SUFFIX.search(t)
    if not m:
        return t, None
    name = re.sub(r"\s+", "", t[: m.start()]) if re.search(r"[\u4e00-\u9fff]", t) else t[: m.start()].strip()
    return name, Decimal(m.group(1) or m.group(2))


def classify_indicator_header(lab: str) -> str | None:
    lab, _ = strip_unit(lab)
    if not lab:
        return None
    if "一级指标" in lab or lab in ("类别", "指标类别", "一级"):
        return "l1"
    if "二级指标" in lab or lab == "二级":
        return "l2"
    if "三级指标" in lab or "指标名称" in lab or lab == "三级":
        return "name"
    if "指标值" in lab or "目标值" in lab or lab in ("目标", "绩效目标值"):
        return "target"
    if "完成值" in lab or "实际完成" in lab or "执行情况" in lab:
        return "actual"
    if "偏差" in lab or "原因" in lab or "改进措施" in lab or "扣分说明" in lab or "扣分理由" in lab:
        return "reason"
    if lab.startswith("分值") or lab.startswith("权重") or lab in ("分数", "标准分"):
        return "weight"
    if "得分" in lab or "自评分" in lab or lab in ("评分", "自评得分"):
        return "score"
    if lab in ("项目", "绩效指标", "指标"):
        return "section"
    return None


def classify_fund_header(lab: str) -> str | None:
    lab, _ = strip_unit(lab)
    if "年初预算" in lab:
        return "initial"
    if "调整" in lab:
        return "adjustment"
    if "全年预算" in lab or lab.startswith("预算数") or lab == "调整后预算数":
        return "budget"
    if "执行率" in lab:
        return "rate"
    if "执行数" in lab or "实际支出" in lab or "支出数" in lab:
        return "executed"
    if lab in ("分值", "权重"):
        return "weight"
    if "得分" in lab:
        return "score"
    if "资金来源" in lab or lab in ("项目", "资金", "来源"):
        return "label"
    return None


FIELD_NAMES = {
    "initial": "年初预算数",
    "adjustment": "调整数",
    "budget": "全年预算数",
    "executed": "执行数",
    "rate": "执行率",
    "weight": "分值",
    "score": "得分",
    "target": "指标值",
    "actual": "完成值",
    "reason": "偏差原因",
    "unallocated": "指标结余数",
    "appropriated": "财政拨款数",
    "paid": "实际支付数",
    "balance": "资金结余、结转数",
    "carried": "结转数",
    "recovered": "财政收回数",
}


class FormReader:
    """Reads one worksheet into an ImportResult, block by block."""

    def __init__(self, grid: Grid, result: ImportResult) -> None:
        self.g = grid
        self.res = result
        self.data = result.data
        self.unit: str | None = None
        self.reported: set[tuple[int, int]] = set()

    # ------------------------------------------------------------------ reporting
    def unmapped(self, r: int, c: int, message: str) -> None:
        self.res.unmapped.append(f"{self.g.ref(r, c)}: {message}")
        self.reported.add(self.g.origin(r, c))
        self.g.use(r, c)

    def note(self, message: str) -> None:
        self.res.notes.append(message)

    def number(self, r: int, c: int, what: str, kind: str) -> Decimal | None:
        """An exact number, or None; a cell that is not a number is reported and left out."""
        n: Number = self.g.number(r, c, kind=kind, unit=self.unit)
        self.g.use(r, c)
        if n.problem:
            self.unmapped(r, c, f"无法识别{what}：{n.problem}，未导入")
            return None
        if n.unit and kind == "amount" and self.unit is None:
            self.unit = n.unit
        return n.value

    # ------------------------------------------------------------------ title, year, label → value
    def read_title(self, until_row: int) -> None:
        """Title rows above the first labelled row: the form's name, `(2021 年度)`, `单位名称：…`."""
        for r in range(1, max(until_row, 1)):
            for c in self.g.row_cells(r):
                text = self.g.text(r, c)
                lab = label(text)
                if "单位名称" in lab and (":" in lab):
                    value = join_lines(re.split(r"[:：]", text, maxsplit=1)[1]).strip()
                    self.g.use(r, c)
                    if value:
                        self.data.setdefault("_unit_name", (value, self.g.ref(r, c)))
                    continue
                if NOTE_START.match(lab) or SIGNATURE.match(lab):
                    continue  # left to the notes pass
                if re.fullmatch(r"附(件|表)[\d一二三四五六七八九十]*[:.、]?", lab):
                    self.g.use(r, c)  # “附件2” above the title
                    continue
                base, unit = strip_unit(lab)
                if unit and base in ("", "金额", "金额单位", "单位"):
                    self.unit = self.unit or unit
                    self.g.use(r, c)
                    continue
                if "表" in lab or "报告" in lab or _YEAR.search(lab):
                    self.g.use(r, c)
                    if "自评" in lab and "evaluation" not in self.data:
                        self.data["evaluation"] = "单位自评"
                        self.res.inferred.add("evaluation")
                        self.note(
                            f"评价类型按表名“{join_lines(text)}”定为“单位自评”（{self.g.ref(r, c)}）；如不是，请用 --evaluation 指定。"
                        )
                    m = _YEAR.search(lab)
                    if (
                        m
                        and "year" not in self.data
                        and ("年度" in lab or "表" in lab or re.fullmatch(r"[(]?\d{4}年?[)]?", lab))
                    ):
                        self.data["year"] = int(m.group(1))
                    continue
                self.unmapped(r, c, f"无法识别的内容“{_short(text)}”，未导入")

    def read_pairs(self, labels: dict[str, str]) -> int:
        """`项目名称 | 电子政务项目建设资金` pairs anywhere on the sheet; returns the first row that had one."""
        first = 0
        for r, c in sorted(self.g.values):
            lab = self.g.label(r, c)
            key, value_text, value_rc = None, None, None
            for wanted, target in labels.items():
                if lab == wanted or lab == wanted + ":":
                    key = target
                    value_rc = self._right_value(r, c, labels)
                elif lab.startswith(wanted + ":") and len(lab) > len(wanted) + 1:
                    key = target
                    value_text = re.split(r"[:：]", self.g.text(r, c), maxsplit=1)[1]
                if key:
                    break
            if not key:
                continue
            first = first or r
            self.g.use(r, c)
            if value_rc is not None:
                value_text = self.g.text(*value_rc)
                self.g.use(*value_rc)
            value = join_lines(value_text or "")
            if not value or label(value) in ("—", "-", "/", "无"):
                continue
            if key == "year":
                m = re.search(r"(19|20)\d{2}", value)
                if m:
                    self.data["year"] = int(m.group(0))
                    self.res.inferred.discard("year")
                else:
                    self.unmapped(*(value_rc or (r, c)), f"无法识别的年度“{value}”，未导入")
                continue
            if key in self.data and self.data[key] != value:
                self.unmapped(
                    *(value_rc or (r, c)), f"{key} 已从前面的单元格读出“{self.data[key]}”，这里又写“{value}”，未导入"
                )
                continue
            self.data[key] = value
        return first

    def _right_value(self, r: int, c: int, labels: dict[str, str]) -> tuple[int, int] | None:
        own = self.g.origin(r, c)
        for cc in range(self.g.span(r, c)[3] + 1, self.g.max_col + 1):
            o = self.g.origin(r, cc)
            if o == own or not self.g.text(r, cc):
                continue
            lab = self.g.label(r, cc)
            if any(lab == w or lab.startswith(w + ":") for w in labels):
                return None
            return o
        return None

    def find_label(self, predicate, rows: range | None = None) -> tuple[int, int] | None:
        hits = self.g.find(predicate, rows=rows)
        return hits[0] if hits else None

    def use_block_labels(self, predicate) -> None:
        """Block labels such as `项目资金（万元）` that only name a block (and may carry its unit)."""
        for rc in self.g.find(predicate):
            self.take_unit(*rc)
            self.g.use(*rc)

    def take_unit(self, r: int, c: int) -> None:
        _, unit = strip_unit(self.g.label(r, c))
        if unit and self.unit is None:
            self.unit = unit

    # ------------------------------------------------------------------ fund table (national / 湖北)
    def read_funds(self, header_row: int) -> tuple[int, dict]:
        """The table under a header such as 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分.

        Returns the last row read and the total row's 分值 / 执行率 / 得分 (for the 预算执行率 indicator)."""
        g = self.g
        cols: dict[str, int] = {}
        for c in range(1, g.max_col + 1):
            if not g.starts_in_row(header_row, c) or g.origin(header_row, c)[1] != c:
                continue
            lab = g.label(header_row, c)
            if not lab:
                continue
            f = classify_fund_header(lab)
            if f and f not in cols:
                cols[f] = c
                g.use(header_row, c)
                self.take_unit(header_row, c)
        value_cols = [c for f, c in cols.items() if f != "label"]
        if not value_cols:
            return header_row, {}
        first_value = min(value_cols)
        for c in range(1, first_value):
            if g.starts_in_row(header_row, c) and g.text(header_row, c) and g.origin(header_row, c) not in g.used:
                lab = g.label(header_row, c)
                if lab.startswith("项目资金") or "预算执行情况" in lab or lab.startswith("资金"):
                    g.use(header_row, c)
                    self.take_unit(header_row, c)
        budget = self.data.setdefault("budget", {})
        sources: list[dict] = []
        total: dict = {}
        total_row_seen = False
        last = header_row
        blank_run = 0
        r = header_row + 1
        while r <= g.max_row:
            label_cols = [c for c in range(1, first_value) if g.starts_in_row(r, c) and g.text(r, c)]
            values_present = any(g.text(r, c) for c in value_cols)
            if not label_cols and not values_present:
                blank_run += 1
                if blank_run > 2:
                    break
                r += 1
                continue
            blank_run = 0
            if not label_cols:
                for c in value_cols:
                    if g.text(r, c):
                        self.unmapped(r, c, "这一行没有资金来源名称，无法归入预算表，未导入")
                last = r
                r += 1
                continue
            lc = label_cols[-1]
            lab = g.label(r, lc)
            name = join_lines(g.text(r, lc))
            if FUND_TOTAL.match(lab):
                kind = "total"
            elif FUND_SOURCE.search(lab) and not NOTE_START.match(lab) and len(lab) <= 30:
                kind = "source"
            else:
                break
            for c in label_cols:
                g.use(r, c)
            row: dict = {}
            for f, c in cols.items():
                if f == "label" or not g.starts_in_row(r, c):
                    continue
                kind_of = "rate" if f == "rate" else "points" if f in ("weight", "score") else "amount"
                value = self.number(r, c, f"{name}的{FIELD_NAMES.get(f, f)}", kind_of)
                if value is not None:
                    row[f] = value
            if kind == "total":
                total_row_seen = True
                for f in ("initial", "budget", "executed", "rate"):
                    if f in row:
                        budget[f] = row[f]
                total = {f: row[f] for f in ("weight", "score", "rate") if f in row}
                total["ref"] = g.ref(r, lc)
            else:
                src_name = re.sub(r"^其中\s*[:：]?\s*", "", name).strip()
                for f in ("weight", "score"):
                    if f in row:
                        self.unmapped(
                            r, cols[f], f"资金来源“{src_name}”一行的{FIELD_NAMES[f]}在记录格式中没有位置，未导入"
                        )
                figures = {f: row[f] for f in ("initial", "budget", "executed", "rate") if f in row}
                if figures:
                    sources.append({"name": src_name, **figures})
            last = r
            r += 1
        if sources:
            budget["sources"] = sources
        if total_row_seen and not any(f in budget for f in ("initial", "budget", "executed")) and len(sources) == 1:
            only = sources[0]
            for f in ("initial", "budget", "executed", "rate"):
                if f in only:
                    budget[f] = only[f]
            self.note(f"预算表的合计行是空的，资金来源只有“{only['name']}”一行，预算合计取该行的数字。")
        elif not total_row_seen and len(sources) == 1:
            only = sources[0]
            for f in ("initial", "budget", "executed", "rate"):
                if f in only:
                    budget[f] = only[f]
            self.note(f"预算表没有合计行，资金来源只有“{only['name']}”一行，预算合计取该行的数字。")
        return last, total

    def budget_execution_leaf(self, total: dict) -> None:
        """The 年度资金总额 row's 分值 / 执行率 / 得分 are the 预算执行率 indicator of the national form."""
        if "weight" not in total and "score" not in total:
            return
        leaf: dict = {"path": [], "name": "预算执行率"}
        if "rate" in total:
            leaf["actual"] = fmt(total["rate"]) + "%"
        if "weight" in total:
            leaf["weight"] = total["weight"]
        if "score" in total:
            leaf["score"] = total["score"]
        self.data.setdefault("indicator", []).insert(0, leaf)
        self.note(f"“年度资金总额”一行（{total['ref']}）的分值、执行率、得分记为指标“预算执行率”。")

    # ------------------------------------------------------------------ goals (national)
    def read_goals(self, header_row: int, end_row: int) -> None:
        g = self.g
        exp_col = ach_col = None
        for c in range(1, g.max_col + 1):
            if not g.starts_in_row(header_row, c) or g.origin(header_row, c)[1] != c:
                continue
            lab = g.label(header_row, c)
            if lab.startswith("预期目标") or lab == "年度目标" or lab == "预期":
                exp_col = c
                g.use(header_row, c)
            elif lab.startswith("实际完成情况") or lab == "实际完成":
                ach_col = c
                g.use(header_row, c)
            elif "总体目标" in lab:
                g.use(header_row, c)
        goals: dict[str, list[str]] = {}
        for r in range(header_row + 1, end_row):
            for key, col in (("expected", exp_col), ("achieved", ach_col)):
                if col is None or not g.starts_in_row(r, col) or g.origin(r, col)[1] != col:
                    continue
                text = g.text(r, col)
                g.use(r, col)
                if not text or label(text) in ("—", "-", "/", "无"):
                    continue
                for item in re.split(r"\n+(?=\s*(?:目标|\d+[.、．]))", text):
                    item = join_lines(item)
                    if item:
                        goals.setdefault(key, []).append(item)
        for c in range(1, g.max_col + 1):  # the merged 年度总体目标 label on the left
            o = g.origin(header_row, c)
            if g.text(*o) and "总体目标" in g.label(*o):
                g.use(*o)
        if goals:
            self.data["goals"] = goals

    # ------------------------------------------------------------------ indicator table
    def indicator_header(self, header_row: int) -> tuple[dict[str, int], int]:
        """Columns of the indicator table and its last header row (headers may take two rows:
        `年度` over `指标值`)."""
        g = self.g
        rows = [header_row]
        nxt = header_row + 1
        if nxt <= g.max_row:
            starts = [c for c in g.row_cells(nxt)]
            first_cols = {}
            for c in range(1, g.max_col + 1):
                f = classify_indicator_header(g.label(header_row, c)) if g.text(header_row, c) else None
                if f in ("l1", "name") and f not in first_cols:
                    first_cols[f] = c
            numeric = any(g.number(nxt, c, kind="points").value is not None for c in starts)
            level_fresh = any(g.starts_in_row(nxt, c) and g.text(nxt, c) for c in first_cols.values())
            if starts and not numeric and not level_fresh:
                rows.append(nxt)
        cols: dict[str, int] = {}
        for c in range(1, g.max_col + 1):
            parts = []
            for r in rows:
                o = g.origin(r, c)
                if o[0] == r and g.text(r, c):
                    parts.append(g.label(r, c))
            text = "".join(parts)
            if not text:
                continue
            f = classify_indicator_header(text)
            if f is None:
                for r in rows:
                    if g.starts_in_row(r, c) and g.text(r, c) and g.origin(r, c) not in g.used:
                        self.unmapped(r, c, f"无法识别的表头“{_short(g.text(r, c))}”，这一栏未导入")
                continue
            if f not in cols:
                cols[f] = c  # a header merged over two columns: the field lives in its first column
            elif (
                f == "reason"
                and g.origin(rows[-1], c) != g.origin(rows[-1], cols[f])
                and f"{MORE_REASON}{c}" not in cols
            ):
                cols[f"{MORE_REASON}{c}"] = c  # 原因分析 | 改进措施 in two columns: both are the reason
            for r in rows:
                if g.starts_in_row(r, c):
                    g.use(r, c)
        return cols, rows[-1]

    def read_indicators(self, cols: dict[str, int], first_row: int) -> int:
        """Leaf rows of the indicator table; merged 一级 / 二级 cells (or blank ones under a filled cell)
        give the path. Returns the row after the table."""
        g = self.g
        c1, c2, cn = cols.get("l1"), cols.get("l2"), cols.get("name")
        csec = cols.get("section")
        indicators = self.leaves()
        seen_groups: set = set()
        cur1 = cur2 = None
        o1_prev = o2_prev = None
        r = first_row
        while r <= g.max_row:
            starts = g.row_cells(r)
            if not starts:
                r += 1
                continue
            first_lab = g.label(r, starts[0])
            if first_lab in TOTAL_LABELS or re.fullmatch(r"(总分|合计)[(:]?.*", first_lab) and len(first_lab) <= 8:
                if not self.has_total_row:
                    return r
                self._total_row(r, starts, cols)
                return r + 1
            if NOTE_START.match(first_lab) or SIGNATURE.match(first_lab) or self.ends_table(first_lab):
                return r
            if csec is not None and g.starts_in_row(r, csec) and g.text(r, csec):
                self._section_cell(r, csec)
            # level 1
            t1 = ""
            if c1 is not None:
                o1 = g.origin(r, c1)
                raw1 = g.text(r, c1)
                if raw1:
                    if o1 != o1_prev:
                        name1, w1 = split_weight(raw1)
                        cur1, o1_prev, cur2, o2_prev = name1, o1, None, None
                        if w1 is not None and (name1,) not in seen_groups:
                            self.level_weight([name1], w1, o1)
                            seen_groups.add((name1,))
                    t1 = cur1 or ""
                    g.use(r, c1)
                elif cur1:
                    t1 = cur1
            else:
                o1 = None
            # level 2
            t2 = ""
            o2 = None
            if c2 is not None:
                o2 = g.origin(r, c2)
                raw2 = g.text(r, c2) if o2 != o1 else ""
                if raw2:
                    if o2 != o2_prev:
                        name2, w2 = split_weight(raw2)
                        cur2, o2_prev = name2, o2
                        if w2 is not None and t1 and (t1, name2) not in seen_groups:
                            self.level_weight([t1, name2], w2, o2)
                            seen_groups.add((t1, name2))
                    t2 = cur2 or ""
                    g.use(r, c2)
                elif cur2 and not (c1 is not None and g.starts_in_row(r, c1) and g.text(r, c1)):
                    t2 = cur2
            name = ""
            if cn is not None and g.origin(r, cn) not in (o1, o2) and g.text(r, cn):
                if g.starts_in_row(r, cn):
                    name = clean_name(g.text(r, cn))
                g.use(r, cn)
            path = [p for p in (t1, t2) if p]
            if not name:
                # a level cell of this row with text and no name beside it is the leaf (a row whose level
                # cells are blank — text printed below a table without a 合计 row — is no leaf)
                if c2 is not None and t2 and g.starts_in_row(r, c2) and g.one_row(r, c2) and o2 != o1 and g.text(r, c2):
                    name, path = t2, [t1] if t1 else []
                    cur2 = o2_prev = None
                elif c1 is not None and t1 and g.starts_in_row(r, c1) and g.one_row(r, c1) and not t2 and g.text(r, c1):
                    name, path = t1, []
                    cur1 = o1_prev = None
            if not name:
                for c in self.value_columns(cols):
                    if g.starts_in_row(r, c) and g.text(r, c):
                        self.unmapped(r, c, "这一行没有指标名称，无法归入指标表，未导入")
                r += 1
                continue
            leaf: dict = {"path": path, "name": name}
            self.leaf_values(r, cols, leaf, t1, t2, seen_groups)
            indicators.append(leaf)
            r += 1
        return r

    # The hooks a form with other columns (the 执行监控 form, monitoring.py) replaces.
    has_total_row = True  # a 总分 / 合计 row closes the table and carries the total

    def leaves(self) -> list[dict]:
        """Where the table's leaf rows go."""
        return self.data.setdefault("indicator", [])

    def ends_table(self, first_label: str) -> bool:
        """A row starting with this label is no longer part of the indicator table."""
        return first_label in STOP_LABELS or first_label in SITE_TABLE_HEADS

    def level_weight(self, path: list[str], weight: Decimal, origin: tuple[int, int]) -> None:
        """A weight printed in a level cell (`产出指标(50分)`): the weight of that group."""
        self.data.setdefault("group", []).append({"path": path, "weight": weight})

    def value_columns(self, cols: dict[str, int]) -> list[int]:
        return [cols[f] for f in ("target", "actual", "weight", "score", "reason") if f in cols]

    def leaf_values(self, r: int, cols: dict[str, int], leaf: dict, t1: str, t2: str, seen_groups: set) -> None:
        """A leaf row's 指标值, 完成值, 分值, 得分 and reason."""
        g = self.g
        c1, c2 = cols.get("l1"), cols.get("l2")
        name = leaf["name"]
        for f in ("target", "actual", "weight", "score", "reason"):
            if f not in cols:
                continue
            c = cols[f]
            if not g.starts_in_row(r, c):
                if g.text(r, c) and g.origin(r, c) not in g.used:
                    self.unmapped(r, c, f"{FIELD_NAMES[f]}单元格跨行合并，不能确定属于哪个指标，未导入")
                continue
            if not g.one_row(r, c) and g.text(r, c):
                self._merged_value(r, c, f, [t1] if t1 else [], [t1, t2] if t1 and t2 else [], c1, c2, seen_groups)
                continue
            if f in ("weight", "score"):
                value = self.number(r, c, f"指标“{name}”的{FIELD_NAMES[f]}", "points")
                if value is not None:
                    leaf[f] = value
            else:
                text = g.text(r, c)
                g.use(r, c)
                if f == "reason":
                    parts = [text] + [self._more_text(r, cm) for key, cm in cols.items() if key.startswith(MORE_REASON)]
                    text = "\n".join(p.strip() for p in parts if p and label(p) not in _DASHES + ("无",))
                if not text or label(text) in _DASHES:
                    continue
                leaf[f] = text.strip() if f == "reason" else join_lines(text)

    def _merged_value(self, r: int, c: int, f: str, path1: list, path2: list, c1, c2, seen_groups: set) -> None:
        """A 分值 cell merged down over several indicator rows is the weight of their common upper
        level when it spans exactly that level's rows; anything else merged over rows is reported."""
        g = self.g
        r0, _, r1, _ = g.span(r, c)
        matched = None
        for col, path in ((c2, path2), (c1, path1)):
            if col is not None and path and g.span(r, col)[0] == r0 and g.span(r, col)[2] == r1:
                matched = path
                break
        if f == "weight" and matched is not None and tuple(matched) not in seen_groups:
            value = self.number(r, c, f"“{'/'.join(matched)}”的分值", "points")
            if value is not None:
                self.data.setdefault("group", []).append({"path": list(matched), "weight": value})
                seen_groups.add(tuple(matched))
                self.note(f"{g.ref(r, c)} 的分值跨第 {r0}–{r1} 行合并，记为上级指标“{'/'.join(matched)}”的分值。")
            return
        self.unmapped(
            r, c, f"{FIELD_NAMES.get(f, f)}单元格跨第 {r0}–{r1} 行合并，是几个指标共用的，不能归到单个指标，未导入"
        )

    def _more_text(self, r: int, c: int) -> str:
        if not self.g.starts_in_row(r, c):
            return ""
        self.g.use(r, c)
        return self.g.text(r, c)

    def decide_scored(self) -> None:
        """A form is scored when it gives points: a 分值 / 得分 on some indicator, or a total. Forms
        without those columns, or with the columns left blank, give `scored = false`."""
        inds = self.data.get("indicator", [])
        if any("weight" in i or "score" in i for i in inds) or "total" in self.data:
            return
        self.data["scored"] = False
        if inds:
            self.note("表中没有分值和得分，记录为不计分（scored = false）。")

    def _section_cell(self, r: int, c: int) -> None:
        """The leftmost column of the 苏州 form: `项目绩效实现情况(80分)`."""
        text = self.g.text(r, c)
        self.g.use(r, c)
        name, weight = split_weight(text)
        if weight is not None:
            if "max_score" in self.data and self.data["max_score"] != weight:
                self.unmapped(r, c, f"满分 {fmt(weight)} 与前面读出的 {fmt(self.data['max_score'])} 不一致，未导入")
            else:
                self.data["max_score"] = weight
                self.note(f"满分 {fmt(weight)} 取自“{join_lines(text)}”（{self.g.ref(r, c)}）。")

    def _total_row(self, r: int, starts: list[int], cols: dict[str, int]) -> None:
        g = self.g
        for c in starts:
            g.use(r, c)
        if "weight" in cols and g.is_new(r, cols["weight"]):
            value = self.number(r, cols["weight"], "总分行的分值", "points")
            if value is not None:
                if "max_score" in self.data and self.data["max_score"] != value:
                    self.unmapped(
                        r,
                        cols["weight"],
                        f"总分行的分值 {fmt(value)} 与满分 {fmt(self.data['max_score'])} 不一致，未导入",
                    )
                else:
                    self.data["max_score"] = value
        if "score" in cols and g.is_new(r, cols["score"]):
            value = self.number(r, cols["score"], "总分", "points")
            if value is not None:
                self.data["total"] = value
        elif "score" not in cols:
            # no 得分 column: the total is the one number on the row, if there is exactly one
            numbers = [(c, g.number(r, c, kind="points")) for c in starts[1:]]
            found = [(c, n.value) for c, n in numbers if n.value is not None]
            if len(found) == 1:
                self.data["total"] = found[0][1]

    # ------------------------------------------------------------------ the end
    def finish(self) -> None:
        g = self.g
        if self.unit and "budget" in self.data:
            self.data["budget"] = {"unit": self.unit, **{k: v for k, v in self.data["budget"].items() if k != "unit"}}
        elif "budget" in self.data and self.data["budget"]:
            self.note("表中没有写明金额单位；记录按万元处理，请核对。")
        for key in ("budget", "goals", "indicator", "group"):
            if key in self.data and not self.data[key]:
                del self.data[key]
        unit_name = self.data.pop("_unit_name", None)
        if unit_name:
            value, ref = unit_name
            if self.data.get("evaluation") == "单位自评":
                self.data["evaluator"] = value
                self.res.inferred.add("evaluator")
                self.note(f"评价人取自自评表的“单位名称：{value}”（{ref}）；如不是，请用 --evaluator 指定。")
            else:
                self.res.unmapped.append(f"{ref}: “单位名称：{value}”在记录格式中没有对应字段，未导入")
        for o, formula in sorted(g.formulas.items()):
            if o not in self.reported:
                self.res.unmapped.append(
                    f"{g.ref(*o)}: 公式 {formula} 没有保存计算结果，读不到它显示的值，未导入（请在 Excel/WPS 中打开并保存后再导入）"
                )
        signature_rows: set[int] = set()
        for r, c in g.leftovers():
            text = g.text(r, c)
            lab = label(text)
            if NOTE_START.match(lab):
                self.res.skipped.append(f"{g.ref(r, c)}: 表下注释“{_short(text)}”，不是记录数据，未导入")
                g.use(r, c)
            elif SIGNATURE.match(lab):
                self.res.skipped.append(f"{g.ref(r, c)}: “{_short(text)}”是填报信息，不是记录数据，未导入")
                g.use(r, c)
                signature_rows.add(r)
        for r, c in g.leftovers():
            text = g.text(r, c)
            if r in signature_rows and len(text) <= 30:
                self.res.skipped.append(f"{g.ref(r, c)}: 填报信息“{_short(text)}”，未导入")
            else:
                self.res.unmapped.append(f"{g.ref(r, c)}: 无法识别的内容“{_short(text)}”，未导入")
            g.use(r, c)
        if g.truncated:
            self.res.unmapped.append(f"{g.name}: 工作表超过 {g.max_row} 行或 {g.max_col} 列，超出部分未读取")


def _short(text: str, n: int = 30) -> str:
    t = join_lines(text)
    return t if len(t) <= n else t[: n - 1] + "…"
