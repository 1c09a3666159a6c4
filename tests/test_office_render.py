"""The exported forms as LibreOffice prints them: long texts show whole, each in its own row.

Every layout is exported for the seeds and for a record of very long texts, converted to PDF by
LibreOffice (one run for all files) and checked by tests/office_render.py: each long cell text is in the
PDF whole, no two words are drawn over each other, no cell border runs through a word. The same files
with their row heights taken out are checked too: there the check must find the overlapping text the
forms had before rows were sized (so a check that sees nothing cannot pass).

Needs LibreOffice and poppler-utils (scripts/test.sh installs libreoffice-calc-nogui and poppler-utils
with apt-get); skipped with the reason where they are missing.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.office import export_xlsx

_spec = importlib.util.spec_from_file_location("office_render", Path(__file__).parent / "office_render.py")
render = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = render  # its dataclasses look their module up
_spec.loader.exec_module(render)

ROOT = Path(__file__).resolve().parent.parent
MISSING = render.missing_tools()
pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=f"没有 {'、'.join(MISSING)}：渲染检查需要 LibreOffice 和 poppler-utils"
    "（scripts/test.sh 用 apt-get 安装 libreoffice-calc-nogui 和 poppler-utils）",
)
LAYOUTS = ("national", "hubei", "suzhou")
SEEDS = ("caidian-jincai", "suzhou-egov-construction", "bayannur-treasury-epay")

LONG = (
    "系统已于 2021 年 6 月上线运行，因建设单位尚未完成最终验收（acceptance test scheduled for Q1 2022），"
    "合同约定的尾款暂未支付；下一步将督促承建单位（ABC Information Technology Co., Ltd.）尽快整改，"
    "“完成验收后”按合同支付余款，并加强项目全过程绩效监控。"
)
STRESS = f"""
id = "render-stress"
name = "长文字测试项目：{"信息化建设与运行维护服务" * 4}"
year = 2021
region = "某省某市"
department = "某市财政局"
implementer = "某市财政综合保障中心"
evaluation = "单位自评"
evaluator = "某市财政局"
date = "2021"
status = "published"
max_score = 20
total = 18

[goals]
expected = ["{LONG}"]
achieved = ["{LONG * 2}"]

[budget]
unit = "万元"
budget = 100
executed = 90
rate = 90

[[indicator]]
path = ["产出指标", "数量指标（含跨年度结转的各类建设内容与运行维护服务内容）"]
name = "{LONG[:60]}"
target = "{LONG}"
actual = "{LONG}"
weight = 10
score = 8
reason = "第一行\\n第二行\\n{LONG * 2}"

[[indicator]]
path = ["效益指标", "社会效益指标"]
name = "短"
target = "1 项"
actual = "1 项"
weight = 10
score = 10

[monitoring]
period = "1-6月"
budget = 100
executed = 45
summary = "{LONG * 2}"
deviation_reasons = "{LONG}"
next_steps = "第一行\\n{LONG}"

[[monitoring.indicator]]
path = ["产出指标", "数量指标（含跨年度结转的各类建设内容与运行维护服务内容）"]
name = "{LONG[:60]}"
target = "{LONG}"
progress = "{LONG}"
deviation = true
likelihood = "有可能"
reason = "{LONG}"
"""
STRESS_MD = f"## 项目概况\n\n{LONG * 4}\n\n### 1.一个小标题\n\n{LONG * 3}\n\n## 项目实施情况\n\n{LONG}\n"


def _strip_heights(src: Path, dest: Path) -> Path:
    """The same file without row heights: the forms as they were before rows were sized."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                data = re.sub(rb' ht="[\d.]+" customHeight="1"', b"", data)
            zout.writestr(name, data)
    return dest


def _long_texts(xlsx: Path) -> list[str]:
    """The long texts of every sheet (the national form has the 执行监控 table as its second sheet)."""
    return [
        c.value
        for ws in load_workbook(xlsx).worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and len(c.value) >= 20
    ]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """(xlsx, pdf) by name: <record>-<layout>, and <record>-<layout>-bare without row heights."""
    base = tmp_path_factory.mktemp("render")
    stress = base / "projects" / "2021" / "render-stress.toml"
    stress.parent.mkdir(parents=True)
    stress.write_text(STRESS, encoding="utf-8")
    stress.with_suffix(".md").write_text(STRESS_MD, encoding="utf-8")
    records = {name: next(ROOT.glob(f"projects/*/{name}.toml")) for name in SEEDS} | {"render-stress": stress}
    files: dict[str, Path] = {}
    for name, path in records.items():
        for layout in LAYOUTS:
            out = base / f"{name}-{layout}.xlsx"
            export_xlsx(str(path), str(out), layout)
            files[out.stem] = out
    for key in ("caidian-jincai-national", "render-stress-hubei", "render-stress-suzhou"):
        files[key + "-bare"] = _strip_heights(files[key], base / f"{key}-bare.xlsx")
    pdfs = render.to_pdf(list(files.values()), base)
    return {key: (xlsx, pdf) for (key, xlsx), pdf in zip(files.items(), pdfs)}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("record", [*SEEDS, "render-stress"])
def test_long_texts_show_whole_and_apart(rendered, tmp_path, record, layout):
    xlsx, pdf = rendered[f"{record}-{layout}"]
    texts = _long_texts(xlsx)
    assert len(texts) >= (5 if record == "render-stress" else 0)  # the long record has much to look at
    assert render.problems(pdf, texts, tmp_path) == []


@pytest.mark.parametrize("key", ["caidian-jincai-national", "render-stress-hubei", "render-stress-suzhou"])
def test_the_check_finds_overlapping_text_without_row_heights(rendered, tmp_path, key):
    xlsx, pdf = rendered[f"{key}-bare"]
    found = render.problems(pdf, _long_texts(xlsx), tmp_path)
    assert any("文字重叠" in p for p in found) and any("表格线穿过文字" in p for p in found), found[:5]
