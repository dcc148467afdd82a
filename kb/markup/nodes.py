"""The syntax tree: one node class per construct of the SUMO wiki dialect.

Every node keeps the exact source it came from, split into ``prefix`` (its
opening delimiter), its ``children`` and ``suffix`` (its closing delimiter), or
``text`` for leaves, so ``to_wikitext()`` reproduces the input byte for byte.
Nodes also carry their span (``start``/``end`` offsets into the source) and the
1-based ``line``/``col`` where they begin.

Tree walks here are iterative: repaired markup can nest deeply and no query
may hit Python's recursion limit.
"""

from __future__ import annotations

from typing import Iterator, TypeVar

N = TypeVar("N", bound="Node")

#: Every concrete node class by its ``kind`` (for dumps, queries and the
#: renderers' dispatch); a class that names its own ``kind`` is added.
NODE_TYPES: dict[str, type["Node"]] = {}


class Node:
    """Base class. Containers use prefix/children/suffix; leaves use text."""

    __slots__ = ("start", "end", "line", "col", "children", "parent", "prefix", "suffix")
    kind = "node"
    is_block = False

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__:
            NODE_TYPES[cls.kind] = cls

    def __init__(self, start: int = 0, end: int = 0, line: int = 1, col: int = 1) -> None:
        self.start = start
        self.end = end
        self.line = line
        self.col = col
        self.children: list[Node] = []
        self.parent: Node | None = None
        self.prefix = ""
        self.suffix = ""

    # -- building -------------------------------------------------------
    def append(self, child: Node) -> Node:
        child.parent = self
        self.children.append(child)
        return child

    # -- source ---------------------------------------------------------
    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def to_wikitext(self) -> str:
        """The exact source of this node and everything below it."""
        out: list[str] = []
        # Each stack entry is a node to open, or a string still to emit.
        stack: list[Node | str] = [self]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                out.append(item)
                continue
            if isinstance(item, Leaf):
                out.append(item.text)
                continue
            out.append(item.prefix)
            if item.suffix:
                stack.append(item.suffix)
            stack.extend(reversed(item.children))
        return "".join(out)

    def text_content(self) -> str:
        """The readable text below this node, markup removed (all variants)."""
        out: list[str] = []
        for node in self.walk():
            if isinstance(node, Text):
                out.append(node.text)
            elif isinstance(node, (Nowiki, Preformatted)):
                out.append(node.content)
        return "".join(out)

    # -- queries --------------------------------------------------------
    def walk(self) -> Iterator[Node]:
        """This node and all its descendants, in document order."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            if node.children:
                stack.extend(reversed(node.children))

    def find(self, cls: type[N]) -> list[N]:
        """All descendants (and self) that are instances of ``cls``."""
        return [n for n in self.walk() if isinstance(n, cls)]

    def first(self, cls: type[N]) -> N | None:
        for n in self.walk():
            if isinstance(n, cls):
                return n
        return None

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def clone(self: N) -> N:
        """A deep copy of this subtree (detached: no parent)."""
        top = self.shallow_copy()
        stack = [(self, top)]
        while stack:
            original, copy = stack.pop()
            for child in original.children:
                child_copy = child.shallow_copy()
                copy.append(child_copy)
                if child.children:
                    stack.append((child, child_copy))
        return top

    def shallow_copy(self: N) -> N:
        """A copy of this node's own fields, with no children and no parent."""
        cls = type(self)
        copy = cls.__new__(cls)
        for klass in cls.__mro__:
            for slot in getattr(klass, "__slots__", ()):
                if hasattr(self, slot):
                    setattr(copy, slot, getattr(self, slot))
        copy.children = _NO_CHILDREN if isinstance(self, Leaf) else []
        copy.parent = None
        return copy

    def describe(self) -> str:
        """A one-line summary of the node's own fields for tree dumps."""
        return ""

    def fields(self) -> dict:
        """The node's own parsed fields (JSON-ready)."""
        return {}

    def __repr__(self) -> str:
        extra = self.describe()
        return f"<{type(self).__name__} {self.line}:{self.col}{' ' + extra if extra else ''}>"


_NO_CHILDREN: tuple = ()


class Leaf(Node):
    """A node with no children; its source is ``text``."""

    __slots__ = ("text",)

    def __init__(self, text: str, start: int = 0, line: int = 1, col: int = 1) -> None:
        # Leaves are most of a tree: set the fields directly, and share one
        # empty tuple as every leaf's children.
        self.start = start
        self.end = start + len(text)
        self.line = line
        self.col = col
        self.children = _NO_CHILDREN
        self.parent = None
        self.prefix = ""
        self.suffix = ""
        self.text = text


