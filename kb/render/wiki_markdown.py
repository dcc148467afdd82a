"""Markdown that keeps the wiki: what ``kb convert`` writes.

A registered renderer like the others (``wiki-markdown``), with every
variant (``::: for`` blocks and inline ``{for}…{/for}``, see
:mod:`kb.markup.markdown`): what the Markdown article syntax can say is
written as source instead of being rendered, so the Markdown article reads
back to the same tree, and every reader sees the same text. Wiki source kept
in it (``[[…]]``, wiki tables, comments) is written so that no other Markdown
engine finds raw HTML, links or attribute lists in it (:func:`inert_source`).
"""

from __future__ import annotations

import html
import re

from kb.markup import autolinks
from kb.markup import nodes as n
from kb.markup.syntax import CONTAINER_NODES
from kb.render.context import RenderEnv
from kb.render.markdown import MarkdownRenderer, md_escape


class WikiMarkdownRenderer(MarkdownRenderer):
    """:class:`~kb.render.markdown.MarkdownRenderer` with every variant
    (``::: for`` / ``{for}``), writing what the Markdown article syntax
    says as source instead of rendering it: links by title, templates,
    includes, images, videos as ``[[…]]``; UI macros as ``{button …}``,
    ``{key …}``; inline ``{note}…{/note}``; ``[TOC]``; comments; wiki
    tables that pipe tables cannot say. Nothing expands, so the Markdown
    article keeps using its templates, and the tree read back is the
    wiki tree (so every reader sees the same text)."""

    in_table = 0  # > 0 inside a pipe table
    alternate = False  # the next list uses the other bullet

    def __init__(self, context=None, *, config=None, env: RenderEnv | None = None) -> None:
        super().__init__(None, config=config, env=RenderEnv())

    # -- flow ---------------------------------------------------------------
    def is_blockish(self, node: n.Node) -> bool:
        # Inline {note}…{/note} and {for}…{/for} stay inline, unless they
        # hold a block (a multi-line template, an include…).
        if isinstance(node, CONTAINER_NODES) and not node.block:
            return any(self.is_blockish(child) for child in node.children)
        return super().is_blockish(node)

    def segment_lines(self, segments):
        # Two lists in a row stay two lists: CommonMark would join them,
        # unless the second uses the other bullet ("*", or "1)").
        previous = None
        for kind, item in segments:
            alternate = False
            if kind == "block" and item.kind == "list" and not item.definition:
                if previous is not None and previous[0] == item.ordered:
                    alternate = not previous[1]
                previous = (item.ordered, alternate)
            else:
                previous = None
            self.alternate = alternate
            lines = self.paragraph(item) if kind == "inline" else self.block(item)
            self.alternate = False
            if not lines and kind == "block" and item.kind == "paragraph":
                lines = ["<!-- -->"]  # a paragraph of nothing still takes a note's "Note:" label
            yield lines

    def run(self, nodes: list[n.Node]) -> str:
        # A line that starts with a comment would be a raw HTML block in
        # Markdown (its text no longer Markdown): drop leading comments.
        line = rest = super().run(nodes)
        while rest.startswith("<!--") and "-->" in rest:
            rest = rest[rest.index("-->") + 3:].lstrip()
        line = rest or line  # (a line of comments only is a comment block: kept)
        if line[:1] in (";", ":", "!", "?"):  # would start a definition or an admonition
            line = f"&#{ord(line[0])};" + line[1:]
        return line

    def finish(self, lines: list[str]) -> str:
        out = [line.rstrip() for line in lines]
        while out and not out[-1]:
            out.pop()
        return "\n".join(out) + "\n" if out else ""

    # -- blocks ---------------------------------------------------------------
    def _source_block(self, node: n.Node) -> list[str]:
        return [self.visit(node)]

    block_template = block_include = block_image = block_video = block_ui = _source_block

    def visit_details(self, node: n.Details) -> list[str]:
        """The section as written: its markers on lines of their own (the
        Markdown reader reads them back as a section)."""
        return [node.prefix.strip(), "", *self.blocks(self.children(node)), "", node.suffix.strip() or
                "[[UI:details_end]]"]

    def block_note(self, node: n.Callout) -> list[str]:
        body = self.blocks(self.children(node))
        if not body and self.flow(self.children(node)):
            body = ["<!-- -->"]  # a paragraph that shows nothing: a box with no "Note:" label
        return self.admonition(node.kind, body)

    block_warning = block_note

    def visit_toc(self, node: n.Toc) -> list[str]:
        return ["[TOC]"]

    def visit_table(self, node: n.Table) -> list[str]:
        if not _simple_table(node):  # kept in wiki markup, which says it all
            return inert_source(node.to_wikitext().rstrip("\n")).split("\n")
        self.in_table += 1
        try:
            return super().visit_table(node)
        finally:
            self.in_table -= 1

    def visit_list(self, node: n.List) -> list[str]:
        if node.definition:
            return self.definition_list(node)
        bullet, dot = ("* ", ")") if self.alternate else ("- ", ".")
        lines: list[str] = []
        number = 0
        for item in self.children(node):
            if item.kind == "list_item":
                number += 1
                lines.extend(self.list_item(item, f"{number}{dot} " if node.ordered else bullet))
        return lines

    def list_item(self, item: n.ListItem, marker: str) -> list[str]:
        content = self.item_content(item)
        segments = self.flow(self.children(item))
        if item.prefix and segments and segments[0][0] == "block" and segments[0][1].kind == "list":
            content = ["", *content]  # an item of its own line, with no text, before its nested list
        if not content or not content[0].strip():
            # An empty item would read as a setext underline or as text.
            content = ["<!-- -->", *content[1:]]
        # An item with no text of its own ("**" in wiki markup) holds its
        # nested list on its line: the list's other lines are indented by
        # the marker's width, so they stay in the nested item.
        pad = " " * (len(marker) if not item.prefix else max(4, len(marker)))
        return [(marker + content[0]).rstrip()] + [pad + line if line else "" for line in content[1:]]

    def item_content(self, item: n.ListItem) -> list[str]:
        self.alternate = False
        return super().item_content(item)

    def definition_list(self, node: n.List) -> list[str]:
        """Wiki style: ";term" / ":definition" lines, an item's blocks
        indented 4 spaces (any mix of terms and definitions reads back as
        it was; no space after ":", so never "Term / :   definition")."""
        lines: list[str] = []
        for item in self.children(node):
            if item.kind != "list_item":
                continue
            marker = (item.marker if item.prefix else node.marker) or ";"
            segments = self.flow(self.children(item))
            first = self.run(segments.pop(0)[1]) if segments and segments[0][0] == "inline" else ""
            if item.prefix and not first and segments:
                first = "<!-- -->"  # a line of its own with no text (not wiki ":#")
            lines.append(marker + first)
            body: list[str] = []
            for kind, seg in segments:
                if body or kind == "inline" or seg.kind != "list":
                    body.append("")
                body.extend([self.run(seg)] if kind == "inline" else self.block(seg))
            lines.extend("    " + line if line else "" for line in body)
        return lines

    # -- inline -----------------------------------------------------------------
    def visit_text(self, node: n.Text) -> str:
        # Text the wiki did not link ("https://a<!-- -->.b") must not
        # become a link in Markdown: its ":" is written as a reference.
        return super().visit_text(node).replace("://", "&#58;//")

    def visit_nowiki(self, node: n.Nowiki) -> str:
        return super().visit_nowiki(node).replace("://", "&#58;//")

    def visit_comment(self, node: n.Comment) -> str:
        return inert_source(" ".join(node.text.split("\n")))  # on one line: a paragraph is one line

    def visit_html(self, node: n.HtmlTag) -> str:
        if node.name == "img":  # a tag (the renderer would make it a Markdown image)
            return _img_tag(node.attrs)
        return super().visit_html(node)

    def _source(self, node: n.Node) -> str:
        return self.pipes(_inert_bracketed(node).replace("\n", " "))

    visit_template = visit_include = visit_image = visit_video = visit_ui = _source

    def pipes(self, text: str) -> str:
        """Inside a table a "|" of [[…]] is written "\\|" (else it splits the cell)."""
        return text.replace("|", "\\|") if self.in_table else text

    def visit_link(self, node: n.Link) -> str:
        target = inert_source(node.target + ("#" + node.anchor if node.anchor else ""))
        label = self.phrasing(self.children(node)).strip() if node.children else ""
        # "]" is escaped as "\]" in text; inside [[…]] it must not end the link.
        label = label.replace("\\]", "&#93;")
        return f"[[{target}{self.pipes('|')}{label}]]" if label else f"[[{target}]]"

    def visit_site_link(self, node: n.SiteLink) -> str:
        # Kept in its wiki form, which the Markdown reader reads; "]" in the
        # label is escaped as "\]" in text and must not end the link.
        label = self.phrasing(self.children(node)).strip().replace("\\]", "&#93;") if node.children else ""
        return f"[{node.path} {label}]" if label else f"[{node.path}]"

    def visit_external_link(self, node: n.ExternalLink) -> str:
        url = node.url
        if not node.bracketed and node.children and _reads_back(node.text_content(), url):
            return md_escape(node.text_content())
        label = self.phrasing(self.children(node)).strip() if node.children and node.bracketed else ""
        if not label and not any(c in url for c in " <>"):
            return f"<{url}>"
        if label.startswith("["):  # "[[[…]]": the label's own [[…]] must not start at the link's "["
            label = "<!-- -->" + label
        return f"[{label or md_escape(url)}]({_destination(url)})"

    def _macro(self, node: n.Node) -> str:
        label = self.phrasing(self.children(node))
        if "=" in label:
            # Python-Markdown's attr_list would read "{button x=y}" as an
            # attribute; the HTML the Markdown renderer writes says the same.
            return f"<kbd>{label}</kbd>" if node.kind == "key" else f'<span class="{node.kind}">{label}</span>'
        return "{" + node.kind + " " + label + "}"

    visit_button = visit_menu = visit_filepath = visit_pref = visit_key = _macro

    def _inline_callout(self, node: n.Node) -> str:
        return "{" + node.kind + "}" + self.phrasing(self.children(node)).strip() + "{/" + node.kind + "}"

    visit_note = visit_warning = _inline_callout


