"""Atom feeds (RFC 4287) of the published disclosures: one for the site, one per department.

An entry is a published record: its title, a Chinese summary with its score and grade, links to its page and
its JSON twin, and a date:

- `updated` is the record's publish_date (the day it was made public, which its page shows as 发布日期); a
  record without one is dated by its evaluation date (`date`, 评价日期), and a date given only to the year or
  month counts from its first day. Both come from the record, so a rebuild never moves an entry. Times are
  midnight, China Standard Time (+08:00).
- `id` is a urn:uuid made from the site (its address, or its title when the build has no site_url) and the
  record's identity (id, year, evaluation type): it stays the same when the record's file is renamed.

A feed lists its newest FEED_SIZE entries, newest first; its own `updated` is that of its newest entry (the build
date when it has none). With site_url known, links are absolute and the feed names its own address (rel="self");
without, links are relative to the feed file and there is no self link (feed readers resolve relative links
against the address they fetched the feed from).
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin
from xml.sax.saxutils import escape, quoteattr

from generator.core.decimals import fmt

from .open_data import FEED, address, department_feed, project_json
from .project import SiteOptions
from .summary import ProjectSummary
from .urls import department_page, page_url, rel

FEED_SIZE = 100  # entries per feed: the newest
CST = "+08:00"
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot carry
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "perf-disclosure.invalid")  # the tool's, as in its JSON Schema $id


def entry_date(s: ProjectSummary) -> str:
    """The day an entry was last updated: its latest revision, else publish_date, else the evaluation date, else
    1 January of its year (YYYY-MM-DD)."""
    return _day(s.update_date, s.publish_date, s.evaluation_date) or f"{s.filed_year:04d}-01-01"


def _day(*texts: str | None) -> str | None:
    for text in texts:
        m = _DATE.match(text or "")
        if m:
            return f"{m.group(1)}-{m.group(2) or '01'}-{m.group(3) or '01'}"
    return None


def _year_words(s: ProjectSummary) -> str:
    return f"{s.year} 年度" if s.year is not None else "评价年度未公布，"


def _stamp(day: str) -> str:
    return f"{day}T00:00:00{CST}"


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))


def summary_text(s: ProjectSummary) -> str:
    """The entry's summary: what was evaluated, by whom, and the result, in plain Chinese."""
    parts = [f"{s.year} 年度{s.evaluation}，主管部门：{s.department}，地区：{s.region}。"]
    if s.scored and s.total is not None:
        result = f"公布总分 {fmt(s.total)} 分"
        if s.max_score:
            result += f"（满分 {fmt(s.max_score)} 分）"
        if s.grade:
            result += f"，等级为“{s.grade}”"
        parts.append(result + "。")
    else:
        parts.append("本次评价未计分。")
    if s.execution_rate is not None:
        parts.append(f"预算执行率 {fmt(s.execution_rate)}%。")
    return "".join(parts)


@dataclass(frozen=True)
class _Links:
    """How a feed writes addresses: absolute under site_url, else relative to the feed file."""

    feed_path: str
    site_url: str

    def href(self, target: str) -> str:
        """`target` is a site path (a page source such as projects/2021/x.md, or a file)."""
        if self.site_url:
            return urljoin(self.site_url.rstrip("/") + "/", address(page_url(target)))
        return rel(self.feed_path, target)


def _id(site: str, key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, site + '#' + key)}"


def _entry(s: ProjectSummary, links: _Links, site: str) -> str:
    day = entry_date(s)
    slug = s.path.rsplit("/", 1)[-1][: -len(".md")]
    lines = [
        "<entry>",
        f"<id>{_id(site, f'{s.id}/{s.year}/{s.evaluation}')}</id>",
        f"<title>{_text(f'{s.name}（{_year_words(s)}{s.evaluation}）')}</title>",
        f"<updated>{_stamp(day)}</updated>",
    ]
    published = _day(s.publish_date)
    if published:
        lines.append(f"<published>{_stamp(published)}</published>")
    lines += [
        f'<link rel="alternate" type="text/html" href={_attr(links.href(s.path))}/>',
        f'<link rel="alternate" type="application/json" href={_attr(links.href(project_json(s.filed_year, slug)))}/>',
        *([f"<category term={_attr(s.department)}/>"] if s.department is not None else []),
        *([f"<category term={_attr(f'{s.year} 年度')}/>"] if s.year is not None else []),
        f"<summary>{_text(summary_text(s))}</summary>",
        "</entry>",
    ]
    return "\n".join(lines)


def atom_feed(
    evs: list[ProjectSummary], options: SiteOptions, today: date, *, path: str, title: str, page: str, key: str
) -> bytes:
    """The feed at `path` of the projects `evs`; `page` is the site page it accompanies, `key` names it in ids."""
    site = options.site_url or options.site_title
    links = _Links(path, options.site_url)
    newest = sorted(evs, key=lambda s: s.path)
    newest.sort(key=entry_date, reverse=True)  # stable: the same day in path order
    entries = newest[:FEED_SIZE]
    updated = _stamp(entry_date(entries[0])) if entries else _stamp(today.isoformat())
    head = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
        f"<id>{_id(site, key)}</id>",
        f"<title>{_text(title)}</title>",
        f"<subtitle>{_text(f'最新公开的 {len(entries)} 个项目支出绩效评价结果')}</subtitle>",
        f"<updated>{updated}</updated>",
        f"<author><name>{_text(options.site_title)}</name></author>",
        f'<link rel="alternate" type="text/html" href={_attr(links.href(page))}/>',
    ]
    if options.site_url:
        head.append(f'<link rel="self" type="application/atom+xml" href={_attr(links.href(path))}/>')
    head.append("<generator>perf-disclosure</generator>")
    body = [_entry(s, links, site) for s in entries]
    return ("\n".join(head + body + ["</feed>"]) + "\n").encode("utf-8")


def feed_files(evs: list[ProjectSummary], options: SiteOptions, today: date) -> list[tuple[str, bytes]]:
    """(path, bytes) of the site's feed and of each department's."""
    files = [
        (
            FEED,
            atom_feed(
                evs, options, today, path=FEED, title=f"{options.site_title}：最新公开", page="index.md", key="feed"
            ),
        )
    ]
    by_dept: dict[str, list[ProjectSummary]] = defaultdict(list)
    for s in evs:
        if s.department is not None:  # records whose department was not published are in the site-wide feed only
            by_dept[s.department].append(s)
    for name in sorted(by_dept):
        path = department_feed(name)
        files.append(
            (
                path,
                atom_feed(
                    by_dept[name],
                    options,
                    today,
                    path=path,
                    title=f"{options.site_title}：{name}",
                    page=department_page(name),
                    key=f"feed/department/{name}",
                ),
            )
        )
    return files
