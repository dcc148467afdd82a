"""Markdown articles: ``content/*.md`` read into the same tree as wiki markup.

A Markdown article is CommonMark (read with ``markdown-it-py``, raw HTML
allowed, GFM pipe tables and ``~~strike~~``) plus the SUMO extensions, so
variants, codes, lookup, the checker and the site treat it exactly like a
wiki article. What is read, and the node it becomes::

    # Heading … ###### Heading (or setext)   Heading(level = number of #)
    - item / * item / 1. item               List('*') / List('#'); nest by indenting
                                            (4 spaces); an item's own text is inline
    Term                                    definition list (markdown-it deflist):
    :   definition                          List(';'), items ';' and ':'
    ;term   /   :definition                 the same, wiki style: one item a line,
                                            its blocks indented 4 spaces below it
                                            (write ":x" with no space after a
                                            paragraph, or it is that "Term / : x")
    ::: for fx66,win                        block {for}: For(block=True). Nested
    …                                       containers need a longer outer fence:
    :::                                     :::: for fx66 / ::: for mac / ::: / ::::
    !!! note   /   !!! warning              block {note}/{warning}: Note/Warning
        indented body                       (block=True), as Material admonitions;
                                            also '::: note' … ':::' and '> [!NOTE]'
    {for mac}…{/for}                        inline {for} (For, block=False)
    {note}…{/note}  {warning}…{/warning}    inline callouts
    {button L} {menu L} {filepath L}        UI macros (Button, Menu, Filepath, Pref,
    {pref L} {key Ctrl+Q}                   Key); the label is Markdown and may hold
                                            {for} and images; "\\}" is a literal brace
    <span class="button">L</span>, <kbd>K</kbd>  the same macros, as the Markdown
                                            renderer writes them (span classes button,
                                            menu, filepath, pref); <strong>, <em> are
                                            Bold, Italic
    [[Title]]  [[Title#Section|label]]      link to a KB article by title (Link)
    [[Image:Name|alt=…|width=…]]            Image, and [[T:…]], [[I:…]], [[Video:…]],
                                            [[UI:…]] as in wiki markup ("\\|" = "|")
    [label](Some-title.md#part)             a relative link: Link('Some title', 'part')
    [label](https://…)  <https://…>         ExternalLink (bracketed / bare); a bare
    https://…                               https://… in text is a link too
    ![alt](images/Name.png "caption")       Image('Name.png', ['alt=…', 'caption=…'])
    **bold** *italic* `code`                Bold, Italic, <code> tags
    <br> <sup> … <!-- … -->                 HtmlTag, Comment; a hard line break
                                            (two spaces or "\\" at the end) is <br>
    ---                                     Rule
    __TOC__ or [TOC] alone in a paragraph   Toc
    indented or fenced code                 Pre (its text kept exactly)
    <pre><code>…</code></pre> as a block    Pre (character references decoded: how
                                            the Markdown renderer writes code)
    {| … |} at the start of lines           a table in wiki markup (read by the wiki
                                            parser): for tables pipe tables cannot
                                            say (header cells in later rows, captions,
                                            blocks in cells)

Admonition types other than ``note``/``warning`` map by meaning (``danger``,
``caution``, ``attention``, ``error`` are warnings, the rest notes); an
admonition title other than the default is kept as a bold first paragraph.
Other block quotes have no wiki counterpart: their blocks stand as if
unquoted.

Nodes carry positions (line, column, start/end offsets into the Markdown
text, lines counted from ``first_line``) and repairs are reported in
``doc.diagnostics`` with the wiki parser's codes (``unclosed-for``,
``stray-close``, ``closed-early``, ``unterminated-macro``,
``unterminated-link``). Unlike the wiki parser's, the tree is **not
lossless**: ``to_wikitext()`` does not give the Markdown back (a list item's
prefix is its wiki marker run, ``#*``, so renderers and queries see the same
fields as for wiki input; Markdown escapes are resolved and text keeps "&" as
"&amp;", since renderers decode character references in text as in wiki text).
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin

from kb.markup import anchors, autolinks
from kb.markup import nodes as n
from kb.markup.diagnostics import ERROR
from kb.markup.pairing import InlineStack
from kb.markup.repairs import Recorder
from kb.markup.source import Source
from kb.markup.syntax import (
    BARE_URL,
    BOUNDED,
    BRACES,
    CONTAINER_CLASSES,
    CONTAINER_NODES,
    CONTAINER_TOKEN,
    CONTAINERS,
    EMPHASIS,
    HTML_TAG,
    HTML_TAGS,
    LINK_NODES,
    MACRO_CLASSES,
    MACRO_HTML,
    MACRO_OPEN,
    MARKDOWN_WIKI_LINKS,
    NAMESPACE,
    NAMESPACES,
    NO_AUTOLINKS,
    URL_TRAIL,
    container_token,
)

__all__ = ["parse_markdown", "MARKDOWN_SYNTAX"]

#: What the reader accepts, for ``--help`` texts and documentation.
MARKDOWN_SYNTAX = __doc__

_WARNING_TYPES = frozenset({"warning", "danger", "caution", "attention", "error", "failure", "bug"})
_TOC = frozenset({"__TOC__", "[TOC]"})
_HTML_PIECE = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s[^<>]*?)?)(/?)>", re.DOTALL)
_MD_BRACES = re.compile(r"\\[\s\S]|" + BRACES.pattern)
#: An HTML block that is one <pre> element (its text, references and all).
_PRE_BLOCK = re.compile(r"<pre>(?:<code>)?([^<]*)(?:</code>)?</pre>", re.IGNORECASE)
_FENCE_CLOSE = re.compile(r"[ \t]*(:{3,})[ \t]*\r?$")


def parse_markdown(text: str, first_line: int = 1) -> n.Document:
    """Parse a Markdown article body into a :class:`~kb.markup.nodes.Document`
    of the same node types the wiki parser builds. Never raises for a ``str``."""
    if not isinstance(text, str):
        raise TypeError(f"parse_markdown() takes str, not {type(text).__name__}")
    return _Reader(text, first_line).run()


# ---------------------------------------------------------------------------
# The markdown-it parser, with the SUMO extensions as inline rules
# ---------------------------------------------------------------------------


def _markdown_it() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    for container in CONTAINERS:
        md.use(container_plugin, container.name)
    md.use(admon_plugin)
    md.use(deflist_plugin)
    md.block.ruler.before("deflist", "kb_wiki_deflist", _wiki_deflist, {"alt": ["paragraph"]})
    md.block.ruler.before("table", "kb_wiki_table", _wiki_table, {"alt": ["paragraph"]})
    md.normalizeLink = lambda url: url  # keep URLs as written (no percent-encoding)
    md.inline.ruler.before("link", "kb_wikilink", _wikilink_rule)
    md.inline.ruler.before("link", "kb_table_link", _table_link_rule)
    md.inline.ruler.before("emphasis", "kb_brace", _brace_rule)
    md.inline.ruler.after("text", "kb_url", _url_rule)
    # Unused emphasis markers stay separate text tokens; the tree builder
    # joins text itself and keeps the first token's position.
    md.inline.ruler2.disable("fragments_join")
    md.core.ruler.disable("inline")  # inline content is parsed block by block
    # Every inline rule, wrapped to record where its tokens start (through
    # the Ruler's public API: its active rules' names and functions, in order).
    ruler = md.inline.ruler
    for name, fn in zip(ruler.get_active_rules(), ruler.getRules("")):
        ruler.at(name, _tracked(fn, name))
    return md


_MD: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    global _MD
    if _MD is None:
        _MD = _markdown_it()
    return _MD


def _tracked(fn, name: str):
    """Wrap an inline rule so every token it pushes records where in the
    inline source it starts (``meta['pos']``); markdown-it tokens carry no
    positions of their own."""

    def rule(state: StateInline, silent: bool) -> bool:
        if silent:
            return fn(state, silent)
        start = state.pos
        had_pending = bool(state.pending)
        if not had_pending:
            state.kb_pending = start
        pending_at = getattr(state, "kb_pending", start)
        count = len(state.tokens)
        ok = fn(state, silent)
        if ok:
            delimiter = 0
            for index in range(count, len(state.tokens)):
                token = state.tokens[index]
                if "pos" in token.meta:
                    continue
                if index == count and had_pending and token.type == "text":
                    token.meta["pos"] = pending_at
                elif name in ("emphasis", "strikethrough") and token.type == "text":
                    token.meta["pos"] = start + delimiter
                    delimiter += 1
                elif token.type == "text":  # the last text of a nested scan
                    token.meta["pos"] = getattr(state, "kb_pending", start)
                elif token.nesting < 0:
                    token.meta["pos"] = max(start, state.pos - len(token.markup or ""))
                else:
                    token.meta["pos"] = start
        return ok

    return rule


def _tokenize(state: StateInline) -> None:
    """Tokenize the state's range. The text a scan flushes at its very end
    comes from no rule: it starts where the last run of plain text started."""
    count = len(state.tokens)
    state.md.inline.tokenize(state)
    if len(state.tokens) > count:
        last = state.tokens[-1]
        if last.type == "text" and "pos" not in last.meta:
            last.meta["pos"] = getattr(state, "kb_pending", state.pos)


def _inline_tokens(md: MarkdownIt, content: str, env: dict) -> list[Token]:
    """What ``md.inline.parse`` does, with :func:`_tokenize`'s positions."""
    state = StateInline(content, md, env, [])
    _tokenize(state)
    for rule in md.inline.ruler2.getRules(""):
        rule(state)
    return state.tokens


