"""Downloadable data: each record as TOML, JSON and CSV, and every published record together."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import struct
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import IO

from generator.core.decimals import fmt
from generator.core.report import project_report
from generator.core.scoring import Evaluation, published_grade

from .problems import report_data
from .project import finding_groups
from .unpublished import UNPUBLISHED, text

_NUMBER = re.compile(r"-?\d+(\.\d+)?$")
CSV_BOM = "\ufeff"  # Excel on Chinese Windows needs it to read UTF-8


def _cell(value: str) -> str:
    # A spreadsheet runs a cell that starts with = + - @ as a formula (“=100%” would show as 1):
    # a leading apostrophe keeps it text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.match(value) else value


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows([[_cell(c) for c in row] for row in rows])
    return (CSV_BOM + buf.getvalue()).encode("utf-8")


INDICATOR_HEADER = [
    "项目编号",
    "年度",
    "项目名称",
    "指标路径",
    "指标名称",
    "指标值",
    "实际完成值",
    "分值",
    "得分",
    "复核得分",
    "评分规则",
    "扣分原因",
]


def indicator_rows(ev: Evaluation) -> list[list[str]]:
    """The record's rows of indicators.csv (one per leaf indicator), in INDICATOR_HEADER order."""
    r = ev.record
    return [
        [
            r.id,
            _year(ev),
            r.name,
            " / ".join(leaf.indicator.path),
            leaf.indicator.name,
            text(leaf.indicator, "target", leaf.indicator.target),
            text(leaf.indicator, "actual", leaf.indicator.actual),
            _number(leaf.indicator, "weight", leaf.weight),
            _number(leaf.indicator, "score", leaf.indicator.score),
            fmt(leaf.computed),
            leaf.kind or "",
            text(leaf.indicator, "reason", leaf.indicator.reason),
        ]
        for leaf in ev.leaves
    ]


def _year(ev: Evaluation) -> str:
    return str(ev.record.year) if ev.record.year is not None else UNPUBLISHED


def _number(obj: object, name: str, value: object) -> str:
    """A figure as a CSV cell: the number, "未公布" where the source left it blank, or "" when not given."""
    return UNPUBLISHED if name in getattr(obj, "unpublished", ()) else fmt(value)  # type: ignore[arg-type]


def public_report(ev: Evaluation) -> dict:
    """The record's JSON report as published: with its published grade and, instead of the editors' diagnostics
    (codes, files, lines, instructions), the findings as the project page words them, under their headings."""
    data = project_report(ev)
    data["published_grade"] = published_grade(ev)
    del data["diagnostics"]
    data["findings"] = [
        {"section": heading, "text": text} for heading, texts in finding_groups(ev.diagnostics) for text in texts
    ]
    data.update(report_data(ev.record))  # problems, recommendations, follow_up, result_use (issue 17)
    return data


def project_files(ev: Evaluation) -> tuple[list[tuple[str, str, bytes]], bytes]:
    """(extension, label, bytes) of the files offered on a project page, and the record's share of the
    site-wide data files, already encoded (see pack_chunks), built from the same rows and report."""
    report = json.dumps(public_report(ev), ensure_ascii=False, indent=2)
    rows = indicator_rows(ev)
    files = [
        ("toml", "记录原文（TOML）", ev.record.toml_text.encode("utf-8")),
        ("json", "复核结果（JSON）", (report + "\n").encode("utf-8")),
        ("csv", "指标明细（CSV，Excel 可直接打开）", _csv([INDICATOR_HEADER] + rows)),
        ("xlsx", "自评表（Excel，全国通用格式）", _xlsx(ev)),
    ]
    chunks = (
        _csv([project_row(ev)])[len(CSV_BOM.encode()) :],
        _csv(rows)[len(CSV_BOM.encode()) :],
        ("    " + report.replace("\n", "\n    ")).encode("utf-8"),
    )
    return files, pack_chunks(chunks)


