"""Block structure: lines to headings, paragraphs, lists and containers.

The parser reads the source one logical line at a time (a comment or
``<pre>`` may span lines); each line goes to the first of :data:`BLOCK_RULES`
that reads it, else to a paragraph, which runs until a line some rule reads
(the rules say which lines end a paragraph: no second list of them). It
keeps a stack of open block containers: the
document, block ``{for}`` s, and ``{note}``/``{warning}`` boxes that span more
than one block. Inline content of each block is handed to
:mod:`kb.markup.inline`.

Badly paired markup is repaired, never rejected, the way ``markup.md`` says,
and every repair is recorded as a diagnostic (codes in :mod:`kb.markup.repairs`).
Everything runs in time linear in the input: no stage rescans what an earlier
stage has read, and nesting deeper than :data:`MAX_DEPTH` is kept as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from kb.markup import anchors
from kb.markup import nodes as n
from kb.markup import repairs
from kb.markup.inline import InlineParser
from kb.markup.source import Source
from kb.markup.syntax import CONTAINER_CLASSES, CONTAINER_TOKEN, MAX_INLINE_DEPTH, container_token

#: Deepest nesting of block containers and of lists. Real articles stay
#: below five; the bound keeps every tree walk far from the recursion limit.
MAX_DEPTH = 64

# A {for} or {/for} alone on its line once the line's comments are removed
# (markup.md: "{for win} <!-- why -->" is a block {for}).
# (A comment ends at its first "-->", so the match never backtracks.)
_LINE_COMMENTS = r"(?:[ \t\r]|<!--(?:(?!-->).)*-->)*"
_BLOCK_FOR_OPEN = re.compile(rf"{_LINE_COMMENTS}(?P<tag>\{{for(?: (?P<pred>[^{{}}\n]*))?\}}){_LINE_COMMENTS}$", re.S)
_BLOCK_FOR_CLOSE = re.compile(rf"{_LINE_COMMENTS}\{{/for\}}{_LINE_COMMENTS}$", re.S)
#: ``[[UI:details_start]]`` / ``[[UI:details_end]]`` alone on its line.
# (Both on one line, as in Kitsune's own test: an empty section.)
_DETAILS_MARK = r"\[\[\s*UI\s*:\s*details_{}\s*\]\]"
_DETAILS = re.compile(rf"{_LINE_COMMENTS}(?:(?P<start>{_DETAILS_MARK.format('start')}){_LINE_COMMENTS}"
                      rf"(?:(?P<end>{_DETAILS_MARK.format('end')}){_LINE_COMMENTS})?"
                      rf"|(?P<closer>{_DETAILS_MARK.format('end')}){_LINE_COMMENTS})$", re.S | re.I)
_RULE = re.compile(r"-{4,}[ \t\r]*$")
_LIST_PREFIX = re.compile(r"[*#;:]+")


def parse(text: str, first_line: int = 1) -> n.Document:
    """Parse SUMO wiki markup into a :class:`~kb.markup.nodes.Document`.

    Never raises for any ``str``; ``doc.to_wikitext() == text`` always holds.
    ``first_line`` numbers the first line (an article body that follows
    front matter starts below line 1); offsets always count from ``text``.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() takes str, not {type(text).__name__}")
    return _BlockParser(text, first_line).run()


