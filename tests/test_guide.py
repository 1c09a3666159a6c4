"""The editors' guide: generated pages cover every registry entry; hand-written pages hold together."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.core import diagnostics as dg
from generator.core.fields import RECORD_FIELDS, RULE_FIELDS
from generator.core.rules import KINDS
from generator.core.schemes import load_library
from generator.render import guide
from generator.render.guide import data
from generator.render.guide.data import read_toml
from generator.render.guide_pages import WRITTEN_GUIDE_DIR

ROOT = Path(__file__).resolve().parent.parent
GUIDE = WRITTEN_GUIDE_DIR  # the hand-written pages, shipped with the package
GENERATED = ("codes.md", "fields.md", "rules.md", "grades.md")
HAND_WRITTEN = ("index.md", "records.md", "publishing.md", "editor.md")


@pytest.fixture(scope="module")
def library():
    return load_library(None)


@pytest.fixture(scope="module")
def codes_page() -> str:
    return guide.diagnostic_codes_page()


@pytest.fixture(scope="module")
def fields_page() -> str:
    return guide.fields_page()


@pytest.fixture(scope="module")
def rules_page(library) -> str:
    return guide.rule_kinds_page(library)


@pytest.fixture(scope="module")
def grades_page(library) -> str:
    return guide.grade_bands_page(library)


# ---------------------------------------------------------------------------- diagnostic codes


def test_codes_page_lists_every_code_with_meaning_and_fix(codes_page):
    for code, info in dg.CODES.items():
        heading = f"### {code} {info.title}"
        assert f'<a id="{code.lower()}"></a>\n\n{heading}\n' in codes_page, code
        section = codes_page.split(heading, 1)[1].split("\n### ", 1)[0]
        assert f"**级别**：{info.severity.label}" in section, code
        assert info.meaning in section, code
        assert info.fix in section, code
        assert f"| {code} | {info.severity.label} |" in codes_page, code
    assert f"共 {len(dg.CODES)} 个代码" in codes_page


def test_codes_page_follows_the_registry(monkeypatch):
    extra = dg.CodeInfo("W999", dg.Severity.WARNING, "测试用代码", "只在测试中出现。", "无需处理。")
    monkeypatch.setitem(dg.CODES, "W999", extra)
    page = guide.diagnostic_codes_page()
    assert "### W999 测试用代码" in page and "只在测试中出现。" in page


def test_codes_page_has_no_duplicate_headings(codes_page):
    headings = re.findall(r"^### (\S+)", codes_page, flags=re.M)
    assert len(headings) == len(set(headings)) == len(dg.CODES)
    anchors = re.findall(r'<a id="([^"]+)"></a>', codes_page)
    assert sorted(anchors) == sorted(c.lower() for c in dg.CODES)


# ---------------------------------------------------------------------------- fields


def _rows(page: str) -> set[str]:
    return set(re.findall(r"^\| `([^`]+)` \|", page, flags=re.M))


def test_fields_page_lists_every_field(fields_page):
    def walk(fields, prefix):
        for f in fields:
            yield prefix, f
            if f.fields:
                header = f"[[{prefix + f.name}]]" if f.kind == "tables" else f"[{prefix + f.name}]"
                assert f"`{header}` {f.description}" in fields_page, header
                yield from walk(f.fields, prefix + f.name + ".")

    rows = _rows(fields_page)
    for prefix, f in walk(RECORD_FIELDS, ""):
        assert f.name in rows, prefix + f.name
        assert f.description in fields_page, prefix + f.name
        for choice in f.choices:
            assert f"`{choice}`" in fields_page, (f.name, choice)
    for f in RULE_FIELDS:
        assert f.name in rows, f"rules.{f.name}"
    assert "`[rules.名称]`" in fields_page


def test_fields_page_marks_required_fields(fields_page):
    for f in RECORD_FIELDS:
        row = next(ln for ln in fields_page.splitlines() if ln.startswith(f"| `{f.name}` |"))
        assert ("| 必填 |" in row) == f.required, f.name


def test_all_field_names_cover_the_model():
    names = guide.all_field_names()
    assert {"id", "budget.sources.name", "indicator.rule", "monitoring.indicator.likelihood", "rules.*.kind"} <= names


# ---------------------------------------------------------------------------- rule kinds


def test_rules_page_describes_every_kind_and_parameter(rules_page):
    for name, kind in KINDS.items():
        assert f'<a id="{name}"></a>\n\n## {name} {kind.title}\n' in rules_page, name
        section = rules_page.split(f"## {name} {kind.title}", 1)[1].split("\n## ", 1)[0]
        assert kind.description in section
        for p in kind.params:
            assert f"| `{p.name}` |" in section, (name, p.name)
        if kind.example:
            assert kind.example in section


@pytest.mark.parametrize(
    "fragment",
    [
        # 002 大鹏：≥24 万笔，22.08 万笔 → 差 2 档 → 1 分
        "完成值 22.08 与 24 相差 1.92，计 2 档，每档扣 0.5 分；复核得分 **1 分**；公布得分 1 分",
        # 004 苏州：执行率 93% 按 100%–130% 满分区间 → 3.9 分，公布 6 分 → W206
        "完成率 93%，低于 100% 7 个百分点，每点扣分值的 5%；复核得分 **3.9 分**；公布得分 6 分",
        "[W206](codes.md#w206)",
        # 004 苏州：24 ÷ 11 → 2.18 ×10 + 2.20；22 ÷ 9 → 2.44 ×8 + 2.48
        "保留两位小数为 2.18；前 10 项各 2.18 分，最后一项 24 − 2.18 × 10 = **2.20 分**",
        "最后一项 22 − 2.44 × 8 = **2.48 分**",
        # 003 富民：95% 门槛
        "执行率 95.52% ≥ 95%，得满分；复核得分 **2 分**",
        "执行率 90%，比 95% 低 5 个百分点，每点扣分值的 1%；复核得分 **1.9 分**",
        # 000 巴彦淖尔：0 ÷ 22.5
        "执行率 0%，min(执行率, 100%) × 10；复核得分 **0 分**",
        # 001 蔡甸：不计分
        "scored = false",
        "167.23 ÷ 200 = 83.62%",
        # 酌情扣分、清单、定性
        "酌情扣 0.5 分；复核得分 **1.5 分**",
        "1 项不符合，每项扣 1 分；复核得分 **3 分**",
        "允许的得分区间 **4–5 分**",
        "等级“好”得分值的 100%；复核得分 **3 分**",
    ],
)
def test_rules_page_worked_examples_from_the_seeds(rules_page, fragment):
    assert fragment in rules_page


@pytest.mark.parametrize("example", guide.EXAMPLES, ids=lambda e: f"{e.kind}:{e.title[:12]}")
def test_worked_examples_load_and_score(example, library):
    worked = guide.work(example, library)
    assert worked.leaf.outcome is not None and worked.leaf.outcome.problem is None
    assert worked.leaf.rule is not None and worked.leaf.rule["kind"] == example.kind
    # 苏州's execution rate and 巴彦淖尔's cost ceiling are published scores that differ from their rules
    expected = {"W206"} if example.kind == "band" else set()
    assert set(worked.codes) == expected, worked.codes


def test_worked_example_snippets_match_the_seed_records():
    """Where an example quotes a seed record, the quoted indicator is in that record as written."""
    for ex in guide.EXAMPLES:
        m = re.search(r"`(projects/\d{4}/[\w-]+\.toml)`", ex.source)
        if not m or "假设" in ex.title:
            continue
        seed = (ROOT / m.group(1)).read_text(encoding="utf-8")
        for line in ex.snippet.splitlines():
            line = line.split("  #", 1)[0].rstrip()
            if re.match(r"^(name|target|actual|weight|score|rule|failed|discretion) = ", line) and "……" not in line:
                assert line in seed, (ex.title, line)


def test_split_and_unscored_examples_match_the_seed_records():
    """The rules page's split = "equal" and scored = false sections quote seed records as written."""
    examples = read_toml("examples.toml")
    split_seed = _seed_of(examples["split"]["source"])
    for group in examples["split"]["group"]:
        for name in group["indicators"]:
            assert f'name = "{name}"' in split_seed, (group["name"], name)
    unscored_seed = _seed_of(examples["unscored"]["source"])
    for line in examples["unscored"]["snippet"].splitlines():
        line = line.split("  #", 1)[0].rstrip()
        if line and not line.startswith("["):
            assert line in unscored_seed, line


