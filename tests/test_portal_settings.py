"""The government-website settings (`portal:` under the disclosure plugin in mkdocs.yml): formats of the identifiers,
the 索引号 pattern language, the lines errors name, and the commented example shipped in mkdocs.yml.

Built pages (footer, meta tags, notices, site-check) are tested in tests/site/test_portal_site.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.mkdocs_plugin.config_file import option_place, portal_options, read_config
from generator.publish.index_number import IndexEntry, PatternError, index_numbers, parse_pattern
from generator.publish.portal import (
    credit_code_ok,
    jiucuo_url,
    parse_portal,
    pub_date_of_build,
    pub_date_of_record,
)
from generator.publish.site_codes import SITE_CODES
from generator.render.guide_pages import WRITTEN_GUIDE_DIR

ROOT = Path(__file__).resolve().parents[1]
VALID = {
    "site_code": "3406000012",
    "icp": "浙ICP备14042003号-1",
    "police": "浙公网安备 33060202000394号",
    "sponsor": "某市财政局",
    "credit_code": "11110000MB0000000U",
    "index_number": "{credit_code}/{year}-{seq:05d}",
}


def codes(raw) -> list[str]:
    return [p.code for p in parse_portal(raw)[1]]


# ---------------------------------------------------------------- identifiers as published on government sites


@pytest.mark.parametrize("value", ["4403000052", "1304000009", "bm07000001", "bm14000002", 3406000012])
def test_site_codes_seen_on_government_sites_are_accepted(value):
    settings, problems = parse_portal({"site_code": value})
    assert problems == [] and settings.site_code == str(value)


@pytest.mark.parametrize("value", ["340600001", "34060000123", "BM07000001", "bm0700001", "3406-000012", "bmx7000001"])
def test_a_malformed_site_code_is_s001(value):
    settings, problems = parse_portal({"site_code": value})
    assert [p.code for p in problems] == ["S001"] and problems[0].path == ("site_code",)
    assert "10 位数字" in problems[0].message and "bm" in problems[0].message
    assert settings.site_code == ""  # left out: the site is a preview until it is fixed


@pytest.mark.parametrize("value", ["京ICP备19014889号", "浙ICP备14042003号-1", "粤ICP备2021012345号"])
def test_icp_numbers_seen_on_government_sites_are_accepted(value):
    assert codes({"icp": value}) == []


@pytest.mark.parametrize(
    "value", ["京ICP19014889号", "京ICP备19014889", "ICP备19014889号", "京ICP证030173号", "京ICP备号"]
)
def test_a_malformed_icp_number_is_s002(value):
    _, problems = parse_portal({"icp": value})
    assert [p.code for p in problems] == ["S002"] and "京ICP备19014889号" in problems[0].message


def test_police_numbers_link_to_their_record():
    settings, problems = parse_portal({"police": "浙公网安备 33060202000394号"})
    assert problems == []
    assert settings.police_link == "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=33060202000394"
    assert parse_portal({"police": "京公网安备11010502030143号"})[0].police_record_code == "11010502030143"


@pytest.mark.parametrize(
    "value",
    ["浙公网安备 3306020200039号", "浙公网安备 330602020003945号", "浙网安备 33060202000394号", "33060202000394"],
)
def test_a_malformed_police_number_is_s003(value):
    _, problems = parse_portal({"police": value})
    assert [p.code for p in problems] == ["S003"] and "14 位数字" in problems[0].message


def test_unset_identifiers_make_a_preview():
    assert parse_portal(None)[0].missing_identifiers == ["网站标识码", "ICP备案号", "公安机关备案号"]
    assert parse_portal({"site_code": "", "icp": None})[0].missing_identifiers == [
        "网站标识码",
        "ICP备案号",
        "公安机关备案号",
    ]
    assert parse_portal({"icp": "京ICP备19014889号"})[0].missing_identifiers == ["网站标识码", "公安机关备案号"]
    assert parse_portal(VALID | {"police": "浙公网安备 33060202000394号"})[0].missing_identifiers == []


def test_the_conac_mark_needs_an_image_in_the_pages_folder_and_its_page():
    link = "https://bszs.conac.cn/sitename?method=show&id=0123456789ABCDEF0123456789ABCDEF"
    assert codes({"conac_image": "assets/red.png", "conac_link": link}) == []
    assert codes({"conac_image": "assets/red.png"}) == ["S004"]
    assert codes({"conac_link": link}) == ["S004"]
    assert codes({"conac_image": "red.png", "conac_link": "https://example.org/red"}) == ["S004"]
    _, problems = parse_portal({"conac_image": "red.png", "conac_link": link}, image_exists=lambda path: False)
    assert [p.code for p in problems] == ["S004"] and "找不到" in problems[0].message


def test_the_credit_code_check_character():
    for code in ("91350100M000100Y43", "91110000100006485K", "11110000MB0000000U"):
        assert credit_code_ok(code), code
    for code in ("91350100M000100Y44", "91110000100006485", "9111000010000648SK", "91110000100006485k"):
        assert not credit_code_ok(code), code
    assert codes({"credit_code": "91110000100006485X"}) == ["S006"]


def test_unknown_settings_and_wrong_types_are_s007():
    assert codes({"sitecode": "3406000012"}) == ["S007"]
    assert codes({"sponsor": ["某市财政局"]}) == ["S007"]
    assert codes({"jiucuo": "yes"}) == ["S007"]
    assert codes({"contact": {"phone": "010-1", "fax": "010-2"}}) == ["S007"]
    assert codes({"contact": {"email": "jxpj.example.gov.cn"}}) == ["S007"]
    assert codes("3406000012") == ["S007"]
    settings, problems = parse_portal({"contact": "电话 010-12345678"})
    assert problems == [] and settings.contact.phone == "电话 010-12345678"


def test_every_code_is_registered_and_explained():
    seen = set()
    for raw in (
        {"site_code": "1"},
        {"icp": "1"},
        {"police": "1"},
        {"conac_image": "a.png"},
        {"index_number": "{x}"},
        {"credit_code": "1"},
        {"x": 1},
    ):
        seen |= set(codes(raw))
    assert seen == {c for c in SITE_CODES if c.startswith("S0")}
    for info in SITE_CODES.values():
        assert re.fullmatch(r"S\d{3}", info.code) and info.title and info.meaning and info.fix


# ---------------------------------------------------------------- 索引号


def entries():
    return [
        IndexEntry("projects/2021/b.md", 2021, "b", None),
        IndexEntry("projects/2021/a.md", 2021, "a", "2022-05-01"),
        IndexEntry("projects/2021/c.md", 2021, "c", None),
        IndexEntry("projects/2020/d.md", 2020, "d", "2021-03-01"),
    ]


def test_index_numbers_count_within_each_series_in_publication_order():
    pattern = parse_pattern("{credit_code}/{year}-{seq:05d}")
    numbers = index_numbers(pattern, entries(), "11110000MB0000000U")
    assert numbers == {
        "projects/2021/b.md": "11110000MB0000000U/2021-00001",  # no publish date: first, then by page address
        "projects/2021/c.md": "11110000MB0000000U/2021-00002",
        "projects/2021/a.md": "11110000MB0000000U/2021-00003",
        "projects/2020/d.md": "11110000MB0000000U/2020-00001",
    }
    assert index_numbers(pattern, list(reversed(entries())), "11110000MB0000000U") == numbers  # order given: no matter


def test_index_number_placeholders():
    entry = [IndexEntry("projects/2020/d.md", 2020, "d-x", "2021-03-01")]
    assert index_numbers(parse_pattern("{publish_year}-{id}-{seq}"), entry) == {"projects/2020/d.md": "2021-d-x-1"}
    assert index_numbers(parse_pattern("{{{year:06d}}}"), entry) == {"projects/2020/d.md": "{002020}"}
    undated = [IndexEntry("projects/2020/d.md", 2020, "d", None)]
    assert index_numbers(parse_pattern("{publish_year}"), undated) == {"projects/2020/d.md": "2020"}


@pytest.mark.parametrize(
    "pattern, says",
    [
        ("{year}-{number}", "不认识的占位符 {number}"),
        ("{year-{seq}", "“{”没有配对"),
        ("{year}}", "没有配对"),
        ("{seq:5}", "{seq:05d}"),
        ("{id:05d}", "只有 {year}、{publish_year}、{seq} 可以补足位数"),
    ],
)
def test_a_bad_pattern_says_what_to_write(pattern, says):
    with pytest.raises(PatternError, match=re.escape(says)):
        parse_pattern(pattern)
    assert codes({"index_number": pattern}) == ["S005"]


def test_credit_code_placeholder_needs_the_credit_code():
    _, problems = parse_portal({"index_number": "{credit_code}/{year}-{seq:05d}"})
    assert [p.code for p in problems] == ["S005"] and "credit_code" in problems[0].message


# ---------------------------------------------------------------- links and dates


def test_jiucuo_link_carries_the_site_code_and_the_encoded_page_address():
    url = jiucuo_url("3406000012", "https://czj.example.gov.cn/jxpj/projects/2021/x/")
    assert url == (
        "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3406000012"
        "&url=https%3A%2F%2Fczj.example.gov.cn%2Fjxpj%2Fprojects%2F2021%2Fx%2F"
    )
    assert jiucuo_url("3406000012", None).endswith("site_code=3406000012")


def test_pub_dates():
    import datetime as dt

    assert pub_date_of_build(dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)) == "2025-01-01 08:00"  # Beijing time
    assert pub_date_of_record("2024-06-30") == "2024-06-30 00:00"
    assert pub_date_of_record("2024-06") is None and pub_date_of_record(None) is None  # never made up


# ---------------------------------------------------------------- mkdocs.yml lines


def test_option_place_follows_inherit_as_mkdocs_merges(tmp_path):
    parent = tmp_path / "base.yml"
    parent.write_text(
        "site_name: x\nplugins:\n  search: {}\n  disclosure:\n    portal:\n      site_code: '1'\n      icp: 京ICP备1号\n",
        encoding="utf-8",
    )
    child = tmp_path / "mkdocs.yml"
    child.write_text(
        "INHERIT: base.yml\nmarkdown_extensions:\n  - toc:\n      slugify: !!python/name:pymdownx.slugs.uslugify\n"
        "plugins:\n  disclosure:\n    portal:\n      site_code: '2'\n",
        encoding="utf-8",
    )
    # mappings of plugins are merged: the child's value wins, the parent's other settings stay
    assert option_place(str(child), ("portal", "site_code")).line == 8
    place = option_place(str(child), ("portal", "icp"))
    assert (Path(place.file).name, place.line) == ("base.yml", 7)
    assert option_place(str(child), ("portal", "contact", "email")).line == 7  # not written: where portal is
    assert portal_options(read_config(str(child)) or {}) == {"site_code": "2", "icp": "京ICP备1号"}
    # a list of plugins replaces the parent's
    child.write_text(
        "INHERIT: base.yml\nplugins:\n  - disclosure:\n      portal:\n        site_code: '3'\n", encoding="utf-8"
    )
    assert portal_options(read_config(str(child)) or {}) == {"site_code": "3"}
    assert option_place(str(child), ("portal", "icp")).file == str(child)


def test_the_commented_example_in_mkdocs_yml_is_valid():
    """Uncommenting the example under `# portal:` in the shipped mkdocs.yml gives settings without problems."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    block = re.search(r"^(\s*)# portal:\n((?:\1#   .*\n)+)", text, re.M)
    assert block, "no commented portal example in mkdocs.yml"
    import yaml

    indent = len(block.group(1))
    lines = [
        line[indent:].replace("#", " ", 1) for line in (block.group(1) + "# portal:\n" + block.group(2)).splitlines()
    ]
    raw = yaml.safe_load("\n".join(lines))["portal"]
    settings, problems = parse_portal(raw)
    assert problems == [] and settings.missing_identifiers == [] and settings.pattern is not None
    assert read_config(str(ROOT / "mkdocs.yml")) is not None
    assert portal_options(read_config(str(ROOT / "mkdocs.yml")) or {}) is None  # shipped as a preview


def test_the_guide_lists_every_site_code_as_registered():
    """The guide's publishing.md table of site-check codes is the registry's (site_codes.SITE_CODES)."""
    text = (WRITTEN_GUIDE_DIR / "publishing.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (S\d{3}) \| (\S+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$", text, re.M)
    assert [r[0] for r in rows] == list(SITE_CODES)
    for code, level, title, meaning, fix in rows:
        info = SITE_CODES[code]
        assert (level, title, meaning, fix) == (info.severity.label, info.title, info.meaning, info.fix), code
