"""The problems and recommendations of a report, split from its Markdown headings (issue 17), for `import`.

A report lists its problems under a heading such as “六、存在的问题及原因分析” or “项目管理存在的问题及原因”,
and its recommendations under “七、有关建议”. Below such a heading each item is either a sub-heading
(“（一）…”, “1. …”) with its paragraphs, or a paragraph led by a short title and a colon (“1.预算编制精细度
欠佳：预算编制时……”); a sub-heading whose paragraphs are themselves such items is a group, not an item. A
section without either gives one item per paragraph, titled by its first clause. A sub-heading saying only
“无” lists nothing.

It is a heuristic: what it finds is written to the record marked for review (REVIEW_MARK), never as checked data.
Text is kept as the report prints it; only the Markdown escapes the Word conversion added are undone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

REVIEW_MARK = "# 待核对：由导入程序从报告标题拆分，请与报告原文核对标题、原文、类别和对应的问题"

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_ESCAPE = re.compile(r"\\([\\`*_<>\[\]#|!.+\-])")
_LIST_MARK = re.compile(r"^(?:[-+*]|\d{1,3}[.)])\s+")
# A section or item number at the start of a heading or paragraph: 一、 （一） (1) 1. 1、 1．
_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*(?:[一二三四五六七八九十]{1,3}|\d{1,3})\s*[)）]|\d{1,3}\s*[.、．](?!\d))\s*"
)
# A paragraph led by a short title and a colon: “预算编制精细度欠佳：预算编制时……”
_LEAD = re.compile(r"^([^，。；;,:：\n]{2,30})[：:]\s*(\S.*)$", re.S)
_PROBLEMS = re.compile(r"存在(?:的)?(?:主要)?问题")
_RECOMMENDATIONS = re.compile(r"建议|改进措施")
_NOT_PROBLEMS = re.compile(r"经验|其他需要说明")
_NOTHING = re.compile(r"^[无暂无没有。.\s]*$")
_CLAUSE = re.compile(r"[，。；;,:：]")
MAX_TITLE = 30


@dataclass(frozen=True)
class Item:
    title: str
    text: str


@dataclass
class ReportItems:
    """What was split from a report, and the headings it came from."""

    problems: list[Item] = field(default_factory=list)
    recommendations: list[Item] = field(default_factory=list)
    problem_heading: str | None = None
    recommendation_heading: str | None = None

    def record_tables(self) -> dict[str, list[dict]]:
        """[[problems]] and [[recommendations]] as the record's TOML parses to them (keys p1…, r1…). When there are
        as many recommendations as problems, the report is taken to answer them in order (marked for review)."""
        out: dict[str, list[dict]] = {}
        if self.problems:
            out["problems"] = [
                {"key": f"p{i}", "title": x.title, "text": x.text} for i, x in enumerate(self.problems, 1)
            ]
        if self.recommendations:
            paired = len(self.recommendations) == len(self.problems)
            out["recommendations"] = [
                {"key": f"r{i}", "title": x.title, "text": x.text, **({"answers": [f"p{i}"]} if paired else {})}
                for i, x in enumerate(self.recommendations, 1)
            ]
        return out

    def notes(self) -> list[str]:
        """What the import output says about it."""
        out = []
        if self.problems:
            out.append(
                f"从报告“{self.problem_heading}”拆分出 {len(self.problems)} 个问题，写入 [[problems]]（编号 p1…），"
                "标为待核对：请与报告原文核对每个问题的标题和原文，并补上类别（category）。"
            )
        if self.recommendations:
            paired = len(self.recommendations) == len(self.problems)
            out.append(
                f"从报告“{self.recommendation_heading}”拆分出 {len(self.recommendations)} 条建议，写入 [[recommendations]]"
                "（编号 r1…），标为待核对"
                + (
                    "：建议与问题数目相同，已按顺序一一对应（answers），请核对。"
                    if paired
                    else "：请按报告写明每条建议针对的问题（answers）。"
                )
            )
        return out


@dataclass(frozen=True)
class _Block:
    level: int  # a heading's level; 0 for a paragraph
    text: str


def split_report(markdown: str) -> ReportItems:
    """The problems and recommendations of a report's Markdown (as docx_md writes it, or an editor's narrative)."""
    blocks = _blocks(markdown)
    result = ReportItems()
    found = _section(blocks, _PROBLEMS, _NOT_PROBLEMS)
    if found is not None:
        result.problem_heading, body = found
        result.problems = _items(body)
    found = _section(blocks, _RECOMMENDATIONS, _PROBLEMS)
    if found is not None:
        result.recommendation_heading, body = found
        result.recommendations = _items(body)
    return result


def mark_for_review(toml_text: str) -> str:
    """The record's text with REVIEW_MARK above each [[problems]] and [[recommendations]] table."""
    return re.sub(r"^(\[\[(?:problems|recommendations)\]\])$", REVIEW_MARK + r"\n\1", toml_text, flags=re.M)


