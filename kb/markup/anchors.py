"""Heading ids exactly as Kitsune gives them, so every ``#w_…`` link into an
article lands where it did on the live site.

py-wikimarkup's ``formatHeadings`` reads a heading's text part way through
Kitsune's pipeline and escapes it with ``escapeId``. At that point ``{for}``
tags are Kitsune's private tokens (``\\x91N\\x91``, N counting the article's
``{for}`` openers from 0; ``\\x91/sf\\x91`` for a closer), the UI macros and
emphasis have become HTML (whose tags are then removed), a bracketed external
link is its label, while ``[[…]]`` and character references are still source
text. :func:`heading_text` rebuilds that text from the heading's source;
:func:`escape_id` is ``escapeId``; :class:`Anchors` numbers repeats.
"""

from __future__ import annotations

import bisect
import re

from unidecode import unidecode

#: Kitsune's ``{for}`` tag (``ForParser._FOR_OR_CLOSER``): the tokens its
#: numbering counts, wherever they stand in the article's source.
FOR_TAG = re.compile(r"\{for(?: +[^}]*)?\}|\{/for\}")
_KEY = re.compile(r"\{key (.+?)\}", re.S)
_MACRO = re.compile(r"\{(?:button|menu|filepath|pref) (.*?)\}", re.S)
_CALLOUT = re.compile(r"\{/?(?:note|warning)\}")
#: py-wikimarkup's bracketed external link.
_EXTERNAL = re.compile(r"\[((?:mailto:|git://|irc://|https?://|ftp://|/)[^<>\]\[\x00-\x20\x7f]*)\s*(.*?)\]")
_TAG = re.compile(r"<.*?>")
_UNSAFE = re.compile(r"[^a-zA-Z0-9\-_\s.]")
_TO_HYPHEN = re.compile(r"[\s._]")
_HYPHENS = re.compile(r"-+")
_SHORTEN_TAIL = re.compile(r"(/[^/]+/?)$")


def escape_id(text: str) -> str:
    """``escapeId``: the text in ASCII (Unidecode), only letters, digits and
    hyphens left (white space, ``.`` and ``_`` become ``-``), lower case."""
    name = _UNSAFE.sub("", unidecode(text, errors="replace"))
    return _HYPHENS.sub("-", _TO_HYPHEN.sub("-", name)).strip("-").lower()


def shorten_url(url: str, length: int = 40) -> str:
    """How py-wikimarkup shows a bracketed link that has no label."""
    if len(url) <= length:
        return url
    m = _SHORTEN_TAIL.search(url)
    if not m:
        return url
    first, last = url[: len(url) - len(m.group(1))], m.group(1)
    if first == first[: length - 3]:
        if last != last[: length - 3]:
            last = last[: length - 3] + "..."
    else:
        first, last = first[: length - 3], "..." + last
    return first + last


def heading_text(source: str, first_for: int = 0) -> str:
    """The text Kitsune escapes for a heading whose source (between its ``=``
    runs) is ``source``; ``first_for`` is the number of ``{for}`` openers
    of the article before the heading."""
    numbers = iter(range(first_for, first_for + len(source)))
    text = FOR_TAG.sub(lambda m: "/sf" if m.group(0) == "{/for}" else str(next(numbers)), source)
    text = _CALLOUT.sub("", text)
    text = _KEY.sub(lambda m: " + ".join(k.strip() for k in m.group(1).split("+")), text)
    text = _MACRO.sub(r"\1", text)
    text = text.replace("''", "")
    text = _EXTERNAL.sub(lambda m: m.group(2) or shorten_url(m.group(1)), text)
    return _TAG.sub("", text).strip()


class Anchors:
    """Ids in document order: ``w_`` and the escaped text; the n-th heading
    with the same text gets ``_n``."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def add(self, text: str) -> str:
        base = escape_id(text)
        count = self.seen[base] = self.seen.get(base, 0) + 1
        return "w_" + base + (f"_{count}" if count > 1 else "")


def assign(headings, source: str) -> None:
    """Give each heading of a document its ``anchor``. ``headings`` are
    (heading, the source of its text) in document order; ``source`` is the
    whole document's, whose ``{for}`` openers are counted."""
    anchors = Anchors()
    openers: list[int] | None = None
    for heading, inner in headings:
        first_for = 0
        if "{for" in inner:
            if openers is None:
                openers = [m.start() for m in FOR_TAG.finditer(source) if m.group(0) != "{/for}"]
            first_for = bisect.bisect_left(openers, heading.start)
        heading.anchor = anchors.add(heading_text(inner, first_for))
