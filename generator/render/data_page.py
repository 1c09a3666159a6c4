"""The data page (数据下载): the site-wide data files, the API (open_data.py), the feeds (feeds.py), each
project's files, and a schema.org Dataset description (JSON-LD) naming every distribution.

Examples use the site's address when the build knows it (site_url), else https://example.org/ with a note
saying so. The JSON-LD block is the one place a page carries braces: its strings are escaped so that no
template engine downstream can read a `{{` in it (text.neutral_braces leaves the block alone).
"""

from __future__ import annotations

import json
import re
from html import escape
from typing import Any
from urllib.parse import urljoin

from . import open_data as api
from .problem_list import PROBLEMS_CSV, findings_link
from .project import SiteOptions
from .summary import ProjectSummary
from .text import front_matter
from .unpublished import UNPUBLISHED
from .urls import page_url, rel
from .watch_list import across_years_links

SRC = "data.md"
EXAMPLE_SITE = "https://example.org/"
JSON_LD_START = '<script type="application/ld+json">'
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
# inside a JSON-LD string: what could end the script element or start a template expression downstream
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "{": "\\u007b", "}": "\\u007d"}

# (label, site path, encoding format) of the files the Dataset offers
DISTRIBUTIONS = (
    ("全部项目汇总（CSV）", "data/projects.csv", "text/csv"),
    ("全部绩效指标明细（CSV）", "data/indicators.csv", "text/csv"),
    ("全部项目复核结果（JSON）", "data/projects.json", "application/json"),
    ("全部问题及整改情况（CSV）", PROBLEMS_CSV, "text/csv"),
    ("数据包说明（Frictionless datapackage.json）", api.DATAPACKAGE, "application/json"),
    ("数据接口索引（JSON）", api.INDEX, "application/json"),
    ("记录格式（JSON Schema）", api.RECORD_SCHEMA, "application/schema+json"),
    ("最新公开（Atom 订阅）", api.FEED, "application/atom+xml"),
)

# (address pattern, what it holds) of the API, as the page's table lists it
API_FILES = (
    (api.INDEX, "全站索引：项目、年度和部门的数目，各年度和各部门索引文件的地址，全部数据文件的地址"),
    (
        f"{api.API}/projects/〈年度〉/〈文件名〉.json",
        "一个项目页面上的全部数据：得分、等级、预算执行、每个指标、数据核对结果和评价报告正文",
    ),
    (f"{api.API}/years/〈年度〉.json", "该年度的全部项目：主要数字（总分、等级、执行率、预算）和各自的地址"),
    (f"{api.API}/departments/〈部门〉.json", "一个主管部门的全部项目，内容同上"),
    (api.RECORD_SCHEMA, "记录格式的 JSON Schema（记录原文 TOML 文件的字段、类型和说明）"),
    (api.FEED, "最新公开的评价结果（Atom 订阅）；每个部门另有 api/v1/departments/〈部门〉.atom"),
    (api.DATAPACKAGE, "CSV 文件的说明（Frictionless 数据包格式）：每一列的名称、类型、说明和主键"),
)

# the fields of a project's JSON file (open_data.project_twin), as the page explains them
TWIN_FIELDS = (
    ("id、name、year、region、department、implementer", "项目编号、项目名称、评价年度、地区、主管部门、实施单位"),
    ("evaluation、evaluator、evaluation_date、publish_date", "评价类型、评价机构、评价日期、公开日期"),
    ("max_score、declared_total、published_grade", "满分、公布总分、公布等级"),
    ("computed_total、grade", "复核总分（按评分规则重新计算）及其等级"),
    ("budget", "预算执行：金额单位、预算数、执行数、执行率（%），资金来源和支出明细各行"),
    ("indicators", "末级指标，按原表顺序：路径、名称、指标值、完成值、分值、公布得分、复核得分、评分规则、扣分原因"),
    ("findings", "数据核对发现的不一致之处（与项目页面“数据核对”部分相同）"),
    ("goals、report_text", "年度总体目标和完成情况；评价报告正文（Markdown）"),
    (
        "problems、recommendations、follow_up、result_use",
        "评价报告逐条列出的存在的问题和有关建议、对以往评价所列问题整改情况的说明、评价结果应用（对以后年度预算的影响）",
    ),
    ("urls", "项目页面、本文件和各下载文件的地址"),
)


