"""Bad input: every mistake an editor can make is a diagnostic at file:line:col, never a traceback.

Each case runs `python -m generator validate FILE --format json` and checks the code, the position, the
exit status (1 with an error, 0 with warnings only) and that no Python traceback reaches the editor.
"""

from __future__ import annotations

import json

import pytest
import tomli

GOOD_INDICATOR = """\
[[indicator]]
path = ["产出指标", "数量指标"]
name = "支付笔数"
target = "≥24 万笔"
actual = "24 万笔"
weight = 10
score = 10
"""


def line_of(text: str, startswith: str, nth: int = 0) -> int:
    hits = [
        i for i, ln in enumerate(text.replace("\r\n", "\n").split("\n"), start=1) if ln.lstrip().startswith(startswith)
    ]
    return hits[nth]


@pytest.fixture
def validate(run_cli):
    """validate(path) → (exit status, list of diagnostics as dicts)."""

    def go(path, *extra):
        proc = run_cli("validate", str(path), "--format", "json", *extra)
        assert "Traceback" not in proc.stdout and "Traceback" not in proc.stderr, proc.stderr
        assert "工具内部错误" not in proc.stderr, proc.stderr
        assert proc.returncode in (0, 1), (proc.returncode, proc.stderr)
        data = json.loads(proc.stdout)
        assert data["summary"]["error"] == sum(d["severity"] == "error" for d in data["diagnostics"])
        return proc.returncode, data["diagnostics"]

    return go


@pytest.fixture
def record(tmp_path, write_record, record_head):
    """record(body, head=None, md=…) → (path, text) of a record made of the valid head plus body."""

    def go(body: str = "", head: str | None = None, md="## 一、概况\n正文\n", name="x", year=2021):
        text = (record_head if head is None else head) + body
        return write_record(tmp_path, text, md, name=name, year=year), text

    return go


def only(diags, code):
    found = [d for d in diags if d["code"] == code]
    assert len(found) == 1, (code, diags)
    return found[0]


# ---------------------------------------------------------------------------- files and syntax


def test_toml_syntax_error_at_tomli_position(record, validate):
    path, text = record("total = 10\nsource = 巴彦淖尔市财政局\n")
    with pytest.raises(tomli.TOMLDecodeError) as exc:
        tomli.loads(text)
    status, diags = validate(path)
    e = only(diags, "E003")
    assert (e["line"], e["column"]) == (exc.value.lineno, exc.value.colno)
    assert e["line"] == line_of(text, "source =")
    assert "TOML" in e["message"]
    assert status == 1


def test_unclosed_string(record, validate):
    path, text = record('total = 10\nsource = "没有结束引号\nyear2 = 1\n')
    status, diags = validate(path)
    e = only(diags, "E003")
    assert e["line"] == line_of(text, "source =")
    assert status == 1


def test_wrong_type(record, validate):
    path, text = record("total = 10\n\n" + GOOD_INDICATOR.replace("weight = 10", 'weight = "10"'))
    status, diags = validate(path)
    e = only(diags, "E102")
    assert (e["line"], e["column"]) == (line_of(text, "weight ="), 1)
    assert "weight" in e["message"]
    assert status == 1


def test_missing_required_field_top_level(record, validate, record_head):
    head = record_head.replace('region = "某省某市"\n', "")
    path, text = record("total = 10\n", head=head)
    status, diags = validate(path)
    e = only(diags, "E101")
    assert "region" in e["message"]
    assert e["line"] == 1
    assert status == 1


def test_missing_required_field_in_indicator(record, validate):
    path, text = record("total = 10\n\n" + GOOD_INDICATOR.replace('name = "支付笔数"\n', ""))
    status, diags = validate(path)
    e = only(diags, "E101")
    assert "name" in e["message"]
    assert e["line"] == line_of(text, "[[indicator]]")
    assert status == 1


def test_bad_enum(record, validate, record_head):
    path, text = record("total = 10\n", head=record_head.replace('evaluation = "单位自评"', 'evaluation = "自评"'))
    status, diags = validate(path)
    e = only(diags, "E103")
    assert (e["line"], e["column"]) == (line_of(text, "evaluation ="), 1)
    assert "单位自评" in e["message"]  # lists the allowed values
    assert status == 1


