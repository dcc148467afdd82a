"""Resolution: the document as one reader sees it.

The parsed tree is never changed. :class:`Visibility` answers "does this
reader see this ``{for}``?" (evaluating each predicate once per reader), and
renderers skip what is hidden and unwrap what is shown. :func:`resolve`
builds the reader's own tree, without ``{for}`` wrappers, for callers that
want one.
"""

from __future__ import annotations

from kb.markup import nodes as n
from kb.conditions.predicate import predicate_of


class Visibility:
    """Which ``{for}`` nodes a reader sees. With no context every one is
    shown (the all-variants view keeps its wrappers)."""

    __slots__ = ("context", "config", "_cache")

    def __init__(self, context=None, config=None) -> None:
        if config is None:
            from kb.conditions.config import Config

            config = Config.default()
        self.context = context
        self.config = config
        self._cache: dict[str, bool] = {}

    @property
    def all_variants(self) -> bool:
        return self.context is None

    def shows(self, node: n.For) -> bool:
        if self.context is None:
            return True
        text = node.predicate_text
        seen = self._cache.get(text)
        if seen is None:
            seen = self._cache[text] = predicate_of(node).evaluate(self.context, self.config)
        return seen


def visible_children(node: n.Node, visibility: Visibility) -> list[n.Node]:
    """``node``'s children as the reader sees them: hidden ``{for}`` s
    dropped, shown ones replaced by their own visible children (for a
    specific reader; with no reader the wrappers stay)."""
    if visibility.all_variants:
        return node.children
    out: list[n.Node] = []
    stack = list(reversed(node.children))
    while stack:
        child = stack.pop()
        if isinstance(child, n.For):
            if visibility.shows(child):
                stack.extend(reversed(child.children))
            continue
        out.append(child)
    return out


def resolve(doc: n.Document, context, config=None) -> n.Document:
    """A new tree holding what ``context`` sees: no ``{for}`` nodes, hidden
    content gone. Nodes keep their source spans and positions."""
    visibility = Visibility(context, config)
    root = doc.shallow_copy()
    stack = [(doc, root)]
    while stack:
        original, copy = stack.pop()
        for child in visible_children(original, visibility):
            child_copy = child.shallow_copy()
            copy.append(child_copy)
            if child.children:
                stack.append((child, child_copy))
    return root
