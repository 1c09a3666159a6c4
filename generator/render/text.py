"""Escaping record text for the Markdown and HTML we emit."""

from __future__ import annotations

import html
import json
import re


def md_inline(text: str) -> str:
    """Record text placed in Markdown (headings, link text): HTML-escaped, Markdown syntax neutralised."""
    escaped = html.escape(text, quote=False)
    # A tilde becomes an entity: Python-Markdown has no backslash escape for it (the backslash would show),
    # while GFM-style engines read ~~ as strikethrough.
    escaped = escaped.replace("{", "&#123;").replace("}", "&#125;").replace("~", "&#126;")
    return re.sub(r"([\\`*_\[\]#|!])", r"\\\1", escaped)


_YAML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def _yaml_string(value: object) -> str:
    # JSON strings are YAML strings, except that YAML refuses some characters written literally:
    # MkDocs would then drop the front matter and show it, HTML and all, as text.
    return _YAML_UNSAFE.sub(lambda m: "\\u%04x" % ord(m.group(0)), json.dumps(value, ensure_ascii=False))


def front_matter(title: str, **extra: object) -> str:
    """YAML front matter; JSON strings are valid YAML and need no further quoting rules."""
    lines = ["---", f"title: {_yaml_string(title)}"]
    for key, value in extra.items():
        lines.append(f"{key}: {_yaml_string(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


# A JSON-LD block (data_page.py): JSON needs its braces, and its strings carry none (escaped as \u007b).
_JSON_LD = re.compile(r'(<script type="application/ld\+json">\n.*?\n</script>)', re.S)
_TEMPLATE = re.compile(r"\{[{%#]|[}%#]\}")


def neutral_braces(page: str) -> str:
    """Braces in a page body as entities, so that no template engine downstream (MkDocs macros,
    Jekyll, Hugo) ever evaluates `{{ … }}` or `{% … %}` from a record. The front matter is left as it is,
    and so is a JSON-LD block, whose braces are JSON's and never two in a row."""
    head, sep, body = page.partition("\n---\n") if page.startswith("---\n") else ("", "", page)
    parts = _JSON_LD.split(body)  # odd items: the JSON-LD blocks, kept only while no template syntax is in them
    return (
        head
        + sep
        + "".join(
            part if i % 2 and not _TEMPLATE.search(part) else part.replace("{", "&#123;").replace("}", "&#125;")
            for i, part in enumerate(parts)
        )
    )


_CJK_CHAR = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_FENCE = re.compile(r"^\s*(```|~~~)")


def join_cjk_lines(markdown: str) -> str:
    """Markdown with a paragraph's line breaks between two Chinese characters removed: a browser shows such a
    break as a space in the middle of a sentence. Fenced code is left as it is."""
    lines = markdown.split("\n")
    out = lines[:1]
    fenced = bool(_FENCE.match(lines[0]))
    for line in lines[1:]:
        fence = bool(_FENCE.match(line))
        prev = out[-1]
        if not fenced and not fence and prev and line and _CJK_CHAR.match(prev[-1]) and _CJK_CHAR.match(line[0]):
            out[-1] = prev + line
        else:
            out.append(line)
        if fence:
            fenced = not fenced
    return "\n".join(out)