class _BlockParser:
    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.src = Source(text, first_line)
        self.doc = n.Document(text)
        self.doc.line = first_line
        self.diags = repairs.Recorder(self.src, self.doc.diagnostics)
        self.inline = InlineParser(self.src, self.diags)
        self.stack: list[n.Node] = [self.doc]  # open block containers
        self.lists: list[n.Node] = []  # open List/ListItem chain, alternating
        self.list_prefix = ""
        #: A closer inside a heading or list item closed a container before
        #: that block ended; container ends are then fixed after parsing.
        self.needs_settling = False
        self.headings: list[tuple[n.Heading, str]] = []  # and the source of their text

    # -- helpers ------------------------------------------------------------
    @property
    def container(self) -> n.Node:
        return self.stack[-1]

    def _node(self, cls, start: int, *args) -> n.Node:
        line, col = self.src.line_col(start)
        return cls(*args, start=start, line=line, col=col) if args else cls(start=start, line=line, col=col)

    def _leaf(self, cls, start: int, end: int) -> n.Node:
        line, col = self.src.line_col(start)
        return cls(self.text[start:end], start=start, line=line, col=col)

    def _add(self, node: n.Node) -> n.Node:
        return self.container.append(node)

    # -- main loop ------------------------------------------------------------
    def run(self) -> n.Document:
        size = len(self.text)
        pos = 0
        while pos < size:
            end = self.src.line_end(pos)
            stop = end + 1 if end < size else size  # including the newline
            pos = self._line(pos, end, stop)
        self._close_lists()
        for kind, offset in self.src.unterminated:
            opener = {"comment": "<!--", "nowiki": "<nowiki>", "pre": "<pre>"}[kind]
            self.diags.unterminated("unterminated-comment", offset, opener, len(opener))
        while len(self.stack) > 1:
            node = self.stack.pop()
            node.end = size
            self.diags.unclosed(node)
        if self.needs_settling:
            _settle_ends(self.doc)
        anchors.assign(self.headings, self.text)
        return self.doc

    def _line(self, pos: int, end: int, stop: int) -> int:
        """Handle the line text[pos:end] (``stop`` is past its newline) with
        the first block rule that reads it; return where the next line starts."""
        line = self.text[pos:end]
        for rule in _RULES_BY_FIRST.get(line[:1], _ANY_FIRST):
            if rule.starts(self, line, pos):
                if rule.closes_lists:
                    self._close_lists()
                return rule.read(self, pos, end, stop)
        self._close_lists()
        return self._paragraph(pos, end, stop)

    def _interrupts_paragraph(self, pos: int) -> bool:
        """Whether the line at ``pos`` starts a block other than a paragraph
        (then it ends the paragraph above it)."""
        line = self.text[pos:self.src.line_end(pos)]
        return any(rule.interrupts and rule.starts(self, line, pos)
                   for rule in _RULES_BY_FIRST.get(line[:1], _ANY_FIRST))

    # -- the rules' readers -----------------------------------------------------------
    def _blank(self, pos: int, end: int, stop: int) -> int:
        self._add(self._leaf(n.BlankLine, pos, stop))
        return stop

    def _block_for(self, pos: int, end: int, stop: int) -> int:
        m = _BLOCK_FOR_OPEN.match(self.text[pos:end])
        if m:
            self._open_block_for(pos, stop, m)
        else:
            self._close_block_for(pos, stop)
        return stop

    def _details(self, pos: int, end: int, stop: int) -> int:
        m = _DETAILS.match(self.text[pos:end])
        if not m.group("start"):
            if not self._close_container(n.Details, pos, self.text[pos:stop]):
                self.diags.stray_close(pos, "details")
                self._add(self._stray(pos, stop, literal=False))
        elif len(self.stack) > MAX_DEPTH:
            self.diags.too_deep(pos)
            self._add(self._stray(pos, stop, literal=True))
        else:
            node = self._node(n.Details, pos)
            split = pos + m.start("end") if m.group("end") else stop
            node.prefix = self.text[pos:split]
            node.suffix = self.text[split:stop]
            node.end = stop
            self._add(node)
            if not m.group("end"):
                self.stack.append(node)
        return stop

    def _table_open(self, pos: int, end: int, stop: int) -> int:
        self._open_table(pos, stop)
        return stop

    def _list_line(self, pos: int, end: int, stop: int) -> int:
        self._list_item(pos, end, stop)
        return stop

    def _pre_line(self, pos: int, end: int, stop: int) -> int:
        return self._pre_block(self.src.opaque_at(pos))

    # -- block {for} ------------------------------------------------------------
    def _open_block_for(self, pos: int, stop: int, m: re.Match) -> None:
        if len(self.stack) > MAX_DEPTH:
            self.diags.too_deep(pos)
            self._add(self._stray(pos, stop, literal=True))
            return
        predicate = m.group("pred") or ""
        predicate_start = pos + (m.start("pred") if m.group("pred") is not None else m.start("tag") + 4)
        node = self._node(n.For, pos, predicate, predicate_start, True)
        node.prefix = self.text[pos:stop]
        self._add(node)
        self.stack.append(node)

    def _close_block_for(self, pos: int, stop: int) -> None:
        if not self._close_container(n.For, pos, self.text[pos:stop], block_only=True):
            self.diags.stray_close(pos, "for")
            self._add(self._stray(pos, stop, literal=False))

    def _open_kinds(self) -> list[str]:
        """Kinds of the containers a closer may close: those opened inside
        the innermost table cell (closers never reach out of a cell)."""
        kinds: list[str] = []
        for node in reversed(self.stack[1:]):
            if isinstance(node, (n.Table, n.TableRow, n.TableCell)):
                break
            kinds.append(node.kind)
        return kinds[::-1]

    def _innermost(self, cls: type) -> int | None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if type(self.stack[depth]) is cls:
                return depth
        return None

    def _close_container(self, cls: type, pos: int, closer: str, block_only: bool = False) -> bool:
        """Close the innermost open block container of ``cls`` (and, with a
        diagnostic, everything opened inside it). False when none is open
        inside the innermost table cell."""
        for depth in range(len(self.stack) - 1, 0, -1):
            node = self.stack[depth]
            if type(node) is cls and (not block_only or getattr(node, "block", True)):
                break
            if cls is not n.Table and isinstance(node, (n.Table, n.TableRow, n.TableCell)):
                return False
        else:
            return False
        self._pop_to(depth, pos, closer)
        return True

    def _pop_to(self, depth: int, pos: int, closer: str) -> n.Node:
        """Pop the stack down to and including ``depth``: containers above it
        end at ``pos`` (with a diagnostic), it ends with ``closer``."""
        self._unwind(depth, pos, closer)
        node = self.stack.pop()
        node.suffix = closer
        node.end = pos + len(closer)
        return node

    def _unwind(self, depth: int, pos: int, closer: str = "") -> None:
        """Close every container above ``depth`` at ``pos``; table rows and
        cells end silently, anything else with a diagnostic."""
        while len(self.stack) - 1 > depth:
            inner = self.stack.pop()
            inner.end = pos
            if not isinstance(inner, (n.TableRow, n.TableCell)):
                self.diags.closed_early(inner, pos, closer)

    # -- tables ---------------------------------------------------------------
    def _open_table(self, pos: int, stop: int) -> None:
        if len(self.stack) > MAX_DEPTH:
            self.diags.too_deep(pos)
            self._add(self._stray(pos, stop, literal=True))
            return
        table = self._node(n.Table, pos)
        table.prefix = self.text[pos:stop]
        self._add(table)
        self.stack.append(table)

    def _table_line(self, pos: int, end: int, stop: int) -> int:
        """A line of an open table: ``|}``, ``|-``, ``|+`` or cells."""
        text = self.text
        table_depth = self._innermost(n.Table)
        if text.startswith("|}", pos):
            self._pop_to(table_depth, pos, text[pos:stop])
            return stop
        if text.startswith("|-", pos):
            self._unwind(table_depth, pos, "|-")
            self._open_row(pos, text[pos:stop])
            return stop
        row_depth = self._innermost(n.TableRow)
        if row_depth is None or row_depth < table_depth:
            self._unwind(table_depth, pos)
            self._open_row(pos, "")
        else:
            self._unwind(row_depth, pos)
        header = text[pos] == "!"
        caption = text.startswith("|+", pos)
        cell_start, marker_end = pos, pos + (2 if caption else 1)
        while True:
            split = -1 if caption else text.find("!!" if header else "||", marker_end, end)
            if split < 0 and header:  # MediaWiki also splits header lines on "||"
                split = text.find("||", marker_end, end)
            if split < 0:
                self._cell(cell_start, marker_end, end, stop, header, caption)
                return stop
            self._cell(cell_start, marker_end, split, split, header, caption)
            self._unwind(self._innermost(n.TableRow), split)
            cell_start, marker_end = split, split + 2

    def _open_row(self, pos: int, prefix: str) -> None:
        row = self._node(n.TableRow, pos)
        row.prefix = prefix
        self._add(row)
        self.stack.append(row)

    def _cell(self, start: int, content: int, end: int, stop: int, header: bool, caption: bool) -> None:
        """One cell: text[start:content] is its marker; an attribute part
        (``style="…" |``) and leading spaces join the marker."""
        text = self.text
        bar = text.find("|", content, end)
        if bar >= 0 and not text.startswith("||", bar):
            attrs = text[content:bar]
            if "=" in attrs and "[[" not in attrs and "{" not in attrs:
                content = bar + 1
        while content < end and text[content] in " \t":
            content += 1
        cell = self._node(n.TableCell, start, header, caption)
        cell.prefix = text[start:content]
        self._add(cell)
        self.stack.append(cell)
        if content < stop:
            self._line(content, end, stop)

    def _stray(self, start: int, end: int, literal: bool) -> n.Node:
        line, col = self.src.line_col(start)
        return n.Stray(self.text[start:end], literal, start=start, line=line, col=col)

    # -- headings ---------------------------------------------------------------
    def _heading(self, pos: int, end: int, stop: int) -> int:
        text = self.text
        body = text[pos:end].rstrip(" \t\r")
        trail = pos + len(body)
        lead = len(body) - len(body.lstrip("="))
        tail = len(body) - len(body.rstrip("="))
        level = min(lead, tail, 6)
        inner_start, inner_end = pos + level, trail - level
        while inner_start < inner_end and text[inner_start] in " \t":
            inner_start += 1
        while inner_end > inner_start and text[inner_end - 1] in " \t":
            inner_end -= 1
        node = self._node(n.Heading, pos, level)
        node.prefix = text[pos:inner_start]
        node.suffix = text[inner_end:stop]
        node.end = stop
        if lead != tail:
            self.diags.heading_mismatch(pos, lead, tail)
        self._add(node)
        self.headings.append((node, text[inner_start:inner_end]))
        self.inline.parse_into(node, inner_start, inner_end, self._block_closer)
        return stop

    # -- lists --------------------------------------------------------------------
    def _list_item(self, pos: int, end: int, stop: int) -> None:
        text = self.text
        prefix = _LIST_PREFIX.match(text, pos, end).group(0)
        depth = min(len(prefix), MAX_DEPTH)
        if len(prefix) > MAX_DEPTH:
            self.diags.too_deep(pos)
        markers = prefix[:depth]
        # self.lists alternates List, ListItem, List, ListItem… from the
        # outermost level; the levels the previous line shares stay open.
        prev = self.list_prefix
        common = _common_levels(prev, markers)
        if common == depth:
            del self.lists[2 * depth - 1:]  # a sibling in the deepest list
        else:
            del self.lists[2 * common:]
            for level in range(common, depth):
                lst = self._node(n.List, pos, markers[level])
                (self.lists[-1] if level else self.container).append(lst)
                self.lists.append(lst)
                if level < depth - 1:  # an item with no line of its own
                    filler = self._node(n.ListItem, pos)
                    filler.level_marker = markers[level]
                    lst.append(filler)
                    self.lists.append(filler)
        item = self._node(n.ListItem, pos)
        item.prefix = prefix
        item.end = stop
        self.lists[-1].append(item)
        self.lists.append(item)
        self.list_prefix = markers
        for node in self.lists:
            node.end = stop
        self.inline.parse_into(item, pos + len(prefix), end, self._block_closer)
        if stop > end:
            item.append(self._leaf(n.Newline, end, stop))

    def _close_lists(self) -> None:
        self.lists.clear()
        self.list_prefix = ""

    # -- preformatted --------------------------------------------------------------
    def _preformatted(self, pos: int, end: int = 0, stop: int = 0) -> int:
        text, size = self.text, len(self.text)
        start = pos
        while pos < size and text[pos] == " ":
            end = self.src.line_end(pos)
            if not text[pos:end].strip():
                break
            pos = end + 1 if end < size else size
        node = self._node(n.Preformatted, start)
        node.append(self._leaf(n.Text, start, pos))
        node.end = pos
        self._add(node)
        return pos

    def _pre_block(self, region) -> int:
        self._add(self._leaf(n.Pre, region.start, region.end))
        return region.end

    # -- paragraphs -----------------------------------------------------------------
    def _paragraph(self, pos: int, end: int, stop: int) -> int:
        """Collect the paragraph whose first line is text[pos:end] and split
        it where an unpaired ``{note}``/``{warning}``/``{/for}`` makes it a
        block boundary. A first line that ends mid-line (a table cell before
        ``||``) is the whole paragraph."""
        text, size = self.text, len(self.text)
        start = pos
        while stop > end:
            nxt = end + 1
            if nxt >= size or self._interrupts_paragraph(nxt):
                break
            end = self.src.line_end(nxt)
            stop = end + 1 if end < size else size
        seg = start
        for kind, tpos, tend in self._paragraph_cuts(start, end):
            self._paragraph_segment(seg, tpos, tpos)
            if kind.startswith("/"):
                self._close_container(CONTAINER_CLASSES[kind[1:]], tpos, text[tpos:tend])
            else:
                callout = self._node(CONTAINER_CLASSES[kind], tpos, True)
                callout.prefix = text[tpos:tend]
                self._add(callout)
                self.stack.append(callout)
            seg = tend
        self._paragraph_segment(seg, end, stop)
        return stop

    def _paragraph_segment(self, start: int, end: int, stop: int) -> None:
        """Add text[start:stop] as a paragraph whose inline content ends at
        ``end`` (the rest is its newline), or as blank if it is only space."""
        if start >= stop:
            return
        if not self.text[start:end].strip():
            self._add(self._leaf(n.BlankLine, start, stop))
            return
        newline = self.text.find("\n", start, end)
        if newline >= 0 and not self.text[start:newline].strip():
            # The rest of a line that held only a container tag ("{note}").
            self._add(self._leaf(n.BlankLine, start, newline + 1))
            start = newline + 1
        para = self._node(n.Paragraph, start)
        para.suffix = self.text[end:stop]
        para.end = stop
        self._add(para)
        self.inline.parse_into(para, start, end)

    def _paragraph_cuts(self, start: int, end: int) -> list[tuple[str, int, int]]:
        """Where container tokens in a paragraph act on block containers.

        One pass pairs the tokens as the inline parser will. A closer with no
        inline opener closes an open block container of its kind there (and
        ends the inline ones); a ``{note}``/``{warning}`` still open at the
        end opens a block container. Returns (kind, start, end) of each such
        token, in order; kind is ``note``/``warning`` or ``/note``, ``/for``…
        """
        text = self.text
        cuts: list[tuple[str, int, int]] = []
        inline: list[tuple[str, int, int]] = []  # open inline containers
        block_kinds = self._open_kinds()
        for m in CONTAINER_TOKEN.finditer(text, start, end):
            if self.src.opaque_containing(m.start()) is not None:
                continue
            closing, kind = container_token(m)
            if not closing:
                if len(inline) < MAX_INLINE_DEPTH:  # deeper ones stay text inline too
                    inline.append((kind, m.start(), m.end()))
                continue
            for i in range(len(inline) - 1, -1, -1):
                if inline[i][0] == kind:
                    del inline[i:]
                    break
            else:
                if kind in block_kinds:
                    cuts.append(("/" + kind, m.start(), m.end()))
                    inline.clear()
                    idx = len(block_kinds) - 1 - block_kinds[::-1].index(kind)
                    del block_kinds[idx:]
        depth = len(self.stack)
        for kind, tstart, tend in inline:
            if kind != "for" and depth <= MAX_DEPTH:
                cuts.append((kind, tstart, tend))
                depth += 1
        return cuts

    def _block_closer(self, kind: str, pos: int) -> bool:
        """Called by the inline parser for an unpaired closer inside a heading
        or list item: closes the block container after the current block."""
        return kind in self._open_kinds() and self._defer_close(kind, pos)

    def _defer_close(self, kind: str, pos: int) -> bool:
        self.needs_settling = True
        closer_end = pos + len(kind) + 3
        if self.text[closer_end:self.src.line_end(closer_end)].strip():
            self.diags.closed_by_inline(pos, kind)
        self._close_lists()
        cls = CONTAINER_CLASSES[kind]
        # The closer stays in the block as a Stray node, so the container gets
        # an empty suffix; the tree still round-trips.
        return self._close_container(cls, pos, "")


