"""Open data and feeds (issue 13, items 3 and 4), as `python -m generator generate --out` writes them: each
project's JSON twin, the year, department and site indexes, the data package, the Dataset JSON-LD of the data
page, the Atom feeds, redirects at a renamed record's old addresses, and byte-identical rebuilds.

The records are the shipped seeds plus the site tests' draft and future-dated fixtures, which must reach none of it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import posixpath
import re
import shutil
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urljoin

import lxml.html
import pytest

from generator.publish.directory import DirectorySink
from generator.publish.site import SiteRequest, build_site
from generator.render.project import SiteOptions

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "site" / "fixtures" / "projects"
TODAY = dt.date(2025, 1, 1)
SEEDS = {
    "suzhou-egov-construction": 2020,
    "bayannur-treasury-epay": 2021,
    "caidian-jincai": 2021,
    "dapeng-treasury-funds": 2021,
    "fumin-finance-platforms": 2024,
}
WITHHELD = [  # the fixtures' marker phrases, ids, and their year (2023, which no published record has)
    "草稿专用短语七彩麒麟",
    "未来公开专用短语金翅凤凰",
    "qilindraftmarker",
    "fenghuangfuturemarker",
    "draft-qilin",
    "future-fenghuang",
    "projects/2023",
    "years/2023",
    '"year": 2023',
    "2023 年度",
]
ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://czj.example.gov.cn/jxpj/"


def copy_records(dest: Path) -> Path:
    shutil.copytree(ROOT / "projects", dest)
    shutil.copytree(FIXTURES, dest, dirs_exist_ok=True)
    return dest


def generate(records: Path, out: Path, *, site_url: str = "", today: dt.date = TODAY) -> Path:
    """What `generate --out` writes (the same sink and build), in this process."""
    sink = DirectorySink(str(out))
    build = build_site(
        SiteRequest(str(records), SiteOptions(site_url=site_url), today, downloads_dir=str(out), workers=1), sink
    )
    assert build.published == len(SEEDS) and build.withheld == 2, (build.published, build.withheld)
    sink.finish(build, {})
    return out


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("open-data")
    return generate(copy_records(base / "projects"), base / "out")


@pytest.fixture(scope="module")
def out_with_url(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("open-data-url")
    return generate(copy_records(base / "projects"), base / "out", site_url=SITE_URL)


def load(out: Path, path: str):
    return json.loads((out / unquote(path)).read_text(encoding="utf-8"))


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def published_keys(out: Path) -> set[tuple[str, int, str]]:
    rows = csv_rows(out / "data" / "projects.csv")
    head = rows[0]
    return {(r[head.index("项目编号")], int(r[head.index("年度")]), r[head.index("评价类型")]) for r in rows[1:]}


# ---------------------------------------------------------------- the JSON twin of each project page


def _text(cell) -> str:
    return " ".join(cell.text_content().split())


def page_indicators(page_md: str) -> list[dict[str, str]]:
    """The indicator table's leaf rows as the page shows them: name, target, actual, weight, score."""
    table = lxml.html.fragment_fromstring(
        re.search(r'<table class="pd-indicators.*?</table>', page_md, re.S).group(), create_parent=False
    )
    heads = [_text(th) for th in table.xpath(".//thead//th")]
    scored = "分值" in heads
    rows = []
    for tr in table.xpath(".//tbody/tr[td[contains(@class, 'pd-leaf')]]"):
        cells = tr.xpath("./td")
        leaf = next(i for i, c in enumerate(cells) if "pd-leaf" in (c.get("class") or ""))
        name = cells[leaf].text or ""
        after = [_text(c) for c in cells[leaf + 1 :]]
        row = {"name": name.strip(), "target": after[0], "actual": after[1]}
        if scored:
            row["weight"], row["score"] = after[2].rstrip("*"), after[3]
        rows.append(row)
    return rows


def same_number(value, text: str) -> bool:
    return (value is None and text in ("", "—")) or (value is not None and Decimal(str(value)) == Decimal(text))


