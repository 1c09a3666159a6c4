"""A site's government-website settings (the disclosure plugin's `portal:` options in mkdocs.yml): the footer
identifiers, sponsor and contact, the 党政机关 mark, the 找错 link, the publisher and the index-number pattern.

Engine-neutral: the MkDocs adapter (mkdocs_plugin/portal.py) reads them from mkdocs.yml and shows them in the
footer, the meta tags and the 信息公开 header of project pages; site-check (site_check.py) looks for the same
formats on the built pages. Formats as seen in published government-site footers:

- 网站标识码: 10 digits (6-digit region code and 4 digits, 3406000012), ministries `bm` + 8 digits (bm07000001);
- ICP备案号: a province's abbreviation, ICP备, digits, 号, optionally the site's number (浙ICP备14042003号-1),
  linked to https://beian.miit.gov.cn/;
- 公安机关备案号: the abbreviation, 公网安备, 14 digits, 号 (浙公网安备 33060202000394号), linked to the
  record's page on www.beian.gov.cn;
- 找错: https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=<网站标识码>&url=<the page's address, encoded>.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from .index_number import IndexPattern, PatternError, parse_pattern

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
SITE_CODE = re.compile(r"\d{10}|bm\d{8}")
ICP = re.compile(rf"[{PROVINCES}]ICP备\d+号(?:-\d+)?")
POLICE = re.compile(rf"[{PROVINCES}]公网安备\s?(\d{{14}})号")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
CONAC_LINK = re.compile(r"https?://bszs\.conac\.cn/\S+")
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

ICP_LINK = "https://beian.miit.gov.cn/"
POLICE_LINK = "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode="
JIUCUO_LINK = "https://zfwzgl.www.gov.cn/exposure/jiucuo.html"
BEIJING = _dt.timezone(_dt.timedelta(hours=8), "北京时间")

# The three identifiers that make a site an identified government website: without any of them the site is a
# preview, and every page says so.
IDENTIFIERS = {"site_code": "网站标识码", "icp": "ICP备案号", "police": "公安机关备案号"}
TEXT_KEYS = {
    **IDENTIFIERS,
    "sponsor": "主办单位",
    "organizer": "承办单位",
    "conac_image": "党政机关网站标识图片",
    "conac_link": "党政机关网站标识链接",
    "publisher": "发布机构",
    "credit_code": "统一社会信用代码",
    "index_number": "索引号格式",
}
CONTACT_KEYS = {"phone": "联系电话", "email": "电子邮箱", "address": "地址"}
KEYS = {**TEXT_KEYS, "contact": "联系方式", "jiucuo": "找错入口"}


@dataclass(frozen=True)
class Contact:
    phone: str = ""
    email: str = ""
    address: str = ""

    def __bool__(self) -> bool:
        return bool(self.phone or self.email or self.address)


@dataclass(frozen=True)
class PortalSettings:
    site_code: str = ""  # 网站标识码
    icp: str = ""  # ICP备案号
    police: str = ""  # 公安机关备案号
    sponsor: str = ""  # 主办单位
    organizer: str = ""  # 承办单位
    contact: Contact = field(default_factory=Contact)
    conac_image: str = ""  # 党政机关网站标识: an image in docs_dir, relative to it
    conac_link: str = ""  # … and its page on bszs.conac.cn
    jiucuo: bool = True  # the 我为政府网站找错 link (shown once site_code is set)
    publisher: str = ""  # 发布机构 of project pages ({department}: the record's department); default sponsor
    credit_code: str = ""  # 统一社会信用代码, for {credit_code} in index_number
    index_number: str = ""  # the 索引号 pattern (index_number.py)

    @property
    def missing_identifiers(self) -> list[str]:
        """The Chinese names of the identifiers not set (any makes the site a preview)."""
        return [label for key, label in IDENTIFIERS.items() if not getattr(self, key)]

    @property
    def police_record_code(self) -> str:
        m = POLICE.fullmatch(self.police)
        return m.group(1) if m else ""

    @property
    def police_link(self) -> str:
        return POLICE_LINK + self.police_record_code if self.police_record_code else ""

    @property
    def pattern(self) -> IndexPattern | None:
        return parse_pattern(self.index_number) if self.index_number else None

    def publisher_of(self, department: str | None) -> str:
        """发布机构 of a project page ("" when it names the record's department and the source printed none)."""
        publisher = self.publisher or self.sponsor
        if "{department}" in publisher and department is None:
            return ""
        return publisher.replace("{department}", department or "")


@dataclass(frozen=True)
class PortalProblem:
    code: str  # site_codes.SITE_CODES
    path: tuple[str, ...]  # where under `portal:` (("site_code",), ("contact", "email")); () for portal itself
    message: str


def credit_code_ok(code: str) -> bool:
    """GB 32100-2015: 18 characters of CREDIT_CODE_CHARS, the last a check character over the first 17."""
    if len(code) != 18 or any(c not in CREDIT_CODE_CHARS for c in code):
        return False
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(code[:17], _CREDIT_WEIGHTS))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31] == code[17]


