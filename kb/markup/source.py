"""The source text as the parser sees it: positions and opaque regions.

``Source`` answers two questions every parsing stage asks: "which line and
column is this offset?" and "is this offset inside a comment, ``<nowiki>`` or
``<pre>``?" (opaque regions, where no markup is interpreted and line ends do
not end blocks). Both answers cost O(log n) after one linear pass.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# An opener of an opaque region; the matching closer is searched with str.find.
_OPAQUE_OPENER = re.compile(r"<!--|<nowiki\s*>|<pre(?:\s[^<>]*)?>", re.IGNORECASE)
_CLOSERS = {"comment": "-->", "nowiki": "</nowiki>", "pre": "</pre>"}


@dataclass(frozen=True, slots=True)
class Opaque:
    kind: str  # "comment", "nowiki" or "pre"
    start: int
    end: int


class Source:
    __slots__ = ("text", "line_starts", "_last_line", "first_line", "opaque", "opaque_starts", "_opaque_by_start",
                 "unterminated")

    def __init__(self, text: str, first_line: int = 1) -> None:
        self.text = text
        self.first_line = first_line
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._last_line = 0
        self.opaque: list[Opaque] = []
        #: Openers with no closer anywhere after them: (kind, offset).
        self.unterminated: list[tuple[str, int]] = []
        self._scan_opaque()
        self.opaque_starts = [r.start for r in self.opaque]
        self._opaque_by_start = {r.start: r for r in self.opaque}

    def _scan_opaque(self) -> None:
        text = self.text
        lowered = text.lower()
        exhausted: set[str] = set()  # kinds whose closer no longer occurs
        pos = 0
        while True:
            m = _OPAQUE_OPENER.search(text, pos)
            if m is None:
                return
            opener = m.group(0).lower()
            kind = "comment" if opener == "<!--" else "nowiki" if opener.startswith("<nowiki") else "pre"
            if kind in exhausted:
                self.unterminated.append((kind, m.start()))
                pos = m.end()
                continue
            closer = _CLOSERS[kind]
            close = lowered.find(closer, m.end())
            if close < 0:
                # Remember: no later opener of this kind can be closed either,
                # which keeps a text full of unclosed "<!--" linear.
                exhausted.add(kind)
                self.unterminated.append((kind, m.start()))
                pos = m.end()
                continue
            end = close + len(closer)
            self.opaque.append(Opaque(kind, m.start(), end))
            pos = end

    # -- positions --------------------------------------------------------
    def line_col(self, offset: int) -> tuple[int, int]:
        """Line (counted from ``first_line``) and 1-based column, in
        characters, of ``offset``."""
        starts = self.line_starts
        index = self._last_line
        # Nodes are made in source order, mostly on the line of the last one.
        if not (starts[index] <= offset and (index + 1 == len(starts) or offset < starts[index + 1])):
            index = self._last_line = bisect_right(starts, offset) - 1
        return index + self.first_line, offset - starts[index] + 1

    # -- opaque regions ---------------------------------------------------
    def opaque_at(self, offset: int) -> Opaque | None:
        """The opaque region that starts exactly at ``offset``."""
        return self._opaque_by_start.get(offset)

    def opaque_containing(self, offset: int) -> Opaque | None:
        """The opaque region that strictly contains ``offset`` (not its start)."""
        i = bisect_right(self.opaque_starts, offset) - 1
        if i >= 0:
            region = self.opaque[i]
            if region.start < offset < region.end:
                return region
        return None

    def line_end(self, pos: int) -> int:
        """Offset of the newline ending the logical line at ``pos`` (or the
        text's length): newlines inside opaque regions do not end lines."""
        text = self.text
        while True:
            end = text.find("\n", pos)
            if end < 0:
                return len(text)
            region = self.opaque_containing(end)
            if region is None:
                return end
            pos = region.end
