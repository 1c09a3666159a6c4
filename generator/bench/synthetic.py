"""Synthetic records shaped like the seeds, and plain Markdown pages of the same text, for the benchmark and the tests.

The same seed always gives the same files. About 15 % of the records carry deliberate inconsistencies
(a published score that does not follow its rule, a declared weight or total that does not add up, a
quoted execution rate that differs), so validation has diagnostics to report.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from pathlib import Path

DEFAULT_SEED = 20240601

_REGIONS = [
    "内蒙古自治区巴彦淖尔市",
    "湖北省武汉市蔡甸区",
    "广东省深圳市大鹏新区",
    "云南省昆明市富民县",
    "江苏省苏州市",
    "浙江省杭州市西湖区",
]
_WORDS = [
    "财政",
    "国库",
    "集中支付",
    "电子化",
    "平台",
    "运维",
    "信息化",
    "预算",
    "管理",
    "一体化",
    "系统",
    "服务",
    "数据",
    "安全",
    "网络",
    "核算",
]
_SENTENCES = [
    "项目资金严格执行专户管理和先发生后支付的原则，有效保障资金安全，避免专项资金在预算部门沉积。",
    "在资金管理方面，资金、财务制度健全，审批拨付流程清晰，经费支出有据可循，资金使用合理合规。",
    "通过开展国库业务经费项目，有效实施国库集中收付制度，管理、监督和统筹调度区级财政资金。",
    "绩效指标设置不够完善，质量指标仅设置“软件系统正常运行率”，未能反映编报准确率等质量情况。",
    "强化财政专网平台电路通信服务管理，保障财政业务专网平台网络信息畅通。",
    "定期组织开展服务器、存储和网络等设备运行安全巡检，确保中心机房设备运行正常。",
    "下一步将进一步建立健全项目整体支出绩效管理的制度及相关配套措施，规范完善项目资金支出管理。",
    "评价专家与项目负责人进行交流，了解项目立项、资金使用、项目管理、项目产出及效果等情况。",
]
_SECTIONS = [
    "一、项目基本情况",
    "二、绩效评价工作情况",
    "三、综合评价情况及评价结论",
    "四、绩效评价指标分析",
    "五、存在问题及原因分析",
    "六、有关建议",
]
_QUAL = [
    ("明显提升", "明显提升"),
    ("长期", "长期"),
    ("健全", "健全"),
    ("优秀", "优秀"),
    ("有所提升", "普通单据三天内支付完成"),
]
_UNITS = ["个", "家", "套", "万笔", "次", "项"]


def _d(value: float | Decimal, places: int = 2) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _s(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _split(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """Split `total` into `parts` positive amounts with 0.5 granularity (last takes the remainder)."""
    units = int(total * 2)
    if parts >= units:
        return [total / parts] * parts
    cuts = sorted(rng.sample(range(1, units), parts - 1))
    bounds = [0, *cuts, units]
    return [Decimal(bounds[i + 1] - bounds[i]) / 2 for i in range(parts)]


@dataclass
class _Leaf:
    path: tuple[str, ...]
    name: str
    weight: Decimal
    lines: list[str] = field(default_factory=list)
    score: Decimal = Decimal(0)  # set by _leaf


def _leaf(path: tuple[str, ...], name: str, weight: Decimal, rng: random.Random, bad: bool) -> _Leaf:
    """One indicator with a rule and a published score that follows the rule (unless `bad`)."""
    leaf = _Leaf(path, name, weight)
    kind = rng.choices(
        ["ratio", "steps", "band", "deviation", "tiers", "levels", "checklist", "judgement", "zero"],
        weights=[5, 5, 2, 1, 3, 2, 3, 3, 1],
    )[0]
    unit = rng.choice(_UNITS)
    w = weight
    score: Decimal = w
    target: Decimal | str  # a figure, or a word, depending on the rule
    actual: Decimal | int | str
    out = leaf.lines
    if kind == "ratio":
        target = Decimal(rng.randint(5, 500))
        actual = target if rng.random() < 0.7 else _d(target * Decimal(rng.uniform(0.5, 1.3)))
        out += [f'target = "≥{_s(target)} {unit}"', f'actual = "{_s(actual)} {unit}"', 'rule = "ratio"']
        score = w if actual >= target else _d(actual / target * w)
    elif kind == "steps":
        target = Decimal(rng.randint(20, 100))
        actual = target + rng.randint(0, 5) if rng.random() < 0.7 else _d(target - Decimal(rng.uniform(0.1, 6)))
        out += [
            f'target = "≥{_s(target)} {unit}"',
            f'actual = "{_s(actual)} {unit}"',
            'rule = { kind = "steps", step = 1, points = 0.5 }',
        ]
        gap = target - actual
        score = w if gap <= 0 else max(Decimal(0), w - gap.to_integral_value(rounding=ROUND_CEILING) * Decimal("0.5"))
    elif kind == "band":
        actual = rng.choice([100, 100, 105, 124, 93, 140])
        out += ['target = "=100%"', f'actual = "={actual}%"', 'rule = "苏州产出类"']
        if actual < 100:
            score = _d(w - (100 - actual) * Decimal("0.05") * w)
        elif actual > 130:
            score = _d(w - (actual - 130) * Decimal("0.01") * w)
    elif kind == "deviation":
        actual = rng.choice([100, 104, 112, 118, 125])
        out += [
            f'target = "100 {unit}"',
            f'actual = "{actual} {unit}"',
            'rule = { kind = "deviation", bands = [[10, 100], [15, 60], [20, 20]] }',
        ]
        dev = abs(actual - 100)
        score = (
            w
            if dev <= 10
            else _d(w * Decimal("0.6"))
            if dev <= 15
            else _d(w * Decimal("0.2"))
            if dev <= 20
            else Decimal(0)
        )
    elif kind == "tiers":
        target, actual = rng.choice(_QUAL)
        level = rng.choice(["达成", "达成", "部分达成"])
        out += [f'target = "{target}"', f'actual = "{actual}"', 'rule = "定性三档"', f'level = "{level}"']
        score = w if level == "达成" else _d(w * Decimal("0.7"))
    elif kind == "levels":
        level, share = rng.choice([("好", 100), ("好", 100), ("较好", 80), ("一般", 60)])
        out += ['target = "健全"', f'actual = "{level}"', 'rule = "定性五级"']
        score = _d(w * share / 100)
    elif kind == "checklist":
        failed = rng.choice([0, 0, 0, 1])
        out += ['rule = { kind = "checklist", points = 0.5 }', f"failed = {failed}"]
        score = max(Decimal(0), w - failed * Decimal("0.5"))
    elif kind == "judgement":
        out += ['target = "有所提升"', 'actual = "明显提升"', 'rule = "judgement"']
        score = w if rng.random() < 0.8 else _d(w - Decimal("0.5")) if w > 1 else w
    elif kind == "zero":
        out += ['target = "0 起"', 'actual = "0 起"', 'rule = "zero"']
    if bad:  # a published score that does not follow its rule
        score = max(Decimal(0), score - Decimal(1)) if score >= 1 else w
    leaf.score = score
    return leaf


def synth_record(i: int, rng: random.Random) -> tuple[int, str, str, str]:
    """(year, slug, TOML text, Markdown text) of one record shaped like the seeds."""
    year = rng.choice([2020, 2021, 2022, 2023, 2024])
    slug = f"bench-{i:06d}"
    self_eval = rng.random() < 0.5
    if self_eval:
        level1 = [
            ("预算执行率", Decimal(10)),
            ("产出指标", Decimal(50)),
            ("效益指标", Decimal(30)),
            ("满意度指标", Decimal(10)),
        ]
        scheme, evaluation = "national-self", "单位自评"
    else:
        level1 = [("决策", Decimal(15)), ("过程", Decimal(25)), ("产出", Decimal(30)), ("效益", Decimal(30))]
        scheme, evaluation = "national-dept", "部门评价"
    inconsistent = rng.random() < 0.15  # some records carry deliberate inconsistencies
    budget = _d(rng.uniform(20, 5000))
    executed = _d(budget * Decimal(rng.uniform(0.6, 1.0)))
    n_items = rng.randint(4, 10)
    items = _split(_d(budget, 0), n_items, rng)
    item_budget_total = sum(items, Decimal(0))
    executed = min(executed, item_budget_total)
    exact_rate = executed / item_budget_total * 100
    rate = _d(exact_rate) if not (inconsistent and rng.random() < 0.5) else _d(exact_rate) - Decimal(1)
    region = rng.choice(_REGIONS)
    name = rng.choice(_WORDS) + rng.choice(_WORDS) + "项目经费"
    head = [
        f'id = "{slug}"',
        f'name = "{name}"',
        f"year = {year}",
        f'region = "{region}"',
        f'department = "{region[-3:]}财政局"',
        f'evaluation = "{evaluation}"',
        f'evaluator = "{region[-3:]}财政局"',
        f'date = "{year}"',
        'status = "published"',
        f'source = "{region}公开的项目支出绩效评价报告"',
        f'scheme = "{scheme}"',
    ]
    body = [
        "",
        "[goals]",
        f'expected = ["{rng.choice(_SENTENCES)}", "{rng.choice(_SENTENCES)}"]',
        "",
        "[budget]",
        'unit = "万元"',
        f"initial = {_s(item_budget_total)}",
        f"budget = {_s(item_budget_total)}",
        f"executed = {_s(executed)}",
        f"rate = {_s(rate)}",
        "",
    ]
    for k, amount in enumerate(items):
        body += [
            "[[budget.items]]",
            f'name = "{rng.choice(_WORDS)}{rng.choice(_WORDS)}服务费{k + 1}"',
            f"budget = {_s(amount)}",
            "",
        ]
    leaves: list[_Leaf] = []
    groups: list[tuple[tuple[str, ...], Decimal]] = []
    target_leaves = rng.randint(20, 35)
    for name1, weight1 in level1:
        if name1 == "预算执行率":
            leaf = _Leaf(
                (), name1, weight1, ['target = "100%"', f'actual = "{_s(_d(exact_rate))}%"', 'rule = "预算执行率"']
            )
            leaf.score = _d(min(exact_rate, Decimal(100)) / 100 * weight1)
            leaves.append(leaf)
            continue
        groups.append(((name1,), weight1))
        n2 = rng.randint(2, 4)
        for j, weight2 in enumerate(_split(weight1, n2, rng)):
            path = (name1, f"{name1}{['数量', '质量', '时效', '成本'][j]}")
            groups.append((path, weight2))
            n3 = max(1, min(int(weight2), round(target_leaves * weight2 / 90)))
            for k, weight3 in enumerate(_split(weight2, n3, rng)):
                bad = inconsistent and rng.random() < 0.1
                leaves.append(_leaf(path, f"{rng.choice(_WORDS)}{rng.choice(_WORDS)}指标{k + 1}", weight3, rng, bad))
    if inconsistent and rng.random() < 0.3 and groups:  # a declared weight that does not add up
        p, w = groups[-1]
        groups[-1] = (p, w + 1)
    for p, w in groups:
        body += ["[[group]]", "path = [" + ", ".join(f'"{x}"' for x in p) + "]", f"weight = {_s(w)}", ""]
    for leaf in leaves:
        body += [
            "[[indicator]]",
            "path = [" + ", ".join(f'"{x}"' for x in leaf.path) + "]",
            f'name = "{leaf.name}"',
            *leaf.lines,
            f"weight = {_s(leaf.weight)}",
            f"score = {_s(leaf.score)}",
        ]
        if leaf.score < leaf.weight and rng.random() < 0.97:
            body.append(f'reason = "{rng.choice(_SENTENCES)}"')
        body.append(f'criteria = "{rng.choice(_SENTENCES)}"')
        body.append("")
    total = sum((leaf.score for leaf in leaves), Decimal(0))
    if inconsistent and rng.random() < 0.3:
        total += Decimal("0.5")
    head.append(f"total = {_s(total)}")
    quoted_rate = _s(_d(exact_rate)) if not (inconsistent and rng.random() < 0.5) else "90"
    md = []
    for n, section in enumerate(_SECTIONS):
        md += [f"## {section}", ""]
        for _ in range(rng.randint(1, 3)):
            md += ["".join(rng.choice(_SENTENCES) for _ in range(rng.randint(1, 4))), ""]
        if n == 0:
            md += [
                f"{year}年项目预算{_s(item_budget_total)}万元，实际支出{_s(executed)}万元，预算执行率为{quoted_rate}%。",
                "",
            ]
        if n == 2:
            md += [f"经综合评价，该项目自评得分 {_s(total)} 分。", ""]
    return year, slug, "\n".join(head + body) + "\n", "\n".join(md) + "\n"


def write_records(directory: Path, n: int, seed: int = DEFAULT_SEED) -> Path:
    """Write n synthetic records under directory/projects/<year>/; return the projects directory."""
    rng = random.Random(seed)
    projects = directory / "projects"
    for i in range(n):
        year, slug, toml_text, md_text = synth_record(i, rng)
        folder = projects / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{slug}.toml").write_text(toml_text, encoding="utf-8")
        (folder / f"{slug}.md").write_text(md_text, encoding="utf-8")
    return projects


def synth_page(i: int, rng: random.Random) -> str:
    """A plain Markdown page for the bare-Material baseline: a heading and paragraphs of the same
    sentences, about as long as a synthetic record's narrative (6 sections × 1–3 paragraphs)."""
    title = f"{rng.choice(_WORDS)}{rng.choice(_WORDS)}项目经费 {i}"
    paragraphs = [
        "".join(rng.choice(_SENTENCES) for _ in range(rng.randint(1, 4)))
        for _ in _SECTIONS
        for _ in range(rng.randint(1, 3))
    ]
    return f"# {title}\n\n" + "\n\n".join(paragraphs) + "\n"


def write_pages(directory: Path, n: int, seed: int = DEFAULT_SEED) -> Path:
    """Write an index page and n plain pages under directory/docs/; return the docs directory."""
    rng = random.Random(seed)
    docs = directory / "docs"
    (docs / "pages").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text(f"# 基准页面\n\n共 {n} 个页面。\n", encoding="utf-8")
    for i in range(n):
        (docs / "pages" / f"p{i:06d}.md").write_text(synth_page(i, rng), encoding="utf-8")
    return docs
