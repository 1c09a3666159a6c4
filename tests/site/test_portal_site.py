"""Government-website norms on the built site: the footer's identifiers and links, the meta tags of every page kind,
the 信息公开 header of project pages, the 预览版 notice, site_url (sitemap, canonical links, sub-path), errors in the
settings naming their mkdocs.yml line, the offline link check and `python -m generator site-check`.

conftest.portal_site builds the seeds with every portal setting and site_url under a sub-path; conftest.built_site
is the shipped configuration (no identifiers, no site_url).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import lxml.html
import pytest

from generator.publish.html_facts import html_pages
from generator.publish.link_check import check_links

SEEDS = {
    "suzhou-egov-construction": 2020,
    "bayannur-treasury-epay": 2021,
    "caidian-jincai": 2021,
    "dapeng-treasury-funds": 2021,
    "fumin-finance-platforms": 2024,
}
META_TAGS = (
    "SiteName",
    "SiteDomain",
    "SiteIDCode",
    "ColumnName",
    "ArticleTitle",
    "PubDate",
    "ContentSource",
    "Keywords",
    "Description",
    "Url",
)
BUILD_PUB_DATE = "2025-01-01 08:00"  # SOURCE_DATE_EPOCH of the test builds, in Beijing time
NOTICE = "本站为预览版"


def doc(site: Path, page: str):
    return lxml.html.fromstring((site / page).read_bytes())


def metas(root) -> dict[str, str]:
    return {m.get("name"): m.get("content") for m in root.xpath("//head/meta[@name]")}


def page_url(site_url: str, page: str) -> str:
    """A built page's address as MkDocs writes it (non-ASCII folders percent-encoded)."""
    return site_url + quote(page.removesuffix("index.html"))