@pytest.mark.parametrize("slug", sorted(SEEDS))
def test_json_twin_shows_the_figures_of_the_page(out, slug):
    year = SEEDS[slug]
    twin = load(out, f"api/v1/projects/{year}/{slug}.json")
    page = (out / "projects" / str(year) / f"{slug}.md").read_text(encoding="utf-8")
    assert twin["id"] and twin["year"] == year and f"# {twin['name']}" in page
    assert twin["urls"]["page"] == f"projects/{year}/{slug}/" and (out / f"projects/{year}/{slug}.md").is_file()
    assert all((out / path).is_file() for path in twin["urls"]["downloads"].values())
    total = re.search(r'data-total="([^"]+)"', page)
    if twin["scored"]:
        assert same_number(twin["declared_total"], total.group(1))
        assert re.search(rf'class="pd-badge pd-grade" data-grade="{twin["published_grade"]}"', page)
    else:
        assert total is None and "未计分" in page
    rate = twin["budget"]["execution_rate"]
    if rate is not None:
        budget_total = re.search(r'<tr class="pd-total-row">.*?</tr>', page.split('class="pd-budget"', 1)[1]).group()
        assert Decimal(str(rate)) in [Decimal(p) for p in re.findall(r"([\d.]+)%", budget_total)], budget_total
    shown = page_indicators(page)
    assert len(shown) == len(twin["indicators"]) > 0
    for row, entry in zip(shown, twin["indicators"]):
        assert row["name"] == entry["name"] == entry["path"][-1]
        assert row["target"] == " ".join((entry["target"] or "").split())
        assert row["actual"] == " ".join((entry["actual"] or "").split())
        if "weight" in row:
            assert same_number(entry["weight"], row["weight"]), (row, entry)
            assert same_number(entry["declared_score"], row["score"]), (row, entry)


def test_json_twin_carries_the_published_report(out):
    """The twin is the JSON download with the page's other facts added: nothing of the download is lost."""
    for slug, year in SEEDS.items():
        twin = load(out, f"api/v1/projects/{year}/{slug}.json")
        download = load(out, f"downloads/{year}/{slug}.json")
        for key, value in download.items():
            if key in ("budget", "indicators"):
                continue
            assert twin[key] == value, key
        assert {k: twin["budget"][k] for k in download["budget"]} == download["budget"]
        for mine, theirs in zip(twin["indicators"], download["indicators"]):
            assert {k: mine[k] for k in theirs} == theirs


# ---------------------------------------------------------------- index files


def test_year_and_department_indexes_list_exactly_the_published_records(out):
    index = load(out, "api/v1/index.json")
    published = published_keys(out)
    assert len(published) == len(SEEDS) == index["counts"]["projects"]
    by_year = set()
    for year in index["years"]:
        body = load(out, year["url"])
        assert body["year"] == year["year"] and len(body["projects"]) == year["projects"]
        assert all(p["year"] == year["year"] for p in body["projects"])
        by_year |= {(p["id"], p["year"], p["evaluation"]) for p in body["projects"]}
        assert (out / unquote(year["page"]).rstrip("/")).with_suffix(".md").is_file()
    by_dept = set()
    for dept in index["departments"]:
        body = load(out, dept["url"])
        assert body["name"] == dept["name"] and all(p["department"] == dept["name"] for p in body["projects"])
        by_dept |= {(p["id"], p["year"], p["evaluation"]) for p in body["projects"]}
        assert (out / unquote(dept["feed"])).is_file()
        assert (out / unquote(dept["page"]).rstrip("/")).with_suffix(".md").is_file()
    assert by_year == by_dept == published
    assert index["counts"]["years"] == len(list((out / "api/v1/years").iterdir()))
    assert index["counts"]["departments"] == len(list((out / "api/v1/departments").glob("*.json")))
    assert sorted(p.stem for p in (out / "api/v1/projects").rglob("*.json")) == sorted(SEEDS)
    for path in index["files"].values():
        assert (out / path).is_file(), path


def test_index_entries_agree_with_the_twins(out):
    for year in load(out, "api/v1/index.json")["years"]:
        for entry in load(out, year["url"])["projects"]:
            twin = load(out, entry["json"])
            assert entry["page"] == twin["urls"]["page"]
            for key, twin_key in [("total", "declared_total"), ("grade", "published_grade"), ("name", "name")]:
                assert entry[key] == twin[twin_key], key
            assert entry["execution_rate"] == twin["budget"]["execution_rate"]


def test_published_json_schema_is_the_record_schema(out):
    assert (out / "api/v1/schema/record.schema.json").read_bytes() == (ROOT / "schema/record.schema.json").read_bytes()
    assert json.loads((out / "api/v1/schema/scheme.schema.json").read_text(encoding="utf-8"))["$schema"]


