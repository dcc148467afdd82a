"""The parser's repairs, each recorded as a diagnostic with a stable code.

Codes (never renamed; ``kb check`` reports them as they are):

=========================  ========  ==============================================
code                       severity  repair
=========================  ========  ==============================================
unclosed-for               error     a ``{for}`` with no ``{/for}``: closed at the
                                     end of its enclosing block (or document)
unclosed-note              error     a ``{note}`` with no ``{/note}``: likewise
unclosed-warning           error     a ``{warning}`` with no ``{/warning}``
unclosed-table             error     a ``{|`` table with no ``|}``
unclosed-details           error     a ``[[UI:details_start]]`` with no
                                     ``[[UI:details_end]]``: closed at the end of
                                     its enclosing block (or document)
closed-early               error     a container closed by an outer closer: the
                                     inner one ends there too
stray-close                error     a ``{/for}``/``{/note}``/``{/warning}`` with
                                     nothing open: ignored
closed-from-inline         warning   a closer inside a heading or list item closed
                                     a block container after that block
unbalanced-emphasis        error     a ``'''``/``''`` run left open: closed at the
                                     end of its line
heading-mismatch           warning   ``==Title=``: level is the smaller run, the
                                     extra ``=`` stay in the text
unterminated-link          warning   ``[[`` with no ``]]`` on its line: kept as text
unterminated-macro         warning   ``{button …`` with no ``}``: kept as text
unterminated-comment       warning   ``<!--``/``<nowiki>``/``<pre>`` with no
                                     closer: kept as text
nesting-too-deep           warning   nesting past the parser's depth limit: the
                                     opener is kept as text
=========================  ========  ==============================================
"""

from __future__ import annotations

from kb.markup.diagnostics import ERROR, WARNING, Diagnostic
from kb.markup.source import Source
from kb.markup.syntax import CONTAINERS

_OPENERS = {**{c.name: "{" + c.name + "}" for c in CONTAINERS}, "table": "{|", "details": "[[UI:details_start]]"}
_CLOSERS = {**{c.name: "{/" + c.name + "}" for c in CONTAINERS}, "table": "|}", "details": "[[UI:details_end]]"}


class Recorder:
    """Appends diagnostics for the parser, computing line and column."""

    __slots__ = ("src", "out")

    def __init__(self, src: Source, out: list) -> None:
        self.src = src
        self.out = out

    def add(self, code: str, severity: str, message: str, start: int, end: int | None = None) -> None:
        line, col = self.src.line_col(start)
        self.out.append(Diagnostic(code, severity, message, line, col, start, start if end is None else end))

    # -- containers ---------------------------------------------------------
    def unclosed(self, node) -> None:
        kind = node.kind
        if kind not in _OPENERS:
            return
        where = "the end of the document" if getattr(node, "is_block", False) else "the end of its block"
        closer = _CLOSERS[kind]
        self.add(f"unclosed-{kind}", ERROR,
                 f"{_OPENERS[kind]} opened here is never closed; it was closed at {where}. Add {closer} where it should end.",
                 node.start, node.start + len(node.prefix))

    def closed_early(self, inner, pos: int, closer: str) -> None:
        line, col = self.src.line_col(pos)
        kind = inner.kind
        if kind in _OPENERS:
            self.add("closed-early", ERROR,
                     f"{_OPENERS[kind]} opened here is closed by {closer.strip() or 'an outer closer'} at {line}:{col} "
                     f"before its own {{/{kind}}}; close it first.",
                     inner.start, inner.start + len(inner.prefix))

    def stray_close(self, pos: int, kind: str) -> None:
        closer = _CLOSERS[kind]
        self.add("stray-close", ERROR,
                 f"{closer} has no open {_OPENERS[kind]} to close and was ignored; remove it or add the opener.",
                 pos, pos + len(closer))

    def closed_by_inline(self, pos: int, kind: str) -> None:
        self.add("closed-from-inline", WARNING,
                 f"{{/{kind}}} inside a heading or list item closes the block {_OPENERS[kind]} after that line; "
                 f"put {{/{kind}}} on a line of its own.",
                 pos, pos + len(kind) + 3)

    # -- inline -------------------------------------------------------------
    def unbalanced_emphasis(self, node, in_label: bool = False) -> None:
        parent = node.parent
        if parent is not None and parent.kind in ("bold", "italic") and \
                parent.prefix and parent.start + len(parent.prefix) == node.start:
            return  # both halves of one five-quote run: the outer one is reported
        mark = "'''" if node.kind == "bold" else "''"
        what = "bold" if node.kind == "bold" else "italic"
        message = (f"{mark} opens {what} text that is never closed in its link or label, so it runs on past "
                   f"it to the end of the line; add the closing {mark} before the label ends." if in_label else
                   f"{mark} opens {what} text that is never closed on its line; add the closing {mark}.")
        self.add("unbalanced-emphasis", ERROR, message, node.start, node.start + len(node.prefix))

    def heading_mismatch(self, pos: int, lead: int, tail: int) -> None:
        self.add("heading-mismatch", WARNING,
                 f"heading opens with {lead} '=' but closes with {tail}; the level is {min(lead, tail)} and the "
                 f"extra '=' show in the title. Use the same number on both sides.",
                 pos, pos + max(lead, tail))

    def unterminated(self, code: str, pos: int, what: str, length: int) -> None:
        self.add(code, WARNING, f"{what} is never closed and is shown as text; close it or remove it.",
                 pos, pos + length)

    def too_deep(self, pos: int) -> None:
        self.add("nesting-too-deep", WARNING,
                 "markup is nested deeper than the parser follows; the opener here is kept as text.", pos, pos + 1)
