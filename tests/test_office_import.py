"""Import of self-evaluation forms (.xlsx / .xls) and Word reports: generator.office and `import`.

The fixtures are written at test time by tests/fixtures/office/builders.py from the seeds' figures, as
bureaus build them (merged level cells, two-row headers, numbers stored as text, 万元 in headers,
notes and signatures under the table). Each import is compared with the seed record written by hand.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path

import pytest
import tomli
from openpyxl import Workbook, load_workbook

from generator.cli.main import main
from generator.core.pipeline import run as run_pipeline
from generator.office import docx_to_markdown, read_form
from generator.office.grid import Grid, parse_number_text
from generator.office.importer import ImportFailure

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "office_fixture_builders", Path(__file__).parent / "fixtures" / "office" / "builders.py"
)
builders = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(builders)

NATIONAL_FLAGS = [
    "--id",
    "bayannur-treasury-epay",
    "--region",
    "内蒙古自治区巴彦淖尔市",
    "--evaluator",
    "巴彦淖尔市财政综合保障中心",
]


def seed(name: str) -> dict:
    path = next(ROOT.glob(f"projects/*/{name}.toml"))
    return tomli.loads(path.read_text(encoding="utf-8"), parse_float=D)


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("forms")
    return {
        "national": builders.build_national(base / "巴彦淖尔-自评表.xlsx"),
        "wuhan": builders.build_wuhan(base / "蔡甸-金财工程自评表.xlsx"),
        "suzhou": builders.build_suzhou(base / "苏州-自评表.xlsx"),
        "report": builders.build_report(base / "自评报告.docx"),
        "plain_report": builders.build_plain_report(base / "自评结果.docx"),
    }


@pytest.fixture(scope="module")
def imported(forms) -> dict:
    return {name: read_form(str(forms[name])) for name in ("national", "wuhan", "suzhou")}


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main(["import", *map(str, args)])
    out, err = capsys.readouterr()
    assert "工具内部错误" not in err and "Traceback" not in err
    return code, out, err


# ---------------------------------------------------------------------------- the three layouts


def test_national_form_reads_as_seed_000(imported):
    res = imported["national"]
    expected = seed("bayannur-treasury-epay")
    assert res.layout == "national"
    assert res.unmapped == []
    data = res.data
    for key in ("name", "year", "department", "implementer", "evaluation", "total", "goals"):
        assert data[key] == expected[key], key
    assert data["max_score"] == 100 and data["scheme"] == "national-self"
    assert data["budget"]["unit"] == "万元"
    for key in ("initial", "budget", "executed", "rate"):
        assert data["budget"][key] == expected["budget"][key], key
    assert data["budget"]["sources"] == [
        {"name": "当年财政拨款", "initial": 22.5, "budget": 22.5, "executed": 0, "rate": 0}
    ]
    leaf = data["indicator"][0]
    assert leaf == {"path": [], "name": "预算执行率", "actual": "0%", "weight": 10, "score": 0}
    keys = ("path", "name", "target", "actual", "weight", "score", "reason")
    got = [{k: i[k] for k in keys if k in i} for i in data["indicator"][1:]]
    want = [{k: i[k] for k in keys if k in i} for i in expected["indicator"][1:]]
    assert got == want
    assert "group" not in data  # the form prints no group weights, none are made up


def test_national_notes_and_signature_are_skipped_not_imported(imported):
    skipped = "\n".join(imported["national"].skipped)
    assert "自评表!B34: 表下注释" in skipped
    assert "填表人" in skipped and "王旭超" in skipped


def test_numbers_stored_as_text_are_exact(imported):
    budget = imported["national"].data["budget"]
    assert budget["budget"] == D("22.50") and str(budget["budget"]) == "22.50"  # the text cell “22.50”
    assert str(budget["initial"]) == "22.5"  # the number cell 22.5
    weights = [i.get("weight") for i in imported["suzhou"].data["indicator"]]
    assert all(isinstance(w, D) for w in weights)
    assert str(weights[15]) == "2.18"  # text “2.18”
    assert str(weights[14]) == "2.18"  # float 2.18, no 2.1800000000000002


def test_wuhan_table_reads_as_seed_001(imported):
    res = imported["wuhan"]
    expected = seed("caidian-jincai")
    assert res.layout == "wuhan"
    assert res.unmapped == []
    data = res.data
    assert data["indicator"] == expected["indicator"]  # every path, name, target and actual
    assert data["budget"] == expected["budget"]  # 200万元 / 167.23万元 / 83.62% as text
    assert data["scored"] is False
    for key in ("name", "year", "department", "implementer", "evaluation", "evaluator"):
        assert data[key] == expected[key], key
    notes = "\n".join(res.notes)
    assert "合计行是空的" in notes and "单位名称" in notes
    assert any("备注" in s for s in res.skipped)


def test_suzhou_form_reads_as_seed_004(imported):
    res = imported["suzhou"]
    expected = seed("suzhou-egov-construction")
    assert res.layout == "suzhou"
    assert res.unmapped == []
    data = res.data
    keys = ("path", "name", "target", "actual", "score")
    assert [{k: i[k] for k in keys if k in i} for i in data["indicator"]] == [
        {k: i[k] for k in keys if k in i} for i in expected["indicator"]
    ]
    weights = {i["name"]: i["weight"] for i in data["indicator"]}
    assert weights["安全认证网关"] == D("2.2") and weights["业务中台需要对接部门业务服务"] == D("2.48")
    assert [(g["path"], g["weight"]) for g in data["group"]] == [(g["path"], g["weight"]) for g in expected["group"]]
    assert data["max_score"] == 80 and data["total"] == 80
    b = data["budget"]
    assert b["items"] == expected["budget"]["items"]
    assert b["balance"] == expected["budget"]["balance"]
    for key in ("initial", "adjustment", "budget", "executed"):
        assert b[key] == expected["budget"][key], key
    assert data["goals"]["expected"] == expected["goals"]["expected"]
    assert res.narrative.startswith("## 项目概况\n\n推动燃气缴费")
    assert "## 进一步加强项目管理的建议" in res.narrative
    notes = "\n".join(res.notes)
    assert "年初预算数 + 当年使用上年结余" in notes and "实际支付数" in notes  # derived figures are named


# ---------------------------------------------------------------------------- the command


def test_import_writes_a_record_that_validates(tmp_path, forms, capsys):
    out_dir = tmp_path / "projects" / "2021"
    code, out, _ = cli(capsys, forms["national"], forms["report"], "--out", out_dir, *NATIONAL_FLAGS)
    assert code == 0, out
    toml_path = out_dir / "bayannur-treasury-epay.toml"
    text = toml_path.read_text(encoding="utf-8")
    assert text.startswith("#:schema ../../schema/record.schema.json\n")
    data = tomli.loads(text, parse_float=D)
    assert data["status"] == "draft" and data["date"] == "2021" and data["evaluation"] == "单位自评"
    result = run_pipeline([str(toml_path)])
    assert result.ok, [d.to_text() for d in result.diagnostics]
    md = (out_dir / "bayannur-treasury-epay.md").read_text(encoding="utf-8")
    assert "## 一、项目基本情况" in md and "### (一)项目基本情况简介" in md
    assert "错误 0 个" in out and "结果：导入完成" in out
    assert main(["validate", str(toml_path)]) == 0
    capsys.readouterr()


@pytest.mark.parametrize(
    "name,flags",
    [
        ("wuhan", ["--id", "caidian-jincai", "--region", "湖北省武汉市蔡甸区"]),
        ("suzhou", ["--id", "suzhou-egov-construction", "--region", "江苏省苏州市", "--evaluator", "苏州市信息中心"]),
    ],
)
def test_other_layouts_import_without_errors(tmp_path, forms, capsys, name, flags):
    out_dir = tmp_path / "projects" / ("2021" if name == "wuhan" else "2020")
    code, out, _ = cli(capsys, forms[name], "--out", out_dir, *flags)
    assert code == 0, out
    result = run_pipeline([str(out_dir / f"{flags[1]}.toml")])
    assert result.ok, [d.to_text() for d in result.diagnostics]


def test_unmapped_cells_are_reported_cell_by_cell_and_left_out(tmp_path, capsys):
    form = builders.build_national(tmp_path / "f.xlsx", junk={"I18": "约5", "M20": "多余的批注"})
    code, out, _ = cli(capsys, form, "--out", tmp_path / "projects" / "2021", *NATIONAL_FLAGS)
    assert code == 1
    assert "自评表!I18: 无法识别指标“系统故障率”的得分：“约5”不是可以识别的数字，未导入" in out
    assert "自评表!M20: 无法识别的内容“多余的批注”，未导入" in out
    data = tomli.loads(
        (tmp_path / "projects" / "2021" / "bayannur-treasury-epay.toml").read_text(encoding="utf-8"), parse_float=D
    )
    leaf = next(i for i in data["indicator"] if i["name"] == "系统故障率")
    assert "score" not in leaf and leaf["weight"] == 5  # never guessed


def test_missing_metadata_is_reported_and_left_for_the_editor(tmp_path, forms, capsys):
    out_dir = tmp_path / "projects" / "2021"
    code, out, _ = cli(capsys, forms["national"], "--out", out_dir)
    assert code == 1  # written, but id / region / evaluator are missing
    files = list(out_dir.glob("*.toml"))
    assert len(files) == 1 and files[0].name.startswith("xm-")
    text = files[0].read_text(encoding="utf-8")
    assert '# region = ""  # 待填写' in text and '# id = ""' in text and '# evaluator = ""' in text
    for key in ("id：", "region：", "evaluator："):
        assert key in out
    assert "哈希" in out and "--id" in out
    assert "E101" in out


def test_existing_record_is_not_overwritten(tmp_path, forms, capsys):
    args = (forms["national"], "--out", tmp_path, *NATIONAL_FLAGS)
    assert cli(capsys, *args)[0] == 0
    code, _, err = cli(capsys, *args)
    assert code == 2 and "已存在" in err
    assert cli(capsys, *args, "--force")[0] == 0


@pytest.mark.parametrize(
    "flag,value", [("--id", "巴彦淖尔"), ("--id", "Bad_ID"), ("--date", "2021年"), ("--date", "2021-13")]
)
def test_bad_flags_are_usage_errors(tmp_path, forms, capsys, flag, value):
    code, _, err = cli(capsys, forms["national"], "--out", tmp_path, flag, value)
    assert code == 2 and "导入失败" in err
    assert not list(tmp_path.iterdir())


def test_unrecognised_and_damaged_files_exit_2(tmp_path, capsys):
    wb = Workbook()
    wb.active["A1"] = "职工花名册"
    wb.active["B1"] = "姓名"
    wb.save(tmp_path / "other.xlsx")
    code, _, err = cli(capsys, tmp_path / "other.xlsx", "--out", tmp_path / "o")
    assert code == 2 and "没有识别出已知的自评表样式" in err
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    code, _, err = cli(capsys, tmp_path / "broken.xlsx", "--out", tmp_path / "o")
    assert code == 2 and "无法打开" in err
    code, _, err = cli(capsys, tmp_path / "nowhere.xlsx", "--out", tmp_path / "o")
    assert code == 2 and "找不到文件" in err
    assert not (tmp_path / "o").exists()


def test_layout_and_sheet_can_be_forced(tmp_path, forms):
    res = read_form(str(forms["wuhan"]), layout="wuhan", sheet="金财工程")
    assert res.layout == "wuhan"
    with pytest.raises(ImportFailure, match="没有名为"):
        read_form(str(forms["wuhan"]), sheet="Sheet9")


def test_other_sheets_are_reported(tmp_path, forms):
    wb = load_workbook(forms["national"])
    extra = wb.create_sheet("执行监控")
    extra["A1"] = "项目支出绩效目标执行监控情况表"
    wb.save(tmp_path / "two.xlsx")
    res = read_form(str(tmp_path / "two.xlsx"))
    assert res.sheet == "自评表" and res.monitoring_sheet == ""  # a title alone does not make a monitoring form
    assert res.unmapped == ["执行监控: 这个工作表没有识别为自评表或执行监控表（只导入了工作表“自评表”），未导入"]


# ---------------------------------------------------------------------------- the 执行监控 form


def test_monitoring_sheet_beside_the_self_evaluation_goes_into_the_same_record(tmp_path, imported):
    """Seed 000's 执行监控情况表 as a second sheet: the record is the self-evaluation's, plus [monitoring]
    equal to the one transcribed from the seed by hand."""
    res = read_form(str(builders.build_national(tmp_path / "两张表.xlsx", monitoring=True)))
    assert (res.layout, res.sheet, res.monitoring_sheet) == ("national", "自评表", "执行监控")
    assert res.unmapped == []
    assert res.data["monitoring"] == seed("bayannur-treasury-epay")["monitoring"]
    assert {k: v for k, v in res.data.items() if k != "monitoring"} == imported["national"].data
    notes = "\n".join(res.notes)
    assert "执行监控!B9 的“财政拨款”22.5 与资金总额相同" in notes  # a figure not recorded is named
    skipped = "\n".join(res.skipped)
    for cell in ("执行监控!A6", "执行监控!F6", "执行监控!A34", "执行监控!G34", "执行监控!A27"):
        assert cell in skipped, cell  # 项目负责人, telephone, 财政局审核意见, 填报人签字, the 注 under the table
    assert "0478" not in repr(res.data) and "刘鹏飞" not in repr(res.data)


def test_import_command_writes_the_monitoring_section(tmp_path, capsys):
    form = builders.build_national(tmp_path / "两张表.xlsx", monitoring=True)
    out_dir = tmp_path / "projects" / "2021"
    code, out, _ = cli(capsys, form, "--out", out_dir, *NATIONAL_FLAGS)
    assert code == 0, out
    assert "执行监控情况（[monitoring]）取自工作表“执行监控”" in out
    toml_path = out_dir / "bayannur-treasury-epay.toml"
    assert (
        tomli.loads(toml_path.read_text(encoding="utf-8"), parse_float=D)["monitoring"]
        == seed("bayannur-treasury-epay")["monitoring"]
    )
    assert run_pipeline([str(toml_path)]).ok


def test_monitoring_workbook_of_its_own_gives_what_it_has(tmp_path, capsys):
    """Only the monitoring form: the project's names, the year and [monitoring]; nothing of the self-evaluation
    is made up, and what the form does not give is left for the editor."""
    form = builders.build_monitoring(tmp_path / "执行监控.xlsx")
    out_dir = tmp_path / "projects" / "2021"
    code, out, _ = cli(
        capsys, form, "--out", out_dir, "--id", "bayannur-treasury-epay", "--region", "内蒙古自治区巴彦淖尔市"
    )
    assert code == 1  # written; evaluation and evaluator are for the editor
    assert "识别为“项目支出绩效目标执行监控表”（monitoring，工作表“执行监控”）" in out
    assert "文件中只有执行监控表" in out
    text = (out_dir / "bayannur-treasury-epay.toml").read_text(encoding="utf-8")
    assert '# evaluation = ""  # 待填写' in text and '# evaluator = ""  # 待填写' in text
    data = tomli.loads(text, parse_float=D)
    expected = seed("bayannur-treasury-epay")
    for key in ("name", "year", "department", "implementer", "monitoring"):
        assert data[key] == expected[key], key
    for key in ("indicator", "budget", "total", "goals", "scheme", "evaluation", "max_score"):
        assert key not in data, key
    assert "E101" in out and "evaluation" in out


def test_monitoring_in_the_ministrys_layout(tmp_path):
    """Two header rows, 偏差原因分析 and 完成目标可能性 as ticked sub-columns, full-width labels, 一级指标 merged
    down; what the record has no place for is reported cell by cell."""
    res = read_form(str(builders.build_monitoring_ministry(tmp_path / "监控表.xlsx")))
    assert res.layout == "monitoring"
    data = res.data
    assert (data["name"], data["department"], data["implementer"], data["year"]) == (
        "国库集中支付电子化服务",
        "巴彦淖尔市财政局",
        "巴彦淖尔市财政综合保障中心",
        2021,
    )
    assert data["goals"] == {"expected": ["维护人行端前置系统、电子签章产品及电子凭证库技术服务"]}
    mon = data["monitoring"]
    assert (mon["period"], mon["budget"], mon["executed"]) == ("1-6月", D("22.5"), 0)
    assert mon["summary"] == builders.MONITORING_SUMMARY and mon["next_steps"] == builders.MONITORING_NEXT
    assert mon["deviation_reasons"] == "系统未验收，款项未付。"
    assert mon["indicator"] == [
        {
            "path": ["产出指标", "数量指标"],
            "name": "维护人行端前置系统",
            "target": "1项",
            "progress": "1项",
            "likelihood": "确定能",
        },
        {
            "path": ["产出指标", "成本指标"],
            "name": "维护人行端前置系统",
            "target": "4.5万元",
            "progress": "0万元",
            "likelihood": "确定能",
            "reason": "其他：系统未验收，款项未付",
        },
        {
            "path": ["产出指标", "成本指标"],
            "name": "电子签章产品及电子凭证库技术服务",
            "target": "18万元",
            "progress": "0万元",
            "likelihood": "有可能",
            "reason": "经费保障；其他",
        },
        {
            "path": ["效益指标", "可持续影响指标"],
            "name": "持续发挥作用期限",
            "target": "长期",
            "progress": "长期",
            "likelihood": "确定能",
        },
    ]
    assert [u.split(":")[0] for u in res.unmapped] == [
        "监控表!G6",
        "监控表!G11",
        "监控表!P11",
        "监控表!G12",
        "监控表!G13",
    ]
    assert "“全年预计执行数”在执行监控情况中没有对应字段" in res.unmapped[0]
    assert "“备注”在执行监控情况中没有对应字段" in res.unmapped[2]
    assert any("执行率 0%（监控表!F6）等于累计执行数 ÷ 年初预算数" in n for n in res.notes)


def test_monitoring_in_huangshis_layout(tmp_path):
    """黄石市's 项目支出绩效监控表: the 绩效指标 column holds 产出指标 / 效益指标, 年度资金总额： ends in a colon,
    不可能 is the third tier, the texts stand beside their labels under the table."""
    res = read_form(str(builders.build_monitoring_huangshi(tmp_path / "黄石.xlsx")))
    assert res.layout == "monitoring" and res.unmapped == []
    mon = res.data["monitoring"]
    assert (mon["period"], mon["budget"], mon["executed"]) == ("半年度", D("22.5"), 0)
    assert mon["indicator"] == [
        {
            "path": ["产出指标", "数量"],
            "name": "维护人行端前置系统",
            "target": "1项",
            "progress": "1项",
            "likelihood": "确定能",
        },
        {
            "path": ["产出指标"],
            "name": "成本",
            "target": "年度预算22.5万元",
            "progress": "未验收，尚未支付",
            "likelihood": "完全不可能",
        },
        {
            "path": ["效益指标", "可持续影响"],
            "name": "持续发挥作用期限",
            "target": "长期",
            "progress": "长期",
            "likelihood": "确定能",
        },
    ]
    assert mon["deviation_reasons"] == "系统未验收，款项未付。" and mon["next_steps"] == builders.MONITORING_NEXT
    assert "summary" not in mon
    assert any("“不可能”记为“完全不可能”" in n for n in res.notes)


def test_monitoring_layout_variant_labels(tmp_path):
    """The seed's form with labels as bureaus type them: full-width colons, digits and spaces, the 完成目标可能性
    header wrapped by hand over three lines, the 一级指标 cells merged down (as the builder writes them), a
    heading and its text in one cell."""
    path = builders.build_monitoring(tmp_path / "m.xlsx")
    wb = load_workbook(path)
    ws = wb.active
    ws["A4"] = "项　目　名　称："
    ws["A5"] = "项目执行单位名称 ："
    ws["A3"] = "部门名称 ：巴彦淖尔市财政局"
    ws["H12"] = "完成目标的\n可能性（确定能／\n有可能／完全不可能）"
    ws["G12"] = "存在偏差情况\n（是／否）"
    ws["F12"] = "1－6月\n执行情况"
    ws["B8"] = "资金总额：２２．５"
    assert ws["B32"].value == "三、下一步工作措施" and ws["B33"].value == builders.MONITORING_NEXT
    ws["B32"] = "三、下一步工作措施：" + builders.MONITORING_NEXT  # heading and text in one cell
    ws["B33"] = None
    wb.save(tmp_path / "variant.xlsx")
    res = read_form(str(tmp_path / "variant.xlsx"))
    assert res.unmapped == []
    assert res.data["monitoring"] == seed("bayannur-treasury-epay")["monitoring"]
    assert (res.data["name"], res.data["implementer"]) == ("国库集中支付电子化服务", "巴彦淖尔市财政综合保障中心")
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "B13:B22" in merged  # 产出指标 over its ten rows


def test_monitoring_cells_that_cannot_be_read_are_reported(tmp_path):
    path = builders.build_monitoring_ministry(tmp_path / "m.xlsx")
    wb = load_workbook(path)
    ws = wb.active
    ws["F6"] = "5%"  # not 0 ÷ 22.5
    ws["E7"] = 3  # a source that differs from the total
    ws["N11"] = "√"  # a second tick beside 确定能
    ws["M14"] = "大概能"  # no tick
    wb.save(tmp_path / "bad.xlsx")
    res = read_form(str(tmp_path / "bad.xlsx"))
    text = "\n".join(res.unmapped)
    assert "监控表!F6: 执行率 5% 与累计执行数 ÷ 年初预算数（0%）不一致" in text
    assert "监控表!E7: 资金来源“财政拨款”的累计执行数 3 在执行监控情况中没有位置" in text
    assert "监控表!M11: 指标“维护人行端前置系统”勾选了多个完成目标的可能性" in text
    assert "监控表!M14: 无法识别“确定能”一栏中的“大概能”" in text
    rows = res.data["monitoring"]["indicator"]
    assert "likelihood" not in rows[0] and "likelihood" not in rows[3]  # never guessed
    assert res.data["monitoring"]["executed"] == 0


def test_monitoring_amounts_in_another_unit_are_not_converted(tmp_path):
    path = builders.build_national(tmp_path / "f.xlsx", monitoring=True)
    wb = load_workbook(path)
    wb["执行监控"]["A8"] = "年初预算项目总资金数\n(元)"
    wb["执行监控"]["B8"] = "资金总额：225000"
    wb.save(tmp_path / "g.xlsx")
    res = read_form(str(tmp_path / "g.xlsx"))
    mon = res.data["monitoring"]
    assert "budget" not in mon and "executed" not in mon
    assert any("执行监控表的年初预算数 225000元 与预算表的单位（万元）不同，不能换算后照录" in u for u in res.unmapped)


def test_a_monitoring_workbook_in_yuan_keeps_its_amounts_out(tmp_path):
    path = builders.build_monitoring(tmp_path / "m.xlsx")
    wb = load_workbook(path)
    wb.active["A8"] = "年初预算项目总资金数\n(元)"
    wb.active["E8"] = "截止6月末项目累计支出数\n(元)"
    wb.active["B8"] = "资金总额：225000"
    wb.active["B9"] = "其中：财政拨款：225000"
    wb.save(tmp_path / "yuan.xlsx")
    res = read_form(str(tmp_path / "yuan.xlsx"))
    assert "budget" not in res.data and "budget" not in res.data["monitoring"]
    assert any("年初预算数 225000元 未导入" in u and 'unit = "元"' in u for u in res.unmapped)


def test_a_second_monitoring_sheet_and_a_differing_name_are_reported(tmp_path):
    path = builders.build_national(tmp_path / "f.xlsx", monitoring=True)
    wb = load_workbook(path)
    copy = wb.copy_worksheet(wb["执行监控"])
    copy.title = "执行监控（二）"
    wb["执行监控"]["B4"] = "国库集中支付电子化"
    wb.save(tmp_path / "g.xlsx")
    res = read_form(str(tmp_path / "g.xlsx"))
    assert res.monitoring_sheet == "执行监控" and res.data["name"] == "国库集中支付电子化服务"
    assert "执行监控: 执行监控表的项目名称“国库集中支付电子化”与自评表的“国库集中支付电子化服务”不同" in "\n".join(
        res.unmapped
    )
    assert "执行监控（二）: 又一张执行监控表（只导入了工作表“自评表”和“执行监控”），未导入" in res.unmapped


@pytest.mark.parametrize(
    "build,monitoring_form",
    [("build_national", False), ("build_wuhan", False), ("build_suzhou", False), ("build_monitoring", True)],
)
def test_the_monitoring_form_is_told_from_the_self_evaluation_forms(tmp_path, build, monitoring_form):
    from generator.office import monitoring
    from generator.office.importer import LAYOUTS, MIN_SCORE, open_grids

    grid = open_grids(str(getattr(builders, build)(tmp_path / "f.xlsx")))[0]
    self_evaluation = max(m.detect(grid) for m in LAYOUTS.values())
    if monitoring_form:
        assert monitoring.detect(grid) >= MIN_SCORE and monitoring.detect(grid) > self_evaluation
    else:
        assert monitoring.detect(grid) < MIN_SCORE


# ---------------------------------------------------------------------------- legacy .xls


def test_xls_without_libreoffice_gives_a_clear_message(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    xls = tmp_path / "自评表.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    code, _, err = cli(capsys, xls, "--out", tmp_path / "o")
    assert code == 2
    assert "LibreOffice" in err and "另存为 .xlsx" in err


def test_xls_goes_through_soffice_headless(tmp_path, forms, capsys, monkeypatch):
    calls = []

    def fake_run(cmd, **kwargs):
        calls.append(cmd)
        outdir = Path(cmd[cmd.index("--outdir") + 1])
        shutil.copyfile(forms["national"], outdir / (Path(cmd[-1]).stem + ".xlsx"))
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: "/usr/bin/soffice" if name == "soffice" else None)
    monkeypatch.setattr(subprocess, "run", fake_run)
    xls = tmp_path / "自评表.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    code, out, _ = cli(capsys, xls, "--out", tmp_path / "projects" / "2021", *NATIONAL_FLAGS)
    assert code == 0, out
    assert calls and calls[0][0] == "/usr/bin/soffice"
    assert "--headless" in calls[0] and calls[0][calls[0].index("--convert-to") + 1] == "xlsx"


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice 未安装")
def test_real_xls_conversion(tmp_path, forms, capsys):  # pragma: no cover - only where LibreOffice exists
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run(
        [exe, "--headless", "--convert-to", "xls", "--outdir", str(tmp_path), str(forms["national"])],
        check=True,
        capture_output=True,
        timeout=180,
    )
    xls = next(tmp_path.glob("*.xls"))
    res = read_form(str(xls))
    assert res.layout == "national" and len(res.data["indicator"]) == 16


# ---------------------------------------------------------------------------- cells and numbers


def test_merged_cells_resolve_to_their_top_left_cell():
    wb = Workbook()
    ws = wb.active
    ws["B2"] = "产出指标"
    ws.merge_cells("B2:B5")
    grid = Grid.from_worksheet(ws)
    assert grid.text(4, 2) == "产出指标" and grid.ref(4, 2) == "Sheet!B2"
    assert grid.is_new(2, 2) and not grid.is_new(3, 2) and not grid.one_row(2, 2)


@pytest.mark.parametrize(
    "text,kind,value",
    [
        ("22.50", "amount", "22.50"),
        ("200万元", "amount", "200"),
        (" 1,234.5 ", "amount", "1234.5"),
        ("８３．６２％", "rate", "83.62"),
        ("5分", "points", "5"),
        ("—", "points", None),
        ("/", "amount", None),
        ("无", "amount", None),
    ],
)
def test_number_text_is_parsed_exactly(text, kind, value):
    n = parse_number_text(text, kind=kind, unit="万元")
    assert n.problem is None
    assert (str(n.value) if n.value is not None else None) == value


@pytest.mark.parametrize(
    "text,kind", [("约5", "points"), ("2000000元", "amount"), ("5%", "points"), ("1.2.3", "amount")]
)
def test_number_text_that_cannot_be_read_is_a_problem(text, kind):
    assert parse_number_text(text, kind=kind, unit="万元").problem


def test_percent_formatted_rate_and_uncached_formula(tmp_path):
    form = builders.build_national(tmp_path / "f.xlsx")
    wb = load_workbook(form)
    ws = wb.active
    ws["I8"] = 0.8362
    ws["I8"].number_format = "0.00%"
    ws["I9"] = "=G9/F9"  # a formula saved without its value (as openpyxl and some exporters write them)
    wb.save(tmp_path / "g.xlsx")
    res = read_form(str(tmp_path / "g.xlsx"))
    assert res.data["budget"]["rate"] == D("83.62")
    assert res.data["indicator"][0]["actual"] == "83.62%"
    assert any(u.startswith("自评表!I9: ") and "公式" in u for u in res.unmapped)
    assert "rate" not in res.data["budget"]["sources"][0]


# ---------------------------------------------------------------------------- Word reports


def test_docx_report_becomes_markdown(forms):
    md, notes = docx_to_markdown(str(forms["report"]))
    lines = md.splitlines()
    assert lines[0] == "# 2021 年综合保障中心国库集中支付电子化服务项目 绩效自评报告"
    assert "## 一、项目基本情况" in lines and "### (一)项目基本情况简介" in lines and "## 三、自评得分情况" in lines
    assert "- 人行端前置系统、电子签章产品及电子凭证库项目实施完成；" in lines
    assert "1. 维护人行端前置系统 4.5 万元" in lines
    assert "| 指标 | 分值 | 得分 |" in lines and "| 预算执行率 | 10 | 0 |" in lines
    assert "7\\*24 小时服务，见 \\<附件>。" in md  # Markdown specials escaped, no raw HTML
    assert notes == []


def test_docx_without_heading_styles_uses_chinese_numbering(forms):
    md, _ = docx_to_markdown(str(forms["plain_report"]))
    assert md.splitlines()[0] == "## 一、绩效目标完成情况"
    assert "### （一）执行率情况" in md and "## 二、存在的问题和原因" in md
    assert "预算执行率为83.62%。" in md


def test_damaged_report_exit_2(tmp_path, forms, capsys):
    bad = tmp_path / "r.docx"
    bad.write_bytes(b"not a docx")
    code, _, err = cli(capsys, forms["national"], bad, "--out", tmp_path / "o", *NATIONAL_FLAGS)
    assert code == 2 and "无法读取报告" in err
