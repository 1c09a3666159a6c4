"""`python -m generator site-check [SITE_DIR] [--config mkdocs.yml] [--today YYYY-MM-DD] [--format text|json]`:
what an inspection of government websites would flag on the built site (publish/site_check.py), and problems
with the government-website settings in mkdocs.yml (S0xx, as the build reports them).

Exit status: 0 nothing that fails an inspection; 1 errors (a veto or deduction of 国办秘函〔2019〕19号, or
settings the build refuses); 2 usage error (no mkdocs.yml where one was named, no built site).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import sys

from generator.core.diagnostics import Diagnostic, Severity, sort_key


def _date(text: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”格式不对，应为 YYYY-MM-DD") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "site-check",
        help="按政府网站检查的要求检查构建好的网站：网站标识、meta 标签、空白栏目、首页更新、站内链接、site_url",
    )
    p.add_argument(
        "site_dir", nargs="?", default=None, help="构建好的网站目录（默认为 mkdocs.yml 中的 site_dir，即 site）"
    )
    p.add_argument(
        "--config",
        "-f",
        default=None,
        help="MkDocs 配置文件（默认当前目录的 mkdocs.yml，存在时读取其中的网站标识设置）",
    )
    p.add_argument(
        "--today", type=_date, default=None, metavar="YYYY-MM-DD", help="按哪一天判断首页是否超过两周未更新（默认今天）"
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")
    p.set_defaults(handler=run)


def _config_findings(config_path: str, config: dict) -> list[Diagnostic]:
    """The portal settings' problems, each on its line of mkdocs.yml (as the build reports them)."""
    from generator.mkdocs_plugin.config_file import option_place, portal_options
    from generator.publish.portal import parse_portal
    from generator.publish.site_codes import site_diagnostic

    docs_dir = os.path.join(os.path.dirname(os.path.abspath(config_path)), str(config.get("docs_dir") or "docs"))
    _, problems = parse_portal(portal_options(config), lambda path: os.path.isfile(os.path.join(docs_dir, path)))
    out = []
    for p in problems:
        place = option_place(config_path, ("portal", *p.path))
        out.append(site_diagnostic(p.code, place.shown(), p.message, place.line))
    return sorted(out, key=sort_key)


def run(args: argparse.Namespace) -> int:
    from generator.mkdocs_plugin.config_file import read_config
    from generator.publish.site_check import check_site

    config_path = args.config or ("mkdocs.yml" if os.path.isfile("mkdocs.yml") else None)
    config: dict | None = None
    if config_path is not None:
        config = read_config(config_path)
        if config is None:
            sys.stderr.write(
                f"无法读取配置文件 {config_path}：文件不存在或不是有效的 YAML。请用 --config 指定 mkdocs.yml。\n"
            )
            return 2
    site_dir = args.site_dir
    if site_dir is None:
        base = os.path.dirname(config_path) if config_path else ""
        site_dir = os.path.join(base, str((config or {}).get("site_dir") or "site"))
    if not os.path.isdir(site_dir):
        sys.stderr.write(f"找不到网站目录 {site_dir}：请先运行 mkdocs build，或指定构建好的网站目录。\n")
        return 2
    findings = _config_findings(config_path, config) if config_path and config is not None else []
    shown = os.path.relpath(site_dir)
    result = check_site(site_dir, args.today or _dt.date.today(), shown=site_dir if shown.startswith("..") else shown)
    diagnostics = findings + result.diagnostics
    counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    failed = counts[Severity.ERROR] > 0
    if args.format == "json":
        json.dump(
            {
                "site_dir": site_dir,
                "pages": result.pages,
                "links_checked": result.links_checked,
                "broken_links": len(result.broken_links),
                "ok": not failed,
                "diagnostics": [d.to_json() for d in diagnostics],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        for d in diagnostics:
            sys.stdout.write(d.to_text() + "\n")
        verdict = "有政府网站检查会否决或扣分的问题。" if failed else "没有政府网站检查会否决或扣分的问题。"
        sys.stdout.write(
            f"检查了 {result.pages} 个页面、{result.links_checked} 个站内链接（失效 {len(result.broken_links)} 个）："
            f"错误 {counts[Severity.ERROR]} 个，警告 {counts[Severity.WARNING]} 个，提示 {counts[Severity.INFO]} 个。{verdict}\n"
        )
    return 1 if failed else 0
