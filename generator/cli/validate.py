"""`python -m generator validate [PATHS…] [--format text|json|github]`: check records, list problems by file:line:column,
and end with what a build today would publish (drafts, and records waiting for their publication date).

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
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from generator.core.pipeline import run as run_pipeline
    from generator.publish.policy import PublicationCount, build_date

    # what a build today would publish (SOURCE_DATE_EPOCH sets "today", as for the site)
    publication = PublicationCount(build_date())
    result = run_pipeline(
        args.paths or ["projects"], keep=False, each=lambda outcome: publication.add(outcome.path, outcome.evaluation)
    )
    FORMATS[args.format](result, sys.stdout, publication)
    return 1 if dg.has_errors(result.diagnostics) else 0
