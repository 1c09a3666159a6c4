"""`--format github`: workflow-command annotations with escaping, and the Markdown step summary."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys

import pytest

from generator.cli.output_formats import annotation, escape_data, escape_property, step_summary, write_github
from generator.core import diagnostics as dg
from generator.core.pipeline import Result
from generator.publish.policy import PublicationCount


def _diag(code="W206", file="projects/2021/x.toml", line=12, column=3, message="说明") -> dg.Diagnostic:
    return dg.make(code, file, line, column, message)


def _result(diags, files=("projects/2021/x.toml",)) -> Result:
    return Result(diagnostics=list(diags), files=list(files))


def _unescape(text: str) -> str:
    """What the GitHub runner does to a value: %25 %0D %0A %3A %2C back to characters."""
    return re.sub(
        r"%(25|0D|0A|3A|2C)", lambda m: {"25": "%", "0D": "\r", "0A": "\n", "3A": ":", "2C": ","}[m.group(1)], text
    )


def _parse(line: str) -> tuple[str, dict[str, str], str]:
    """Split `::level k=v,k=v::message` the way the runner does (on the raw, escaped text)."""
    m = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", line)
    assert m, f"not a workflow command: {line!r}"
    props = dict(p.split("=", 1) for p in m.group(2).split(","))
    return m.group(1), {k: _unescape(v) for k, v in props.items()}, _unescape(m.group(3))


# ---------------------------------------------------------------------------- escaping


@pytest.mark.parametrize(
    "raw, escaped",
    [
        ("100%", "100%25"),
        ("a\rb", "a%0Db"),
        ("a\nb", "a%0Ab"),
        ("a\r\nb", "a%0D%0Ab"),
        ("%0A", "%250A"),  # a literal %0A must not turn into a newline
        ("文件:行,列", "文件:行,列"),  # data keeps : and ,
    ],
)
def test_escape_data(raw, escaped):
    assert escape_data(raw) == escaped
    assert _unescape(escaped) == raw


@pytest.mark.parametrize(
    "raw, escaped",
    [
        ("C:\\x,y.toml", "C%3A\\x%2Cy.toml"),
        ("50%,\n", "50%25%2C%0A"),
        ("a:b", "a%3Ab"),
        ("%3A", "%253A"),  # the escape character itself is escaped first
    ],
)
def test_escape_property(raw, escaped):
    assert escape_property(raw) == escaped
    assert _unescape(escaped) == raw


def test_annotation_has_file_line_col_and_title():
    level, props, message = _parse(annotation(_diag("E102", "projects/2021/x.toml", 7, 9, "字段 year 应为整数")))
    assert level == "error"
    assert props == {"file": "projects/2021/x.toml", "line": "7", "col": "9", "title": "E102 字段类型错误"}
    assert message == "字段 year 应为整数"


@pytest.mark.parametrize("code, level", [("E101", "error"), ("W206", "warning"), ("I207", "notice")])
def test_annotation_level_follows_severity(code, level):
    assert annotation(_diag(code)).startswith(f"::{level} ")


def test_annotation_escapes_message_and_properties():
    nasty_file = "projects/2021/a,b:c%.toml"
    message = "执行率 95%\n第二行\r，含:冒号,逗号"
    line = annotation(_diag("W301", nasty_file, 3, 1, message))
    assert "\n" not in line and "\r" not in line
    level, props, got = _parse(line)
    assert props["file"] == nasty_file
    assert props["title"] == "W301 " + dg.CODES["W301"].title
    assert got == message
    # in the message part : and , stay as they are (only properties escape them)
    assert ":冒号,逗号" in line.split("::", 2)[2]


def test_every_code_title_survives_a_round_trip():
    for code, info in dg.CODES.items():
        _, props, _ = _parse(annotation(_diag(code)))
        assert props["title"] == f"{code} {info.title}"


# ---------------------------------------------------------------------------- output and step summary


def test_write_github_prints_one_line_per_diagnostic_and_summary(monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    diags = [_diag("E102", line=1), _diag("W206", line=2), _diag("I207", line=3)]
    out = io.StringIO()
    write_github(_result(diags), out)
    lines = out.getvalue().splitlines()
    assert [ln.split(" ", 1)[0] for ln in lines[:3]] == ["::error", "::warning", "::notice"]
    assert lines[3] == "共检查 1 个记录文件：错误 1 个，警告 1 个，提示 1 个。"
    assert len(lines) == 4


def test_step_summary_written_when_env_set(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("前一步的内容\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    # more than GitHub's 10 annotations per step: the summary keeps the complete list
    diags = [_diag("W206", line=i, message=f"问题 {i}") for i in range(1, 16)]
    diags.append(_diag("E102", file="projects/2021/y|z.toml", line=99, message="竖线 | 与\n换行"))
    write_github(_result(diags, files=("a", "b")), io.StringIO())
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("前一步的内容\n")  # appended, never truncated
    assert "## 绩效评价记录校验结果" in text
    assert "共检查 2 个记录文件：错误 1 个，警告 15 个，提示 0 个。" in text
    rows = [ln for ln in text.splitlines() if ln.startswith("| `")]
    assert len(rows) == 16
    assert all(ln.count(" | ") == 3 for ln in rows)  # escaped pipes do not add columns
    assert "| `projects/2021/x.toml:15:3` | 警告 | W206 | 问题 15 |" in rows
    assert "y\\|z.toml:99:3" in text and "竖线 \\| 与 换行" in text


def test_step_summary_without_diagnostics_has_no_table():
    text = step_summary(_result([]))
    assert "错误 0 个" in text and "| 位置 |" not in text


def test_no_summary_file_without_env(tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)
    write_github(_result([_diag()]), io.StringIO())
    assert list(tmp_path.iterdir()) == []


def _publication() -> PublicationCount:
    count = PublicationCount(dt.date(2025, 1, 1), published=3, errors=1)
    count.drafts.append("projects/2024/d.toml")
    count.embargoed += [("projects/2024/e.toml", dt.date(2027, 3, 1)), ("projects/2024/f.toml", dt.date(2026, 7, 1))]
    return count


def test_publication_is_a_notice_after_the_summary(monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    out = io.StringIO()
    write_github(_result([_diag("W206")]), out, _publication())
    lines = out.getvalue().splitlines()
    assert lines[1].startswith("共检查 1 个记录文件")
    level, props, message = _parse(lines[2])
    assert (level, props) == ("notice", {"title": "发布情况"})
    assert message == "将发布 3 个，草稿 1 个，未到公开日期 2 个（最早 2026-07-01 公开），有错误暂不发布 1 个。"
    assert len(lines) == 3


def test_step_summary_has_the_publication_line():
    text = step_summary(_result([]), _publication())
    assert text.splitlines()[2:5] == [
        "共检查 1 个记录文件：错误 0 个，警告 0 个，提示 0 个。",
        "",
        "将发布 3 个，草稿 1 个，未到公开日期 2 个（最早 2026-07-01 公开），有错误暂不发布 1 个。",
    ]


def test_cli_github_format_on_a_broken_record(tmp_path, write_record, record_head, repo_root):
    write_record(tmp_path, record_head.replace("year = 2021", 'year = "2021"'))
    summary = tmp_path / "summary.md"
    env = dict(os.environ, GITHUB_STEP_SUMMARY=str(summary), PYTHONPATH=str(repo_root))
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "validate", "projects", "--format", "github"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert proc.returncode == 1
    level, props, message = _parse(proc.stdout.splitlines()[0])
    assert level == "error" and props["title"].startswith("E102 ")
    assert props["file"] == os.path.join("projects", "2021", "x.toml")
    assert props["line"] == "3" and props["col"] == "1"
    assert "year" in message
    assert "E102" in summary.read_text(encoding="utf-8")