# ---------------------------------------------------------------------------
# Document and blocks
# ---------------------------------------------------------------------------


class Document(Node):
    """The root. ``diagnostics`` holds every repair the parser made."""

    __slots__ = ("source", "diagnostics", "meta")
    kind = "document"
    is_block = True

    def __init__(self, source: str) -> None:
        super().__init__(0, len(source), 1, 1)
        self.source = source
        self.diagnostics: list = []
        self.meta: dict = {}


class Paragraph(Node):
    __slots__ = ()
    kind = "paragraph"
    is_block = True


class Heading(Node):
    """``==Title==``; ``level`` is the smaller of the two ``=`` runs;
    ``anchor`` its id, as Kitsune makes it (:mod:`kb.markup.anchors`)."""

    __slots__ = ("level", "anchor")
    kind = "heading"
    is_block = True

    def __init__(self, level: int, start: int = 0, end: int = 0, line: int = 1, col: int = 1) -> None:
        super().__init__(start, end, line, col)
        self.level = level
        self.anchor = ""

    def describe(self) -> str:
        return f"level={self.level}"

    def fields(self) -> dict:
        return {"level": self.level, "anchor": self.anchor}


class List(Node):
    """A run of list items sharing a marker: ``*`` bullets, ``#`` numbers,
    ``;`` definition terms, ``:`` definitions."""

    __slots__ = ("marker",)
    kind = "list"
    is_block = True

    def __init__(self, marker: str, start: int = 0, end: int = 0, line: int = 1, col: int = 1) -> None:
        super().__init__(start, end, line, col)
        self.marker = marker

    @property
    def ordered(self) -> bool:
        return self.marker == "#"

    @property
    def definition(self) -> bool:
        return self.marker in ";:"

    def describe(self) -> str:
        return f"marker={self.marker!r}"

    def fields(self) -> dict:
        return {"marker": self.marker}


class ListItem(Node):
    """One list line; ``prefix`` is its whole marker run (``#*``). An item
    with no line of its own (the ``#`` level of a first ``#;x`` line) has an
    empty prefix; ``level_marker`` is then the marker of its level."""

    __slots__ = ("level_marker",)
    kind = "list_item"
    is_block = True

    def __init__(self, start: int = 0, end: int = 0, line: int = 1, col: int = 1) -> None:
        super().__init__(start, end, line, col)
        self.level_marker = ""

    @property
    def marker(self) -> str:
        """``*``, ``#``, ``;`` (a term) or ``:`` (a definition)."""
        return self.prefix.rstrip()[-1:] if self.prefix.strip() else self.level_marker

    @property
    def depth(self) -> int:
        return len(self.prefix.strip())


class Preformatted(Node):
    """Lines that start with a space: shown as-is, markup not interpreted."""

    __slots__ = ()
    kind = "preformatted"
    is_block = True

    @property
    def content(self) -> str:
        lines = self.to_wikitext().split("\n")
        return "\n".join(line[1:] if line.startswith(" ") else line for line in lines).rstrip("\n")


class Rule(Leaf):
    __slots__ = ()
    kind = "rule"
    is_block = True


class Toc(Leaf):
    """``__TOC__``."""

    __slots__ = ()
    kind = "toc"
    is_block = True


class Newline(Leaf):
    """The line end of a list item (kept for round-tripping)."""

    __slots__ = ()
    kind = "newline"


class BlankLine(Leaf):
    """An empty line between blocks (kept for round-tripping)."""

    __slots__ = ()
    kind = "blank"
    is_block = True


class Table(Node):
    """``{| …`` to ``|}`` (MediaWiki table syntax, used by real articles)."""

    __slots__ = ()
    kind = "table"
    is_block = True


class TableRow(Node):
    """``|-``; the first row of a table may have no ``|-`` (empty prefix)."""

    __slots__ = ()
    kind = "table_row"
    is_block = True


class TableCell(Node):
    """``| cell``, ``! header``, ``|| next``, ``|+ caption``; ``prefix`` keeps
    the marker and any cell attributes, which are not rendered."""

    __slots__ = ("header", "caption")
    kind = "table_cell"
    is_block = True

    def __init__(self, header: bool = False, caption: bool = False, start: int = 0, end: int = 0,
                 line: int = 1, col: int = 1) -> None:
        super().__init__(start, end, line, col)
        self.header = header
        self.caption = caption

    def describe(self) -> str:
        return "header" if self.header else "caption" if self.caption else ""

    def fields(self) -> dict:
        return {"header": self.header, "caption": self.caption}


# ---------------------------------------------------------------------------
# Containers that may be blocks or inline
# ---------------------------------------------------------------------------


