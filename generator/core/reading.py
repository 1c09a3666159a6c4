"""Read a record file or a narrative: only a regular file inside the records root, only up to a size limit.

Records come from a repository anyone can send a pull request to, and git stores symbolic links: a
narrative linked to /proc/self/environ or /etc/passwd would otherwise be published, and a record linked
to /dev/zero or a named pipe would be read until memory runs out, or forever. So a file is read only
when it is a regular file and its real path lies inside the records root (a link to another file of the
records stays allowed), and at most its size limit (plus one byte, to know it is too large) is read.

Special files are never opened: the checks use stat() first, and the open itself cannot block (O_NONBLOCK)
and is checked again on the opened descriptor, so that a file swapped between the check and the open is
refused as well.
"""

from __future__ import annotations

import errno
import os
import re
import stat

MAX_RECORD_BYTES = 2 * 1024 * 1024  # a record file (the largest shipped one is a few tens of KB)
MAX_NARRATIVE_BYTES = 5 * 1024 * 1024  # a narrative (.md); the largest shipped one is a few tens of KB

_YEAR_FOLDER = re.compile(r"\d{4}")
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


class Refused(Exception):
    """The file is not read: `code` (a diagnostic code) and a Chinese message saying why and what to do."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def records_root(file: str, given: str | None = None) -> str:
    """The records root a record file belongs to: the folder given (the records folder of a build), else
    the file's folder; a year folder (projects/<year>/) stands for the folder that holds it."""
    folder = given if given is not None and os.path.isdir(given) else os.path.dirname(os.path.abspath(file))
    folder = os.path.abspath(folder)
    return os.path.dirname(folder) if _YEAR_FOLDER.fullmatch(os.path.basename(folder)) else folder


def read_contained(path: str, root: str, limit: int) -> bytes | None:
    """The bytes of the file at `path`, None when there is no file there at all. Raises Refused when it
    lies outside `root` (through a symbolic link), is not a regular file, is larger than `limit` bytes or
    cannot be read."""
    try:
        link = stat.S_ISLNK(os.lstat(path).st_mode)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise Refused("E005", f"无法读取文件：{exc.strerror or exc}。请检查文件权限。") from None
    real = os.path.realpath(path)
    home = os.path.realpath(root)
    if real != home and not real.startswith(home.rstrip(os.sep) + os.sep):
        target = os.readlink(path) if link else real
        raise Refused(
            "E006",
            f"这是一个符号链接，指向记录目录之外（{target[:200]}）。为防止把目录外的文件公开，工具不读取它："
            "请把文件本身（而不是链接）放进记录目录，或删除该链接。",
        )
    try:
        before = os.stat(real)
    except FileNotFoundError:
        if not link:
            return None  # removed a moment ago: as if it had never been there
        raise Refused("E006", "这是一个符号链接，但它指向的文件不存在。请删除该链接，或换成文件本身。") from None
    except OSError as exc:
        raise Refused("E005", f"无法读取文件：{exc.strerror or exc}。请检查文件权限。") from None
    _require_regular(before)
    if before.st_size > limit:
        raise _too_large(limit, before.st_size)
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # the file was replaced by a link since the check above
            raise Refused("E006", "文件在读取时被换成了符号链接，工具不读取它。请重新运行。") from None
        if exc.errno == errno.ENOENT:
            return None
        raise Refused("E005", f"无法读取文件：{exc.strerror or exc}。请检查文件权限。") from None
    try:
        opened = os.fstat(fd)
        _require_regular(opened)
        if (opened.st_dev, opened.st_ino) != (before.st_dev, before.st_ino):
            raise Refused("E006", "文件在读取时被替换了，工具不读取它。请重新运行。")
        return _read_at_most(fd, limit)
    except OSError as exc:
        raise Refused("E005", f"无法读取文件：{exc.strerror or exc}。请检查文件权限。") from None
    finally:
        os.close(fd)


def _require_regular(st: os.stat_result) -> None:
    if stat.S_ISREG(st.st_mode):
        return
    kind = (
        "目录"
        if stat.S_ISDIR(st.st_mode)
        else "命名管道（FIFO）"
        if stat.S_ISFIFO(st.st_mode)
        else "设备文件"
        if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
        else "套接字"
        if stat.S_ISSOCK(st.st_mode)
        else "特殊文件"
    )
    raise Refused("E007", f"这不是普通文件，而是{kind}，工具不读取它。请换成普通的文本文件，或删除、改名。")


def _too_large(limit: int, size: int | None = None) -> Refused:
    has = f"文件有 {size:,} 字节，" if size is not None else "文件"
    return Refused(
        "E008",
        f"{has}超过上限 {limit:,} 字节（{limit // (1024 * 1024)} MB），工具不读取它。"
        "正常的记录和叙述只有几十 KB：请检查是否误粘贴了大量内容。",
    )


def _read_at_most(fd: int, limit: int) -> bytes:
    """Read to the end, but never more than limit + 1 bytes (a file can grow after its size was checked)."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(fd, min(1 << 20, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise _too_large(limit)
