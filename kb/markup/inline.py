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

from kb.markup import nodes as n
from kb.markup.repairs import Recorder
from kb.markup.source import Source

MAX_INLINE_DEPTH = 64

#: ``{for …}``, ``{note}``, ``{warning}`` and their closers.
CONTAINER_TOKEN = re.compile(
    r"\{(?:for(?: (?P<pred>[^{}\n]*))?|(?P<tag>note|warning)|/(?P<close>for|note|warning))\}"
)


def container_token(m: re.Match) -> tuple[bool, str]:
    """(is_closer, kind) of a :data:`CONTAINER_TOKEN` match."""
    if m.group("close"):
        return True, m.group("close")
    return False, m.group("tag") or "for"


_MACROS = {"button": n.Button, "menu": n.Menu, "filepath": n.Filepath, "pref": n.Pref, "key": n.Key}

_TOKEN = re.compile(
    r"\{(?:for(?: [^{}\n]*)?|note|warning|/for|/note|/warning)\}"
    r"|\{(?:button|menu|filepath|pref|key) "
    r"|'{2,}"
    r"|\[\["
    r"|\[(?=(?:https?|ftp)://|mailto:)"
    r"|(?<![A-Za-z0-9])(?:https?|ftp)://"
    r"|<"
    r"|\n"
)
# Macro openers and closers, with container tokens matched whole so their
# own "}" is not taken for a macro's.
_BRACES = re.compile(
    r"\{(?:for(?: [^{}\n]*)?|note|warning|/for|/note|/warning)\}"
    r"|\{(?:button|menu|filepath|pref|key) "
    r"|\}"
)
_NAMESPACE = re.compile(r"\s*(image|file|video|v|ui|t|template|i|include)\s*:", re.IGNORECASE)
_NAMESPACES = {
    "image": n.Image, "file": n.Image, "video": n.Video, "v": n.Video, "ui": n.UIComponent,
    "t": n.Template, "template": n.Template, "i": n.Include, "include": n.Include,
}
_EXTERNAL = re.compile(r"\[((?:https?|ftp)://[^\s\[\]<>\"]+|mailto:[^\s\[\]<>\"]+)([ \t]*)")
_BARE_URL = re.compile(r"(?:https?|ftp)://[^\s<>\[\]{}\"|]*")
_URL_TRAIL = ".,;:!?'"
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s[^<>]*?)?)(/?)>")

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

_EMPHASIS = (n.Bold, n.Italic)


class _Frame:
    """An open node on the scan stack; ``bound`` is where a bounded node's
    closer starts and ``closer`` its text."""

    __slots__ = ("node", "bound", "closer")

    def __init__(self, node: n.Node, bound: int | None = None, closer: str = "") -> None:
        self.node = node
        self.bound = bound
        self.closer = closer


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
        if _TOKEN.search(self.text, start, end) is None:  # plain text: most list items
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
        for m in _BRACES.finditer(self.text, start, end):
            token = m.group(0)
            if containing(m.start()) is not None:
                continue
            if token == "}":
                if stack:
                    pairs[stack.pop()] = m.start()
            elif token.endswith(" "):
                stack.append(m.start())
        return pairs