def _text(value: Any) -> str | None:
    """A setting's text: strings as they are, numbers as written (an unquoted 网站标识码 is read as a number)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int):
        return str(value)
    return None


def parse_portal(
    raw: Any, image_exists: Callable[[str], bool] | None = None
) -> tuple[PortalSettings, list[PortalProblem]]:
    """The settings from the `portal:` mapping as read from YAML, and every problem with them. Values that are
    wrong are left out of the settings, so that a site with problems still builds (for site-check to report)."""
    problems: list[PortalProblem] = []
    if raw is None:
        return PortalSettings(), problems
    if not isinstance(raw, dict):
        problems.append(PortalProblem("S007", (), "portal 应是一组设置项（每行一个“名称: 值”），见《发布》页的示例。"))
        return PortalSettings(), problems
    values: dict[str, Any] = {}
    for key, value in raw.items():
        key = str(key)
        if key not in KEYS:
            problems.append(
                PortalProblem(
                    "S007", (key,), f"不认识的设置项 {key}：portal 下可用的设置项是 " + "、".join(KEYS) + "。"
                )
            )
            continue
        if value is None or value == "":
            continue
        if key == "contact":
            contact, found = _contact(value)
            problems += found
            values[key] = contact
        elif key == "jiucuo":
            if isinstance(value, bool):
                values[key] = value
            else:
                problems.append(PortalProblem("S007", (key,), "jiucuo（找错入口）应写 true 或 false。"))
        else:
            text = _text(value)
            if text is None:
                problems.append(PortalProblem("S007", (key,), f"{key}（{KEYS[key]}）应是一行文字。"))
            else:
                values[key] = text
    problems += _formats(values, image_exists)
    bad = {p.path[0] for p in problems if p.path and p.code != "S007"}
    return PortalSettings(**{k: v for k, v in values.items() if k not in bad}), problems


def _contact(value: Any) -> tuple[Contact, list[PortalProblem]]:
    if isinstance(value, str):  # one line: shown as it is
        return Contact(phone=value.strip()), []
    if not isinstance(value, dict):
        return Contact(), [
            PortalProblem("S007", ("contact",), "contact（联系方式）应包含 phone、email、address 子项。")
        ]
    problems, found = [], {}
    for key, item in value.items():
        key = str(key)
        if key not in CONTACT_KEYS:
            problems.append(
                PortalProblem("S007", ("contact", key), f"不认识的联系方式 {key}：可用 phone、email、address。")
            )
            continue
        text = _text(item) if item is not None else ""
        if text is None:
            problems.append(
                PortalProblem("S007", ("contact", key), f"contact 的 {key}（{CONTACT_KEYS[key]}）应是一行文字。")
            )
        elif key == "email" and text and not EMAIL.fullmatch(text):
            problems.append(
                PortalProblem("S007", ("contact", key), f"电子邮箱“{text}”格式不对，应形如 jxpj@czj.example.gov.cn。")
            )
        else:
            found[key] = text
    return Contact(**found), problems


def _formats(values: dict[str, Any], image_exists: Callable[[str], bool] | None) -> list[PortalProblem]:
    out = []
    site_code = values.get("site_code")
    if site_code is not None and not SITE_CODE.fullmatch(site_code):
        out.append(
            PortalProblem(
                "S001",
                ("site_code",),
                f"网站标识码“{site_code}”格式不对：应为 10 位数字（6 位行政区划代码加 4 位顺序号，如 3406000012），"
                "或 bm 加 8 位数字（部委网站，如 bm07000001）。请照网站标识码的分配结果填写，并加引号。",
            )
        )
    icp = values.get("icp")
    if icp is not None and not ICP.fullmatch(icp):
        out.append(
            PortalProblem(
                "S002",
                ("icp",),
                f"ICP备案号“{icp}”格式不对：应为省份简称、ICP备、备案号数字和“号”，可带网站序号，"
                "如 京ICP备19014889号、浙ICP备14042003号-1。",
            )
        )
    police = values.get("police")
    if police is not None and not POLICE.fullmatch(police):
        out.append(
            PortalProblem(
                "S003",
                ("police",),
                f"公安机关备案号“{police}”格式不对：应为省份简称、公网安备、14 位数字和“号”，如 浙公网安备 33060202000394号。",
            )
        )
    image, link = values.get("conac_image"), values.get("conac_link")
    if image and not link:
        out.append(
            PortalProblem(
                "S004", ("conac_image",), "填写了党政机关网站标识图片 conac_image，还要填写它的核验链接 conac_link。"
            )
        )
    if link and not image:
        out.append(
            PortalProblem(
                "S004", ("conac_link",), "填写了党政机关网站标识链接 conac_link，还要填写标识图片 conac_image。"
            )
        )
    if link and not CONAC_LINK.fullmatch(link):
        out.append(
            PortalProblem(
                "S004",
                ("conac_link",),
                f"党政机关网站标识链接“{link}”不对：应是 bszs.conac.cn 上本网站的标识核验页面，"
                "如 https://bszs.conac.cn/sitename?method=show&id=…。",
            )
        )
    if image and image_exists is not None and not image_exists(image):
        out.append(
            PortalProblem(
                "S004",
                ("conac_image",),
                f"找不到党政机关网站标识图片 {image}：请把图片放进页面目录（docs_dir），写它在页面目录中的路径，如 assets/red.png。",
            )
        )
    credit = values.get("credit_code")
    if credit is not None and not credit_code_ok(credit):
        out.append(
            PortalProblem(
                "S006",
                ("credit_code",),
                f"统一社会信用代码“{credit}”不对：应为 18 位数字或大写字母（不含 I、O、S、V、Z），且最后一位校验码相符。",
            )
        )
    pattern = values.get("index_number")
    if pattern is not None:
        try:
            names = parse_pattern(pattern).names
        except PatternError as exc:
            out.append(PortalProblem("S005", ("index_number",), f"索引号格式“{pattern}”有误：{exc}。"))
        else:
            if "credit_code" in names and not credit:
                out.append(
                    PortalProblem(
                        "S005",
                        ("index_number",),
                        "索引号格式用到了 {credit_code}，请同时填写 credit_code（统一社会信用代码）。",
                    )
                )
    return out


def jiucuo_url(site_code: str, page_url: str | None) -> str:
    """The 我为政府网站找错 link of a page (without its address when the site's address is unknown)."""
    link = f"{JIUCUO_LINK}?site_code={quote(site_code, safe='')}"
    return link + f"&url={quote(page_url, safe='')}" if page_url else link


def pub_date_of_build(when: _dt.datetime) -> str:
    """PubDate of a page that changes with each build: the build time, in Beijing time."""
    return when.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def pub_date_of_record(publish_date: str | None) -> str | None:
    """PubDate of a project page: its record's publish date (a full date: the time is not recorded, 00:00)."""
    if publish_date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", publish_date):
        return f"{publish_date} 00:00"
    return None