def test_unknown_key_did_you_mean(record, validate):
    path, text = record("total = 10\n\n" + GOOD_INDICATOR.replace("weight = 10", "wieght = 10"))
    status, diags = validate(path)
    e = only(diags, "E104")
    assert (e["line"], e["column"]) == (line_of(text, "wieght ="), 1)
    assert "您是否想写 weight" in e["message"]
    assert status == 1


def test_unknown_table_is_located_at_its_header(record, validate):
    path, text = record("total = 10\n\n[budjet.balance]\npaid = 1\n")
    status, diags = validate(path)
    e = only(diags, "E104")
    assert e["line"] == line_of(text, "[budjet.balance]")
    assert "budget" in e["message"]
    assert status == 1


def test_chinese_key_alias(record, validate):
    path, text = record("total = 10\n\n" + GOOD_INDICATOR.replace("weight = 10", '"分值" = 10'))
    status, diags = validate(path)
    e = only(diags, "E104")
    assert e["line"] == line_of(text, '"分值"')
    assert "weight" in e["message"]


def test_gbk_encoded_file(record, validate, tmp_path, write_record, record_head):
    text = record_head + "total = 10\n"
    path = write_record(tmp_path, text.encode("gbk"))
    data = text.encode("gbk")
    first = next(i for i, b in enumerate(data) if b >= 0x80)
    line = data.count(b"\n", 0, first) + 1
    col = first - (data.rfind(b"\n", 0, first) + 1) + 1
    status, diags = validate(path)
    e = only(diags, "E001")
    assert (e["line"], e["column"]) == (line, col) == (line_of(text, "name ="), len('name = "') + 1)
    assert "GBK" in e["message"] and "UTF-8" in e["message"]
    assert status == 1


def test_gbk_encoded_narrative(record, validate):
    path, _ = record("total = 10\n\n" + GOOD_INDICATOR, md="## 一、概况\n正文\n".encode("gbk"))
    status, diags = validate(path)
    e = only(diags, "E113")
    assert e["file"].endswith("x.md")
    assert e["line"] == 1
    assert status == 1


def test_bom_is_a_warning_and_the_file_is_read(tmp_path, write_record, record_head, validate):
    text = record_head + "total = 8\n\n" + GOOD_INDICATOR.replace("score = 10", "score = 8")
    path = write_record(tmp_path, b"\xef\xbb\xbf" + text.encode("utf-8"))
    status, diags = validate(path)
    w = only(diags, "W002")
    assert (w["line"], w["column"]) == (1, 1)
    # parsed: the record's own problems are found, at the right lines
    w204 = only(diags, "W204")
    assert w204["line"] == line_of(text, "score =")
    assert status == 0


def test_crlf_line_endings(tmp_path, write_record, record_head, validate):
    text = record_head + "total = 10\n\n" + GOOD_INDICATOR.replace("score = 10", "score = 12")
    path = write_record(tmp_path, text.replace("\n", "\r\n").encode("utf-8"))
    status, diags = validate(path)
    w = only(diags, "W243")
    assert (w["line"], w["column"]) == (line_of(text, "score ="), 1)
    assert status == 0


@pytest.mark.parametrize("content", [b"", b"   \n\n  \n"])
def test_empty_file(tmp_path, write_record, validate, content):
    path = write_record(tmp_path, content)
    status, diags = validate(path)
    e = only(diags, "E004")
    assert (e["line"], e["column"]) == (1, 1)
    assert status == 1


def test_random_bytes(tmp_path, write_record, validate):
    path = write_record(tmp_path, bytes(range(256)) * 3)
    status, diags = validate(path)
    assert [d["code"] for d in diags] in (["E001"], ["E003"])
    assert status == 1


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "+nan"])
def test_nan_and_inf(record, validate, value):
    path, text = record("total = 10\n\n" + GOOD_INDICATOR.replace("weight = 10", f"weight = {value}"))
    status, diags = validate(path)
    e = only(diags, "E105")
    assert e["line"] == line_of(text, "weight =")
    assert status == 1


