"""The government-website parts of every page, from the plugin's `portal:` settings (publish/portal.py): the meta
tags in <head>, the footer's identifiers and links, the 预览版 notice, and the 信息公开 header of project pages.
They reach the theme as `pd_portal` (theme/main.html: blocks extrahead, announce, content and footer); the theme
only lays them out.
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
from collections.abc import Iterable
from html import unescape
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.nav import Navigation

from generator.publish.index_number import IndexEntry, index_numbers
from generator.publish.portal import (
    ICP_LINK,
    PortalSettings,
    jiucuo_url,
    parse_portal,
    pub_date_of_build,
    pub_date_of_record,
)
from generator.publish.site_codes import SITE_CODES
from generator.render.summary import ProjectSummary

from .config_file import option_place

log = logging.getLogger("mkdocs.plugins.disclosure")


def load_settings(raw: Any, config: MkDocsConfig) -> PortalSettings:
    """The settings, or PluginError after one error line per problem, each naming its line in mkdocs.yml."""
    docs_dir = config.docs_dir
    settings, problems = parse_portal(raw, lambda path: os.path.isfile(os.path.join(docs_dir, path)))
    if problems:
        config_file = config.config_file_path or "mkdocs.yml"
        placed = sorted(
            ((option_place(config_file, ("portal", *p.path)), p) for p in problems),
            key=lambda x: (x[0].file, x[0].line),
        )
        for place, p in placed:
            log.error(f"{place.shown()}:{place.line}: {SITE_CODES[p.code].severity.label} {p.code}: {p.message}")
        raise PluginError(
            f"{os.path.basename(config_file)} 中 disclosure 插件的网站标识设置（portal）有 {len(problems)} 处错误，"
            "网站未构建：请按上面各行的说明改正。"
        )
    return settings


def preview_notice(settings: PortalSettings) -> str:
    """What every page of a site without its identifiers says, for the public."""
    missing = settings.missing_identifiers
    if not missing:
        return ""
    return f"本站为预览版，尚未标注{'、'.join(missing)}等政府网站标识，内容仅供预览，请以正式发布的政府网站为准。"


class NavColumns:
    """The column (栏目) of each page: a top-level entry of the navigation, or a section of it whose pages all lie in
    one folder of the site (编辑指南 → guide/). A page outside the navigation belongs to the column of the nearest
    page above it (projects/2021/x/ → 全部项目)."""

    def __init__(self, nav: Navigation | None = None) -> None:
        self.by_url: dict[str, str] = {}
        if nav is not None:
            self._walk(nav.items, None)

    @staticmethod
    def _folders(item: Any) -> set[str]:
        if item.is_page:
            return {item.url.split("/", 1)[0]}
        if item.is_section:
            return set().union(*(NavColumns._folders(c) for c in item.children)) if item.children else {""}
        return set()

    def _walk(self, items: Iterable[Any], column: str | None) -> None:
        for item in items:
            if item.is_section:
                folders = self._folders(item)
                one_folder = len(folders) == 1 and "" not in folders
                self._walk(item.children, column or (item.title if one_folder else None))
            elif item.is_page:
                self.by_url.setdefault(item.url, column or item.title)

    def of(self, url: str) -> str | None:
        if url in self.by_url:
            return self.by_url[url]
        above = [u for u in self.by_url if u and url.startswith(u) and u.endswith("/")]
        return self.by_url[max(above, key=len)] if above else None


class PortalPages:
    """What the theme shows of the settings on each page of one build."""

    def __init__(self, settings: PortalSettings, config: MkDocsConfig, built: _dt.datetime) -> None:
        self.settings = settings
        self.site_name = config.site_name
        self.site_description = config.site_description or ""
        self.site_domain = (urlsplit(config.site_url).hostname or "") if config.site_url else ""
        self.build_pub_date = pub_date_of_build(built)
        self.columns = NavColumns()
        self.numbers: dict[str, str] = {}
        self.projects: dict[str, ProjectSummary] = {}

    def set_nav(self, nav: Navigation) -> None:
        self.columns = NavColumns(nav)

    def set_projects(self, summaries: Iterable[ProjectSummary]) -> None:
        """The published projects: their index numbers are numbered across all of them."""
        self.projects = {s.path: s for s in summaries}
        pattern = self.settings.pattern
        # {year}: the filing year where the source printed no evaluation year (never an invented one)
        entries = [IndexEntry(s.path, s.filed_year, s.id, s.publish_date) for s in self.projects.values()]
        self.numbers = index_numbers(pattern, entries, self.settings.credit_code) if pattern else {}

    def site_context(self) -> dict[str, Any]:
        """The parts that are the same on every page (also for theme pages such as 404.html)."""
        s = self.settings
        return {
            "notice": preview_notice(s),
            "meta": _present(
                [("SiteName", self.site_name), ("SiteDomain", self.site_domain), ("SiteIDCode", s.site_code)]
            ),
            "footer": {
                "sponsor": s.sponsor,
                "organizer": s.organizer,
                "contact": s.contact,
                "site_code": s.site_code,
                "icp": s.icp,
                "icp_link": ICP_LINK if s.icp else "",
                "police": s.police,
                "police_link": s.police_link,
                "conac_image": s.conac_image,
                "conac_link": s.conac_link,
                "jiucuo": jiucuo_url(s.site_code, None) if s.site_code and s.jiucuo else "",
            },
            "record": None,
        }

    def page_context(self, page: Any) -> dict[str, Any]:
        """The parts of one page: its meta tags, its 找错 link and, on a project page, its 信息公开 header."""
        context = self.site_context()
        meta = page.meta or {}
        project = self.projects.get(page.file.src_uri)
        title = unescape(str(meta.get("title") or page.title or self.site_name))
        article_title = self.site_name if page.is_homepage else title
        column = self.columns.of(page.url) or title
        if project is not None:
            pub_date = pub_date_of_record(project.publish_date)
        else:
            pub_date = pub_date_of_record(str(meta.get("publish_date") or "")) or self.build_pub_date
        department = str(meta.get("department") or "")
        source = department or self.settings.sponsor or self.site_name
        keywords = str(meta.get("keywords") or ",".join(dict.fromkeys([column, self.site_name])))
        description = unescape(str(meta.get("description") or self.site_description or article_title))
        context["meta"] += _present(
            [
                ("ColumnName", column),
                ("ArticleTitle", article_title),
                ("PubDate", pub_date or ""),
                ("ContentSource", source),
                ("Keywords", keywords),
                ("Description", description),
                ("Url", page.canonical_url or ""),
            ]
        )
        footer = context["footer"]
        if footer["jiucuo"]:
            footer["jiucuo"] = jiucuo_url(self.settings.site_code, page.canonical_url)
        if project is not None:
            rows = [
                ("索引号", self.numbers.get(project.path, "")),
                ("发布机构", self.settings.publisher_of(project.department)),
                ("发布日期", project.publish_date or ""),
                ("更新日期", project.update_date or ""),  # the latest revision (修订记录 on the page)
            ]
            context["record"] = [(label, value) for label, value in rows if value] or None
        return context


def _present(tags: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Meta tags with a value: an empty tag would tell an inspection's crawler the value is empty."""
    return [(name, value) for name, value in tags if value]