def pack_chunks(chunks: tuple[bytes, bytes, bytes]) -> bytes:
    """A project's line of projects.csv, its rows of indicators.csv and its entry in projects.json, as one blob."""
    return struct.pack("<III", *map(len, chunks)) + b"".join(chunks)


def unpack_chunks(blob: bytes) -> tuple[bytes, bytes, bytes]:
    """The three chunks pack_chunks joined, in the same order."""
    a, b, c = struct.unpack_from("<III", blob)
    start = struct.calcsize("<III")
    return blob[start : start + a], blob[start + a : start + a + b], blob[start + a + b : start + a + b + c]


def _xlsx(ev: Evaluation) -> bytes:
    """The record in the national self-evaluation form."""
    from generator.office.export_xlsx import export_bytes

    return export_bytes(ev.record)


PROJECT_HEADER = [
    "项目编号",
    "年度",
    "项目名称",
    "地区",
    "主管部门",
    "实施单位",
    "评价类型",
    "评价机构",
    "评价日期",
    "满分",
    "公布总分",
    "公布等级",
    "复核总分",
    "复核总分范围",
    "复核等级",
    "金额单位",
    "预算数",
    "执行数",
    "执行率(%)",
]


def project_row(ev: Evaluation) -> list[str]:
    """The record's row of projects.csv, in PROJECT_HEADER order."""
    r = ev.record
    b = r.budget
    base = "budget" if b is not None and b.budget is not None else "initial"  # the figure Budget.base reads
    return [
        r.id,
        _year(ev),
        r.name,
        r.region,
        text(r, "department", r.department),
        text(r, "implementer", r.implementer),
        r.evaluation,
        text(r, "evaluator", r.evaluator),
        text(r, "date", r.date),
        fmt(ev.max_score) if r.scored else "",
        _number(r, "total", r.total) if r.scored else "",
        published_grade(ev) or (UNPUBLISHED if r.scored and "grade" in r.unpublished else ""),
        fmt(ev.computed_total),
        _SCOPE_WORDS.get(ev.total_scope.value, "") if r.scored and ev.total_scope is not None else "",
        ev.grade or "",
        b.unit if b else "",
        _number(b, base, b.base) if b else "",
        _number(b, "executed", b.executed) if b else "",
        fmt(ev.execution_rate),
    ]


# 复核总分范围: what the computed total covers (scoring.TotalScope), in the words the pages use
_SCOPE_WORDS = {"complete": "完整", "partial": "已公布部分合计", "not_computable": "无法计算"}


SITE_FILES = ("data/projects.csv", "data/indicators.csv", "data/projects.json")


def write_site_files(
    chunks: Iterable[tuple[bytes, bytes, bytes]], open_file: Callable[[str], AbstractContextManager[IO[bytes]]]
) -> None:
    """data/projects.csv, data/indicators.csv and data/projects.json, written record by record from
    each record's encoded share (see pack_chunks): at 10,000 projects the indicator rows alone would
    be several hundred MB as Python objects."""
    with (
        open_file(SITE_FILES[0]) as projects,
        open_file(SITE_FILES[1]) as indicators,
        open_file(SITE_FILES[2]) as whole,
    ):
        projects.write(_csv([PROJECT_HEADER]))
        indicators.write(_csv([INDICATOR_HEADER]))
        whole.write(b'{\n  "projects": [\n')
        first = True
        for row, rows, report in chunks:
            projects.write(row)
            indicators.write(rows)
            if not first:
                whole.write(b",\n")
            whole.write(report)
            first = False
        whole.write(b"\n  ]\n}\n" if not first else b"]\n}\n")


def site_files(chunks: Iterable[tuple[bytes, bytes, bytes]]) -> list:
    """The same three files, in memory (for a small site, or another engine's output)."""
    from .outputs import Asset

    buffers: dict[str, io.BytesIO] = {}

    @contextlib.contextmanager
    def open_memory(path: str) -> Iterator[io.BytesIO]:
        buffers[path] = io.BytesIO()
        yield buffers[path]

    write_site_files(chunks, open_memory)
    return [Asset(path, buffers[path].getvalue()) for path in SITE_FILES]
