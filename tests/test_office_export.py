"""Export to the national self-evaluation form, the import → validate → export → import round trip, and
the TOML writer that import (and others) use to write records."""

from __future__ import annotations

import importlib.util
from decimal import Decimal as D
from pathlib import Path

import pytest
import tomli
from openpyxl import load_workbook

from generator.authoring.toml_writer import SCHEMA_LINE, dump_record, record_to_dict
from generator.cli.main import main
from generator.core.loader import load_file
from generator.core.pipeline import run as run_pipeline
from generator.office import export_xlsx, read_form

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(ROOT.glob("projects/*/*.toml"))
_spec = importlib.util.spec_from_file_location(
    "office_fixture_builders", Path(__file__).parent / "fixtures" / "office" / "builders.py"
)
builders = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(builders)

FLAGS = [
    "--id",
    "bayannur-treasury-epay",
    "--region",
    "内蒙古自治区巴彦淖尔市",
    "--evaluator",
    "巴彦淖尔市财政综合保障中心",
    "--source",
    "巴彦淖尔市财政局公开的项目支出绩效自评表",
]


def seed_path(name: str) -> Path:
    return next(p for p in SEEDS if p.stem == name)


def parse(path: Path) -> dict:
    return tomli.loads(path.read_text(encoding="utf-8"), parse_float=D)


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([*map(str, args)])
    out, err = capsys.readouterr()
    assert "工具内部错误" not in err and "Traceback" not in err
    return code, out, err


# ---------------------------------------------------------------------------- round trip


def test_import_validate_export_import_gives_the_same_record(tmp_path, capsys):
    form = builders.build_national(tmp_path / "自评表.xlsx")
    first = tmp_path / "a" / "projects" / "2021"
    code, out, _ = run(capsys, "import", form, "--out", first, *FLAGS)
    assert code == 0, out
    record = first / "bayannur-treasury-epay.toml"
    assert run_pipeline([str(record)]).ok
    exported = tmp_path / "导出.xlsx"
    code, out, _ = run(capsys, "export", record, "--format", "xlsx", "--out", exported)
    assert code == 0 and exported.is_file(), out
    second = tmp_path / "b" / "projects" / "2021"
    code, out, _ = run(capsys, "import", exported, "--out", second, *FLAGS)
    assert code == 0, out
    assert parse(second / "bayannur-treasury-epay.toml") == parse(record)
    # and the form data alone, before any flag is applied
    assert read_form(str(exported)).data == read_form(str(form)).data


@pytest.mark.parametrize("name", ["bayannur-treasury-epay", "caidian-jincai", "suzhou-egov-construction"])
def test_seed_records_survive_export_and_import(tmp_path, name):
    out = tmp_path / f"{name}.xlsx"
    export_xlsx(str(seed_path(name)), str(out))
    res = read_form(str(out))
    assert res.unmapped == [] and res.layout == "national"
    original = load_file(str(seed_path(name)))[0]
    from generator.core.scoring import derive_weights

    derived = derive_weights(original)
    want = []
    for ind in original.indicators:
        d = {
            "path": list(ind.path),
            "name": ind.name,
            "target": ind.target,
            "actual": ind.actual,
            "weight": ind.weight if ind.weight is not None else derived.get(ind.index),
            "score": ind.score,
            "reason": ind.reason,
        }
        if ind.path == () and ind.name == "预算执行率":  # lives in the 年度资金总额 row: no target, no reason
            d.update(
                target=None,
                reason=None,
                actual=f"{original.budget.rate}%" if original.budget.rate is not None else None,
            )
        if not original.scored:
            d.update(weight=None, score=None)
        want.append({k: v for k, v in d.items() if v is not None})
    assert res.data["indicator"] == want
    b = original.budget
    for key in ("initial", "budget", "executed", "rate"):
        assert res.data["budget"].get(key) == getattr(b, key), key
    assert res.data.get("total") == (original.total if original.scored else None)
    assert res.data["name"] == original.name and res.data["year"] == original.year


# ---------------------------------------------------------------------------- the form itself


