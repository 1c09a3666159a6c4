"""The rules page's worked examples (examples.toml), run through the loader and the scoring engine."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import tomli

from generator.core.diagnostics import Diagnostic
from generator.core.loader import build_record
from generator.core.model import Record
from generator.core.pipeline import check_record
from generator.core.schemes import Library, load_library
from generator.core.scoring import Evaluation, LeafResult

from .data import fill, read_toml

EXAMPLES_FILE = "examples.toml"


@dataclass(frozen=True)
class Example:
    """A worked example: a TOML snippet from a seed record, run through the loader and the engine."""

    kind: str  # the rule kind it illustrates
    title: str
    source: str  # which seed record, in words and path
    snippet: str  # TOML shown on the page (and evaluated below the hidden record head)
    note: str = ""
    scheme: str = "national-self"
    year: int = 2021
    evaluation: str = "单位自评"


def load_examples() -> tuple[Example, ...]:
    """The worked examples of examples.toml, in page order."""
    return tuple(Example(**entry) for entry in read_toml(EXAMPLES_FILE)["example"])


EXAMPLES: tuple[Example, ...] = load_examples()


@dataclass
class Worked:
    """An example after the engine has run it: its last indicator's result and the codes reported from that indicator on."""

    example: Example
    record: Record
    evaluation: Evaluation
    leaf: LeafResult
    codes: list[str]


def run_example(
    snippet: str,
    *,
    scheme: str = "national-self",
    year: int = 2021,
    evaluation: str = "单位自评",
    library: Library | None = None,
) -> tuple[Record, Evaluation, list[Diagnostic]]:
    """Load a TOML snippet below a hidden record head and score it: (record, evaluation, diagnostics).

    Raises ValueError when the snippet does not load: a guide example must always be a valid record.
    """
    library = library or load_library(None)
    text = fill(read_toml(EXAMPLES_FILE)["record_head"], year=year, evaluation=evaluation, scheme=scheme) + snippet
    raw = tomli.loads(text, parse_float=Decimal)
    record, diags = build_record(raw, text, "guide-example.toml", "guide-example.toml", [])
    if record is None:
        raise ValueError("guide example does not load: " + "; ".join(d.to_text() for d in diags))
    record.narrative = "## 示例\n示例。\n"  # the narrative is not part of an example
    ev = check_record(record, library)
    return record, ev, diags + list(ev.diagnostics)


def work(example: Example, library: Library | None = None) -> Worked:
    """Run an example; its codes are those reported on or after the line of its last indicator (E101, no total, aside)."""
    record, ev, diags = run_example(
        example.snippet, scheme=example.scheme, year=example.year, evaluation=example.evaluation, library=library
    )
    leaf = ev.leaves[-1]
    first_line = record.locate(leaf.indicator.key)[0]
    codes = sorted({d.code for d in diags if d.line >= first_line and d.code != "E101"})
    return Worked(example, record, ev, leaf, codes)
