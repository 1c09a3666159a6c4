"""The guide's words and worked examples, read from the data files beside this code.

- codes.md, fields.md, rules.md, grades.md: each generated page's prose, with a `$name` placeholder
  for every block the code generates from a registry;
- phrases.toml: the sentences repeated for each registry entry (a code, a field, a rule kind, a scheme);
- examples.toml: the worked examples of the rules page, run through the engine when the page is built;
- custom_scheme.toml: the scheme file shown on the grades page (and loaded by the tests).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from string import Template

import tomli


def read_text(name: str) -> str:
    """A data file of this package as text (read through importlib.resources, so an installed package works)."""
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


@cache
def read_toml(name: str) -> dict:
    """A TOML data file of this package, parsed once: a page looks up its phrases once per registry entry."""
    return tomli.loads(read_text(name))


def fill(text: str, **values: object) -> str:
    """`text` with each `$name` replaced by `values[name]`; a placeholder without a value raises KeyError."""
    return Template(text).substitute({name: str(value) for name, value in values.items()})


def placeholders(text: str) -> set[str]:
    """The `$name` placeholders of a template text."""
    template = Template(text)
    return {m.group("named") or m.group("braced") for m in template.pattern.finditer(text)} - {None}


def page(name: str, **blocks: str) -> str:
    """A page template filled with the blocks generated for it; a block the template does not place is an error."""
    text = read_text(name)
    unplaced = set(blocks) - placeholders(text)
    if unplaced:
        raise KeyError(f"{name} has no placeholder for {', '.join(sorted(unplaced))}")
    return fill(text, **blocks)


def phrases(section: str) -> dict:
    """One table of phrases.toml, by dotted name ("rules", "fields.type"; "" for the top level)."""
    table = read_toml("phrases.toml")
    for key in filter(None, section.split(".")):
        table = table[key]
    return table


def phrase(key: str, **values: object) -> str:
    """One phrase of phrases.toml by dotted key ("rules.computed"), its placeholders filled from `values`."""
    section, _, name = key.rpartition(".")
    return fill(phrases(section)[name], **values)


def generated_note() -> str:
    """The notice at the head of every generated page."""
    return phrase("generated_note")