def _item_line(state: StateBlock, line: int, base: int, lazy: bool = False) -> bool:
    """Whether ``line`` starts a wiki-style definition item (``;``/``:``)."""
    if line >= state.lineMax or state.isEmpty(line) or state.sCount[line] - base >= 4:
        return False
    if state.sCount[line] < base and not lazy:
        return False
    pos = state.bMarks[line] + state.tShift[line]
    return state.src[pos] in ";:" and not state.src.startswith(":::", pos)


def _wiki_deflist(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Definition lists written as in wiki markup: ``; term`` and
    ``: definition`` lines, one item a line; lines indented 4 spaces more
    below an item are its blocks (nested lists, notes)."""
    base = state.blkIndent
    if not _item_line(state, start, base, lazy=silent):
        return False
    if silent:  # interrupting a paragraph: a term line, or a line left of the paragraph's container
        return state.src[state.bMarks[start] + state.tShift[start]] == ";" or state.sCount[start] < base
    outer = state.push("dl_open", "dl", 1)
    outer.markup = "wiki"
    outer.map = [start, start]
    line = start
    while _item_line(state, line, base) and line < end:
        pos = state.bMarks[line] + state.tShift[line]
        marker = state.src[pos]
        following = line + 1
        while following < end:
            if state.isEmpty(following):
                ahead = following
                while ahead < end and state.isEmpty(ahead):
                    ahead += 1
                if ahead < end and state.sCount[ahead] >= base + 4:
                    following = ahead
                    continue
                break
            if state.sCount[following] < base + 4:
                break
            following += 1
        tag = "dt" if marker == ";" else "dd"
        token = state.push(tag + "_open", tag, 1)
        token.markup = marker
        token.map = [line, following]
        token = state.push("inline", "", 0)
        token.content = state.src[pos + 1:state.eMarks[line]].strip()
        token.map = [line, line + 1]
        token.children = []
        if following > line + 1:
            old_indent, old_parent = state.blkIndent, state.parentType
            state.blkIndent, state.parentType = base + 4, "list"
            state.md.block.tokenize(state, line + 1, following)
            state.blkIndent, state.parentType = old_indent, old_parent
        state.push(tag + "_close", tag, -1)
        line = following
    outer.map[1] = line
    state.push("dl_close", "dl", -1)
    state.line = line
    return True


def _wiki_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A table in wiki markup, ``{|`` … ``|}`` at the start of lines (the
    form for what pipe tables cannot say: header cells in later rows,
    captions, blocks in cells). Read by the wiki parser."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("{|", pos):
        return False
    if silent:
        return True
    depth, line = 0, start
    while line < end:
        first = state.bMarks[line] + state.tShift[line]
        if state.sCount[line] < state.blkIndent and not state.isEmpty(line):
            break
        if state.src.startswith("{|", first):
            depth += 1
        elif state.src.startswith("|}", first):
            depth -= 1
            if depth == 0:
                line += 1
                break
        line += 1
    token = state.push("kb_wiki_table", "table", 0)
    token.map = [start, line]
    token.content = state.getLines(start, line, state.blkIndent, True)
    token.block = True
    state.line = line
    return True


def _predicate(text: str) -> str:
    """A predicate as written; character references (``&amp;``, ``&#125;``,
    which the Markdown renderer writes for ``&`` and ``}``) are decoded."""
    return html.unescape(text) if "&" in text else text


def _report(state: StateInline, *args) -> None:
    report = state.env.get("kb_report")
    if report is not None:
        report(*args)


def _brace_rule(state: StateInline, silent: bool) -> bool:
    """``{for …}``, ``{/for}``, ``{note}``… as single tokens; ``{button …}``
    and the other macros as open/close tokens around their parsed label."""
    src, pos = state.src, state.pos
    if src[pos] != "{":
        return False
    m = CONTAINER_TOKEN.match(src, pos, state.posMax)
    if m:
        if not silent:
            closing, kind = container_token(m)
            token = state.push("kb_close" if closing else "kb_open", "", 0)
            token.markup = m.group(0)
            pred = m.group("pred")
            token.meta = {"kind": kind, "pos": pos, "pred": _predicate(pred or ""),
                          "pred_pos": m.start("pred") if pred is not None else pos + 4}
        state.pos = m.end()
        return True
    m = MACRO_OPEN.match(src, pos, state.posMax)
    if not m:
        return False
    close = _brace_pairs(state).get(pos, -1)
    if close < 0 or close >= state.posMax:
        if not silent:
            _report(state, "unterminated-macro", pos, m.group(0).strip() + "…}", len(m.group(0)))
        return False
    if not silent:
        token = state.push("kb_macro_open", "", 1)
        token.markup = m.group(0)
        token.meta = {"kind": m.group(1), "pos": pos}
        _scan_range(state, m.end(), close)
        token = state.push("kb_macro_close", "", -1)
        token.markup = "}"
        token.meta = {"pos": close}
    state.pos = close + 1
    return True


def _brace_pairs(state: StateInline) -> dict[int, int]:
    """Macro opener → offset of its ``}``, for the whole inline source (one
    pass, cached on the state, as the wiki parser pairs them)."""
    pairs = getattr(state, "kb_braces", None)
    if pairs is None:
        pairs, stack = {}, []
        for m in _MD_BRACES.finditer(state.src):
            token = m.group(0)
            if token[0] == "\\":  # an escaped brace is text
                continue
            if token == "}":
                if stack:
                    pairs[stack.pop()] = m.start()
            elif token.endswith(" "):
                stack.append(m.start())
        state.kb_braces = pairs
    return pairs


def _scan_range(state: StateInline, start: int, end: int, link: bool = False) -> None:
    """Tokenize src[start:end] into the state's tokens (a label)."""
    old_max = state.posMax
    state.pos, state.posMax = start, end
    if link:
        state.linkLevel += 1
    _tokenize(state)
    if link:
        state.linkLevel -= 1
    state.posMax = old_max


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    """``[[Title#Section|label]]`` and ``[[Image:…]]``, ``[[T:…]]``… as in
    wiki markup: closed by ``]]`` on the same line."""
    src, pos = state.src, state.pos
    if silent or not src.startswith("[[", pos):
        # (Silent: markdown-it is scanning a link label; "[[…]]" inside one
        # is a wiki link in the label, as in wiki markup, not a nested link.)
        return False
    newline = src.find("\n", pos, state.posMax)
    close = src.find("]]", pos + 2, state.posMax if newline < 0 else newline)
    if close < 0:
        _report(state, "unterminated-link", pos, "[[", 2)
        return False
    if src.find("[[", pos + 2, close) >= 0:
        return False
    body = src[pos + 2:close].replace("\\|", "|")  # "\|": a "|" kept from a table's cell split
    ns = NAMESPACE.match(body)
    if ns:
        name, *args = body[ns.end():].split("|")
        token = state.push("kb_bracketed", "", 0)
        token.content = src[pos:close + 2]
        token.meta = {"pos": pos, "cls": NAMESPACES[ns.group(1).lower()], "name": name.strip(), "args": args}
        state.pos = close + 2
        return True
    target, bar, _label = body.partition("|")
    title, _, anchor = target.partition("#")
    if not title.strip() and not anchor.strip():
        return False
    token = state.push("kb_link_open", "", 1)
    token.markup = "[[" + target + bar
    token.meta = {"pos": pos, "target": title.strip(), "anchor": anchor.strip()}
    if bar:
        _scan_range(state, src.index("|", pos + 2) + 1, close, link=True)
    token = state.push("kb_link_close", "", -1)
    token.markup = "]]"
    token.meta = {"pos": close}
    state.pos = close + 2
    return True


