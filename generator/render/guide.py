"""The editors' guide pages generated from the code's registries, so they never drift from the code.

- diagnostic_codes_page(): every code in diagnostics.CODES (code, severity, title, meaning, fix);
- fields_page(): every field of record_schema (type, required, description, nested tables);
- rule_kinds_page(): every rule kind of rules.KINDS with its parameters and worked examples taken
  from the seed records — each example is a real TOML snippet run through the loader and the
  scoring engine when the page is built, so the numbers shown are the engine's own;
- grade_bands_page(library): every grade band set, scheme and named rule of a scheme library.

The site publishes them as guide/codes.md, guide/fields.md, guide/rules.md and guide/grades.md,
beside the hand-written pages in content/guide/.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

import tomli

from generator.core import diagnostics as dg
from generator.core.decimals import fmt
from generator.core.fields import RECORD_FIELDS, RULE_FIELDS, Field
from generator.core.rules import KINDS

GENERATED_NOTE = "本页由程序根据代码中的登记表自动生成，与校验程序始终一致；请勿手工修改。"


def anchor(name: str) -> str:
    """A stable link target (codes.md#e101, rules.md#steps) that needs no Markdown extension: the
    headings' own ids depend on the site's slugify setting, these do not."""
    return f'<a id="{name}"></a>'


def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


# ---------------------------------------------------------------------------- diagnostic codes

_CODE_GROUPS = (
    ("0", "文件与语法", "文件能否读取：编码、TOML 语法。出现这类错误时，记录的其余内容都无法检查。"),
    ("1", "记录结构", "字段名、字段类型、必填项、取值范围、叙述文件、方案与规则的引用。"),
    ("2", "指标、分值与得分", "指标体系的分值是否相加一致，公布得分是否符合评分规则。"),
    ("3", "预算与叙述中的数字", "预算执行率、“其中”各行、明细、结余结转恒等式，以及叙述文字中引用的数字。"),
)

_SEVERITY_TEXT = {
    dg.Severity.ERROR: "记录不能发布，持续集成（CI）检查失败，必须改正。",
    dg.Severity.WARNING: "照常发布，公开页面会显示该问题；多为原文本身不一致，核对后照录即可。",
    dg.Severity.INFO: "仅供参考，一般无需处理。",
}


def _code_group(code: str) -> str:
    digit = code[1:2]
    return digit if digit in {g for g, _, _ in _CODE_GROUPS} else "?"


def diagnostic_codes_page() -> str:
    """Every diagnostic code with its severity, title, meaning and fix, from diagnostics.CODES."""
    out = [
        "# 诊断代码",
        "",
        f"> **自动生成**：{GENERATED_NOTE}",
        "",
        "校验命令 `python -m generator validate` 的每条输出形如 `文件:行:列: 级别 代码: 说明`，"
        "例如 `projects/2021/x.toml:12:1: 错误 E102: …`。按行号打开文件即可找到出错的位置。"
        "代码的第一个字母是级别：",
        "",
    ]
    for sev in dg.Severity:
        out.append(f"- **{sev.value[0].upper()}**：{sev.label}。{_SEVERITY_TEXT[sev]}")
    out += ["", f"共 {len(dg.CODES)} 个代码。", "", "## 一览", "", "| 代码 | 级别 | 问题 |", "|---|---|---|"]
    for info in sorted(dg.CODES.values(), key=lambda c: (c.code[1:], c.code)):
        out.append(f"| {info.code} | {info.severity.label} | {_cell(info.title)} |")
    groups = list(_CODE_GROUPS) + [("?", "其他", "")]
    for digit, title, intro in groups:
        codes = sorted((c for c in dg.CODES.values() if _code_group(c.code) == digit), key=lambda c: (c.code[1:], c.code))
        if not codes:
            continue
        out += ["", f"## {title}", ""]
        if intro:
            out += [intro, ""]
        for info in codes:
            out += [
                anchor(info.code.lower()),
                "",
                f"### {info.code} {info.title}",
                "",
                f"- **级别**：{info.severity.label}",
                f"- **含义**：{info.meaning}",
                f"- **处理方法**：{info.fix}",
                "",
            ]
    out += [
        "## 在哪里看到这些代码",
        "",
        "- 本地：`python -m generator validate`（文字输出）或 `--format json`（供其他程序读取）。",
        "- GitHub：拉取请求（pull request）的“Files changed”中，问题会以注释形式标在出错的行上；"
        "完整列表在该次运行的摘要（Summary）页。见[发布与持续集成](publishing.md)。",
        "- 公开网站：每个项目页面列出该记录的警告与提示。",
        "",
    ]
    return "\n".join(out)


# ---------------------------------------------------------------------------- fields

_KIND_TEXT = {
    "str": "文字", "int": "整数", "number": "数字", "bool": "true / false", "date": "日期",
    "enum": "文字（限定取值）", "strlist": "文字列表", "text_or_list": "文字，或文字列表",
    "path": "文字列表（指标路径）", "table": "表", "tables": "表数组", "rules": "表（每条规则一个子表）",
    "rule": "规则名称，或行内表", "bands": "列表", "tiers": "列表", "levels": "列表",
}
_NUMBER_AS_TEXT = ("target", "actual", "level")


def _type_text(f: Field, header: str) -> str:
    if f.kind == "table":
        return f"表 `[{header}]`"
    if f.kind == "tables":
        return f"表数组 `[[{header}]]`"
    if f.kind == "rules":
        return f"表 `[{header}.名称]`"
    text = _KIND_TEXT.get(f.kind, f.kind)
    if f.kind == "str" and f.name in _NUMBER_AS_TEXT:
        text = "文字（也可写数字）"
    if f.kind == "date":
        text = "日期：`\"2021\"`、`\"2021-08\"`、`\"2021-08-31\"` 或 TOML 日期 `2021-08-31`"
    return text


def _field_notes(f: Field) -> str:
    notes = [f.description]
    if f.choices:
        notes.append("取值：" + "、".join(f"`{c}`" for c in f.choices))
    if f.minimum is not None:
        notes.append(f"不小于 {fmt(Decimal(str(f.minimum)))}")
    if f.example is not None:
        notes.append(f"例：`{f.example}`")
    return "；".join(notes)


def _field_table(fields: tuple[Field, ...], prefix: str) -> list[str]:
    rows = ["| 字段 | 类型 | 必填 | 说明 |", "|---|---|---|---|"]
    for f in fields:
        header = f"{prefix}.{f.name}" if prefix else f.name
        rows.append(f"| `{f.name}` | {_cell(_type_text(f, header))} | {'必填' if f.required else ''} | {_cell(_field_notes(f))} |")
    return rows


def _nested(fields: tuple[Field, ...], prefix: str, level: int) -> list[str]:
    out: list[str] = []
    for f in fields:
        if f.kind not in ("table", "tables", "rules"):
            continue
        header = f"{prefix}.{f.name}" if prefix else f.name
        if f.kind == "table":
            title = f"[{header}]"
        elif f.kind == "tables":
            title = f"[[{header}]]"
        else:
            title = f"[{header}.名称]"
        out += ["", f"{'#' * level} `{title}` {f.description}", ""]
        if f.kind == "tables":
            out += [f"每写一个 `[[{header}]]` 就增加一行，按原表顺序排列。", ""]
        if f.kind == "rules":
            out += [
                "每条规则一个子表，表名即规则名称，指标中用 `rule = \"名称\"` 引用；"
                "`kind` 是规则类型，其余字段是该类型的参数（见[评分规则](rules.md)）。"
                "指标的 `rule` 也可以直接写成行内表，字段相同。",
                "",
            ]
            out += _field_table(_rule_fields(), header)
            continue
        out += _field_table(f.fields, header)
        out += _nested(f.fields, header, level + 1)
    return out


def _rule_fields() -> tuple[Field, ...]:
    return tuple(Field(f.name, f.kind, f.description, f.required, tuple(KINDS)) if f.name == "kind" else f for f in RULE_FIELDS)


def all_field_names() -> set[str]:
    """Every field name of the model, dotted (`budget.sources.name`), with rule fields as `rules.*.kind`."""
    names: set[str] = set()

    def walk(fields: tuple[Field, ...], prefix: str) -> None:
        for f in fields:
            dotted = f"{prefix}.{f.name}" if prefix else f.name
            names.add(dotted)
            if f.fields:
                walk(f.fields, dotted)
            if f.kind == "rules":
                walk(RULE_FIELDS, dotted + ".*")

    walk(RECORD_FIELDS, "")
    return names


def fields_page() -> str:
    """Every field of the record format, from record_schema.RECORD_FIELDS."""
    out = [
        "# 字段说明",
        "",
        f"> **自动生成**：{GENERATED_NOTE}",
        "",
        "一个记录文件 `projects/<年度>/<项目编号>.toml` 对应一个项目、一个年度的一次评价；"
        "同名的 `.md` 文件是评价报告正文。数字直接写（不加引号），以万元为单位（除非 `budget.unit` 另有说明）；"
        "百分数写成普通数字（83.62 表示 83.62%）。原文没有的数字不要填写，整行省略即可。"
        "怎样从原表录入，见[录入一份评价表](records.md)。",
        "",
        "编辑器（VS Code 等）会按这些说明自动补全字段名并即时提示错误，见[在编辑器中获得提示](editor.md)。",
        "",
        "## 顶层字段",
        "",
    ]
    out += _field_table(RECORD_FIELDS, "")
    out += _nested(RECORD_FIELDS, "", 2)
    out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------------------- rule kinds and worked examples

_HEAD = """\
id = "guide-example"
name = "示例"
year = {year}
region = "示例"
department = "示例"
evaluation = "{evaluation}"
evaluator = "示例"
date = "{year}"
status = "draft"
scheme = "{scheme}"
"""


@dataclass(frozen=True)
class Example:
    """A worked example: a TOML snippet from a seed record, run through the loader and the engine."""

    kind: str  # the rule kind it illustrates
    title: str
    source: str  # which seed record, in words and path
    snippet: str  # TOML shown on the page (and evaluated below the hidden head)
    note: str = ""
    scheme: str = "national-self"
    year: int = 2021
    evaluation: str = "单位自评"
    hidden: str = ""  # extra TOML evaluated but not shown (appended after the snippet)


EXAMPLES: tuple[Example, ...] = (
    Example(
        "budget_execution", "执行率 0%：0 ÷ 22.5",
        "巴彦淖尔市国库集中支付电子化服务，2021 年单位自评（`projects/2021/bayannur-treasury-epay.toml`）",
        """\
[budget]
budget = 22.5       # 全年预算数（万元）
executed = 0        # 全年执行数

[[indicator]]
path = []           # 预算执行率本身是一级指标
name = "预算执行率"
target = "100%"
actual = "0%"
weight = 10
score = 0
rule = "budget_execution"
reason = "未验收，已上线运行"
""",
        "执行率由 `[budget]` 的金额算出，不取完成值；完成值与金额不符时给出 W309 警告。",
    ),
    Example(
        "budget_execution", "“95% 以上满分，每下降 1% 扣权重的 1%，60% 以下不计分”",
        "富民县预算信息管理平台等经费，2024 年评价（`projects/2024/fumin-finance-platforms.toml`）",
        """\
[budget]
budget = 50
executed = 47.76

[[indicator]]
path = ["过程", "业务管理"]
name = "预算执行率"
target = "≥95%"
actual = "95.52%"
weight = 2
score = 2
rule = { kind = "budget_execution", full_at = 95, per_point_pct = 1, zero_below = 60 }
""",
        "执行率 95.52% 达到 95% 的门槛，得满分。",
        scheme="national-dept", year=2024, evaluation="部门评价",
    ),
    Example(
        "budget_execution", "同一规则，假设执行数只有 45 万元（执行率 90%）",
        "在上例基础上改动执行数，演示门槛以下的扣分",
        """\
[budget]
budget = 50
executed = 45

[[indicator]]
path = ["过程", "业务管理"]
name = "预算执行率"
target = "≥95%"
actual = "90%"
weight = 2
score = 1.9
reason = "预算执行率 90%，低于 95%"
rule = { kind = "budget_execution", full_at = 95, per_point_pct = 1, zero_below = 60 }
""",
        "比 95% 低 5 个百分点，每点扣分值 2 分的 1%，共扣 0.1 分。",
        scheme="national-dept", year=2024, evaluation="部门评价",
    ),
    Example(
        "ratio", "成本指标：目标 4.5 万元，实际 0 万元",
        "巴彦淖尔市国库集中支付电子化服务，2021 年单位自评（`projects/2021/bayannur-treasury-epay.toml`）",
        """\
[[indicator]]
path = ["产出指标", "成本指标"]
name = "维护人行端前置系统"
target = "4.5 万元"
actual = "0 万元"
weight = 5
score = 0
reason = "未验收，已上线运行"
""",
        "没有写 `rule`：目标值含数字，方案 national-self 的默认定量规则是“比率”。",
    ),
    Example(
        "steps", "“≥24 万笔得 2 分，每少 1 万笔扣 0.5 分”：22.08 万笔",
        "大鹏新区国库业务经费，2021 年部门评价（`projects/2021/dapeng-treasury-funds.toml`）",
        """\
[[indicator]]
path = ["产出", "产出数量"]
name = "直接支付、授权支付笔数"
target = "≥24 万笔"
actual = "22.08 万笔"
weight = 2
score = 1
reason = "2021年直接支付、授权支付笔数22.08万笔，未达到预期值24万笔，该指标扣1分。"
rule = { kind = "steps", step = 1, points = 0.5 }
""",
        "差 1.92 万笔：不足一档按一档计（`partial` 默认为 `\"whole\"`），即差 2 档，扣 1 分，得 1 分，与公布得分一致。"
        "若原文规定按实际差额比例扣分，写 `partial = \"exact\"`。",
        scheme="national-dept", evaluation="部门评价",
    ),
    Example(
        "steps", "公式加酌情扣分：以 95% 为基数，并按问卷结果酌情扣 0.5 分",
        "大鹏新区国库业务经费，2021 年部门评价（`projects/2021/dapeng-treasury-funds.toml`）",
        """\
[[indicator]]
path = ["产出", "产出质量"]
name = "系统正常运转率"
target = "智慧财政市区一体化系统、金财系统、基建系统、财务核算等 4 套系统软硬件正常运转，正常运转率 ≥95%。"
actual = "100%"
weight = 2
score = 1.5
reason = "根据问卷调查结果，……运行稳定性存在一定不足，该指标扣 0.5 分。"
rule = { kind = "steps", step = 5, points = 1, base = 95 }
discretion = 0.5
""",
        "规则算出满分 2 分，再减去 `discretion` 的 0.5 分。酌情扣分必须写 `reason`，否则给出 W213 警告。",
        scheme="national-dept", evaluation="部门评价",
    ),
    Example(
        "band", "“完成 100%~130% 得满分，每低 1 个百分点扣权重 5%”：执行率 93%",
        "苏州市电子政务项目建设资金，2020 年单位自评（`projects/2020/suzhou-egov-construction.toml`）",
        """\
[rules."产出类"]
kind = "band"
low = 100
high = 130
below_pct = 5
above_pct = 1

[[indicator]]
path = ["投入目标"]
name = "预算执行率"
target = "=100%"
actual = "=93%"
weight = 6
score = 6
rule = "产出类"
""",
        "完成率 93%，比 100% 低 7 个百分点，扣分值 6 分的 7 × 5% = 35%，即 2.1 分。"
        "原表公布 6 分（满分）：这是原文与其填表说明不一致之处，校验给出 W206 警告，网站同时显示复核得分；记录照录原文，不作修改。",
        scheme="suzhou-self", year=2020,
    ),
    Example(
        "tiers", "定性指标“明显提升”，评价人选择“达成”档",
        "巴彦淖尔市国库集中支付电子化服务，2021 年单位自评（`projects/2021/bayannur-treasury-epay.toml`）",
        """\
[[indicator]]
path = ["效益指标", "社会效益指标"]
name = "信息化建设"
target = "明显提升"
actual = "明显提升"
weight = 5
score = 5
level = "达成"
""",
        "目标值是文字，方案 national-self 的默认定性规则是“定性三档”。得分由评价人在档次区间内确定，"
        "只检查公布得分是否落在所选档次的区间内。原表没有注明档次，种子记录因此不写 `level`，只检查 0 至分值；"
        "这里加上 `level = \"达成\"` 演示原表注明档次时的写法。",
    ),
    Example(
        "levels", "苏州表的定性指标：完成值为“好”",
        "苏州市电子政务项目建设资金，2020 年单位自评（`projects/2020/suzhou-egov-construction.toml`）",
        """\
[[indicator]]
path = ["投入目标"]
name = "资金使用合规性"
target = "合规"
actual = "好"
weight = 3
score = 3
""",
        "方案 suzhou-self 的默认定性规则是“定性五级”（好/较好/一般/较差/差 → 100/80/60/40/20%）；完成值正好是等级名称。",
        scheme="suzhou-self", year=2020,
    ),
    Example(
        "checklist", "“一项不符合扣 1 分”：1 项不符合",
        "富民县预算信息管理平台等经费，2024 年评价（`projects/2024/fumin-finance-platforms.toml`）",
        """\
[[indicator]]
path = ["决策", "项目立项"]
name = "绩效指标明确性"
weight = 4
score = 3
reason = "依据绩效目标设定的不够完善"
rule = { kind = "checklist", points = 1 }
failed = 1
""",
        "写了 `failed`（不符合项数）就按项数计算；不写时只检查扣分是否为每项扣分的整数倍。",
        scheme="national-dept", year=2024, evaluation="部门评价",
    ),
    Example(
        "judgement", "“根据实现程度酌情给分”",
        "大鹏新区国库业务经费，2021 年部门评价（`projects/2021/dapeng-treasury-funds.toml`）",
        """\
[[indicator]]
path = ["决策", "绩效目标"]
name = "绩效目标合理性"
weight = 3
score = 2.5
reason = "绩效指标不够完整，……该指标扣0.5分。"
rule = { kind = "judgement" }
""",
        "评价人酌情评分：只检查得分在 0 与分值之间，扣了分就要写 `reason`。",
        scheme="national-dept", evaluation="部门评价",
    ),
)

_SUZHOU_OUTPUT = ("项目验收通过率", "各项目目标达成率", "项目建设管理规范", "年内项目启动数", "签名验签服务器", "圈存机布点数",
                  "监管数据中心基础库建成数", "落实项目监理制数量", "业务中台通用服务能力", "提供数据质量的第三方数据质量监测服务", "安全认证网关")
_SUZHOU_RESULT = ("数据交换前置交换节点数", "业务标签信息", "对接业务部门服务", "APP 下载数", "架构治理服务提交电子政务项目初审报告数",
                  "数据中台综合监控分析项", "数据资源分析算法", "监管数据中心对接部门数", "业务中台需要对接部门业务服务")


@dataclass
class Worked:
    example: Example
    record: object
    evaluation: object
    leaf: object
    codes: list[str]


def _library():
    from generator.core.schemes import load_library

    return load_library(None)


def run_example(snippet: str, *, scheme: str = "national-self", year: int = 2021, evaluation: str = "单位自评", library=None):
    """Load a TOML snippet below a hidden record head and score it: (record, evaluation, diagnostics).

    Raises ValueError when the snippet does not load: a guide example must always be a valid record.
    """
    from generator.core.loader import build_record
    from generator.core.pipeline import check_record

    library = library or _library()
    text = _HEAD.format(year=year, evaluation=evaluation, scheme=scheme) + snippet
    raw = tomli.loads(text, parse_float=Decimal)
    record, diags = build_record(raw, text, "guide-example.toml", "guide-example.toml", [])
    if record is None:
        raise ValueError("guide example does not load: " + "; ".join(d.to_text() for d in diags))
    record.narrative = "## 示例\n示例。\n"  # the narrative is not part of an example
    ev = check_record(record, library)
    return record, ev, diags + list(ev.diagnostics)


def work(example: Example, library=None) -> Worked:
    record, ev, diags = run_example(example.snippet + example.hidden, scheme=example.scheme, year=example.year,
                                    evaluation=example.evaluation, library=library)
    leaf = ev.leaves[-1]
    first_line = record.locate(leaf.indicator.key)[0]
    codes = sorted({d.code for d in diags if d.line >= first_line and d.code != "E101"})
    return Worked(example, record, ev, leaf, codes)


def _outcome_text(w: Worked) -> str:
    leaf = w.leaf
    o = leaf.outcome
    ind = leaf.indicator
    if o is None:
        return "规则无法应用。"
    parts = []
    if o.explanation:
        parts.append(o.explanation)
    if o.computed is not None:
        result = f"复核得分 **{fmt(o.computed)} 分**"
    elif o.low is not None and o.high is not None:
        result = f"允许的得分区间 **{fmt(o.low)}–{fmt(o.high)} 分**"
    elif o.allowed:
        result = "允许的得分：" + "、".join(fmt(a) for a in o.allowed)
    else:
        result = ""
    if result:
        parts.append(result)
    if ind.score is not None:
        parts.append(f"公布得分 {fmt(ind.score)} 分")
    text = "；".join(parts) + "。"
    if w.codes:
        text += "校验结果：" + "、".join(f"[{c}](codes.md#{c.lower()})（{dg.CODES[c].title}）" for c in w.codes) + "。"
    else:
        text += "校验通过，没有问题。"
    return text


def _example_block(w: Worked, number: int) -> list[str]:
    ex = w.example
    return [
        f"**例 {number}：{ex.title}**",
        "",
        f"出处：{ex.source}。",
        "",
        "```toml",
        ex.snippet.rstrip("\n"),
        "```",
        "",
        f"计算：{_outcome_text(w)}",
        "",
    ] + ([ex.note, ""] if ex.note else [])


def _two(value: Decimal, places: int = 2) -> str:
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN))


def _split_example(library) -> list[str]:
    """The 苏州 form's derived weights: 24 ÷ 11 and 22 ÷ 9, run through the engine."""
    def snippet(group: str, weight: int, names: tuple[str, ...], shown: int | None = None) -> tuple[str, str]:
        head = f"[[group]]\npath = [\"{group}\"]\nweight = {weight}\nsplit = \"equal\"\n"
        rows = [f"\n[[indicator]]\npath = [\"{group}\"]\nname = \"{n}\"\n" for n in names]
        full = head + "".join(rows)
        if shown is None or shown >= len(rows):
            return full, full
        return full, head + "".join(rows[:shown]) + f"\n# ……共 {len(names)} 项，都不写 weight\n"

    out = []
    for group, weight, names in (("产出目标", 24, _SUZHOU_OUTPUT), ("结果目标", 22, _SUZHOU_RESULT)):
        full, shown = snippet(group, weight, names, shown=2)
        _, ev, _ = run_example(full, scheme="suzhou-self", year=2020, library=library)
        weights = [leaf.weight for leaf in ev.leaves]
        same = weights[0]
        out += [
            f"**{group}：{weight} 分，{len(names)} 项指标**",
            "",
            "```toml",
            shown.rstrip("\n"),
            "```",
            "",
            f"结果：{weight} ÷ {len(names)} = {_two(Decimal(weight) / len(names), 4)}……，保留两位小数为 {_two(same)}；"
            f"前 {len(names) - 1} 项各 {_two(same)} 分，最后一项 {weight} − {_two(same)} × {len(names) - 1} = **{_two(weights[-1])} 分**，"
            f"合计正好 {fmt(sum(weights, Decimal(0)))} 分。",
            "",
        ]
    return out


def _unscored_example(library) -> list[str]:
    snippet = """\
scored = false      # 原表只有指标值和完成值，没有分值和得分

[budget]
budget = 200
executed = 167.23
rate = 83.62

[[indicator]]
path = ["产出指标", "数量指标"]
name = "局机关办公使用互联网"
target = "120M互联网专线"
actual = "业务开通速率上行120M、下行120M"
"""
    _, ev, diags = run_example(snippet, year=2021, library=library)
    codes = sorted({d.code for d in diags if d.code != "E101"})
    rate = fmt(ev.execution_rate.quantize(Decimal("0.01"))) if ev.execution_rate is not None else "—"
    return [
        "出处：蔡甸区金财工程，2021 年单位自评结果（`projects/2021/caidian-jincai.toml`）。",
        "",
        "```toml",
        snippet.rstrip("\n"),
        "```",
        "",
        f"结果：不复核得分，也不要求 `total`；预算执行率照常核对（167.23 ÷ 200 = {rate}%，与公布的 83.62% 一致），"
        "公开页面只显示目标值与完成值。"
        + ("校验结果：" + "、".join(codes) + "。" if codes else "校验通过，没有问题。"),
        "",
    ]


def _param_rows(kind) -> list[str]:
    descriptions = {f.name: f for f in RULE_FIELDS}
    rows = ["| 参数 | 必填 | 默认值 | 说明 |", "|---|---|---|---|"]
    for p in kind.params:
        f = descriptions.get(p.name)
        desc = f.description if f else ""
        if p.default is not None:
            desc = desc.replace("（默认）", "")  # the kind's own default is in its column
        if f is not None and f.choices:
            desc += "；取值：" + "、".join(f"`{c}`" for c in f.choices)
        default = "" if p.default is None else (fmt(p.default) if isinstance(p.default, Decimal) else f"`{p.default}`")
        rows.append(f"| `{p.name}` | {'必填' if p.required else ''} | {default} | {_cell(desc)} |")
    return rows


def rule_kinds_page(library=None) -> str:
    """Every rule kind with its parameters, written form and worked examples from the seeds."""
    library = library or _library()
    out = [
        "# 评分规则",
        "",
        f"> **自动生成**：{GENERATED_NOTE}本页的计算结果是程序在生成网站时实际算出的。",
        "",
        "每个末级指标都按一条评分规则复核：程序用规则和完成值重新计算得分，与公布得分比较。"
        "规则是数据，不是程序：录入时照原表的评分标准选择规则类型、填写参数即可。",
        "",
        "## 怎样确定一个指标使用的规则",
        "",
        "1. 指标写了 `rule = \"名称\"`：先找本记录的 `[rules.名称]`，再找方案库中的命名规则（见[等级与评分方案](grades.md)），"
        "最后把名称当作规则类型（如 `rule = \"ratio\"`）。",
        "2. 指标写了行内表 `rule = { kind = \"steps\", step = 1, points = 0.5 }`：直接使用。",
        "3. 都没写：使用评分方案模板中该分支的规则；再没有，则目标值含数字时用方案的默认定量规则，目标值为文字时用默认定性规则。",
        "",
        "**方向**：目标值以 ≥、＞、以上 开头或结尾时越高越好；≤、＜、以内、及其以下 时越低越好；"
        "只有数字或写 = 时按越高越好。也可以在规则中写 `direction = \"higher\"` 或 `\"lower\"`。",
        "",
        "**上下限**：任何规则算出的得分都限制在 0 与分值之间（超额完成也不超过分值）；"
        "指标的 `discretion`（酌情扣分）在规则计算之后再减去。结果四舍五入到 0.01 分。"
        "公布得分与复核得分只差手工取整（如 8.62 写成 9）时只给出提示 I207。",
        "",
        "## 规则类型一览",
        "",
        "| 类型 | 名称 | 说明 |",
        "|---|---|---|",
    ]
    for k in KINDS.values():
        out.append(f"| `{k.name}` | {k.title} | {_cell(k.description)} |")
    worked = [work(ex, library) for ex in EXAMPLES]
    number = 0
    for k in KINDS.values():
        out += ["", anchor(k.name), "", f"## {k.name} {k.title}", "", k.description, ""]
        if k.evaluator_choice:
            out += ["得分由评价人确定，程序只检查得分是否在允许的范围内，不重新计算。", ""]
        if k.params:
            out += ["参数：", ""] + _param_rows(k) + [""]
        else:
            out += ["没有参数。", ""]
        if k.example:
            out += ["写法：", "", "```toml", k.example, "```", ""]
        mine = [w for w in worked if w.example.kind == k.name]
        if mine:
            out += ["### 种子记录中的实例", ""]
            for w in mine:
                number += 1
                out += _example_block(w, number)
        else:
            out += ["种子记录中没有这类指标，写法见上。", ""]
    out += [
        "## 由上级分值推算末级分值（split = \"equal\"）",
        "",
        "有的评价表规定“各项指标分值 = 该类总分值 ÷ 指标个数”（苏州市自评表）。录入时在上级 `[[group]]` 中写 "
        "`split = \"equal\"`，下级指标不写 `weight`：程序把分值平均分摊，保留两位小数，余数计入最后一项。",
        "",
        "出处：苏州市电子政务项目建设资金，2020 年单位自评（`projects/2020/suzhou-egov-construction.toml`）。",
        "",
    ]
    out += _split_example(library)
    out += [
        "## 不计分的记录（scored = false）",
        "",
        "有的公开材料只有指标值和完成值，没有分值和得分。这时写 `scored = false`，指标不写 `weight` 和 `score`，也不写 `total`。",
        "",
    ]
    out += _unscored_example(library)
    return "\n".join(out)


def rule_kind_names() -> list[str]:
    return list(KINDS)


# ---------------------------------------------------------------------------- grade bands and schemes

def _band_rows(bands) -> list[str]:
    rows = ["| 等级 | 总分（百分制） |", "|---|---|"]
    ordered = list(bands.bands)
    for i, (name, minimum) in enumerate(ordered):
        if i == 0:
            rng = f"{fmt(minimum)} 分及以上"
        elif minimum <= 0:
            rng = f"{fmt(ordered[i - 1][1])} 分以下"
        else:
            rng = f"{fmt(minimum)} 分（含）至 {fmt(ordered[i - 1][1])} 分"
        rows.append(f"| {name} | {rng} |")
    return rows


def _rule_summary(rule: dict) -> str:
    params = ", ".join(f"{k} = {_toml_value(v)}" for k, v in rule.items() if k not in ("kind", "title"))
    return f"`{rule.get('kind')}`" + (f"（{params}）" if params else "")


def _toml_value(v) -> str:
    if isinstance(v, str):
        return f"\"{v}\""
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, Decimal):
        return fmt(v)
    return str(v)


