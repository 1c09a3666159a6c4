"""Build into a staging folder beside the output, then put it in place: a failed or interrupted
build leaves the previous output as it was, and nothing half-built is ever published."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class StagedOutput:
    """A staging folder for `final` (created at once); commit() replaces `final` with it."""

    def __init__(self, final: str) -> None:
        self.final = os.path.abspath(final)
        parent = os.path.dirname(self.final)
        os.makedirs(parent, exist_ok=True)
        prefix = f".{os.path.basename(self.final)}-staging-"
        for stale in Path(parent).glob(prefix + "*"):  # left by an interrupted build of the same output
            shutil.rmtree(stale, ignore_errors=True)
        self.path = tempfile.mkdtemp(prefix=prefix, dir=parent)

    def commit(self) -> None:
        old = None
        if os.path.exists(self.final):
            old = self.final.rstrip("/") + ".old-" + os.path.basename(self.path)
            os.rename(self.final, old)
        os.rename(self.path, self.final)
        if old:
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def open_in(root: str, rel_path: str):
    """A new binary file at root/rel_path, its folders made as needed."""
    target = os.path.join(root, rel_path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    return open(target, "wb")
