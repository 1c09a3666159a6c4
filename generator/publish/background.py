"""Run one finishing job in a child process while the caller goes on.

A site build ends with work that no page needs — the search index and the site-wide data files —
while the static-site engine renders its pages on one core. Forking that work off lets it use the
other core. The child inherits everything it needs from the fork (nothing is pickled); where fork is
not available (Windows, or macOS' default), the job simply runs in place when started.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess


@dataclass
class BackgroundJob:
    """A started job; `wait()` gives (succeeded, message) once it is done."""

    process: BaseProcess | None = None  # while the job runs in a child
    connection: Connection | None = None  # the child sends (succeeded, message) through it
    outcome: tuple[bool, str] | None = None  # set once known

    def wait(self) -> tuple[bool, str]:
        if self.outcome is not None:
            return self.outcome
        assert self.process is not None and self.connection is not None, "a job without an outcome runs in a child"
        try:
            self.outcome = self.connection.recv()
        except (EOFError, OSError):
            self.process.join()
            self.outcome = (False, f"后台进程意外退出（退出码 {self.process.exitcode}）。")
        self.process.join()
        self.connection.close()
        gc.unfreeze()
        return self.outcome

    def cancel(self) -> None:
        if self.process is not None and self.outcome is None:
            self.process.terminate()
            self.process.join()
            self.outcome = (False, "已取消。")
            gc.unfreeze()


def _guarded(job: Callable[[], str]) -> tuple[bool, str]:
    try:
        return True, job()
    except Exception as exc:  # reported by the caller as a failed build, with the reason
        return False, f"{type(exc).__name__}: {exc}"


def _child(job: Callable[[], str], connection: Connection) -> None:
    gc.disable()  # the job is short and makes no garbage cycles worth a pass over the inherited heap
    connection.send(_guarded(job))
    connection.close()


def start(job: Callable[[], str], *, in_child: bool = True) -> BackgroundJob:
    """Start `job` (returns a message for the log) in a forked child, or run it now when that is not possible."""
    if not in_child or "fork" not in multiprocessing.get_all_start_methods():
        return BackgroundJob(outcome=_guarded(job))
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    # Memory shared after the fork stays shared only while neither process writes to it, and the cyclic
    # collector writes to every object it visits: frozen objects are left alone until the job is done.
    gc.freeze()
    process = context.Process(target=_child, args=(job, send), daemon=True)
    process.start()
    send.close()
    return BackgroundJob(process=process, connection=receive)