def _table_link_rule(state: StateInline, silent: bool) -> bool:
    """The construct table's links that Markdown reads in their wiki form,
    ``[target label]``: closed on the same line, the label parsed as Markdown."""
    src, pos = state.src, state.pos
    if silent or src[pos] != "[":
        return False
    for construct in MARKDOWN_WIKI_LINKS:
        m = construct.opener_re.match(src, pos, state.posMax)
        if m is None:
            continue
        newline = src.find("\n", pos, state.posMax)
        close = src.find(construct.closer, m.end(), state.posMax if newline < 0 else newline)
        if close < 0:
            return False
        token = state.push("kb_table_link_open", "", 1)
        token.markup = m.group(0)
        token.meta = {"pos": pos, "construct": construct, "target": m.group(1)}
        _scan_range(state, m.end(), close, link=True)
        token = state.push("kb_table_link_close", "", -1)
        token.markup = construct.closer
        token.meta = {"pos": close}
        state.pos = close + len(construct.closer)
        return True
    return False


def _url_rule(state: StateInline, silent: bool) -> bool:
    """A bare ``https://…`` is an external link, as in wiki markup."""
    src, pos = state.src, state.pos
    if silent or state.linkLevel > 0 or not src.startswith("://", pos):
        return False
    m = re.search(r"(?:https?|ftp)$", src[max(0, pos - 5):pos])
    if not m:
        return False
    scheme = m.group(0)
    start = pos - len(scheme)
    if (start > 0 and src[start - 1].isascii() and src[start - 1].isalnum()) or not state.pending.endswith(scheme):
        return False
    url = BARE_URL.match(src, start, state.posMax).group(0).rstrip(URL_TRAIL)
    if url.endswith(")") and "(" not in url:
        url = url[:-1]
    end = start + len(url)
    if len(url) <= len(scheme) + 3 or (end < len(src) and src[end] == "<"):
        return False
    state.pending = state.pending[:-len(scheme)]
    token = state.push("kb_url", "", 0)
    token.content = url
    token.meta = {"pos": start}
    state.pos = end
    return True


# ---------------------------------------------------------------------------
# Positions: inline content offsets back to offsets of the Markdown text
# ---------------------------------------------------------------------------


