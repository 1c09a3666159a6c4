"""The mid-year monitoring form (项目支出绩效目标执行监控表), read by its labels into the record's [monitoring]
section: on a sheet of its own beside the self-evaluation form (both go into one record, `merge_into`), or
as a workbook of its own (a record with what the form has; the rest is left for the editor).

The layouts it was written against, and what it keys on:
- 巴彦淖尔市财政局《项目支出绩效目标执行监控情况表》(2021, seed 000): 部门名称：…; 项目名称 / 项目执行单位名称 /
  项目负责人 / 项目财务负责人 / 联系电话; 年初预算项目总资金数（万元） and 截止6月末项目累计支出数（万元）, each with
  its figures written into the cells beside it (资金总额：22.5 / 其中：财政拨款：22.5 / 其他资金（来源、金额）：);
  相应绩效指标完成情况 with 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 1-6月执行情况 |
  存在偏差情况（是/否） | 完成目标的可能性（确定能/有可能/完全不可能）; 注：…; 项目执行情况总结 with the headings
  一、项目进度总体概述 / 二、存在偏差原因分析（…） / 三、下一步工作措施, each over its text; 财政局审核意见, 填报人签字.
- 黄石市《项目支出绩效监控表》(2019), as published at
  http://hsgyyc.com/xwdt_10201/gsgg_10206/201908/t20190821_663302.html (found with the `search` tool's stored
  pages, query 项目支出绩效目标执行监控表): 项目资金（万元） | 年初预算数 | 1-6月执行数 | 全年预计执行数 with the rows
  年度资金总额： / 其中：当年一般公共预算拨款; 绩效指标 | 一级指标 | 指标名称 | 指标值 | 半年度指标执行情况 |
  完成目标可能性（确定能、有可能、不可能） | 备注, where the 绩效指标 column holds 产出指标 / 效益指标 over the rows;
  偏差或不能完成目标原因分析 | text and 相关建议或举措 | text as rows under the table. Its third tier 不可能 is
  recorded as 完全不可能 (said in the notes).
- The Ministry of Finance's template for central departments (财预〔2019〕136号, named at
  https://fx361.cc/page/2022/0909/11814735.shtml; the template itself was not among the stored pages): 年初预算数 |
  1-7月执行数 | 1-7月执行率 | 全年预计执行数, 年度总体目标, and group headers over ticked (√) sub-columns —
  偏差原因分析 over 经费保障 / 制度保障 / 人员保障 / 硬件条件保障 / 其他, 完成目标可能性 over 确定能 / 有可能 /
  完全不可能. A tick becomes the sub-column's label; text written in a sub-column is kept with its label.

What the record has no place for (全年预计执行数 / 全年预计完成情况, 备注, amounts per fund source that differ
from the total, an 执行率 that does not follow from the amounts) is reported cell by cell, never dropped
silently; figures that follow from others (an 执行率 equal to 执行数 ÷ 预算数, a source equal to the total) are
named in the notes. Contact names and telephone numbers are skipped as 填报信息.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from generator.core.decimals import fmt
from generator.core.model import LIKELIHOODS

from .form_reader import (
    FUND_SOURCE,
    FUND_TOTAL,
    NOTE_START,
    SIGNATURE,
    STOP_LABELS,
    FormReader,
    ImportResult,
    _short,
    classify_indicator_header,
)
from .grid import PLACEHOLDERS, Grid, join_lines, label, parse_number_text, strip_unit

NAME = "monitoring"
TITLE = "项目支出绩效目标执行监控表"
PAIRS = {
    "项目名称": "name",
    "主管部门": "department",
    "主管部门(单位)": "department",
    "部门名称": "department",
    "项目执行单位名称": "implementer",
    "项目执行单位": "implementer",
    "实施单位": "implementer",
    "项目实施单位": "implementer",
}
FIELD_LABELS = {"name": "项目名称", "department": "主管部门", "implementer": "实施单位", "year": "年度"}

_PERIOD_HEAD = re.compile(r"^(\d{1,2}-\d{1,2}月|半年度?|上半年)(指标)?(执行|完成)(情况|数)|累计(支出|执行)数")
_PERIOD = re.compile(r"(\d{1,2})-(\d{1,2})月")
_UNTIL = re.compile(r"截[止至](\d{1,2})月(末|底)?")
_DASH = str.maketrans("０１２３４５６７８９－—–～~", "0123456789-----")
_EXEC_HEAD = re.compile(r"(执行|支出)(数|金额|额)$")
_NUMBERING = re.compile(r"^[(]?[一二三四五六七八九十\d]+[)、.．]?")
_TEXT_HEADS = (
    ("deviation_reasons", re.compile(r"^(存在)?偏差(或不能完成目标)?原因|^不能完成(绩效)?目标(的)?原因")),
    (
        "next_steps",
        re.compile(r"^(下一步(工作)?(措施|计划|安排)|相关建议(或|和|及)?举措|(整改|改进)措施|拟采取的措施)"),
    ),
    ("summary", re.compile(r"^(项目)?(进度总体概述|执行情况总结|总体完成情况|总体执行情况|执行情况概述)")),
)
_ASIDE = re.compile(r"\(.*?\)")
_GOALS = re.compile(r"^(年度)?总体(绩效)?目标:?$")
_BLOCK_LABELS = {"相应绩效指标完成情况", "绩效指标完成情况", "绩效目标完成情况", "指标完成情况", "绩效指标执行情况"}
# Who filled the form in and who signs it: 填报信息, not record data (and names and telephone numbers stay
# off the public site).
_CONTACT = re.compile(
    r"^(项目|单位|部门)?(财务)?负责人(签字)?:?$|^联系(电话|人|方式):?$|^电话:?$|^填报(人|人员|时间|日期|单位)|"
    r"^填表(人|日期)|^经办人|^.{0,8}\((签章|盖章|签字)\)|^.{0,6}(签章|盖章|签字):?$|^.{0,6}审核意见"
)
_TICKS = {"√", "✓", "✔", "☑", "✅", "●", "■", "v", "V", "是", "Y", "y"}
_YES = {"是", "有", "有偏差", "存在", "存在偏差", "√", "✓", "✔", "☑"}
_NO = {"否", "无", "无偏差", "不存在", "没有", "没有偏差", "×"}
_EXPLAIN = re.compile(r"^(具体)?(原因)?说明$|^具体原因$")


def detect(grid: Grid) -> int:
    labels = grid.labels()
    score = 0
    if any("可能性" in lab for lab in labels):
        score += 4
    if any(("监控" in lab and "表" in lab) or "执行监控" in lab for lab in labels):
        score += 3
    if any(_PERIOD_HEAD.search(lab.translate(_DASH)) for lab in labels):
        score += 2
    if any("三级指标" in lab or lab.startswith("指标名称") for lab in labels):
        score += 1
    if any("存在偏差" in lab or lab.startswith("偏差原因") for lab in labels):
        score += 1
    return score


def classify_column(lab: str) -> str | None:
    """A column of the monitoring table: the record's field, `extra` (no place in the record) or None."""
    lab, _ = strip_unit(lab)
    if not lab:
        return None
    if "可能性" in lab:
        return "likelihood"
    if "存在偏差" in lab or "偏差情况" in lab or lab in ("是否偏差", "偏差"):
        return "deviation"
    if "原因" in lab:
        return "reason"
    if "预计" in lab or "备注" in lab or "措施" in lab or "建议" in lab:
        return "extra"  # 全年预计完成情况, 备注, a per-row 改进措施: no field in a [monitoring] row
    f = classify_indicator_header(lab)
    if f == "actual":
        return "progress"
    if f in ("l1", "l2", "name", "target", "section"):
        return f
    return None


