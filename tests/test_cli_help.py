"""`--help` and usage errors in Chinese, for the tool and every command (generator/cli/parser.py)."""

from __future__ import annotations

import re

import pytest

from generator.cli.commands import COMMAND_MODULES
from generator.cli.main import build_parser, main
from generator.cli.parser import translate, wrap

# What argparse writes in English (Python 3.10–3.14): none of it may reach an editor.
ENGLISH = re.compile(
    r"usage:|positional arguments|optional arguments|options:|show this help|error:|the following arguments"
    r"|invalid choice|unrecognized arguments|expected (one|at most|at least)|invalid \w+ value",
    re.I,
)


def _command_names() -> list[str]:
    """Every command as an editor types it (import_form is `import`)."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    names = list(sub.choices)
    assert len(names) == len(COMMAND_MODULES)
    return names


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


@pytest.mark.parametrize("command", [None, *_command_names()])
def test_help_is_chinese(capsys, command):
    code, out, err = _run(capsys, *([command] if command else []), "--help")
    assert code == 0 and err == ""
    assert not ENGLISH.search(out), out
    assert out.startswith("用法：python -m generator")
    assert "选项：" in out and "-h, --help" in out and "显示本帮助并退出" in out


def test_top_level_help_lists_every_command(capsys):
    _, out, _ = _run(capsys, "--help")
    assert "位置参数：" in out
    for name in _command_names():
        assert re.search(rf"^    {name}\s+\S", out, re.M), name  # each with its Chinese description


@pytest.mark.parametrize(
    "argv, message",
    [
        (("generate",), "用法错误：缺少必需的参数：--out"),
        (
            ("validate", "--format", "yaml"),
            "用法错误：参数 --format：无效的取值 'yaml'（可选：'github'、'json'、'text'）",
        ),
        (("no-such-command",), "用法错误：参数 命令：无效的取值 'no-such-command'"),
        (("validate", "--no-such-option"), "用法错误：无法识别的参数：--no-such-option"),
        (("generate", "--out", "x", "--wait", "abc"), "用法错误：参数 --wait：'abc' 不是有效的数值"),
        (("generate", "--out"), "用法错误：参数 --out：需要一个取值"),
    ],
)
def test_usage_errors_are_chinese_with_exit_status_2(capsys, argv, message):
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("用法：python -m generator")
    assert message in err, err
    assert not ENGLISH.search(err), err


def test_the_command_line_itself(run_cli):
    """The same through `python -m generator`, as an editor runs it."""
    proc = run_cli("export")
    assert proc.returncode == 2 and "用法错误：缺少必需的参数：record" in proc.stderr, proc.stderr
    assert not ENGLISH.search(proc.stderr)
    proc = run_cli("preview", "--help")
    assert proc.returncode == 0 and proc.stdout.startswith("用法：") and not ENGLISH.search(proc.stdout)


def test_an_unknown_message_is_kept():
    """A message of a newer Python that the table does not know is shown as argparse wrote it."""
    assert translate("argument --x: something new") == "参数 --x：something new"
    assert translate("something new") == "something new"


def test_chinese_help_text_fits_the_screen_width():
    text = "输出目录（将被整体替换）：须是不存在的目录、空目录或本工具以前生成的目录（其中有标记文件 .perf-disclosure-output）"
    lines = wrap(text, 40)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    widths = [sum(2 if "\u2e80" <= c <= "\uffef" else 1 for c in line) for line in lines]
    assert max(widths) <= 42, lines  # a closing mark (two columns) may hang past the width, nothing else
    assert not any(line[0] in "，。、）：" for line in lines[1:]), lines
    assert not any(line[-1] == "（" for line in lines), lines
