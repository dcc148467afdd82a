"""One file under check: its article, what it is read against, and the
helper rules use to turn a body offset into a finding."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from kb.check.codes import severity
from kb.markup.diagnostics import Diagnostic, Fix


@dataclass
class Unit:
    path: Path
    #: The file name shown in reports (relative to the current folder when
    #: the file is below it).
    name: str
    article: object  # kb.content.articles.Article
    config: object  # kb.conditions.config.Config
    library: object | None = None  # kb.content.library.Library
    registry: object | None = None  # kb.codes.registry.Registry
    #: The products whose readers ``{for}`` conditions are judged for: the
    #: article's product, or every product for templates.
    products: tuple = ()
    is_template: bool = False
    #: Rule -> callable, filled in by the runner (shared caches).
    shared: dict = field(default_factory=dict)
    _line_starts: list[int] | None = None
    _index: dict | None = None

    # -- source ---------------------------------------------------------------

    @property
    def body(self) -> str:
        return self.article.body

    @property
    def doc(self):
        return self.article.doc

    @property
    def is_markdown(self) -> bool:
        return getattr(self.article, "format", "wiki") == "markdown"

    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            body = self.body
            starts = [0]
            find = body.find
            pos = find("\n")
            while pos >= 0:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._line_starts = starts
        return self._line_starts

    def position(self, offset: int) -> tuple[int, int]:
        """File line and 1-based column of a body offset."""
        starts = self.line_starts()
        index = bisect_right(starts, offset) - 1
        return index + self.article.body_line, offset - starts[index] + 1

    def line_text(self, offset: int) -> str:
        starts = self.line_starts()
        index = bisect_right(starts, offset) - 1
        end = self.body.find("\n", starts[index])
        return self.body[starts[index]: end if end >= 0 else len(self.body)]

    def nodes(self, *classes) -> list:
        """The tree's nodes of these classes (subclasses included), in
        document order; the tree is walked once per file."""
        if self._index is None:
            index: dict[type, list] = {}
            for node in self.doc.walk():
                index.setdefault(type(node), []).append(node)
            self._index = index
        found = [nodes for cls, nodes in self._index.items() if issubclass(cls, classes)]
        if len(found) == 1:
            return found[0]
        return sorted((node for nodes in found for node in nodes), key=lambda node: node.start)

    # -- findings -------------------------------------------------------------

    def finding(self, code: str, message: str, start: int, end: int | None = None,
                fix: Fix | None = None) -> Diagnostic:
        line, col = self.position(start)
        return Diagnostic(code, severity(code), message, line, col, start,
                          start if end is None else end, file=self.name, fix=fix)

    def at_node(self, code: str, message: str, node, fix: Fix | None = None) -> Diagnostic:
        return Diagnostic(code, severity(code), message, node.line, node.col, node.start,
                          node.end, file=self.name, fix=fix)