def _settle_ends(doc: n.Document) -> None:
    """Set every container's end from its last child (after a repair closed
    a container while the block holding the closer was still being read)."""
    for node in reversed(list(doc.walk())):
        if node.children:
            node.end = node.children[-1].end + len(node.suffix)
        elif not isinstance(node, n.Leaf):
            node.end = node.start + len(node.prefix) + len(node.suffix)


def _common_levels(prev: str, markers: str) -> int:
    """How many list levels a line with ``markers`` shares with the line
    before it, as py-wikimarkup's ``doBlockLevels`` counts: the same run
    (";" and ":" alike) continues the deepest list; otherwise the levels
    match up to the first differing marker, and a ";" always opens a new
    definition list at its level (";x" after ":*y" starts a new list)."""
    if prev.replace(";", ":") == markers.replace(";", ":"):
        return len(markers)
    common = 0
    while (common < min(len(prev), len(markers)) and markers[common] != ";"
           and prev[common].replace(";", ":") == markers[common]):
        common += 1
    return common


def _is_heading(line: str) -> bool:
    """``=Title=`` … ``======Title======``: runs of '=' on both sides of some
    text (a line with no closing run, "=Title", is text, as in MediaWiki)."""
    body = line.rstrip(" \t\r")
    lead = len(body) - len(body.lstrip("="))
    tail = len(body) - len(body.rstrip("="))
    return lead < len(body) and lead + tail < len(body) and tail > 0


