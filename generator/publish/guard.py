"""Which folders a build may replace. A build replaces its output folder whole, so the output must be
a folder that does not exist yet, an empty one, or one a build of this tool made (it holds the marker
file, swap.MARKER); never a repository, the records, the pages of a MkDocs site or a folder holding
them. Each refusal is an OutputError whose Chinese message names the folder and what to do."""

from __future__ import annotations

import os
import re

from .swap import MARKER, OutputError

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
_DOCS_DIR = re.compile(r"""^docs_dir:\s*["']?([^"'#\r\n]+?)["']?\s*(?:#.*)?$""", re.MULTILINE)


def _real(path: str) -> str:
    return os.path.realpath(path)


def within(inner: str, outer: str) -> bool:
    """`inner` is `outer` or inside it (both real paths)."""
    return inner == outer or inner.startswith(outer.rstrip(os.sep) + os.sep)


def _docs_dir_of(config_dir: str) -> str | None:
    """The docs_dir a MkDocs config in config_dir names (default docs), or None without a config."""
    for name in CONFIG_NAMES:
        path = os.path.join(config_dir, name)
        if os.path.isfile(path):
            try:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    found = _DOCS_DIR.search(fh.read(1_000_000))
            except OSError:
                return None
            return _real(os.path.join(config_dir, found.group(1).strip() if found else "docs"))
    return None


def _refuse(out: str, why: str, fix: str) -> OutputError:
    return OutputError(
        f"不能把 {out} 作为输出目录：{why}。构建会整体替换输出目录，为免删除其中的文件，未做任何改动。{fix}"
    )


def _ancestors(path: str) -> list[str]:
    found: list[str] = []
    while True:
        parent = os.path.dirname(path)
        if parent == path:
            return found
        found.append(parent)
        path = parent


def _protected(out: str, shown: str, records_dir: str, cwd: str, fix: str) -> None:
    """The refusals that no marker file lifts (`out` a real path, `shown` as the user wrote it)."""
    if os.path.lexists(os.path.join(out, ".git")):
        raise _refuse(shown, "其中有 .git，是一个代码仓库的根目录", fix)
    records = _real(records_dir)
    if within(records, out):
        raise _refuse(shown, f"它是记录目录 {records_dir}，或者包含记录目录", fix)
    if within(out, records):
        raise _refuse(shown, f"它位于记录目录 {records_dir} 之内", fix)
    if within(_real(cwd), out):
        raise _refuse(shown, "它是当前目录或当前目录的上级目录", fix)
    for name in CONFIG_NAMES:
        if os.path.lexists(os.path.join(out, name)):
            raise _refuse(shown, f"其中有 MkDocs 配置文件 {name}，是网站项目的根目录", fix)
    for config_dir in dict.fromkeys([*_ancestors(out), _real(cwd)]):
        docs = _docs_dir_of(config_dir)
        if docs is not None and within(out, docs):
            raise _refuse(
                shown, f"它是 MkDocs 的页面目录 docs_dir（{docs}，见 {config_dir} 中的 mkdocs.yml）或在其中", fix
            )


def _entries(out: str) -> list[str] | None:
    """The folder's entries; None when nothing is there; an OutputError when it is not a folder."""
    if not os.path.lexists(out):
        return None
    if not os.path.isdir(out):
        raise OutputError(f"不能把 {out} 作为输出目录：它是一个文件，不是目录。未做任何改动。请另指定一个目录。")
    return os.listdir(out)


def check_generate_output(out: str, records_dir: str, cwd: str | None = None) -> None:
    """`generate --out`: an OutputError unless `out` may be replaced by the generated files."""
    shown, out = out, _real(out)
    fix = "请用 --out 另指定一个新的或空的目录（例如 site-md）。"
    _protected(out, shown, records_dir, cwd or os.getcwd(), fix)
    entries = _entries(out)
    if entries and MARKER not in entries:
        raise OutputError(
            f"不能把 {shown} 作为输出目录：它不是空目录，也不是本工具生成的（其中没有标记文件 {MARKER}）。"
            "生成会整体替换输出目录，为免删除其中的文件，未做任何改动。请另指定一个新的或空的目录；"
            "确认其中的文件都可以删除时，先清空或删除该目录再生成。"
        )


def looks_like_mkdocs_site(entries: list[str]) -> bool:
    """A site MkDocs built before this guard existed: every MkDocs build writes index.html and a sitemap."""
    return "index.html" in entries and ("sitemap.xml" in entries or "sitemap.xml.gz" in entries)


def check_site_output(site_dir: str, docs_dir: str, records_dir: str, config_dir: str, cwd: str | None = None) -> None:
    """MkDocs' site_dir (build, gh-deploy): an OutputError unless the site may replace it."""
    out = _real(site_dir)
    fix = "请在 mkdocs.yml 中把 site_dir 设为一个新的或空的目录（例如 site），或用 -d 指定。"
    if within(_real(config_dir), out):
        raise _refuse(site_dir, "它是 mkdocs.yml 所在的目录或其上级目录", fix)
    if within(out, _real(docs_dir)) or within(_real(docs_dir), out):
        raise _refuse(site_dir, f"它是页面目录 docs_dir（{docs_dir}）、在其中或包含它", fix)
    _protected(out, site_dir, records_dir, cwd or os.getcwd(), fix)
    entries = _entries(out)
    if entries and MARKER not in entries and not looks_like_mkdocs_site(entries):
        raise OutputError(
            f"不能把 {site_dir} 作为网站输出目录 site_dir：它不是空目录，既没有本工具的标记文件 {MARKER}，"
            "也不像以前构建的网站（没有 index.html 和 sitemap.xml）。构建会整体替换该目录，为免删除其中的文件，"
            "未做任何改动。请另指定一个新的或空的目录；确认其中的文件都可以删除时，先清空或删除该目录再构建。"
        )


# ---------------------------------------------------------------------------- export --out (issue 15)


def check_export_file(out_file: str, records_dirs: list[str], cwd: str | None = None) -> None:
    """`export --out`: an OutputError unless the exported file may be written at `out_file`: never inside
    a records folder (validation and every build read it) nor in the pages of a MkDocs site (docs_dir,
    which the site would publish). Folders in `records_dirs` that do not exist are skipped."""
    out = _real(out_file)
    fix = "未写入任何文件。请用 --out 指定记录目录以外的文件或目录，或不加 --out（默认写入 exports/ 目录）。"
    for records_dir in records_dirs:
        if os.path.isdir(records_dir) and within(out, _real(records_dir)):
            raise OutputError(
                f"不能把导出文件写到 {out_file}：它位于记录目录 {records_dir} 之内，"
                f"记录目录只放记录和叙述文件（校验和网站构建都会读取它）。{fix}"
            )
    for config_dir in dict.fromkeys([*_ancestors(out), _real(cwd or os.getcwd())]):
        docs = _docs_dir_of(config_dir)
        if docs is not None and within(out, docs):
            raise OutputError(
                f"不能把导出文件写到 {out_file}：它位于 MkDocs 的页面目录 docs_dir（{docs}，见 {config_dir} 中的 "
                f"mkdocs.yml）之内，网站会把它公开。{fix}"
            )