def _script_json(data: Any) -> str:
    """JSON for a <script> element: compact lines, and no < > & { } inside strings (escaped as \\uXXXX)."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    return _JSON_STRING.sub(lambda m: re.sub(r"[<>&{}]", lambda c: _SCRIPT_ESCAPES[c.group()], m.group()), text)


def _href(path: str) -> str:
    return rel(SRC, path)


def dataset_json_ld(evs: list[ProjectSummary], options: SiteOptions) -> dict[str, Any]:
    """The schema.org Dataset the data page describes. Addresses are absolute with site_url, else relative to the
    page (a JSON-LD reader resolves them against the page's address)."""

    def url(path: str) -> str:
        return (
            urljoin(options.site_url.rstrip("/") + "/", api.address(page_url(path)))
            if options.site_url
            else _href(path)
        )

    years = sorted({s.year for s in evs if s.year is not None})
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": f"{options.site_title}：项目支出绩效评价数据",
        "description": (
            "公开的项目支出绩效评价结果：每个项目的绩效指标、指标值与完成值、分值与得分、等级、预算执行情况，"
            "以及按公布的评分规则逐项复核计算的结果。提供 CSV、JSON 文件、数据接口和 Atom 订阅。"
        ),
        "inLanguage": "zh-CN",
        "isAccessibleForFree": True,
        "keywords": ["绩效评价", "项目支出", "预算绩效", "预算执行率", "信息公开"],
        "url": url(SRC),
        "distribution": [
            {"@type": "DataDownload", "name": label, "encodingFormat": kind, "contentUrl": url(path)}
            for label, path, kind in DISTRIBUTIONS
        ],
    }
    if years:
        data["temporalCoverage"] = f"{years[0]}/{years[-1]}" if len(years) > 1 else str(years[0])
    return data


def _examples(evs: list[ProjectSummary], options: SiteOptions) -> list[str]:
    base = options.site_url.rstrip("/") + "/" if options.site_url else EXAMPLE_SITE
    out = ["## 使用示例", ""]
    if not options.site_url:
        out += [f"示例中的 {EXAMPLE_SITE} 代表本站的网址，使用时请换成本站实际的网址。", ""]
    out += ["用 curl 下载全站索引、某一年度的项目清单和一个项目的数据：", "", "```bash", f"curl -s {base}{api.INDEX}"]
    # a year index exists only for published evaluation years
    dated = [(s.year, s) for s in evs if s.year is not None]
    if dated:
        newest_year, newest = dated[0]
        out += [
            f"curl -s {base}{api.year_json(newest_year)} -o {newest_year}.json",
            f"curl -s {base}{api.summary_json(newest)}",
        ]
    out += [
        "```",
        "",
        "用 Python 的 pandas 读取 CSV 文件（带 BOM 的 UTF-8），按年度计算平均预算执行率：",
        "",
        "```python",
        "import pandas as pd",
        f'url = "{base}data/projects.csv"',
        'projects = pd.read_csv(url, encoding="utf-8-sig")',
        'print(projects.groupby("年度")["执行率(%)"].mean())',
        "```",
        "",
    ]
    if dated:
        out += [
            "读取某一年度的 JSON 索引，展开为表格：",
            "",
            "```python",
            "import json",
            "from urllib.request import urlopen",
            "import pandas as pd",
            f'with urlopen("{base}{api.year_json(newest_year)}") as response:',
            "    data = json.load(response)",
            'table = pd.json_normalize(data["projects"])',
            'print(table[["name", "department", "total", "grade", "execution_rate"]])',
            "```",
            "",
        ]
    return out


