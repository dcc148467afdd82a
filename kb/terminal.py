"""Where kb's text meets a terminal: no control character gets through.

Every command writes through :class:`SafeStream` (``kb.cli.main`` wraps
standard output and error in it), and the text renderer cleans its whole
output the same way, so whatever an article, a file name or a message
holds, no ESC, NUL or other control character can move the cursor, retitle
the window or hide text. Kept: newline, tab, and kb's own :data:`STYLES`.
"""

from __future__ import annotations

import re

#: The escape sequences kb itself writes (only when the output is a terminal).
STYLES = {"bold": "\x1b[1m", "dim": "\x1b[2m", "reset": "\x1b[0m"}
#: Control characters (C0 but tab and newline, DEL, C1), and whole styles.
_CONTROL = re.compile(r"\x1b\[[012]m|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_OWN = frozenset(STYLES.values())


def terminal_safe(text: str, styled: bool = True) -> str:
    """``text`` without control characters; with ``styled``, kb's own
    :data:`STYLES` stay."""
    return _CONTROL.sub(lambda m: m.group(0) if styled and m.group(0) in _OWN else "", text)


class SafeStream:
    """A text stream that strips control characters from what is written;
    ``raw`` is the stream underneath (for kb's own progress line)."""

    def __init__(self, stream) -> None:
        self.raw = stream

    def write(self, text: str) -> int:
        self.raw.write(terminal_safe(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):
        return getattr(self.raw, name)