def site_check(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    from generator.bench.fixtures import build_env

    return subprocess.run(
        [sys.executable, "-m", "generator", "site-check", *args],
        cwd=str(cwd),
        env=build_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


# ---------------------------------------------------------------- footer


def test_footer_on_every_page_lists_the_identifiers_with_their_links(portal_site):
    site, settings = portal_site.root, portal_site.settings
    pages = list(html_pages(str(site)))
    assert len(pages) > 20 and "404.html" in pages
    for page in pages:
        root = doc(site, page)
        footers = root.xpath("//footer")
        assert len(footers) == 1, f"{page}: one footer (one contentinfo landmark)"
        footer = footers[0]
        text = " ".join(footer.text_content().split())
        for expected in (
            "网站标识码：3406000012",
            "主办单位：某市财政局",
            "承办单位：某市财政局预算绩效管理科",
            "联系电话：0571-12345678",
            "地址：某市某路 1 号",
        ):
            assert expected in text, (page, expected)
        links = {a.text_content().strip(): a.get("href") for a in footer.xpath(".//a[@href]")}
        assert links["浙ICP备14042003号-1"] == "https://beian.miit.gov.cn/"
        assert (
            links["浙公网安备 33060202000394号"]
            == "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=33060202000394"
        )
        assert links["jxpj@czj.example.gov.cn"] == "mailto:jxpj@czj.example.gov.cn"
        conac = footer.xpath(".//a[img]")
        assert [a.get("href") for a in conac] == [settings["conac_link"]]
        assert conac[0].xpath("img")[0].get("alt") == "党政机关网站标识"
        jiucuo = urlsplit(links["我为政府网站找错"])
        assert (jiucuo.netloc, jiucuo.path) == ("zfwzgl.www.gov.cn", "/exposure/jiucuo.html")
        query = parse_qs(jiucuo.query)
        assert query["site_code"] == ["3406000012"]
        if page != "404.html":  # the page's own address, from site_url (404 answers for any address)
            assert query["url"] == [page_url(portal_site.site_url, page)], page


def test_the_conac_image_is_served_from_the_site(portal_site):
    site = portal_site.root
    for page in ("index.html", "projects/2021/caidian-jincai/index.html", "guide/records/index.html"):
        img = doc(site, page).xpath("//footer//img")[0].get("src")
        target = (site / page).parent / img
        assert target.resolve().is_file() and target.resolve() == (site / "assets/images/red.png").resolve(), (
            page,
            img,
        )
        assert not img.startswith(("http", "/"))  # relative: works under any sub-path


# ---------------------------------------------------------------- meta tags


@pytest.mark.parametrize(
    "page, column, title",
    [
        ("index.html", "首页", "项目支出绩效评价信息公开"),
        ("projects/index.html", "全部项目", "全部项目"),
        ("years/index.html", "按年度", "按年度"),
        ("years/2021/index.html", "按年度", "2021 年度"),
        ("departments/index.html", "按部门", "按部门"),
        ("methodology/index.html", "方法说明", "方法说明"),
        ("data/index.html", "数据下载", "数据下载"),
        ("guide/index.html", "编辑指南", None),
        ("guide/records/index.html", "编辑指南", "录入记录"),
        ("projects/2021/bayannur-treasury-epay/index.html", "全部项目", "国库集中支付电子化服务（2021 年度单位自评）"),
    ],
)
def test_meta_tags_name_the_page_and_its_own_column(portal_site, page, column, title):
    root = doc(portal_site.root, page)
    tags = metas(root)
    is_project = page.startswith("projects/20")
    expected = [t for t in META_TAGS if not (is_project and t == "PubDate")]  # this record has no publish_date
    assert [t for t in META_TAGS if tags.get(t)] == expected, page
    assert tags["SiteName"] == "项目支出绩效评价信息公开"
    assert tags["SiteDomain"] == "czj.example.gov.cn" and tags["SiteIDCode"] == "3406000012"
    assert tags["ColumnName"] == column
    # the title the page's <title> shows (the navigation's name of a page in the navigation)
    html_title = root.xpath("//head/title")[0].text_content().removesuffix(" - 项目支出绩效评价信息公开")
    assert tags["ArticleTitle"] == (title or html_title)
    assert tags["Url"] == page_url(portal_site.site_url, page) == root.xpath("//link[@rel='canonical']/@href")[0]
    if is_project:
        assert tags["ContentSource"] == "巴彦淖尔市财政局"  # whose material it is
        assert "国库集中支付电子化服务" in tags["Keywords"].split(",")
    else:
        assert tags["PubDate"] == BUILD_PUB_DATE  # pages that change with each build: the build time
        assert tags["ContentSource"] == "某市财政局" and column in tags["Keywords"].split(",")


def test_a_department_page_is_in_its_column(portal_site):
    dept = next(
        p for p in html_pages(str(portal_site.root)) if p.startswith("departments/") and p != "departments/index.html"
    )
    assert metas(doc(portal_site.root, dept))["ColumnName"] == "按部门"


def test_meta_values_are_text(portal_site):
    """Record text in a meta tag is an attribute value: escaped once, never markup."""
    root = doc(portal_site.root, "projects/2024/fumin-finance-platforms/index.html")
    title = metas(root)["ArticleTitle"]
    assert title == root.xpath("//head/title")[0].text_content().removesuffix(" - 项目支出绩效评价信息公开")
    assert "&" not in title and "<" not in title


# ---------------------------------------------------------------- 信息公开 header


def info_header(site: Path, page: str) -> dict[str, str]:
    rows = doc(site, page).xpath("//div[@class='pd-record-info']//dl/div")
    return {r.xpath("dt")[0].text_content(): r.xpath("dd")[0].text_content() for r in rows}


def test_project_pages_have_a_disclosure_header_with_index_number_publisher_and_date(portal_site):
    site = portal_site.root
    slug, date = portal_site.published
    dated = info_header(site, f"projects/{slug}/index.html")
    assert dated == {"索引号": "11110000MB0000000U/2021-00003", "发布机构": "武汉市蔡甸区财政局", "发布日期": date}
    assert metas(doc(site, f"projects/{slug}/index.html"))["PubDate"] == f"{date} 00:00"
    # 2021's series: the undated records first, by page address, then the one published on 2024-06-30
    assert info_header(site, "projects/2021/bayannur-treasury-epay/index.html") == {
        "索引号": "11110000MB0000000U/2021-00001",
        "发布机构": "巴彦淖尔市财政局",
    }
    assert (
        info_header(site, "projects/2021/dapeng-treasury-funds/index.html")["索引号"] == "11110000MB0000000U/2021-00002"
    )
    assert (
        info_header(site, "projects/2024/fumin-finance-platforms/index.html")["索引号"]
        == "11110000MB0000000U/2024-00001"
    )
    assert info_header(site, "index.html") == {} and info_header(site, "years/2021/index.html") == {}


# ---------------------------------------------------------------- 预览版 notice


def test_every_page_of_a_site_without_identifiers_says_it_is_a_preview(built_site):
    for page in html_pages(str(built_site.root)):
        notice = doc(built_site.root, page).xpath(
            "//aside[contains(@class,'md-banner')]//p[@class='pd-preview-notice']"
        )
        assert len(notice) == 1, page
        assert (
            notice[0].text_content().startswith(NOTICE)
            and "网站标识码、ICP备案号、公安机关备案号" in notice[0].text_content()
        )
    assert "每个页面显示“预览版”提示" in built_site.log


def test_a_site_with_identifiers_has_no_notice_and_no_empty_banner(portal_site):
    for page in ("index.html", "404.html", "projects/2021/caidian-jincai/index.html"):
        text = (portal_site.root / page).read_text(encoding="utf-8")
        assert NOTICE not in text and "md-banner" not in text, page


# ---------------------------------------------------------------- site_url


def test_without_site_url_the_build_says_so_once_as_info(built_site):
    lines = [ln for ln in built_site.log.splitlines() if "未设置 site_url" in ln]
    assert len(lines) == 1 and lines[0].startswith("INFO"), lines
    assert not [ln for ln in built_site.log.splitlines() if ln.startswith("WARNING")]


def test_with_site_url_sitemap_and_canonical_links(portal_site):
    site, site_url = portal_site.root, portal_site.site_url
    assert "未设置 site_url" not in portal_site.log
    locs = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    pages = [p for p in html_pages(str(site)) if p != "404.html"]
    assert sorted(locs) == sorted(page_url(site_url, p) for p in pages)
    for page in pages:
        assert doc(site, page).xpath("//link[@rel='canonical']/@href") == [page_url(site_url, page)], page


# ---------------------------------------------------------------- settings errors


def test_malformed_identifiers_stop_the_build_naming_their_lines(tmp_path, site_tools, portal_tools):
    bad = {
        "site_code": "340600001",
        "icp": "浙ICP14042003号",
        "police": "浙公网安备 3306020200039号",
        "sponsor": "某市财政局",
    }
    records = site_tools.copy_records(tmp_path / "projects")
    config = portal_tools.write_portal_config(tmp_path / "mkdocs.yml", records, site_tools.ROOT / "content", {}, None)
    # one setting a line, as editors write them
    text = config.read_text(encoding="utf-8").replace("      portal: {}\n", "      portal:\n")
    text += "".join(f"        {key}: {value}\n" for key, value in bad.items())
    config.write_text(text, encoding="utf-8")
    proc = site_tools.mkdocs_build(config, tmp_path / "site")
    assert proc.returncode != 0
    lines = config.read_text(encoding="utf-8").splitlines()
    for code, key in (("S001", "site_code"), ("S002", "icp"), ("S003", "police")):
        line = next(i for i, text in enumerate(lines, 1) if text.strip().startswith(f"{key}:"))
        assert re.search(
            rf"^ERROR\s+-\s+mkdocs\.yml:{line}: 错误 {code}: .*“{re.escape(str(bad[key]))}”格式不对", proc.log, re.M
        ), (
            code,
            proc.log[-3000:],
        )
    assert "网站未构建" in proc.log and "Traceback" not in proc.log
    assert not (tmp_path / "site").exists()


# ---------------------------------------------------------------- link check


def test_no_broken_internal_links_in_the_shipped_build(built_site):
    assert check_links(str(built_site.root)) == []


def test_no_broken_internal_links_under_a_sub_path(portal_site):
    assert check_links(str(portal_site.root), portal_site.site_url) == []


# ---------------------------------------------------------------- site-check


def test_site_check_passes_a_site_with_its_settings(portal_site):
    proc = site_check(str(portal_site.root), "--today", "2025-01-10", cwd=portal_site.base)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (
        "失效 0 个" in proc.stdout
        and "错误 0 个" in proc.stdout
        and "没有政府网站检查会否决或扣分的问题" in proc.stdout
    )
    # what is still worth knowing: the records without publish_date
    assert re.search(
        r"site/projects/2020/suzhou-egov-construction/index.html:1:1: 警告 S112: 4 个项目页面没有发布日期", proc.stdout
    )


def test_site_check_reads_site_dir_and_settings_from_mkdocs_yml(portal_site):
    proc = site_check("--today", "2025-01-10", "--format", "json", cwd=portal_site.base)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    import json

    report = json.loads(proc.stdout)
    assert report["ok"] and report["broken_links"] == 0 and report["pages"] > 20 and report["links_checked"] > 500


def test_site_check_flags_a_site_without_identifiers_or_site_url(built_site):
    proc = site_check(str(built_site.root), "--today", "2025-01-10", cwd=built_site.base)
    assert proc.returncode == 1, proc.stdout
    out = proc.stdout
    for item in ("网站标识码", "ICP备案号", "公安机关备案号", "主办单位", "联系方式"):
        assert re.search(rf"index.html:1:1: 错误 S101: 全部 \d+ 个页面的底部没有{item}", out), item
    assert "警告 S150: 网站构建时没有设置 site_url" in out
    assert "有政府网站检查会否决或扣分的问题" in out


def test_site_check_flags_a_stale_home_page(portal_site):
    proc = site_check(str(portal_site.root), "--today", "2025-01-16", cwd=portal_site.base)
    assert proc.returncode == 1
    assert (
        "错误 S130: 首页的更新时间是 2025-01-01 08:00（网站构建的时间），到 2025-01-16 已 15 天，超过 14 天"
        in proc.stdout
    )
    assert site_check(str(portal_site.root), "--today", "2025-01-15", cwd=portal_site.base).returncode == 0


def test_site_check_flags_broken_links_and_missing_anchors(portal_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(portal_site.root, site)
    page = site / "projects" / "2021" / "caidian-jincai" / "index.html"
    html = page.read_text(encoding="utf-8")
    probe = '<p><a href="../../../years/2019/">2019</a> <a href="../../../methodology/#不存在的小节">方法</a></p>'
    html = html.replace('<p class="pd-subtitle">', probe + '\n<p class="pd-subtitle">', 1)
    page.write_text(html, encoding="utf-8")
    line = next(i for i, text in enumerate(html.splitlines(), 1) if "years/2019" in text)
    proc = site_check("site", "--today", "2025-01-10", cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout
    assert re.search(
        rf"site/projects/2021/caidian-jincai/index.html:{line}:\d+: 错误 S140: 链接“../../../years/2019/”指向的 years/2019/ 在网站中不存在",
        proc.stdout,
    ), proc.stdout
    assert re.search(rf"index.html:{line}:\d+: 错误 S141: .*#不存在的小节，该页面没有这个位置", proc.stdout)
    assert "失效 2 个" in proc.stdout


def test_site_check_flags_empty_sections(tmp_path, site_tools, portal_tools):
    """A site whose records are all unpublished has empty listing pages (空白栏目)."""
    records = site_tools.copy_records(tmp_path / "projects", seeds=False)  # a draft and a future record only
    config = portal_tools.write_portal_config(
        tmp_path / "mkdocs.yml", records, site_tools.ROOT / "content", {"site_code": "3406000012"}, None
    )
    proc = site_tools.mkdocs_build(config, tmp_path / "site")
    assert proc.returncode == 0, proc.log[-3000:]
    check = site_check("--today", "2025-01-10", cwd=tmp_path)
    assert check.returncode == 1
    empty = re.findall(r"^site/(\S+):1:1: 错误 S120: 空白栏目：栏目“([^”]+)”", check.stdout, re.M)
    assert ("index.html", "首页") in empty and ("projects/index.html", "全部项目") in empty
    assert ("years/index.html", "按年度") in empty and ("departments/index.html", "按部门") in empty
