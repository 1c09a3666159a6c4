"""Load records from disk: decode, parse TOML, check structure, build the model.

Every failure becomes a diagnostic; nothing here raises for bad input.
"""

from __future__ import annotations

import dataclasses
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import tomli

from . import diagnostics as dg
from .decimals import MAX_INTEGER_DIGITS, read_number
from .diagnostics import KeyPath
from .field_types import Field, FieldKind, declared
from .fields import RECORD_FIELDS
from .model import Record
from .reading import MAX_NARRATIVE_BYTES, MAX_RECORD_BYTES, Refused, read_contained, records_root
from .structure import UNPUBLISHED, Checker
from .toml_positions import build_index

BOM = b"\xef\xbb\xbf"
SCHEME_DIR = "schemes"  # projects/schemes/*.toml hold editors' scoring schemes, not records

_TOMLI_MESSAGES = [
    ("Invalid value", "值无效：文字要用英文双引号括起来，数字不加引号，布尔值写 true/false"),
    ("Expected '=' after a key", "键后面缺少等号 =（中文键名要加引号）"),
    ("Cannot overwrite a value", "重复定义了同一个键"),
    ("Cannot declare", "重复定义了同一个表"),
    ("Unclosed array", "数组缺少右方括号 ]"),
    ("Unclosed inline table", "行内表缺少右花括号 }"),
    ("Unterminated string", "字符串缺少结束引号"),
    ("Invalid initial character for a key part", "键名包含不允许的字符（中文键名要加英文双引号）"),
    ("Expected newline or end of document", "一行只能写一个 键 = 值，或缺少换行"),
    ("Illegal character", "包含不允许的字符（如全角引号或制表符以外的控制字符）"),
    ("Invalid date or datetime", '日期格式无效，应写成 2021-08-31 或 "2021-08"'),
    ("Found invalid character in escape sequence", "字符串中的反斜杠转义无效，请写成 \\\\ 或改用单引号"),
    ("Invalid hex value", "字符串中的 \\u 转义无效"),
    ("Unescaped", "字符串中包含未转义的字符"),
]
# Position indexes of the files being reported on. Only a few are kept: a record's locate() rebuilds its index
# when needed again, instead of every loaded record holding its index for the life of the process.
_index_for = lru_cache(maxsize=16)(build_index)

_POS = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")
# An integer literal too long for Python to convert (sys.get_int_max_str_digits(), 4,300 digits by default).
_LONG_INTEGER = re.compile(r"[0-9][0-9_]{999,}")


def _is_orphan_narrative(folder: str, name: str, files: list[str], top: bool) -> bool:
    """A narrative (.md in a records folder below the top, where README-like notes may live) with no record."""
    return not top and name.endswith(".md") and not name.startswith(".") and name[:-3] + ".toml" not in files


def discover(paths: list[str]) -> tuple[list[str], list[dg.Diagnostic]]:
    """Record files under the given directories or files, sorted for determinism.

    Whatever is named like a record is listed, special files and links included: loading it says why
    it is refused (see reading.py). Links to folders are not followed."""
    found: list[str] = []
    diags: list[dg.Diagnostic] = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                named = [d for d in dirs if d.endswith(".toml")]  # a folder named like a record: refused when loaded
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != SCHEME_DIR and d not in named)
                for name in sorted(files + named):
                    if name.endswith(".toml") and not name.startswith("."):
                        found.append(os.path.join(root, name))
                    elif _is_orphan_narrative(root, name, files, top=os.path.samefile(root, p)):
                        diags.append(
                            dg.make(
                                "W134", os.path.join(root, name), 1, 1, f"{name} 没有同名的 .toml 记录，不会被发布。"
                            )
                        )
        elif os.path.lexists(p):
            found.append(p)
        else:
            diags.append(dg.make("E005", p, 1, 1, f"找不到文件或目录 {p}。请检查路径。"))
    return sorted(dict.fromkeys(found)), diags


