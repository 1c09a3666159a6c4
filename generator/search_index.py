"""Full-text search index for the built site: Pagefind (static, chunked, CJK-aware).

Material's own search ships its whole index to every visitor (21 MB at 1,000 pages); Pagefind
loads only the chunks a query needs, so the first search stays small at 10,000 projects.
"""
from __future__ import annotations

import subprocess
import sys


def run_pagefind(site_dir: str) -> tuple[bool, str]:
    cmd = [sys.executable, "-m", "pagefind", "--site", site_dir, "--output-subdir", "pagefind", "--silent"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"未能建立全文检索索引（{exc}）；网站其余部分正常。"
    if proc.returncode != 0:
        return False, f"未能建立全文检索索引：{(proc.stderr or proc.stdout).strip()[:500]}"
    return True, "已建立全文检索索引（Pagefind）。"
