"""`python -m generator export RECORD --format xlsx [--layout national|hubei|suzhou] [--out FILE|DIR]`

Fills a self-evaluation form with a record, for editors whose superiors ask for the form: the national
form, the 湖北 (武汉) table or the 苏州 form; without --layout the record's scheme and region choose. What
the form has no place for is listed. Without --out the file goes to an `exports/` folder (made with its
own .gitignore, so git ignores what is exported) — never into the repository root or the records folder.
Exit status: 0 written; 1 the record cannot be loaded (its errors are printed), or --out lies inside the
records folder or a site's pages (nothing is written); 2 usage or file error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

FORMATS = ("xlsx",)
LAYOUT_NAMES = ("national", "hubei", "suzhou")  # generator.office.export_xlsx.LAYOUTS, without importing it here
EXPORTS_DIR = "exports"
EXPORTS_GITIGNORE = "# 由 python -m generator export 创建：导出的表格不纳入 git。\n*\n"


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "export",
        help="把记录导出为项目支出绩效自评表（.xlsx：全国通用、湖北或苏州样式）",
        description="把一个记录（.toml）填入项目支出绩效自评表，保存为 .xlsx。默认写入 exports/ 目录"
        "（自动创建，其中的 .gitignore 使 git 忽略导出的文件）。",
    )
    p.add_argument("record", help="记录文件 projects/<年度>/<名称>.toml")
    p.add_argument("--format", choices=FORMATS, default="xlsx", help="导出格式（目前只有 xlsx）")
    p.add_argument(
        "--layout",
        choices=LAYOUT_NAMES,
        help="表样：national 全国通用（财政部样式），hubei 湖北（武汉）样式，suzhou 苏州市级样式"
        "（默认按记录选择：评分方案 suzhou-self 用苏州样式，地区为湖北的用湖北样式，其余用全国通用样式）",
    )
    p.add_argument(
        "--out",
        help="输出文件（.xlsx）或目录（已存在的目录，或以 / 结尾、没有扩展名的路径；文件名为 <名称>.xlsx）。"
        "默认写入 exports/ 目录；不能在记录目录之内",
    )
    p.set_defaults(handler=run)


def run(args) -> int:
    from generator.core.reading import records_root
    from generator.office.export_common import ExportFailure, as_record
    from generator.office.export_xlsx import LAYOUTS, choose_layout, export_xlsx
    from generator.publish.guard import check_export_file
    from generator.publish.swap import OutputError

    record_path = Path(args.record)
    if record_path.is_dir():
        sys.stderr.write(f"导出失败：{record_path} 是目录，请给出一个记录文件（.toml）。\n")
        return 2
    if not record_path.is_file():
        sys.stderr.write(f"导出失败：找不到记录文件 {record_path}。\n")
        return 2
    records_dir = _shown(records_root(str(record_path)))
    name = record_path.stem + "." + args.format
    default_folder = args.out is None
    if default_folder:
        folder = _default_exports_folder(records_dir)
        out = folder / name
    elif _is_folder(args.out):
        folder, out = Path(args.out), Path(args.out) / name
    else:
        folder, out = None, Path(args.out)
        if out.suffix.lower() != ".xlsx":
            sys.stderr.write(f"导出失败：输出文件 {out} 的扩展名应为 .xlsx。\n")
            return 2
    if out.is_dir():
        sys.stderr.write(f"导出失败：{out} 是一个目录，不能写成文件。请用 --out 另指定文件名。\n")
        return 2
    try:
        check_export_file(str(out), [records_dir, "projects"])
    except OutputError as exc:
        sys.stderr.write(f"导出失败：{exc}\n")
        return 1
    try:
        record = as_record(str(record_path))
    except ExportFailure as exc:
        sys.stderr.write(f"导出失败：{exc}\n")
        return 1
    layout, why = (args.layout, "按 --layout 指定") if args.layout else choose_layout(record)
    if not args.layout:
        why += "；其他样式可用 --layout 指定"
    try:
        made = _make_folder(folder, gitignore=default_folder) if folder is not None else False
        notes = export_xlsx(record, str(out), layout)
    except OSError as exc:
        sys.stderr.write(f"导出失败：无法写入 {out}：{exc.strerror or exc}。\n")
        return 2
    title = LAYOUTS[layout][0]
    sys.stdout.write(f"已导出 {out}（{title}，{why}）\n")
    if made and default_folder:
        sys.stdout.write(f"已创建目录 {folder}，其中的 .gitignore 使 git 忽略导出的文件。\n")
    if notes:
        sys.stdout.write("表中没有位置的内容（未导出）及说明：\n")
        for line in notes:
            sys.stdout.write(f"  - {line}\n")
    return 0


def _shown(path: str) -> str:
    """A folder as the editor would write it: relative to the current folder when it lies inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if rel.startswith(os.pardir) else rel


def _is_folder(out: str) -> bool:
    """--out names a folder: an existing one, a path ending in a separator, or one without an extension."""
    seps = tuple({os.sep, "/"} | ({os.altsep} if os.altsep else set()))
    return out.endswith(seps) or os.path.isdir(out) or not Path(out).suffix


def _default_exports_folder(records_dir: str) -> Path:
    """`exports/` in the current folder; when the current folder is inside the records folder, beside the
    records folder instead (never among the records)."""
    from generator.publish.guard import within

    cwd = os.path.realpath(os.getcwd())
    records = os.path.realpath(records_dir)
    if within(cwd, records):
        return Path(os.path.dirname(records)) / EXPORTS_DIR
    return Path(EXPORTS_DIR)


def _make_folder(folder: Path, *, gitignore: bool) -> bool:
    """Create the output folder; the default exports folder gets a .gitignore that ignores everything in
    it (an existing one is left as it is). Returns whether the folder was created."""
    made = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if gitignore and not ignore.exists():
        ignore.write_text(EXPORTS_GITIGNORE, encoding="utf-8")
    return made