def classify_fund(lab: str) -> str | None:
    lab, _ = strip_unit(lab)
    lab = lab.rstrip(":")
    if not lab or len(lab) > 20:
        return None
    if "预计" in lab:
        return "extra"
    if "执行率" in lab or "支出率" in lab or "执行进度" in lab:
        return "rate"
    if lab.startswith("年初预算"):
        return "budget"
    if _EXEC_HEAD.search(lab) or "累计支出" in lab or "累计执行" in lab:
        return "executed"
    if "预算" in lab or "到位" in lab:
        return "extra"
    return None


def text_key(lab: str) -> str | None:
    """The [monitoring] text a heading such as `二、存在偏差原因分析（…）` introduces. A heading is short once
    its numbering and its bracketed instructions are taken off; a sentence (`偏差原因：…`) is not one."""
    bare = _ASIDE.sub("", _NUMBERING.sub("", lab)).rstrip("。.:")
    if len(bare) > 20 or ":" in bare:
        return None
    for key, pattern in _TEXT_HEADS:
        if pattern.match(bare):
            return key
    return None


def inline_text(text: str) -> tuple[str, str] | None:
    """`下一步措施：加强验收` — a heading and its text in one cell: (key, text)."""
    head, sep, rest = text.replace("：", ":").partition(":")
    if not sep or not rest.strip():
        return None
    key = text_key(label(head))
    return (key, rest.strip()) if key else None


