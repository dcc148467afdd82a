"""A small DOM of rendered HTML fragments, for tests that ask what a browser
would see: which elements, nested how, with what text and attributes.

``select(root, "div.warning div.note span.menu")`` understands tag names,
``.class`` and ``#id`` parts and the descendant combinator, which is all the
queries Kitsune's own parser tests make (they use pyquery).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list = field(default_factory=list)  # Element or str
    parent: Element | None = None

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def text(self) -> str:
        """The text inside, whitespace runs collapsed (as pyquery's text())."""
        return " ".join(self.raw_text().split())

    def raw_text(self) -> str:
        out: list[str] = []
        stack: list = [self]
        while stack:
            node = stack.pop()
            if isinstance(node, str):
                out.append(node)
            else:
                stack.extend(reversed(node.children))
        return "".join(out)

    def descendants(self):
        stack = list(reversed(self.children))
        while stack:
            node = stack.pop()
            if isinstance(node, Element):
                yield node
                stack.extend(reversed(node.children))


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root")
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), parent=self.open[-1])
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].children.append(Element(tag, dict(attrs), parent=self.open[-1]))

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, 0, -1):
            if self.open[i].tag == tag:
                del self.open[i:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)


def parse_html(markup: str) -> Element:
    builder = _Builder()
    builder.feed(markup)
    builder.close()
    return builder.root


_PART = re.compile(r"^([a-z0-9]*)((?:[.#][\w-]+)*)$")


def _matches(element: Element, part: str) -> bool:
    m = _PART.match(part)
    if m is None:
        raise ValueError(f"unsupported selector part {part!r}")
    tag, rest = m.groups()
    if tag and element.tag != tag:
        return False
    for kind, name in re.findall(r"([.#])([\w-]+)", rest):
        if kind == "." and name not in element.classes:
            return False
        if kind == "#" and element.attrs.get("id") != name:
            return False
    return True


def select(root: Element, selector: str) -> list[Element]:
    """Elements matching ``selector`` (descendant combinators only), in
    document order."""
    parts = selector.split()
    found = []
    for element in root.descendants():
        if not _matches(element, parts[-1]):
            continue
        remaining = parts[:-1]
        node = element.parent
        while remaining and node is not None:
            if _matches(node, remaining[-1]):
                remaining.pop()
            node = node.parent
        if not remaining:
            found.append(element)
    return found


def text_of(root: Element, selector: str) -> str:
    """The text of every match, joined with a space (pyquery's text())."""
    return " ".join(e.text() for e in select(root, selector))
