"""Text: mis-decoded UTF-8 ("mojibake", the seed's ``websiteâ€™s``), found and
repaired with ftfy, which recognises the patterns UTF-8 read as Windows-1252
or Latin-1 leaves and undoes exactly that decoding.

Mis-decoded UTF-8 always leaves characters of U+0080–U+00FF behind (the
lead byte read as Latin-1 or Windows-1252: ``â``, ``Ã``, ``Â``…; the same holds
for the MacRoman and cp437 readings ftfy also undoes), so lines with none are
never looked at. A line is reported only when ftfy both finds it bad and can
repair it; each repaired run is one finding, its fix the repaired text.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SUSPECT = re.compile(r"[\u0080-\u00ff]")
_TOKEN = re.compile(r"\S+")


def check(unit) -> list:
    body = unit.body
    if not _SUSPECT.search(body):
        return []
    from ftfy import fix_encoding
    from ftfy.badness import is_bad

    out = []
    pos = 0
    size = len(body)
    while pos < size:
        end = body.find("\n", pos)
        if end < 0:
            end = size
        line = body[pos:end]
        if _SUSPECT.search(line) and is_bad(line):
            out.extend(_line_findings(unit, line, pos, fix_encoding, is_bad))
        pos = end + 1
    return out


def _line_findings(unit, line: str, offset: int, fix_encoding, is_bad) -> list:
    fixed = fix_encoding(line)
    if fixed != line:
        return [_finding(unit, line, offset, i1, i2, good) for i1, i2, good in _changes(line, fixed)]
    # ftfy will not re-decode the whole line (it also holds good non-ASCII
    # text): try the words that hold non-ASCII characters one by one.
    out = []
    for m in _TOKEN.finditer(line):
        word = m.group(0)
        if not _NON_ASCII.search(word) or not is_bad(word):
            continue
        good_word = fix_encoding(word)
        if good_word == word:
            continue
        for i1, i2, good in _changes(word, good_word):
            out.append(_finding(unit, line, offset, m.start() + i1, m.start() + i2, good))
    return out


def _changes(before: str, after: str) -> list[tuple[int, int, str]]:
    """The changed runs (start, end, replacement) turning ``before`` into
    ``after``; runs split only by a few characters of one word are joined."""
    runs: list[list] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if runs:
            last = runs[-1]
            gap = before[last[1]:i1]
            if len(gap) <= 3 and not any(c.isspace() for c in gap):
                last[1], last[3] = i2, j2
                continue
        runs.append([i1, i2, j1, j2])
    return [(i1, i2, after[j1:j2]) for i1, i2, j1, j2 in runs]


def _finding(unit, line: str, offset: int, i1: int, i2: int, good: str):
    from kb.markup.diagnostics import Fix

    bad = line[i1:i2]
    # The whole word, for the message.
    w1 = i1
    while w1 > 0 and not line[w1 - 1].isspace():
        w1 -= 1
    w2 = i2
    while w2 < len(line) and not line[w2].isspace():
        w2 += 1
    while w2 > i2 and line[w2 - 1] in ".,;:!?)]}\"'":  # sentence punctuation is not the word
        w2 -= 1
    word = line[w1:w2]
    repaired = word[: i1 - w1] + good + word[i2 - w1:]
    start = offset + i1
    return unit.finding(
        "mojibake",
        f"{word!r} holds mis-decoded UTF-8 ({bad!r} is how {good!r} looks when UTF-8 is read as "
        f"Windows-1252); it should read {repaired!r}.",
        start, start + len(bad), Fix(start, start + len(bad), good, f"write {good!r}"))
