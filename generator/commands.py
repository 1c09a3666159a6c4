"""Sub-commands that live in their own modules register themselves through `register(sub)`.

Each module defines `register(subparsers)` adding its parser with `set_defaults(handler=...)`.
"""
from __future__ import annotations

import importlib
import importlib.util

COMMAND_MODULES = ("generator.cmd_generate", "generator.cmd_new", "generator.cmd_import", "generator.cmd_export", "generator.cmd_schema",
                   "generator.cmd_preview")


def register(sub) -> None:
    for name in COMMAND_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name).register(sub)
