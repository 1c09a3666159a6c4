"""Key paths → line:column in the TOML text (generator.toml_positions)."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli

from generator.core.toml_positions import build_index

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "projects").glob("*/*.toml"))

DOC = (
    '''\
#:schema ../../schema/record.schema.json
id = "p"            # comment with = and [brackets]
name = "名称 # not a comment"
total = 80

[budget]
budget = 22.5
  executed = 0

[[budget.sources]]
name = "当年财政拨款"

[[budget.sources]]
name = "上年结转"
rate = 0

[budget.balance]
paid = 1

[[indicator]]
path = ["产出指标", "数量指标"]
name = "甲"
criteria = """
[[indicator]]
score = 99
name = "not a key"
"""
score = 5

[[indicator]]
path = [
  "产出指标",  # comment ] [
  "质量指标",
]
name = "乙"
rule = { kind = "steps", step = 1, points = 0.5 }
target = \'\'\'
weight = 3\'\'\'
score = 4

[rules."支付笔数"]
kind = "steps"

[monitoring]
period = "1-6月"

[[monitoring.indicator]]
name = "m0"

[[monitoring.indicator]]
name = "m1"
"""'''.rstrip('"').rstrip()
    + "\n"
)


def line_no(text: str, startswith: str, nth: int = 0) -> int:
    hits = [i for i, ln in enumerate(text.split("\n"), start=1) if ln.lstrip().startswith(startswith)]
    return hits[nth]


@pytest.fixture(scope="module")
def index():
    tomli.loads(DOC)  # the sample is valid TOML
    return build_index(DOC)


def test_top_level_keys(index):
    assert index.locate(("id",)) == (line_no(DOC, "id ="), 1)
    assert index.locate(("name",)) == (line_no(DOC, 'name = "名称'), 1)
    assert index.locate(("total",)) == (line_no(DOC, "total ="), 1)


def test_table_and_column(index):
    assert index.locate(("budget",)) == (line_no(DOC, "[budget]"), 1)
    assert index.locate(("budget", "budget")) == (line_no(DOC, "budget = 22.5"), 1)
    assert index.locate(("budget", "executed")) == (line_no(DOC, "executed ="), 3)  # indented by two spaces


def test_arrays_of_tables_are_indexed(index):
    assert index.locate(("budget", "sources", 0)) == (line_no(DOC, "[[budget.sources]]", 0), 1)
    assert index.locate(("budget", "sources", 1, "name"))[0] == line_no(DOC, 'name = "上年结转"')
    assert index.locate(("budget", "sources", 1, "rate"))[0] == line_no(DOC, "rate = 0")
    assert index.locate(("budget", "balance", "paid"))[0] == line_no(DOC, "paid =")
    assert index.locate(("indicator", 0, "name"))[0] == line_no(DOC, 'name = "甲"')
    assert index.locate(("indicator", 1, "name"))[0] == line_no(DOC, 'name = "乙"')
    assert index.locate(("monitoring", "indicator", 1, "name"))[0] == line_no(DOC, 'name = "m1"')
    assert index.locate(("monitoring", "period"))[0] == line_no(DOC, "period =")


def test_multiline_strings_are_not_scanned_for_keys(index):
    # the criteria text contains "[[indicator]]" and "score = 99"; the real score follows it
    assert index.locate(("indicator", 0, "score"))[0] == line_no(DOC, "score = 5")
    assert index.locate(("indicator", 0, "criteria"))[0] == line_no(DOC, "criteria =")
    assert index.locate(("indicator", 1, "score"))[0] == line_no(DOC, "score = 4")
    assert ("indicator", 2) not in index.positions
    assert index.locate(("indicator", 1, "weight")) == index.locate(("indicator", 1))  # only inside a string


def test_multiline_array_with_comments(index):
    assert index.locate(("indicator", 1, "path"))[0] == DOC.split("\n").index("path = [") + 1
    assert index.locate(("indicator", 1, "rule"))[0] == line_no(DOC, "rule = {")


def test_quoted_keys(index):
    assert index.locate(("rules", "支付笔数"))[0] == line_no(DOC, '[rules."支付笔数"]')
    assert index.locate(("rules", "支付笔数", "kind"))[0] == line_no(DOC, 'kind = "steps"')


def test_locate_falls_back_to_deepest_written_prefix(index):
    # keys inside an inline table point at the line of the inline table
    assert index.locate(("indicator", 1, "rule", "step")) == index.locate(("indicator", 1, "rule"))
    assert index.locate(("indicator", 0, "weight")) == (line_no(DOC, "[[indicator]]", 0), 1)
    assert index.locate(("nothing", "here")) == (1, 1)
    assert index.locate(()) == (1, 1)


def test_dotted_keys():
    text = 'a = 1\nrules.x.kind = "zero"\n[t]\nsub.key = 2\n'
    idx = build_index(text)
    assert idx.locate(("rules", "x", "kind")) == (2, 1)
    assert idx.locate(("rules", "x")) == (2, 1)
    assert idx.locate(("t", "sub", "key")) == (4, 1)


def test_crlf_line_endings_give_the_same_positions(index):
    crlf = build_index(DOC.replace("\n", "\r\n"))
    assert crlf.positions == index.positions


def test_unicode_line_separators_do_not_shift_lines():
    # TOML allows U+2028/U+2029/U+0085 inside strings and comments; they are not line breaks
    text = 'a = "x\u2028y\u0085z"\n# note\u2029more\nb = 2\n[t]\nc = """\nline\u2028still\n"""\nd = 4\n'
    tomli.loads(text)
    idx = build_index(text)
    assert idx.locate(("b",)) == (3, 1)
    assert idx.locate(("t", "c")) == (5, 1)
    assert idx.locate(("t", "d")) == (8, 1)


def test_escaped_backslash_before_closing_quotes():
    text = 'a = """\nC:\\\\dir\\\\"""\nb = 2\n[[indicator]]\nname = "x"\n'
    assert tomli.loads(text)["a"] == "C:\\dir\\"
    idx = build_index(text)
    assert idx.locate(("b",)) == (3, 1)
    assert idx.locate(("indicator", 0, "name")) == (5, 1)


def test_escaped_quote_inside_multiline_string():
    text = 'a = """x\\"""" \nb = 2\n'
    assert tomli.loads(text)["a"] == 'x"'
    assert build_index(text).locate(("b",)) == (2, 1)


# ---------------------------------------------------------------------------- every key of every seed


def _walk(data, path, index, text_lines):
    """Yield (path, line) for every written key: tables are descended, inline tables are leaves."""
    for key, value in data.items():
        p = path + (key,)
        line, col = index.locate(p)
        yield p, key, line, col
        if isinstance(value, dict) and text_lines[line - 1].lstrip().startswith("["):
            yield from _walk(value, p, index, text_lines)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            header_line = text_lines[line - 1].lstrip()
            if header_line.startswith("[["):
                for i, item in enumerate(value):
                    yield from _walk(item, p + (i,), index, text_lines)


def _written_key(key: str) -> tuple[str, ...]:
    return (key, f'"{key}"', f"'{key}'")


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_every_seed_key_is_located_on_its_own_line(path):
    text = path.read_text(encoding="utf-8")
    data = tomli.loads(text)
    index = build_index(text)
    lines = text.split("\n")
    count = 0
    for keypath, key, line, col in _walk(data, (), index, lines):
        written = lines[line - 1]
        stripped = written.lstrip()
        assert col == len(written) - len(stripped) + 1
        if stripped.startswith("["):
            assert any(w in stripped for w in _written_key(key)), (keypath, written)
        else:
            assert stripped.startswith(_written_key(key)), (keypath, line, written)
        count += 1
    assert count > 50


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_seed_indicator_scores(path):
    text = path.read_text(encoding="utf-8")
    data = tomli.loads(text)
    index = build_index(text)
    lines = text.split("\n")
    headers = [i for i, ln in enumerate(lines, start=1) if ln.strip() == "[[indicator]]"]
    assert len(headers) == len(data.get("indicator", []))
    for i, ind in enumerate(data.get("indicator", [])):
        end = headers[i + 1] if i + 1 < len(headers) else len(lines) + 1
        for key in ("name", "score", "actual", "weight"):
            if key in ind:
                line, _ = index.locate(("indicator", i, key))
                assert headers[i] < line < end
                assert lines[line - 1].startswith(f"{key} =")