def decode(data: bytes, file: str) -> tuple[str | None, list[dg.Diagnostic]]:
    diags: list[dg.Diagnostic] = []
    if data.startswith(BOM):
        data = data[len(BOM) :]
        diags.append(
            dg.make(
                "W002",
                file,
                1,
                1,
                "文件以 UTF-8 BOM 开头（Windows 记事本保存时常见）。已忽略 BOM；建议另存为“UTF-8（无 BOM）”。",
            )
        )
    try:
        return data.decode("utf-8"), diags
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        try:
            data.decode("gb18030")
            looks = "文件看起来是用 GBK/GB2312（简体中文 Windows 默认）编码保存的。"
        except UnicodeDecodeError:
            looks = "文件包含不是 UTF-8 的字节。"
        diags.append(
            dg.make(
                "E001",
                file,
                line,
                col,
                f"{looks}本工具只读取 UTF-8：请在编辑器中“另存为”，编码选 UTF-8，然后重新提交。",
            )
        )
        return None, diags


def parse_toml(text: str, file: str) -> tuple[dict[str, Any] | None, list[dg.Diagnostic]]:
    if not text.strip():
        return None, [
            dg.make(
                "E004",
                file,
                1,
                1,
                "文件是空的。请填写记录内容（可用 python -m generator new 生成模板），或删除该文件。",
            )
        ]
    try:
        return tomli.loads(text, parse_float=read_number), []
    except tomli.TOMLDecodeError as exc:
        msg = str(getattr(exc, "msg", None) or exc)
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "colno", None)
        m = _POS.search(msg)
        if m:
            msg = msg[: m.start()]
            if m.group(1):
                line, col = int(m.group(1)), int(m.group(2))
        if line is None:
            line, col = text.count("\n") + 1, 1
        chinese = next((zh for en, zh in _TOMLI_MESSAGES if msg.startswith(en)), "请检查该处的写法")
        return None, [dg.make("E003", file, line, col or 1, f"TOML 语法错误：{chinese}（解析器原文：{msg}）。")]
    except RecursionError:
        return None, [dg.make("E109", file, 1, 1, "嵌套层级过深，无法读取。请检查是否误写了大量方括号或花括号。")]
    except ValueError:  # an integer with more digits than Python converts (tomli does not catch it)
        m = _LONG_INTEGER.search(text)
        line, col = (text.count("\n", 0, m.start()) + 1, m.start() - text.rfind("\n", 0, m.start())) if m else (1, 1)
        return None, [
            dg.make(
                "E105",
                file,
                line,
                col,
                f"整数的位数过多，无法读取（数字的绝对值不能达到 10 的 {MAX_INTEGER_DIGITS} 次方）。"
                "请检查是否多写了数字。",
            )
        ]


def load_file(
    file: str, display: str | None = None, root: str | None = None
) -> tuple[Record | None, list[dg.Diagnostic]]:
    """The record in `file` and what was found wrong with it. `root` is the records root: the file and its
    narrative are read only when they are regular files inside it (reading.py); by default the folder
    above the file's year folder (projects/<year>/x.toml → projects)."""
    shown = display or file
    root = root or records_root(file)
    try:
        data = read_contained(file, root, MAX_RECORD_BYTES)
    except Refused as refused:
        return None, [dg.make(refused.code, shown, 1, 1, refused.message)]
    if data is None:
        return None, [dg.make("E005", shown, 1, 1, "找不到文件：它在读取前被删除或移走了。请检查路径后重新运行。")]
    text, diags = decode(data, shown)
    if text is None:
        return None, diags
    raw, more = parse_toml(text, shown)
    diags += more
    if raw is None:
        return None, diags
    return build_record(raw, text, file, shown, diags, root)


