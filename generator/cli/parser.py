"""argparse in Chinese: the parser class every command uses (main.py builds the top-level one; the
sub-commands' parsers are made by argparse from the same class).

argparse writes its own words in English — "usage:", "positional arguments", "options", "show this help
message and exit" and its usage errors. Here they are replaced: the headings by the formatter and the
parser, the errors by translating argparse's messages (exit status 2 as before). A message this table
does not know (a newer Python's) stays as argparse wrote it, after the Chinese "用法错误：".
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections.abc import Callable
from typing import Any, NoReturn

USAGE = "用法："
POSITIONALS = "位置参数"
OPTIONALS = "选项"
HELP = "显示本帮助并退出"
TYPE_NAMES = {"int": "整数", "float": "数值", "str": "文本"}


_TOKENS = re.compile(r"\s+|[^\s\u2e80-\uffef]+|.")  # spaces, a run of narrow characters (one word), one wide character
_NO_LINE_START = set("，。、；：！？）》」』】”’")  # Chinese punctuation that stays with the text before it
_NO_LINE_END = set("（《「『【“‘")  # and that which stays with the text after it


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` terminal columns: a Chinese character takes two columns, and a
    line may break between any two of them (textwrap counts one and breaks only at spaces)."""
    lines: list[str] = []
    line, used = "", 0
    for token in _TOKENS.findall(" ".join(text.split())):
        size = _width(token)
        if token.isspace():
            if line:
                line, used = line + " ", used + 1
            continue
        if line and used + size > width and token not in _NO_LINE_START:
            carried = line[-1] if line[-1] in _NO_LINE_END and len(line) > 1 else ""
            lines.append(line[: len(line) - len(carried)].rstrip())
            line, used = carried, _width(carried)
        line, used = line + token, used + size
    if line.strip():
        lines.append(line.rstrip())
    return lines


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's help layout with Chinese headings (用法：… 位置参数：, 选项：) and Chinese text wrapped
    by its width on the screen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._headings: set[str] = set()

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, USAGE if prefix is None else prefix)

    def start_section(self, heading: str | None) -> None:
        if heading:
            self._headings.add(heading)
        super().start_section(heading)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))

    def format_help(self) -> str:
        text = super().format_help()
        for heading in self._headings:  # argparse ends a heading with an ASCII colon: Chinese text takes "："
            text = text.replace(f"{heading}:\n", f"{heading}：\n")
        return text


def _choices(text: str) -> str:
    return text.replace(", ", "、")


def _type_value(m: re.Match[str]) -> str:
    kind = TYPE_NAMES.get(m["type"], m["type"])
    return f"{m['value']} 不是有效的{kind}"


# argparse's messages (Python 3.10 to 3.14), each with its Chinese form.
MESSAGES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"the following arguments are required: (?P<names>.+)"), lambda m: f"缺少必需的参数：{m['names']}"),
    (re.compile(r"unrecognized arguments: (?P<args>.+)"), lambda m: f"无法识别的参数：{m['args']}"),
    (
        re.compile(r"invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)"),
        lambda m: f"无效的取值 {m['value']}（可选：{_choices(m['choices'])}）",
    ),
    (re.compile(r"invalid (?P<type>\S+) value: (?P<value>.+)"), _type_value),
    (re.compile(r"expected one argument"), lambda m: "需要一个取值"),
    (re.compile(r"expected at most one argument"), lambda m: "最多只能有一个取值"),
    (re.compile(r"expected at least one argument"), lambda m: "至少需要一个取值"),
    (re.compile(r"expected (?P<n>\d+) arguments?"), lambda m: f"需要 {m['n']} 个取值"),
    (re.compile(r"not allowed with argument (?P<other>.+)"), lambda m: f"不能与参数 {m['other']} 同时使用"),
    (re.compile(r"ignored explicit argument (?P<value>.+)"), lambda m: f"不接受取值 {m['value']}"),
    (re.compile(r"one of the arguments (?P<names>.+) is required"), lambda m: f"必须给出以下参数之一：{m['names']}"),
    (
        re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)"),
        lambda m: f"选项 {m['option']} 不明确，可能是：{_choices(m['matches'])}",
    ),
    (re.compile(r"unexpected option string: (?P<option>.+)"), lambda m: f"意外的选项：{m['option']}"),
    (re.compile(r"can't open '(?P<file>.+)': (?P<error>.+)"), lambda m: f"无法打开文件 {m['file']}：{m['error']}"),
]
ARGUMENT = re.compile(r"argument (?P<name>.+?): (?P<message>.+)", re.S)


def translate(message: str) -> str:
    """argparse's usage error in Chinese ("argument --format: invalid choice: …" → "参数 --format：无效的取值 …")."""
    found = ARGUMENT.fullmatch(message)
    if found:
        return f"参数 {found['name']}：{translate(found['message'])}"
    for pattern, chinese in MESSAGES:
        m = pattern.fullmatch(message)
        if m:
            return chinese(m)
    return message


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese help headings and usage errors; exit status 2 on a usage error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False  # argparse's own -h says "show this help message and exit": ours is added below
        super().__init__(*args, **kwargs)
        self._positionals.title = POSITIONALS
        self._optionals.title = OPTIONALS
        if add_help:
            prefix = "-" if "-" in self.prefix_chars else self.prefix_chars[0]
            self.add_argument(prefix + "h", prefix * 2 + "help", action="help", default=argparse.SUPPRESS, help=HELP)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"用法错误：{translate(message)}\n")
        sys.exit(2)
