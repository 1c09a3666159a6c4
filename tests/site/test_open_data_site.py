"""Open data and feeds in the MkDocs build (issue 13, items 3 and 4): the visible 订阅 link
on the home and department pages, the data page's JSON-LD as MkDocs publishes it, absolute feed links under
site_url, nothing withheld in any of it, and a renamed record's redirect page in a --strict build.

tests/test_open_data.py covers the files themselves (as `generate --out` writes them).
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin

import lxml.html

from generator.publish.site_check import check_site

ATOM = "{http://www.w3.org/2005/Atom}"


def doc(site: Path, page: str):
    return lxml.html.fromstring((site / page).read_bytes())


def target(site: Path, page: str, href: str) -> Path:
    """The file a relative link on `page` (a path under the site) points to."""
    return site / unquote(posixpath.normpath(posixpath.join(posixpath.dirname(page), href)))


def test_home_and_department_pages_announce_their_feeds(built_site):
    """A visible 订阅 link to the page's own feed; no head link, which Material's language selector would follow to a
    missing sitemap.xml on every view."""
    site = built_site.root
    departments = sorted(p.relative_to(site).as_posix() for p in (site / "departments").glob("*/index.html"))
    assert departments
    for page in ["index.html", *departments]:
        root = doc(site, page)
        assert not root.xpath("//head/link[@rel='alternate']"), page
        visible = root.xpath("//article//a[@type='application/atom+xml']")
        assert len(visible) == 1 and "订阅" in visible[0].text_content(), page
        feed = target(site, page, visible[0].get("href"))
        assert feed.is_file() and feed.suffix == ".atom", (page, visible[0].get("href"))
    for page in ("projects/index.html", "data/index.html"):
        assert not doc(site, page).xpath("//head/link[@type='application/atom+xml']")


def test_data_page_json_ld_as_published(built_site):
    site = built_site.root
    scripts = doc(site, "data/index.html").xpath("//script[@type='application/ld+json']")
    assert len(scripts) == 1
    data = json.loads(scripts[0].text)
    assert data["@type"] == "Dataset" and "项目支出绩效评价" in data["name"]
    for dist in data["distribution"]:
        assert target(site, "data/index.html", dist["contentUrl"]).is_file(), dist
    text = doc(site, "data/index.html").text_content()
    assert "curl -s https://example.org/api/v1/index.json" in text and "import pandas as pd" in text


def test_no_withheld_record_in_open_data_of_the_build(built_site, site_tools):
    site = built_site.root
    needles = [site_tools.DRAFT_PHRASE, site_tools.FUTURE_PHRASE, site_tools.DRAFT_MARKER, site_tools.FUTURE_MARKER]
    found = site_tools.files_containing(site / "api", needles + ["draft-qilin", "future-fenghuang"])
    assert not any(found.values()), found
    assert not (site / "api/v1/years/2023.json").exists() and not (site / "api/v1/projects/2023").exists()
    index = json.loads((site / "api/v1/index.json").read_text(encoding="utf-8"))
    assert index["counts"]["projects"] == len(site_tools.SEEDS)
    feed = ET.fromstring((site / "api/v1/feed.atom").read_bytes())
    assert len(feed.findall(f"{ATOM}entry")) == len(site_tools.SEEDS)


def test_feeds_under_site_url(portal_site):
    site, site_url = portal_site.root, portal_site.site_url
    feed = ET.fromstring((site / "api/v1/feed.atom").read_bytes())
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == urljoin(site_url, "api/v1/feed.atom")
    for link in feed.iter(f"{ATOM}link"):
        href = link.get("href")
        assert href.startswith(site_url), href
        path = unquote(href[len(site_url) :])
        assert (site / path).is_file() or (site / path / "index.html").is_file(), href
    # the entry of the record given a publish_date in this build is dated by it
    slug, date = portal_site.published
    entry = next(
        e
        for e in feed.findall(f"{ATOM}entry")
        if e.find(f"{ATOM}link[@type='text/html']").get("href").endswith(f"{slug}/")
    )
    assert entry.findtext(f"{ATOM}updated") == f"{date}T00:00:00+08:00"
    data = json.loads(doc(site, "data/index.html").xpath("//script[@type='application/ld+json']")[0].text)
    assert data["url"] == urljoin(site_url, "data/")
    assert all(d["contentUrl"].startswith(site_url) for d in data["distribution"])


def test_renamed_record_redirect_in_a_strict_build(tmp_path, site_tools):
    records = site_tools.copy_records(tmp_path / "projects", fixtures=())
    for suffix in (".toml", ".md"):
        (records / "2021" / f"dapeng-treasury-funds{suffix}").rename(records / "2021" / f"dapeng-2021{suffix}")
    toml = records / "2021" / "dapeng-2021.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'status = "published"\n', 'status = "published"\nformer_slugs = ["dapeng-treasury-funds"]\n', 1
        ),
        encoding="utf-8",
    )
    proc, site = site_tools.build_records(tmp_path, records, strict=True, relaxed_nav=True)
    assert proc.returncode == 0, proc.log[-4000:]
    old = "projects/2021/dapeng-treasury-funds/index.html"
    page = doc(site, old)
    url = page.xpath("//meta[@http-equiv='refresh']/@content")[0].split("; url=", 1)[1]
    assert target(site, old, url + "index.html") == site / "projects/2021/dapeng-2021/index.html"
    assert (site / "projects/2021/dapeng-2021/index.html").is_file()
    assert page.xpath("//link[@rel='canonical']/@href") == [url] and page.xpath("//body//a/@href") == [url]
    assert not page.xpath("//*[contains(@class, 'md-header')]")  # a bare redirect, not a themed page
    note = json.loads((site / "api/v1/projects/2021/dapeng-treasury-funds.json").read_text(encoding="utf-8"))
    assert note["moved"] and (site / note["url"]).is_file()
    # site-check reads the redirect only for its link, not as an article missing the portal's tags
    checked = check_site(str(site), dt.date(2025, 1, 1))
    assert checked.broken_links == [] and checked.pages == len(list(site.rglob("*.html"))) - 1
    assert not any("dapeng-treasury-funds/" in d.file + d.message for d in checked.diagnostics)
    shutil.rmtree(site)
