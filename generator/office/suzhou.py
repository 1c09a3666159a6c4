"""The 苏州 municipal self-evaluation form (苏州市级财政支出项目绩效自评表, seed 004's shape).

项目名称 / 项目年份 / 项目主管部门(单位); 市级预算执行情况(万元): 年初预算数 | 当年使用上年结余、结转及
当年调整预算数 | 财政拨款数 | 指标结余数; 市级财政资金使用情况(万元): 财政拨款数 | 实际支付数 |
资金结余、结转数 | 其中: 结转数 | 财政收回数; 项目资金构成: 子项目名称 | 实际金额; the indicator table
项目 | 类别 | 指标名称 | 目标值 | 权重 | 实际完成值 | 自评分 with category weights in the 类别 cells
(“投入目标(26分)”) and the form's total in the 项目 cell (“项目绩效实现情况(80分)”); 合计; 填表说明;
项目基本情况 (项目概况, 年度绩效目标, 项目实施情况, …) which becomes the narrative.
"""

from __future__ import annotations

import re
from decimal import Decimal

from generator.core.decimals import fmt

from .form_reader import NOTE_START, FormReader, ImportResult, _short
from .grid import Grid, join_lines, label

NAME = "suzhou"
TITLE = "苏州市级财政支出项目绩效自评表"
PAIRS = {
    "项目名称": "name",
    "项目年份": "year",
    "年度": "year",
    "项目主管部门(单位)": "department",
    "项目主管部门": "department",
    "主管部门": "department",
    "实施单位": "implementer",
    "项目实施单位": "implementer",
}


def detect(grid: Grid) -> int:
    labels = grid.labels()
    score = 0
    if any("市级预算执行情况" in l or "财政资金使用情况" in l for l in labels):
        score += 3
    if any(l.startswith("自评分") for l in labels):
        score += 2
    if "类别" in labels and any(l.startswith("指标名称") for l in labels) and any(l.startswith("权重") for l in labels):
        score += 2
    if any(l.startswith("子项目名称") for l in labels):
        score += 1
    return score


def _block_field(h: str) -> str | None:
    if "年初预算" in h:
        return "initial"
    if "调整" in h:
        return "adjustment"
    if "指标结余" in h:
        return "unallocated"
    if "资金结余" in h or ("结余" in h and "结转" in h):
        return "balance"
    if "结转数" in h:
        return "carried"
    if "收回" in h:
        return "recovered"
    if "拨款数" in h:
        return "appropriated"
    if "实际支付" in h or "支付数" in h:
        return "paid"
    return None


def _numberish(grid: Grid, r: int, c: int) -> bool:
    n = grid.number(r, c)
    return n.value is not None


def read_block(fr: FormReader, r0: int, c0: int) -> dict[str, Decimal]:
    """A labelled block of header rows over one row of figures (the label cell on the left may span the
    block's rows). Header text of a column is what its header rows say, top to bottom (`其中:` over
    `结转数`)."""
    g = fr.g
    R0, C0, R1, C1 = g.span(r0, c0)
    fr.take_unit(r0, c0)
    g.use(r0, c0)
    last = R1 if R1 > R0 else min(R0 + 3, g.max_row)
    value_row = None
    for r in range(R0, last + 1):
        if any(_numberish(g, r, c) for c in range(C1 + 1, g.max_col + 1) if g.starts_in_row(r, c)):
            value_row = r
            break
    if value_row is None:
        fr.unmapped(r0, c0, f"“{_short(g.text(r0, c0))}”一栏没有找到数字，未导入")
        return {}
    header_rows = range(R0, value_row)
    out: dict[str, Decimal] = {}
    seen_values: set = set()
    for c in range(C1 + 1, g.max_col + 1):
        head = "".join(g.label(r, c) for r in header_rows if g.starts_in_row(r, c) and g.text(r, c))
        for r in header_rows:
            if g.starts_in_row(r, c) and g.text(r, c):
                g.use(r, c)
        vo = g.origin(value_row, c)
        if vo in seen_values or not g.starts_in_row(value_row, c):
            continue
        f = _block_field(head)
        if f is None:
            if g.text(value_row, c):
                fr.unmapped(value_row, c, f"表头“{head or '（空）'}”无法识别，这个数字未导入")
            continue
        if not g.text(value_row, c) and any(k == f for k in out):
            continue
        seen_values.add(vo)
        value = fr.number(value_row, c, f"“{head}”", "amount")
        if value is None:
            continue
        if f in out and out[f] != value:
            fr.unmapped(value_row, c, f"{head} {fmt(value)} 与前面读出的 {fmt(out[f])} 不一致，未导入")
            continue
        out[f] = value
    return out