# --------------------------------------------------------------------------- reading the Markdown


def unescape(text: str) -> str:
    """Text without the backslash escapes Markdown needs (docx_md.escape_inline adds them)."""
    return _ESCAPE.sub(r"\1", text)


def _blocks(markdown: str) -> list[_Block]:
    """Headings and paragraphs (a list item is a paragraph of its own; tables are left out)."""
    out: list[_Block] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            out.append(_Block(0, unescape(" ".join(lines).strip())))
            lines.clear()

    for raw in markdown.split("\n"):
        line = raw.strip()
        m = _HEADING.match(line)
        if m:
            flush()
            out.append(_Block(len(m.group(1)), unescape(m.group(2))))
        elif not line or line.startswith("|"):
            flush()
        elif _LIST_MARK.match(line):  # a list item is a paragraph of its own; its number stays (see _NUMBER)
            flush()
            lines.append(line[2:] if line[:2] in ("- ", "+ ", "* ") else line)
        else:
            if lines and _joins_cjk(lines[-1], line):
                lines[-1] += line
            else:
                lines.append(line)
    flush()
    return out


def _joins_cjk(before: str, after: str) -> bool:
    """A line break inside a Chinese sentence joins without a space."""
    return bool(before) and ord(before[-1]) > 0x2E7F and ord(after[0]) > 0x2E7F


def _section(
    blocks: list[_Block], wanted: re.Pattern[str], unwanted: re.Pattern[str]
) -> tuple[str, list[_Block]] | None:
    """The first heading matching `wanted` (one also matching `unwanted` only when no other does) and its content."""
    headings = [i for i, b in enumerate(blocks) if b.level and wanted.search(b.text)]
    chosen = [i for i in headings if not unwanted.search(blocks[i].text)] or headings
    if not chosen:
        return None
    start = chosen[0]
    level = blocks[start].level
    end = next((i for i in range(start + 1, len(blocks)) if blocks[i].level and blocks[i].level <= level), len(blocks))
    return blocks[start].text, blocks[start + 1 : end]


def clean_heading(text: str) -> str:
    return _NUMBER.sub("", text).strip().rstrip("。.")


# --------------------------------------------------------------------------- items


def _items(body: list[_Block]) -> list[Item]:
    headings = [b.level for b in body if b.level]
    if headings:
        top = min(headings)
        out: list[Item] = []
        groups: list[tuple[_Block, list[_Block]]] = []
        for b in body:
            if b.level == top:
                groups.append((b, []))
            elif groups:  # paragraphs before the first sub-heading introduce the section
                groups[-1][1].append(b)
        for heading, inner in groups:
            nested = _items(inner) if any(b.level for b in inner) or _led(inner) else []
            if nested:
                out += nested
                continue
            text = "\n".join(b.text for b in inner if not b.level)
            if text and not _NOTHING.match(text):
                out.append(Item(clean_heading(heading.text), text))
        return out
    paragraphs = [b.text for b in body]
    if _led(body):
        out = []
        for p in paragraphs:
            m = _LEAD.match(_NUMBER.sub("", p))
            if m:
                out.append(Item(m.group(1).strip(), m.group(2).strip()))
            elif out:  # a paragraph continuing the item above
                out[-1] = Item(out[-1].title, out[-1].text + "\n" + p)
        return out
    return [Item(_first_clause(_NUMBER.sub("", p)), _NUMBER.sub("", p)) for p in paragraphs if not _NOTHING.match(p)]


def _led(body: list[_Block]) -> bool:
    """Whether some paragraph is led by a short title and a colon."""
    return any(not b.level and _LEAD.match(_NUMBER.sub("", b.text)) for b in body)


def _first_clause(text: str) -> str:
    """A title for an item the report gives none: its first clause, cut at MAX_TITLE characters."""
    m = _CLAUSE.search(text)
    clause = text[: m.start()] if m else text
    return clause if len(clause) <= MAX_TITLE else clause[:MAX_TITLE] + "…"
