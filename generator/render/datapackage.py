"""data/datapackage.json: the site-wide data files described as a Frictionless data package (Data Package v1,
Table Schema): each CSV file's columns in order, with type, Chinese title and description, its primary key and
how it is written (UTF-8 with a byte-order mark, comma, CRLF).

The columns are those the CSV files are written with (downloads.PROJECT_HEADER, INDICATOR_HEADER); a column
without a description here fails the build (KeyError), so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from generator.core.fields import EVALUATION_KINDS

from .downloads import INDICATOR_HEADER, PROJECT_HEADER
from .open_data import DATAPACKAGE, dumps
from .project import SiteOptions

# column → (Table Schema type, description); the column's name is its CSV header and its title
_COLUMNS: dict[str, tuple[str, str]] = {
    "项目编号": ("string", "项目的编号，同一项目各年度相同（小写英文字母、数字和连字符）"),
    "年度": ("integer", "评价年度"),
    "项目名称": ("string", "项目名称"),
    "地区": ("string", "项目所在地区"),
    "主管部门": ("string", "项目的主管部门"),
    "实施单位": ("string", "项目的实施单位；原文未写明时为空"),
    "评价类型": ("string", "单位自评、部门评价、财政评价、第三方评价或执行监控"),
    "评价机构": ("string", "作出评价的机构或评价人"),
    "评价日期": ("string", "评价日期，照原文写到年、月或日：2021、2021-08 或 2021-08-31"),
    "满分": ("number", "评价表的满分；未计分的评价为空"),
    "公布总分": ("number", "公布的总分；未计分的评价为空"),
    "公布等级": ("string", "公布的等级（原文写明的，或按等级分数段由公布总分确定）；未计分的评价为空"),
    "复核总分": ("number", "本站按评分规则重新计算的总分；无法计算时为空"),
    "复核总分范围": ("string", "复核总分覆盖的范围：完整、已公布部分合计（原文只公布了评价表的一部分）或无法计算"),
    "复核等级": ("string", "按复核总分确定的等级；无法确定时为空"),
    "金额单位": ("string", "预算数和执行数的金额单位，如 万元"),
    "预算数": ("number", "全年预算数（调整后预算；未调整时为年初预算数）"),
    "执行数": ("number", "全年执行数（实际支出）"),
    "执行率(%)": ("number", "预算执行率，百分数：执行数 ÷ 预算数 × 100，保留两位小数"),
    "指标路径": ("string", "该指标的上级指标，从一级指标开始，以“ / ”分隔，如 产出指标 / 数量指标"),
    "指标名称": ("string", "末级绩效指标的名称"),
    "指标值": ("string", "年度指标值（目标值），照原文，如 ≥95%"),
    "实际完成值": ("string", "实际完成值，照原文"),
    "分值": ("number", "该指标的分值（权重）"),
    "得分": ("number", "公布的得分"),
    "复核得分": ("number", "本站按评分规则重新计算的得分；评价人在区间内打分的指标和无法计算的指标为空"),
    "评分规则": ("string", "该指标使用的评分规则类型的代码（计算方法见网站的“方法说明”）"),
    "扣分原因": ("string", "扣分说明或偏差原因，照原文"),
}
_CONSTRAINTS: dict[str, dict[str, Any]] = {  # patterns in the XML Schema syntax Table Schema uses (no (?:…))
    "项目编号": {"required": True, "pattern": "[a-z0-9]+(-[a-z0-9]+)*"},
    "项目名称": {"required": True},
    "评价类型": {"required": True, "enum": list(EVALUATION_KINDS)},
}
_TEXT_NOTE = "文字以 = + - @ 开头的单元格前加了一个英文单引号（'），以免电子表格软件把它当作公式执行；读取时去掉这个单引号即得原文。"
DIALECT = {"delimiter": ",", "doubleQuote": True, "header": True, "lineTerminator": "\r\n", "quoteChar": '"'}


def _schema(header: list[str]) -> dict[str, Any]:
    fields = []
    for name in header:
        kind, description = _COLUMNS[name]
        field: dict[str, Any] = {"name": name, "title": name, "type": kind, "description": description}
        if kind == "number":
            field["bareNumber"] = True
        if name in _CONSTRAINTS:
            field["constraints"] = _CONSTRAINTS[name]
        fields.append(field)
    # "未公布": the source left the value blank (a fact of the source, not an empty cell)
    return {"fields": fields, "missingValues": ["", "未公布"]}


def datapackage(options: SiteOptions, every_year_published: bool = True) -> dict[str, Any]:
    """The data package of data/projects.csv, data/indicators.csv and data/projects.json. The keys on 年度 hold
    only when every record's evaluation year was published (a key may not be missing)."""
    projects = _schema(PROJECT_HEADER)
    indicators = _schema(INDICATOR_HEADER)
    if every_year_published:
        projects["primaryKey"] = ["项目编号", "年度", "评价类型"]  # one record per project, year and type (E120)
        indicators["foreignKeys"] = [
            {"fields": ["项目编号", "年度"], "reference": {"resource": "projects", "fields": ["项目编号", "年度"]}}
        ]
    csv = {"format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "dialect": DIALECT}
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": "perf-disclosure",
        "title": f"{options.site_title}：项目支出绩效评价数据",
        "description": (
            "本站公开的全部项目支出绩效评价记录：每个项目一行的汇总表、每个末级绩效指标一行的明细表，以及每个项目的完整复核结果。"
            "CSV 文件为 UTF-8 编码（带 BOM），可用 Excel 直接打开。"
        ),
        "keywords": ["绩效评价", "项目支出", "预算绩效", "财政", "信息公开"],
        "resources": [
            {
                "name": "projects",
                "path": "projects.csv",
                "profile": "tabular-data-resource",
                "title": "全部项目汇总",
                "description": "每个公开的评价记录一行：项目、评价、公布得分与等级、复核得分与等级、预算执行。"
                + _TEXT_NOTE,
                **csv,
                "schema": projects,
            },
            {
                "name": "indicators",
                "path": "indicators.csv",
                "profile": "tabular-data-resource",
                "title": "全部绩效指标明细",
                "description": "每个末级绩效指标一行，按原表顺序；项目编号和年度对应汇总表中的项目（同一项目同一年度有几种评价时，"
                "对应其中每一种）。" + _TEXT_NOTE,
                **csv,
                "schema": indicators,
            },
            {
                "name": "projects-json",
                "path": "projects.json",
                "profile": "data-resource",
                "title": "全部项目复核结果（JSON）",
                "description": "每个项目的复核结果：公布与复核的得分和等级、预算执行、每个指标的得分和数据核对结果。",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
            },
        ],
    }
    if options.site_url:
        package["homepage"] = options.site_url
    return package


def datapackage_file(options: SiteOptions, every_year_published: bool = True) -> tuple[str, bytes]:
    return DATAPACKAGE, dumps(datapackage(options, every_year_published))