# Wiki source kept in the Markdown ([[…]], wiki tables, comments) is read by
# kb as wiki markup, but by any other Markdown engine as Markdown with raw
# HTML. ``inert_source`` rewrites what such an engine would make active into
# what means the same to the wiki parser: the wiki decodes character
# references in text, so "&lt;" is "<" to it, and not a tag to anyone.
_PIECE = re.compile(r"<[^<>]*>|\{[^{}\n]*\}|\]\(|\]:|^[ \t]*///", re.MULTILINE)


def inert_source(text: str) -> str:
    """Wiki source with no raw HTML, link, attribute list or block another
    Markdown engine would act on: a tag the wiki reads is rebuilt from its
    checked attributes (one it shows as text, one on a preformatted line,
    and any other "<" become "&lt;"); comments, ``<nowiki>`` and ``<pre>``
    keep no "<" or ">" inside;
    the "(" of "](", the ":" of "]:", an "=" inside braces ("{button
    onclick=…}") and a "/" opening "///" become references."""
    from kb.markup.syntax import HTML_TAG, HTML_TAGS
    from kb.markup.source import Source
    from kb.render.safety import RAW_TAGS

    source = Source(text)
    out: list[str] = []
    pos = 0
    while (start := text.find("<", pos)) >= 0:
        out.append(text[pos:start])
        region = source.opaque_at(start)
        tag = HTML_TAG.match(text, start)
        if region is not None:
            out.append(_inert_region(region.kind, text[start:region.end]))
            pos = region.end
        elif tag is not None and tag.group(2).lower() in HTML_TAGS:
            name, closing = tag.group(2).lower(), bool(tag.group(1))
            preformatted = text.startswith(" ", start - source.line_col(start)[1] + 1)
            if name in RAW_TAGS and not preformatted:
                out.append(f"</{name}>" if closing else _img_tag(tag.group(3)) if name == "img" else f"<{name}>")
            else:  # shown as text (as is any tag on a preformatted line)
                out.append("&lt;" + tag.group(0)[1:].replace("<", "&lt;"))
            pos = tag.end()
        else:
            out.append("&lt;")
            pos = start + 1
    out.append(text[pos:])
    return _PIECE.sub(_inert_piece, "".join(out))