def period_of(text: str) -> str | None:
    """`1-6月执行情况` → `1-6月`; `半年度指标执行情况` → `半年度`; a header without a period → None."""
    lab = label(text).translate(_DASH)
    m = re.match(r"^(.*?)(指标)?(执行|完成)情况", lab)
    if m is None or not re.search(r"\d|月|半年|季度", m.group(1)):
        return None  # 执行情况, 实际完成情况: no period
    return m.group(1)


FIELD_NAMES = {
    "target": "年度指标值",
    "progress": "执行情况",
    "deviation": "是否存在偏差",
    "likelihood": "完成目标的可能性",
    "reason": "偏差原因",
    "budget": "年初预算数",
    "executed": "累计执行数",
    "rate": "执行率",
}


class MonitoringReader(FormReader):
    """The monitoring table's rows go to [monitoring] (not to the record's indicators), its columns are the
    monitoring ones, and it has no total row."""

    has_total_row = False

    def __init__(self, grid: Grid, result: ImportResult) -> None:
        super().__init__(grid, result)
        self.rows: list[dict] = []
        self.mon: dict = {}
        self.period: str | None = None
        self.groups: dict[int, tuple[str, str]] = {}  # column → (likelihood | reason, the sub-column's label)
        self.extra: dict[int, str] = {}  # column → header of a column the record has no place for
        self.spread: set[tuple[int, int]] = set()

    # ------------------------------------------------------------------ hooks of read_indicators
    def leaves(self) -> list[dict]:
        return self.rows

    def ends_table(self, first_label: str) -> bool:
        return (
            first_label in STOP_LABELS
            or text_key(first_label) is not None
            or bool(_CONTACT.match(first_label))
            or bool(_GOALS.match(first_label))
        )

    def level_weight(self, path: list[str], weight: Decimal, origin: tuple[int, int]) -> None:
        self.unmapped(
            *origin, f"上级指标“{'/'.join(path)}”名称中的分值 {fmt(weight)} 在执行监控情况中没有对应字段，未导入"
        )

    def value_columns(self, cols: dict[str, int]) -> list[int]:
        fields = [cols[f] for f in ("target", "progress", "deviation", "likelihood", "reason") if f in cols]
        return fields + list(self.groups) + list(self.extra)

    def leaf_values(self, r: int, cols: dict[str, int], leaf: dict, t1: str, t2: str, seen_groups: set) -> None:
        name = leaf["name"]
        for f in ("target", "progress", "deviation", "likelihood", "reason"):
            if f not in cols:
                continue
            c = cols[f]
            text = self._value(r, c)
            lab = label(text)
            if f == "deviation" and (lab in _YES or lab in _NO):
                leaf[f] = lab in _YES
                continue
            if not text or lab in PLACEHOLDERS:
                continue
            if f == "deviation":
                self.unmapped(r, c, f"无法识别指标“{name}”是否存在偏差：“{_short(text)}”不是“是”或“否”，未导入")
            elif f == "likelihood":
                value = self._likelihood(r, c, text, name)
                if value is not None:
                    leaf[f] = value
            elif f == "reason":
                leaf[f] = text.strip()
            else:
                leaf[f] = join_lines(text)
        self._ticked(r, leaf)
        for c, header in self.extra.items():
            text = self._value(r, c)
            if text and label(text) not in PLACEHOLDERS:
                self.unmapped(r, c, f"指标“{name}”的“{header}”在执行监控情况中没有对应字段，未导入")

    def _value(self, r: int, c: int) -> str:
        """The cell's text for row r. A value merged down over several rows applies to each of them (the
        form prints it once for the rows it spans); one merged across columns belongs to its first column."""
        g = self.g
        o = g.origin(r, c)
        if o[1] != c:
            return ""
        text = g.text(r, c)
        if not text:
            return ""
        g.use(r, c)
        if not g.one_row(r, c) and o not in self.spread:
            self.spread.add(o)
            r0, _, r1, _ = g.span(r, c)
            self.note(f"{g.ref(r, c)} 跨第 {r0}–{r1} 行合并，照录到这几行的每个指标。")
        return text

    def _likelihood(self, r: int, c: int, text: str, name: str) -> str | None:
        value = re.sub(r"[√✓✔☑✅■●□☐]", "", label(text))
        if value in LIKELIHOODS:
            return value
        if value == "不可能":
            self.note(f"{self.g.ref(r, c)} 的完成目标可能性“不可能”记为“完全不可能”（三档中的最低一档）。")
            return "完全不可能"
        self.unmapped(
            r,
            c,
            f"无法识别指标“{name}”完成目标的可能性“{_short(text)}”：只能是{'、'.join(LIKELIHOODS)}之一，未导入",
        )
        return None

    def _ticked(self, r: int, leaf: dict) -> None:
        """Sub-columns ticked under 完成目标可能性 / 偏差原因分析 (the Ministry's template)."""
        picked: dict[str, list[tuple[int, str]]] = {"likelihood": [], "reason": []}
        for c, (group, sub) in self.groups.items():
            text = self._value(r, c)
            lab = label(text)
            if not text or lab in _NO or lab in PLACEHOLDERS:
                continue
            if lab in _TICKS or lab == label(sub):
                picked[group].append((c, sub))
            elif group == "reason":
                picked[group].append((c, text.strip() if _EXPLAIN.match(label(sub)) else f"{sub}：{text.strip()}"))
            else:
                self.unmapped(r, c, f"无法识别“{sub}”一栏中的“{_short(text)}”：应打勾（√）或留空，未导入")
        name = leaf["name"]
        if len(picked["likelihood"]) == 1 and "likelihood" not in leaf:
            c, sub = picked["likelihood"][0]
            value = self._likelihood(r, c, sub, name)
            if value is not None:
                leaf["likelihood"] = value
        elif picked["likelihood"]:
            for c, sub in picked["likelihood"]:
                self.unmapped(r, c, f"指标“{name}”勾选了多个完成目标的可能性（或另有一栏已填写），“{sub}”未导入")
        if picked["reason"]:
            parts = [p for _, p in picked["reason"]]
            leaf["reason"] = "\n".join([leaf["reason"], "；".join(parts)]) if "reason" in leaf else "；".join(parts)

    # ------------------------------------------------------------------ the table's header
    def header(self, header_row: int) -> tuple[dict[str, int], int]:
        """Columns of the monitoring table and its last header row. A header over two rows is either one
        label split (年度 / 指标值) or a group over sub-columns (完成目标可能性 over 确定能 | 有可能 | 完全不可能)."""
        g = self.g
        rows = [header_row]
        nxt = header_row + 1
        if nxt <= g.max_row:
            level_cols = [
                c
                for c in range(1, g.max_col + 1)
                if g.starts_in_row(header_row, c)
                and g.text(header_row, c)
                and classify_column(g.label(header_row, c)) in ("l1", "l2", "name")
            ]
            fresh = any(g.starts_in_row(nxt, c) and g.text(nxt, c) for c in level_cols)
            if g.row_cells(nxt) and not fresh:
                rows.append(nxt)
        cols: dict[str, int] = {}
        for c in range(1, g.max_col + 1):
            top = g.origin(header_row, c)
            starts_here = top[0] == header_row
            top_raw = g.text(header_row, c) if starts_here and top[1] == c else ""
            multi = starts_here and g.span(header_row, c)[3] > g.span(header_row, c)[1]
            sub_raw = ""
            if len(rows) == 2 and g.starts_in_row(nxt, c) and g.origin(nxt, c)[1] == c:
                sub_raw = g.text(nxt, c)
            group = classify_column(g.label(header_row, c)) if multi else None
            if multi and sub_raw and group in ("likelihood", "reason"):
                self.groups[c] = (group or "", join_lines(sub_raw))
                g.use(header_row, c)
                g.use(nxt, c)
                continue
            raw = sub_raw if multi and sub_raw else join_lines(top_raw + "\n" + sub_raw)
            if not raw:
                continue
            for r in rows:
                if g.starts_in_row(r, c) and g.text(r, c):
                    g.use(r, c)
            f = classify_column(label(raw))
            if f is None:
                self.unmapped(
                    nxt if multi and sub_raw else header_row, c, f"无法识别的表头“{_short(raw)}”，这一栏未导入"
                )
                continue
            if f == "extra":
                self.extra[c] = join_lines(raw)
                continue
            if f in cols:
                self.unmapped(header_row, c, f"表头“{_short(raw)}”与前面一栏重复，这一栏未导入")
                continue
            cols[f] = c
            if f == "progress":
                self.period = period_of(raw)
        return cols, rows[-1]

    # ------------------------------------------------------------------ money
    def read_money(self, until_row: int) -> None:
        """年初预算数 and the amount executed so far: written beside their labels (资金总额：22.5) or as a
        table under a header row (年初预算数 | 1-6月执行数 | 执行率)."""
        g = self.g
        totals: dict[str, tuple[Decimal, str]] = {}
        sources: dict[str, list[tuple[str, Decimal, int, int]]] = {"budget": [], "executed": []}
        rate: tuple[Decimal, int, int] | None = None
        header_rows: set[int] = set()
        for r, c in g.find(lambda lab: classify_fund(lab) in ("budget", "executed"), rows=range(1, until_row)):
            if (r, c) in g.used:
                continue
            kind = classify_fund(g.label(r, c)) or ""
            right = self._right(r, c)
            if right is not None and re.match(r"^(年度)?资金总额:", g.label(*right)):
                self._inline_money(r, c, kind, totals, sources)
            else:
                header_rows.add(r)
        for hr in sorted(header_rows):
            rate = self._money_table(hr, totals, sources) or rate
        for kind in ("budget", "executed"):
            what = FIELD_NAMES[kind]
            total = totals.get(kind)
            found = sources[kind]
            if total is None and len(found) == 1:
                name, value, r, c = found[0]
                self.mon[kind] = value
                self.note(f"执行监控表的资金总额一栏是空的，只有“{name}”一行，{what}取该行的数字（{g.ref(r, c)}）。")
                continue
            if total is not None:
                self.mon[kind] = total[0]
            for name, value, r, c in found:
                if total is not None and value == total[0]:
                    self.note(f"{g.ref(r, c)} 的“{name}”{fmt(value)} 与资金总额相同；执行监控情况只记资金总额。")
                else:
                    self.unmapped(
                        r, c, f"资金来源“{name}”的{what} {fmt(value)} 在执行监控情况中没有位置（只记资金总额），未导入"
                    )
        if rate is not None:
            self._check_rate(*rate)

    def _right(self, r: int, c: int) -> tuple[int, int] | None:
        g = self.g
        for cc in range(g.span(r, c)[3] + 1, g.max_col + 1):
            if g.starts_in_row(r, cc) and g.origin(r, cc)[1] == cc and g.text(r, cc):
                return (r, cc)
        return None

    def _inline_money(self, r: int, c: int, kind: str, totals: dict, sources: dict) -> None:
        """`年初预算项目总资金数（万元） | 资金总额：22.5 / 其中：财政拨款：22.5 / 其他资金（来源、金额）：`."""
        g = self.g
        g.use(r, c)
        self.take_unit(r, c)
        lab = g.label(r, c)
        if kind == "executed" and self.period is None:
            self._period_from_money(lab, r, c)
        r0, _, r1, c1 = g.span(r, c)
        for rr in range(r0, r1 + 1):
            vc = next((cc for cc in range(c1 + 1, g.max_col + 1) if g.text(rr, cc)), None)
            if vc is None or not g.starts_in_row(rr, vc) or g.origin(rr, vc)[1] != vc:
                continue
            text = g.text(rr, vc)
            g.use(rr, vc)
            parts = re.split(r"[:：]", text)
            if len(parts) < 2:
                self.unmapped(rr, vc, f"无法识别的内容“{_short(text)}”，未导入")
                continue
            name = join_lines(parts[-2])
            value_text = parts[-1]
            n = parse_number_text(value_text, kind="amount", unit=self.unit)
            if n.problem:
                self.unmapped(rr, vc, f"无法识别“{name}”的{FIELD_NAMES[kind]}：{n.problem}，未导入")
                continue
            if n.value is None:
                continue
            if n.unit and self.unit is None:
                self.unit = n.unit
            if FUND_TOTAL.match(label(name)):
                totals[kind] = (n.value, g.ref(rr, vc))
            else:
                sources[kind].append((name, n.value, rr, vc))

    def _period_from_money(self, lab: str, r: int, c: int) -> None:
        lab = lab.translate(_DASH)
        m = _PERIOD.search(lab)
        if m:
            self.period = f"{m.group(1)}-{m.group(2)}月"
            return
        m = _UNTIL.search(lab)
        if m:
            self.period = f"1-{m.group(1)}月"
            self.note(f"监控期间按“{join_lines(self.g.text(r, c))}”（{self.g.ref(r, c)}）记为“{self.period}”。")

    def _money_table(self, hr: int, totals: dict, sources: dict) -> tuple[Decimal, int, int] | None:
        """年初预算数 | 1-6月执行数 | 执行率 | 全年预计执行数 over the rows 年度资金总额 / 其中：… ."""
        g = self.g
        cols: dict[str, int] = {}
        extra: dict[int, str] = {}
        for c in range(1, g.max_col + 1):
            if not g.starts_in_row(hr, c) or g.origin(hr, c)[1] != c or not g.text(hr, c):
                continue
            f = classify_fund(g.label(hr, c))
            if f is None:
                continue
            g.use(hr, c)
            self.take_unit(hr, c)
            if f == "extra":
                extra[c] = join_lines(g.text(hr, c))
            elif f not in cols:
                cols[f] = c
                if f == "executed" and self.period is None:
                    self._period_from_money(g.label(hr, c), hr, c)
        value_cols = list(cols.values()) + list(extra)
        first_value = min(value_cols)
        for c in range(1, first_value):  # 项目资金（万元） on the left names the block
            if g.starts_in_row(hr, c) and g.text(hr, c) and ("资金" in g.label(hr, c) or "预算" in g.label(hr, c)):
                g.use(hr, c)
                self.take_unit(hr, c)
        rate: tuple[Decimal, int, int] | None = None
        r, blank = hr + 1, 0
        while r <= g.max_row:
            label_cols = [c for c in range(1, first_value) if g.starts_in_row(r, c) and g.text(r, c)]
            values = [c for c in value_cols if g.starts_in_row(r, c) and g.origin(r, c)[1] == c and g.text(r, c)]
            if not label_cols and not values:
                blank += 1
                if blank > 1:
                    break
                r += 1
                continue
            blank = 0
            if not label_cols:
                break
            lc = label_cols[-1]
            lab = g.label(r, lc).rstrip(":")
            name = re.sub(r"^其中\s*[:：]?\s*", "", join_lines(g.text(r, lc))).rstrip(":：").strip()
            if FUND_TOTAL.match(lab):
                total = True
            elif FUND_SOURCE.search(lab) and not NOTE_START.match(lab) and len(lab) <= 30:
                total = False
            else:
                break
            for c in label_cols:
                g.use(r, c)
            for f, c in cols.items():
                if c not in values:
                    continue
                value = self.number(r, c, f"“{name}”的{FIELD_NAMES[f]}", "rate" if f == "rate" else "amount")
                if value is None:
                    continue
                if f == "rate":
                    if total:
                        rate = (value, r, c)
                    else:
                        self.unmapped(r, c, f"资金来源“{name}”的执行率在执行监控情况中没有位置，未导入")
                elif total:
                    totals[f] = (value, g.ref(r, c))
                else:
                    sources[f].append((name, value, r, c))
            for c, header in extra.items():
                if c in values and label(g.text(r, c)) not in PLACEHOLDERS:
                    self.unmapped(r, c, f"“{name}”的“{header}”在执行监控情况中没有对应字段，未导入")
            r += 1
        return rate

    def _check_rate(self, value: Decimal, r: int, c: int) -> None:
        """执行率 has no field of its own: kept out when it follows from the amounts, reported when not."""
        budget, executed = self.mon.get("budget"), self.mon.get("executed")
        if budget is None or executed is None or budget == 0:
            self.unmapped(
                r, c, f"执行率 {fmt(value)}% 在执行监控情况中没有对应字段（记录只有预算数和累计执行数），未导入"
            )
            return
        exponent = value.as_tuple().exponent
        places = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
        computed = (executed / budget * 100).quantize(places, rounding=ROUND_HALF_UP)
        if computed == value:
            self.note(f"执行率 {fmt(value)}%（{self.g.ref(r, c)}）等于累计执行数 ÷ 年初预算数，不另记录。")
        else:
            self.unmapped(
                r,
                c,
                f"执行率 {fmt(value)}% 与累计执行数 ÷ 年初预算数（{fmt(computed)}%）不一致；"
                "执行监控情况中没有执行率一栏，未导入",
            )

    # ------------------------------------------------------------------ texts, goals, 填报信息
    def read_texts(self, from_row: int) -> None:
        """项目进度总体概述 / 存在偏差原因分析 / 下一步工作措施: the text beside the heading, or under it."""
        g = self.g
        for r, c in sorted(g.values):
            if r < from_row or (r, c) in g.used:
                continue
            key = text_key(g.label(r, c))
            if key is None:
                both = inline_text(g.text(r, c))
                if both is not None:
                    g.use(r, c)
                    self._set_text(both[0], both[1], r, c)
                continue
            g.use(r, c)
            right = self._right(r, c)
            if right is not None and right not in g.used and text_key(g.label(*right)) is None:
                self._set_text(key, g.text(*right), *right)
                g.use(*right)
                continue
            if right is not None:
                continue  # 项目执行情况总结 beside its first heading: a block label
            parts: list[str] = []
            first: tuple[int, int] | None = None
            rr = g.span(r, c)[2] + 1
            while rr <= g.max_row:
                o = g.origin(rr, c)
                if o[0] != rr or not g.text(rr, c):
                    break
                lab = g.label(rr, c)
                if (
                    text_key(lab) is not None
                    or inline_text(g.text(rr, c)) is not None
                    or _CONTACT.match(lab)
                    or NOTE_START.match(lab)
                    or SIGNATURE.match(lab)
                ):
                    break
                parts.append(g.text(rr, c).strip())
                first = first or o
                g.use(rr, c)
                rr = g.span(rr, c)[2] + 1
            if parts and first is not None:
                self._set_text(key, "\n".join(parts), *first)

    def _set_text(self, key: str, text: str, r: int, c: int) -> None:
        text = text.strip()
        if not text or label(text) in PLACEHOLDERS:
            return
        if key in self.mon and self.mon[key] != text:
            self.unmapped(r, c, f"{FIELD_NAMES.get(key, key)}已从前面的单元格读出，这里又有一段文字，未导入")
            return
        self.mon[key] = text

    def read_overall_goals(self, until_row: int) -> None:
        """年度总体目标 | text above the table (the Ministry's template): the record's expected goals."""
        g = self.g
        for r, c in g.find(lambda lab: bool(_GOALS.match(lab)), rows=range(1, until_row)):
            right = self._right(r, c)
            g.use(r, c)
            if right is None:
                continue
            text = join_lines(g.text(*right))
            g.use(*right)
            if text and label(text) not in PLACEHOLDERS:
                self.data.setdefault("goals", {}).setdefault("expected", []).append(text)

    def skip_contacts(self) -> None:
        """项目负责人 | 刘鹏飞 | 联系电话 | 0478-…, 财政局审核意见, 填报人签字: who filled the form in."""
        g = self.g
        for r, c in sorted(g.values):
            if (r, c) in g.used or not _CONTACT.match(g.label(r, c)):
                continue
            g.use(r, c)
            self.res.skipped.append(f"{g.ref(r, c)}: “{_short(g.text(r, c))}”是填报信息，不是记录数据，未导入")
            right = self._right(r, c)
            if right is not None and right not in g.used and not _CONTACT.match(g.label(*right)):
                if len(g.text(*right)) <= 30:
                    g.use(*right)
                    self.res.skipped.append(f"{g.ref(*right)}: 填报信息“{_short(g.text(*right))}”，未导入")

    def assemble(self) -> None:
        mon: dict = {}
        if self.period:
            mon["period"] = self.period
        for key in ("budget", "executed", "summary", "deviation_reasons", "next_steps"):
            if key in self.mon:
                mon[key] = self.mon[key]
        if self.rows:
            mon["indicator"] = self.rows
        if mon:
            self.data["monitoring"] = mon
        self.res.amount_unit = self.unit


