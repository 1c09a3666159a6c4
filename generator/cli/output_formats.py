"""Ways of printing diagnostics: compiler-style text, JSON, GitHub Actions annotations."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import TextIO

from generator.core import diagnostics as dg


def counts(diags: list[dg.Diagnostic]) -> dict[str, int]:
    out = {"error": 0, "warning": 0, "info": 0}
    for d in diags:
        out[d.severity.value] += 1
    return out


def summary_line(result) -> str:
    c = counts(result.diagnostics)
    return f"共检查 {len(result.files)} 个记录文件：错误 {c['error']} 个，警告 {c['warning']} 个，提示 {c['info']} 个。"


def write_text(result, out: TextIO) -> None:
    for d in result.diagnostics:
        out.write(d.to_text() + "\n")
    out.write(summary_line(result) + "\n")


def write_json(result, out: TextIO) -> None:
    c = counts(result.diagnostics)
    json.dump(
        {"files": result.files, "summary": c, "diagnostics": [d.to_json() for d in result.diagnostics]},
        out,
        ensure_ascii=False,
        indent=2,
    )
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


def step_summary(result) -> str:
    lines = ["## 绩效评价记录校验结果", "", summary_line(result), ""]
    if result.diagnostics:
        lines += ["| 位置 | 级别 | 代码 | 说明 |", "|---|---|---|---|"]
        for d in result.diagnostics:
            lines.append(
                f"| `{_cell(d.file)}:{d.line}:{d.column}` | {d.severity.label} | {d.code} | {_cell(d.message)} |"
            )
    return "\n".join(lines) + "\n"


def write_github(result, out: TextIO) -> None:
    for d in result.diagnostics:
        out.write(annotation(d) + "\n")
    out.write(summary_line(result) + "\n")
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(step_summary(result))


FORMATS: dict[str, Callable] = {"text": write_text, "json": write_json, "github": write_github}