def test_nan_inside_rule_rows(record, validate):
    rule = 'rule = { kind = "deviation", bands = [[nan, 100], [20, 50]] }\n'
    path, text = record("total = 10\n\n" + GOOD_INDICATOR + rule)
    status, diags = validate(path)
    e = only(diags, "E105")
    assert e["line"] == line_of(text, "rule =")
    assert status == 1


@pytest.mark.parametrize("value", ["1e400", "12345678901234567890123"])
def test_huge_values(record, validate, value):
    path, text = record(f"total = {value}\n\n" + GOOD_INDICATOR)
    status, diags = validate(path)
    e = only(diags, "E105")
    assert e["line"] == line_of(text, "total =")
    assert status == 1


def test_negative_amount(record, validate):
    path, text = record("total = 10\n\n[budget]\nbudget = -5\n\n" + GOOD_INDICATOR)
    status, diags = validate(path)
    e = only(diags, "E106")
    assert e["line"] == line_of(text, "budget = -5")
    assert status == 1


def test_bad_date(record, validate, record_head):
    path, text = record("total = 10\n", head=record_head.replace('date = "2021"', 'date = "2021-13"'))
    status, diags = validate(path)
    e = only(diags, "E107")
    assert e["line"] == line_of(text, "date =")
    assert status == 1


@pytest.mark.parametrize("kind", ["arrays", "tables"])
def test_deep_nesting(record, validate, kind):
    value = "[" * 5000 + "]" * 5000 if kind == "arrays" else "{ a = " * 5000 + "1" + " }" * 5000
    path, text = record(f"total = 10\nsource = {value}\n")
    status, diags = validate(path)
    [e] = [d for d in diags if d["code"] in ("E109", "E003")]
    assert e["severity"] == "error"
    assert status == 1


def test_many_indicators(record, validate):
    body = "total = 0\n\n" + "".join(GOOD_INDICATOR.replace("支付笔数", f"指标{i}") for i in range(5001))
    path, _ = record(body)
    status, diags = validate(path)
    only(diags, "E109")
    assert status == 1


def test_path_not_a_list(record, validate):
    path, text = record("total = 10\n\n" + GOOD_INDICATOR.replace('path = ["产出指标", "数量指标"]', "path = 3"))
    status, diags = validate(path)
    e = only(diags, "E108")
    assert e["line"] == line_of(text, "path =")
    assert status == 1


def test_missing_path_is_reported(tmp_path, validate):
    status, diags = validate(tmp_path / "projects" / "nowhere")
    only(diags, "E005")
    assert status == 1


# ---------------------------------------------------------------------------- across records


def test_duplicate_records_across_two_files(record, validate, tmp_path):
    first, _ = record("total = 10\n\n" + GOOD_INDICATOR, name="a")
    second, text = record("total = 10\n\n" + GOOD_INDICATOR, name="b")
    status, diags = validate(tmp_path / "projects")
    e = only(diags, "E120")
    assert e["file"] == str(second)
    assert (e["line"], e["column"]) == (line_of(text, "id ="), 1)
    assert str(first) in e["message"]
    assert status == 1


def test_same_id_with_another_name(record, validate, tmp_path, record_head):
    record("total = 10\n\n" + GOOD_INDICATOR, name="a", year=2021)
    head = record_head.replace("year = 2021", "year = 2022").replace('name = "测试项目"', 'name = "另一个名称"')
    second, text = record("total = 10\n\n" + GOOD_INDICATOR, head=head, name="a", year=2022)
    status, diags = validate(tmp_path / "projects")
    w = only(diags, "W121")
    assert w["file"] == str(second)
    assert w["line"] == line_of(text, 'name = "另一个名称"')
    assert not [d for d in diags if d["code"] == "E120"]
    assert status == 0


def test_year_folder_mismatch(record, validate, tmp_path, record_head):
    path, text = record("total = 10\n\n" + GOOD_INDICATOR, year=2020)
    status, diags = validate(path)
    e = only(diags, "E126")
    assert e["line"] == line_of(text, "year =")
    assert status == 1


