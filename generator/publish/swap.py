"""Build into a staging folder beside the output, then put it in place: a failed or interrupted
build leaves the previous output as it was, and nothing half-built is ever published.

- One build at a time: a lock file beside the output (`.<name>.lock`) is held from staging to swap.
- The swap exchanges staging and output in one step where the OS offers it (Linux renameat2 with
  RENAME_EXCHANGE), so there is no moment without an output; elsewhere two renames, and an old copy
  an interrupted swap left (`<name>.old-*`) is put back or removed by the next build.
- Where the output cannot be renamed (a mount point, another device) the staged tree is copied into
  it instead, file by file.
- Every failure the user can act on is an OutputError with a Chinese message; the previous output
  is then untouched.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

MARKER = ".perf-disclosure-output"
"""The file every build leaves in its output: the folder is this tool's to replace."""
MARKER_TEXT = "本目录由 perf-disclosure 生成，每次构建时整体替换；请勿在其中存放其他文件。\n"
LOCK_WAIT = 10.0
"""Seconds a build waits for another build into the same output before it stops."""

# errno values of a rename that cannot work here at all (not a permission problem)
_NOT_RENAMEABLE = {errno.EBUSY, errno.EXDEV, errno.EPERM}
_READ_ONLY = {errno.EACCES, errno.EROFS}
_NO_EXCHANGE = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputError(Exception):
    """The output folder cannot be used or written; the message (Chinese) says why and what to do."""


def write_marker(folder: str) -> None:
    Path(folder, MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def _unwritable(path: str, exc: OSError) -> OutputError:
    return OutputError(
        f"无法写入 {path}（{exc.strerror or exc}）：该目录或它的上级目录是只读的，或当前用户没有写入权限。"
        "原有的输出未做改动；请改用可写的输出目录，或让管理员开放写入权限后重新构建。"
    )


class OutputLock:
    """`.<name>.lock` beside `final`, held by one build at a time (flock; O_EXCL where there is none)."""

    def __init__(self, final: str, wait: float = LOCK_WAIT) -> None:
        self.final = final
        self.path = os.path.join(os.path.dirname(final), f".{os.path.basename(final)}.lock")
        self.wait = wait
        self.fd: int | None = None

    def acquire(self) -> None:
        deadline = time.monotonic() + self.wait
        while not (self._try_flock() if fcntl is not None else self._try_exclusive()):
            if time.monotonic() >= deadline:
                raise OutputError(
                    f"另一次构建正在写入 {self.final}（锁文件 {self.path}），等待 {self.wait:g} 秒后仍未结束，"
                    "本次构建已停止，未做任何改动。请等那次构建结束后重新构建；"
                    "若确认没有其他构建在运行，删除该锁文件后重试。"
                )
            time.sleep(0.05)

    def _open(self, flags: int) -> int:
        try:
            return os.open(self.path, flags, 0o644)
        except PermissionError as exc:
            raise _unwritable(os.path.dirname(self.path), exc) from None
        except OSError as exc:
            if exc.errno in _READ_ONLY:
                raise _unwritable(os.path.dirname(self.path), exc) from None
            raise

    def _try_flock(self) -> bool:
        assert fcntl is not None
        fd = self._open(os.O_RDWR | os.O_CREAT)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        try:  # the holder before us may have removed the file: our lock is then on a file nobody sees
            same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
        except FileNotFoundError:
            same = False
        if not same:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return True

    def _try_exclusive(self) -> bool:
        try:
            fd = self._open(os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        except FileExistsError:
            return False
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return True

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.unlink(self.path)  # while still held: a waiter then sees the file is gone and opens a new one
        except OSError:
            pass
        os.close(self.fd)
        self.fd = None


class StagedOutput:
    """A staging folder for `final` (created at once, under the lock); commit() puts it in place of `final`."""

    def __init__(self, final: str, wait: float = LOCK_WAIT) -> None:
        self.final = os.path.realpath(final)  # a symlinked output: the folder it points to is replaced
        parent = os.path.dirname(self.final)
        self.notice: str | None = None  # what commit() did that the user should know (an in-place update)
        self.done = False  # committed or aborted
        try:
            os.makedirs(parent, exist_ok=True)
        except OSError as exc:
            raise _unwritable(parent, exc) from None
        self.lock = OutputLock(self.final, wait)
        self.lock.acquire()
        try:
            self._clear_leftovers()
            prefix = f".{os.path.basename(self.final)}-staging-"
            try:
                self.path = tempfile.mkdtemp(prefix=prefix, dir=parent)
            except OSError as exc:
                raise _unwritable(parent, exc) from None
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.path, 0o777 & ~umask)  # mkdtemp's 0700 would hide the published site from a web server
        except BaseException:
            self.lock.release()
            raise

    def _clear_leftovers(self) -> None:
        """Folders an interrupted build or swap left beside the output: a staging folder is removed; an
        old copy is put back when the output itself is missing (killed between two renames), else removed."""
        parent, name = Path(self.final).parent, os.path.basename(self.final)
        for stale in parent.glob(f".{name}-staging-*"):
            remove_tree(stale)
        olds = sorted(parent.glob(f"{name}.old-*"), key=lambda p: p.stat().st_mtime)
        if olds and not os.path.lexists(self.final):
            os.rename(olds.pop(), self.final)
        for old in olds:
            remove_tree(old)

    def commit(self) -> None:
        """Put the staged tree in place of `final` (with the marker file); release the lock."""
        try:
            write_marker(self.path)
            self._swap()
        except BaseException:
            remove_tree(self.path)  # the new tree; the output is as it was
            raise
        finally:
            self.done = True
            self.lock.release()

    def _swap(self) -> None:
        if not os.path.lexists(self.final):
            try:
                os.rename(self.path, self.final)
            except OSError as exc:
                raise _unwritable(os.path.dirname(self.final), exc) from None
            return
        try:
            if exchange(self.path, self.final):
                remove_tree(self.path)  # it holds the previous output now
                return
        except OSError as exc:
            self._cannot_rename(exc)
            return
        old = f"{self.final}.old-{os.path.basename(self.path)}"
        try:
            os.rename(self.final, old)
        except OSError as exc:
            self._cannot_rename(exc)
            return
        try:
            os.rename(self.path, self.final)
        except OSError as exc:
            os.rename(old, self.final)
            self._cannot_rename(exc)
            return
        remove_tree(old)

    def _cannot_rename(self, exc: OSError) -> None:
        """The output cannot be swapped: a mount point or another device gets the staged tree copied in;
        a read-only folder is an OutputError."""
        if exc.errno not in _NOT_RENAMEABLE:
            if exc.errno in _READ_ONLY:
                raise _unwritable(self.final, exc) from None
            raise exc
        try:  # writable at all? (os.access says yes to root on a read-only mount)
            probe = tempfile.mkstemp(prefix=".pd-probe-", dir=self.final)
            os.close(probe[0])
            os.unlink(probe[1])
        except OSError as probe_exc:
            raise _unwritable(self.final, probe_exc) from None
        update_in_place(self.path, self.final)
        remove_tree(self.path)
        self.notice = f"{self.final} 无法整体替换（{exc.strerror or exc}，常见于挂载点或跨设备的目录），已改为在原目录中逐个更新文件。"

    def abort(self) -> None:
        """Drop the staging folder (the output stays as it was); release the lock. Harmless after commit()."""
        if self.done:
            return
        self.done = True
        remove_tree(self.path)
        self.lock.release()


def remove_tree(path: str | Path) -> None:
    """Remove a folder this tool made, read-only parts included (an output someone made read-only
    has just been swapped out); what still cannot be removed stays, for the next build to retry."""

    root = os.path.abspath(path)

    def retry(func: Callable[..., object], failed: str, *_: object) -> None:
        folder = os.path.dirname(os.path.abspath(failed))
        if folder != root and not folder.startswith(root + os.sep):
            return  # never a folder outside the tree
        try:
            os.chmod(folder, 0o755)
            func(failed)
        except OSError:
            pass

    if not os.path.isdir(root) or os.path.islink(root):
        return
    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=retry)
    else:  # pragma: no cover - Python 3.10 and 3.11
        shutil.rmtree(path, onerror=retry)
    if os.path.isdir(root):  # a folder emptied only by the retries above
        shutil.rmtree(root, ignore_errors=True)