def _leaf_reader(cls):
    """A rule's reader that keeps the whole line as one ``cls`` leaf."""

    def read(parser: _BlockParser, pos: int, end: int, stop: int) -> int:
        parser._add(parser._leaf(cls, pos, stop))
        return stop

    return read


@dataclass(frozen=True)
class BlockRule:
    """A block construct: ``starts(parser, line, pos)`` says whether it reads
    the line, ``read(parser, pos, end, stop)`` reads it and returns where the
    next line starts. ``first``: the characters its lines can start with
    ("" for any). ``interrupts``: a line it reads ends a paragraph."""

    name: str
    first: str
    starts: Callable[[_BlockParser, str, int], bool]
    read: Callable[[_BlockParser, int, int, int], int]
    closes_lists: bool = True
    interrupts: bool = True


#: The block rules, in the order they are tried; a line none of them reads
#: starts (or continues) a paragraph.
BLOCK_RULES = (
    BlockRule("blank", "", lambda p, line, pos: not line.strip(), _BlockParser._blank),
    BlockRule("block-for", "{<", lambda p, line, pos: bool(_BLOCK_FOR_OPEN.match(line) or _BLOCK_FOR_CLOSE.match(line)),
              _BlockParser._block_for),
    BlockRule("details", "[<", lambda p, line, pos: bool(_DETAILS.match(line)), _BlockParser._details),
    BlockRule("table", "{", lambda p, line, pos: line.startswith("{|"), _BlockParser._table_open),
    BlockRule("table-line", "|!", lambda p, line, pos: p._innermost(n.Table) is not None, _BlockParser._table_line),
    BlockRule("list", "*#;:", lambda p, line, pos: True, _BlockParser._list_line, closes_lists=False),
    BlockRule("heading", "=", lambda p, line, pos: _is_heading(line), _BlockParser._heading),
    BlockRule("rule", "-", lambda p, line, pos: bool(_RULE.match(line)), _leaf_reader(n.Rule)),
    BlockRule("toc", "", lambda p, line, pos: line.strip() == "__TOC__", _leaf_reader(n.Toc)),
    BlockRule("preformatted", " ", lambda p, line, pos: True, _BlockParser._preformatted),
    BlockRule("pre", "<", lambda p, line, pos: (r := p.src.opaque_at(pos)) is not None and r.kind == "pre",
              _BlockParser._pre_line),
)
_ANY_FIRST = tuple(rule for rule in BLOCK_RULES if not rule.first)
_RULES_BY_FIRST = {ch: tuple(rule for rule in BLOCK_RULES if not rule.first or ch in rule.first)
                   for ch in {c for rule in BLOCK_RULES for c in rule.first}}
