"""The sub-commands: one module each, which adds its parser through `register(subparsers)` with
`set_defaults(handler=run)`. A new command is a module here and a line in COMMAND_MODULES."""

from __future__ import annotations

import argparse
import importlib

COMMAND_MODULES = (
    "validate",
    "report",
    "generate",
    "new",
    "import_form",
    "export",
    "schema",
    "preview",
    "site_check",
)


def register(sub: argparse._SubParsersAction) -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__package__}.{name}").register(sub)