class _Lines:
    """The Markdown text's lines, and where inline content sits in them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.cursor: dict[int, int] = {}  # line → where the next table cell search starts

    def start(self, line: int) -> int:
        return self.starts[line] if line < len(self.starts) else len(self.text)

    def end(self, line: int) -> int:
        """End of the line, newline excluded."""
        if line + 1 < len(self.starts):
            return self.starts[line + 1] - 1
        return len(self.text)

    def line(self, index: int) -> str:
        return self.text[self.start(index):self.end(index)]

    def first_char(self, line: int) -> int:
        """Offset of the first non-blank character of a line."""
        text = self.line(line)
        return self.start(line) + len(text) - len(text.lstrip())

    def locate(self, content: str, line: int) -> int:
        """Offset in the text where ``content`` (one line of inline content,
        its prefix and indentation removed) sits on ``line``."""
        base = self.start(line)
        source = self.line(line)
        body = content.strip()
        if not body:
            return base
        tail = source.rstrip()
        if tail.endswith(content.rstrip()) and line not in self.cursor:
            return base + len(tail) - len(content.rstrip())
        found = source.find(body, self.cursor.get(line, 0))
        if found < 0:
            found = source.find(body)
        if found < 0:
            return base
        self.cursor[line] = found + len(body)
        return base + found - (len(content) - len(content.lstrip()))


class _OffsetMap:
    """Offsets of one inline token's content → offsets of the text."""

    def __init__(self, lines: _Lines, content: str, first: int) -> None:
        self.starts: list[int] = []
        self.targets: list[int] = []
        pos = 0
        for i, piece in enumerate(content.split("\n")):
            self.starts.append(pos)
            self.targets.append(lines.locate(piece, first + i))
            pos += len(piece) + 1

    def __call__(self, offset: int) -> int:
        i = bisect_right(self.starts, offset) - 1
        return self.targets[max(i, 0)] + offset - self.starts[max(i, 0)]


# ---------------------------------------------------------------------------
# Blocks
# ---------------------------------------------------------------------------


class _Reader:
    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.src = Source(text, first_line)
        self.lines = _Lines(text)
        self.doc = n.Document(text)
        self.doc.line = first_line
        self.diags = Recorder(self.src, self.doc.diagnostics)
        self.md = _parser()
        self.headings: list[tuple[n.Heading, str]] = []  # and the source of their text

    def _node(self, cls, start: int, *args) -> n.Node:
        line, col = self.src.line_col(start)
        return cls(*args, start=start, line=line, col=col)

    def _leaf(self, cls, text: str, start: int, *args) -> n.Node:
        line, col = self.src.line_col(start)
        return cls(text, *args, start=start, line=line, col=col)

    def run(self) -> n.Document:
        tokens = self.md.parse(self.text, {})
        _Blocks(self, tokens).run()
        anchors.assign(self.headings, self.text)
        _group_details(self.doc, self.diags)
        return self.doc


def _address_goes_on(after: list[n.Node]) -> bool:
    """Whether comments or tags come next and text follows them with no
    space: an address split on purpose (``https://example<!---->.com``)."""
    i = 0
    while i < len(after) and isinstance(after[i], (n.Comment, n.HtmlTag)):
        i += 1
    return 0 < i < len(after) and isinstance(after[i], n.Text) and after[i].text[:1].strip() != ""


def _details_marker(node: n.Node) -> str | None:
    """"start"/"end" for a paragraph holding only ``[[UI:details_start]]`` or
    ``[[UI:details_end]]``, else None."""
    if not isinstance(node, n.Paragraph):
        return None
    parts = [c for c in node.children if not (isinstance(c, (n.Text, n.Newline)) and not c.text.strip())]
    if len(parts) == 1 and isinstance(parts[0], n.UIComponent):
        name = parts[0].name.strip().lower()
        return {"details_start": "start", "details_end": "end"}.get(name)
    return None


def _group_details(doc: n.Document, diags: Recorder) -> None:
    """The blocks between a ``[[UI:details_start]]`` paragraph and a
    ``[[UI:details_end]]`` one as a :class:`~kb.markup.nodes.Details`, as
    the wiki parser reads those lines (an unclosed one runs to the end of
    its container)."""
    stack: list[n.Node] = [doc]
    while stack:
        container = stack.pop()
        if not any(_details_marker(c) for c in container.children):
            stack.extend(c for c in container.children if c.children and c.is_block)
            continue
        children: list[n.Node] = []
        section: n.Details | None = None
        for child in container.children:
            marker = _details_marker(child)
            if marker == "start" and section is None:
                section = n.Details(child.start, child.end, child.line, child.col)
                children.append(section)
            elif marker == "end" and section is not None:
                section.end = child.end
                section = None
            elif marker == "end":
                diags.stray_close(child.start, "details")
            elif section is not None:
                section.append(child)
            else:
                children.append(child)
        if section is not None:
            diags.unclosed(section)
        container.children = []
        for child in children:
            container.append(child)
        stack.extend(c for c in children if c.children and c.is_block)


class _Frame:
    """An open block container: its node and the token type that closes it.
    A transparent frame (a plain blockquote) adds its blocks to its parent."""

    __slots__ = ("node", "closer")

    def __init__(self, node: n.Node, closer: str | None) -> None:
        self.node = node
        self.closer = closer


_LIST_LIKE = (n.List, n.ListItem)
#: ``::: name`` fences of the containers other than ``{for}`` → node class.
_FENCES = {f"container_{c.name}_open": c.node for c in CONTAINERS if c.name != "for"}
_GFM_ALERT = re.compile(r"\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(?:\n|$)", re.IGNORECASE)


