"""Command line: python -m generator validate|report|generate|new|import|export."""
from __future__ import annotations

import argparse
import json
import os
import sys

from generator.core import diagnostics as dg
from .output_formats import FORMATS, summary_line


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese usage errors; exit status 2 on a usage error."""

    def error(self, message: str) -> None:  # pragma: no cover - exercised through the CLI tests
        self.print_usage(sys.stderr)
        sys.stderr.write(f"用法错误：{message}\n")
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m generator", description="项目支出绩效评价记录的校验、计分与公开网站生成。")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    v = sub.add_parser("validate", help="校验记录，按 文件:行:列 列出问题")
    v.add_argument("paths", nargs="*", default=None, help="记录目录或记录文件（默认 projects）")
    v.add_argument("--format", choices=sorted(FORMATS), default="text", help="输出格式")
    r = sub.add_parser("report", help="输出计分复核结果")
    r.add_argument("paths", nargs="*", default=None)
    r.add_argument("--format", choices=["json"], default="json")
    _register_extra(sub)
    return p


def _register_extra(sub) -> None:
    """Commands that live in their own modules register themselves here."""
    from . import commands

    commands.register(sub)


def cmd_validate(args) -> int:
    from generator.core.pipeline import run

    paths = args.paths or ["projects"]
    result = run(paths, keep=False)
    FORMATS[args.format](result, sys.stdout)
    return 1 if dg.has_errors(result.diagnostics) else 0


def cmd_report(args) -> int:
    from generator.core.pipeline import run
    from generator.core.report import report

    paths = args.paths or ["projects"]
    result = run(paths)
    json.dump(report(result.evaluations), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    if not result.evaluations and result.diagnostics:
        sys.stderr.write(summary_line(result) + "\n")
    return 1 if dg.has_errors(result.diagnostics) else 0


HANDLERS = {"validate": cmd_validate, "report": cmd_report}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    handler = HANDLERS.get(args.command) or getattr(args, "handler", None)
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # no traceback reaches an editor
        sys.stderr.write(f"工具内部错误（{type(exc).__name__}: {exc}）。这不是记录的问题，请把这条信息报告给维护人员。\n")
        if os.environ.get("GENERATOR_DEBUG"):
            raise
        return 3
