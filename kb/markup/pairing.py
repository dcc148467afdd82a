"""How inline delimiters pair: the one engine both readers use.

The wiki scanner (:mod:`kb.markup.inline`) and the Markdown reader
(:mod:`kb.markup.markdown`) keep the inline nodes they have opened on an
:class:`InlineStack` and close them through it, so ``{for}``/``{note}`` pair
the same way in both:

- a closer pairs with the innermost open container of its kind, but never
  reaches past a link or macro label it stands in (a *bounded* node, whose
  end was known when it opened);
- what stands between is closed there too: emphasis is reopened after the
  closer (it goes on), a container is reported (``closed-early``);
- whatever is still open at the end of the range is closed there, and
  reported (``unclosed-for``, ``unbalanced-emphasis``).
"""

from __future__ import annotations

from typing import Callable

from kb.markup import nodes as n
from kb.markup.repairs import Recorder
from kb.markup.syntax import BOUNDED, CONTAINER_NODES, EMPHASIS, LINK_NODES, MAX_INLINE_DEPTH


class Frame:
    """An open node; ``bound`` is where a bounded node's closer starts (when
    the reader knows it) and ``closer`` its text."""

    __slots__ = ("node", "bound", "closer")

    def __init__(self, node: n.Node, bound: int | None = None, closer: str = "") -> None:
        self.node = node
        self.bound = bound
        self.closer = closer


class InlineStack:
    """The open inline nodes of one scan, innermost last; ``stack[0]`` is the
    block they go into. ``new(cls, start, *args)`` makes a node at an offset.
    ``reopened_keep_prefix``: a reopened emphasis node repeats the opener it
    continues (Markdown) instead of having none of its own (wiki text, where
    the tree must give the source back). ``report_emphasis``: emphasis left
    open at the end is a repair to report (wiki text; Markdown's is paired
    by markdown-it)."""

    reopened_keep_prefix = False
    report_emphasis = True

    def __init__(self, parent: n.Node, diags: Recorder, new: Callable, end: int | None = None) -> None:
        self.stack: list[Frame] = [Frame(parent, end)]
        self.bounds: list[int | None] = [end]  # bounds of the bounded frames, innermost last
        self.links_off = 0  # > 0 inside a link label: no bare URLs there
        #: Emphasis reopened after a label it was left open in: reported
        #: once, where its quotes stand, not again where the line ends.
        self.continued: set[int] = set()
        self.diags = diags
        self.new = new

    @property
    def top(self) -> n.Node:
        return self.stack[-1].node

    def add(self, node: n.Node) -> None:
        self.top.append(node)

    def push(self, node: n.Node, bound: int | None = None, closer: str = "") -> None:
        self.add(node)
        self.stack.append(Frame(node, bound, closer))
        if bound is not None:
            self.bounds.append(bound)
        if isinstance(node, LINK_NODES):
            self.links_off += 1

    def pop(self, pos: int, suffix: str = "") -> n.Node:
        frame = self.stack.pop()
        if frame.bound is not None:
            self.bounds.pop()
        node = frame.node
        node.suffix = suffix
        node.end = pos + len(suffix)
        if isinstance(node, LINK_NODES):
            self.links_off -= 1
        return node

    def depth_ok(self) -> bool:
        return len(self.stack) <= MAX_INLINE_DEPTH

    # -- pairing ---------------------------------------------------------------------

    def close_to(self, index: int, pos: int, suffix: str, label: bool = False) -> None:
        """Close stack[index] at ``pos`` with ``suffix``; nodes above it end
        there too (containers with a diagnostic); emphasis is reopened after
        it. ``label``: stack[index] is a link or macro label, which emphasis
        opened inside it does not end: as on SUMO, where quotes are read
        line by line before links, it runs on after the label (reported)."""
        reopened: list[n.Node] = []
        while len(self.stack) - 1 > index:
            node = self.pop(pos)
            if isinstance(node, EMPHASIS):
                reopened.append(node)
                if label:
                    self.report_unbalanced(node, in_label=True)
                continue
            self.diags.closed_early(node, pos, suffix)
        self.pop(pos, suffix)
        for old in reversed(reopened):
            node = self.new(type(old), pos + len(suffix))
            if self.reopened_keep_prefix:
                node.prefix = old.prefix
            if label or id(old) in self.continued:
                self.continued.add(id(node))
            self.push(node)

    def report_unbalanced(self, node: n.Node, in_label: bool = False) -> None:
        """Report emphasis left open (once, where its quotes are)."""
        if self.report_emphasis and id(node) not in self.continued:
            self.diags.unbalanced_emphasis(node, in_label)

    def close_container(self, kind: str, pos: int, suffix: str) -> bool:
        """Pair a ``{/kind}`` at ``pos`` with the innermost open ``{kind}``,
        never past a bounded node; False when there is none to close."""
        for index in range(len(self.stack) - 1, 0, -1):
            node = self.stack[index].node
            if node.kind == kind:
                self.close_to(index, pos, suffix)
                return True
            if isinstance(node, BOUNDED):
                break
        return False

    def finish(self, pos: int) -> None:
        """Close everything still open at the end of the range."""
        while len(self.stack) > 1:
            node = self.pop(pos)
            if isinstance(node, EMPHASIS):
                self.report_unbalanced(node)
            elif isinstance(node, CONTAINER_NODES):
                self.diags.unclosed(node)
