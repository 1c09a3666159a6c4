"""Set a page's HTML blocks aside, leaving placeholders, and put them back into the final HTML.

The generated pages are mostly HTML (tables laid out like the forms). A Markdown engine gains nothing
from re-parsing that HTML and Python-Markdown spent three quarters of the build doing it; the blocks
wait compressed (so 10,000 pages do not sit in memory) until the page is written.

A page's blocks are what CommonMark and Python-Markdown take them for: text between blank lines, an
HTML block starting with "<". Every HTML fragment the renderer emits is therefore free of blank
lines (env.render folds them, narrative.render_narrative writes them as &#10;): a blank line would
end the HTML block in any Markdown engine that reads `generate --out`, not only here.
"""

from __future__ import annotations

import re
import zlib

SEP = "\x1e"  # between the blocks of a page; escaped inside them, so no block can forge a boundary
_PLACEHOLDER = re.compile(r"<!--pd-html:(\d+)-->")


def lift(content: str) -> tuple[str, bytes]:
    """(Markdown with placeholders, the HTML blocks compressed; b"" when there are none)."""
    blocks = content.split("\n\n")
    lifted: list[str] = []
    for i, block in enumerate(blocks):
        if block.startswith("<") and not block.startswith("<!--"):
            lifted.append(block.replace(SEP, "&#30;"))
            blocks[i] = f"<!--pd-html:{len(lifted) - 1}-->"
    packed = zlib.compress(SEP.join(lifted).encode("utf-8"), 1) if lifted else b""
    return "\n\n".join(blocks), packed


def restore(html: str, packed: bytes) -> str:
    """The final HTML with each placeholder replaced by the HTML block lift() set aside."""
    if not packed:
        return html
    lifted = zlib.decompress(packed).decode("utf-8").split(SEP)
    return _PLACEHOLDER.sub(lambda m: lifted[int(m.group(1))], html)
