"""Inline content: text, emphasis, links, images, templates, UI macros,
inline ``{for}`` / ``{note}``, HTML tags and comments.

One forward scan per block with a stack of open nodes. Nodes whose end is
known before their content is read ("bounded": links and macros, whose
closing ``]]``/``]``/``}`` is located first) limit the scan, so nothing can
leak out of a link label or a button label. Everything is linear: closers
are located by single passes or memoised searches, never by rescanning.
"""

from __future__ import annotations

import re
from typing import Callable

from kb.markup import autolinks
from kb.markup import nodes as n
from kb.markup.pairing import Frame, InlineStack
from kb.markup.repairs import Recorder
from kb.markup.source import Source
from kb.markup.syntax import (
    BRACES,
    BY_GROUP,
    CONTAINER_CLASSES,
    CONTAINER_TOKEN,
    EMPHASIS,
    HTML_TAG,
    HTML_TAGS,
    INLINE_TOKEN,
    TOKEN_KIND,
    NAMESPACE,
    NAMESPACES,
    NO_AUTOLINKS,
    container_token,
)

class InlineParser:
    def __init__(self, src: Source, diags: Recorder) -> None:
        self.src = src
        self.text = src.text
        self.diags = diags
        # Memo of the last search for each closer: (from, found or -1, limit).
        self._memo: dict[str, tuple[int, int, int]] = {}

    # -- helpers --------------------------------------------------------------
    def _new(self, cls, start: int, *args):
        line, col = self.src.line_col(start)
        return cls(*args, start=start, line=line, col=col)

    def _leaf(self, cls, start: int, end: int, *args):
        line, col = self.src.line_col(start)
        return cls(self.text[start:end], *args, start=start, line=line, col=col)

    # -- entry point ----------------------------------------------------------
    def parse_into(self, parent: n.Node, start: int, end: int,
                   block_closer: Callable[[str, int], bool] | None = None) -> None:
        """Parse text[start:end] as inline content appended to ``parent``.

        ``block_closer(kind, pos)`` is asked what to do with a closer that has
        no inline opener; it returns True when it closed a block container.
        """
        if start >= end:
            return
        if INLINE_TOKEN.search(self.text, start, end) is None and not autolinks.find(self.text[start:end]):
            # plain text: most list items
            parent.append(self._leaf(n.Text, start, end))
            return
        _Scan(self, parent, start, end, block_closer).run()

    def find_closer(self, closer: str, pos: int, limit: int) -> int:
        """Offset of the first ``closer`` in text[pos:limit], or -1. Memoised,
        so a line full of "[[" costs one search, not one per "[["."""
        frm, found, upto = self._memo.get(closer, (-1, -1, -1))
        if frm <= pos and upto == limit and (found < 0 or found >= pos):
            return found
        found = self.text.find(closer, pos, limit)
        self._memo[closer] = (pos, found, limit)
        return found

    def match_braces(self, start: int, end: int) -> dict[int, int]:
        """Map each macro opener in text[start:end] to the offset of its "}".

        One pass with a stack; container tokens are skipped whole. Openers
        left without a closer are absent from the map (they stay text)."""
        pairs: dict[int, int] = {}
        stack: list[int] = []
        containing = self.src.opaque_containing
        for m in BRACES.finditer(self.text, start, end):
            token = m.group(0)
            if containing(m.start()) is not None:
                continue
            if token == "}":
                if stack:
                    pairs[stack.pop()] = m.start()
            elif token.endswith(" "):
                stack.append(m.start())
        return pairs


