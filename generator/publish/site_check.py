"""What an inspection of government websites (《政府网站发展指引》, 国办秘函〔2019〕19号) would flag on a built site:
identifiers missing from the footer or malformed, missing meta tags, empty sections (空白栏目), a home page not
updated for more than two weeks, broken internal links, and a site built without its address (site_url).

It reads the built pages only, each once (html_facts.py); codes in site_codes.py. The site's update time is the
home page's PubDate, which the build writes (the build time: mkdocs_plugin/portal.py).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field

from generator.core.diagnostics import Diagnostic, Severity, has_errors, sort_key

from .html_facts import PageFacts, html_pages, read_page
from .link_check import OUTSIDE, BrokenLink, LinkChecker, SiteAddress
from .portal import ICP, POLICE, POLICE_LINK, SITE_CODE
from .site_codes import site_diagnostic

STALE_DAYS = 14  # 19号: a home page not updated for two weeks is a veto
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
PUB_DATE = re.compile(r"(\d{4}-\d{2}-\d{2}) \d{2}:\d{2}")
PROJECT_PAGE = re.compile(r"projects/\d{4}/[^/]+/index\.html")
NOT_ARTICLES = ("404.html",)  # theme pages: no column, no date
CONTACT_WORDS = ("联系电话", "电话", "电子邮箱", "邮箱", "地址", "联系方式")
SETTING_OF = {
    "网站标识码": "site_code",
    "ICP备案号": "icp",
    "公安机关备案号": "police",
    "主办单位": "sponsor",
    "联系方式": "contact",
}
EXAMPLES = 3  # pages named in a message about many pages


@dataclass
class SiteCheck:
    site_dir: str
    pages: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    broken_links: list[BrokenLink] = field(default_factory=list)
    links_checked: int = 0  # internal links (href and src) followed

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)

    def counts(self) -> dict[Severity, int]:
        return {s: sum(1 for d in self.diagnostics if d.severity is s) for s in Severity}


def _examples(pages: list[str]) -> str:
    shown = "、".join(pages[:EXAMPLES])
    return shown + ("等" if len(pages) > EXAMPLES else "")


class _Footer:
    """The footer's identifiers on each page, gathered into one finding per missing or malformed item."""

    def __init__(self) -> None:
        self.missing: dict[tuple[str, str], list[str]] = defaultdict(list)  # (code, item) → pages
        self.wrong: dict[str, list[str]] = defaultdict(list)  # description → pages

    def read(self, facts: PageFacts) -> None:
        text, links, page = facts.footer_text, facts.footer_links, facts.path
        code = re.search(r"网站标识码\s*[:：]\s*([0-9A-Za-z]*)", text)
        if code is None:
            self.missing[("S101", "网站标识码")].append(page)
        elif not SITE_CODE.fullmatch(code.group(1)):
            self.wrong[f"网站标识码“{code.group(1)}”格式不对（应为 10 位数字，或 bm 加 8 位数字）"].append(page)
        icp = ICP.search(text)
        if icp is None and "ICP" in text:
            self.wrong[f"ICP备案号“{_token(text, 'ICP')}”格式不对"].append(page)
        elif icp is None:
            self.missing[("S101", "ICP备案号")].append(page)
        elif not any("beian.miit.gov.cn" in link for link in links):
            self.wrong["ICP备案号没有链接到 https://beian.miit.gov.cn/"].append(page)
        police = POLICE.search(text)
        if police is None and "公网安备" in text:
            self.wrong[f"公安机关备案号“{_token(text, '公网安备')}”格式不对"].append(page)
        elif police is None:
            self.missing[("S101", "公安机关备案号")].append(page)
        elif not any(link.endswith(POLICE_LINK.split("//", 1)[1] + police.group(1)) for link in links):
            self.wrong[f"公安机关备案号没有链接到 {POLICE_LINK}{police.group(1)}"].append(page)
        if "主办单位" not in text:
            self.missing[("S101", "主办单位")].append(page)
        if not any(word in text for word in CONTACT_WORDS):
            self.missing[("S101", "联系方式")].append(page)
        if not any("zfwzgl.www.gov.cn/exposure/jiucuo" in link for link in links):
            self.missing[("S103", "“我为政府网站找错”入口")].append(page)
        if not any("bszs.conac.cn" in link for link in links):
            self.missing[("S104", "党政机关网站标识")].append(page)

    def findings(self, shown: str, total: int) -> list[Diagnostic]:
        out = []
        for (code, item), pages in self.missing.items():
            where = f"全部 {total} 个" if len(pages) == total else f"{len(pages)} 个（共 {total} 个）"
            message = f"{where}页面的底部没有{item}（如 {_examples(pages)}）。"
            if item in SETTING_OF:
                message += f"请在 mkdocs.yml 中 disclosure 插件的 portal 下填写 {SETTING_OF[item]} 后重新构建。"
            out.append(site_diagnostic(code, _join(shown, pages[0]), message))
        for what, pages in self.wrong.items():
            message = f"{len(pages)} 个页面的底部：{what}（如 {_examples(pages)}）。请改正 mkdocs.yml 的 portal 中的值后重新构建。"
            out.append(site_diagnostic("S102", _join(shown, pages[0]), message))
        return out


