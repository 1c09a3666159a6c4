"""Redirects left at the addresses of a renamed record (its former_slugs): its page and JSON addresses once
published keep answering.

At the old page address a small HTML page sends the browser on (meta refresh), names the new address as the
canonical one and links to it for readers whose browser does not follow; at the old JSON addresses (the API
twin and the JSON download) a short JSON note gives the new ones. Links are relative, so the redirects work
wherever the site is published. The cross-record check (core/corpus.py, E127) keeps an old address from
being another record's page.
"""

from __future__ import annotations

from html import escape
from typing import Any

from generator.core.scoring import Evaluation

from .open_data import address, dumps, project_json
from .project import download_base, filing_year, project_path
from .urls import page_url, rel


def _page(old_src: str, ev: Evaluation) -> bytes:
    r = ev.record
    target = escape(rel(old_src, project_path(ev)))
    label = escape(f"{r.name}（{r.year} 年度{r.evaluation}）")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        f'<link rel="canonical" href="{target}">\n'
        f"<title>页面已迁移：{label}</title>\n"
        "</head>\n"
        "<body>\n"
        f'<p>本页面已迁移到新地址：<a href="{target}">{label}</a>。</p>\n'
        "</body>\n"
        "</html>\n"
    ).encode()


def _note(ev: Evaluation, what: str, new_path: str) -> bytes:
    r = ev.record
    note: dict[str, Any] = {
        "moved": True,
        "id": r.id,
        "year": r.year,
        "evaluation": r.evaluation,
        "note": f"该记录的文件名已更改，{what}已移至新地址。",
        "url": address(new_path),
        "page": address(page_url(project_path(ev))),
    }
    return dumps(note)


def redirect_files(ev: Evaluation) -> list[tuple[str, bytes]]:
    """(path, bytes) of the redirects at each former address of the record (none when it was never renamed)."""
    r = ev.record
    files: list[tuple[str, bytes]] = []
    for old in dict.fromkeys(r.former_slugs):
        if old == r.slug:  # E135: the current name is no former one
            continue
        old_src = f"projects/{filing_year(ev)}/{old}.md"
        files.append((page_url(old_src) + "index.html", _page(old_src, ev)))
        files.append((project_json(filing_year(ev), old), _note(ev, "数据", project_json(filing_year(ev), r.slug))))
        files.append((f"downloads/{filing_year(ev)}/{old}.json", _note(ev, "复核结果", f"{download_base(ev)}.json")))
    return files
