"""Sub-commands that live in their own modules register themselves through `register(sub)`.

Each module defines `register(subparsers)` adding its parser with `set_defaults(handler=...)`.
"""
from __future__ import annotations

import importlib
import importlib.util

COMMAND_MODULES = ("generator.cli.generate", "generator.cli.new", "generator.cli.import_form", "generator.cli.export", "generator.cli.schema",
                   "generator.cli.preview")


def register(sub) -> None:
    for name in COMMAND_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name).register(sub)