def _token(text: str, word: str) -> str:
    """The words around `word` in the footer's text, to quote a malformed number."""
    m = re.search(r"\S{0,2}%s\S*" % re.escape(word), text)
    return m.group(0) if m else word


def _join(shown: str, page: str) -> str:
    return f"{shown.rstrip('/')}/{page}" if shown else page


class _Pages:
    """Meta tags, listings and the home page's date, page by page."""

    def __init__(self, shown: str, today: _dt.date) -> None:
        self.shown = shown
        self.today = today
        self.missing_meta: dict[tuple[str, ...], list[str]] = defaultdict(list)
        self.undated_projects: list[str] = []
        self.out: list[Diagnostic] = []
        self.site_code_seen = False

    def read(self, facts: PageFacts, site_url: str | None) -> None:
        page = facts.path
        self.site_code_seen = self.site_code_seen or bool(facts.meta.get("SiteIDCode"))
        if page not in NOT_ARTICLES:
            self._meta(facts, site_url)
        for count in facts.listings:
            if count == 0:
                column = facts.meta.get("ColumnName") or facts.title
                self.out.append(
                    site_diagnostic(
                        "S120",
                        _join(self.shown, page),
                        f"空白栏目：栏目“{column}”的页面（{facts.title}）没有任何条目。"
                        "公开该栏目的记录，或从导航中去掉该栏目；国办秘函〔2019〕19号 把空白栏目达到 5 个列为单项否决。",
                    )
                )
        if page == "index.html":
            self._home(facts)

    def _meta(self, facts: PageFacts, site_url: str | None) -> None:
        wanted = [t for t in META_TAGS if site_url or t not in ("SiteDomain", "Url")]  # S150 says why
        missing = tuple(t for t in wanted if not facts.meta.get(t))
        if "PubDate" in missing and PROJECT_PAGE.fullmatch(facts.path):
            self.undated_projects.append(facts.path)
            missing = tuple(t for t in missing if t != "PubDate")
        if missing:
            self.missing_meta[missing].append(facts.path)
        pub = facts.meta.get("PubDate")
        if pub and not PUB_DATE.fullmatch(pub):
            self.out.append(
                site_diagnostic("S111", _join(self.shown, facts.path), f"PubDate“{pub}”不是 YYYY-MM-DD HH:MM 格式。")
            )

    def _home(self, facts: PageFacts) -> None:
        file = _join(self.shown, facts.path)
        m = PUB_DATE.fullmatch(facts.meta.get("PubDate") or "")
        if m is None:
            self.out.append(
                site_diagnostic("S131", file, "首页没有 PubDate 标签（或格式不对），无法判断首页是否超过两周未更新。")
            )
            return
        days = (self.today - _dt.date.fromisoformat(m.group(1))).days
        if days > STALE_DAYS:
            self.out.append(
                site_diagnostic(
                    "S130",
                    file,
                    f"首页的更新时间是 {facts.meta['PubDate']}（网站构建的时间），到 {self.today.isoformat()} 已 {days} 天，"
                    f"超过 {STALE_DAYS} 天。国办秘函〔2019〕19号 把首页 2 周不更新列为单项否决：请公开新的内容并重新构建、发布网站。",
                )
            )

    def findings(self, total: int) -> list[Diagnostic]:
        out = list(self.out)
        for missing, pages in sorted(self.missing_meta.items()):
            tags = [t for t in missing if not (t == "SiteIDCode" and not self.site_code_seen)]  # S101 says why
            if not tags:
                continue
            out.append(
                site_diagnostic(
                    "S110",
                    _join(self.shown, pages[0]),
                    f"{len(pages)} 个页面缺少 meta 标签 {'、'.join(tags)}（如 {_examples(pages)}）。",
                )
            )
        if self.undated_projects:
            pages = self.undated_projects
            out.append(
                site_diagnostic(
                    "S112",
                    _join(self.shown, pages[0]),
                    f"{len(pages)} 个项目页面没有发布日期（PubDate），因为记录没有填写 publish_date（如 {_examples(pages)}）。"
                    "请在这些记录中填写该评价结果实际公开的日期。",
                )
            )
        return out


