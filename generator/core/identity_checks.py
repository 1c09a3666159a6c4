"""What a record's identity and text must be before anything of it is published: an id and a file name that
can be part of a web address, a plausible year, and no invisible characters that change how text reads."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from .checks import Reporter
from .model import ID_PATTERN, Record
from .names import ID_MAX, STEM_MAX, STEM_PATTERN

YEAR_MAX = 2100
# Characters that reorder the text around them: a name can be made to read as another (spoofing).
_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile(f"[{_BIDI_CONTROLS}]")
# Other format characters (Unicode category Cf): zero-width spaces and joiners, the byte-order mark, word
# joiners… They cannot be seen, and they split words for search.
_INVISIBLE = re.compile(
    "["
    + "".join(
        chr(c) for c in range(0x80, 0x110000) if unicodedata.category(chr(c)) == "Cf" and chr(c) not in _BIDI_CONTROLS
    )
    + "]"
)
Report = Callable[[str, int, int, str], None]  # (code, line, column, message)


def check_identity(record: Record, rep: Reporter) -> None:
    """E128 id, E129 file name, E135 former file names, E130 year and filed_year, E131 / W132 invisible characters
    in the record and its narrative."""
    if ("id",) not in record.missing and (not ID_PATTERN.match(record.id) or len(record.id) > ID_MAX):
        rep.at(
            "E128",
            ("id",),
            f"项目编号“{record.id}”不符合要求：只能用小写英文字母、数字和连字符（如 bayannur-treasury-epay），"
            f"不超过 {ID_MAX} 个字符。",
        )
    stem = Path(record.file).stem
    if not STEM_PATTERN.match(stem) or len(stem) > STEM_MAX:
        rep.at(
            "E129",
            ("id",),
            f"文件名“{stem}”会成为网页地址，只能用小写英文字母、数字和连字符，不超过 {STEM_MAX} 个字符；"
            "请把 .toml 和 .md 两个文件改成同样的合规名字（通常与 id 相同）。",
        )
    for i, former in enumerate(record.former_slugs):
        if not STEM_PATTERN.match(former) or len(former) > STEM_MAX or former == stem:
            why = (
                "就是现在的文件名" if former == stem else f"只能用小写英文字母、数字和连字符，不超过 {STEM_MAX} 个字符"
            )
            rep.at(
                "E135",
                ("former_slugs", i),
                f"旧文件名“{former}”不对：{why}。former_slugs 只写这个记录以前用过的文件名（不含 .toml），"
                "网站在 projects/<年度>/<旧文件名>/ 留下转向新网址的页面。",
            )
    _check_year(record, rep)
    for text, report in rep.texts():
        _scan(text, report)


def _check_year(record: Record, rep: Reporter) -> None:
    """The filing year: the evaluation year, or filed_year where the source printed none (year = "未公布")."""
    if "year" in record.unpublished and record.filed_year is None:
        rep.at(
            "E101",
            ("year",),
            "year 写了“未公布”，还需要 filed_year（归档年度）：写原文发布的年份（来自发布页面的日期），"
            "记录放在 projects/<filed_year>/ 目录。不要推测评价年度。",
        )
    elif record.year is not None and record.filed_year is not None:
        rep.at(
            "W151",
            ("filed_year",),
            f'filed_year 只在 year = "未公布" 时使用；本记录写了 year = {record.year}，按 year 归档，filed_year 不起作用。'
            "请删除 filed_year。",
        )
    year_key = "year" if record.year is not None else "filed_year"
    year = record.filing_year
    if year is not None and year > YEAR_MAX:
        what = "评价年度" if year_key == "year" else "归档年度"
        rep.at("E130", (year_key,), f"{year_key} = {year} 不是合理的{what}（应在 1990 至 {YEAR_MAX} 之间）。")


def _scan(text: str, report: Report) -> None:
    if text.isascii():
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if line.isascii():
            continue
        if m := _BIDI.search(line):
            report(
                "E131",
                number,
                m.start() + 1,
                f"此处有看不见的文字方向控制符（U+{ord(m.group()):04X}），它会改变文字的显示顺序，"
                "使名称看起来像另一个名称。请删除该字符后重新输入这段文字。",
            )
        elif m := _INVISIBLE.search(line):
            report(
                "W132",
                number,
                m.start() + 1,
                f"此处有看不见的格式字符（U+{ord(m.group()):04X}，多为从网页或 Word 复制时带入），会让检索找不到这个词。建议删除。",
            )
