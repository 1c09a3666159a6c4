"""Codes of the problems a site can have as a government website: its settings in mkdocs.yml (S0xx, checked by
the build and by site-check) and what an inspection would find on the built pages (S1xx, site-check).

A registry of its own, apart from the record codes of core/diagnostics.py (E/W/I): the letter S never
collides with them. Severity ERROR marks what fails the build (S0xx) or what 国办秘函〔2019〕19号 vetoes
or deducts for (site-check exits 1); the guide's table (render/guide/pages/publishing.md) lists every code.
"""

from __future__ import annotations

from generator.core.diagnostics import CodeInfo, Diagnostic, Severity

_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

SITE_CODES: dict[str, CodeInfo] = {
    c.code: c
    for c in [
        # --- settings in mkdocs.yml (plugins → disclosure → portal)
        CodeInfo(
            "S001",
            _E,
            "网站标识码格式不对",
            "网站标识码是 10 位数字（6 位行政区划代码加 4 位顺序号），部委网站是 bm 加 8 位数字。",
            '照政府网站标识码的分配结果填写，并加引号，如 site_code: "3406000012"。',
        ),
        CodeInfo(
            "S002",
            _E,
            "ICP备案号格式不对",
            "ICP备案号形如 京ICP备19014889号，可带网站序号 -1。",
            "照工业和信息化部备案管理系统（beian.miit.gov.cn）中的备案号填写。",
        ),
        CodeInfo(
            "S003",
            _E,
            "公安机关备案号格式不对",
            "公安机关备案号形如 浙公网安备 33060202000394号，其中是 14 位数字。",
            "照全国互联网安全管理服务平台（beian.gov.cn）中的备案号填写。",
        ),
        CodeInfo(
            "S004",
            _E,
            "党政机关网站标识设置有误",
            "标识图片须是页面目录（docs_dir）中的文件，链接须指向 bszs.conac.cn 的网站标识核验页面，两者同时填写。",
            "把标识图片放进页面目录，conac_image 写它在页面目录中的路径，conac_link 写核验页面的完整网址。",
        ),
        CodeInfo(
            "S005",
            _E,
            "索引号格式设置有误",
            "索引号格式中只能用 {credit_code}、{year}、{publish_year}、{id}、{seq} 这几个占位符，数字可写成 {seq:05d} 补足位数。",
            "改正 index_number；用到 {credit_code} 时同时填写 credit_code。",
        ),
        CodeInfo(
            "S006",
            _E,
            "统一社会信用代码不对",
            "统一社会信用代码是 18 位数字或大写字母（不含 I、O、S、V、Z），最后一位是校验码。",
            "照单位的统一社会信用代码证书填写。",
        ),
        CodeInfo(
            "S007",
            _E,
            "网站标识设置项有误",
            "portal 下有不认识的设置项，或设置项的值类型不对（应为文字、是否或联系方式的子项）。",
            "对照《发布》页中的设置说明改正拼写和取值。",
        ),
        # --- the built site, as an inspection sees it
        CodeInfo(
            "S101",
            _E,
            "页面底部缺少网站标识",
            "政府网站的页面底部须列明网站标识码、ICP备案号、公安机关备案号、主办单位和联系方式；检查时逐项核对。",
            "在 mkdocs.yml 的 portal 中填写缺少的项目后重新构建。",
        ),
        CodeInfo(
            "S102",
            _E,
            "页面底部的网站标识有误",
            "页面底部的标识码或备案号格式不对，或备案号没有链接到备案查询网站。",
            "改正 mkdocs.yml 的 portal 中的值后重新构建。",
        ),
        CodeInfo(
            "S103",
            _W,
            "页面底部没有找错入口",
            "政府网站页面底部通常设有“我为政府网站找错”入口，检查时列为底部功能区的项目。",
            "填写网站标识码（找错入口随之显示），不要设置 jiucuo: false。",
        ),
        CodeInfo(
            "S104",
            _I,
            "页面底部没有党政机关网站标识",
            "取得党政机关网站标识的网站应在页面底部显示它。",
            "取得标识后，在 portal 中填写 conac_image 和 conac_link。",
        ),
        CodeInfo(
            "S110",
            _W,
            "页面缺少 meta 标签",
            "政府网站页面的 meta 标签（SiteName、SiteIDCode、ColumnName、ArticleTitle、PubDate 等）供普查和检索使用。",
            "由构建自动写出：设置 site_url 和网站标识码后重新构建；手写页面可在开头的 front matter 中填写 title 和 description。",
        ),
        CodeInfo(
            "S111",
            _W,
            "发布时间格式不对",
            "meta 标签 PubDate 应写成 YYYY-MM-DD HH:MM。",
            "检查页面的 front matter 或模板中改写 PubDate 的地方。",
        ),
        CodeInfo(
            "S112",
            _W,
            "项目页面没有发布日期",
            "记录没有填写公开日期（publish_date），项目页面没有发布日期，也没有 PubDate 标签。",
            "在记录中填写 publish_date（该评价结果实际公开的日期），不要填写构建或检查的日期。",
        ),
        CodeInfo(
            "S120",
            _E,
            "空白栏目",
            "栏目页面没有任何条目。《政府网站发展指引》要求避免空白栏目；国办秘函〔2019〕19号 把空白栏目达到 5 个列为单项否决。",
            "公开该栏目的记录，或从导航中去掉该栏目。",
        ),
        CodeInfo(
            "S130",
            _E,
            "首页超过两周未更新",
            "首页记录的更新时间距检查当天超过 14 天；国办秘函〔2019〕19号 把首页 2 周不更新列为单项否决。",
            "公开新的内容并重新构建、发布网站。",
        ),
        CodeInfo(
            "S131",
            _W,
            "无法确定首页更新时间",
            "首页没有 PubDate 标签，无法判断它是否超过两周未更新。",
            "用本工具重新构建网站（首页的 PubDate 是构建时间）。",
        ),
        CodeInfo(
            "S140",
            _E,
            "站内链接失效",
            "页面中的链接或引用的文件（图片、样式、脚本）在网站中不存在。检查时计为不能正常访问的链接。",
            "改正链接；链接由生成的页面给出时，请报告给维护人员。",
        ),
        CodeInfo(
            "S141",
            _E,
            "链接的锚点不存在",
            "链接指向页面中的某个位置（# 之后的部分），但目标页面中没有这个位置。",
            "改正 # 之后的部分，使它与目标页面的标题锚点一致。",
        ),
        CodeInfo(
            "S150",
            _W,
            "未设置 site_url",
            "没有 site_url 时 sitemap.xml 不含网址，页面没有规范链接（canonical）和 Url、SiteDomain 标签，找错入口缺少页面网址。",
            "在 mkdocs.yml 中设置 site_url（网站正式发布的完整网址，如 https://czj.example.gov.cn/jxpj/）后重新构建。",
        ),
        CodeInfo(
            "S160",
            _E,
            "不是构建好的网站",
            "指定的目录中没有 index.html，不是 mkdocs build 构建的网站。",
            "先运行 mkdocs build，再检查 site_dir（默认 site/）。",
        ),
    ]
}


def site_diagnostic(code: str, file: str, message: str, line: int = 1, column: int = 1) -> Diagnostic:
    """A diagnostic of the site: `file` is mkdocs.yml or a built page, relative to the site folder."""
    return Diagnostic(
        code=code, file=file, line=line, column=column, message=message, severity=SITE_CODES[code].severity
    )