def _seed_of(source: str) -> str:
    path = re.search(r"`(projects/\d{4}/[\w-]+\.toml)`", source).group(1)
    return (ROOT / path).read_text(encoding="utf-8")


def test_example_that_fails_to_load_is_an_error(library):
    with pytest.raises(ValueError):
        guide.run_example('[[indicator]]\npath = []\nname = "x"\nweight = "ten"\n', library=library)


# ---------------------------------------------------------------------------- grades and schemes


def test_grades_page_lists_every_band_scheme_and_named_rule(grades_page, library):
    for name, bands in library.grade_bands.items():
        assert f"### {name}：{bands.title}" in grades_page
        for grade, _ in bands.bands:
            assert f"| {grade} |" in grades_page
    for name, scheme in library.schemes.items():
        assert f"### {name}：{scheme.title}" in grades_page
        assert f"python -m generator new --scheme {name}" in grades_page
        for g in scheme.groups:
            assert " / ".join(g["path"]) in grades_page
    for name in library.rules:
        assert f"| {name} |" in grades_page
    assert "89.5 分 → 良" in grades_page
    assert "69.5 分 → 低" in grades_page  # five bands


def test_grades_page_includes_custom_schemes(tmp_path):
    schemes = tmp_path / "schemes"
    schemes.mkdir()
    (schemes / "hubei.toml").write_text(guide.CUSTOM_SCHEME_EXAMPLE, encoding="utf-8")
    lib = load_library(str(tmp_path))
    assert lib.diagnostics == [], [d.to_text() for d in lib.diagnostics]  # the documented example is valid
    page = guide.grade_bands_page(lib)
    assert "### hubei-self：" in page and f"`{schemes / 'hubei.toml'}`" in page


