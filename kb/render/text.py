"""Plain text for a terminal: an article as one reader sees it.

Conventions (chosen so nothing of the wiki markup is left over):

- headings underlined: ``=`` level 1, ``-`` level 2, ``~`` deeper; ANSI bold
  with ``color=True``;
- paragraphs wrapped to ``width`` (a key cap or a link is never broken);
- ``1.`` ``2.`` numbered lists, ``•`` bullets, nested lists indented under
  their item; definition terms as lines, definitions indented 4 spaces;
- notes and warnings as a block behind a ``│`` rule, opened by ``Note:`` /
  ``Warning:`` unless the text already starts so;
- keys as ``[Ctrl]+[Shift]+[Q]``; buttons and menus in double quotes
  (``"Advanced"``), so they do not look like key caps; file paths and
  preferences as they are;
- links as ``text (URL)`` when the URL differs from the text; images as
  ``[Image: alt]``; videos and components as ``[Video: name]``;
- tables as aligned columns, the header row underlined;
- with no reader (``context=None``) every variant is shown, each ``{for}``
  between ``[For: fx66]`` and ``[/For]`` markers.

Content never brings control characters (so no ANSI escapes) into the
output: :func:`kb.render.safety.clean_text` removes them from every string,
and :func:`kb.terminal.terminal_safe` from the whole output.
"""

from __future__ import annotations

import re
import textwrap
from contextlib import contextmanager

from kb.markup import nodes as n
from kb.render.context import RenderEnv
from kb.render.safety import RAW_TAGS, clean_text, decode_entities, raw_attributes, decode_url_entities
from kb.render.walk import TOC_MARK, LineRenderer, as_document
from kb.terminal import STYLES, terminal_safe

_NBSP = "\u00a0"  # joins words that must stay on one line; a space in the output
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BOLD, _RESET = STYLES["bold"], STYLES["reset"]
_UNDERLINES = {1: "=", 2: "-"}


def _text(value: str) -> str:
    return clean_text(decode_entities(value)).replace("\t", " ")


def _unbreakable(value: str) -> str:
    return value.replace(" ", _NBSP)