class For(Node):
    """``{for PREDICATE}…{/for}``. ``block`` is True when both tags stand on
    lines of their own and the node wraps whole blocks."""

    __slots__ = ("predicate_text", "predicate_start", "block")
    kind = "for"

    def __init__(self, predicate_text: str, predicate_start: int, block: bool,
                 start: int = 0, end: int = 0, line: int = 1, col: int = 1) -> None:
        super().__init__(start, end, line, col)
        self.predicate_text = predicate_text
        self.predicate_start = predicate_start
        self.block = block

    @property
    def is_block(self) -> bool:  # type: ignore[override]
        return self.block

    @property
    def closed(self) -> bool:
        return bool(self.suffix)

    def describe(self) -> str:
        return f"{'block' if self.block else 'inline'} {self.predicate_text!r}"

    def fields(self) -> dict:
        return {"predicate": self.predicate_text, "block": self.block}


class Callout(Node):
    """Base of ``{note}`` and ``{warning}``."""

    __slots__ = ("block",)
    tag = ""

    def __init__(self, block: bool, start: int = 0, end: int = 0, line: int = 1, col: int = 1) -> None:
        super().__init__(start, end, line, col)
        self.block = block

    @property
    def is_block(self) -> bool:  # type: ignore[override]
        return self.block

    def describe(self) -> str:
        return "block" if self.block else "inline"

    def fields(self) -> dict:
        return {"block": self.block}


class Note(Callout):
    __slots__ = ()
    kind = "note"
    tag = "note"


class Warning(Callout):  # noqa: A001 - the construct is called {warning}
    __slots__ = ()
    kind = "warning"
    tag = "warning"


# ---------------------------------------------------------------------------
# Inline nodes
# ---------------------------------------------------------------------------


class Text(Leaf):
    __slots__ = ()
    kind = "text"

    def describe(self) -> str:
        shown = self.text if len(self.text) <= 40 else self.text[:37] + "..."
        return repr(shown)


class Bold(Node):
    __slots__ = ()
    kind = "bold"


class Italic(Node):
    __slots__ = ()
    kind = "italic"


class Link(Node):
    """``[[Title]]``, ``[[Title#Section|text]]``; children are the label."""

    __slots__ = ("target", "anchor")
    kind = "link"

    def __init__(self, target: str, anchor: str, start: int = 0, end: int = 0, line: int = 1, col: int = 1) -> None:
        super().__init__(start, end, line, col)
        self.target = target
        self.anchor = anchor

    @property
    def has_label(self) -> bool:
        return bool(self.children)

    def describe(self) -> str:
        return repr(self.target + ("#" + self.anchor if self.anchor else ""))

    def fields(self) -> dict:
        return {"target": self.target, "anchor": self.anchor}


class ExternalLink(Node):
    """``[https://url text]`` (bracketed) or a bare ``https://…``."""

    __slots__ = ("url", "bracketed")
    kind = "external_link"

    def __init__(self, url: str, bracketed: bool = True, start: int = 0, end: int = 0, line: int = 1,
                 col: int = 1) -> None:
        super().__init__(start, end, line, col)
        self.url = url
        self.bracketed = bracketed

    def describe(self) -> str:
        return repr(self.url)

    def fields(self) -> dict:
        return {"url": self.url, "bracketed": self.bracketed}


class SiteLink(Node):
    """``[/products/thunderbird label]``: a page of the live site, by its
    path (Kitsune links it relative to the site's root); children are the label."""

    __slots__ = ("path",)
    kind = "site_link"

    def __init__(self, path: str, start: int = 0, end: int = 0, line: int = 1, col: int = 1) -> None:
        super().__init__(start, end, line, col)
        self.path = path

    def describe(self) -> str:
        return repr(self.path)

    def fields(self) -> dict:
        return {"path": self.path}


class _Bracketed(Leaf):
    """Base of ``[[Namespace:…|args]]`` constructs kept as one leaf."""

    __slots__ = ("name", "args")

    def __init__(self, text: str, name: str, args: list[str], start: int = 0, line: int = 1, col: int = 1) -> None:
        super().__init__(text, start, line, col)
        self.name = name
        self.args = args

    def describe(self) -> str:
        return repr(self.name) + (f" args={self.args!r}" if self.args else "")

    def fields(self) -> dict:
        return {"name": self.name, "args": self.args}


class Image(_Bracketed):
    """``[[Image:Name|width=300|alt=…|frameless]]``."""

    __slots__ = ()
    kind = "image"

    @property
    def params(self) -> dict[str, str]:
        """Named parameters; bare flags (``frameless``) map to ``""``."""
        out: dict[str, str] = {}
        for arg in self.args:
            key, eq, value = arg.partition("=")
            out[key.strip().lower()] = value.strip() if eq else ""
        return out


