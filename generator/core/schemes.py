"""Scoring schemes, grade bands and named rules, read from TOML data files.

The built-in library lives in generator/core/builtin_schemes.toml; editors add their own in
projects/schemes/*.toml with the same format. Nothing here is specific to one document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import diagnostics as dg
from .decimals import HUNDRED
from .diagnostics import KeyPath
from .fields import RULE_FIELDS
from .loader import decode, parse_toml
from .reading import MAX_RECORD_BYTES, Refused, read_contained
from .rules import KINDS, check_params
from .structure import Checker
from .toml_positions import build_index

BUILTIN = Path(__file__).parent / "builtin_schemes.toml"


@dataclass(frozen=True)
class GradeBands:
    name: str
    title: str
    bands: tuple[tuple[str, Decimal], ...]  # (grade, minimum score on a 100 scale), highest first
    basis: str = ""

    def grade(self, score: Decimal, max_score: Decimal) -> str | None:
        if max_score <= 0:
            return None
        scaled = score / max_score * HUNDRED
        for name, minimum in self.bands:
            if scaled >= minimum:
                return name
        return self.bands[-1][0] if self.bands else None


@dataclass(frozen=True)
class Scheme:
    name: str
    title: str
    grade_bands: str
    max_score: Decimal | None = None
    defaults: dict[str, str] = field(default_factory=dict)
    template: tuple[dict[str, Any], ...] = ()
    groups: tuple[dict[str, Any], ...] = ()
    basis: str = ""
    source: str = "内置"
    # the form fixes its level-1 weights (苏州: 投入 26 / 产出 24 …): a record with others gets a public warning
    # (W265); otherwise the weights are the usual ones and a difference is only an editors' note (I266)
    binding_weights: bool = False


@dataclass
class Library:
    schemes: dict[str, Scheme] = field(default_factory=dict)
    grade_bands: dict[str, GradeBands] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    diagnostics: list[dg.Diagnostic] = field(default_factory=list)

    def resolve_rule(self, name: str, local: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
        """A named rule: the record's own first, then the library, then a bare kind name."""
        if name in local:
            return local[name]
        if name in self.rules:
            return self.rules[name]
        if name in KINDS:
            return {"kind": name}
        return None


def _decimalize(value: object) -> object:
    if isinstance(value, list):
        return [_decimalize(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


def _add_file(lib: Library, path: Path, shown: str, root: str | None = None) -> None:
    """Read one scheme file into the library; an editor's (under `root`) only as a regular file inside it."""
    if root is None:
        raw = path.read_bytes()  # the package's own file
    else:
        try:
            contained = read_contained(str(path), root, MAX_RECORD_BYTES)
        except Refused as refused:
            lib.diagnostics.append(dg.make(refused.code, shown, 1, 1, refused.message))
            return
        if contained is None:
            return
        raw = contained
    text, diags = decode(raw, shown)
    lib.diagnostics += diags
    if text is None:
        return
    data, diags = parse_toml(text, shown)
    lib.diagnostics += [dg.make("E125", d.file, d.line, d.column, d.message) if d.code == "E003" else d for d in diags]
    if data is None:
        return
    index = None

    def report_position(keypath: KeyPath) -> tuple[int, int]:
        nonlocal index
        index = index or build_index(text)
        return index.locate(keypath)

    def report(keypath: KeyPath, message: str) -> None:
        line, col = report_position(keypath)
        lib.diagnostics.append(dg.make("E125", shown, line, col, message))

    for key in data:
        if key not in ("grade_bands", "rules", "schemes"):
            report((key,), f"方案文件中出现未知的表 {key}；只允许 [grade_bands.名称]、[rules.名称] 和 [schemes.名称]。")
    for name, gb in data.get("grade_bands", {}).items():
        bands = gb.get("bands") if isinstance(gb, dict) else None
        if (
            not isinstance(bands, list)
            or not bands
            or not all(
                isinstance(b, list) and len(b) == 2 and isinstance(b[0], str) and isinstance(b[1], (int, Decimal))
                for b in bands
            )
        ):
            report(("grade_bands", name), f'等级分数段 {name} 需要 bands = [["优", 90], ["良", 80], …]（从高到低）。')
            continue
        ordered = tuple(sorted(((g, Decimal(m)) for g, m in bands), key=lambda b: -b[1]))
        lib.grade_bands[name] = GradeBands(name, gb.get("title", name), ordered, gb.get("basis", ""))
    for name, rule in data.get("rules", {}).items():
        if not isinstance(rule, dict) or not isinstance(rule.get("kind"), str) or rule.get("kind") not in KINDS:
            report(("rules", name), f"规则 {name} 的 kind 应为：{'、'.join(KINDS)}。")
            continue
        # the same type checks as a record's own [rules] tables
        checker = Checker(file=shown, locate=lambda key: report_position(key))
        rule = checker.table(rule, RULE_FIELDS, ("rules", name), f"规则 [rules.{name}] ")
        if checker.diags:
            lib.diagnostics += [dg.make("E125", d.file, d.line, d.column, d.message) for d in checker.diags]
            continue
        rule = {k: _decimalize(v) for k, v in rule.items()}
        problems = check_params(KINDS[rule["kind"]], rule)
        if problems:
            report(("rules", name), f"规则 {name}：{'；'.join(problems)}。")
            continue
        lib.rules[name] = rule
    for name, s in data.get("schemes", {}).items():
        shape_ok = (
            isinstance(s, dict)
            and isinstance(s.get("grade_bands", "national4"), str)
            and isinstance(s.get("defaults", {}), dict)
            and all(isinstance(v, str) for v in s.get("defaults", {}).values())
            and all(
                isinstance(s.get(k, []), list) and all(isinstance(e, dict) for e in s.get(k, []))
                for k in ("template", "groups")
            )
            and (
                s.get("max_score") is None
                or (isinstance(s.get("max_score"), (int, Decimal)) and not isinstance(s.get("max_score"), bool))
            )
            and isinstance(s.get("binding_weights", False), bool)
        )
        if not shape_ok:
            report(
                ("schemes", name),
                f"方案 {name} 格式错误：grade_bands 和 defaults 中的规则名应为文字，template、groups 应为表数组，"
                "max_score 应为数字，binding_weights 应为 true 或 false。",
            )
            continue
        max_score = s.get("max_score")
        lib.schemes[name] = Scheme(
            name=name,
            title=s.get("title", name),
            grade_bands=s.get("grade_bands", "national4"),
            max_score=Decimal(max_score) if max_score is not None else None,
            defaults=dict(s.get("defaults", {})),
            template=tuple(s.get("template", ())),
            groups=tuple(s.get("groups", ())),
            basis=s.get("basis", ""),
            source=shown,
            binding_weights=s.get("binding_weights", False),
        )
    for name, s in lib.schemes.items():
        if s.source == shown and s.grade_bands not in lib.grade_bands:
            report(("schemes", name, "grade_bands"), f"方案 {name} 引用的等级分数段 {s.grade_bands} 不存在。")


def load_library(records_dir: str | None = None) -> Library:
    lib = Library()
    _add_file(lib, BUILTIN, "generator/core/builtin_schemes.toml")
    if records_dir:
        folder = Path(records_dir) / "schemes"
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")):
                _add_file(lib, path, str(path), records_dir)
    return lib
