"""Command line: python -m generator validate|report|generate|new|import|export|schema|preview|site-check."""

from __future__ import annotations

import argparse
import os
import sys

from . import commands
from .missing import missing_part
from .parser import ChineseArgumentParser


def build_parser() -> argparse.ArgumentParser:
    p = ChineseArgumentParser(
        prog="python -m generator", description="项目支出绩效评价记录的校验、计分与公开网站生成。"
    )
    sub = p.add_subparsers(dest="command", metavar="命令")  # argparse makes the commands' parsers of the same class
    commands.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        code: int = args.handler(args)
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except ModuleNotFoundError as exc:  # the light install: the command needs an extra (the one place that says so)
        hint = missing_part(args.command, exc.name)
        if hint is None:
            return _internal_error(exc)
        sys.stderr.write(hint + "\n")
        return 2
    except Exception as exc:  # no traceback reaches an editor
        return _internal_error(exc)


def _internal_error(exc: Exception) -> int:
    sys.stderr.write(f"工具内部错误（{type(exc).__name__}: {exc}）。这不是记录的问题，请把这条信息报告给维护人员。\n")
    if os.environ.get("GENERATOR_DEBUG"):
        raise exc
    return 3
