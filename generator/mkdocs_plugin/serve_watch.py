"""Let `mkdocs serve` notice an edit at once.

MkDocs 1.6 finds changes by polling: every watched folder is scanned every 0.5 s, so an edit waits
0–0.5 s (plus the scan) before the rebuild even starts — half the time an editor may wait. The
operating system can tell at once (inotify, FSEvents, ReadDirectoryChangesW, through watchdog's
native observer). This moves MkDocs' folder watches to that observer. Single files (mkdocs.yml)
stay with polling: editors save a file by replacing it, which a native watch on the old file
would miss. Where native notification is not available or not allowed (watch limits; some
Docker mounts never deliver it — set `preview_polling: true` there), polling stays.
"""

from __future__ import annotations

import logging
import os

from . import internals

log = logging.getLogger("mkdocs.plugins.disclosure")


WRITE_EVENTS = frozenset({"created", "deleted", "modified", "moved", "closed"})


def _writes_only(observer_class):
    """The observer, passing on only changes: a native observer also reports files being opened and read,
    and the rebuild reads the watched files — each rebuild would start the next one."""
    from watchdog.events import FileSystemEventHandler

    class Changes(FileSystemEventHandler):
        def __init__(self, inner) -> None:
            self.inner = inner

        def dispatch(self, event) -> None:
            if event.event_type in WRITE_EVENTS:
                self.inner.dispatch(event)

    class WritesOnly(observer_class):
        def schedule(self, event_handler, path, **kwargs):
            return super().schedule(Changes(event_handler), path, **kwargs)

    return WritesOnly


def use_native_watcher(server) -> bool:
    """Move the folder watches of MkDocs' LiveReloadServer to a native observer; True when done."""
    watched = internals.watched_paths(server)
    try:
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver
    except ImportError:
        return False
    if not isinstance(internals.observer(server), PollingObserver):
        return False
    if Observer is PollingObserver:  # no native observer on this platform
        return False
    folders = {path: count for path, count in watched.items() if os.path.isdir(path)}
    native = _writes_only(Observer)()
    try:  # can every folder be watched natively? (watch limits) Try before touching MkDocs' watches.
        from watchdog.events import FileSystemEventHandler

        for path in folders:
            native.schedule(FileSystemEventHandler(), path, recursive=True)
    except OSError as exc:
        log.info(f"无法使用系统的文件变化通知（{exc}），预览改用定时检查（修改后最多约 0.5 秒才开始重建）。")
        return False
    finally:
        native.unschedule_all()
    polling = internals.observer(server)
    for path, count in folders.items():
        for _ in range(count):
            server.unwatch(path)  # from the polling observer
        internals.set_observer(server, native)
        try:
            for _ in range(count):
                server.watch(path)  # MkDocs' own handler and debounce, on the native observer
        finally:
            internals.set_observer(server, polling)
    native.start()
    server.pd_native_observer = native  # stopped in the plugin's on_shutdown
    return True


def stop_native_watcher(server) -> None:
    native = getattr(server, "pd_native_observer", None)
    if native is not None:
        native.stop()
        native.join(timeout=5)