def build_record(
    raw: dict[str, Any], text: str, file: str, shown: str, diags: list[dg.Diagnostic], root: str | None = None
) -> tuple[Record | None, list[dg.Diagnostic]]:
    def locate(path: KeyPath) -> tuple[int, int]:
        return _index_for(text).locate(path)

    checker = Checker(file=shown, locate=locate)
    try:
        clean = checker.table(raw, RECORD_FIELDS, (), "")
    except RecursionError:
        checker.report("E109", (), "记录嵌套层级过深，无法检查。")
        clean = None
    diags += checker.diags
    # A required field not filled in (E101) does not stop the record being read: it is built with that field
    # empty, so validate and report run every other check on it; the error keeps it off the site. Any other
    # structural error means a value could not be read at all, and the record is not built.
    if clean is None or any(d.severity is dg.Severity.ERROR and d.code != "E101" for d in checker.diags):
        return None, diags
    stem = Path(file).stem
    narrative_path = str(Path(file).with_suffix(".md"))
    narrative_shown = str(Path(shown).with_suffix(".md"))
    narrative: str | None = None
    try:  # no narrative at all (even one removed a moment ago) is E110, reported by the checks
        nbytes = read_contained(narrative_path, root or records_root(file), MAX_NARRATIVE_BYTES)
    except Refused as refused:  # nothing of it is read, and the record is not published
        return None, [*diags, dg.make(refused.code, narrative_shown, 1, 1, refused.message)]
    if nbytes is not None:
        ntext, ndiags = decode(nbytes, narrative_shown)
        for d in ndiags:
            if d.code == "E001":
                diags.append(dg.make("E113", d.file, d.line, d.column, d.message))
            else:
                diags.append(d)
        narrative = ntext
    record = build(
        Record,
        clean,
        (),
        file=shown,
        slug=stem,
        narrative=narrative,
        narrative_file=narrative_shown,
        toml_text=text,
        locate=locate,
        missing=frozenset(checker.missing),
    )
    return record, diags


T = TypeVar("T")
_ABSENT = object()


def build(cls: type[T], clean: dict[str, Any], at: KeyPath, **extra: Any) -> T:
    """The model object for a structurally checked table: each declared field from its TOML key,
    nested tables built the same way, absent fields left at their defaults.

    A row of a [[table]] gets its position too: `index` and `key` when its class has them. A field written
    "未公布" is None, and its name is in the object's `unpublished` set; a required field not filled in (already
    reported, E101) gets an empty value of its kind, so that the other checks can run.
    """
    values = extra  # a fresh dict on every call
    unpublished: list[str] = []
    for name, attr, table, rows, fallback in _plan(cls):
        value = clean.get(name, _ABSENT)
        if value is _ABSENT:
            if fallback is not _ABSENT:
                values[attr] = fallback() if callable(fallback) else fallback
            continue
        if value is UNPUBLISHED:
            unpublished.append(name)
            values[attr] = None
            continue
        if table is not None:
            value = _rows(table, value, at + (name,)) if rows else build(table, value, at + (name,))
        values[attr] = value
    if unpublished:
        values["unpublished"] = frozenset(unpublished)
    return cls(**values)


def _rows(cls: type[T], rows: list[dict[str, Any]], at: KeyPath) -> list[T]:
    takes_index, takes_key = _takes_position(cls)
    out = []
    for i, row in enumerate(rows):
        key = at + (i,)
        position: dict[str, Any] = {}
        if takes_index:
            position["index"] = i
        if takes_key:
            position["key"] = key
        out.append(build(cls, row, key, **position))
    return out


def _plan(cls: type) -> tuple[tuple[str, str, type | None, bool, Any], ...]:
    """(TOML key, attribute, class of its tables, whether it is a table array, the value of a required field
    left out) for each declared field."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = tuple(
            (d.field.name, d.attr, d.table, d.field.kind is FieldKind.TABLES, _fallback(d.field)) for d in declared(cls)
        )
    return plan


def _fallback(f: Field) -> Any:
    """What a required field not filled in is loaded as (its absence is an error): nothing where the format
    has no value for "none" (a number, a date, a field that may be "未公布"), else an empty value of its kind."""
    if not f.required:
        return _ABSENT
    if f.unpublished_ok or f.kind in (FieldKind.INT, FieldKind.NUMBER, FieldKind.DATE):
        return None
    if f.kind is FieldKind.PATH:
        return ()
    return ""


def _takes_position(cls: type) -> tuple[bool, bool]:
    """Whether a row class has an `index` and a `key` attribute, which the loader sets."""
    takes = _POSITIONS.get(cls)
    if takes is None:
        names = {f.name for f in dataclasses.fields(cls)}
        takes = _POSITIONS[cls] = ("index" in names, "key" in names)
    return takes


_PLANS: dict[type, tuple[tuple[str, str, type | None, bool, Any], ...]] = {}
_POSITIONS: dict[type, tuple[bool, bool]] = {}