class _Scan:
    """One inline scan over text[start:end] into ``parent``."""

    def __init__(self, p: InlineParser, parent: n.Node, start: int, end: int,
                 block_closer: Callable[[str, int], bool] | None) -> None:
        self.p = p
        self.text = p.text
        self.start = start
        self.end = end
        self.stack: list[_Frame] = [_Frame(parent, end)]
        self.bounds: list[int] = [end]  # bounds of the bounded frames, innermost last
        self.block_closer = block_closer
        self.braces = p.match_braces(start, end) if "{" in self.text[start:end] else {}
        self.pending = start  # start of text not yet put in a node
        self.links_off = 0  # > 0 inside a link label: no bare URLs there

    # -- node plumbing ----------------------------------------------------------
    @property
    def top(self) -> n.Node:
        return self.stack[-1].node

    def flush(self, upto: int) -> None:
        if upto > self.pending:
            self.top.append(self.p._leaf(n.Text, self.pending, upto))
        self.pending = upto

    def add(self, node: n.Node) -> None:
        self.top.append(node)

    def push(self, node: n.Node, bound: int | None = None, closer: str = "") -> None:
        self.add(node)
        self.stack.append(_Frame(node, bound, closer))
        if bound is not None:
            self.bounds.append(bound)
        if isinstance(node, (n.Link, n.ExternalLink)):
            self.links_off += 1

    def pop(self, pos: int, suffix: str = "") -> n.Node:
        frame = self.stack.pop()
        if frame.bound is not None:
            self.bounds.pop()
        node = frame.node
        node.suffix = suffix
        node.end = pos + len(suffix)
        if isinstance(node, (n.Link, n.ExternalLink)):
            self.links_off -= 1
        return node

    def bound(self) -> int:
        return self.bounds[-1]

    def depth_ok(self) -> bool:
        return len(self.stack) <= MAX_INLINE_DEPTH

    # -- closing ------------------------------------------------------------------
    def close_to(self, index: int, pos: int, suffix: str, reopen: bool = True) -> None:
        """Close stack[index] at ``pos`` with ``suffix``; nodes above it end
        there too (containers with a diagnostic); emphasis is reopened."""
        reopened: list[type] = []
        while len(self.stack) - 1 > index:
            node = self.pop(pos)
            if isinstance(node, _EMPHASIS):
                reopened.append(type(node))
                continue
            self.p.diags.closed_early(node, pos, suffix)
        self.pop(pos, suffix)
        if reopen:
            for cls in reversed(reopened):
                self.push(self.p._new(cls, pos + len(suffix)))

    def close_emphasis_at_line_end(self, pos: int) -> None:
        while isinstance(self.top, _EMPHASIS):
            node = self.pop(pos)
            self.p.diags.unbalanced_emphasis(node)

    def finish(self, pos: int) -> None:
        """Close everything still open at the end of the range."""
        while len(self.stack) > 1:
            node = self.pop(pos)
            if isinstance(node, _EMPHASIS):
                self.p.diags.unbalanced_emphasis(node)
            elif isinstance(node, (n.For, n.Note, n.Warning)):
                self.p.diags.unclosed(node)

    # -- the scan -------------------------------------------------------------------
    def run(self) -> None:
        text = self.text
        pos = self.start
        search = _TOKEN.search
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
            token = m.group(0)
            handled = self.token(token, tpos, m.end())
            if handled is None:
                pos = m.end()  # the token is plain text
            else:
                pos = handled
        self.finish(self.end)

    def close_bounded(self, limit: int) -> bool:
        """The scan reached the innermost bound: close that bounded node.
        False when that bound is the end of the whole range."""
        for index in range(len(self.stack) - 1, 0, -1):
            frame = self.stack[index]
            if frame.bound is not None:
                self.close_to(index, limit, frame.closer, reopen=False)
                self.pending = limit + len(frame.closer)
                return True
        return False

    def token(self, token: str, tpos: int, tend: int) -> int | None:
        """Handle one token; return where scanning goes on, or None when the
        token is just text."""
        first = token[0]
        if first == "{":
            if token.endswith("}"):
                return self.container(token, tpos, tend)
            return self.macro(token, tpos, tend)
        if first == "'":
            return self.emphasis(token, tpos, tend)
        if token == "[[":
            return self.wikilink(tpos)
        if token == "[":
            return self.external(tpos)
        if first == "<":
            return self.angle(tpos)
        if token == "\n":
            if isinstance(self.top, _EMPHASIS):
                self.flush(tpos)
                self.close_emphasis_at_line_end(tpos)
            return None
        return self.bare_url(tpos)

    # -- containers ----------------------------------------------------------------
    def container(self, token: str, tpos: int, tend: int) -> int | None:
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
                node = self.p._new(n.Note if kind == "note" else n.Warning, tpos, False)
            node.prefix = token
            self.push(node)
            self.pending = tend
            return tend
        # A closer pairs with the innermost open node of its kind, but never
        # reaches past a link or macro label it stands in.
        for index in range(len(self.stack) - 1, 0, -1):
            frame = self.stack[index]
            if frame.node.kind == kind:
                self.close_to(index, tpos, token)
                self.pending = tend
                return tend
            if frame.bound is not None:
                break
        closed_block = self.block_closer is not None and self.block_closer(kind, tpos)
        if not closed_block:
            self.p.diags.stray_close(tpos, kind)
        self.add(self.p._leaf(n.Stray, tpos, tend, False))
        self.pending = tend
        return tend

    def macro(self, token: str, tpos: int, tend: int) -> int | None:
        close = self.braces.get(tpos)
        if close is None or close > self.bound():
            self.p.diags.unterminated("unterminated-macro", tpos, token.strip() + "…}", len(token))
            return None
        if not self.depth_ok():
            self.p.diags.too_deep(tpos)
            return None
        self.flush(tpos)
        node = self.p._new(_MACROS[token[1:-1]], tpos)
        node.prefix = token
        self.push(node, close, "}")
        self.pending = tend
        return tend

    # -- emphasis ---------------------------------------------------------------------
    def emphasis(self, token: str, tpos: int, tend: int) -> int:
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
            open_kinds = [type(f.node) for f in self._emphasis_frames()]
            kinds = [k for k in reversed(open_kinds)] + [k for k in (n.Bold, n.Italic) if k not in open_kinds]
        for cls in kinds:
            width = 3 if cls is n.Bold else 2
            self.toggle(cls, pos, pos + width)
            pos += width
        self.pending = tend
        return tend

    def _emphasis_frames(self) -> list[_Frame]:
        """Open emphasis frames above the innermost container or label."""
        out = []
        for frame in reversed(self.stack[1:]):
            if not isinstance(frame.node, _EMPHASIS):
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
            if not isinstance(node, _EMPHASIS):
                break
        node = self.p._new(cls, start)
        node.prefix = mark
        self.push(node)

    # -- links -------------------------------------------------------------------------
    def _line_limit(self, pos: int) -> int:
        limit = self.bound()
        newline = self.text.find("\n", pos, limit)
        return limit if newline < 0 else newline

    def wikilink(self, tpos: int) -> int | None:
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
        ns = _NAMESPACE.match(body)
        self.flush(tpos)
        if ns:
            cls = _NAMESPACES[ns.group(1).lower()]
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

    def external(self, tpos: int) -> int | None:
        m = _EXTERNAL.match(self.text, tpos)
        if m is None:
            return None
        limit = self._line_limit(tpos)
        close = self._external_close(m.end(), limit)
        if close < 0 or not self.depth_ok():
            return None
        self.flush(tpos)
        node = self.p._new(n.ExternalLink, tpos, m.group(1), True)
        node.prefix = m.group(0)
        self.push(node, close, "]")
        self.pending = m.end()
        return m.end()

    def _external_close(self, pos: int, limit: int) -> int:
        """The "]" that ends an external link's label; a "[[…]]" inside the
        label is skipped whole, as MediaWiki reads internal links first."""
        text = self.text
        while True:
            close = self.p.find_closer("]", pos, limit)
            inner = text.find("[[", pos, close) if close >= 0 else -1
            if inner < 0:
                return close
            inner_end = text.find("]]", inner + 2, limit)
            if inner_end < 0:
                return close
            pos = inner_end + 2

    def bare_url(self, tpos: int) -> int | None:
        if self.links_off:
            return None
        m = _BARE_URL.match(self.text, tpos, self.bound())
        url = m.group(0).rstrip(_URL_TRAIL)
        if url.endswith(")") and "(" not in url:
            url = url[:-1]
        end = tpos + len(url)
        scheme_end = url.index("://") + 3
        # "https://example<!---->.com": the author broke the address on
        # purpose so it would not be a link.
        if len(url) <= scheme_end or (end < len(self.text) and self.text[end] == "<"):
            return None
        self.flush(tpos)
        node = self.p._new(n.ExternalLink, tpos, url, False)
        node.append(self.p._leaf(n.Text, tpos, end))
        node.end = end
        self.add(node)
        self.pending = end
        return end

    # -- angle brackets ------------------------------------------------------------------
    def angle(self, tpos: int) -> int | None:
        region = self.p.src.opaque_at(tpos)
        if region is not None:
            cls = {"comment": n.Comment, "nowiki": n.Nowiki, "pre": n.Pre}[region.kind]
            self.flush(tpos)
            self.add(self.p._leaf(cls, tpos, region.end))
            self.pending = region.end
            return region.end
        m = _TAG.match(self.text, tpos, self.bound())
        if m is None or m.group(2).lower() not in HTML_TAGS:
            return None
        self.flush(tpos)
        self.add(self.p._leaf(n.HtmlTag, tpos, m.end(), m.group(2).lower(), bool(m.group(1)),
                              bool(m.group(4)), m.group(3).strip()))
        self.pending = m.end()
        return m.end()
