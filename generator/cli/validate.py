"""`python -m generator validate [PATHS…] [--format text|json|github] [--since REF]`: check records, list problems by
file:line:column, and end with what a build today would publish (drafts, and records waiting for their publication
date). In a Git repository it also compares the published records changed since the merge base with the default
branch (or with REF) with their earlier versions (core/git_history.py); when it cannot, one note on stderr says why.

Exit status: 0 no errors; 1 errors found; 2 usage error.
"""

from __future__ import annotations

import argparse
import sys

from generator.core import diagnostics as dg

from .output_formats import FORMATS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="校验记录，按 文件:行:列 列出问题")
    p.add_argument("paths", nargs="*", default=None, help="记录目录或记录文件（默认 projects）")
    p.add_argument("--format", choices=sorted(FORMATS), default="text", help="输出格式")
    p.add_argument(
        "--since",
        metavar="REF",
        help="与 Git 历史中的这个版本（分支、标签或提交，取与 HEAD 的合并基点）比较已公开记录的数字改动；"
        "默认为当前分支与默认分支（origin/main、main 或 master）的合并基点",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from generator.core.git_history import check_history
    from generator.core.pipeline import ordered
    from generator.core.pipeline import run as run_pipeline
    from generator.publish.policy import PublicationCount, build_date

    paths = args.paths or ["projects"]
    # what a build today would publish (SOURCE_DATE_EPOCH sets "today", as for the site)
    publication = PublicationCount(build_date())
    result = run_pipeline(paths, keep=False, each=lambda outcome: publication.add(outcome.path, outcome.evaluation))
    # figures of published records changed without a revision entry (only the files changed since the base)
    history = check_history(paths, result.files, args.since)
    result.diagnostics = ordered([*result.diagnostics, *history.diagnostics])
    if history.skipped is not None:  # one line, on stderr: JSON and annotations on stdout stay as they are
        print(f"{history.skipped.severity.label} {history.skipped.code}: {history.skipped.message}", file=sys.stderr)
    FORMATS[args.format](result, sys.stdout, publication)
    return 1 if dg.has_errors(result.diagnostics) else 0