def _template_rows(s) -> list[str]:
    """The scheme's indicator tree: level-1 groups with their weights, each followed by its template branches."""
    groups = {tuple(g.get("path", ())): g for g in s.groups}
    template = {tuple(t.get("path", ())): t for t in s.template}
    order: list[tuple] = []
    for p in [tuple(t.get("path", ())) for t in s.template] + list(groups):
        for depth in range(1, len(p) + 1):
            if p[:depth] not in order and (depth == len(p) or p[:depth] in groups):
                order.append(p[:depth])
    first = {p: i for i, p in enumerate(order)}
    order.sort(key=lambda p: [first.get(p[:d], 0) for d in range(1, len(p) + 1)])
    rows = []
    for p in order:
        g, t = groups.get(p, {}), template.get(p, {})
        weight = t.get("weight", g.get("weight"))
        notes = []
        if t.get("weight") is not None:
            notes.append("本身是末级指标")
        if g.get("split") == "equal":
            notes.append("下级指标不写分值，平均分摊（split = \"equal\"）")
        if t.get("rule"):
            notes.append(f"默认规则“{t['rule']}”")
        rows.append(f"| {' / '.join(p)} | {fmt(Decimal(str(weight))) if weight is not None else ''} | {'；'.join(notes)} |")
    return rows


