"""`python -m generator schema`: write (or check) the JSON Schemas editors' tools use.

python -m generator schema                 # writes schema/record.schema.json and schema/scheme.schema.json
python -m generator schema --check         # exit 1 when a committed file differs from the model
python -m generator schema --out -         # print the record schema
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.authoring import json_schema as js


def register(sub) -> None:
    p = sub.add_parser(
        "schema",
        help="生成记录格式的 JSON Schema（编辑器补全与即时检查用）",
        description="由字段模型生成记录文件和方案文件的 JSON Schema。记录文件第一行的 #:schema 指向它。",
    )
    p.add_argument(
        "--out",
        default=js.RECORD_SCHEMA_PATH,
        help=f"记录 Schema 的输出路径（默认 {js.RECORD_SCHEMA_PATH}；- 表示输出到屏幕）",
    )
    p.add_argument(
        "--scheme-out",
        default=js.SCHEME_SCHEMA_PATH,
        help=f"方案文件 Schema 的输出路径（默认 {js.SCHEME_SCHEMA_PATH}；- 表示不写）",
    )
    p.add_argument("--check", action="store_true", help="只检查已提交的文件是否与字段模型一致；不一致时退出码为 1")
    p.set_defaults(handler=run)


def run(args) -> int:
    texts = [
        (args.out, js.dumps(js.record_schema()), "记录"),
        (args.scheme_out, js.dumps(js.scheme_schema()), "方案文件"),
    ]
    if args.check:
        stale = []
        for path, text, label in texts:
            if path == "-":
                continue
            p = Path(path)
            current = p.read_text(encoding="utf-8") if p.is_file() else None
            if current != text:
                stale.append(f"{label} Schema {path} {'不存在' if current is None else '与字段模型不一致'}")
        if stale:
            for line in stale:
                sys.stderr.write(line + "。\n")
            sys.stderr.write("请运行 python -m generator schema 重新生成，并提交生成的文件。\n")
            return 1
        sys.stdout.write("JSON Schema 与字段模型一致。\n")
        return 0
    for path, text, label in texts:
        if path == "-":
            if label == "记录":
                sys.stdout.write(text)
            continue
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        if p.is_file() and p.read_text(encoding="utf-8") == text:
            sys.stderr.write(f"{label} Schema 已是最新：{path}\n")
            continue
        p.write_bytes(text.encode("utf-8"))
        sys.stderr.write(f"已写入{label} Schema：{path}\n")
    return 0