def _links(shown: str, broken: list[BrokenLink]) -> list[Diagnostic]:
    """One finding per distinct broken target, at its first link, with how many links share it."""
    by_target: dict[tuple[str, str], list[BrokenLink]] = defaultdict(list)
    for b in broken:
        by_target[(b.target, b.fragment)].append(b)
    out = []
    for (target, fragment), links in by_target.items():
        first = links[0]
        more = f"；共有 {len(links)} 处链接到这里（{len({b.page for b in links})} 个页面）" if len(links) > 1 else ""
        if fragment:
            message = f"链接“{first.url}”指向 {target} 中的位置 #{fragment}，该页面没有这个位置{more}。"
            code = "S141"
        elif target == OUTSIDE:
            message = f"链接“{first.url}”指向网站之外的路径（网站的网址之外或网站目录的上级）{more}。"
            code = "S140"
        else:
            message = f"链接“{first.url}”指向的 {target or 'index.html'} 在网站中不存在{more}。"
            code = "S140"
        out.append(site_diagnostic(code, _join(shown, first.page), message, first.line, first.column))
    return out


def check_site(site_dir: str, today: _dt.date, *, site_url: str | None = None, shown: str | None = None) -> SiteCheck:
    """Inspect the built site in site_dir as of `today`. site_url: the address it is published at (by default the
    home page's canonical link, which MkDocs writes from site_url). `shown`: how file names start in messages."""
    shown = site_dir if shown is None else shown
    result = SiteCheck(site_dir)
    if not os.path.isfile(os.path.join(site_dir, "index.html")):
        result.diagnostics.append(
            site_diagnostic(
                "S160",
                _join(shown, "index.html"),
                f"{site_dir} 中没有 index.html：这不是构建好的网站。先运行 mkdocs build。",
            )
        )
        return result
    home = read_page(site_dir, "index.html")
    site_url = site_url or home.canonical
    if not site_url:
        sitemap = "sitemap.xml" if os.path.isfile(os.path.join(site_dir, "sitemap.xml")) else "index.html"
        result.diagnostics.append(
            site_diagnostic(
                "S150",
                _join(shown, sitemap),
                "网站构建时没有设置 site_url：sitemap.xml 不含网址，页面没有规范链接（canonical）和 Url、SiteDomain 标签，"
                "找错入口缺少页面网址。请在 mkdocs.yml 中设置 site_url（网站正式发布的完整网址）后重新构建。",
            )
        )
    links = LinkChecker(site_dir, SiteAddress.of(site_url))
    footer, pages = _Footer(), _Pages(shown, today)
    for path in html_pages(site_dir):
        facts = home if path == "index.html" else read_page(site_dir, path)
        links.add(facts)
        if facts.redirect:  # a renamed record's old address: no article, only its link to the new one counts
            continue
        result.pages += 1
        footer.read(facts)
        pages.read(facts, site_url)
    result.broken_links = links.finish()
    result.links_checked = links.checked
    found = footer.findings(shown, result.pages) + pages.findings(result.pages) + _links(shown, result.broken_links)
    # by page and place; on the same place in the order checked (the footer's items as an inspection lists them)
    result.diagnostics = sorted(result.diagnostics + found, key=lambda d: sort_key(d)[:4])
    return result