class Video(_Bracketed):
    __slots__ = ()
    kind = "video"


class UIComponent(_Bracketed):
    __slots__ = ()
    kind = "ui"


class Details(Node):
    """``[[UI:details_start]]`` … ``[[UI:details_end]]``, each alone on its
    line: a section whose headings each collapse what follows them (Kitsune's
    ``mzp-c-details``). ``prefix``/``suffix`` are the two lines."""

    __slots__ = ()
    kind = "details"
    is_block = True


class Template(_Bracketed):
    """``[[T:Name|a|key=value]]``. ``expansion`` holds the parsed body once a
    renderer has resolved it."""

    __slots__ = ()
    kind = "template"

    @property
    def params(self) -> dict[str, str]:
        """Arguments as Kitsune numbers them: ``a|k=v|b`` → 1=a, k=v, 2=b."""
        out: dict[str, str] = {}
        position = 0
        for arg in self.args:
            key, _, value = arg.partition("=")
            if value:
                out[key] = value
            else:
                position += 1
                out[str(position)] = key
        return out


class Include(_Bracketed):
    __slots__ = ()
    kind = "include"


class Macro(Node):
    """Base of ``{button …}``, ``{menu …}``, ``{filepath …}``, ``{pref …}``;
    children are the label (which may hold ``{for}`` and images)."""

    __slots__ = ()
    tag = ""

    def describe(self) -> str:
        return repr(self.text_content())


class Button(Macro):
    __slots__ = ()
    kind = "button"
    tag = "button"


class Menu(Macro):
    __slots__ = ()
    kind = "menu"
    tag = "menu"


class Filepath(Macro):
    __slots__ = ()
    kind = "filepath"
    tag = "filepath"


class Pref(Macro):
    __slots__ = ()
    kind = "pref"
    tag = "pref"


class Key(Macro):
    """``{key Ctrl+Shift+Q}``; children are the label, ``keys`` its parts
    split on ``+`` (renderers split the label as the reader sees it)."""

    __slots__ = ()
    kind = "key"
    tag = "key"

    @property
    def keys(self) -> list[str]:
        return split_keys(self.text_content())

    def fields(self) -> dict:
        return {"keys": self.keys}


def split_keys(label: str) -> list[str]:
    """``"Ctrl + Shift+Q"`` → ``["Ctrl", "Shift", "Q"]``, as Kitsune splits;
    a lone ``+`` stays a key."""
    if label.strip() == "+":
        return ["+"]
    return [part.strip() for part in label.split("+")]


class HtmlTag(Leaf):
    """An inline HTML tag as written: ``<br>``, ``<span class=x>``, ``</i>``."""

    __slots__ = ("name", "closing", "self_closing", "attrs")
    kind = "html"

    def __init__(self, text: str, name: str, closing: bool, self_closing: bool, attrs: str,
                 start: int = 0, line: int = 1, col: int = 1) -> None:
        super().__init__(text, start, line, col)
        self.name = name
        self.closing = closing
        self.self_closing = self_closing
        self.attrs = attrs

    def describe(self) -> str:
        return repr(self.text)

    def fields(self) -> dict:
        return {"name": self.name, "closing": self.closing, "attrs": self.attrs}


class Comment(Leaf):
    """``<!-- … -->``: renders to nothing."""

    __slots__ = ()
    kind = "comment"


class Nowiki(Leaf):
    """``<nowiki>…</nowiki>``: its content is shown as plain text."""

    __slots__ = ()
    kind = "nowiki"

    @property
    def content(self) -> str:
        return self.text[len("<nowiki>"): -len("</nowiki>")]


class Pre(Leaf):
    """``<pre>…</pre>``: a preformatted block, markup not interpreted."""

    __slots__ = ()
    kind = "pre"
    is_block = True

    @property
    def content(self) -> str:
        body = self.text[self.text.index(">") + 1:]
        end = body.lower().rfind("</pre>")
        return body[:end] if end >= 0 else body


class Stray(Leaf):
    """A closing tag with nothing to close (``{/for}``, ``{/note}``), or an
    opener the parser gave up on: kept for round-tripping, rendered as
    nothing (closers) or as text (see ``literal``)."""

    __slots__ = ("literal",)
    kind = "stray"

    def __init__(self, text: str, literal: bool, start: int = 0, line: int = 1, col: int = 1) -> None:
        super().__init__(text, start, line, col)
        self.literal = literal

    def describe(self) -> str:
        return repr(self.text)