# ---------------------------------------------------------------- data package


TYPES = {
    "string": lambda v: True,
    "integer": lambda v: re.fullmatch(r"-?\d+", v) is not None,
    "number": lambda v: re.fullmatch(r"-?\d+(\.\d+)?", v) is not None,
}


def test_datapackage_describes_the_csv_files(out):
    package = load(out, "data/datapackage.json")
    assert package["profile"] == "data-package" and re.fullmatch(r"[a-z0-9._-]+", package["name"])
    names = [r["name"] for r in package["resources"]]
    assert len(names) == len(set(names)) and all(re.fullmatch(r"[a-z0-9._-]+", n) for n in names)
    tabular = [r for r in package["resources"] if r["profile"] == "tabular-data-resource"]
    assert sorted(r["path"] for r in tabular) == ["indicators.csv", "projects.csv"]
    by_name = {}
    for resource in package["resources"]:
        assert (out / "data" / resource["path"]).is_file() and resource["title"] and resource["mediatype"]
    for resource in tabular:
        schema = resource["schema"]
        rows = csv_rows(out / "data" / resource["path"])
        header = [f["name"] for f in schema["fields"]]
        assert header == rows[0]  # the field list is the CSV header, in order
        by_name[resource["name"]] = (header, rows[1:])
        for i, field in enumerate(schema["fields"]):
            assert field["type"] in TYPES and field["title"] and field["description"], field
            constraints = field.get("constraints", {})
            for row in rows[1:]:
                value = row[i]
                if value in schema["missingValues"]:
                    assert not constraints.get("required"), (field["name"], row)
                    continue
                assert TYPES[field["type"]](value), (field["name"], value)
                if "enum" in constraints:
                    assert value in constraints["enum"]
                if "pattern" in constraints:
                    assert re.fullmatch(constraints["pattern"], value)
        key = schema.get("primaryKey")
        if key:
            values = [tuple(row[header.index(k)] for k in key) for row in rows[1:]]
            assert len(values) == len(set(values)) == len(SEEDS)
        for fk in schema.get("foreignKeys", []):
            target_header, target_rows = by_name[fk["reference"]["resource"]]
            known = {tuple(r[target_header.index(k)] for k in fk["reference"]["fields"]) for r in target_rows}
            assert {tuple(row[header.index(k)] for k in fk["fields"]) for row in rows[1:]} <= known
    assert set(by_name) == {"projects", "indicators"}


# ---------------------------------------------------------------- the data page's JSON-LD


def dataset(out: Path) -> dict:
    page = (out / "data.md").read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>', page, re.S)
    assert len(blocks) == 1
    assert not re.search(r"\{[{%#]|[}%#]\}", blocks[0])  # nothing a template engine downstream would run
    return json.loads(blocks[0])


def test_data_page_json_ld_names_the_distributions(out):
    data = dataset(out)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
    assert data["name"] and len(data["description"]) >= 50 and data["temporalCoverage"] == "2020/2024"
    formats = {}
    for dist in data["distribution"]:
        assert dist["@type"] == "DataDownload" and dist["name"]
        target = posixpath.normpath(posixpath.join("data/", unquote(dist["contentUrl"])))  # the page is at data/
        assert (out / target).is_file(), dist
        formats[target] = dist["encodingFormat"]
    assert formats["data/projects.csv"] == formats["data/indicators.csv"] == "text/csv"
    assert formats["data/datapackage.json"] == "application/json"
    assert formats["api/v1/feed.atom"] == "application/atom+xml"


def test_data_page_documents_it_with_examples(out, out_with_url):
    page = (out / "data.md").read_text(encoding="utf-8")
    for needle in ("```bash\ncurl -s https://example.org/api/v1/index.json", "```python\nimport pandas as pd"):
        assert needle in page
    assert "https://example.org/ 代表本站的网址" in page
    with_url = (out_with_url / "data.md").read_text(encoding="utf-8")
    assert f"curl -s {SITE_URL}api/v1/index.json" in with_url and "example.org" not in with_url
    assert all(d["contentUrl"].startswith(SITE_URL) for d in dataset(out_with_url)["distribution"])


# ---------------------------------------------------------------- Atom feeds


