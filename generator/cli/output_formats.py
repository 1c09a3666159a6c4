"""Ways of printing diagnostics: compiler-style text, JSON, GitHub Actions annotations.

Each ends with the counts, and — when given what a build would publish (validate) — how many records
a build today would publish, how many are drafts and how many wait for their publication date.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any, TextIO

from generator.core import diagnostics as dg
from generator.publish.policy import PublicationCount


def counts(diags: list[dg.Diagnostic]) -> dict[str, int]:
    out = {"error": 0, "warning": 0, "info": 0}
    for d in diags:
        out[d.severity.value] += 1
    return out


def summary_line(result) -> str:
    c = counts(result.diagnostics)
    return f"共检查 {len(result.files)} 个记录文件：错误 {c['error']} 个，警告 {c['warning']} 个，提示 {c['info']} 个。"


def publication_line(count: PublicationCount) -> str:
    """e.g. 将发布 5 个，草稿 1 个，未到公开日期 1 个（最早 2027-01-01 公开）。"""
    waiting = f"未到公开日期 {len(count.embargoed)} 个"
    if count.next_date is not None:
        waiting += f"（最早 {count.next_date.isoformat()} 公开）"
    errors = f"，有错误暂不发布 {count.errors} 个" if count.errors else ""
    return f"将发布 {count.published} 个，草稿 {len(count.drafts)} 个，{waiting}{errors}。"


def publication_json(count: PublicationCount) -> dict[str, Any]:
    return {
        "date": count.today.isoformat(),  # the day the figures hold for (SOURCE_DATE_EPOCH, else today)
        "published": count.published,
        "drafts": len(count.drafts),
        "embargoed": len(count.embargoed),
        "errors": count.errors,
        "next_publish_date": count.next_date.isoformat() if count.next_date else None,
        "draft_files": count.drafts,
        "embargoed_files": [{"file": file, "publish_date": day.isoformat()} for file, day in count.embargoed],
    }


def write_text(result, out: TextIO, publication: PublicationCount | None = None) -> None:
    for d in result.diagnostics:
        out.write(d.to_text() + "\n")
    out.write(summary_line(result) + "\n")
    if publication is not None:
        out.write(publication_line(publication) + "\n")


def write_json(result, out: TextIO, publication: PublicationCount | None = None) -> None:
    c = counts(result.diagnostics)
    data: dict[str, Any] = {"files": result.files, "summary": c}
    if publication is not None:
        data["publication"] = publication_json(publication)
    data["diagnostics"] = [d.to_json() for d in result.diagnostics]
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d: dg.Diagnostic) -> str:
    level = {"error": "error", "warning": "warning", "info": "notice"}[d.severity.value]
    title = f"{d.code} {dg.CODES[d.code].title}"
    props = f"file={escape_property(d.file)},line={d.line},col={d.column},title={escape_property(title)}"
    return f"::{level} {props}::{escape_data(d.message)}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def step_summary(result, publication: PublicationCount | None = None) -> str:
    lines = ["## 绩效评价记录校验结果", "", summary_line(result), ""]
    if publication is not None:
        lines[3:3] = ["", publication_line(publication)]
    if result.diagnostics:
        lines += ["| 位置 | 级别 | 代码 | 说明 |", "|---|---|---|---|"]
        for d in result.diagnostics:
            lines.append(
                f"| `{_cell(d.file)}:{d.line}:{d.column}` | {d.severity.label} | {d.code} | {_cell(d.message)} |"
            )
    return "\n".join(lines) + "\n"


def write_github(result, out: TextIO, publication: PublicationCount | None = None) -> None:
    for d in result.diagnostics:
        out.write(annotation(d) + "\n")
    out.write(summary_line(result) + "\n")
    if publication is not None:  # a notice: shown with the run's annotations, not only in its log
        out.write(f"::notice title={escape_property('发布情况')}::{escape_data(publication_line(publication))}\n")
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(step_summary(result, publication))


FORMATS: dict[str, Callable] = {"text": write_text, "json": write_json, "github": write_github}