def _inert_bracketed(node) -> str:
    """A ``[[…|args]]`` source made inert argument by argument, each split
    at its first "=" as the wiki splits a named argument: a tag rebuilt
    without its attributes never makes a named argument positional. (A "{"
    in a name is written "&#123;": "**x**{button onclick" must not open an
    attribute list that the value's "=" would fill.)"""
    joined = "|".join(node.args)
    if not node.args or not node.text.endswith(joined + "]]"):
        return inert_source(node.text)
    args = []
    for arg in node.args:
        key, eq, value = arg.partition("=")
        args.append(inert_source(key).replace("{", "&#123;") + eq + inert_source(value) if eq else inert_source(arg))
    return inert_source(node.text[:len(node.text) - len(joined) - 2]) + "|".join(args) + "]]"


def _inert_region(kind: str, text: str) -> str:
    """A comment, ``<nowiki>`` or ``<pre>`` region with no "<" or ">" in it
    (the wiki decodes references in the last two; a comment shows nothing)."""
    opener = {"comment": "<!--", "nowiki": "<nowiki>", "pre": "<pre>"}[kind]
    closer = {"comment": "-->", "nowiki": "</nowiki>", "pre": "</pre>"}[kind]
    body = text[len(opener) if kind == "comment" else text.index(">") + 1:len(text) - len(closer)]
    return opener + body.replace("<", "&lt;").replace(">", "&gt;") + closer