def parse_feed(path: Path) -> ET.Element:
    root = ET.fromstring(path.read_bytes())
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{required}") or "").strip(), required
    assert root.find(f"{ATOM}author/{ATOM}name").text
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "summary"):
            assert (entry.findtext(f"{ATOM}{required}") or "").strip(), required
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00\+08:00", entry.findtext(f"{ATOM}updated"))
        assert entry.findtext(f"{ATOM}id").startswith("urn:uuid:")
        types = [link.get("type") for link in entry.findall(f"{ATOM}link[@rel='alternate']")]
        assert sorted(types) == ["application/json", "text/html"]
    return root


def resolve(out: Path, feed_path: str, href: str) -> Path:
    return out / unquote(posixpath.normpath(posixpath.join(posixpath.dirname(feed_path), href)))


def test_site_feed_lists_the_published_records(out):
    root = parse_feed(out / "api/v1/feed.atom")
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(SEEDS)
    assert root.find(f"{ATOM}link[@rel='self']") is None  # no site_url: no self link, relative links
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True) and root.findtext(f"{ATOM}updated") == updated[0]
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    pages = set()
    for entry in entries:
        for link in entry.findall(f"{ATOM}link"):
            target = resolve(out, "api/v1/feed.atom", link.get("href"))
            found = target.is_file() or target.with_suffix(".md").is_file()  # a page: its .md in generate's output
            assert found, link.get("href")
            if link.get("type") == "text/html":
                pages.add(target.name)
    assert pages == set(SEEDS)
    summaries = {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}summary") for e in entries}
    dapeng = next(s for t, s in summaries.items() if t.startswith("国库业务经费"))
    assert "公布总分 96.5 分（满分 100 分）" in dapeng and "等级为“优”" in dapeng
    assert any("未计分" in s for s in summaries.values())  # caidian is not scored


def test_department_feeds(out):
    index = load(out, "api/v1/index.json")
    seen = []
    for dept in index["departments"]:
        root = parse_feed(out / unquote(dept["feed"]))
        assert dept["name"] in root.findtext(f"{ATOM}title")
        terms = {c.get("term") for e in root.findall(f"{ATOM}entry") for c in e.findall(f"{ATOM}category")}
        assert dept["name"] in terms
        seen += [e.findtext(f"{ATOM}id") for e in root.findall(f"{ATOM}entry")]
        html = root.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert resolve(out, unquote(dept["feed"]), html).with_suffix(".md").is_file()
    site = [e.findtext(f"{ATOM}id") for e in parse_feed(out / "api/v1/feed.atom").findall(f"{ATOM}entry")]
    assert sorted(seen) == sorted(site)  # each entry in its department's feed, with the same id


def test_feed_with_site_url_has_absolute_links_and_a_self_link(out_with_url):
    root = parse_feed(out_with_url / "api/v1/feed.atom")
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == urljoin(SITE_URL, "api/v1/feed.atom")
    hrefs = [link.get("href") for link in root.iter(f"{ATOM}link")]
    assert hrefs and all(h.startswith(SITE_URL) for h in hrefs)


def test_feed_dates_come_from_the_records(tmp_path):
    """publish_date when the record has one, else its evaluation date (a year alone: 1 January); not the build date."""
    records = copy_records(tmp_path / "projects")
    toml = records / "2021" / "caidian-jincai.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'status = "published"\n', 'status = "published"\npublish_date = "2024-06-30"\n', 1
        ),
        encoding="utf-8",
    )
    a = generate(records, tmp_path / "a")
    b = generate(records, tmp_path / "b", today=dt.date(2030, 5, 5))
    feed = (a / "api/v1/feed.atom").read_bytes()
    assert feed == (b / "api/v1/feed.atom").read_bytes()
    root = ET.fromstring(feed)
    dates = {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}updated") for e in root.findall(f"{ATOM}entry")}
    assert dates["2021年度蔡甸区财政局金财工程（2021 年度单位自评）"] == "2024-06-30T00:00:00+08:00"
    assert dates["国库业务经费（2021 年度部门评价）"].startswith("2021-")  # its evaluation date
    first = root.find(f"{ATOM}entry")
    assert first.findtext(f"{ATOM}published") == "2024-06-30T00:00:00+08:00"


# ---------------------------------------------------------------- nothing withheld, byte-identical rebuilds


def open_data_files(out: Path) -> dict[str, bytes]:
    found = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted((out / "api").rglob("*")) if p.is_file()}
    found["data/datapackage.json"] = (out / "data/datapackage.json").read_bytes()
    found["data.md"] = (out / "data.md").read_bytes()
    return found


