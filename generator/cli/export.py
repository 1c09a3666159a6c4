"""`python -m generator export RECORD --format xlsx [--out FILE]`

Fills the national self-evaluation form (项目支出绩效自评表) with a record, for editors whose superiors
ask for the form. What the form has no place for is listed. Exit status: 0 written; 1 the record
cannot be loaded (its errors are printed); 2 usage or file error.
"""

from __future__ import annotations

import sys
from pathlib import Path

FORMATS = ("xlsx",)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "export",
        help="把记录导出为全国通用的项目支出绩效自评表（.xlsx）",
        description="把一个记录（.toml）填入项目支出绩效自评表（财政部样式），保存为 .xlsx。",
    )
    p.add_argument("record", help="记录文件 projects/<年度>/<名称>.toml")
    p.add_argument("--format", choices=FORMATS, default="xlsx", help="导出格式（目前只有 xlsx）")
    p.add_argument("--out", help="输出文件（默认为当前目录下的 <名称>.xlsx）")
    p.set_defaults(handler=run)


def run(args) -> int:
    from generator.office.export_xlsx import ExportFailure, export_xlsx

    record = Path(args.record)
    if record.is_dir():
        sys.stderr.write(f"导出失败：{record} 是目录，请给出一个记录文件（.toml）。\n")
        return 2
    if not record.is_file():
        sys.stderr.write(f"导出失败：找不到记录文件 {record}。\n")
        return 2
    out = Path(args.out) if args.out else Path(record.stem + "." + args.format)
    if out.suffix.lower() != ".xlsx":
        sys.stderr.write(f"导出失败：输出文件 {out} 的扩展名应为 .xlsx。\n")
        return 2
    try:
        notes = export_xlsx(str(record), str(out))
    except ExportFailure as exc:
        sys.stderr.write(f"导出失败：{exc}\n")
        return 1
    except OSError as exc:
        sys.stderr.write(f"导出失败：无法写入 {out}：{exc.strerror or exc}。\n")
        return 2
    sys.stdout.write(f"已导出 {out}（项目支出绩效自评表）\n")
    if notes:
        sys.stdout.write("自评表中没有位置的内容（未导出）：\n")
        for line in notes:
            sys.stdout.write(f"  - {line}\n")
    return 0