def read(grid: Grid) -> ImportResult:
    res = ImportResult(layout=NAME, layout_title=TITLE, sheet=grid.name)
    fr = MonitoringReader(grid, res)
    first_pair = fr.read_pairs(PAIRS)
    fr.read_title(first_pair or 3)
    for rc in grid.find(lambda lab: lab in _BLOCK_LABELS):
        grid.use(*rc)
    header = fr.find_label(lambda lab: "三级指标" in lab or lab.startswith("指标名称"))
    fr.read_overall_goals(header[0] if header else grid.max_row + 1)
    end = 1
    if header is None:
        fr.read_money(grid.max_row + 1)
        res.unmapped.append(f"{grid.name}: 找不到“三级指标”或“指标名称”表头，各指标的执行情况未导入")
    else:
        cols, last_header = fr.header(header[0])
        fr.read_money(header[0])  # after the header, whose 1-6月执行情况 names the period
        section = cols.pop("section", None)
        if section is not None and grid.starts_in_row(last_header + 1, section) and grid.text(last_header + 1, section):
            # 绩效指标 | 一级指标 | 指标名称 with 产出指标 / 效益指标 under 绩效指标 (黄石): one level more
            if "l2" not in cols:
                if "l1" in cols:
                    cols["l2"] = cols["l1"]
                cols["l1"] = section
        end = fr.read_indicators(cols, last_header + 1)
    fr.read_texts(end)
    fr.skip_contacts()
    fr.assemble()
    fr.finish()
    return res


