"""`python -m generator new`: start a record and its narrative from a scoring scheme.

    python -m generator new                          # asks for what it needs (in a terminal)
    python -m generator new --scheme national-dept --year 2024 --id fumin-platforms \\
        --name "…" --department "…" --region "…" --evaluator "…"   # for scripts: no questions

It writes <records>/<year>/<id>.toml with a Chinese comment above every field (the field model's
descriptions, so the comments never drift from the validator), the scheme's [[group]] weights and
one example [[indicator]] per branch of the scheme's template, and <id>.md with the standard section
headings. authoring/new.py writes both texts; this module asks for the values and writes the files.
Values still to fill are left as "" (text) or as commented-out lines (numbers); `python -m generator
validate` names each of them, and this command prints that list right away. An existing file is
never overwritten without --force.
"""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Callable
from pathlib import Path

from generator.authoring.new import (
    SCHEMA_FILE,
    SECTIONS,
    indicator_branches,
    render_narrative,
    render_record,
    schema_line,
)
from generator.core import diagnostics as dg
from generator.core.field_types import is_date_text
from generator.core.fields import EVALUATION_KINDS
from generator.core.model import ID_PATTERN
from generator.core.schemes import Scheme

__all__ = ["SECTIONS", "indicator_branches", "register", "run", "to_fill"]

PLACEHOLDER_ID = "new-project"


class UsageError(Exception):
    pass


# ---------------------------------------------------------------------------- arguments


def register(sub) -> None:
    p = sub.add_parser(
        "new",
        help="按评分方案新建一个记录及其叙述文件",
        description="按评分方案新建记录（.toml）和叙述文件（.md），每个字段上方附中文说明。"
        "在终端中运行时会逐项询问缺少的信息；脚本中请用参数提供（缺少的项目留空待填）。",
    )
    p.add_argument(
        "--scheme",
        help="评分方案：national-self（单位自评）、national-dept（部门评价）、suzhou-self（苏州自评），"
        "或 projects/schemes/ 中定义的方案（默认 national-self）",
    )
    p.add_argument("--year", type=int, help="评价年度（默认为上一年）")
    p.add_argument("--id", help="项目编号：小写字母、数字和连字符，同一项目各年度保持不变，也是文件名")
    p.add_argument("--name", help="项目名称")
    p.add_argument("--department", help="主管部门")
    p.add_argument("--region", help="地区，如 江苏省苏州市")
    p.add_argument("--evaluation", help="评价类型：" + "、".join(EVALUATION_KINDS))
    p.add_argument("--evaluator", help="评价机构 / 评价人")
    p.add_argument("--date", help="评价日期：2021、2021-08 或 2021-08-31（默认为评价年度）")
    p.add_argument("--records-dir", default="projects", help="记录目录（默认 projects）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的同名文件")
    p.add_argument("--no-input", action="store_true", help="不询问（即使在终端中运行）；缺少的项目留空待填")
    p.set_defaults(handler=run)


# ---------------------------------------------------------------------------- prompting


