"""`python -m generator generate --out DIR`: the site's pages as plain Markdown files plus data files.

The same build the MkDocs plugin publishes (publish/site.py), for any other static-site engine, and the whole
editor guide. Links inside the pages assume directory-style URLs (page.md is served at page/); with --zensical the
HTML links are relative to each page's file instead, as Zensical rewrites them (render/urls.links_from_source).
"""

from __future__ import annotations

import argparse
import sys

from generator.core import diagnostics as dg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("generate", help="把网站页面生成为 Markdown 文件（供其他静态网站工具使用）")
    p.add_argument("records_dir", nargs="?", default="projects", help="记录目录（默认 projects）")
    p.add_argument(
        "--out",
        required=True,
        help="输出目录（将被整体替换）：须是不存在的目录、空目录或本工具以前生成的目录（其中有标记文件 .perf-disclosure-output）",
    )
    p.add_argument(
        "--wait",
        type=float,
        default=None,
        metavar="秒",
        help="另一次生成正在写入同一输出目录时，最多等待的秒数（默认 10），之后停止",
    )
    p.add_argument("--no-review", action="store_true", help="不显示复核得分")
    p.add_argument(
        "--site-url",
        default="",
        metavar="网址",
        help="网站正式发布的完整网址（如 https://czj.example.gov.cn/jxpj/）：订阅（Atom）用它写出绝对地址和自身地址；"
        "不填时订阅中的链接为相对地址",
    )
    p.add_argument(
        "--personal-data",
        choices=("mask", "fail"),
        default="mask",
        help="记录中的个人电话、身份证号、银行卡号：mask 脱敏后公开（默认），fail 该记录不公开",
    )
    p.add_argument(
        "--zensical",
        action="store_true",
        help="供 Zensical 构建（配合仓库中的 zensical.yml）：页面中 HTML 的链接写成相对于页面文件，"
        "Zensical 会按 Markdown 文件的位置改写这些链接；MkDocs 等不改写链接的工具不要加",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from generator.publish.directory import DirectorySink
    from generator.publish.guard import check_generate_output
    from generator.publish.policy import build_date
    from generator.publish.site import SiteRequest, build_site
    from generator.publish.swap import LOCK_WAIT, OutputError, StagedOutput
    from generator.render.guide_pages import guide_pages
    from generator.render.project import SiteOptions

    records_dir = args.records_dir
    try:
        check_generate_output(args.out, records_dir)
        staged = StagedOutput(args.out, LOCK_WAIT if args.wait is None else args.wait)
    except OutputError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    try:
        sink = DirectorySink(staged.path, source_links=args.zensical)
        request = SiteRequest(
            records_dir,
            SiteOptions(show_review=not args.no_review, site_url=args.site_url),
            build_date(),
            downloads_dir=staged.path,
            personal_data=args.personal_data,
        )
        build = build_site(request, sink)
        for d in build.diagnostics:
            if d.severity is dg.Severity.ERROR:
                sys.stderr.write(d.to_text() + "\n")
        sink.finish(build, guide_pages())
        staged.commit()
    except OutputError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    finally:
        staged.abort()
    if staged.notice:
        sys.stdout.write(staged.notice + "\n")
    sys.stdout.write(
        f"已生成 {len(sink.pages)} 个页面、{sink.assets} 个数据文件到 {args.out}；"
        f"公开 {build.published} 个记录，未公开 {build.withheld} 个。\n"
    )
    return 1 if not build.ok else 0