def _inert_piece(m: re.Match) -> str:
    piece = m.group(0)
    if piece[0] == "<":
        return piece
    if piece[0] == "{":
        from kb.render.markdown import brace_safe

        return brace_safe(piece)
    if piece[0] == "]":
        return "]&#40;" if piece[1] == "(" else "]&#58;"
    return piece.replace("/", "&#47;", 1)


def _img_tag(attrs: str) -> str:
    """An ``<img>`` with only the attributes renderers keep, checked."""
    from kb.render.safety import raw_attributes

    kept = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in raw_attributes("img", attrs))
    return f"<img{kept}>"


def _simple_table(table) -> bool:
    """Whether a pipe table says all a wiki table does: header cells only
    in the first row (all of it, or none), no caption, cells of one line of
    inline content."""
    rows = [row for row in table.children if isinstance(row, n.TableRow)]
    if any(not isinstance(child, (n.TableRow, n.BlankLine)) for child in table.children):
        return False
    for index, row in enumerate(rows):
        cells = [cell for cell in row.children if isinstance(cell, n.TableCell)]
        if any(not isinstance(cell, n.TableCell) for cell in row.children):
            return False
        headers = {cell.header for cell in cells}
        if any(cell.caption for cell in cells) or (index and True in headers) or len(headers) > 1:
            return False
        for cell in cells:
            blocks = [c for c in cell.children if not isinstance(c, n.BlankLine)]
            if len(blocks) > 1 or (blocks and not isinstance(blocks[0], n.Paragraph)):
                return False
            if any(isinstance(x, n.HtmlTag) and x.name == "br" for x in cell.walk()):
                return False
    return bool(rows)


def _destination(url: str) -> str:
    """A link destination that reads back as exactly ``url``."""
    escaped = url.replace("\\", "\\\\").replace("&", "&amp;")
    if any(c in url for c in " ()<>"):
        return "<" + escaped.replace("<", "\\<").replace(">", "\\>") + ">"
    return escaped


def _reads_back(text: str, url: str) -> bool:
    """Whether the Markdown reader links ``text``, a bare domain, ``www.``
    host or e-mail address, to ``url`` (a URL with a scheme is written
    ``<url>``, which Markdown reads as written)."""
    if "://" in text:
        return False
    found = autolinks.find(text)
    return len(found) == 1 and (found[0].start, found[0].end, found[0].url) == (0, len(text), url)
