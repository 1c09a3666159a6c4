"""Map TOML key paths back to the line and column where they are written.

tomli returns plain dicts without positions; diagnostics must point at file:line:col. This is a
small line scanner that understands table headers, arrays of tables, dotted and quoted keys,
multi-line strings and multi-line arrays: enough to find where every key is defined. It is only
run for files that have a diagnostic to report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .diagnostics import KeyPath

_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_BARE_RUN = re.compile(r"[A-Za-z0-9_-]+")
_SPECIAL = re.compile(r"[#\"'\[\]{}]")  # the only characters that change the scanner's state
# Fast path for the most common line, `key = value` with one bare key and a value that leaves the scanner's
# state unchanged: a number/boolean/date, a basic string without escapes, or a one-line array of those.
_ATOM = r'(?:"[^"\\\n]*"|[^"\'\[\]{}#\s,][^"\'\[\]{}#,]*?)'
_SIMPLE_LINE = re.compile(
    r"[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*"
    rf"(?:{_ATOM}|\[[ \t]*(?:{_ATOM}[ \t]*,[ \t]*)*(?:{_ATOM}[ \t]*,?[ \t]*)?\])"
    r"[ \t]*(?:#.*)?$"
)


@dataclass
class PositionIndex:
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: KeyPath) -> tuple[int, int]:
        """Line and column of the deepest written prefix of `path` (1, 1 when nothing matches)."""
        p = tuple(path)
        while p:
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return (1, 1)


def _parse_key(text: str, i: int) -> tuple[list[str], int] | None:
    """Parse a (dotted) key starting at text[i]; return keys and the index after it."""
    keys: list[str] = []
    n = len(text)
    while True:
        while i < n and text[i] in " \t":
            i += 1
        if i >= n:
            return None
        ch = text[i]
        if ch == '"':
            j = i + 1
            buf = []
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n:
                    buf.append(text[j + 1])
                    j += 2
                    continue
                buf.append(text[j])
                j += 1
            if j >= n:
                return None
            keys.append("".join(buf))
            i = j + 1
        elif ch == "'":
            j = text.find("'", i + 1)
            if j < 0:
                return None
            keys.append(text[i + 1 : j])
            i = j + 1
        elif ch in _BARE:
            run = _BARE_RUN.match(text, i)
            if run is None:  # not reached: text[i] is a bare-key character
                return None
            j = run.end()
            keys.append(text[i:j])
            i = j
        else:
            return None
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] == ".":
            i += 1
            continue
        return keys, i


class _ValueScanner:
    """Tracks whether we are inside a multi-line string or a multi-line array/inline table."""

    def __init__(self) -> None:
        self.depth = 0
        self.ml_quote: str | None = None  # '"""' or "'''" while inside a multi-line string

    @property
    def busy(self) -> bool:
        return self.depth > 0 or self.ml_quote is not None

    def feed(self, text: str, i: int = 0) -> None:
        n = len(text)
        while i < n:
            if self.ml_quote:
                end = text.find(self.ml_quote, i)
                if end < 0:
                    return
                # skip escaped closing quotes in basic strings: an odd run of backslashes escapes, an even run does not
                if self.ml_quote == '"""':
                    k = end
                    while k > i and text[k - 1] == "\\":
                        k -= 1
                    if (end - k) % 2:
                        i = end + 1
                        continue
                i = end + 3
                while i < n and text[i] == self.ml_quote[0]:
                    i += 1
                self.ml_quote = None
                continue
            m = _SPECIAL.search(text, i)  # jump over characters that cannot change the state
            if m is None:
                return
            i = m.start()
            ch = text[i]
            if ch == "#":
                return
            if text.startswith('"""', i) or text.startswith("'''", i):
                self.ml_quote = text[i : i + 3]
                i += 3
                continue
            if ch == '"':
                j = i + 1  # the closing quote is the first one after an even run of backslashes
                while True:
                    q = text.find('"', j)
                    if q < 0:
                        j = n
                        break
                    k = q
                    while k > j and text[k - 1] == "\\":
                        k -= 1
                    if (q - k) % 2 == 0:
                        j = q
                        break
                    j = q + 1
                i = j + 1
                continue
            if ch == "'":
                j = text.find("'", i + 1)
                i = n if j < 0 else j + 1
                continue
            if ch in "[{":
                self.depth += 1
            elif ch in "]}":
                self.depth = max(0, self.depth - 1)
            i += 1


def build_index(text: str) -> PositionIndex:
    index = PositionIndex()
    current: KeyPath = ()
    aot_latest: dict[KeyPath, int] = {}
    scanner = _ValueScanner()

    def resolve(keys: list[str]) -> KeyPath:
        out: list[str | int] = []
        for k in keys:
            out.append(k)
            t = tuple(out)
            if t in aot_latest:
                out.append(aot_latest[t])
        return tuple(out)

    # Lines end at \n only (as in tomli and editors); str.splitlines() would also split inside strings
    # and comments at U+2028, U+0085 etc., which TOML allows there, and shift every later line.
    for lineno, line in enumerate(text.split("\n"), start=1):
        if line.endswith("\r"):
            line = line[:-1]
        if scanner.busy:
            scanner.feed(line)
            continue
        simple = _SIMPLE_LINE.match(line)
        if simple:
            index.positions.setdefault(current + (simple.group(1),), (lineno, simple.start(1) + 1))
            continue
        stripped = line.lstrip(" \t")
        col = len(line) - len(stripped) + 1
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[["):
            parsed = _parse_key(stripped, 2)
            if not parsed:
                continue
            keys, _ = parsed
            parent = resolve(keys[:-1])
            base = parent + (keys[-1],)
            idx = aot_latest.get(base, -1) + 1
            aot_latest[base] = idx
            # forget deeper arrays of tables that belonged to the previous element
            for deeper in [k for k in aot_latest if len(k) > len(base) and k[: len(base)] == base]:
                del aot_latest[deeper]
            current = base + (idx,)
            for depth in range(1, len(base) + 1):  # `[[a.b]]` also defines the table a here, if not written before
                index.positions.setdefault(base[:depth], (lineno, col))
            index.positions[current] = (lineno, col)
            continue
        if stripped.startswith("["):
            parsed = _parse_key(stripped, 1)
            if not parsed:
                continue
            current = resolve(parsed[0])
            for depth in range(1, len(current) + 1):  # `[a.b]` also defines the table a here, if not written before
                index.positions.setdefault(current[:depth], (lineno, col))
            continue
        parsed = _parse_key(line, 0)
        if not parsed:
            continue
        keys, after = parsed
        if after >= len(line) or line[after] != "=":
            continue
        path = current + tuple(keys)
        index.positions.setdefault(path, (lineno, col))
        # dotted keys define their intermediate tables here too
        for depth in range(1, len(keys)):
            index.positions.setdefault(current + tuple(keys[:depth]), (lineno, col))
        scanner.feed(line, after + 1)
    return index
