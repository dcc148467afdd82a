"""CommonMark for MkDocs (Material) and markdown-it-py.

- Headings ``#``…, emphasis ``**``/``*`` (``<strong>``/``<em>`` where
  CommonMark's flanking rules would not read the asterisks as emphasis),
  lists with real numbering and 4-space nesting (valid for CommonMark and
  Python-Markdown alike), links ``[text](url)``, images ``![alt](src)``,
  pipe tables, ``---`` rules.
- Preformatted text as one line of HTML, ``<pre><code>…</code></pre>``,
  every character that means something to HTML or to any Markdown engine
  (``<``, ``&``, punctuation, line breaks) written as a character
  reference. A fence would not do: Python-Markdown reads no fence inside
  an admonition or a list, and CommonMark none after ``!!! note`` (a lazy
  paragraph line), so the code would be read as Markdown and its ``<`` as
  raw HTML. This line is the same ``<pre>`` whatever reads it, in whatever
  container.
- Notes and warnings as admonitions: ``!!! note`` with a 4-space indented
  body (``admonitions="material"``), or GitHub's ``> [!NOTE]``
  (``admonitions="gfm"``).
- Keys as ``<kbd>Ctrl</kbd>+<kbd>Shift</kbd>``; buttons, menus, file paths
  and preferences as ``<span class="button">…</span>`` — the only raw HTML
  written, besides preformatted text and the safelisted phrasing tags of
  the article itself (rebuilt without attributes). Every other ``<`` from
  the article is escaped, so the Markdown can be rendered with raw HTML
  enabled, by markdown-it-py or Python-Markdown (with the extensions MkDocs
  and Material use: attribute lists, pymdownx blocks and snippets…).
- Text is escaped so that it never turns into markup: ``\\*``, ``\\_``,
  ``\\[``, ``&lt;``, ``&amp;`` before an entity, ``1\\.`` at a line start…
  A paragraph is written on one line (soft breaks are spaces).
- With no reader (``context=None``) the conditions are kept in the
  project's Markdown article syntax: ``::: for fx66`` … ``:::`` around
  blocks, ``{for fx66}…{/for}`` inline.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from kb.markup import nodes as n
from kb.render.context import RenderEnv
from kb.render.safety import RAW_BLOCK_TAGS, RAW_TAGS, TagBalancer, clean_text, decode_entities, raw_attributes
from kb.render.walk import TOC_MARK, LineRenderer, as_document, for_attribute

# Emphasis is decided once its neighbours are known: visit_bold/italic wrap
# their content in these private-use markers (content can never hold them).
_OPEN = {"strong": "\ue001", "em": "\ue003"}
_CLOSE = {"strong": "\ue002", "em": "\ue004"}
_MARKERS = {"\ue001": ("strong", True), "\ue002": ("strong", False), "\ue003": ("em", True),
            "\ue004": ("em", False)}
_DELIMITERS = {"strong": "**", "em": "*"}

_ESCAPED = re.compile(r"[\\`*_\[\]{}<>#|~]|!(?=\[|$)|&(?=#?[A-Za-z0-9]+;)")
_ENTITY_FOR = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "|": "&#124;", "~": "&#126;"}
_ORDERED_START = re.compile(r"(\d{1,9})([.)])")
_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") | set(_MARKERS)
_ADMONITIONS = ("material", "gfm")
#: What preformatted text writes as a reference: HTML's specials, line
#: breaks and tabs, and every ASCII punctuation character (each means
#: something to some Markdown engine or extension).
_CODE_SPECIAL = re.compile(r"[\n\t!-/:-@\[-`{-~]")
#: An "=" inside braces that does not start a {for} term ("=fx60") and is
#: not in an HTML tag: an attribute list (Python-Markdown's attr_list)
#: would read "{for x=y}" or "{button x=y}" as an attribute.
_ATTRIBUTE_EQUALS = re.compile(r"<[^<>]*>|(?<=[^\s,{])(?<!not)=")


def md_escape(text: str) -> str:
    """Content text as Markdown that shows exactly that text."""
    text = clean_text(text)
    return _ESCAPED.sub(lambda m: _ENTITY_FOR.get(m.group(0)) or "\\" + m.group(0), text)


def guard_line_start(line: str) -> str:
    """Escape what would make a line start a block: ``1.``, ``-``, ``+``,
    ``=``, ``:``. (Other block starters are escaped everywhere.)"""
    m = _ORDERED_START.match(line)
    if m:
        return m.group(1) + "\\" + m.group(2) + line[m.end():]
    if line[:1] in ("-", "+"):
        return "\\" + line
    if line[:1] == "=":
        return "&#61;" + line[1:]
    if line[:1] == ":":
        return "&#58;" + line[1:]
    if line[:3] in ("!!!", "???", "///"):  # admonitions (MkDocs, pymdownx.details), pymdownx blocks
        return f"&#{ord(line[0])};" + line[1:]
    return line


def brace_safe(text: str) -> str:
    """``text`` for inside ``{…}``, with no "=" an attribute list would read
    (those are written ``&#61;``, which kb reads as "=")."""
    return _ATTRIBUTE_EQUALS.sub(lambda m: "&#61;" if m.group(0) == "=" else m.group(0), text)


def preformatted_html(code: str) -> str:
    """Preformatted text as one line that every Markdown engine passes on
    as the same ``<pre>`` (see the module's notes)."""
    return "<pre><code>" + _CODE_SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", code) + "</code></pre>"


def md_url(url: str) -> str:
    """A URL usable in ``(…)``: spaces, parentheses and angle brackets encoded."""
    return quote(clean_text(url), safe="/:?#[]@!$&'*+,;=%~-._")


def heading_anchor(text: str) -> str:
    """The id MkDocs (toc extension) and markdown-it anchors give a heading."""
    value = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


def resolve_emphasis(text: str) -> str:
    """Turn the emphasis markers into ``**``/``*`` where CommonMark reads
    them as emphasis, else into ``<strong>``/``<em>``."""
    if not any(c in _MARKERS for c in text):
        return text
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, c in enumerate(text):
        if c in _MARKERS:
            if _MARKERS[c][1]:
                stack.append(i)
            elif stack:
                pairs[stack.pop()] = i
    out = list(text)
    # Innermost pairs first, so an outer pair sees what its content starts
    # and ends with (an inner <em> is not an asterisk).
    for start, end in sorted(pairs.items(), key=lambda p: p[1] - p[0]):
        kind = _MARKERS[text[start]][0]
        before = text[start - 1] if start else " "
        after = text[end + 1] if end + 1 < len(text) else " "
        first = (out[start + 1] or " ")[0]
        last = (out[end - 1] or " ")[-1]
        # An undecided neighbouring marker may become "*": never let runs of
        # asterisks touch, CommonMark would pair them differently.
        touching = {before, after, first, last} & ({"*"} | set(_MARKERS))
        ok = (not touching
              and (first not in _PUNCTUATION or before.isspace() or before in _PUNCTUATION)
              and (last not in _PUNCTUATION or after.isspace() or after in _PUNCTUATION))
        out[start] = _DELIMITERS[kind] if ok else f"<{kind}>"
        out[end] = _DELIMITERS[kind] if ok else f"</{kind}>"
    return "".join(c for c in out if c not in _MARKERS)


class MarkdownRenderer(LineRenderer):
    strip_lines = True

    def __init__(self, context=None, *, config=None, env: RenderEnv | None = None,
                 admonitions: str = "material") -> None:
        if admonitions not in _ADMONITIONS:
            raise ValueError(f"admonitions must be one of {', '.join(_ADMONITIONS)}, not {admonitions!r}")
        super().__init__(context, config=config, env=env)
        self.admonitions = admonitions
        self.tags = TagBalancer()

    # -- document --------------------------------------------------------------------

    def finish(self, lines: list[str]) -> str:
        out = self.join_lines(lines)
        return "\n".join(out) + "\n" if out else ""

    def toc_lines(self) -> list[str]:
        lines, seen = [], {}
        for depth, entry in self.toc_entries():
            anchor = heading_anchor(entry.text)
            count = seen.get(anchor, 0)
            seen[anchor] = count + 1
            if count:
                anchor = f"{anchor}_{count}"
            item = f"[{md_escape(entry.text)}](#{md_url(anchor)})"
            for pred in reversed(entry.fors):
                item = f"{self.for_open(pred)}{item}{{/for}}"
            lines.append("    " * depth + "- " + item)
        return lines

    # -- flow ----------------------------------------------------------------------------

    def paragraph(self, nodes: list[n.Node]) -> list[str]:
        line = self.run(nodes)
        return [guard_line_start(line)] if line else []

    def run(self, nodes: list[n.Node]) -> str:
        """Inline content on one line, emphasis resolved, raw tags balanced."""
        return resolve_emphasis(self.phrasing(nodes)).strip()

    def phrasing(self, nodes: list[n.Node]) -> str:
        if any(node.is_block for node in nodes):
            nodes = self.inline_from_blocks(nodes)
        token = self.tags.enter()
        out = [self.visit(node) for node in nodes]
        out.extend(f"</{name}>" for name in self.tags.leave(token))
        return "".join(out)

    def too_deep(self, node: n.Node, block: bool):
        text = md_escape(" ".join(clean_text(self.plain_text([node])).split()))
        return [guard_line_start(text)] if block or node.is_block else text

    # -- nodes that stand inline, at block level -----------------------------------

    def block_note(self, node: n.Callout) -> list[str]:
        return self.admonition(node.kind, self.blocks(self.children(node)))

    block_warning = block_note

    def block_for(self, node: n.For) -> list[str]:
        with self.within_for(node):
            inner = self.blocks(self.children(node))
        return self.for_block(node.predicate_text, inner)

    def block_pre(self, node: n.Node) -> list[str]:
        return [preformatted_html(clean_text(decode_entities(node.content)))]

    def block_template(self, node: n.Node) -> list[str]:
        found = self.expand(node)
        if isinstance(found, str):
            return [md_escape(found)]
        with self.inside(found):
            return self.blocks(self.expansion_nodes(found))

    block_include = block_template

    def block_image(self, node: n.Image) -> list[str]:
        ref = self.image_ref(node)
        lines = [self.visit_image(node)]
        if ref.figure and ref.caption:
            lines += ["", f"*{md_escape(decode_entities(ref.caption))}*"]
        return lines

    def admonition(self, kind: str, body: list[str]) -> list[str]:
        if self.admonitions == "gfm":
            return [f"> [!{kind.upper()}]"] + [f"> {line}" if line else ">" for line in body]
        return [f"!!! {kind}"] + [f"    {line}" if line else "" for line in body]

    def for_open(self, predicate: str) -> str:
        pred = html.escape(clean_text(for_attribute(predicate)), quote=False).replace("}", "&#125;")
        pred = brace_safe(pred)
        return f"{{for {pred}}}" if pred else "{for}"

    def for_block(self, predicate: str, body: list[str]) -> list[str]:
        inner = max((len(line) - len(line.lstrip(":")) for line in body if line.startswith(":::")), default=0)
        fence = ":" * max(3, inner + 1)
        pred = html.escape(clean_text(for_attribute(predicate)), quote=False)
        return [f"{fence} for {pred}".rstrip(), *body, fence]

    # -- blocks ------------------------------------------------------------------------------

    def visit_paragraph(self, node: n.Paragraph) -> list[str]:
        return self.blocks(self.children(node))

    def visit_heading(self, node: n.Heading) -> list[str]:
        self.heading_entry(node)
        text = self.run(self.children(node))
        return [f"{'#' * min(max(node.level, 1), 6)} {text}"] if text else []

    def visit_list(self, node: n.List) -> list[str]:
        """Bullets ``-``, numbers ``1.`` ``2.``. CommonMark has no definition
        lists: terms and definitions become paragraphs of their own."""
        lines: list[str] = []
        number = 0
        for item in self.children(node):
            if item.kind != "list_item":
                continue
            number += 1
            if node.definition:
                content = self.item_content(item)
                if content:
                    lines.extend(([""] if lines else []) + content)
            else:
                lines.extend(self.list_item(item, f"{number}. " if node.ordered else "- "))
        return lines

    def item_content(self, item: n.ListItem) -> list[str]:
        """An item's lines: its text, then nested lists (tight), then other
        blocks after an empty line."""
        content: list[str] = []
        for kind, seg in self.flow(self.children(item)):
            if kind == "inline":
                lines = [guard_line_start(self.run(seg))]
            else:
                lines = self.block(seg)
                if content and (seg.kind != "list" or seg.definition):
                    content.append("")
            content.extend(lines)
        return content

    def visit_list_item(self, node: n.ListItem) -> list[str]:  # met outside visit_list: as a one-item list
        return self.list_item(node, "1. " if node.parent.ordered else "- ")

    def list_item(self, item: n.ListItem, marker: str) -> list[str]:
        content = self.item_content(item) or [""]
        pad = " " * max(4, len(marker))
        return [(marker + content[0]).rstrip()] + [pad + line if line else "" for line in content[1:]]

    def visit_table(self, node: n.Table) -> list[str]:
        """A pipe table; its first row is the header when it is all header
        cells, else the header is empty (pipe tables must have one)."""
        captions, rows, outside = self.table_layout(node)
        lines = self.blocks(outside)
        caption = " ".join(self.cell_text(c) for c in captions)
        if caption:
            lines += ([""] if lines else []) + [guard_line_start(caption)]
        if not rows:
            return lines
        texts = [[self.cell_text(cell) for cell in row] for row in rows]
        columns = max(map(len, texts))
        if all(cell.header for cell in rows[0]):
            head, body = texts[0], texts[1:]
        else:
            head, body = [""] * columns, texts
        lines += [""] if lines else []
        lines.append(_pipe_row(head, columns))
        lines.append(_pipe_row(["---"] * columns, columns))
        lines.extend(_pipe_row(cells, columns) for cells in body)
        return lines

    def cell_text(self, cell: n.Node) -> str:
        return self.run(self.inline_from_blocks(self.children(cell))).replace("<br>", " ")

    def visit_table_row(self, node: n.TableRow) -> list[str]:
        return [self.run(self.inline_from_blocks(self.children(node)))]

    visit_table_cell = visit_table_row

    visit_preformatted = block_pre

    def visit_rule(self, node: n.Rule) -> list[str]:
        return ["---"]

    def visit_toc(self, node: n.Toc) -> list[str]:
        return [TOC_MARK]

    def visit_blank(self, node: n.BlankLine) -> list[str]:
        return []

    def visit_document(self, node: n.Document) -> list[str]:
        return self.blocks(self.children(node))

    # -- inline -----------------------------------------------------------------------------

    def visit_text(self, node: n.Text) -> str:
        return md_escape(decode_entities(node.text)).replace("\n", " ")

    def visit_nowiki(self, node: n.Nowiki) -> str:
        return md_escape(decode_entities(node.content)).replace("\n", " ")

    def visit_pre(self, node: n.Pre) -> str:
        return md_escape(decode_entities(node.content)).replace("\n", " ")

    def visit_newline(self, node: n.Newline) -> str:
        return ""

    def visit_comment(self, node: n.Comment) -> str:
        return ""

    def visit_stray(self, node: n.Stray) -> str:
        return md_escape(node.text) if node.literal else ""

    def _emphasis(self, node: n.Node) -> str:
        kind = "strong" if node.kind == "bold" else "em"
        inner = self.phrasing(self.children(node))
        core = inner.strip()
        if not core:
            return inner
        lead = inner[:len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()):]
        return f"{lead}{_OPEN[kind]}{core}{_CLOSE[kind]}{trail}"

    visit_bold = visit_italic = _emphasis

    def _span(self, node: n.Node) -> str:
        return f'<span class="{node.kind}">{self.phrasing(self.children(node))}</span>'

    visit_button = visit_menu = visit_filepath = visit_pref = _span

    def visit_key(self, node: n.Key) -> str:
        keys = []
        for part in self.key_parts(node):
            token = self.tags.enter()
            inner = "".join(md_escape(decode_entities(x)) if isinstance(x, str) else self.visit(x) for x in part)
            inner += "".join(f"</{name}>" for name in self.tags.leave(token))
            keys.append(f"<kbd>{inner}</kbd>")
        return "+".join(keys)

    def visit_for(self, node: n.For) -> str:
        with self.within_for(node):
            inner = self.phrasing(self.children(node))
        return f"{self.for_open(node.predicate_text)}{inner}{{/for}}"

    def _inline_callout(self, node: n.Node) -> str:
        return self.phrasing(self.children(node))

    visit_note = visit_warning = _inline_callout

    def visit_template(self, node: n.Node) -> str:
        found = self.expand(node)
        if isinstance(found, str):
            return md_escape(found)
        with self.inside(found):
            return self.phrasing(self.expansion_nodes(found))

    visit_include = visit_template

    def visit_link(self, node: n.Link) -> str:
        target = self.link_target(node)
        label = self.phrasing(self.children(node)).strip() if node.children else ""
        if not label:
            label = md_escape(decode_entities(target.title))
        return f"[{label}]({md_url(target.url)})"

    def visit_site_link(self, node: n.SiteLink) -> str:
        url = self.site_url(node)
        label = self.phrasing(self.children(node)).strip() if node.children else ""
        if not label:
            label = md_escape(decode_entities(node.path))
        return f"[{label}]({md_url(url)})" if url else label

    def visit_external_link(self, node: n.ExternalLink) -> str:
        url = self.external_url(node)
        label = self.phrasing(self.children(node)).strip() if node.children else ""
        if not label:
            label = md_escape(decode_entities(node.url))
        return f"[{label}]({md_url(url)})" if url else label

    def visit_image(self, node: n.Image) -> str:
        ref = self.image_ref(node)
        alt = md_escape(decode_entities(ref.alt))
        if ref.src is None:
            return f"\\[Image: {alt}\\]"
        image = f"![{alt}]({md_url(ref.src)})"
        return f"[{image}]({md_url(ref.link)})" if ref.link else image

    def visit_video(self, node: n.Video) -> str:
        ref = self.video_ref(node)
        return md_escape(ref.missing) if ref.missing else f"[{md_escape(ref.label)}]({md_url(ref.url)})"

    def block_video(self, node: n.Video) -> list[str]:
        return [self.visit_video(node)]

    def visit_ui(self, node: n.UIComponent) -> str:
        message = self.ui_message(node)
        return md_escape(message) if message else ""

    def block_html(self, node: n.HtmlTag) -> list[str]:
        """A raw block tag: its content stands as blocks; the tag is gone."""
        return []

    def visit_details(self, node: n.Details) -> list[str]:
        """Each heading of the section a ``<details>`` with the heading as its
        summary (``markdown="1"``: MkDocs' md_in_html reads what is inside)."""
        intro, parts = self.details_parts(node)
        lines = self.blocks(intro)
        for heading, body in parts:
            entry = self.heading_entry(heading)  # in the table of contents, as the HTML has it
            summary = html.escape(clean_text(entry.text))
            lines += ([""] if lines else []) + ['<details markdown="1">', f'<summary id="{entry.id}">{summary}</summary>', ""]
            lines += self.blocks(body) + ["", "</details>"]
        return lines

    def visit_html(self, node: n.HtmlTag) -> str:
        """Safelisted phrasing tags pass (without attributes; an image
        becomes Markdown); any other tag is shown as text."""
        name = node.name
        if name not in RAW_TAGS:
            return md_escape(node.text)
        if name in RAW_BLOCK_TAGS:
            return ""
        if node.closing:
            return "".join(f"</{t}>" for t in self.tags.closing(name))
        if name == "img":
            attrs = dict(raw_attributes("img", node.attrs, self.live_site))
            if "src" not in attrs:
                return ""
            if not self.config.embeds:  # as in HTML: a link, not a picture another site serves
                label = f"[Image: {attrs['alt']}]" if attrs.get("alt") else "[Image]"
                return f"[{md_escape(label)}]({md_url(attrs['src'])})"
            return f"![{md_escape(attrs.get('alt', ''))}]({md_url(attrs['src'])})"
        self.tags.opening(name)
        return f"<{name}>"


def _pipe_row(cells: list[str], columns: int) -> str:
    cells = list(cells) + [""] * (columns - len(cells))
    return "| " + " | ".join(cells) + " |"


def render_markdown(doc, context=None, *, env: RenderEnv | None = None, admonitions: str = "material",
                    config=None) -> str:
    """The article as Markdown for ``context`` (None: every variant, the
    conditions kept as ``::: for`` blocks and ``{for}…{/for}`` inline)."""
    return MarkdownRenderer(context, config=config, env=env, admonitions=admonitions).render(as_document(doc))