def test_no_draft_or_embargoed_record_in_any_open_data(out):
    for path, data in open_data_files(out).items():
        text = unquote(data.decode("utf-8"))
        for needle in WITHHELD:
            assert needle not in text and needle not in path, (needle, path)


def test_two_builds_write_the_same_open_data(out, tmp_path):
    again = generate(copy_records(tmp_path / "projects"), tmp_path / "again")
    first, second = open_data_files(out), open_data_files(again)
    assert sorted(first) == sorted(second)
    assert [p for p in first if first[p] != second[p]] == []


# ---------------------------------------------------------------- a renamed record


def test_a_renamed_record_leaves_redirects_at_its_old_addresses(tmp_path):
    records = copy_records(tmp_path / "projects")
    for suffix in (".toml", ".md"):
        (records / "2021" / f"caidian-jincai{suffix}").rename(records / "2021" / f"caidian-jincai-2021{suffix}")
    toml = records / "2021" / "caidian-jincai-2021.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'status = "published"\n', 'status = "published"\nformer_slugs = ["caidian-jincai"]\n', 1
        ),
        encoding="utf-8",
    )
    out = generate(records, tmp_path / "out")
    assert not (out / "projects/2021/caidian-jincai.md").exists()  # no page of its own at the old address
    assert (out / "projects/2021/caidian-jincai-2021.md").is_file()
    old = "projects/2021/caidian-jincai/"
    page = lxml.html.fromstring((out / old / "index.html").read_bytes())
    refresh = page.xpath("//meta[@http-equiv='refresh']/@content")[0]
    delay, _, url = refresh.partition("; url=")
    assert delay == "0"
    canonical = page.xpath("//link[@rel='canonical']/@href")[0]
    links = page.xpath("//body//a/@href")
    new_page = posixpath.normpath(posixpath.join(old, url)) + "/"
    assert new_page == "projects/2021/caidian-jincai-2021/" and canonical == url and links == [url]
    assert "2021年度蔡甸区财政局金财工程" in page.text_content()
    for old_json, new_json in [
        ("api/v1/projects/2021/caidian-jincai.json", "api/v1/projects/2021/caidian-jincai-2021.json"),
        ("downloads/2021/caidian-jincai.json", "downloads/2021/caidian-jincai-2021.json"),
    ]:
        note = load(out, old_json)
        assert note["moved"] is True and note["url"] == new_json and (out / new_json).is_file()
        assert note["id"] == "caidian-jincai" and note["page"] == "projects/2021/caidian-jincai-2021/"
    twin = load(out, "api/v1/projects/2021/caidian-jincai-2021.json")
    assert twin["id"] == "caidian-jincai" and twin["urls"]["page"] == "projects/2021/caidian-jincai-2021/"
    # the feed entry keeps its id: it is the record's (id, year, evaluation), not its file name
    before = ET.fromstring((generate(copy_records(tmp_path / "p2"), tmp_path / "o2") / "api/v1/feed.atom").read_bytes())
    after = ET.fromstring((out / "api/v1/feed.atom").read_bytes())
    assert {e.findtext(f"{ATOM}id") for e in before.iter(f"{ATOM}entry")} == {
        e.findtext(f"{ATOM}id") for e in after.iter(f"{ATOM}entry")
    }


def test_json_ld_keeps_its_braces_and_nothing_else_does():
    """The data page's JSON-LD is the one block whose braces stay (JSON needs them); text in it cannot close the
    script element or start a template expression, and a block holding template syntax is neutralised."""
    from generator.render.data_page import data_page
    from generator.render.text import neutral_braces

    title = "{{ 7*7 }}</script><script>alert(1)</script>{% raw %}"
    page = neutral_braces(data_page([], SiteOptions(site_title=title)))
    block = re.search(r'<script type="application/ld\+json">\n(.*?)\n</script>', page, re.S).group(1)
    assert json.loads(block)["name"].startswith(title) and "</script>" not in block
    assert not re.search(r"\{[{%#]|[}%#]\}", page.split("\n---\n", 1)[1])
    forged = '<script type="application/ld+json">\n{{ 7*7 }}\n</script>'
    assert neutral_braces(forged) == forged.replace("{", "&#123;").replace("}", "&#125;")