def update_in_place(src: str, dst: str) -> None:
    """Make the tree at `dst` the same as the one at `src` without replacing `dst` itself: each file is
    written under a temporary name and renamed over the old one, then what `src` lacks is removed."""
    for dirpath, _dirnames, filenames in os.walk(src):
        rel = os.path.relpath(dirpath, src)
        target = os.path.normpath(os.path.join(dst, rel))
        if os.path.lexists(target) and (os.path.islink(target) or not os.path.isdir(target)):
            os.unlink(target)
        os.makedirs(target, exist_ok=True)
        for name in filenames:
            dest = os.path.join(target, name)
            if os.path.isdir(dest) and not os.path.islink(dest):
                shutil.rmtree(dest)
            tmp = os.path.join(target, f".{name}.pd-new")
            shutil.copyfile(os.path.join(dirpath, name), tmp)
            os.replace(tmp, dest)
    for dirpath, dirnames, filenames in os.walk(dst, topdown=False):
        rel = os.path.relpath(dirpath, dst)
        for name in filenames + dirnames:
            path = os.path.join(dirpath, name)
            if os.path.lexists(os.path.join(src, rel, name)):
                continue
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.unlink(path)


def _load_renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        func = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # glibc before 2.28, musl, …
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func  # type: ignore[no-any-return]


_renameat2 = _load_renameat2()


def exchange(a: str, b: str) -> bool:
    """Swap the folders at a and b in one step. False where the OS or filesystem cannot (nothing done);
    an OSError when it could but refused (EBUSY for a mount point, EACCES, …)."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in _NO_EXCHANGE:
        return False
    raise OSError(err, os.strerror(err), b)


def open_in(root: str, rel_path: str):
    """A new binary file at root/rel_path, its folders made as needed."""
    target = os.path.join(root, rel_path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    return open(target, "wb")
