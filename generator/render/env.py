"""The Jinja2 environment for page fragments: autoescaped, strict about undefined names."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import jinja2

from generator.core.decimals import fmt, q2

TEMPLATES = Path(__file__).parent / "templates"


def _num(value: Decimal | None, dash: str = "—") -> str:
    return dash if value is None else fmt(value)


def _money(value: Decimal | None) -> str:
    return "—" if value is None else f"{q2(value):,.2f}"


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{fmt(value)}%"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The one Jinja2 environment of the templates folder, with the num, money and pct filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["num"] = _num
    env.filters["money"] = _money
    env.filters["pct"] = _pct
    return env


def render(name: str, **context) -> str:
    """Render a fragment and fold it onto lines without blank lines (one raw HTML block for Markdown)."""
    html = environment().get_template(name).render(**context)
    return "\n".join(line for line in html.splitlines() if line.strip())