class _Blocks:
    """markdown-it's flat block tokens → the tree (one ``t_<type>`` method a
    token type; closers end the innermost frame they close)."""

    def __init__(self, reader: _Reader, tokens: list[Token]) -> None:
        self.r = reader
        self.lines = reader.lines
        self.tokens = tokens
        self.stack: list[_Frame] = [_Frame(reader.doc, None)]
        self.has_text: set[int] = set()  # list items whose own line of text is read

    @property
    def parent(self) -> n.Node:
        return self.stack[-1].node

    def run(self) -> None:
        i = 0
        while i < len(self.tokens):
            token = self.tokens[i]
            handler = getattr(self, "t_" + token.type, None)
            if handler is None and token.type in _FENCES:
                handler = self.t_fence_open
            if handler is not None:
                i = handler(i, token) or i + 1
                continue
            if token.type.endswith("_close"):
                self.close(token.type)
            i += 1
        self.r.doc.end = len(self.r.text)

    # -- helpers ---------------------------------------------------------------------
    def line_start(self, token: Token) -> int:
        """Offset of the token's first character (its first line's)."""
        return self.lines.first_char(token.map[0]) if token.map else self.parent.end

    def block_end(self, token: Token) -> int:
        """Offset just past the token's last line (its newline included)."""
        if not token.map:
            return self.parent.end
        return self.lines.start(max(token.map[1], token.map[0] + 1))

    def node(self, cls, token: Token, *args) -> n.Node:
        node = self.r._node(cls, self.line_start(token), *args)
        node.end = self.block_end(token)
        return node

    def open(self, node: n.Node, closer: str) -> None:
        self.parent.append(node)
        self.stack.append(_Frame(node, closer))

    def close(self, closer: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].closer == closer:
                break
        else:
            return
        while len(self.stack) > depth:
            node = self.stack.pop().node
            if node.children:
                node.end = max(node.end, node.children[-1].end + len(node.suffix))

    def inline(self, parent: n.Node, token: Token) -> None:
        content = token.content
        offsets = _OffsetMap(self.lines, content, token.map[0] if token.map else 0)
        _Inline(self.r, parent, offsets, content).run()

    # -- paragraphs and headings -------------------------------------------------------
    def t_paragraph_open(self, i: int, token: Token) -> int:
        inline = self.tokens[i + 1]
        parent = self.parent
        if inline.content.strip() in _TOC:
            self.parent.append(self.r._leaf(n.Toc, inline.content.strip(), self.line_start(token)))
            return i + 3
        if isinstance(parent, n.ListItem) and (id(parent) not in self.has_text or _after_block(parent)):
            # A list item's text is the item's own inline content, as in wiki
            # markup (and so is text that follows a note in the item).
            self.item_text(parent, inline)
            return i + 3
        para = self.node(n.Paragraph, token)
        para.suffix = "\n"
        parent.append(para)
        self.inline(para, inline)
        return i + 3

    def item_text(self, item: n.Node, inline: Token) -> None:
        first = id(item) not in self.has_text
        self.has_text.add(id(item))
        self.inline(item, inline)
        if first and inline.map:  # the line end, as the wiki parser keeps it
            pos = self.lines.end(inline.map[0] + inline.content.count("\n"))
            if pos < len(self.r.text):
                item.append(self.r._leaf(n.Newline, "\n", pos))

    def t_inline(self, i: int, token: Token) -> None:
        """Inline content straight in a container (definition terms)."""
        if isinstance(self.parent, n.ListItem):
            self.item_text(self.parent, token)
            return
        para = self.node(n.Paragraph, token)
        self.parent.append(para)
        self.inline(para, token)

    def t_heading_open(self, i: int, token: Token) -> int:
        node = self.node(n.Heading, token, int(token.tag[1]))
        node.prefix = token.markup + " " if token.markup.startswith("#") else ""
        node.suffix = "\n"
        self.parent.append(node)
        self.r.headings.append((node, self.tokens[i + 1].content))
        self.inline(node, self.tokens[i + 1])
        return i + 3

    # -- lists ---------------------------------------------------------------------------
    def t_bullet_list_open(self, i: int, token: Token) -> None:
        self.open(self.node(n.List, token, "*"), "bullet_list_close")

    def t_ordered_list_open(self, i: int, token: Token) -> None:
        self.open(self.node(n.List, token, "#"), "ordered_list_close")

    def t_dl_open(self, i: int, token: Token) -> None:
        self.open(self.node(n.List, token, ";"), "dl_close")

    def item(self, token: Token, marker: str | None, closer: str) -> None:
        """A list item; its prefix is the wiki marker run (``#*``, ``*;``)."""
        chain = "".join(a.marker for a in reversed([self.parent, *self.parent.ancestors()]) if isinstance(a, n.List))
        if marker is not None:
            chain = chain[:-1] + marker
        item = self.node(n.ListItem, token)
        item.prefix = chain
        self.open(item, closer)

    def t_list_item_open(self, i: int, token: Token) -> None:
        self.item(token, None, "list_item_close")
        following = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
        if following is not None and following.type in ("bullet_list_open", "ordered_list_open", "dl_open"):
            self.parent.prefix = ""  # an item with no text, only a nested list: as wiki "**"

    def t_dt_open(self, i: int, token: Token) -> None:
        self.item(token, ";", "dt_close")
        self.filler(i)

    def t_dd_open(self, i: int, token: Token) -> None:
        self.item(token, ":", "dd_close")
        self.filler(i)

    def filler(self, i: int) -> None:
        """A wiki-style ``;``/``:`` line with no text whose blocks start with
        a list is an item with no line of its own (wiki ``:#``)."""
        inline, following = (self.tokens[i + 1:i + 3] + [None, None])[:2]
        if (inline is not None and inline.type == "inline" and not inline.content and following is not None
                and following.type in ("bullet_list_open", "ordered_list_open", "dl_open")):
            self.parent.prefix = ""

    # -- containers --------------------------------------------------------------------------
    def t_container_for_open(self, i: int, token: Token) -> None:
        line = token.map[0]
        start = self.lines.first_char(line)
        info = token.info
        info_at = start + len(token.markup) + max(0, self.lines.line(line)[start - self.lines.start(line)
                                                                          + len(token.markup):].find(info))
        word = re.match(r"\s*for", info)
        predicate, pred_start = info[word.end():], info_at + word.end()
        if predicate[:1] in (" ", "\t"):
            predicate, pred_start = predicate[1:], pred_start + 1
        node = self.r._node(n.For, start, _predicate(predicate.rstrip()), pred_start, True)
        self.fenced(node, token)

    def t_fence_open(self, i: int, token: Token) -> None:
        """``::: note`` and the other callouts of the construct table."""
        self.fenced(self.r._node(_FENCES[token.type], self.line_start(token), True), token)

    def fenced(self, node: n.Node, token: Token) -> None:
        """A ``:::`` container; one its fence never closes is reported."""
        first, closing = token.map
        node.prefix = self.lines.line(first) + "\n"
        m = _FENCE_CLOSE.match(self.lines.line(closing)) if closing < len(self.lines.starts) else None
        if m and len(m.group(1)) >= len(token.markup):
            node.suffix = self.lines.line(closing) + "\n"
            node.end = self.lines.start(closing + 1)
        else:
            node.end = self.block_end(token)
            what = "for " + node.predicate_text if isinstance(node, n.For) else node.kind
            self.r.diags.add(f"unclosed-{node.kind}", ERROR,
                             f"{token.markup} {what.strip()} opened here has no closing {token.markup} line; it was "
                             f"closed at the end of its container. Add a line {token.markup} where it should end.",
                             node.start, node.start + len(node.prefix.rstrip()))
        self.open(node, token.type.replace("_open", "_close"))

    def t_admonition_open(self, i: int, token: Token) -> int:
        tag = token.meta.get("tag", "note")
        node = self.node(n.Warning if tag in _WARNING_TYPES else n.Note, token, True)
        node.prefix = self.lines.line(token.map[0]) + "\n"
        self.open(node, "admonition_close")
        i += 1
        if i < len(self.tokens) and self.tokens[i].type == "admonition_title_open":
            title = self.tokens[i + 1]
            if title.content.strip() and title.content != tag.title():  # a title of its own
                para = self.node(n.Paragraph, title)
                bold = self.r._node(n.Bold, para.start)
                para.append(bold)
                node.append(para)
                self.inline(bold, title)
            i += 3
        return i

    def t_blockquote_open(self, i: int, token: Token) -> None:
        """GitHub's alerts (``> [!NOTE]``) are notes and warnings; other
        quotes have no wiki counterpart and add their blocks where they are."""
        para, inline = (self.tokens[i + 1:i + 3] + [None, None])[:2]
        m = None
        if para is not None and para.type == "paragraph_open" and inline is not None:
            m = _GFM_ALERT.match(inline.content)
        if m is None:
            self.stack.append(_Frame(self.parent, "blockquote_close"))
            return
        kind = m.group(1).lower()
        node = self.node(n.Warning if kind in ("warning", "caution") else n.Note, token, True)
        node.prefix = self.lines.line(token.map[0]) + "\n"
        self.open(node, "blockquote_close")
        rest = inline.content[m.end():]
        inline.content = rest
        if inline.map:
            inline.map = [inline.map[0] + 1, inline.map[1]]
        if not rest.strip():
            self.tokens[i + 1:i + 4] = []

    # -- tables --------------------------------------------------------------------------------
    def t_table_open(self, i: int, token: Token) -> None:
        self.open(self.node(n.Table, token), "table_close")

    def t_tr_open(self, i: int, token: Token) -> int | None:
        end = i + 1
        while end < len(self.tokens) and self.tokens[end].type != "tr_close":
            end += 1
        cells = self.tokens[i + 1:end]
        if all(t.type != "td_open" for t in cells) and not any(t.type == "inline" and t.content.strip() for t in cells):
            return end + 1  # a header row with no text: pipe tables must have one
        self.open(self.node(n.TableRow, token), "tr_close")
        return None

    def cell(self, i: int, header: bool) -> int:
        inline = self.tokens[i + 1]
        row = self.parent
        start = self.lines.locate(inline.content, inline.map[0]) if inline.map else row.start
        cell = self.r._node(n.TableCell, start, header, False)
        row.append(cell)
        if inline.content.strip():
            para = self.r._node(n.Paragraph, start)
            cell.append(para)
            self.inline(para, inline)
        cell.end = cell.children[-1].end if cell.children else start
        return i + 3

    def t_th_open(self, i: int, token: Token) -> int:
        return self.cell(i, True)

    def t_td_open(self, i: int, token: Token) -> int:
        return self.cell(i, False)

    def t_kb_wiki_table(self, i: int, token: Token) -> None:
        """A wiki-markup table: the wiki parser's tree, its positions moved
        to where the table sits in this text."""
        from kb.markup.parser import parse

        first = token.map[0]
        base = self.lines.first_char(first)
        indent = base - self.lines.start(first)
        doc = parse(token.content, first_line=self.r.src.first_line + first)
        for node in doc.children:
            if isinstance(node, n.BlankLine):
                continue
            for sub in node.walk():
                sub.start += base
                sub.end += base
                sub.col += indent
                if isinstance(sub, n.For):
                    sub.predicate_start += base
            self.parent.append(node)
        for diag in doc.diagnostics:
            diag.start += base
            diag.end += base
            diag.column += indent
            self.r.doc.diagnostics.append(diag)

    # -- leaves ----------------------------------------------------------------------------------
    def t_hr(self, i: int, token: Token) -> None:
        self.parent.append(self.r._leaf(n.Rule, self.lines.line(token.map[0]).strip() + "\n", self.line_start(token)))

    def code(self, token: Token, body: str) -> None:
        """Code blocks are preformatted text (a Pre leaf, as wiki
        ``<pre>…</pre>``, whose character references renderers decode)."""
        leaf = self.r._leaf(n.Pre, f"<pre>{body}</pre>", self.line_start(token))
        leaf.end = self.block_end(token)
        self.parent.append(leaf)

    def t_fence(self, i: int, token: Token) -> None:
        body = token.content[:-1] if token.content.endswith("\n") else token.content
        self.code(token, html.escape(body, quote=False))  # kept exactly: "&lt;" shows as written

    t_code_block = t_fence

    def t_html_block(self, i: int, token: Token) -> None:
        content = token.content.rstrip("\n")
        pre = _PRE_BLOCK.fullmatch(content.strip())
        if pre:  # as the Markdown renderer writes preformatted text
            self.code(token, pre.group(1))
            return
        para = self.node(n.Paragraph, token)
        para.suffix = "\n"
        self.parent.append(para)
        _html_pieces(self.r, para, content, self.line_start(token))


