"""`python -m generator generate --out DIR`: the site's pages as plain Markdown files plus data files.

The same bundle the MkDocs plugin serves, for any other static-site engine. Links inside the pages
assume directory-style URLs (page.md is served at page/).
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile

from generator.core import diagnostics as dg


def register(sub) -> None:
    p = sub.add_parser("generate", help="把网站页面生成为 Markdown 文件（供其他静态网站工具使用）")
    p.add_argument("paths", nargs="*", default=None, help="记录目录（默认 projects）")
    p.add_argument("--out", required=True, help="输出目录（将被整体替换）")
    p.add_argument("--no-review", action="store_true", help="不显示复核得分")
    p.set_defaults(handler=run)


def run(args) -> int:
    from generator.render.guide_pages import generated_guide_pages
    from generator.core.pipeline import run as run_pipeline
    from generator.publish.builder import build_site
    from generator.render.project import SiteOptions
    from generator.publish.search_index import write_index

    result = run_pipeline(args.paths or ["projects"])
    for d in result.diagnostics:
        if d.severity is dg.Severity.ERROR:
            sys.stderr.write(d.to_text() + "\n")
    bundle = build_site(result.evaluations, SiteOptions(show_review=not args.no_review), extra_pages=generated_guide_pages())
    out = os.path.abspath(args.out)
    parent = os.path.dirname(out)
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".generate-", dir=parent)
    try:
        for page in bundle.pages:
            _write(staging, page.path, page.content.encode("utf-8"))
        for asset in bundle.assets:
            _write(staging, asset.path, asset.content)
        # The search index is plain files too (the browser side is theme/assets/pd-search.js).
        write_index(staging, [p.search for p in bundle.pages if p.search is not None])
        if os.path.exists(out):
            shutil.rmtree(out)
        os.rename(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    sys.stdout.write(f"已生成 {len(bundle.pages)} 个页面、{len(bundle.assets)} 个数据文件到 {args.out}；公开 {len(bundle.published)} 个记录，未公开 {len(bundle.withheld)} 个。\n")
    return 1 if dg.has_errors(result.diagnostics) else 0


def _write(root: str, rel_path: str, data: bytes) -> None:
    path = os.path.join(root, rel_path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
