"""A command whose optional part is not installed. The light install (`pip install perf-disclosure`, what
pre-commit's hook gets) validates; the site and the office documents are extras. A command that reaches a
module of a missing extra says which extra to install, in Chinese and without a traceback."""

from __future__ import annotations

# top-level module → the extra that installs it (pyproject.toml, [project.optional-dependencies])
_EXTRAS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(
        (
            "jinja2",
            "markupsafe",
            "markdown_it",
            "mdurl",
            "mkdocs",
            "material",
            "pymdownx",
            "markdown",
            "yaml",
            "watchdog",
        ),
        ("site", "网站组件（生成页面和网站）"),
    ),
    **dict.fromkeys(("openpyxl", "et_xmlfile", "docx", "lxml"), ("office", "办公文档组件（导入和导出表格、报告）")),
    # issue 16: importing PDF forms and reports
    "pypdfium2": ("pdf", "用于导入 PDF 的组件（读取 PDF 中的表格和文字）"),
    "pypdfium2_raw": ("pdf", "用于导入 PDF 的组件（读取 PDF 中的表格和文字）"),
}


def missing_part(command: str, module: str | None) -> str | None:
    """The Chinese message for `command` missing `module`; None when the module is not one an extra
    installs (then it is the tool's own fault, an internal error)."""
    top = (module or "").split(".")[0]
    if top not in _EXTRAS:
        return None
    extra, what = _EXTRAS[top]
    return (
        f"命令 {command} 需要{what}，当前安装的是不含它的精简版本（缺少 Python 模块 {top}）。"
        f"请安装：python -m pip install 'perf-disclosure[{extra}]'；"
        f"在本工具的源代码目录中：python -m pip install -e '.[{extra}]'。未做任何改动。"
    )