def _after_block(item: n.Node) -> bool:
    """Whether the item's last child is a block: text after it joins the
    item as in wiki markup (``# text {note}…{/note} more text``)."""
    last = item.children[-1] if item.children else None
    return last is not None and (last.is_block or isinstance(last, n.Callout)) and not isinstance(last, n.List)


def _html_pieces(reader: _Reader, parent: n.Node, content: str, base: int) -> None:
    """An HTML block as the wiki parser would see it: tags, comments, text."""
    pos = 0
    for m in _HTML_PIECE.finditer(content):
        if m.start() > pos:
            _append_text(reader, parent, content[pos:m.start()], base + pos)
        piece = m.group(0)
        if piece.startswith("<!--"):
            parent.append(reader._leaf(n.Comment, piece, base + m.start()))
        elif m.group(2).lower() in HTML_TAGS:
            parent.append(reader._leaf(n.HtmlTag, piece, base + m.start(), m.group(2).lower(), bool(m.group(1)),
                                       bool(m.group(4)), m.group(3).strip()))
        else:
            _append_text(reader, parent, piece, base + m.start())
        pos = m.end()
    if pos < len(content):
        _append_text(reader, parent, content[pos:], base + pos)
    if parent.children:
        parent.end = max(parent.end, parent.children[-1].end)


def _append_text(reader: _Reader, parent: n.Node, text: str, start: int, end: int | None = None) -> None:
    """Add text, joined to a Text node right before it."""
    if not text:
        return
    last = parent.children[-1] if parent.children else None
    if isinstance(last, n.Text):
        last.text += text
        last.end = max(last.end, end if end is not None else start + len(text))
        return
    leaf = reader._leaf(n.Text, text, start)
    if end is not None:
        leaf.end = end
    parent.append(leaf)


# ---------------------------------------------------------------------------
# Inline content
# ---------------------------------------------------------------------------

#: HTML elements read as nodes (span only with a macro's class).
_ELEMENTS = {"span": None, **{tag: cls for (tag, css), cls in MACRO_HTML.items() if css is None},
             "strong": n.Bold, "em": n.Italic}