# ---------------------------------------------------------------------------- narrative


def test_missing_narrative(record, validate):
    path, _ = record("total = 10\n\n" + GOOD_INDICATOR, md=None)
    status, diags = validate(path)
    e = only(diags, "E110")
    assert e["file"] == str(path)
    assert "x.md" in e["message"]
    assert status == 1


@pytest.mark.parametrize("md", ["", "\n  \n"])
def test_empty_narrative(record, validate, md):
    path, _ = record("total = 10\n\n" + GOOD_INDICATOR, md=md)
    status, diags = validate(path)
    w = only(diags, "W111")
    assert w["file"] == str(path.with_suffix(".md"))
    assert (w["line"], w["column"]) == (1, 1)
    assert status == 0


# ---------------------------------------------------------------------------- scores

GROUPED = """\
total = 20

[[group]]
path = ["产出指标"]
weight = 25

[[indicator]]
path = ["产出指标", "数量指标"]
name = "甲"
target = "≥10 个"
actual = "10 个"
weight = 10
score = 10

[[indicator]]
path = ["产出指标", "质量指标"]
name = "乙"
target = "≥10 个"
actual = "10 个"
weight = 10
score = 10
"""


# A discrepancy in the published form is a warning (issue 11's severity model): the record is published with it.
def test_weights_not_adding_up(record, validate):
    path, text = record(GROUPED)
    status, diags = validate(path)
    w = only(diags, "W241")
    assert (w["line"], w["column"]) == (line_of(text, "weight = 25"), 1)
    assert "25" in w["message"] and "20" in w["message"]
    assert status == 0


def test_weights_not_adding_up_to_max_score(record, validate):
    path, text = record("max_score = 100\n" + GROUPED.replace("weight = 25", "weight = 20"))
    status, diags = validate(path)
    w = only(diags, "W242")
    assert w["line"] == line_of(text, "max_score =")
    assert status == 0


def test_score_above_weight(record, validate):
    path, text = record("total = 12\n\n" + GOOD_INDICATOR.replace("score = 10", "score = 12"))
    status, diags = validate(path)
    w = only(diags, "W243")
    assert (w["line"], w["column"]) == (line_of(text, "score ="), 1)
    assert status == 0


def test_missing_reason(record, validate):
    body = "total = 8\n\n" + GOOD_INDICATOR.replace('actual = "24 万笔"', 'actual = "19.2 万笔"').replace(
        "score = 10", "score = 8"
    )
    path, text = record(body)
    status, diags = validate(path)
    w = only(diags, "W204")
    assert w["line"] == line_of(text, "score =")
    assert not [d for d in diags if d["code"] == "W206"]
    assert status == 0


def test_total_not_sum(record, validate):
    path, text = record("total = 9\n\n" + GOOD_INDICATOR)
    status, diags = validate(path)
    w = only(diags, "W205")
    assert (w["line"], w["column"]) == (line_of(text, "total ="), 1)
    assert status == 0


def test_missing_total(record, validate):
    path, _ = record("\n" + GOOD_INDICATOR)
    status, diags = validate(path)
    e = only(diags, "E101")
    assert "total" in e["message"]
    assert status == 1


def test_wrong_grade(record, validate):
    path, text = record('total = 10\ngrade = "良"\n\n' + GOOD_INDICATOR)
    status, diags = validate(path)
    w = only(diags, "W212")
    assert w["line"] == line_of(text, "grade =")
    assert "优" in w["message"]
    assert status == 0


def test_missing_weight(record, validate):
    path, text = record("total = 10\n\n" + GOOD_INDICATOR.replace("weight = 10\n", ""))
    status, diags = validate(path)
    w = only(diags, "W244")
    assert w["line"] == line_of(text, "[[indicator]]")
    assert 'weight = "未公布"' in w["message"]
    assert status == 0