def read_items(fr: FormReader, r0: int, c0: int, end_row: int) -> None:
    g = fr.g
    R0, C0, R1, C1 = g.span(r0, c0)
    g.use(r0, c0)
    fr.take_unit(r0, c0)
    name_col = amount_col = None
    header_row = R0
    for c in range(C1 + 1, g.max_col + 1):
        if not g.starts_in_row(header_row, c) or g.origin(header_row, c)[1] != c:
            continue
        lab = g.label(header_row, c)
        if "名称" in lab and name_col is None:
            name_col = c
            g.use(header_row, c)
        elif ("金额" in lab or "资金" in lab) and amount_col is None:
            amount_col = c
            g.use(header_row, c)
            fr.take_unit(header_row, c)
    if name_col is None or amount_col is None:
        fr.unmapped(r0, c0, "项目资金构成找不到“子项目名称”和“金额”两栏，未导入")
        return
    last = R1 if R1 > R0 else end_row - 1
    items: list[dict] = []
    stated_total = None
    for r in range(header_row + 1, last + 1):
        if not g.starts_in_row(r, name_col) and not g.starts_in_row(r, amount_col):
            continue
        name = join_lines(g.text(r, name_col)) if g.starts_in_row(r, name_col) else ""
        g.use(r, name_col)
        if not name and not g.text(r, amount_col):
            continue
        if not name:
            fr.unmapped(r, amount_col, "这一行没有子项目名称，金额未导入")
            continue
        value = fr.number(r, amount_col, f"子项目“{name}”的金额", "amount")
        if label(name) in ("合计", "总计", "小计"):
            stated_total = (value, g.ref(r, amount_col))
            continue
        item: dict = {"name": name}
        if value is not None:
            item["budget"] = value
        items.append(item)
    if items:
        fr.data.setdefault("budget", {})["items"] = items
        if stated_total and stated_total[0] is not None and all("budget" in i for i in items):
            s = sum((i["budget"] for i in items), Decimal(0))
            if s == stated_total[0]:
                fr.note(f"子项目合计 {fmt(stated_total[0])}（{stated_total[1]}）等于各子项目之和。")
            else:
                fr.note(
                    f"子项目合计 {fmt(stated_total[0])}（{stated_total[1]}）与各子项目之和 {fmt(s)} 不符；校验会提示。"
                )
        fr.note("子项目的“实际金额”记为各子项目的预算数（budget），与种子记录的做法一致。")


def read_narrative(fr: FormReader, r0: int, c0: int) -> str:
    """`项目基本情况` block: a label cell and its text per row → `## 标签` sections."""
    g = fr.g
    g.use(r0, c0)
    sections: list[str] = []
    r = r0
    while r <= g.max_row:
        cells = [c for c in g.row_cells(r) if g.origin(r, c) != (r0, c0)]
        if not cells:
            r += 1
            continue
        first = g.label(r, cells[0])
        if NOTE_START.match(first):
            break
        if len(cells) < 2:
            if r != r0:
                fr.unmapped(r, cells[0], f"“{_short(g.text(r, cells[0]))}”后面没有内容，未导入")
            r += 1
            continue
        head = join_lines(g.text(r, cells[0]))
        body = "\n".join(g.text(r, c) for c in cells[1:])
        for c in cells:
            g.use(r, c)
        paragraphs = [p.strip() for p in re.split(r"\n+", body) if p.strip()]
        sections.append(f"## {head}\n\n" + "\n\n".join(_escape_md(p) for p in paragraphs))
        if label(head) in ("年度绩效目标", "年度目标"):
            fr.data.setdefault("goals", {})["expected"] = [join_lines(p) for p in paragraphs]
        r += 1
    return "\n\n".join(sections) + ("\n" if sections else "")


def _escape_md(text: str) -> str:
    from .docx_md import escape_inline

    return escape_inline(text)


def read(grid: Grid) -> ImportResult:
    res = ImportResult(layout=NAME, layout_title=TITLE, sheet=grid.name)
    fr = FormReader(grid, res)
    first_pair = fr.read_pairs(PAIRS)
    fr.read_title(first_pair or 3)
    res.data["scheme"] = "suzhou-self"
    figures: dict[str, Decimal] = {}
    header = fr.find_label(lambda l: l.startswith("指标名称"))
    end_of_funds = header[0] if header else grid.max_row + 1
    for pred in (lambda l: "预算执行情况" in l, lambda l: "资金使用情况" in l):
        hit = fr.find_label(pred, rows=range(1, end_of_funds))
        if hit:
            for f, v in read_block(fr, *hit).items():
                if f in figures and figures[f] != v:
                    res.unmapped.append(
                        f"{grid.ref(*hit)}: {f} 两处数字不一致（{fmt(figures[f])} 与 {fmt(v)}），后者未导入"
                    )
                    continue
                figures[f] = v
    budget = res.data.setdefault("budget", {})
    for f in ("initial", "adjustment"):
        if f in figures:
            budget[f] = figures[f]
    if "initial" in figures and "adjustment" in figures:
        budget["budget"] = figures["initial"] + figures["adjustment"]
        fr.note(
            f"全年预算数 {fmt(budget['budget'])} = 年初预算数 + 当年使用上年结余、结转及当年调整预算数（按表中两数相加）。"
        )
    if "paid" in figures:
        budget["executed"] = figures["paid"]
        fr.note("执行数取自“实际支付数”。")
    balance = {
        k: figures[k]
        for k in ("unallocated", "appropriated", "paid", "balance", "carried", "recovered")
        if k in figures
    }
    items_hit = fr.find_label(lambda l: l.startswith("项目资金构成"), rows=range(1, end_of_funds))
    if items_hit:
        read_items(fr, *items_hit, end_of_funds)
    if balance:
        budget["balance"] = balance
    if header is None:
        res.unmapped.append(f"{grid.name}: 找不到“指标名称”表头，指标表未导入")
    else:
        cols, last_header = fr.indicator_header(header[0])
        fr.read_indicators(cols, last_header + 1)
        fr.decide_scored()
    basic = fr.find_label(lambda l: l == "项目基本情况")
    if basic:
        res.narrative = read_narrative(fr, *basic)
    fr.finish()
    return res
