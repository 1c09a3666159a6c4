"""Hostile or unlucky input found in review: it must become a diagnostic or safe text, never a crash or live HTML."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

from generator.core.diagnostics import sort_key
from generator.core.pipeline import run
from generator.core.quantity import parse
from generator.render.downloads import _csv
from generator.render.narrative import render_narrative
from generator.render.text import front_matter

ROOT = Path(__file__).resolve().parent.parent
SCORED = """
scheme = "national-self"
total = 10

[[indicator]]
path = ["产出指标", "数量指标"]
name = "完成项目数"
target = "≥10 个"
actual = "10 个"
weight = 10
score = 10
"""


def codes(result) -> list[str]:
    return [d.code for d in result.diagnostics]


def test_narrative_code_block_with_a_blank_line_renders_no_live_link():
    html = render_narrative("```\nline1\n\n[x](javascript:alert(1))\n```\n\n    indented\n\n    more\n")
    assert "\n\n" not in html  # the site adapter splits pages at blank lines
    assert "javascript:alert" in html and 'href="javascript' not in html
    assert "<pre><code>line1&#10;" in html


def test_front_matter_escapes_characters_yaml_refuses():
    import yaml

    head = front_matter("<img src=x onerror=alert(1)>\u007f\u0080")
    data = yaml.safe_load(head.strip("-\n"))
    assert data["title"] == "<img src=x onerror=alert(1)>\u007f\u0080"


def test_control_characters_in_text_are_an_error(tmp_path, write_record, record_head):
    path = write_record(tmp_path, record_head.replace('name = "测试项目"', 'name = "测试\\u0085项目"'))
    result = run([str(path)])
    assert "E114" in codes(result)
    d = next(d for d in result.diagnostics if d.code == "E114")
    assert d.line == 2 and "U+0085" in d.message


def test_figures_beyond_decimal_range_become_an_error_not_a_crash(tmp_path, write_record, record_head):
    text = (
        record_head
        + "\n[budget]\ninitial = 0.000000000000000001\nbudget = 0.000000000000000001\nexecuted = 1000000000\n"
        + SCORED
    )
    path = write_record(tmp_path, text)
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "validate", str(path)], cwd=ROOT, capture_output=True, text=True
    )
    assert "Traceback" not in proc.stdout + proc.stderr and "内部错误" not in proc.stderr
    assert proc.returncode in (0, 1)


def test_reverse_ratio_with_a_negative_target_is_a_warning(tmp_path, write_record, record_head):
    text = record_head + SCORED.replace('target = "≥10 个"', 'target = "≤-2%"').replace(
        'actual = "10 个"', 'actual = "0%"'
    ).replace("weight = 10", 'weight = 10\nrule = "ratio"')
    result = run([str(write_record(tmp_path, text))])
    assert "W209" in codes(result)


def test_thousands_separators_before_a_chinese_unit():
    assert parse("≥1,000万元").value == 1000
    assert parse("≥2,000,000元").value == 2000000


def test_deadlines_are_lower_is_better():
    q = parse("3个工作日内")
    assert (q.op, q.value, q.unit) == ("<=", 3, "个工作日")
    assert parse("12月底前").direction == "lower"


def test_csv_cells_never_start_a_formula():
    rows = list(
        csv.reader(io.StringIO(_csv([["=100%", "-5", "+1", "@x", "正常", '=HYPERLINK("x")']]).decode("utf-8-sig")))
    )
    assert rows[0] == ["'=100%", "-5", "'+1", "'@x", "正常", '\'=HYPERLINK("x")']


def test_two_records_for_the_same_page_are_an_error(tmp_path, write_record, record_head):
    write_record(tmp_path, record_head, name="same")
    sub = tmp_path / "projects" / "2021" / "sub"
    sub.mkdir()
    (sub / "same.toml").write_text(record_head.replace('id = "test-project"', 'id = "other"'), encoding="utf-8")
    (sub / "same.md").write_text("## 一、概况\n正文\n", encoding="utf-8")
    result = run([str(tmp_path / "projects")])
    assert codes(result).count("E127") == 1


def test_diagnostics_order_does_not_depend_on_hashing(tmp_path, write_record):
    path = write_record(tmp_path, 'id = "x"\nyear = 2021\n')
    outputs = set()
    for seed in ("0", "1", "2", "3"):
        proc = subprocess.run(
            [sys.executable, "-m", "generator", "validate", str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.add(proc.stdout)
    assert len(outputs) == 1
    result = run([str(path)])
    assert result.diagnostics == sorted(result.diagnostics, key=sort_key)


def test_narrative_rate_quote_with_a_space_before_the_range_word(tmp_path, write_record, record_head):
    text = record_head + "\n[budget]\nbudget = 100\nexecuted = 97\n"
    path = write_record(tmp_path, text, "## 一、概况\n要求预算执行率达到95% 以上。\n")
    assert "W306" not in codes(run([str(path)]))
