"""What the checks across records need, read before any record is evaluated.

Duplicate records (E120), two records on one page (E127) and the like are facts about the set of
records, so they are known before the first record is scored or rendered: a build never publishes
a page and then takes it back. A record's identity is its top-level keys, which TOML writes before
the first [table]: reading that head is cheap, so every record is looked at twice only briefly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import tomli

from . import diagnostics as dg
from .decimals import int_in_range, read_number
from .diagnostics import KeyPath
from .field_types import NOT_PUBLISHED
from .fields import EVALUATION_KINDS
from .follow_up import read_references
from .names import department_slug
from .reading import MAX_RECORD_BYTES, Refused, read_contained, records_root

# The first table header ([budget], [[indicator]] …): top-level keys cannot follow it.
_FIRST_TABLE = re.compile(r"^[ \t]*\[", re.M)


@dataclass(frozen=True)
class RecordIdentity:
    """A record as the cross-record checks see it, without the record itself."""

    id: str
    year: int  # the filing year: the evaluation year, or filed_year where the source printed none (year = "未公布")
    evaluation: str
    name: str
    department: str | None
    file: str  # as shown in diagnostics
    path: str  # on disk
    root: str  # the records root the file was read under
    year_key: str = "year"  # the field the filing year was read from (filed_year when year = "未公布")
    former_slugs: tuple[str, ...] = ()  # earlier file names: the site leaves a redirect page at each one's address
    # Problems found and their follow-up (issue 17, follow_up.py): [[problems]] (key, title) and [[follow_up]]
    # (year, problem key), in file order; read only from a file that has such tables.
    problems: tuple[tuple[str, str], ...] = ()
    follow_ups: tuple[tuple[int | None, str], ...] = ()

    def locate(self, key: KeyPath) -> tuple[int, int]:
        from .toml_positions import build_index

        text = _read(self.path, self.root)
        return build_index(text).locate(key) if text is not None else (1, 1)


def _read(path: str, root: str) -> str | None:
    """The text of a record file, read as the loader reads it (reading.py); None when the loader refuses it."""
    try:
        data = read_contained(path, root, MAX_RECORD_BYTES)
        return data.decode("utf-8-sig") if data is not None else None
    except (Refused, UnicodeDecodeError):
        return None


def _top_level(text: str) -> dict[str, object] | None:
    head = text[: m.start()] if (m := _FIRST_TABLE.search(text)) else text
    for candidate in (head, text):  # the head alone fails when a multi-line string holds a line starting with [
        try:
            return tomli.loads(candidate, parse_float=read_number)
        except (ValueError, RecursionError):  # tomli.TOMLDecodeError, or an integer too long to convert
            continue
    return None


def read_identity(path: str, display: str | None = None, root: str | None = None) -> RecordIdentity | None:
    """The identity of the record in `path`, or None when it cannot be read (loading reports why). It is
    read only as the loader reads it: a regular file inside the records `root` (by default as load_file)."""
    root = root or records_root(path)
    text = _read(path, root)
    if text is None:
        return None
    raw = _top_level(text)
    if raw is None:
        return None
    rid, year, evaluation, name = raw.get("id"), raw.get("year"), raw.get("evaluation"), raw.get("name")
    department = raw.get("department")
    year_key = "year"
    if year == NOT_PUBLISHED:  # filed under the year its source was published, never a guessed evaluation year
        year, year_key = raw.get("filed_year"), "filed_year"
    if not (
        isinstance(rid, str)
        and isinstance(name, str)
        and isinstance(evaluation, str)
        and evaluation in EVALUATION_KINDS
    ):
        return None
    if not isinstance(year, int) or isinstance(year, bool) or not int_in_range(year):
        return None
    if department == NOT_PUBLISHED:  # no department page
        department = None
    former = raw.get("former_slugs")
    refs = read_references(text)
    return RecordIdentity(
        rid,
        year,
        evaluation,
        name,
        department if isinstance(department, str) else None,
        display or path,
        path,
        root,
        year_key,
        tuple(s for s in former if isinstance(s, str)) if isinstance(former, list) else (),
        refs.problems,
        refs.follow_ups,
    )


def check_corpus(records: Sequence[RecordIdentity]) -> list[dg.Diagnostic]:
    """Duplicates, two records on one page, conflicting names and misplaced years, across records."""
    diags: list[dg.Diagnostic] = []
    seen: dict[tuple[str, int, str], RecordIdentity] = {}
    names: dict[str, RecordIdentity] = {}
    pages: dict[tuple[int, str], RecordIdentity] = {}
    departments: dict[str, RecordIdentity] = {}  # department page → the first record naming its department
    for r in records:
        if r.department is not None:
            first = departments.setdefault(department_slug(r.department), r)
            if first.department != r.department:
                line, col = r.locate(("department",))
                diags.append(
                    dg.make(
                        "E133",
                        r.file,
                        line,
                        col,
                        f"主管部门“{r.department}”与 {first.file} 中的“{first.department}”会生成同一个部门页面，"
                        "请统一这两个名称的写法。",
                    )
                )
        page = (r.year, Path(r.file).stem)  # the page projects/<year>/<file name>/
        if page in pages:
            line, col = r.locate((r.year_key,))
            diags.append(
                dg.make(
                    "E127",
                    r.file,
                    line,
                    col,
                    f"与 {pages[page].file} 生成同一个网页 projects/{page[0]}/{page[1]}/，请改用不同的文件名。",
                )
            )
        else:
            pages[page] = r
        key = (r.id, r.year, r.evaluation)
        if key in seen:
            line, col = r.locate(("id",))  # only here: locating builds the file's position index
            other = seen[key]
            diags.append(
                dg.make(
                    "E120",
                    r.file,
                    line,
                    col,
                    f"项目 {r.id} 的 {r.year} 年度{r.evaluation}记录重复：{other.file} 已有同一记录。"
                    + (
                        "（评价年度未公布的记录按 filed_year 归档。）"
                        if "filed_year" in (r.year_key, other.year_key)
                        else ""
                    ),
                )
            )
        else:
            seen[key] = r
        if r.id in names and names[r.id].name != r.name:
            other = names[r.id]
            line, col = r.locate(("name",))
            diags.append(
                dg.make(
                    "W121",
                    r.file,
                    line,
                    col,
                    f"项目编号 {r.id} 在 {other.file} 中名为“{other.name}”，这里名为“{r.name}”。",
                )
            )
        names.setdefault(r.id, r)
        folder = Path(r.file).parent.name
        if folder.isdigit() and len(folder) == 4 and int(folder) != r.year:
            line, col = r.locate((r.year_key,))
            diags.append(
                dg.make(
                    "E126",
                    r.file,
                    line,
                    col,
                    f"记录位于 {folder} 年度目录，但 {r.year_key} = {r.year}。请移动文件或改正 {r.year_key}。",
                )
            )
    diags += _former_pages(records, pages)
    return diags


def _former_pages(
    records: Sequence[RecordIdentity], pages: dict[tuple[int, str], RecordIdentity]
) -> list[dg.Diagnostic]:
    """E127 for an earlier file name (former_slugs) whose redirect page would take the address of another record's
    page, or of another record's redirect. A record's own current name is E135 (identity_checks.py)."""
    diags: list[dg.Diagnostic] = []
    redirects: dict[tuple[int, str], RecordIdentity] = {}
    for r in records:
        for slug in dict.fromkeys(r.former_slugs):
            page = (r.year, slug)
            owner = pages.get(page) or redirects.get(page)
            if owner is r:
                continue
            if owner is None:
                redirects[page] = r
                continue
            line, col = r.locate(("former_slugs",))
            diags.append(
                dg.make(
                    "E127",
                    r.file,
                    line,
                    col,
                    f"旧文件名“{slug}”的转向页面会占用 {owner.file} 的网址 projects/{r.year}/{slug}/，"
                    "请只写这个记录自己以前用过的文件名。",
                )
            )
    return diags