def merge_into(main: ImportResult, mon: ImportResult) -> None:
    """The monitoring sheet's [monitoring] section into the record read from the self-evaluation sheet. What
    both sheets give (项目名称, 主管部门, …) comes from the self-evaluation form; a difference is reported."""
    main.monitoring_sheet = mon.sheet
    data = main.data
    section = mon.data.get("monitoring")
    for key, what in FIELD_LABELS.items():
        if key not in mon.data:
            continue
        if key not in data:
            data[key] = mon.data[key]
            main.notes.append(f"{what}“{mon.data[key]}”取自执行监控表（工作表“{mon.sheet}”），自评表中没有。")
        elif data[key] != mon.data[key]:
            main.unmapped.append(
                f"{mon.sheet}: 执行监控表的{what}“{mon.data[key]}”与自评表的“{data[key]}”不同，记录按自评表，这一项未导入"
            )
    expected = mon.data.get("goals", {}).get("expected")
    if expected:
        goals = data.setdefault("goals", {})
        if "expected" not in goals:
            goals["expected"] = expected
            main.notes.append(f"年度总体目标取自执行监控表（工作表“{mon.sheet}”）。")
        elif goals["expected"] != expected:
            main.unmapped.append(
                f"{mon.sheet}: 执行监控表的年度总体目标与自评表的预期目标不同，记录按自评表，这一项未导入"
            )
    if section is not None:
        unit = data.get("budget", {}).get("unit", "万元")
        amounts = [k for k in ("budget", "executed") if k in section]
        if amounts and mon.amount_unit is not None and mon.amount_unit != unit:
            for k in amounts:
                main.unmapped.append(
                    f"{mon.sheet}: 执行监控表的{FIELD_NAMES[k]} {fmt(section.pop(k))}{mon.amount_unit} 与预算表的单位"
                    f"（{unit}）不同，不能换算后照录，未导入"
                )
        elif amounts and mon.amount_unit is None:
            main.notes.append(f"执行监控表没有写明金额单位，按预算表的单位（{unit}）记录，请核对。")
        if section:
            data["monitoring"] = section
    main.unmapped += mon.unmapped
    main.notes += mon.notes
    main.skipped += mon.skipped


def finish_alone(res: ImportResult) -> None:
    """A workbook holding only the monitoring form: a record with the project's names and [monitoring]."""
    section = res.data.get("monitoring", {})
    amounts = [k for k in ("budget", "executed") if k in section]
    if amounts and res.amount_unit is None:
        res.notes.append("执行监控表没有写明金额单位；记录按万元处理，请核对。")
    elif amounts and res.amount_unit != "万元":
        # the record shows these in [budget]'s unit, and a [budget] table of its own would say more than the form
        for k in amounts:
            res.unmapped.append(
                f"{res.sheet}: 执行监控表的{FIELD_NAMES[k]} {fmt(section.pop(k))}{res.amount_unit} 未导入：记录中的执行监控金额"
                f'按 [budget] 的单位显示（默认万元），不能换算后照录；请在记录的 [budget] 中写 unit = "{res.amount_unit}" 后照录'
            )
        if not section:
            del res.data["monitoring"]
    res.notes.append(
        "文件中只有执行监控表：记录只含项目信息和执行监控情况（[monitoring]）；"
        "自评的预算执行、指标和得分请导入自评表，或在记录中填写。"
    )
