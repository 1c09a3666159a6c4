"""Chinese text as a reader sees it: no space where the Markdown source broke a line inside a sentence."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from generator.render.text import join_cjk_lines

BREAK_IN_SENTENCE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]\n[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def test_no_line_break_inside_a_chinese_sentence_on_any_page(built_site):
    found = []
    for page in sorted(built_site.root.rglob("*.html")):
        for paragraph in re.findall(r"<p>(.*?)</p>", page.read_text(encoding="utf-8"), re.S):
            found += [f"{page.relative_to(built_site.root)}: {m!r}" for m in BREAK_IN_SENTENCE.findall(paragraph)]
    assert found == []


lines = st.lists(
    st.sampled_from(["中文句子", "继续。", "English", "- 列表", "```", "| 表 |", "", "  缩进"]), max_size=12
)


@given(lines)
def test_join_keeps_fenced_code_and_only_removes_breaks_between_chinese(parts):
    text = "\n".join(parts)
    joined = join_cjk_lines(text)
    assert joined.replace("\n", "") == text.replace("\n", "")  # only line breaks are removed
    assert join_cjk_lines(joined) == joined
    inside = False
    for part in text.split("\n"):  # a fenced block keeps every line
        if part == "```":
            inside = not inside
        elif inside and part:
            assert part in joined.split("\n")


def test_join_examples():
    assert (
        join_cjk_lines("第一行\n接着写。\n\n```toml\n# 注释\n说明\n```\n甲\n乙")
        == "第一行接着写。\n\n```toml\n# 注释\n说明\n```\n甲乙"
    )
    assert join_cjk_lines("中文\nEnglish\n- 列表") == "中文\nEnglish\n- 列表"