class _Asker:
    """Chinese prompts on a terminal; silent (returns the default) otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def ask(self, label: str, default: str | None = None, check=None) -> str | None:
        if not self.enabled:
            return default
        shown = f"（直接回车为 {default}）" if default else "（可直接回车，稍后在文件中填写）"
        while True:
            try:
                answer = input(f"{label}{shown}：").strip()
            except EOFError:
                self.enabled = False
                return default
            if not answer:
                return default
            problem = check(answer) if check else None
            if not problem:
                return answer
            print(problem)

    def choose(self, label: str, default: str, check: Callable[[str], str | None]) -> str:
        """ask() where there is a default: the answer, or the default."""
        answer = self.ask(label, default, check)
        return default if answer is None else answer


def _check_id(value: str) -> str | None:
    return (
        None
        if ID_PATTERN.match(value)
        else "项目编号只能用小写字母、数字和连字符（如 bayannur-treasury-epay），请重新输入。"
    )


def _check_year(value: str) -> str | None:
    return None if value.isdigit() and 1990 <= int(value) <= 2999 else "请输入四位数的年度，如 2024。"


def _default_evaluation(name: str, title: str) -> str:
    if "自评" in title or name.endswith("-self"):
        return "单位自评"
    if "财政评价" in title and "部门" not in title:
        return "财政评价"
    return "部门评价"


# ---------------------------------------------------------------------------- command


def _choose_scheme(args, library, asker: _Asker):
    names = list(library.schemes)
    if args.scheme:
        if args.scheme not in library.schemes:
            raise UsageError(f"评分方案 “{args.scheme}” 不存在。可用的方案：{'、'.join(names)}。")
        return library.schemes[args.scheme]
    default = "national-self" if "national-self" in library.schemes else names[0]
    if asker.enabled:
        print("评分方案：")
        for i, name in enumerate(names, start=1):
            print(f"  {i}. {name}：{library.schemes[name].title}")

    def check(answer: str) -> str | None:
        if answer in library.schemes or (answer.isdigit() and 1 <= int(answer) <= len(names)):
            return None
        return f"请输入 1–{len(names)} 的序号或方案名称。"

    answer = asker.choose("选择评分方案（序号或名称）", default, check)
    return library.schemes[names[int(answer) - 1] if answer.isdigit() else answer]


def collect(args, library, interactive: bool) -> tuple[dict, Scheme, list[str]]:
    """The values of the new record, the scheme, and notes on what was filled in by default."""
    asker = _Asker(interactive)
    notes: list[str] = []
    scheme = _choose_scheme(args, library, asker)
    default_year = _dt.date.today().year - 1
    year = args.year
    if year is None:
        answer = asker.choose("评价年度", str(default_year), _check_year)
        year = int(answer)
        if not interactive:
            notes.append(f"year（评价年度）未指定，暂定为 {year}；如有不同，请改正并把文件移到对应年度目录。")
    elif not 1990 <= year <= 2999:
        raise UsageError(f"--year {year} 不是有效的年度。")
    if args.id is not None and (problem := _check_id(args.id)):
        raise UsageError(f"--id “{args.id}”：{problem}")
    rid = args.id or asker.ask(
        "项目编号（小写字母、数字和连字符，也是文件名，如 bayannur-treasury-epay）", None, _check_id
    )
    values = {"year": year, "id": rid}
    for key, label in (("name", "项目名称"), ("department", "主管部门"), ("region", "地区（如 江苏省苏州市）")):
        given = getattr(args, key)
        values[key] = given if given is not None else (asker.ask(label) or "")
    evaluation = args.evaluation
    if evaluation is not None and evaluation not in EVALUATION_KINDS:
        raise UsageError(f"--evaluation “{evaluation}” 应为：{'、'.join(EVALUATION_KINDS)}。")
    if evaluation is None:
        default = _default_evaluation(scheme.name, scheme.title)
        evaluation = asker.ask(
            "评价类型（" + "、".join(EVALUATION_KINDS) + "）",
            default,
            lambda a: None if a in EVALUATION_KINDS else "请输入：" + "、".join(EVALUATION_KINDS),
        )
    values["evaluation"] = evaluation
    values["evaluator"] = args.evaluator if args.evaluator is not None else (asker.ask("评价机构 / 评价人") or "")
    date = args.date or str(year)
    if args.date and not is_date_text(args.date):
        raise UsageError(f"--date “{args.date}” 应写成 2021、2021-08 或 2021-08-31。")
    if not args.date:
        notes.append(f"date（评价日期）暂定为 {date}；请按原文改为评价报告的日期（如 {year + 1}-06）。")
    values["date"] = date
    return values, scheme, notes


def _free_id(folder: Path, base: str) -> str:
    candidate, n = base, 1
    while (folder / f"{candidate}.toml").exists() or (folder / f"{candidate}.md").exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def run(args) -> int:
    from generator.core.schemes import load_library

    records_dir = Path(args.records_dir)
    library = load_library(str(records_dir))
    interactive = sys.stdin is not None and sys.stdin.isatty() and not args.no_input
    try:
        values, scheme, notes = collect(args, library, interactive)
    except UsageError as exc:
        sys.stderr.write(f"用法错误：{exc}\n")
        return 2
    folder = records_dir / str(values["year"])
    if not values["id"]:
        values["id"] = _free_id(folder, PLACEHOLDER_ID)
        notes.insert(
            0,
            f"id（项目编号）未指定，暂用 {values['id']}；请改为正式的项目编号，并把 .toml 和 .md 两个文件改成同样的名字。",
        )
    toml_path = folder / f"{values['id']}.toml"
    md_path = toml_path.with_suffix(".md")
    existing = [str(p) for p in (toml_path, md_path) if p.exists()]
    if existing and not args.force:
        sys.stderr.write(f"文件已存在：{'、'.join(existing)}。没有改动任何文件；如确需覆盖，请加 --force。\n")
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    toml_text = render_record(values, scheme, schema_line(toml_path, records_dir))
    toml_path.write_bytes(toml_text.encode("utf-8"))
    md_path.write_bytes(render_narrative(values).encode("utf-8"))
    out = sys.stdout
    out.write(f"已创建：\n  {toml_path}\n  {md_path}\n")
    diags = to_fill(str(toml_path), str(records_dir))
    if diags:
        out.write(f"\n还需填写的项目（共 {len(diags)} 项，校验时逐一列出）：\n")
        for d in diags:
            out.write("  " + d.to_text() + "\n")
    for note in notes:
        out.write("注意：" + note + "\n")
    schema = records_dir.resolve().parent / SCHEMA_FILE
    if not schema.is_file():
        out.write(
            f"提示：{schema} 不存在；运行 python -m generator schema 生成后，编辑器即可补全字段名并即时提示错误。\n"
        )
    out.write(f"填写完毕后运行：python -m generator validate {records_dir}\n")
    return 0


def to_fill(toml_file: str, records_dir: str) -> list[dg.Diagnostic]:
    """The diagnostics of the new record: the pipeline's, plus the placeholder check (wired or not)."""
    from generator.core.checks import Reporter
    from generator.core.loader import load_file
    from generator.core.pipeline import run as run_pipeline
    from generator.core.placeholders import check_placeholders
    from generator.core.schemes import load_library

    result = run_pipeline([toml_file], load_library(records_dir))
    diags = set(result.diagnostics)
    record, _ = load_file(toml_file)
    if record is not None:
        rep = Reporter(record)
        check_placeholders(record, rep)
        diags |= set(rep.diags)
    return sorted(diags, key=dg.sort_key)