# ---------------------------------------------------------------------------- the guide's data files


def test_page_templates_place_exactly_the_generated_blocks():
    with pytest.raises(KeyError):
        data.page("codes.md", generated_note="", severities="", count="", summary_table="", sections="", unknown="")
    with pytest.raises(KeyError):
        data.page("codes.md", generated_note="")  # a placeholder left without its block


@pytest.mark.parametrize("name", ["codes.md", "fields.md", "rules.md", "grades.md"])
def test_page_templates_are_prose_with_placeholders(name):
    text = data.read_text(name)
    assert text.startswith("# ") and text.endswith("\n") and data.placeholders(text)
    assert "generated_note" in data.placeholders(text)


def test_phrases_fill_only_named_values():
    assert data.phrase("rules.computed", score="1.5") == "复核得分 **1.5 分**"
    with pytest.raises(KeyError):
        data.phrase("rules.computed")


def test_data_files_ship_with_the_package():
    """Every data file beside the guide's code is matched by the package-data globs of pyproject.toml."""
    import fnmatch

    import tomli

    pyproject = tomli.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["generator"]
    package = ROOT / "generator"
    files = [p for p in (package / "render" / "guide").iterdir() if p.is_file() and p.suffix != ".py"]
    assert {p.suffix for p in files} == {".md", ".toml"}
    for path in files:
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, g) for g in globs), relative


# ---------------------------------------------------------------------------- hand-written pages


@pytest.mark.parametrize("name", HAND_WRITTEN)
def test_hand_written_pages_exist_and_links_resolve(name):
    text = (GUIDE / name).read_text(encoding="utf-8")
    assert text.startswith("# ")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^[a-z]+://", target):
            continue
        page, _, anchor = target.partition("#")
        if page:
            assert page in GENERATED or (GUIDE / page).is_file(), (name, target)
        if anchor and page in HAND_WRITTEN:
            assert f"{{#{anchor}}}" in (GUIDE / page).read_text(encoding="utf-8"), (name, target)


def test_guide_index_links_every_page():
    text = (GUIDE / "index.md").read_text(encoding="utf-8")
    for page in GENERATED + HAND_WRITTEN[1:]:
        assert f"]({page})" in text, page
    for step in (
        "python -m generator new",
        "python -m generator validate",
        "python -m generator preview",
        "git commit",
    ):
        assert step in text


def test_generated_pages_link_only_to_guide_pages(codes_page, fields_page, rules_page, grades_page):
    pages = dict(zip(GENERATED, (codes_page, fields_page, rules_page, grades_page)))
    for page in pages.values():
        assert "{#" not in page and "!!!" not in page  # plain Markdown: no attr_list or admonition needed
        for target in re.findall(r"\]\(([^)\s]+)\)", page):
            name, _, anchor = target.partition("#")
            assert name in GENERATED + HAND_WRITTEN, target
            if anchor and name in pages:
                assert f'<a id="{anchor}"></a>' in pages[name], target


def test_records_page_complete_example_validates(tmp_path):
    from generator.core.pipeline import run

    text = (GUIDE / "records.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(\w+)\n(.*?)```", text, flags=re.S)
    toml = [b for lang, b in blocks if lang == "toml" and b.startswith("#:schema")]
    narrative = [b for lang, b in blocks if lang == "markdown"]
    assert len(toml) == 1 and len(narrative) == 1
    folder = tmp_path / "projects" / "2023"
    folder.mkdir(parents=True)
    (folder / "archive-digitization.toml").write_text(toml[0], encoding="utf-8")
    (folder / "archive-digitization.md").write_text(narrative[0], encoding="utf-8")
    result = run([str(tmp_path / "projects")])
    assert [d.to_text() for d in result.diagnostics] == []
    (ev,) = result.evaluations
    assert str(ev.computed_total) == "93.50" and ev.grade == "优"


def test_records_page_snippets_are_valid_toml():
    import tomli as tomllib

    text = (GUIDE / "records.md").read_text(encoding="utf-8")
    for lang, block in re.findall(r"```(\w+)\n(.*?)```", text, flags=re.S):
        if lang == "toml":
            tomllib.loads(block)


def test_editor_page_documents_the_schema_line_and_tools():
    text = (GUIDE / "editor.md").read_text(encoding="utf-8")
    for needle in (
        "#:schema ../../schema/record.schema.json",
        "Even Better TOML",
        "tombi",
        "taplo.toml",
        "tombi.toml",
        "python -m generator schema --check",
    ):
        assert needle in text


def test_every_field_kind_has_its_wording_in_the_guide_data():
    """The field reference's type column comes from render/guide/phrases.toml: a new kind needs its words there."""
    from generator.core.field_types import FieldKind
    from generator.render.guide.data import phrases

    assert set(phrases("fields.type")) == {k.value for k in FieldKind}
