"""The constructs of the SUMO wiki dialect, each written down once.

Every construct has one row here: its node class, how it opens and closes,
and whether it stands as a block or inline. The wiki scanner
(:mod:`kb.markup.inline`, :mod:`kb.markup.parser`), the Markdown reader
(:mod:`kb.markup.markdown`), the checker and the converter read this table;
none of them lists construct names of its own.

Inline constructs are found by one regular expression built from the rows
(:data:`INLINE_TOKEN`, one named group a row); the row's ``scan`` names the
scanner behaviour that reads it:

==============  ==========================================================
``container``   ``{for …}``/``{note}``/``{warning}`` and their closers:
                paired by kind, may span blocks (:data:`CONTAINERS`)
``macro``       ``{name label}``: a label that ends at its matching brace
                (:data:`MACROS`)
``emphasis``    runs of ``'``
``wikilink``    ``[[…]]``: a namespaced leaf (:data:`NAMESPACES`) or a link
                to an article with a label
``link``        ``[target label]`` with a label that ends at ``]``
                (:data:`LINKS`)
``angle``       ``<…>``: comments, ``<nowiki>``, ``<pre>``, HTML tags
==============  ==========================================================

To add a construct: its node class (:mod:`kb.markup.nodes`), its row here,
and one method in each renderer (a test fails until every renderer has it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.markup import nodes as n

#: Deepest nesting of inline nodes; deeper openers stay text.
MAX_INLINE_DEPTH = 64


@dataclass(frozen=True)
class Construct:
    """One row: ``token`` finds where the construct may start (a regular
    expression without capturing groups), ``scan`` says how it is read."""

    name: str
    node: type | tuple
    token: str
    scan: str


@dataclass(frozen=True)
class Container(Construct):
    """``{name}`` … ``{/name}``: block or inline, paired by kind."""


@dataclass(frozen=True)
class Macro(Construct):
    """``{name label}``; ``html`` is the (tag, class) the Markdown renderer
    writes it as, and the Markdown reader reads back."""

    html: tuple[str, str | None] = ("span", None)

    @property
    def opener(self) -> str:
        return "{" + self.name + " "


@dataclass(frozen=True)
class Link(Construct):
    """``[target label]``: ``opener`` matches the target (group 1) and the
    space after it (group 2); the label ends at ``closer`` on the same line.
    The node is made as ``node(target)``. ``markdown``: the Markdown reader
    reads the wiki form too (Markdown has no form of its own for it)."""

    opener: str = ""
    closer: str = "]"
    markdown: bool = False

    @property
    def opener_re(self) -> re.Pattern:
        return _compiled(self.opener)


def _compiled(pattern: str) -> re.Pattern:
    found = _PATTERNS.get(pattern)
    if found is None:
        found = _PATTERNS[pattern] = re.compile(pattern)
    return found


_PATTERNS: dict[str, re.Pattern] = {}

# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------

CONTAINERS = (
    Container("for", n.For, r"\{for(?: [^{}\n]*)?\}|\{/for\}", "container"),
    Container("note", n.Note, r"\{note\}|\{/note\}", "container"),
    Container("warning", n.Warning, r"\{warning\}|\{/warning\}", "container"),
)

MACROS = (
    Macro("button", n.Button, r"\{button ", "macro", ("span", "button")),
    Macro("menu", n.Menu, r"\{menu ", "macro", ("span", "menu")),
    Macro("filepath", n.Filepath, r"\{filepath ", "macro", ("span", "filepath")),
    Macro("pref", n.Pref, r"\{pref ", "macro", ("span", "pref")),
    Macro("key", n.Key, r"\{key ", "macro", ("kbd", None)),
)

_URL_CHARS = r"[^\s\[\]<>\"]+"

LINKS = (
    Link("external_link", n.ExternalLink, r"\[(?=(?:https?|ftp)://|mailto:)", "link",
         opener=rf"\[((?:https?|ftp)://{_URL_CHARS}|mailto:{_URL_CHARS})([ \t]*)"),
    Link("site_link", n.SiteLink, r"\[(?=/)", "link", opener=r"\[(/[^\s\[\]<>\"]*)([ \t]*)", markdown=True),
)

#: The parameters ``[[Image:Name|…]]`` takes (Kitsune's IMAGE_PARAMS, and
#: ``frameless``); renderers read them, the checker reports any other.
IMAGE_PARAMETERS = ("alt", "align", "caption", "valign", "frame", "page", "link", "width", "height", "frameless")

#: ``[[Namespace:name|args]]`` leaves, by every spelling of the namespace.
NAMESPACES = {
    "image": n.Image, "file": n.Image, "video": n.Video, "v": n.Video, "ui": n.UIComponent,
    "t": n.Template, "template": n.Template, "i": n.Include, "include": n.Include,
}

INLINE = (
    *CONTAINERS,
    *MACROS,
    Construct("emphasis", (n.Bold, n.Italic), r"'{2,}", "emphasis"),
    Construct("wikilink", (n.Link, *dict.fromkeys(NAMESPACES.values())), r"\[\[", "wikilink"),
    *LINKS,
    Construct("angle", (n.Comment, n.Nowiki, n.Pre, n.HtmlTag), r"<", "angle"),
)

# ---------------------------------------------------------------------------
# What the readers derive from it
# ---------------------------------------------------------------------------

#: Where any inline construct may start, or a line end: one search finds
#: the next token. (No groups: they would keep the regular expression
#: engine from skipping ahead to the characters a token can start with.)
INLINE_TOKEN = re.compile("|".join(f"(?:{c.token})" for c in INLINE) + r"|\n")
#: The same alternatives, one named group a row (``c0``, ``c1``…; ``newline``),
#: matched at a token's start to tell which construct it is.
TOKEN_KIND = re.compile("|".join(f"(?P<c{i}>{c.token})" for i, c in enumerate(INLINE)) + r"|(?P<newline>\n)")
#: Group name of :data:`TOKEN_KIND` → construct.
BY_GROUP = {f"c{i}": c for i, c in enumerate(INLINE)}

CONTAINER_CLASSES = {c.name: c.node for c in CONTAINERS}
CONTAINER_NODES = tuple(c.node for c in CONTAINERS)
_CONTAINER_NAMES = "|".join(c.name for c in CONTAINERS if c.name != "for")

#: A container opener or closer, read whole: ``pred`` is a ``{for}``'s
#: predicate, ``tag`` another opener's name, ``close`` a closer's name.
CONTAINER_TOKEN = re.compile(
    rf"\{{(?:for(?: (?P<pred>[^{{}}\n]*))?|(?P<tag>{_CONTAINER_NAMES})"
    rf"|/(?P<close>for|{_CONTAINER_NAMES}))\}}"
)


def container_token(m: re.Match) -> tuple[bool, str]:
    """(is_closer, kind) of a :data:`CONTAINER_TOKEN` match."""
    if m.group("close"):
        return True, m.group("close")
    return False, m.group("tag") or "for"


MACRO_CLASSES = {m.name: m.node for m in MACROS}
_MACRO_NAMES = "|".join(m.name for m in MACROS)
#: A macro's opener; group 1 is its name.
MACRO_OPEN = re.compile(rf"\{{({_MACRO_NAMES}) ")
#: A macro written with no label (``{button}``), which is only text.
BARE_MACRO = re.compile(rf"\{{({_MACRO_NAMES})\}}")
#: Macro openers and closing braces, with container tokens matched whole so
#: their own "}" is not taken for a macro's.
BRACES = re.compile("|".join(c.token for c in CONTAINERS) + rf"|\{{(?:{_MACRO_NAMES}) |\}}")
#: (tag, class) of the HTML form of each macro → its node class.
MACRO_HTML = {m.html: m.node for m in MACROS}

#: ``[[Namespace:`` at the start of a wiki link's body; group 1 the namespace.
NAMESPACE = re.compile(r"\s*(" + "|".join(NAMESPACES) + r")\s*:", re.IGNORECASE)

#: Nodes whose end is known when they open (a label): a closer inside one
#: never reaches past it, and no bare URL is linked inside a link's.
BOUNDED = (n.Link, *(link.node for link in LINKS), n.Macro)
LINK_NODES = (n.Link, *(link.node for link in LINKS))
#: Links the Markdown reader reads in their wiki form.
MARKDOWN_WIKI_LINKS = tuple(link for link in LINKS if link.markdown)
EMPHASIS = (n.Bold, n.Italic)

#: Bare URLs, domains and e-mail addresses in wiki text are no token: the
#: scanner finds them in each run of text (:mod:`kb.markup.autolinks`),
#: except inside these raw HTML elements (Kitsune's linkifier skips them).
NO_AUTOLINKS = frozenset({"a", "code", "pre", "script", "style", "textarea"})
#: A bare URL in Markdown text and the characters it never ends with.
BARE_URL = re.compile(r"(?:https?|ftp)://[^\s<>\[\]{}\"|]*")
URL_TRAIL = ".,;:!?'"
#: An HTML tag: group 1 "/" of a closer, 2 the name, 3 the attributes, 4 "/".
HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s[^<>]*?)?)(/?)>")

#: Tag names recognised as HTML; anything else in angle brackets
#: (``<account name>``) is text. Which of these survive rendering is the
#: sanitizer's business, not the parser's.
HTML_TAGS = frozenset(
    "a abbr acronym address area article aside audio b base basefont bdi bdo big blink blockquote body br "
    "button canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt "
    "em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr "
    "html i iframe img input ins isindex kbd keygen label legend li link main map mark marquee math menu meta "
    "meter nav noembed noframes noscript object ol optgroup option output p param picture plaintext portal q rp "
    "rt ruby s samp script section select slot small source span strike strong style sub summary sup svg table "
    "tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr xmp".split()
)