_SPAN_CLASS = re.compile(r"""\s*class\s*=\s*(["']?)([\w-]+)\1\s*""")


class _Inline(InlineStack):
    """One inline token's children → nodes appended to ``parent``.

    markdown-it pairs its own delimiters (emphasis, links, the macros' label
    bounds); ``{for}``/``{note}`` tokens may straddle them and are paired
    here by the wiki scanner's engine (:mod:`kb.markup.pairing`). One more
    rule is Markdown's own: a ``{for}`` still open where the emphasis around
    it ends is closed there and reopened after it.
    """

    reopened_keep_prefix = True
    report_emphasis = False

    def __init__(self, reader: _Reader, parent: n.Node, offsets: _OffsetMap, content: str) -> None:
        super().__init__(parent, reader.diags, reader._node)
        self.r = reader
        self.offsets = offsets
        self.content = content
        self.elements: list[tuple[str, type | None]] = []  # open <span>, <kbd>…: (name, node class)
        self.skip_text = False

    def at(self, token: Token) -> int:
        return self.offsets(token.meta.get("pos", 0))

    def run(self) -> None:
        md = self.r.md
        env = {"kb_report": self.report}
        tokens = _inline_tokens(md, self.content, env)
        for i, token in enumerate(tokens):
            self.token(token, tokens[i + 1] if i + 1 < len(tokens) else None)
        self.finish(self.offsets(len(self.content)))
        parent = self.stack[0].node
        self.autolink(parent)
        if parent.children:
            parent.end = max(parent.end, parent.children[-1].end + len(parent.suffix))

    def report(self, code: str, pos: int, what: str, length: int) -> None:
        self.r.diags.unterminated(code, self.offsets(pos), what, length)

    def autolink(self, parent: n.Node) -> None:
        """Bare addresses in the text below ``parent`` as links, by the rule
        wiki text follows (:mod:`kb.markup.autolinks`): not in a link's
        label, nor inside ``<a>``, ``<code>``, ``<pre>``."""
        stack = [parent]
        while stack:
            node = stack.pop()
            closed = 0
            children: list[n.Node] = []
            for i, child in enumerate(node.children):
                if isinstance(child, n.HtmlTag) and child.name in NO_AUTOLINKS and not child.self_closing:
                    closed = max(0, closed + (-1 if child.closing else 1))
                if isinstance(child, n.Text) and not closed and autolinks.find(child.text):
                    broken = _address_goes_on(node.children[i + 1:])
                    children.extend(self.linked(child, broken))
                    continue
                if child.children and not isinstance(child, LINK_NODES):
                    stack.append(child)
                children.append(child)
            if len(children) != len(node.children):
                node.children = []
                for child in children:
                    node.append(child)

    def linked(self, text_node: n.Text, broken: bool) -> list[n.Node]:
        """A Text node cut into text and the links in it. ``broken``: a
        comment or tag follows, so an address that runs into it was broken
        on purpose (``https://example<!---->.com``) and stays text."""
        out: list[n.Node] = []
        text, base, pos = text_node.text, text_node.start, 0
        for link in autolinks.find(text):
            if broken and link.end == len(text):
                continue
            if link.start > pos:
                out.append(self.r._leaf(n.Text, text[pos:link.start], base + pos))
            node = self.r._node(n.ExternalLink, base + link.start, link.url.replace("&amp;", "&"), False)
            node.append(self.r._leaf(n.Text, text[link.start:link.end], base + link.start))
            node.end = base + link.end
            out.append(node)
            pos = link.end
        if pos < len(text):
            out.append(self.r._leaf(n.Text, text[pos:], base + pos))
        return out

    # -- plumbing ----------------------------------------------------------------------
    def text(self, text: str, start: int, end: int | None = None, raw: bool = False) -> None:
        """Add text. Renderers decode character references in text (wiki
        text is raw), so text markdown-it has decoded keeps its "&" as
        "&amp;"; ``raw`` text (HTML as written) is kept as it is."""
        if not raw and "&" in text:
            text = text.replace("&", "&amp;")
        _append_text(self.r, self.top, text, start, end)

    # -- tokens -------------------------------------------------------------------------
    def token(self, token: Token, nxt: Token | None) -> None:
        kind = token.type
        pos = self.at(token)
        if self.skip_text:  # the text of an autolink, already taken as written
            self.skip_text = False
            if kind == "text":
                return
        if kind in ("text", "text_special"):
            end = self.at(nxt) if nxt is not None and "pos" in nxt.meta else None
            self.text(token.content, pos, end if end is not None and end >= pos else None)
        elif kind == "softbreak":
            self.text("\n", pos)
        elif kind == "hardbreak":
            self.add(self.r._leaf(n.HtmlTag, "<br>", pos, "br", False, False, ""))
            self.text("\n", pos)
        elif kind in ("strong_open", "em_open"):
            node = self.r._node(n.Bold if kind == "strong_open" else n.Italic, pos)
            node.prefix = token.markup
            self.push(node)
        elif kind in ("strong_close", "em_close"):
            self.close_markdown(n.Bold if kind == "strong_close" else n.Italic, pos, token.markup, reopen=True)
        elif kind == "s_open":
            self.add(self.r._leaf(n.HtmlTag, "<s>", pos, "s", False, False, ""))
        elif kind == "s_close":
            self.add(self.r._leaf(n.HtmlTag, "</s>", pos, "s", True, False, ""))
        elif kind == "link_open":
            self.open_link(token, pos)
        elif kind in ("link_close", "kb_link_close", "kb_macro_close", "kb_table_link_close"):
            self.close_markdown(BOUNDED, pos, token.markup or "", reopen=False)
        elif kind == "image":
            self.image(token, pos)
        elif kind == "code_inline":
            self.add(self.r._leaf(n.HtmlTag, "<code>", pos, "code", False, False, ""))
            self.text(token.content, pos + len(token.markup))
            self.add(self.r._leaf(n.HtmlTag, "</code>", pos + len(token.markup) + len(token.content),
                                  "code", True, False, ""))
        elif kind == "html_inline":
            self.html(token.content, pos)
        elif kind == "kb_open":
            self.open_container(token, pos)
        elif kind == "kb_close":
            self.close_closer(token, pos)
        elif kind == "kb_macro_open":
            node = self.r._node(MACRO_CLASSES[token.meta["kind"]], pos)
            node.prefix = token.markup
            self.push(node)
        elif kind == "kb_table_link_open":
            node = self.r._node(token.meta["construct"].node, pos, token.meta["target"])
            node.prefix = token.markup
            self.push(node)
        elif kind == "kb_link_open":
            node = self.r._node(n.Link, pos, token.meta["target"], token.meta["anchor"])
            node.prefix = token.markup
            self.push(node)
        elif kind == "kb_bracketed":
            meta = token.meta
            self.add(self.r._leaf(meta["cls"], token.content, pos, meta["name"], meta["args"]))
        elif kind == "kb_url":
            node = self.r._node(n.ExternalLink, pos, token.content, False)
            node.append(self.r._leaf(n.Text, token.content, pos))
            node.end = pos + len(token.content)
            self.add(node)
        elif token.content:
            self.text(token.content, pos, raw=kind == "html_block")

    def open_link(self, token: Token, pos: int) -> None:
        href = str(token.attrGet("href") or "")
        if token.markup == "autolink":  # <https://…>: a bare URL, shown as written
            at = token.meta.get("pos", 0) + 1
            close = self.content.find(">", at)
            raw = self.content[at:close if close >= 0 else len(self.content)]
            node = self.r._node(n.ExternalLink, pos, href, False)
            node.append(self.r._leaf(n.Text, raw, pos + 1))
            self.push(node)
            self.skip_text = True
            return
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", href) and not href.lower().startswith(("kb:", "wiki:")):
            node = self.r._node(n.ExternalLink, pos, href, True)
            node.prefix = "[" + href + " "
        else:
            target = href.split(":", 1)[1] if href.lower().startswith(("kb:", "wiki:")) else href
            title, _, anchor = target.partition("#")
            title = _title_of(title)
            node = self.r._node(n.Link, pos, title, anchor)
            node.prefix = "[[" + target + "|"
        self.push(node)

    def image(self, token: Token, pos: int) -> None:
        src = token.attrGet("src") or ""
        alt = "".join(child.content for child in token.children or ()).replace("&", "&amp;")
        args = [f"alt={alt}"] if alt else []
        title = token.attrGet("title")
        if title:
            args.append(f"caption={str(title).replace('&', '&amp;')}")
        leaf = self.r._leaf(n.Image, f"![{alt}]({src})", pos, _image_name(src), args)
        self.add(leaf)

    def html(self, content: str, pos: int) -> None:
        """Inline HTML: ``<span class="button">…</span>`` (also menu,
        filepath, pref) and ``<kbd>…</kbd>`` are the UI macros as the
        Markdown renderer writes them; other safelisted tags stay tags."""
        if content.startswith("<!--"):
            self.add(self.r._leaf(n.Comment, content, pos))
            return
        m = HTML_TAG.fullmatch(content)
        if m is None or m.group(2).lower() not in HTML_TAGS:
            self.text(content, pos, raw=True)
            return
        name, closing = m.group(2).lower(), bool(m.group(1))
        if name in _ELEMENTS and self.element(name, closing, m.group(3), content, pos):
            return
        self.add(self.r._leaf(n.HtmlTag, content, pos, name, closing, bool(m.group(4)), m.group(3).strip()))

    def element(self, name: str, closing: bool, attrs: str, content: str, pos: int) -> bool:
        """Open or close a node written as HTML (what the Markdown renderer
        writes): ``<span class="button">`` (menu, filepath, pref), ``<kbd>``,
        ``<strong>``, ``<em>``. False when the tag stays an HtmlTag."""
        if not closing:
            cls = _ELEMENTS[name]
            if name == "span":
                found = _SPAN_CLASS.fullmatch(attrs)
                cls = MACRO_HTML.get(("span", found.group(2))) if found else None
            self.elements.append((name, cls))
            if cls is None:
                return False
            node = self.r._node(cls, pos)
            node.prefix = content
            self.push(node)
            return True
        for index in range(len(self.elements) - 1, -1, -1):
            if self.elements[index][0] == name:
                _, cls = self.elements.pop(index)
                if cls is not None:
                    emphasis = cls in EMPHASIS
                    self.close_markdown(cls if emphasis else n.Macro, pos, content, reopen=emphasis)
                return cls is not None
        return False

    # -- {for} / {note} pairing -----------------------------------------------------------
    def open_container(self, token: Token, pos: int) -> None:
        if not self.depth_ok():
            self.r.diags.too_deep(pos)
            self.text(token.markup, pos)
            return
        meta = token.meta
        if meta["kind"] == "for":
            node = self.r._node(n.For, pos, meta["pred"], self.offsets(meta["pred_pos"]), False)
        else:
            node = self.r._node(CONTAINER_CLASSES[meta["kind"]], pos, False)
        node.prefix = token.markup
        self.push(node)

    def close_closer(self, token: Token, pos: int) -> None:
        kind = token.meta["kind"]
        if not self.close_container(kind, pos, token.markup):
            self.r.diags.stray_close(pos, kind)
            self.add(self.r._leaf(n.Stray, token.markup, pos, False))

    def close_markdown(self, cls, pos: int, suffix: str, reopen: bool) -> None:
        """A markdown-it closer: its opener is the innermost node of ``cls``;
        ``{for}``/``{note}`` opened inside it end here (reopened after it
        for emphasis, reported as unclosed for a label)."""
        for index in range(len(self.stack) - 1, 0, -1):
            if isinstance(self.stack[index].node, cls):
                break
        else:
            return
        carried: list[n.Node] = []
        while len(self.stack) - 1 > index:
            node = self.pop(pos)
            if reopen:
                carried.append(node)
            elif isinstance(node, CONTAINER_NODES):
                self.r.diags.unclosed(node)
        self.pop(pos, suffix)
        for old in reversed(carried):
            node = self.r._node(type(old), pos + len(suffix), *_container_args(old))
            node.prefix = old.prefix
            self.push(node)


def _container_args(node: n.Node) -> tuple:
    if isinstance(node, n.For):
        return (node.predicate_text, node.predicate_start, node.block)
    if isinstance(node, n.Callout):
        return (node.block,)
    return ()


def _title_of(target: str) -> str:
    """A relative link's target as an article title: ``Foo-bar.md`` → ``Foo bar``."""
    from urllib.parse import unquote

    target = unquote(target).strip()
    name = target.rstrip("/").rsplit("/", 1)[-1]
    for suffix in (".md", ".wiki", ".html"):
        if name.endswith(suffix):  # a file name: "-" and "_" stand for spaces
            return name[: -len(suffix)].replace("-", " ").replace("_", " ")
    return name


def _image_name(src: str) -> str:
    """``images/Fx66Warning.png`` → ``Fx66Warning.png``: images are found by
    file name (or stem) in the content's images folder."""
    from urllib.parse import unquote

    return unquote(src).rstrip("/").rsplit("/", 1)[-1].strip()
