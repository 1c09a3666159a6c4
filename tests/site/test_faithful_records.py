"""A faithful record of an inconsistent form publishes (issue 11): `mkdocs build --strict` passes on records that copy
a real form as printed — weights that do not add up, a score above its weight, a total that is not the sum, values
the source left blank, no evaluation year, no report text, a table printed in part — and each page says 未公布 where
the source did and lists the discrepancies under 数据核对."""

from __future__ import annotations

import re
from pathlib import Path

# A form copied as printed: 主管部门 and 评价日期 blank, no evaluation year (filed under the year it was
# published), a group whose rows add up to 40 of its 50 (so the level-1 weights add up to 80 of 100), a score
# above its weight, a row whose score is blank and a total above what the other scores allow, no report text.
INCONSISTENT = """\
id = "faithful-inconsistent"
name = "照录原表的项目"
year = "未公布"
filed_year = 2023
region = "某省某市"
department = "未公布"
evaluation = "单位自评"
evaluator = "某市财政局"
date = "未公布"
status = "published"
max_score = 100
total = 83
narrative = "未公布"

[budget]
unit = "万元"
budget = 50
executed = "未公布"
rate = 92

[[group]]
path = ["产出指标"]
weight = 50

[[group]]
path = ["效益指标"]
weight = 30

[[indicator]]
path = []
name = "预算执行率"
target = "100%"
actual = "92%"
weight = 10
score = 9.2
reason = "部分资金未支付"

[[indicator]]
path = ["产出指标", "数量指标"]
name = "培训人次"
target = "≥200 人次"
actual = "210 人次"
weight = 20
score = 22

[[indicator]]
path = ["产出指标", "质量指标"]
name = "培训合格率"
target = "≥95%"
actual = "未公布"
weight = 20
score = 20

[[indicator]]
path = ["效益指标", "社会效益指标"]
name = "服务水平"
target = "明显提升"
actual = "明显提升"
weight = 30
score = "未公布"
"""

# A table the source printed in part: one page of the form, group weights only for its rows.
EXCERPT = """\
id = "faithful-excerpt"
name = "只公布了一页的评价表"
year = 2023
region = "某省某市"
department = "某市财政局"
evaluation = "部门评价"
evaluator = "某评价机构"
date = "未公布"
status = "published"
scheme = "national-dept"

[form]
excerpt = "表格在“过程”之后截断（原文仅公布第 1 页）"

[[group]]
path = ["决策"]
weight = 20

[[group]]
path = ["过程"]
weight = 20

[[indicator]]
path = ["决策", "项目立项"]
name = "立项依据充分性"
weight = "未公布"
score = 4
reason = "依据不够充分"
rule = { kind = "judgement" }

[[indicator]]
path = ["过程", "资金管理"]
name = "资金到位率"
target = "100%"
actual = "100%"
weight = 5
score = 5
"""


def _write(folder: Path, slug: str, text: str, narrative: str | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{slug}.toml").write_text(text, encoding="utf-8")
    if narrative is not None:
        (folder / f"{slug}.md").write_text(narrative, encoding="utf-8")


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_strict_build_publishes_a_faithful_record_of_an_inconsistent_form(tmp_path, site_tools):
    records = tmp_path / "projects"
    _write(records / "2023", "faithful-inconsistent", INCONSISTENT, None)
    _write(records / "2023", "faithful-excerpt", EXCERPT, "## 一、评价结论\n\n照录。\n")
    proc, site = site_tools.build_records(tmp_path, records, strict=True, relaxed_nav=True)
    problems = [ln for ln in proc.log.splitlines() if ln.startswith(("WARNING", "ERROR"))]
    assert proc.returncode == 0, "\n".join(problems) or proc.log[-4000:]
    assert not problems
    # the findings are in the log for editors (infos), none is an error
    for code in ("W241", "W242", "W243", "W246", "I250", "I245"):
        assert code in proc.log, code

    page = _visible((site / "projects" / "2023" / "faithful-inconsistent" / "index.html").read_text(encoding="utf-8"))
    assert "评价年度 未公布" in page and "主管部门 未公布" in page and "评价日期 未公布" in page
    assert "数据核对" in page
    assert "各一级指标的分值相加为 80 分，与满分 100 分不符。" in page
    assert "“产出指标”的分值为 50 分，其下各项分值相加为 40 分，两者不符。" in page
    assert "总分最多为 81.2 分" in page
    assert "指标“培训人次”：公布得分 22 分，超过该指标的分值 20 分。" in page
    assert "评价报告正文：未公布" in page
    cut = _visible((site / "projects" / "2023" / "faithful-excerpt" / "index.html").read_text(encoding="utf-8"))
    assert "公布材料仅包含评价表的一部分" in cut and "已公布部分合计" in cut
    assert "主管部门未公布" in _visible((site / "departments" / "index.html").read_text(encoding="utf-8"))
    assert "评价年度未公布" in _visible((site / "years" / "index.html").read_text(encoding="utf-8"))