@pytest.fixture(scope="module")
def bayannur_sheet(tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "form.xlsx"
    notes = export_xlsx(str(seed_path("bayannur-treasury-epay")), str(out))
    return load_workbook(out).active, notes


def _find(ws, text):
    return next(c for row in ws.iter_rows() for c in row if c.value == text)


def test_export_fills_the_national_layout(bayannur_sheet):
    ws, _ = bayannur_sheet
    assert ws["A1"].value == "项目支出绩效自评表" and "A1:I1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "（2021年度）"
    assert ws["B3"].value == "国库集中支付电子化服务" and ws["B4"].value == "巴彦淖尔市财政局"
    assert ws["G4"].value == "巴彦淖尔市财政综合保障中心"
    total_row = _find(ws, "年度资金总额").row
    assert [ws.cell(total_row, c).value for c in range(3, 9)] == [22.5, 22.5, 0, 10, 0, 0]
    assert ws.cell(total_row + 1, 2).value == "其中：当年财政拨款"
    assert _find(ws, "项目资金（万元）").column_letter == "A"
    assert _find(ws, "总分").row > total_row


def test_export_merges_level_cells_and_formats_numbers(bayannur_sheet):
    ws, _ = bayannur_sheet
    merged = {str(r) for r in ws.merged_cells.ranges}
    out = _find(ws, "产出指标")
    assert f"B{out.row}:B{out.row + 9}" in merged  # 10 产出 leaves under one merged 一级 cell
    quality = _find(ws, "质量指标")
    assert f"C{quality.row}:C{quality.row + 3}" in merged
    assert ws.cell(quality.row, 4).value == "指标1：系统故障率"
    assert ws.cell(quality.row, 7).number_format == "0.00"  # 分值
    assert ws.cell(_find(ws, "年度资金总额").row, 3).number_format == "0.00"  # 年初预算数
    head = _find(ws, "偏差原因分析及改进措施")
    assert head.column_letter == "I"


def test_export_lists_what_the_form_has_no_place_for(bayannur_sheet):
    _, notes = bayannur_sheet
    text = "\n".join(notes)
    assert "到位资金" in text and "执行监控" in text and "预算执行率" in text


def test_export_accepts_a_record_or_an_evaluation(tmp_path):
    result = run_pipeline([str(seed_path("caidian-jincai"))])
    export_xlsx(result.evaluations[0], tmp_path / "e.xlsx")
    export_xlsx(result.evaluations[0].record, tmp_path / "r.xlsx")
    assert read_form(str(tmp_path / "e.xlsx")).data == read_form(str(tmp_path / "r.xlsx")).data


def test_export_command_errors(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "export", seed_path("caidian-jincai"), "--format", "xlsx")
    assert code == 0 and (tmp_path / "caidian-jincai.xlsx").is_file() and "不计分" in out
    assert run(capsys, "export", tmp_path / "none.toml", "--format", "xlsx")[0] == 2
    bad = tmp_path / "projects" / "2021" / "bad.toml"
    bad.parent.mkdir(parents=True)
    bad.write_text('id = "x"\nname = 3\n', encoding="utf-8")
    code, _, err = run(capsys, "export", bad, "--format", "xlsx")
    assert code == 1 and "E102" in err
    assert run(capsys, "export", seed_path("caidian-jincai"), "--out", tmp_path / "x.csv")[0] == 2


# ---------------------------------------------------------------------------- TOML writer


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_dump_record_reads_back_the_same(path):
    data = parse(path)
    text = dump_record(data)
    assert text.splitlines()[0] == SCHEMA_LINE
    assert tomli.loads(text, parse_float=D) == data
    assert dump_record(tomli.loads(text, parse_float=D)) == text  # stable


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_dump_record_from_the_model(path):
    record = load_file(str(path))[0]
    again = tomli.loads(dump_record(record), parse_float=D)
    assert again == tomli.loads(dump_record(record_to_dict(record)), parse_float=D)
    assert again["indicator"][0]["name"] == record.indicators[0].name


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_the_model_written_and_read_back_is_the_same_record(path, tmp_path):
    """record_to_dict follows the model's declared fields: loading what it writes gives the record back."""
    record = load_file(str(path))[0]
    copy = tmp_path / path.parent.name / path.name
    copy.parent.mkdir()
    copy.write_text(dump_record(record), encoding="utf-8")
    again, diags = load_file(str(copy))
    assert again is not None, [d.to_text() for d in diags]
    for attr in (
        "id",
        "name",
        "year",
        "date",
        "scored",
        "total",
        "goals",
        "budget",
        "groups",
        "indicators",
        "rules",
        "monitoring",
    ):
        assert getattr(again, attr) == getattr(record, attr), attr
    assert record_to_dict(again) == record_to_dict(record)


def test_record_to_dict_leaves_out_what_loading_fills_in(tmp_path, write_record, record_head):
    body = (
        '[budget]\nunit = "万元"\nbudget = 10\n\n[[group]]\npath = []\nweight = 10\n\n'
        '[[indicator]]\npath = []\nname = "甲"\napplicable = true\nrule = "ratio"\n'
    )
    record = load_file(str(write_record(tmp_path, record_head + "scored = true\n" + body)))[0]
    data = record_to_dict(record)
    assert "scored" not in data and "goals" not in data and "monitoring" not in data and "rules" not in data
    assert data["budget"] == {"budget": D(10)}  # unit 万元 is the default
    assert data["group"] == [{"path": [], "weight": D(10)}]  # a required path is kept, even when empty
    assert data["indicator"] == [{"path": [], "name": "甲", "rule": "ratio"}]


def test_dump_record_layout_and_values():
    data = {
        "indicator": [
            {
                "name": "n",
                "path": ["产出指标"],
                "rule": {"kind": "steps", "step": 1, "points": D("0.5")},
                "weight": D("2.18"),
            }
        ],
        "id": "x",
        "year": 2021,
        "total": D("96.50"),
        "scored": True,
        "name": '引号"、反斜杠\\、制表\t',
        "budget": {"items": [{"name": "a", "budget": D("1E+2")}], "unit": "万元", "initial": 0.1 + 0.2},
        "rules": {"产出类": {"kind": "band", "low": 100}},
        "goals": {"expected": ["目标，" * 40]},
    }
    text = dump_record(data, missing={"region": "待填写：地区"})
    lines = text.splitlines()
    assert lines[:3] == [SCHEMA_LINE, "", 'id = "x"']
    assert lines.index('# region = ""  # 待填写：地区') > lines.index("year = 2021")
    assert "total = 96.50" in lines and "initial = 0.30000000000000004" in lines
    assert "budget = 100" in lines  # no exponent
    assert (
        lines.index("[budget]")
        < lines.index("[[budget.items]]")
        < lines.index("[[indicator]]")
        < lines.index('[rules."产出类"]')
    )
    assert 'rule = { kind = "steps", step = 1, points = 0.5 }' in lines
    assert any(line.endswith("\\") for line in lines)  # the long goal is wrapped
    back = tomli.loads(text, parse_float=D)
    assert back["budget"].pop("initial") == D(repr(data["budget"].pop("initial")))  # the float's shortest form
    assert back == data
