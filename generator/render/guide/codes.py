"""guide/codes.md: every diagnostic code with its severity, title, meaning and fix, from diagnostics.CODES."""

from __future__ import annotations

from generator.core import diagnostics as dg

from .data import generated_note, page, phrase, phrases
from .markdown import anchor, block, cell

_OTHER = "?"  # the group of a code whose second character names no group


def _sort_key(info: dg.CodeInfo) -> tuple[str, str]:
    return info.code[1:], info.code


def _code_section(info: dg.CodeInfo) -> str:
    return block(
        [
            anchor(info.code.lower()),
            "",
            f"### {info.code} {info.title}",
            "",
            f"- **级别**：{info.severity.label}",
            f"- **含义**：{info.meaning}",
            f"- **处理方法**：{info.fix}",
        ]
    )


def _group_sections() -> list[str]:
    groups = [(g["digit"], g["title"], g["intro"]) for g in phrases("codes.group")]
    digits = {digit for digit, _, _ in groups}
    groups.append((_OTHER, phrase("codes.other_group"), ""))
    sections = []
    for digit, title, intro in groups:
        codes = sorted(
            (c for c in dg.CODES.values() if (c.code[1:2] if c.code[1:2] in digits else _OTHER) == digit), key=_sort_key
        )
        if codes:
            head = [f"## {title}", ""] + ([intro, ""] if intro else [])
            sections.append("\n".join(head) + "\n" + "\n\n".join(_code_section(c) for c in codes))
    return sections


def diagnostic_codes_page() -> str:
    """Every diagnostic code with its severity, title, meaning and fix, from diagnostics.CODES."""
    severity_text = phrases("codes.severity")
    severities = [f"- **{sev.value[0].upper()}**：{sev.label}。{severity_text[sev.value]}" for sev in dg.Severity]
    table = ["| 代码 | 级别 | 问题 |", "|---|---|---|"]
    table += [
        f"| {info.code} | {info.severity.label} | {cell(info.title)} |"
        for info in sorted(dg.CODES.values(), key=_sort_key)
    ]
    return page(
        "codes.md",
        generated_note=generated_note(),
        severities=block(severities),
        count=str(len(dg.CODES)),
        summary_table=block(table),
        # two blank lines between groups, as the published codes.md has them (Markdown reads them as one)
        sections="\n\n\n".join(_group_sections()),
        retired=block(
            ["| 停用的代码 | 现在的代码 |", "|---|---|"]
            + [
                f"| {old} | {'、'.join(f'[{c}](codes.md#{c.lower()})' for c in new.split('、'))} |"
                for old, new in sorted(dg.RETIRED.items())
            ]
        ),
        editor_only="、".join(
            sorted((c.code for c in dg.CODES.values() if c.listing is dg.Listing.EDITORS), key=lambda c: c[1:])
        ),
    )
