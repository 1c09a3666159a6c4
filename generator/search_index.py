"""Full-text search index for the built site, written with Pagefind's Python API.

Material's own search ships its whole index to every visitor (21 MB at 1,000 pages); Pagefind
loads only the index chunks and result fragments a query needs. The pages are indexed from the
terms in search_text (Chinese as two-character terms), not from the HTML: see search_text.py.
"""
from __future__ import annotations

import asyncio
import os
import shutil

from .search_text import SearchDoc

LANGUAGE = "und"  # no language-specific segmentation or stemming: the terms are already split


async def _write(site_dir: str, docs: list[SearchDoc]) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    out = os.path.join(site_dir, "pagefind")
    async with PagefindIndex(config=IndexConfig(output_path=out)) as index:
        for doc in docs:
            await index.add_custom_record(url="/" + doc.url, content=doc.text or doc.title, language=LANGUAGE,
                                          meta={"title": doc.title, "summary": doc.summary},
                                          sort={"group": "0" if doc.kind == "项目" else "1"})  # filters are not reproducible; sort is
        await index.write_files()


def write_index(site_dir: str, docs: list[SearchDoc]) -> tuple[bool, str]:
    target = os.path.join(site_dir, "pagefind")
    shutil.rmtree(target, ignore_errors=True)
    ordered = sorted(docs, key=lambda d: d.url)  # deterministic output
    try:
        asyncio.run(_write(site_dir, ordered))
    except Exception as exc:  # the site is still usable without search
        return False, f"未能建立全文检索索引（{type(exc).__name__}: {exc}）；网站其余部分正常。"
    return True, f"已建立全文检索索引（Pagefind，{len(ordered)} 个页面）。"