class _Scan(InlineStack):
    """One inline scan over text[start:end] into ``parent``."""

    def __init__(self, p: InlineParser, parent: n.Node, start: int, end: int,
                 block_closer: Callable[[str, int], bool] | None) -> None:
        super().__init__(parent, p.diags, p._new, end)
        self.p = p
        self.text = p.text
        self.start = start
        self.end = end
        self.block_closer = block_closer
        self.braces = p.match_braces(start, end) if "{" in self.text[start:end] else {}
        self.pending = start  # start of text not yet put in a node
        self.raw_no_links = 0  # > 0 inside raw <a>, <code>, <pre>…: no auto-links

    # -- node plumbing ----------------------------------------------------------
    def flush(self, upto: int) -> None:
        if upto > self.pending:
            if self.links_off or self.raw_no_links:
                self.top.append(self.p._leaf(n.Text, self.pending, upto))
            else:
                self.linkify(self.pending, upto)
        self.pending = upto

    def linkify(self, start: int, end: int) -> None:
        """Text[start:end], its bare URLs, domains and e-mail addresses as
        links (:mod:`kb.markup.autolinks`). One that runs into a comment or
        tag and goes on after it (``https://example<!---->.com``) was
        broken on purpose: text. (Before ``<br>`` and a line end it is a link.)"""
        text = self.text
        pos = start
        for link in autolinks.find(text[start:end]):
            at, stop = start + link.start, start + link.end
            if stop == end and _address_goes_on(text, end):
                continue
            if at > pos:
                self.top.append(self.p._leaf(n.Text, pos, at))
            node = self.p._new(n.ExternalLink, at, link.url, False)
            node.append(self.p._leaf(n.Text, at, stop))
            node.end = stop
            self.top.append(node)
            pos = stop
        if end > pos:
            self.top.append(self.p._leaf(n.Text, pos, end))

    def bound(self) -> int:
        return self.bounds[-1]

    # -- closing ------------------------------------------------------------------
    def close_emphasis_at_line_end(self, pos: int) -> None:
        while isinstance(self.top, EMPHASIS):
            self.report_unbalanced(self.pop(pos))

    # -- the scan -------------------------------------------------------------------
    def run(self) -> None:
        text = self.text
        pos = self.start
        search = INLINE_TOKEN.search
        kind_at = TOKEN_KIND.match
        while True:
            limit = self.bound()
            m = search(text, pos, limit)
            if m is None:
                self.flush(limit)
                if not self.close_bounded(limit):
                    break
                pos = self.pending
                continue
            tpos = m.start()
            group = kind_at(text, tpos, limit).lastgroup
            handled = _READERS[group](self, BY_GROUP.get(group), m.group(0), tpos, m.end())
            pos = m.end() if handled is None else handled  # None: the token is plain text
        self.finish(self.end)

    def close_bounded(self, limit: int) -> bool:
        """The scan reached the innermost bound: close that bounded node.
        False when that bound is the end of the whole range."""
        for index in range(len(self.stack) - 1, 0, -1):
            frame = self.stack[index]
            if frame.bound is not None:
                self.close_to(index, limit, frame.closer, label=True)
                self.pending = limit + len(frame.closer)
                return True
        return False

    def newline(self, construct, token: str, tpos: int, tend: int) -> None:
        if isinstance(self.top, EMPHASIS):
            self.flush(tpos)
            self.close_emphasis_at_line_end(tpos)
        return None

    # -- containers ----------------------------------------------------------------
    def container(self, construct, token: str, tpos: int, tend: int) -> int | None:
        m = CONTAINER_TOKEN.fullmatch(token)
        closing, kind = container_token(m)
        self.flush(tpos)
        if not closing:
            if not self.depth_ok():
                self.p.diags.too_deep(tpos)
                return None
            if kind == "for":
                pred = m.group("pred")
                pred_start = tpos + (m.start("pred") if pred is not None else 4)
                node = self.p._new(n.For, tpos, pred or "", pred_start, False)
            else:
                node = self.p._new(CONTAINER_CLASSES[kind], tpos, False)
            node.prefix = token
            self.push(node)
            self.pending = tend
            return tend
        if self.close_container(kind, tpos, token):
            self.pending = tend
            return tend
        closed_block = self.block_closer is not None and self.block_closer(kind, tpos)
        if not closed_block:
            self.p.diags.stray_close(tpos, kind)
        self.add(self.p._leaf(n.Stray, tpos, tend, False))
        self.pending = tend
        return tend

    def macro(self, construct, token: str, tpos: int, tend: int) -> int | None:
        close = self.braces.get(tpos)
        if close is None or close > self.bound():
            self.p.diags.unterminated("unterminated-macro", tpos, token.strip() + "…}", len(token))
            return None
        if not self.depth_ok():
            self.p.diags.too_deep(tpos)
            return None
        self.flush(tpos)
        node = self.p._new(construct.node, tpos)
        node.prefix = token
        self.push(node, close, "}")
        self.pending = tend
        return tend

    # -- emphasis ---------------------------------------------------------------------
    def emphasis(self, construct, token: str, tpos: int, tend: int) -> int:
        run = len(token)
        literal = 0
        if run == 4:
            literal = 1
        elif run > 5:
            literal = run - 5
        self.flush(tpos)
        if literal:
            self.add(self.p._leaf(n.Text, tpos, tpos + literal))
        pos = tpos + literal
        marks = run - literal
        kinds = [n.Italic] if marks == 2 else [n.Bold] if marks == 3 else None
        if kinds is None:  # five: toggle both; close what is open innermost first
            # Each kind once, innermost first: two bolds may be open (one
            # reopened after a {/for}), and five quotes are one bold and one
            # italic mark, never more.
            open_kinds = list(dict.fromkeys(type(f.node) for f in reversed(self._emphasis_frames())))
            kinds = open_kinds + [k for k in (n.Bold, n.Italic) if k not in open_kinds]
        for cls in kinds:
            width = 3 if cls is n.Bold else 2
            self.toggle(cls, pos, pos + width)
            pos += width
        self.pending = tend
        return tend

    def _emphasis_frames(self) -> list[Frame]:
        """Open emphasis frames above the innermost container or label."""
        out = []
        for frame in reversed(self.stack[1:]):
            if not isinstance(frame.node, EMPHASIS):
                break
            out.append(frame)
        return out[::-1]

    def toggle(self, cls: type, start: int, end: int) -> None:
        mark = self.text[start:end]
        for index in range(len(self.stack) - 1, 0, -1):
            node = self.stack[index].node
            if type(node) is cls:
                self.close_to(index, start, mark)
                return
            if not isinstance(node, EMPHASIS):
                break
        node = self.p._new(cls, start)
        node.prefix = mark
        self.push(node)

    # -- links -------------------------------------------------------------------------
    def _line_limit(self, pos: int) -> int:
        limit = self.bound()
        newline = self.text.find("\n", pos, limit)
        return limit if newline < 0 else newline

    def wikilink(self, construct, token: str, tpos: int, tend: int) -> int | None:
        text = self.text
        limit = self._line_limit(tpos)
        close = self.p.find_closer("]]", tpos + 2, limit)
        if close < 0:
            self.p.diags.unterminated("unterminated-link", tpos, "[[", 2)
            return None
        inner = text.find("[[", tpos + 2, close)
        if inner >= 0:
            return None  # the inner "[[" may still be a link; this one is text
        body = text[tpos + 2:close]
        ns = NAMESPACE.match(body)
        self.flush(tpos)
        if ns:
            cls = NAMESPACES[ns.group(1).lower()]
            name, *args = body[ns.end():].split("|")
            self.add(self.p._leaf(cls, tpos, close + 2, name.strip(), args))
            self.pending = close + 2
            return close + 2
        target, bar, _label = body.partition("|")
        title, _, anchor = target.partition("#")
        if not title.strip() and not anchor.strip():
            return None
        if not self.depth_ok():
            return None
        node = self.p._new(n.Link, tpos, title.strip(), anchor.strip())
        node.prefix = text[tpos:tpos + 2 + len(target) + len(bar)]
        self.push(node, close, "]]")
        self.pending = tpos + len(node.prefix)
        return self.pending

    def link(self, construct, token: str, tpos: int, tend: int) -> int | None:
        """``[target label]``: the label ends at the construct's closer."""
        m = construct.opener_re.match(self.text, tpos)
        if m is None:
            return None
        limit = self._line_limit(tpos)
        close = self._label_close(construct.closer, m.end(), limit)
        if close < 0 or not self.depth_ok():
            return None
        self.flush(tpos)
        node = self.p._new(construct.node, tpos, m.group(1))
        node.prefix = m.group(0)
        self.push(node, close, construct.closer)
        self.pending = m.end()
        return m.end()

    def _label_close(self, closer: str, pos: int, limit: int) -> int:
        """The closer that ends a link's label; a "[[…]]" inside the label is
        skipped whole, as MediaWiki reads internal links first."""
        text = self.text
        while True:
            close = self.p.find_closer(closer, pos, limit)
            inner = text.find("[[", pos, close) if close >= 0 else -1
            if inner < 0:
                return close
            inner_end = text.find("]]", inner + 2, limit)
            if inner_end < 0:
                return close
            pos = inner_end + 2

    # -- angle brackets ------------------------------------------------------------------
    def angle(self, construct, token: str, tpos: int, tend: int) -> int | None:
        region = self.p.src.opaque_at(tpos)
        if region is not None:
            cls = {"comment": n.Comment, "nowiki": n.Nowiki, "pre": n.Pre}[region.kind]
            self.flush(tpos)
            self.add(self.p._leaf(cls, tpos, region.end))
            self.pending = region.end
            return region.end
        m = HTML_TAG.match(self.text, tpos, self.bound())
        if m is None or m.group(2).lower() not in HTML_TAGS:
            return None
        self.flush(tpos)
        name, closing = m.group(2).lower(), bool(m.group(1))
        self.add(self.p._leaf(n.HtmlTag, tpos, m.end(), name, closing, bool(m.group(4)), m.group(3).strip()))
        if name in NO_AUTOLINKS and not m.group(4):
            self.raw_no_links = max(0, self.raw_no_links + (-1 if closing else 1))
        self.pending = m.end()
        return m.end()


_MARKUP_RUN = re.compile(r"(?:<!--.*?-->|<[^<>]*>)+", re.S)


def _address_goes_on(text: str, pos: int) -> bool:
    """Whether comments or tags start at ``pos`` and text follows them with
    no space: the author split one address to keep it from being a link."""
    # The tricks are short ("<!---->", "<i></i>"): look no further than this,
    # so a page of links followed by long markup is still read in linear time.
    m = _MARKUP_RUN.match(text, pos, pos + 256)
    return m is not None and m.end() < len(text) and not text[m.end()].isspace()


#: Token group → the scan method that reads it (the construct's ``scan``).
_READERS = {group: getattr(_Scan, construct.scan) for group, construct in BY_GROUP.items()}
_READERS["newline"] = _Scan.newline