def data_page(evs: list[ProjectSummary], options: SiteOptions) -> str:
    """The downloads page: site-wide data files, the API and feeds with examples, each project's files, JSON-LD."""
    rows = []
    for ev in evs:
        base = ev.downloads
        links = " ".join(
            f'<a href="{_href(f"{base}.{ext}")}" download>{ext.upper()}</a>' for ext in ("toml", "json", "csv")
        )
        twin = _href(api.summary_json(ev))
        rows.append(
            f'<tr><td>{ev.year if ev.year is not None else UNPUBLISHED}</td><td><a href="{_href(ev.path)}">{escape(ev.name)}</a></td><td>{links} '
            f'<a href="{twin}">接口</a></td></tr>'
        )
    api_rows = "".join(
        f"<tr><td><code>{escape(path)}</code></td><td>{escape(text)}</td></tr>" for path, text in API_FILES
    )
    twin_rows = "".join(f"<tr><td><code>{escape(f)}</code></td><td>{escape(t)}</td></tr>" for f, t in TWIN_FIELDS)
    return "\n".join(
        [
            front_matter("数据下载"),
            "# 数据下载",
            "",
            "全部公开记录的数据，可自由下载使用。CSV 文件为 UTF-8 编码（带 BOM），可用 Excel 直接打开。",
            "",
            f'<ul class="pd-downloads">\n<li><a href="{_href("data/projects.csv")}" download>全部项目汇总（CSV）</a></li>\n'
            f'<li><a href="{_href("data/indicators.csv")}" download>全部绩效指标明细（CSV）</a></li>\n'
            f'<li><a href="{_href("data/projects.json")}" download>全部项目复核结果（JSON）</a></li>\n'
            f'<li><a href="{_href(PROBLEMS_CSV)}" download>全部问题及整改情况（CSV）</a></li>\n'
            f'<li><a href="{_href(api.DATAPACKAGE)}">数据包说明（datapackage.json）</a>：项目汇总和指标明细两个 CSV 文件每一列的名称、类型和说明</li>\n</ul>',
            "",
            across_years_links(evs, "data.md"),
            "",
            findings_link(SRC),
            "",
            "## 数据接口",
            "",
            "本站的数据也以 JSON 文件的形式按固定地址提供，可由程序直接读取，不需要登录或密钥。"
            "下表和 JSON 文件中的地址都从本站的网址算起（如本站网址后接 api/v1/index.json）。"
            "项目的页面地址和数据地址一经公开不再改变；记录改名时，旧地址保留一个转向新地址的页面，旧的 JSON 地址说明新的地址。",
            "",
            '<div class="pd-table-wrap"><table class="pd-api-files"><thead><tr><th>地址</th><th>内容</th></tr></thead>'
            f"<tbody>{api_rows}</tbody></table></div>",
            "",
            "项目数据文件（`api/v1/projects/〈年度〉/〈文件名〉.json`）中的主要字段：",
            "",
            '<div class="pd-table-wrap"><table class="pd-api-fields"><thead><tr><th>字段</th><th>含义</th></tr></thead>'
            f"<tbody>{twin_rows}</tbody></table></div>",
            "",
            "金额的单位见 `budget.unit`；得分、金额和比率为数字，未公布或无法计算的为 `null`。"
            "年度和部门索引中的 `score_pct` 是换算为百分制的公布总分，`totals` 中的 `budget_wan`、`executed_wan` "
            "是折合为万元的合计。",
            "",
            "## 订阅",
            "",
            f'<p><a href="{_href(api.FEED)}">订阅本站的最新公开（Atom）</a>。每个主管部门的页面上另有该部门的订阅地址。'
            "每条订阅内容的日期是该评价结果的公开日期；没有公开日期的，按评价日期。</p>",
            "",
            *_examples(evs, options),
            "## 各项目数据",
            "",
            '<div class="pd-table-wrap"><table class="pd-data-files"><thead><tr><th>年度</th><th>项目</th><th>文件</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>",
            "",
            # The guide is no public section (mkdocs_plugin/nav.py): this is the public's way to it.
            "数据文件各字段的含义见[字段说明](guide/fields.md)。录入和维护记录的工作人员请参阅[编辑指南（供录入人员）](guide/index.md)。"
            if options.guide
            else "",
            "",
            f"{JSON_LD_START}\n{_script_json(dataset_json_ld(evs, options))}\n</script>",
            "",
        ]
    )