class TextRenderer(LineRenderer):
    def __init__(self, context=None, *, width: int = 80, env: RenderEnv | None = None, color: bool = False,
                 config=None) -> None:
        super().__init__(context, config=config, env=env)
        self.width = max(int(width), 20)
        self.color = color
        self.lead: str | None = None  # "Note: ", waiting for the next paragraph

    # -- document ---------------------------------------------------------------------

    def finish(self, lines: list[str]) -> str:
        out = self.join_lines(lines)
        text = "\n".join(out).replace(_NBSP, " ") + "\n" if out else ""
        # Every string is cleaned where it is written; this is the net
        # under all of them (a heading in the contents, a link's anchor…).
        return terminal_safe(text, styled=self.color)

    def toc_lines(self) -> list[str]:
        entries = self.toc_entries()
        if not entries:
            return []
        lines = [self.bold("Contents")]
        for depth, entry in entries:
            text = entry.text
            for pred in reversed(entry.fors):
                text = f"{self.for_open(pred)}{text}[/For]"
            lines.append("  " * (depth + 1) + "• " + text)
        return lines

    # -- flow -------------------------------------------------------------------------------

    @contextmanager
    def narrower(self, by: int):
        self.width -= by
        try:
            yield
        finally:
            self.width += by

    def paragraph(self, nodes: list[n.Node]) -> list[str]:
        lead, self.lead = self.lead or "", None
        return self.wrap(lead + self.inline(nodes))

    def inline(self, nodes: list[n.Node]) -> str:
        if any(node.is_block for node in nodes):
            nodes = self.inline_from_blocks(nodes)
        return "".join(self.visit(node) for node in nodes)

    def wrap(self, text: str, first: str = "", rest: str | None = None) -> list[str]:
        """``text`` wrapped to the current width; ``\\n`` is a hard break."""
        rest = " " * len(first) if rest is None else rest
        lines: list[str] = []
        for i, hard in enumerate(text.split("\n")):
            hard = _SPACES.sub(" ", hard).strip()
            indent = first if i == 0 else rest
            lines.extend(textwrap.wrap(hard, max(self.width, 10), initial_indent=indent, subsequent_indent=rest,
                                       break_long_words=False, break_on_hyphens=False) or [indent.rstrip()])
        while lines and not lines[-1].strip():
            lines.pop()
        return lines

    def too_deep(self, node: n.Node, block: bool):
        text = " ".join(clean_text(self.plain_text([node])).split())
        return self.wrap(text) if block or node.is_block else text

    # -- nodes that stand inline, at block level -----------------------------------------

    def block_note(self, node: n.Callout) -> list[str]:
        return self.callout(node)

    block_warning = block_note

    def block_for(self, node: n.For) -> list[str]:
        return [self.for_open(node.predicate_text), *self.for_content(node), "[/For]"]

    def block_pre(self, node: n.Node) -> list[str]:
        code = clean_text(decode_entities(node.content)).expandtabs(4)
        return ["    " + line for line in code.split("\n")]

    def block_template(self, node: n.Node) -> list[str]:
        found = self.expand(node)
        if isinstance(found, str):
            return self.wrap(_bracketed(found))
        with self.inside(found):
            return self.blocks(self.expansion_nodes(found))

    block_include = block_template

    def block_image(self, node: n.Image) -> list[str]:
        ref = self.image_ref(node)
        caption = [_text(ref.caption)] if ref.figure and ref.caption and ref.caption != ref.alt else []
        return self.wrap(f"[Image: {_text(ref.alt)}]") + caption

    def for_content(self, node: n.For) -> list[str]:
        with self.within_for(node):
            return self.blocks(self.children(node))

    def for_open(self, predicate: str) -> str:
        terms = ", ".join(t.strip() for t in predicate.split(",") if t.strip())
        return f"[For: {_text(terms)}]" if terms else "[For]"

    def callout(self, node: n.Node) -> list[str]:
        label = "Note" if node.kind == "note" else "Warning"
        nodes = self.children(node)
        segments = self.flow(nodes)
        # Authors often open the box with "Note:" / "Warning!" themselves.
        needs_label = not re.match(rf"\s*{label}\s*[:!]", self.plain_text(nodes), re.IGNORECASE)
        starts_with_text = bool(segments) and (segments[0][0] == "inline" or segments[0][1].kind == "paragraph")
        with self.narrower(2):
            self.lead = f"{label}: " if needs_label and starts_with_text else None
            lines = self.blocks(nodes)
            self.lead = None
        if needs_label and not starts_with_text:
            lines = [f"{label}:"] + lines
        return [f"│ {line}" if line else "│" for line in lines]

    def bold(self, line: str) -> str:
        return f"{_BOLD}{line}{_RESET}" if self.color else line

    # -- blocks -----------------------------------------------------------------------------

    def visit_paragraph(self, node: n.Paragraph) -> list[str]:
        return self.blocks(self.children(node))

    def visit_heading(self, node: n.Heading) -> list[str]:
        self.heading_entry(node)
        lines = self.wrap(self.inline(self.children(node)))
        if not lines:
            return []
        mark = _UNDERLINES.get(node.level, "~")
        underline = mark * max(len(line) for line in lines)
        return [self.bold(line) for line in lines] + [underline]

    def visit_list(self, node: n.List) -> list[str]:
        lines: list[str] = []
        number = 0
        for item in self.children(node):
            if item.kind == "list_item":
                number += 1
                lines.extend(self.list_item(item, node, number))
        return lines

    def visit_list_item(self, node: n.ListItem) -> list[str]:  # met outside visit_list: as a one-item list
        return self.list_item(node, node.parent, 1)

    def list_item(self, item: n.ListItem, lst: n.List, number: int) -> list[str]:
        if not item.prefix:  # an item with no line of its own: just its nested list
            marker = ""
        elif lst.definition:
            marker = "" if item.marker == ";" else "    "
        else:
            marker = f"{number}. " if lst.ordered else "• "
        content: list[str] = []
        with self.narrower(len(marker)):
            for kind, seg in self.flow(self.children(item)):
                if kind == "inline":
                    lines = self.wrap(self.inline(seg))
                else:
                    lines = self.block(seg)
                    if content and seg.kind != "list":
                        content.append("")
                content.extend(lines)
        if not content:
            return [marker.rstrip()] if marker.strip() else []
        pad = " " * len(marker)
        return [marker + content[0]] + [pad + line if line else "" for line in content[1:]]

    def visit_table(self, node: n.Table) -> list[str]:
        captions, rows, outside = self.table_layout(node)
        lines = self.blocks(outside)
        if lines:
            lines.append("")
        lines += [line for cell in captions for line in self.wrap(self.cell_text(cell))]
        if not rows:
            return lines
        texts = [[self.cell_text(cell) for cell in row] for row in rows]
        widths = [max(len(row[i]) if i < len(row) else 0 for row in texts) for i in range(max(map(len, texts)))]
        for row, cells in zip(rows, texts):
            lines.append("  ".join(text.ljust(widths[i]) for i, text in enumerate(cells)).rstrip())
            if all(cell.header for cell in row):
                lines.append("  ".join("-" * w for w in widths[:len(cells)]))
        return lines

    def cell_text(self, cell: n.Node) -> str:
        return " ".join(self.inline(self.inline_from_blocks(self.children(cell))).split())

    def visit_table_row(self, node: n.TableRow) -> list[str]:
        return self.wrap(" ".join(self.inline(self.inline_from_blocks(self.children(node))).split()))

    visit_table_cell = visit_table_row

    visit_preformatted = block_pre

    def visit_rule(self, node: n.Rule) -> list[str]:
        return ["─" * min(self.width, 72)]

    def visit_toc(self, node: n.Toc) -> list[str]:
        return [TOC_MARK]

    def visit_blank(self, node: n.BlankLine) -> list[str]:
        return []

    def visit_document(self, node: n.Document) -> list[str]:
        return self.blocks(self.children(node))

    # -- inline -------------------------------------------------------------------------------

    def visit_text(self, node: n.Text) -> str:
        return _text(node.text).replace("\n", " ")

    def visit_nowiki(self, node: n.Nowiki) -> str:
        return _text(node.content)

    def visit_pre(self, node: n.Pre) -> str:
        return _text(node.content)

    def visit_newline(self, node: n.Newline) -> str:
        return ""

    def visit_comment(self, node: n.Comment) -> str:
        return ""

    def visit_stray(self, node: n.Stray) -> str:
        return _text(node.text) if node.literal else ""

    def _plain(self, node: n.Node) -> str:
        return self.inline(self.children(node))

    visit_bold = visit_italic = visit_filepath = visit_pref = _plain

    def _quoted(self, node: n.Node) -> str:
        return '"' + self.inline(self.children(node)).strip() + '"'

    visit_button = visit_menu = _quoted

    def visit_key(self, node: n.Key) -> str:
        keys = []
        for part in self.key_parts(node):
            label = " ".join("".join(self.key_piece(x) for x in part).split())
            if "[" in label or "]" in label:
                label = f" {label} "  # [ [ ] reads better than [[]
            keys.append("[" + _unbreakable(label) + "]")
        return "+".join(keys)

    def key_piece(self, piece) -> str:
        """Text of a key cap; an image in a key (a logo key) shows its alt."""
        if isinstance(piece, str):
            return _text(piece)
        if piece.kind == "image":
            return _text(self.image_ref(piece).alt)
        return self.visit(piece)

    def visit_for(self, node: n.For) -> str:
        with self.within_for(node):
            inner = self.inline(self.children(node))
        return f"{self.for_open(node.predicate_text)}{inner}[/For]"

    def _inline_callout(self, node: n.Node) -> str:
        label = "Note" if node.kind == "note" else "Warning"
        inner = self.inline(self.children(node)).strip()
        return inner if re.match(rf"{label}\s*[:!]", inner, re.IGNORECASE) else f"{label}: {inner}"

    visit_note = visit_warning = _inline_callout

    def visit_template(self, node: n.Node) -> str:
        found = self.expand(node)
        if isinstance(found, str):
            return _bracketed(found)
        with self.inside(found):
            return self.inline(self.expansion_nodes(found))

    visit_include = visit_template

    def visit_link(self, node: n.Link) -> str:
        target = self.link_target(node)
        label = self.inline(self.children(node)).strip() if node.children else _text(target.title)
        if target.kind == "anchor":
            return label
        return self.with_url(label, target.url)

    def article_url(self, article) -> str:
        # A terminal reader cannot follow a site-relative link: unless the
        # caller says how to link, name the article's page on the live site.
        if self.env.link_url is not None:
            return self.env.link_url(article)
        return self.env.live_site_url(article.slug)

    def visit_site_link(self, node: n.SiteLink) -> str:
        label = self.inline(self.children(node)).strip() if node.children else ""
        url = self.site_url(node)
        if url is None:
            return label or _text(node.path)
        return self.with_url(label, clean_text(url))

    def visit_external_link(self, node: n.ExternalLink) -> str:
        url = self.external_url(node)
        label = self.inline(self.children(node)).strip() if node.children else ""
        if url is None:
            return label or clean_text(decode_url_entities(node.url))
        if not node.bracketed:  # a bare address: its text is the address
            return _unbreakable(label) if label else _unbreakable(clean_text(url))
        return self.with_url(label, clean_text(url))

    def with_url(self, label: str, url: str) -> str:
        if not label or label == url:
            return _unbreakable(url)
        return f"{label} ({_unbreakable(url)})"

    def visit_image(self, node: n.Image) -> str:
        return f"[Image: {_text(self.image_ref(node).alt)}]"

    def visit_video(self, node: n.Video) -> str:
        ref = self.video_ref(node)
        return _bracketed(ref.missing) if ref.missing else f"{ref.label}: {_unbreakable(ref.url)}"

    def block_video(self, node: n.Video) -> list[str]:
        return self.wrap(self.visit_video(node))

    def visit_ui(self, node: n.UIComponent) -> str:
        message = self.ui_message(node)
        return _bracketed(message) if message else ""

    def block_html(self, node: n.HtmlTag) -> list[str]:
        """A raw block tag: its content stands as blocks; the tag is gone."""
        return []

    def visit_details(self, node: n.Details) -> list[str]:
        """A details section reads as its headings and their content."""
        return self.blocks(self.children(node))

    def visit_html(self, node: n.HtmlTag) -> str:
        """Safelisted tags only format, so they vanish (``<br>`` breaks the
        line); any other tag is shown as written, as in the HTML output."""
        if node.name == "br" and not node.closing:
            return "\n"
        if node.name == "img" and not node.closing:
            alt = dict(raw_attributes("img", node.attrs)).get("alt")
            return f"[Image: {alt}]" if alt else ""
        if node.name in RAW_TAGS:
            return ""
        return _text(node.text)


def render_text(doc, context=None, *, width: int = 80, env: RenderEnv | None = None, color: bool = False,
                config=None) -> str:
    """The article as terminal text for ``context`` (None: every variant,
    with ``[For: …]`` markers)."""
    return TextRenderer(context, width=width, env=env, color=color, config=config).render(as_document(doc))


def _bracketed(message: str) -> str:
    """A message shown in place of a template, in brackets (once)."""
    return message if message.startswith("[") else f"[{message}]"
