"""guide/grades.md: every grade-band set, scoring scheme and named rule of a scheme library."""

from __future__ import annotations

from decimal import Decimal

from generator.authoring.toml_writer import toml_value
from generator.core.decimals import fmt
from generator.core.schemes import GradeBands, Library, Scheme

from ..grades import GUIDE_WORDING, band_ranges, range_text
from .data import generated_note, page, phrase, read_text
from .markdown import anchor, block, cell

CUSTOM_SCHEME_EXAMPLE = read_text("custom_scheme.toml")  # the custom scheme file the page shows
_BAND_EXAMPLES = (Decimal("89.5"), Decimal("69.5"))  # scores shown against each band set
_SCALED = (Decimal(72), Decimal(80))  # a total and a maximum other than 100 (the 苏州 form)


def _band_rows(bands: GradeBands) -> list[str]:
    rows = ["| 等级 | 总分（百分制） |", "|---|---|"]
    return rows + [f"| {band.grade} | {range_text(band, GUIDE_WORDING)} |" for band in band_ranges(bands)]


def _band_set(name: str, bands: GradeBands) -> list[str]:
    out = [anchor(f"bands-{name}"), "", f"### {name}：{bands.title}", ""]
    if bands.basis:
        out += [phrase("grades.basis", basis=bands.basis), ""]
    out += _band_rows(bands)
    shown = "；".join(
        phrase("grades.band_example", score=fmt(s), grade=bands.grade(s, Decimal(100))) for s in _BAND_EXAMPLES
    )
    return out + ["", phrase("grades.band_examples", examples=shown, name=name)]


def _scaled_example(name: str, bands: GradeBands) -> list[str]:
    total, maximum = _SCALED
    return [
        f"### {phrase('grades.scaled_heading')}",
        "",
        phrase(
            "grades.scaled_example",
            max=fmt(maximum),
            total=fmt(total),
            scaled=fmt(total / maximum * 100),
            bands=name,
            grade=bands.grade(total, maximum),
            full_grade=bands.grade(maximum, maximum),
        ),
    ]


def _band_sets(library: Library) -> list[str]:
    sets = [block(_band_set(name, bands)) for name, bands in library.grade_bands.items()]
    if "national4" in library.grade_bands:
        sets.append(block(_scaled_example("national4", library.grade_bands["national4"])))
    return sets


def _rule_summary(rule: dict) -> str:
    params = ", ".join(f"{k} = {toml_value(v)}" for k, v in rule.items() if k not in ("kind", "title"))
    return f"`{rule.get('kind')}`" + (f"（{params}）" if params else "")


def _template_rows(s: Scheme) -> list[str]:
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
            notes.append(phrase("grades.template_leaf"))
        if g.get("split") == "equal":
            notes.append(phrase("grades.template_split"))
        if t.get("rule"):
            notes.append(phrase("grades.template_rule", rule=t["rule"]))
        rows.append(
            f"| {' / '.join(p)} | {fmt(Decimal(str(weight))) if weight is not None else ''} | {'；'.join(notes)} |"
        )
    return rows


def _default_rule(key: str, rule: str, library: Library) -> str:
    text = phrase(key, rule=rule)
    return text + (f" —— {_rule_summary(library.rules[rule])}" if rule in library.rules else "")


def _scheme(name: str, s: Scheme, library: Library) -> list[str]:
    out = [anchor(f"scheme-{name}"), "", f"### {name}：{s.title}", ""]
    if s.basis:
        out += [phrase("grades.basis", basis=s.basis), ""]
    out += [
        phrase("grades.scheme_bands", name=s.grade_bands),
        phrase(
            "grades.scheme_max_score",
            max=fmt(s.max_score) if s.max_score is not None else phrase("grades.max_score_sum"),
        ),
    ]
    q, ql = s.defaults.get("quantitative"), s.defaults.get("qualitative")
    if q:
        out.append(_default_rule("grades.quantitative", q, library))
    if ql:
        out.append(_default_rule("grades.qualitative", ql, library))
    if s.source and s.source != "内置":
        out.append(phrase("grades.defined_in", source=s.source))
    if s.groups or s.template:
        out += ["", phrase("grades.template_intro"), "", "| 指标 | 分值 | 说明 |", "|---|---|---|"]
        out += _template_rows(s)
        out += ["", phrase("grades.new_command", name=name)]
    return out


def grade_bands_page(library: Library) -> str:
    """Every grade band set, scoring scheme and named rule of the library."""
    named_rules = ["| 名称 | 规则 | 说明 |", "|---|---|---|"]
    named_rules += [
        f"| {name} | {cell(_rule_summary(rule))} | {cell(rule.get('title', ''))} |"
        for name, rule in library.rules.items()
    ]
    return page(
        "grades.md",
        generated_note=generated_note(),
        band_sets="\n\n".join(_band_sets(library)),
        schemes="\n\n".join(block(_scheme(name, s, library)) for name, s in library.schemes.items()),
        named_rules=block(named_rules),
        custom_scheme=CUSTOM_SCHEME_EXAMPLE.rstrip("\n"),
    )
