"""guide/rules.md: every rule kind of core.rules.KINDS with its parameters and the worked examples."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from generator.core import diagnostics as dg
from generator.core.decimals import fmt
from generator.core.fields import RULE_FIELDS
from generator.core.rules import KINDS, RuleKind
from generator.core.schemes import Library, load_library

from .data import fill, generated_note, page, phrase, read_toml
from .examples import EXAMPLES, EXAMPLES_FILE, Worked, run_example, work
from .markdown import anchor, block, cell


def _checked(codes: list[str]) -> str:
    return phrase("rules.checked", codes="、".join(codes)) if codes else phrase("rules.clean")


def _outcome_text(w: Worked) -> str:
    o = w.leaf.outcome
    if o is None:
        return phrase("rules.not_applied")
    parts = []
    if o.explanation:
        parts.append(o.explanation)
    if o.computed is not None:
        parts.append(phrase("rules.computed", score=fmt(o.computed)))
    elif o.low is not None and o.high is not None:
        parts.append(phrase("rules.range", low=fmt(o.low), high=fmt(o.high)))
    elif o.allowed:
        parts.append(phrase("rules.allowed", scores="、".join(fmt(a) for a in o.allowed)))
    if w.leaf.indicator.score is not None:
        parts.append(phrase("rules.published", score=fmt(w.leaf.indicator.score)))
    links = [phrase("rules.code_link", code=c, anchor=c.lower(), title=dg.CODES[c].title) for c in w.codes]
    return "；".join(parts) + "。" + _checked(links)


def _example_block(w: Worked, number: int) -> list[str]:
    ex = w.example
    return [
        phrase("rules.example_title", number=number, title=ex.title),
        "",
        phrase("rules.source", source=ex.source),
        "",
        "```toml",
        ex.snippet.rstrip("\n"),
        "```",
        "",
        phrase("rules.calculation", outcome=_outcome_text(w)),
        "",
    ] + ([ex.note, ""] if ex.note else [])


def _param_rows(kind: RuleKind) -> list[str]:
    descriptions = {f.name: f for f in RULE_FIELDS}
    rows = ["| 参数 | 必填 | 默认值 | 说明 |", "|---|---|---|---|"]
    for p in kind.params:
        f = descriptions.get(p.name)
        desc = f.description if f else ""
        if p.default is not None:
            desc = desc.replace("（默认）", "")  # the kind's own default is in its column
        if f is not None and f.choices:
            desc += "；" + phrase("fields.choices", choices="、".join(f"`{c}`" for c in f.choices))
        default = "" if p.default is None else (fmt(p.default) if isinstance(p.default, Decimal) else f"`{p.default}`")
        rows.append(f"| `{p.name}` | {'必填' if p.required else ''} | {default} | {cell(desc)} |")
    return rows


def _kind_sections(library: Library) -> list[str]:
    worked = [work(ex, library) for ex in EXAMPLES]
    out: list[str] = []
    number = 0
    for k in KINDS.values():
        out += ["", anchor(k.name), "", f"## {k.name} {k.title}", "", k.description, ""]
        if k.evaluator_choice:
            out += [phrase("rules.evaluator_choice"), ""]
        if k.params:
            out += [phrase("rules.params"), ""] + _param_rows(k) + [""]
        else:
            out += [phrase("rules.no_params"), ""]
        if k.example:
            out += [phrase("rules.written_form"), "", "```toml", k.example, "```", ""]
        mine = [w for w in worked if w.example.kind == k.name]
        if mine:
            out += [f"### {phrase('rules.seed_examples')}", ""]
            for w in mine:
                number += 1
                out += _example_block(w, number)
        else:
            out += [phrase("rules.no_seed_example"), ""]
    return out


def _two(value: Decimal, places: int = 2) -> str:
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN))


def _split_example(library: Library) -> list[str]:
    """The 苏州 form's derived weights (24 ÷ 11 and 22 ÷ 9), run through the engine."""
    split = read_toml(EXAMPLES_FILE)["split"]
    out = [phrase("rules.source", source=split["source"]), ""]
    for group in split["group"]:
        name, weight, names = group["name"], group["weight"], group["indicators"]
        head = f'[[group]]\npath = ["{name}"]\nweight = {weight}\nsplit = "equal"\n'
        rows = [f'\n[[indicator]]\npath = ["{name}"]\nname = "{n}"\n' for n in names]
        full = head + "".join(rows)
        shown = full
        if split["shown"] < len(rows):  # the page shows the first rows and says how many there are
            shown = head + "".join(rows[: split["shown"]]) + "\n" + phrase("rules.split_more", count=len(names)) + "\n"
        _, ev, _ = run_example(full, scheme=split["scheme"], year=split["year"], library=library)
        weights = [leaf.weight for leaf in ev.leaves if leaf.weight is not None]  # all derived from the group
        each = _two(weights[0])
        out += [
            phrase("rules.split_group", group=name, weight=weight, count=len(names)),
            "",
            "```toml",
            shown.rstrip("\n"),
            "```",
            "",
            phrase(
                "rules.split_result",
                weight=weight,
                count=len(names),
                quotient=_two(Decimal(weight) / len(names), 4),
                each=each,
                rest=len(names) - 1,
                last=_two(weights[-1]),
                total=fmt(sum(weights, Decimal(0))),
            ),
            "",
        ]
    return out


def _unscored_example(library: Library) -> list[str]:
    unscored = read_toml(EXAMPLES_FILE)["unscored"]
    snippet = unscored["snippet"]
    _, ev, diags = run_example(snippet, library=library)
    codes = sorted({d.code for d in diags if d.code != "E101"})
    rate = fmt(ev.execution_rate.quantize(Decimal("0.01"))) if ev.execution_rate is not None else "—"
    return [
        phrase("rules.source", source=unscored["source"]),
        "",
        "```toml",
        snippet.rstrip("\n"),
        "```",
        "",
        fill(unscored["result"], rate=rate) + _checked(codes),
        "",
    ]


def rule_kinds_page(library: Library | None = None) -> str:
    """Every rule kind with its parameters, written form and worked examples from the seeds."""
    library = library or load_library(None)
    return page(
        "rules.md",
        generated_note=generated_note(),
        kind_table=block(
            ["| 类型 | 名称 | 说明 |", "|---|---|---|"]
            + [f"| `{k.name}` | {k.title} | {cell(k.description)} |" for k in KINDS.values()]
        ),
        kind_sections=block(_kind_sections(library)),
        split_example=block(_split_example(library)),
        unscored_example=block(_unscored_example(library)),
    )