CUSTOM_SCHEME_EXAMPLE = """\
#:schema ../../schema/scheme.schema.json

[schemes.hubei-self]
title = "单位自评（预算执行率 20 / 产出 40 / 效益与满意度 40，定性 80/50）"
basis = "照录所依据文件的名称与原文"
grade_bands = "national4"
max_score = 100
defaults = { quantitative = "比率", qualitative = "定性三档80/50" }
template = [
  { path = ["预算执行率"], weight = 20, rule = "预算执行率" },
  { path = ["产出指标", "数量指标"] },
  { path = ["产出指标", "质量指标"] },
  { path = ["效益指标", "社会效益指标"] },
  { path = ["效益指标", "服务对象满意度指标"] },
]
groups = [
  { path = ["产出指标"], weight = 40 },
  { path = ["效益指标"], weight = 40 },
]
"""


def grade_bands_page(library) -> str:
    """Every grade band set, scoring scheme and named rule of the library."""
    out = [
        "# 等级与评分方案",
        "",
        f"> **自动生成**：{GENERATED_NOTE}",
        "",
        "记录的 `scheme` 指定评分方案：方案决定满分、默认评分规则、等级分数段，以及 `python -m generator new` "
        "生成新记录时使用的指标体系模板。记录的 `grade_bands` 可以单独改用另一套等级分数段。",
        "",
        "## 等级分数段",
        "",
        "总分换算为百分制后对照分数段确定等级；满分不是 100 时先换算（总分 ÷ 满分 × 100）。"
        "分数段的下限含本数：89.5 分不到 90 分，是“良”。",
        "",
    ]
    for name, bands in library.grade_bands.items():
        out += [anchor(f"bands-{name}"), "", f"### {name}：{bands.title}", ""]
        if bands.basis:
            out += [f"依据：{bands.basis}", ""]
        out += _band_rows(bands)
        examples = [Decimal("89.5"), Decimal("69.5")]
        shown = "；".join(f"{fmt(s)} 分 → {bands.grade(s, Decimal(100))}" for s in examples)
        out += ["", f"例：{shown}。记录中写 `grade_bands = \"{name}\"` 即使用这套分数段。", ""]
    if "national4" in library.grade_bands:
        b = library.grade_bands["national4"]
        out += [
            "### 满分不是 100 分时",
            "",
            f"苏州市自评表满分 80 分：总分 72 分换算为 72 ÷ 80 × 100 = 90 分，按 national4 为“{b.grade(Decimal(72), Decimal(80))}”；"
            f"总分 80 分为“{b.grade(Decimal(80), Decimal(80))}”。",
            "",
        ]
    out += ["## 评分方案", ""]
    for name, s in library.schemes.items():
        out += [anchor(f"scheme-{name}"), "", f"### {name}：{s.title}", ""]
        if s.basis:
            out += [f"依据：{s.basis}", ""]
        facts = [
            f"- 等级分数段：`{s.grade_bands}`",
            f"- 满分：{fmt(s.max_score) if s.max_score is not None else '各一级指标分值之和'}",
        ]
        q, ql = s.defaults.get("quantitative"), s.defaults.get("qualitative")
        if q:
            facts.append(f"- 定量指标（目标值含数字）默认规则：“{q}”" + (f" —— {_rule_summary(library.rules[q])}" if q in library.rules else ""))
        if ql:
            facts.append(f"- 定性指标（目标值为文字）默认规则：“{ql}”" + (f" —— {_rule_summary(library.rules[ql])}" if ql in library.rules else ""))
        if s.source and s.source != "内置":
            facts.append(f"- 定义于：`{s.source}`")
        out += facts + [""]
        if s.groups or s.template:
            out += ["指标体系模板（`new` 命令据此生成新记录）：", "", "| 指标 | 分值 | 说明 |", "|---|---|---|"]
            out += _template_rows(s)
            out += ["", f"新建记录：`python -m generator new --scheme {name}`。", ""]
    out += ["## 命名规则", "", "方案库中的命名规则可在任何记录中用 `rule = \"名称\"` 引用。", "", "| 名称 | 规则 | 说明 |", "|---|---|---|"]
    for name, rule in library.rules.items():
        out.append(f"| {name} | {_cell(_rule_summary(rule))} | {_cell(rule.get('title', ''))} |")
    out += [
        "",
        "## 自定义方案",
        "",
        "在记录目录的 `schemes/` 子目录（通常是 `projects/schemes/`）中新建 `.toml` 文件，格式与内置方案相同："
        "`[grade_bands.名称]`、`[rules.名称]`、`[schemes.名称]`。例如预算执行率占 20 分、定性指标按 80/50 分档的单位自评表"
        "（`projects/schemes/hubei.toml`）：",
        "",
        "```toml",
        CUSTOM_SCHEME_EXAMPLE.rstrip("\n"),
        "```",
        "",
        "方案文件有错误时，校验给出 E125。",
        "",
    ]
    return "\n".join(out)
