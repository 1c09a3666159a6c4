"""`python -m generator import FORM.xlsx [REPORT.docx] --out projects/<year>/`

Turns a self-evaluation form into a record (`<slug>.toml`) and a Word report into its narrative
(`<slug>.md`), then validates the record. A mid-year monitoring form (执行监控表) in the same workbook goes
into the record's [monitoring] section; a workbook holding only that form gives a record with what it has. The form's layout is recognised by its labels. Nothing is
guessed: cells that cannot be mapped are listed as `工作表!B12: …` and left out; metadata that is not on
the form comes from the flags or is listed as missing.

A text PDF (`FORM.pdf`, `REPORT.pdf`; the [pdf] extra) is read the same way (generator/office/pdf_import.py):
each value is written with a comment naming the page and cell it was printed in, values that could not be
read are written "未公布" and listed with their page, pages without a text layer are named.

Exit status: 0 written and clean; 1 written, but validation errors remain or some cells were not
imported — and for a PDF that cannot be read at all (encrypted, damaged, only scans, no known form: the
message names file and page; nothing written); 2 usage or file error (nothing written).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from generator.core.field_types import is_date_text
from generator.core.fields import EVALUATION_KINDS, RECORD_FIELDS, STATUSES
from generator.core.model import ID_PATTERN

FLAG_FOR = {
    "id": "--id",
    "region": "--region",
    "evaluation": "--evaluation",
    "evaluator": "--evaluator",
    "date": "--date",
    "year": "--year",
    "status": "--status",
}


# generator.office.importer.LAYOUTS and the 执行监控 form (monitoring), without importing openpyxl here
LAYOUT_NAMES = ("national", "suzhou", "wuhan", "monitoring")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "import",
        help="把自评表（.xlsx / .xls / .pdf）和评价报告（.docx / .pdf）导入为记录",
        description="把财政部门下发的自评表（Excel 或文字版 PDF）导入为记录（.toml），评价报告（Word 或 PDF）导入为叙述（.md），"
        "并校验。从 PDF 导入的每个值旁边注明它在原文的第几页、哪个单元格。"
        "表中没有的信息（项目编号、地区、评价类型、评价人、状态）用参数提供，否则会列为“缺少”。",
    )
    p.add_argument("form", help="自评表文件：.xlsx、文字版 .pdf（.xls 需要安装 LibreOffice）")
    p.add_argument(
        "report", nargs="?", help="评价报告：.docx 或文字版 .pdf（.doc 需要安装 LibreOffice），写成同名 .md 叙述文件"
    )
    p.add_argument("--out", help="输出目录（默认 projects/<年度>/）")
    p.add_argument("--id", dest="record_id", help="项目编号（小写字母、数字、连字符），也用作文件名")
    p.add_argument("--region", help="地区，如 “内蒙古自治区巴彦淖尔市”")
    p.add_argument("--evaluation", choices=EVALUATION_KINDS, help="评价类型（默认按表名判断，自评表为单位自评）")
    p.add_argument("--evaluator", help="评价机构 / 评价人")
    p.add_argument("--status", choices=STATUSES, default="draft", help="状态（默认 draft）")
    p.add_argument("--date", help="评价日期：2021、2021-08 或 2021-08-31（默认取表中年度）")
    p.add_argument("--year", type=int, help="评价年度（表中没有写年度时使用）")
    p.add_argument("--source", help="资料来源（默认写导入的文件名）")
    p.add_argument("--layout", choices=LAYOUT_NAMES, help="指定表样（默认按表头文字自动识别；monitoring 为执行监控表）")
    p.add_argument("--sheet", help="只读取这个工作表（PDF：写页码，读取这一页所在的表）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的同名记录")
    p.set_defaults(handler=run)


def _fail(message: str, code: int = 2) -> int:
    sys.stderr.write(f"导入失败：{message}\n")
    return code


def _is_pdf(path: str | None) -> bool:
    return path is not None and Path(path).suffix.lower() == ".pdf"


def slug_for(name: str | None, fallback: str) -> str:
    """No pinyin without a dictionary: a stable hash of the project name stands in for it."""
    digest = hashlib.sha1((name or fallback).encode("utf-8")).hexdigest()[:8]
    return f"xm-{digest}"


def run(args) -> int:
    from generator.office.importer import ImportFailure, read_form

    if args.record_id is not None and not ID_PATTERN.match(args.record_id):
        return _fail(f"--id “{args.record_id}” 只能包含小写字母、数字和连字符（如 bayannur-treasury-epay）。")
    if args.date is not None and not is_date_text(args.date):
        return _fail(f"--date “{args.date}” 应写成 2021、2021-08 或 2021-08-31。")
    if args.report is not None and Path(args.report).suffix.lower() not in (".docx", ".doc", ".pdf"):
        return _fail(f"报告文件 {args.report} 不是 .docx、.doc 或 .pdf。")
    try:
        result = read_form(args.form, layout=args.layout, sheet=args.sheet)
    except ImportFailure as exc:
        return _fail(str(exc), 1 if _is_pdf(args.form) else 2)  # a PDF that cannot be read: 1 (issue 16)
    narrative = result.narrative
    narrative_source = "自评表中的文字栏目" if narrative else None
    report_notes: list[str] = []
    if args.report is not None:
        try:
            narrative, report_notes = _read_report(args.report)
        except ImportFailure as exc:
            return _fail(str(exc), 1 if _is_pdf(args.report) else 2)
        if result.narrative:
            report_notes.append(
                f"叙述取自报告 {Path(args.report).name}；自评表中“项目基本情况”等文字栏目没有写入叙述文件。"
            )
        narrative_source = Path(args.report).name

    data = dict(result.data)
    notes = list(result.notes) + report_notes
    # 存在的问题 / 有关建议 from a Word report's headings, marked for review (not from a form's own text cells, which
    # an export wrote from the narrative: export → import keeps giving the record back)
    split = _split_report(narrative if args.report is not None else None, data)
    notes += split
    form_year = data.get("year")
    if args.year is not None:
        if form_year is not None and form_year != args.year:
            notes.append(f"表中年度为 {form_year}，按 --year 写为 {args.year}。")
        data["year"] = args.year
    flags = {"id": args.record_id, "region": args.region, "evaluation": args.evaluation, "evaluator": args.evaluator}
    inferred_note = {"evaluation": "评价类型按表名", "evaluator": "评价人取自"}
    for key, value in flags.items():
        if value is None:
            continue
        if key in result.inferred and key in inferred_note:
            notes = [n for n in notes if not n.startswith(inferred_note[key])]
        data[key] = value
    if args.date is not None:
        data["date"] = args.date
    elif data.get("year") is not None:
        data["date"] = str(data["year"])
        notes.append(f'评价日期按表中年度写为 "{data["year"]}"；有具体日期时请用 --date 或在记录中改正。')
    data["status"] = args.status
    data["source"] = args.source or (
        "导入自 " + Path(args.form).name + (f" 和 {Path(args.report).name}" if args.report else "")
    )

    required = [f for f in RECORD_FIELDS if f.required]
    missing: dict[str, str] = {}
    for f in required:
        if f.name not in data:
            flag = FLAG_FOR.get(f.name)
            how = f"用 {flag} 提供，或在记录中填写" if flag else "表中没有找到这一栏，请在记录中填写"
            missing[f.name] = f"待填写：{f.description}（{how}）"
    ordered = {f.name: data[f.name] for f in RECORD_FIELDS if f.name in data}
    ordered.update({k: v for k, v in data.items() if k not in ordered})

    if args.record_id:
        slug = args.record_id
    else:
        slug = slug_for(data.get("name"), Path(args.form).name)
        notes.append(
            f"没有 --id：无法把中文项目名称转成拼音，文件名用了名称的哈希 {slug}；请用 --id 指定项目编号（同一项目各年度保持不变）。"
        )
    year = data.get("year")
    out_dir = Path(args.out) if args.out else Path("projects") / (str(year) if year else "")
    toml_path = out_dir / f"{slug}.toml"
    md_path = out_dir / f"{slug}.md"
    if not args.force:
        for p in (toml_path, md_path):
            if p.exists():
                return _fail(f"{p} 已存在。如要覆盖，请加 --force；或用 --id 换一个项目编号。")

    from generator.authoring.toml_writer import dump_record

    # where each value was printed (a PDF import): not for what the flags and the command set
    given = {k for k, v in flags.items() if v is not None} | {"date", "status", "source"}
    if args.year is not None:
        given.add("year")
    comments = {k: v for k, v in getattr(result, "comments", {}).items() if k[0] not in given}
    text = dump_record(ordered, missing=missing, comments=comments)
    if split:
        from generator.office.report_items import mark_for_review

        text = mark_for_review(text)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        toml_path.write_text(text, encoding="utf-8")
        md_path.write_text(narrative or "", encoding="utf-8")
    except OSError as exc:
        return _fail(f"无法写入 {out_dir}：{exc.strerror or exc}。")

    out = sys.stdout
    part = "PDF " if _is_pdf(args.form) else "工作表"
    out.write(f"导入 {args.form}：识别为“{result.layout_title}”（{result.layout}，{part}“{result.sheet}”）。\n")
    if result.monitoring_sheet:
        out.write(f"执行监控情况（[monitoring]）取自{part}“{result.monitoring_sheet}”的项目支出绩效目标执行监控表。\n")
    if comments:
        out.write("每个值在原文中的位置（第几页、表格的第几行第几列）写在记录中该值旁边的注释里，请对照原文核对。\n")
    out.write(f"已写入 {toml_path}\n")
    out.write(
        f"已写入 {md_path}"
        + (f"（叙述来自 {narrative_source}）" if narrative_source else "（没有评价报告，叙述文件是空的）")
        + "\n"
    )
    unreadable = getattr(result, "unreadable", [])
    if unreadable:
        out.write(f"读不出的值（{len(unreadable)} 个，记录中写为“未公布”，请对照原文填写）：\n")
        for line in unreadable:
            out.write(f"  {line}\n")
    if result.unmapped:
        out.write(f"无法导入的单元格（{len(result.unmapped)} 个，未写入记录，请核对原表）：\n")
        for line in result.unmapped:
            out.write(f"  {line}\n")
    if missing:
        out.write(f"缺少的信息（{len(missing)} 项，表中没有，记录中已留出注释行）：\n")
        for key, why in missing.items():
            out.write(f"  {key}：{why}\n")
    if notes:
        out.write("说明：\n")
        for line in notes:
            out.write(f"  - {line}\n")
    if result.skipped:
        out.write(f"已跳过（表注、填报信息，不是记录数据，{len(result.skipped)} 处）：\n")
        for line in result.skipped:
            out.write(f"  {line}\n")

    errors = _validate(str(toml_path), out)
    if errors or result.unmapped or unreadable:
        parts = []
        if result.unmapped:
            parts.append(f"{len(result.unmapped)} 个单元格未导入")
        if unreadable:
            parts.append(f"{len(unreadable)} 个值读不出")
        if errors:
            parts.append(f"{errors} 个校验错误")
        out.write(f"结果：记录已写入，但有 {'、'.join(parts)}，请处理后再发布。\n")
        return 1
    out.write("结果：导入完成，校验没有错误。\n")
    return 0


def _split_report(narrative: str | None, data: dict) -> list[str]:
    """[[problems]] and [[recommendations]] split from the narrative's 问题 / 建议 headings (issue 17), put into
    `data` unless the form gave them; the notes saying so (none when nothing was found)."""
    if not narrative or "problems" in data or "recommendations" in data:
        return []
    from generator.office.report_items import split_report

    found = split_report(narrative)
    data.update(found.record_tables())
    return found.notes()


def _read_report(path: str) -> tuple[str, list[str]]:
    import tempfile

    from generator.office.docx_md import docx_to_markdown
    from generator.office.importer import ImportFailure, convert_with_soffice

    p = Path(path)
    if not p.is_file():
        raise ImportFailure(f"找不到报告文件 {path}。")
    if p.suffix.lower() == ".pdf":
        from generator.office.pdf_report import pdf_to_markdown

        return pdf_to_markdown(str(p))
    try:
        if p.suffix.lower() == ".doc":
            with tempfile.TemporaryDirectory(prefix="perf-import-") as tmp:
                converted = convert_with_soffice(str(p), "docx", tmp)
                return docx_to_markdown(converted)
        return docx_to_markdown(str(p))
    except ImportFailure:
        raise
    except Exception as exc:  # python-docx raises many kinds on damaged files
        raise ImportFailure(
            f"无法读取报告 {p.name}：不是有效的 .docx 文件（{type(exc).__name__}: {exc}）。"
            "请在 Word/WPS 中重新另存为 .docx。"
        ) from None


def _validate(toml_path: str, out) -> int:
    from generator.core import diagnostics as dg
    from generator.core.pipeline import run as run_pipeline

    from .output_formats import summary_line

    result = run_pipeline([toml_path])
    out.write("校验：\n")
    for d in result.diagnostics:
        out.write(f"  {d.to_text()}\n")
    out.write(f"  {summary_line(result)}\n")
    return sum(1 for d in result.diagnostics if d.severity is dg.Severity.ERROR)