def test_unknown_rule_name(record, validate):
    path, text = record("total = 10\n\n" + GOOD_INDICATOR + 'rule = "支付笔"\n')
    status, diags = validate(path)
    e = only(diags, "E123")
    assert (e["line"], e["column"]) == (line_of(text, "rule ="), 1)
    assert "支付笔" in e["message"]
    assert status == 1


def test_unknown_rule_kind(record, validate):
    path, text = record("total = 10\n\n" + GOOD_INDICATOR + 'rule = { kind = "stepz", step = 1, points = 0.5 }\n')
    status, diags = validate(path)
    [e] = [d for d in diags if d["code"] in ("E103", "E124")]
    assert e["line"] == line_of(text, "rule =")
    assert "steps" in e["message"]
    assert status == 1


def test_bad_rule_params_inline(record, validate):
    path, text = record("total = 10\n\n" + GOOD_INDICATOR + 'rule = { kind = "steps", points = 0.5 }\n')
    status, diags = validate(path)
    e = only(diags, "E124")
    assert e["line"] == line_of(text, "rule =")
    assert "step" in e["message"]
    assert status == 1


def test_bad_rule_params_named(record, validate):
    body = "total = 10\n\n" + GOOD_INDICATOR + 'rule = "支付笔数"\n\n[rules."支付笔数"]\nkind = "steps"\npoints = 0.5\n'
    path, text = record(body)
    status, diags = validate(path)
    e = only(diags, "E124")
    assert e["line"] == line_of(text, '[rules."支付笔数"]')
    assert status == 1


def test_bad_rule_row_shape(record, validate):
    path, text = record(
        "total = 10\n\n" + GOOD_INDICATOR + 'rule = { kind = "levels", levels = [["好"], ["差", 20]] }\n'
    )
    status, diags = validate(path)
    e = only(diags, "E124")
    assert e["line"] == line_of(text, "rule =")
    assert status == 1


def test_unit_mismatch(record, validate):
    path, text = record("total = 10\n\n" + GOOD_INDICATOR.replace('actual = "24 万笔"', 'actual = "24 项"'))
    status, diags = validate(path)
    w = only(diags, "W211")
    assert w["line"] == line_of(text, "actual =")
    assert "万笔" in w["message"] and "项" in w["message"]
    assert status == 0


def test_units_that_convert_are_no_mismatch(record, validate):
    path, _ = record("total = 10\n\n" + GOOD_INDICATOR.replace('actual = "24 万笔"', 'actual = "240000 笔"'))
    status, diags = validate(path)
    assert not [d for d in diags if d["code"] in ("W211", "W206")]  # 240000 笔 is 24 万笔
    assert status == 0


def test_copied_target(record, validate):
    path, text = record("total = 10\n\n" + GOOD_INDICATOR.replace('actual = "24 万笔"', 'actual = "≥24 万笔"'))
    status, diags = validate(path)
    w = only(diags, "W210")
    assert w["line"] == line_of(text, "actual =")
    assert status == 0


def test_budget_rate_disagrees(record, validate):
    path, text = record("total = 10\n\n[budget]\nbudget = 200\nexecuted = 167.23\nrate = 83.61\n\n" + GOOD_INDICATOR)
    status, diags = validate(path)
    w = only(diags, "W301")
    assert w["line"] == line_of(text, "rate =")
    assert "83.62" in w["message"]
    assert status == 0


def test_budget_rate_agrees_at_published_precision(record, validate):
    for rate in ("83.62", "83.6", "84"):
        path, _ = record(f"total = 10\n\n[budget]\nbudget = 200\nexecuted = 167.23\nrate = {rate}\n\n" + GOOD_INDICATOR)
        _, diags = validate(path)
        assert not [d for d in diags if d["code"] == "W301"], rate


# ---------------------------------------------------------------------------- usage


@pytest.mark.parametrize(
    "args", [("validate", "--format", "xml"), ("no-such-command",), (), ("validate", "--no-such-option")]
)
def test_usage_error_exits_2(run_cli, args):
    proc = run_cli(*args)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "用法：" in proc.stdout + proc.stderr and "usage" not in (proc.stdout + proc.stderr).lower()
