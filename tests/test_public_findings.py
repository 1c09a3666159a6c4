"""数据核对 speaks to the public: each finding names the published figure, what the recomputation gives and by
which rule, in plain Chinese, with no diagnostic code, file, field name or editing instruction. Editors keep
the codes and messages (validate, the preview's problems page)."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from pathlib import Path

import pytest
import tomli

from generator.core import checks
from generator.core import diagnostics as dg
from generator.core.fields import RECORD_FIELDS, RULE_FIELDS, Field
from generator.core.pipeline import evaluate_file, run
from generator.core.quantity import parse
from generator.core.rules import KINDS, public_rule
from generator.core.schemes import load_library
from generator.publish.memory import MemorySink, build_in_memory
from generator.publish.site import SiteRequest, build_site
from generator.render.downloads import public_report
from generator.render.project import SiteOptions, finding_groups

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2025, 1, 1)

CODE = re.compile(r"\b[EWI]\d{3}\b")
REPO_PATH = re.compile(r"projects/|\.toml\b|\.md\b")
# Editing instructions and blame, as the editors' messages word them ("请填写实际完成的数值", "照抄了目标值").
INSTRUCTION = re.compile(r"请(?:填写|改|检查|核对|按|把|删除|补充|照|写|在|新建|移动|统一)|照抄|核对原文|改为|删除该")


def _names(fields: tuple[Field, ...]) -> set[str]:
    return {n for f in fields for n in ({f.name} | _names(f.fields))}


# The ASCII words an editor writes in a record: its field names, the rule parameters and the rule kinds.
FIELD_NAMES = frozenset(_names(RECORD_FIELDS) | _names(RULE_FIELDS) | set(KINDS))


def editor_words(text: str) -> list[str]:
    """What in a text is for editors only: codes, repository paths, field names, instructions."""
    found = CODE.findall(text) + REPO_PATH.findall(text) + INSTRUCTION.findall(text)
    return found + [w for w in re.findall(r"[A-Za-z_]+", text) if w in FIELD_NAMES]


def visible_text(page: str) -> str:
    """What a reader sees of a generated page as prose: no front matter, markup, link targets, scripts or styles,
    and no code — the data page's API documentation (addresses, JSON keys, curl and pandas examples) is code."""
    page = re.sub(r"\A---\n.*?\n---\n", "", page, flags=re.S)
    page = re.sub(r"<(script|style|code)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"^```.*?^```$", " ", page, flags=re.S | re.M)  # fenced code
    page = re.sub(r"`[^`\n]+`", " ", page)  # inline code
    page = re.sub(r"<[^>]+>", " ", page)
    page = re.sub(r"\]\([^)]*\)", "]", page)  # Markdown link targets
    page = re.sub(r"https?://\S+", " ", page)
    return html.unescape(page)


# ---------------------------------------------------------------------------- the registry


def test_every_warning_and_note_says_who_reads_it():
    """A new warning or note must say whether the public reads it (then each check gives it public words);
    errors withhold the record and are for editors only."""
    for info in dg.CODES.values():
        if info.severity is dg.Severity.ERROR:
            assert info.listing is None, info.code
        else:
            assert isinstance(info.listing, dg.Listing), f"{info.code}: set listing (editors only or a heading)"
    headings = [listing.heading for listing in dg.Listing if listing.public]
    assert all(headings) and len(set(headings)) == len(headings)


# Records that between them raise every warning and note the public reads: see test_every_public_code_…
RECORDS = {
    "scores": (
        """
total = 12
grade = "优"

[form]
score_places = 0

[rules."定性三档"]
kind = "tiers"
tiers = [["达成", 80, 100], ["部分达成", 60, 80], ["未达成", 0, 60]]

[rules."定性五级"]
kind = "levels"
levels = [["好", 100], ["较好", 80], ["一般", 60]]

[budget]
unit = "万元"
budget = 100
executed = 80

[[indicator]]
path = ["产出"]
name = "产出数量"
target = "≥10 个"
actual = "8 个"
weight = 10
score = 10

[[indicator]]
path = ["产出"]
name = "预算执行率"
target = "=100%"
actual = "90%"
weight = 10
score = 8
reason = "未全部执行"
rule = { kind = "budget_execution" }

[[indicator]]
path = ["产出"]
name = "完成及时率"
target = "≥95%"
actual = "≥95%"
weight = 10
score = 10

[[indicator]]
path = ["产出"]
name = "单位成本"
target = "≤5 万元"
actual = "6 人"
weight = 10
score = 10

[[indicator]]
path = ["效益"]
name = "覆盖率"
target = "=100%"
actual = "86.2%"
weight = 10
score = 9
reason = "覆盖不足"

[[indicator]]
path = ["效益"]
name = "工作质量"
weight = 10
score = 7
rule = { kind = "judgement" }

[[indicator]]
path = ["效益"]
name = "制度执行"
weight = 10
score = 9
discretion = 1
rule = { kind = "judgement" }

[[indicator]]
path = ["效益"]
name = "目标达成"
weight = 10
score = 2
reason = "部分未达成"
level = "达成"
rule = "定性三档"

[[indicator]]
path = ["满意度"]
name = "群众评价"
weight = 10
score = 8
reason = "评价一般"
level = "超好"
rule = "定性五级"

[[indicator]]
path = ["满意度"]
name = "资料完整性"
weight = 10
score = 9.3
reason = "缺少资料"
rule = { kind = "checklist", points = 0.5 }

[[indicator]]
path = ["满意度"]
name = "投诉处理"
target = "≥1 件"
actual = "1 件"
weight = 10

[[indicator]]
path = ["满意度"]
name = "培训人次"
target = "≥1 次"
weight = 10
score = 10

[[indicator]]
path = ["满意度"]
name = "服务质量"
target = "≥1 次"
actual = "较好"
weight = 10
score = 10
""",
        "## 一、概况\n\n正文\n",
    ),
    "budget": (
        """
scored = false

[budget]
unit = "万元"
initial = 100
adjustment = 10
budget = 100
adjustment_rate = 20
executed = 120
rate = 50

[budget.balance]
unallocated = 5
appropriated = 100
paid = 90
balance = 30
carried = 1
recovered = 1

[[budget.sources]]
name = "财政拨款"
budget = 60
executed = 50
rate = 10

[[budget.sources]]
name = "其他资金"
budget = 30

[[budget.items]]
name = "设备购置"
budget = 70
""",
        "## 一、概况\n\n全年预算执行率为 80%，预算调整率为 3%。\n",
    ),
    "report": (
        """
total = 10

[[indicator]]
path = ["产出"]
name = "产出数量"
target = "≥1 个"
actual = "1 个"
weight = 10
score = 10

[[indicator]]
path = ["产出"]
name = "产出质量"
target = "≥1 个"
actual = "1 个"
weight = 10
score = 10
""",
        "## 一、评价结论\n\n自评得分：9 分。\n\n（1）产出数量：该指标得 8 分。\n",
    ),
    # a faithful record of a form with gaps (issue 11): group weights only, scores not published, weights that do
    # not add up; each a warning or note the public reads
    "gaps": (
        """
total = 80
max_score = 100

[[group]]
path = ["产出"]
weight = 50

[[group]]
path = ["效益"]
weight = 30

[[indicator]]
path = ["产出"]
name = "数量"
target = "≥10 个"
actual = "10 个"
weight = "未公布"
score = 30

[[indicator]]
path = ["产出"]
name = "质量"
target = "≥95%"
actual = "96%"
weight = "未公布"
score = 25

[[indicator]]
path = ["效益"]
name = "效果"
target = "≥90%"
actual = "90%"
weight = 20
score = 18
reason = "部分未达到"

[[indicator]]
path = ["满意度"]
name = "满意度"
target = "≥90%"
actual = "95%"
weight = 10
score = "未公布"
""",
        "## 一、概况\n\n正文\n",
    ),
    "bounds": (
        """
total = 25

[[indicator]]
path = ["产出"]
name = "数量"
target = "≥10 个"
actual = "10 个"
weight = 10
score = 10

[[indicator]]
path = ["产出"]
name = "质量"
target = "≥95%"
actual = "96%"
weight = 10
score = "未公布"
""",
        "## 一、概况\n\n正文\n",
    ),
    "over": (
        """
total = 20
max_score = 10

[[indicator]]
path = ["产出"]
name = "数量"
target = "≥10 个"
actual = "10 个"
weight = 10
score = 10

[[indicator]]
path = ["产出"]
name = "质量"
target = "≥95%"
actual = "96%"
weight = 10
score = 10
""",
        "## 一、概况\n\n正文\n",
    ),
    "excerpt": (
        """
total = 20
max_score = 100

[form]
excerpt = "表格在“产出指标”之后截断（原文仅公布第 1 页）"

[[indicator]]
path = ["产出"]
name = "数量"
target = "≥10 个"
actual = "10 个"
weight = 30
score = 28
reason = "略有不足"
""",
        "## 一、概况\n\n正文\n",
    ),
    "forms": (
        """
scheme = "suzhou-self"
max_score = 50
total = 48

[form]
weight_note = "投入目标26分、产出目标24分"

[budget]
unit = "万元"
budget = 0
executed = 0

[[budget.sources]]
name = "本年财政拨款"
budget = 20
executed = 18

[[indicator]]
path = ["投入目标"]
name = "预算执行率"
actual = "0"
weight = 10
score = 10
rule = { kind = "budget_execution" }

[[indicator]]
path = ["投入目标"]
name = "亩均收入增幅"
target = "^80%"
actual = "80%"
weight = 10
score = 10

[[indicator]]
path = ["产出目标"]
name = "工程质量合格"
target = "未公布"
actual = "未公布"
weight = 10
score = 10

[[indicator]]
path = ["产出目标"]
name = "制度健全性"
target = "健全"
actual = "健全"
weight = 10
score = 8
reason = "部分制度未更新"

[[indicator]]
path = ["产出目标"]
name = "养殖数量"
target = "192只"
actual = "192只"
weight = 5
score = 5

[[indicator.parts]]
name = "其中羊"
target = "180只"
actual = "180只"

[[indicator.parts]]
name = "其中猪"
target = "12头"
actual = "12头"

[[indicator]]
path = ["产出目标"]
name = "种植面积"
target = "29.5亩"
actual = "29.5亩"
weight = 5
score = 5

[[indicator.parts]]
name = "其中桃树"
target = "1.5亩"
actual = "1.5亩"

[[indicator.parts]]
name = "其中苹果树"
target = "5亩"
actual = "5亩"
""",
        "## 一、概况\n\n正文\n",
    ),
    "totals": (
        """
total = 80

[budget]
unit = "万元"
budget = 0
executed = 5
""",
        "## 一、概况\n\n正文\n",
    ),
    # no score published at all (I251), and a row whose pairing with its values is uncertain (I271)
    "blank-scores": (
        """
total = "未公布"
max_score = 10

[[indicator]]
path = ["产出指标", "数量指标"]
name = "培训人次"
target = "≥100 人次"
actual = "120 人次"
weight = 10
score = "未公布"
uncertain = "完成值与指标名称错位一行，按原表顺序对应"
""",
        "## 一、概况\n\n正文\n",
    ),
    # nothing spent under a cost ceiling (I270): a saving or work never done
    "ceiling": (
        """
total = 0
max_score = 5

[[indicator]]
path = ["产出指标", "成本指标"]
name = "设备购置成本"
target = "4.5 万元"
actual = "0 万元"
weight = 5
score = 0
reason = "未实施"
""",
        "## 一、概况\n\n正文\n",
    ),
}


@pytest.fixture(scope="module")
def raised(tmp_path_factory, record_head):
    """Every diagnostic of the RECORDS."""
    folder = tmp_path_factory.mktemp("records") / "projects" / "2021"
    folder.mkdir(parents=True)
    for name, (body, narrative) in RECORDS.items():
        (folder / f"{name}.toml").write_text(
            record_head.replace('"test-project"', f'"{name}"') + body, encoding="utf-8"
        )
        (folder / f"{name}.md").write_text(narrative, encoding="utf-8")
    return run([str(folder.parent)]).diagnostics


def test_every_public_code_has_public_words(raised):
    """Each warning and note the public reads is raised by the records above, and says it in public words,
    different from the editors' message."""
    public_codes = {c for c, info in dg.CODES.items() if info.listing is not None and info.listing.public}
    assert public_codes - {d.code for d in raised} == set(), "add a record raising it to RECORDS"
    for d in raised:
        if d.code in public_codes:
            assert d.public and d.public != d.message, d
            assert editor_words(d.public) == [] and "请" not in d.public, (d.code, d.public)
            assert d.public.endswith("。"), d.public
        else:
            assert d.severity is dg.Severity.ERROR or not d.listing.public


def test_public_words_name_the_figures_and_the_rule(raised):
    by_code: dict[str, list[str]] = {}
    for d in raised:
        by_code.setdefault(d.code, []).append(d.public)
    # 产出数量: 8 of 10 by the default ratio rule, published 10
    [w206] = [t for t in by_code["W206"] if "产出数量" in t]
    assert "公布得分 10 分" in w206 and "复核为 8 分" in w206 and "完成值达到目标值得满分" in w206
    assert "公布得分比复核结果高 2 分" in w206
    assert any("两者只差取整" in t and "8.62" in t for t in by_code["I207"])
    assert any("“较好”不是数值" in t for t in by_code["W209"])
    # budget figures carry the record's unit
    assert any("执行数 120 万元 ÷ 预算数 100 万元 = 120%" in t for t in by_code["W301"])
    assert any("比公布的合计 100 万元少 10 万元" in t for t in by_code["W302"])
    assert by_code["W307"] == [
        "评价报告正文写总分为 9 分，指标表公布的总分为 10 分。",
        "评价报告正文写“产出数量”得 8 分，指标表中“产出数量”的公布得分为 10 分。",
    ]
    assert by_code["W205"] == ["公布总分为 10 分，各项指标公布得分相加为 20 分，两者相差 10 分。"]


def test_a_check_without_public_words_fails_loudly_on_the_record(tmp_path, write_record, record_head, monkeypatch):
    """A check that reports a code the public reads without public words is a fault of the tool: the record
    gets E199 (and is not published), never a finding in the editors' words on its page."""
    path = write_record(tmp_path, record_head + "\n[budget]\nbudget = 10\nexecuted = 5\n")

    def careless(record, rep):
        rep.at("W301", ("budget",), "公布执行率有误。")

    monkeypatch.setattr("generator.core.pipeline.check_budget", careless)
    outcome = evaluate_file(str(path), load_library(None))
    assert outcome.evaluation is None
    assert [d.code for d in outcome.diagnostics] == ["E199"]
    with pytest.raises(dg.PublicTextMissing):
        checks.Reporter(outcome_record(path)).at("W206", (), "说明")


def outcome_record(path):
    from generator.core.loader import load_file

    record, _ = load_file(str(path))
    assert record is not None
    return record


# ---------------------------------------------------------------------------- rules in the public's words


def _example_rule(example: str) -> dict:
    data = tomli.loads(example)
    rule = data["rule"] if "rule" in data else next(iter(data["rules"].values()))
    return {"kind": rule} if isinstance(rule, str) else rule


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("target", ["≥24 万笔", "≤5 天", "=100%"])
def test_every_rule_kind_has_public_words_without_parameter_names(kind, target):
    rule = _example_rule(KINDS[kind].example)
    assert rule["kind"] == kind
    rule.pop("title", None)
    words = public_rule(rule, parse(target))
    assert words and editor_words(words) == [], words
    assert KINDS[kind].title not in ("", words)


def test_a_rule_with_a_title_is_named_by_it():
    assert public_rule({"kind": "ratio", "title": "按比例计分。"}, parse("≥1")) == "按比例计分"


def test_rule_words_carry_the_figures():
    steps = {"kind": "steps", "step": 1, "points": 0.5}
    assert public_rule(steps, parse("≥24 万笔")) == "达到目标值得满分，每少 1 万笔扣 0.5 分，不足一档按一档计，扣完为止"
    band = {"kind": "band", "low": 100, "high": 130, "below_pct": 5, "above_pct": 1}
    assert "100%–130% 得满分" in public_rule(band, parse("=100%"))
    execution = {"kind": "budget_execution", "full_at": 95, "zero_below": 60}
    assert (
        public_rule(execution, parse("=100%")) == "执行率达到 95% 得满分，每低 1 个百分点扣分值的 1%，低于 60% 不得分"
    )


# ---------------------------------------------------------------------------- the shipped records


@pytest.fixture(scope="module")
def shipped():
    """(evaluations by slug, public pages by path, published assets by path) of the shipped records."""
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        evs = {ev.record.slug: ev for ev in run(["projects"]).evaluations}
        _, pages = build_in_memory(SiteRequest("projects", SiteOptions(), TODAY, workers=1))
        sink = MemorySink()
        build = build_site(SiteRequest("projects", SiteOptions(), TODAY, workers=1), sink)
        for page in build.finish():
            sink.page(page)
    finally:
        os.chdir(cwd)
    public = {path: p.content for path, p in pages.items() if not path.startswith("guide/")}
    assets = {**sink.assets, **{a.path: a for a in build.index.data_files()}}
    return evs, public, assets


def test_public_pages_carry_no_editor_words(shipped):
    _, pages, _ = shipped
    assert any("## 数据核对" in page for page in pages.values())
    for path, page in pages.items():
        assert editor_words(visible_text(page)) == [], path


def test_findings_section_shows_the_public_words_only(shipped):
    evs, pages, _ = shipped
    for slug, ev in evs.items():
        page = pages[f"projects/{ev.record.year}/{slug}.md"]
        section = page.split("## 数据核对", 1)[1].split("\n## ", 1)[0]
        for d in ev.diagnostics:
            assert d.message not in page
            if d.listing.public:
                assert html.escape(d.public, quote=False) in section


def test_published_json_carries_the_findings_in_public_words(shipped):
    evs, _, assets = shipped
    for slug, ev in evs.items():
        report = json.loads(assets[f"downloads/{ev.record.year}/{slug}.json"].content)
        assert "diagnostics" not in report
        expected = [{"section": h, "text": t} for h, texts in finding_groups(ev.diagnostics) for t in texts]
        assert report["findings"] == expected == public_report(ev)["findings"]
        for finding in report["findings"]:
            assert editor_words(finding["text"]) == [] and set(finding) == {"section", "text"}
    whole = assets["data/projects.json"].content.decode("utf-8")
    assert not CODE.search(whole) and '"diagnostics"' not in whole and "请填写" not in whole


def _findings(shipped, slug: str) -> dict[str, list[str]]:
    evs, _, _ = shipped
    return dict(finding_groups(evs[slug].diagnostics))


def test_bayannur_copied_actuals_read_as_unverifiable(shipped):
    found = _findings(shipped, "bayannur-treasury-epay")
    assert list(found) == ["得分核对"]
    assert len(found["得分核对"]) == 8  # six copied actuals, and two cost ceilings with nothing spent (I270)
    assert found["得分核对"][0] == (
        "指标“系统故障率”：公布的完成值“≤1%”与目标值写法相同，未给出实际完成的数值，本站无法据此核对得分。"
    )
    [cost] = [t for t in found["得分核对"] if t.startswith("指标“维护人行端前置系统”")]
    assert "完成值为 0 元" in cost and "节约还是未实施" in cost and "以公布得分为准" in cost


def test_suzhou_score_and_budget_findings(shipped):
    found = _findings(shipped, "suzhou-egov-construction")
    assert list(found) == ["得分核对", "预算核对"]
    [score] = found["得分核对"]
    assert score.startswith("指标“预算执行率”：公布得分 6 分，按“‘产出’类每项指标")  # the scheme's own rule title
    assert "复核为 3.9 分（完成率 93%" in score and score.endswith("公布得分比复核结果高 2.1 分。")
    [balance] = found["预算核对"]
    assert "260 万元" in balance


def test_fumin_steps_rule_and_narrative_rate(shipped):
    found = _findings(shipped, "fumin-finance-platforms")
    assert list(found) == ["得分核对", "报告正文核对"]
    [w206] = [t for t in found["得分核对"] if "服务对象满意度" in t]
    assert "按“达到目标值得满分，每少 1 个百分点扣 0.3 分，不足一档按一档计，扣完为止”的评分规则复核为 10 分" in w206
    assert "公布得分 9.4 分" in w206 and "公布得分比复核结果低 0.6 分" in w206
    assert found["报告正文核对"] == [
        "评价报告正文写预算执行率为 90%，按预算表的金额计算为 95.52%（执行数 47.76 万元 ÷ 预算数 50 万元）。"
    ]
    assert sum("公布材料没有给出完成值" in t for t in found["得分核对"]) == 2


def test_dapeng_narrative_score_names_no_file(shipped):
    assert _findings(shipped, "dapeng-treasury-funds") == {
        "报告正文核对": ["评价报告正文写“国库支付工作投诉次数”得 3 分，指标表中“投诉次数”的公布得分为 4 分。"]
    }


def test_editors_keep_codes_and_instructions(run_cli):
    """validate shows the editors' messages as before: code, file:line and what to do."""
    proc = run_cli("validate", "projects")
    assert proc.returncode == 0, proc.stderr
    assert "projects/2021/bayannur-treasury-epay.toml:78:1: 警告 W210:" in proc.stdout
    assert "原表另有实际完成的数值时请照录" in proc.stdout
    assert "（projects/2021/dapeng-treasury-funds.toml 第 551 行）" in proc.stdout
    assert "公布的完成值“≤1%”与目标值写法相同" not in proc.stdout
