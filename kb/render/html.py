"""HTML as the live site shows an article, safe to put in any page.

Markup follows Kitsune: ``<div class="note">``, ``<span class="button">``,
``<span class="key">Ctrl</span> + <span class="key">Q</span>``, headings
``<h2 id="w_…">``, ``<div id="toc">``, ``<table class="wikitable">``.
With a reader (``context``) only what that reader sees is rendered, with no
trace of ``{for}``; without one every variant is rendered and each ``{for}``
becomes ``<div class="for" data-for="…">`` (block, or inline holding a
block) or ``<span class="for" data-for="…">``, as showfor.js expects.

Safety: all text is escaped; raw tags from articles pass only through the
raw safelist of :mod:`kb.render.safety` (others are shown as text); URLs are
checked; and the finished page goes through nh3 once more.
"""

from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass, field

from kb.markup import nodes as n
from kb.render.context import RenderEnv
from kb.render.safety import (
    FETCHED_AT_LOAD,
    RAW_TAGS,
    TagBalancer,
    clean_text,
    escape,
    raw_attributes,
    raw_tag_html,
    sanitize_html,
)
from kb.render.walk import TOC_MARK, ImageRef, Renderer, TocEntry, as_document, for_attribute


_TAG = re.compile(r"<[^>]*>")


def _attr(value: str) -> str:
    return _html.escape(value, quote=True)


def _visible(markup: str) -> bool:
    """Whether HTML shows anything (text or an image)."""
    return "<img" in markup or bool(_TAG.sub("", markup).strip())


def _for_attrs(predicate: str) -> str:
    """``class="for" data-for="…"`` (no data-for for a bare ``{for}``)."""
    pred = for_attribute(predicate)
    return ' class="for"' + (f' data-for="{_attr(pred)}"' if pred else "")


class HtmlRenderer(Renderer):
    def __init__(self, context=None, *, config=None, env: RenderEnv | None = None, toc: bool = True) -> None:
        super().__init__(context, config=config, env=env)
        self.toc_enabled = toc
        self.tags = TagBalancer()
        self.no_links = 0  # > 0 inside a link label or a TOC label: no <a> there

    # -- document -----------------------------------------------------------------

    def render_document(self, doc: n.Document) -> str:
        return self.blocks(self.children(doc))

    def finish(self, body: str) -> str:
        body = body.replace(TOC_MARK, self.toc_html(), 1).replace(TOC_MARK, "")
        return sanitize_html(body)

    def toc_html(self) -> str:
        return toc_html(self.toc_entries())

    # -- flow: blocks and inline runs ----------------------------------------------------

    def blocks(self, nodes: list[n.Node], bare: bool = False) -> str:
        """Block-level content. Inline runs become paragraphs; with ``bare``,
        content that is one run (or one paragraph) is written without ``<p>``
        (cells, notes: ``<div class="note">text</div>`` as Kitsune writes)."""
        segments = self.flow(nodes)
        if bare and len(segments) == 1:
            kind, item = segments[0]
            if kind == "inline":
                return self.run(item)
            if item.kind == "paragraph":
                return self.blocks(self.children(item), bare=True)
        out = []
        for kind, item in segments:
            if kind == "inline":
                inner = self.run(item)
                out.append(f"<p>{inner}</p>\n" if inner else "")
            else:
                out.append(self.block(item))
        return "".join(out)

    def list_content(self, nodes: list[n.Node]) -> str:
        """A list item's content: runs stay bare, blocks follow them."""
        out: list[str] = []
        for kind, item in self.flow(nodes):
            if kind == "inline":
                out.append(self.run(item))
                continue
            if out and not out[-1].endswith("\n"):
                out.append("\n")
            out.append(self.block(item))
        return "".join(out).strip()

    def too_deep(self, node: n.Node, block: bool) -> str:
        text = _html.escape(clean_text(" ".join(self.plain_text([node]).split())), quote=True)
        return f"<p>{text}</p>\n" if block or node.is_block else text

    # -- nodes that stand inline, at block level ---------------------------------

    def block_note(self, node: n.Callout) -> str:
        inner = self.blocks(self.children(node), bare=True)
        return f'<div class="{node.kind}">{inner}</div>\n'

    block_warning = block_note

    def block_for(self, node: n.For) -> str:
        with self.within_for(node):
            inner = self.blocks(self.children(node), bare=not node.block)
        return f"<div{self.for_attrs(node)}>{inner}</div>\n"

    def block_pre(self, node: n.Node) -> str:
        return f"<pre>{escape(node.content)}</pre>\n"

    def block_template(self, node: n.Node) -> str:
        return self.expansion_block(node)

    block_include = block_template

    def block_image(self, node: n.Image) -> str:
        return self.image(node, block=True) + "\n"

    def run(self, nodes: list[n.Node]) -> str:
        return self.phrasing(nodes).strip()

    def phrasing(self, nodes: list[n.Node]) -> str:
        """Inline content; raw tags opened inside are closed inside."""
        if any(node.is_block for node in nodes):
            nodes = self.inline_from_blocks(nodes)
        token = self.tags.enter()
        out = [self.visit(node) for node in nodes]
        out.extend(f"</{name}>" for name in self.tags.leave(token))
        return "".join(out)

    def expansion_block(self, node: n.Node) -> str:
        found = self.expand(node)
        if isinstance(found, str):
            return f'<div class="error">{escape(found)}</div>\n'
        with self.inside(found):
            return self.blocks(self.expansion_nodes(found))

    def for_attrs(self, node: n.For) -> str:
        return _for_attrs(node.predicate_text)

    # -- blocks ---------------------------------------------------------------------------

    def visit_paragraph(self, node: n.Paragraph) -> str:
        return self.blocks(self.children(node))

    def visit_heading(self, node: n.Heading) -> str:
        entry = self.heading_entry(node)
        level = min(max(node.level, 1), 6)
        inner = self.run(self.children(node))
        self.no_links += 1
        try:
            entry.label = self.run(self.children(node))
        finally:
            self.no_links -= 1
        return f'<h{level} id="{_attr(entry.id)}">{inner}</h{level}>\n'

    def visit_list(self, node: n.List) -> str:
        tag = "ol" if node.ordered else "dl" if node.definition else "ul"
        items = "".join(self.visit(item) for item in self.children(node))
        return f"<{tag}>\n{items}</{tag}>\n"

    def visit_list_item(self, node: n.ListItem) -> str:
        parent = node.parent
        if parent is not None and parent.kind == "list" and parent.definition:
            tag = "dt" if node.marker == ";" else "dd"
        else:
            tag = "li"
        return f"<{tag}>{self.list_content(self.children(node))}</{tag}>\n"

    def visit_table(self, node: n.Table) -> str:
        captions, rows, outside = self.table_layout(node)
        caption = " ".join(self.blocks(self.children(c), bare=True) for c in captions)
        body = "".join("<tr>" + "".join(self.visit(cell) for cell in row) + "</tr>\n" for row in rows)
        caption = f"<caption>{caption}</caption>\n" if caption else ""
        return f'{self.blocks(outside)}<table class="wikitable">\n{caption}{body}</table>\n'

    def visit_table_row(self, node: n.TableRow) -> str:
        return "<tr>" + "".join(self.visit(c) for c in self.children(node) if c.kind == "table_cell") + "</tr>\n"

    def visit_table_cell(self, node: n.TableCell) -> str:
        tag = "th" if node.header else "td"
        return f"<{tag}>{self.blocks(self.children(node), bare=True).strip()}</{tag}>"

    visit_preformatted = block_pre

    def visit_pre(self, node: n.Pre) -> str:  # a <pre> inside a heading or label
        return f"<code>{escape(node.content)}</code>"

    def visit_rule(self, node: n.Rule) -> str:
        return "<hr>\n"

    def visit_toc(self, node: n.Toc) -> str:
        return TOC_MARK + "\n" if self.toc_enabled else ""

    def visit_blank(self, node: n.BlankLine) -> str:
        return ""

    def visit_newline(self, node: n.Newline) -> str:
        return ""

    def visit_document(self, node: n.Document) -> str:
        return self.blocks(self.children(node))

    # -- containers met inline (inside a heading, a label, emphasis) ------------------------

    def visit_for(self, node: n.For) -> str:
        with self.within_for(node):
            inner = self.phrasing(self.children(node))
        return f"<span{self.for_attrs(node)}>{inner}</span>"

    def visit_note(self, node: n.Note) -> str:
        return f'<span class="note">{self.phrasing(self.children(node))}</span>'

    def visit_warning(self, node: n.Warning) -> str:
        return f'<span class="warning">{self.phrasing(self.children(node))}</span>'

    def visit_template(self, node: n.Template) -> str:
        found = self.expand(node)
        if isinstance(found, str):
            return f'<span class="error">{escape(found)}</span>'
        with self.inside(found):
            return self.phrasing(self.expansion_nodes(found))

    visit_include = visit_template

    # -- inline ---------------------------------------------------------------------------------

    def visit_text(self, node: n.Text) -> str:
        return escape(node.text)

    def visit_nowiki(self, node: n.Nowiki) -> str:
        return escape(node.content)

    def visit_comment(self, node: n.Comment) -> str:
        return ""

    def visit_stray(self, node: n.Stray) -> str:
        return escape(node.text) if node.literal else ""

    def visit_bold(self, node: n.Bold) -> str:
        inner = self.phrasing(self.children(node))
        return f"<strong>{inner}</strong>" if _visible(inner) else inner

    def visit_italic(self, node: n.Italic) -> str:
        inner = self.phrasing(self.children(node))
        return f"<em>{inner}</em>" if _visible(inner) else inner

    def _macro(self, node: n.Macro) -> str:
        return f'<span class="{node.kind}">{self.phrasing(self.children(node))}</span>'

    visit_button = visit_menu = visit_filepath = visit_pref = _macro

    def visit_key(self, node: n.Key) -> str:
        keys = []
        for part in self.key_parts(node):
            token = self.tags.enter()
            inner = "".join(escape(x) if isinstance(x, str) else self.visit(x) for x in part)
            inner += "".join(f"</{name}>" for name in self.tags.leave(token))
            keys.append(f'<span class="key">{inner}</span>')
        return " + ".join(keys)

    def label(self, node: n.Node) -> str:
        """A link's label; a link inside it shows only its own label (no
        ``<a>`` in ``<a>``)."""
        self.no_links += 1
        try:
            return self.phrasing(self.children(node)) if node.children else ""
        finally:
            self.no_links -= 1

    def visit_link(self, node: n.Link) -> str:
        target = self.link_target(node)
        label = self.label(node)
        if not _visible(label):
            label = escape(target.title)
        if self.no_links:
            return label
        css = ' class="external-article"' if target.kind == "external-article" else ""
        return f'<a href="{_attr(target.url)}"{css}>{label}</a>'

    def visit_site_link(self, node: n.SiteLink) -> str:
        url = self.site_url(node)
        label = self.label(node)
        if not _visible(label):
            label = escape(node.path)
        if url is None or self.no_links:
            return label
        return f'<a href="{_attr(url)}" class="external-article">{label}</a>'

    def visit_external_link(self, node: n.ExternalLink) -> str:
        url = self.external_url(node)
        label = self.label(node)
        if not _visible(label):
            label = escape(node.url)
        if url is None or self.no_links:
            return label
        return f'<a href="{_attr(url)}" rel="noopener" class="external">{label}</a>'

    def visit_image(self, node: n.Image) -> str:
        return self.image(node, block=False)

    def image(self, node: n.Image, block: bool) -> str:
        ref = self.image_ref(node)
        if ref.src is None:
            return (f'<span class="image-missing" title="Missing image">'
                    f"[Image: {escape(ref.alt)}]</span>")
        img = self.img_tag(ref)
        if ref.link and not self.no_links:
            img = f'<a href="{_attr(ref.link)}">{img}</a>'
        if block and ref.figure:
            classes = " ".join(["image"] + ([f"align-{ref.align}"] if ref.align else []))
            caption = f"<figcaption>{escape(ref.caption)}</figcaption>" if ref.caption else ""
            return f'<figure class="{classes}">{img}{caption}</figure>'
        return img

    def img_tag(self, ref: ImageRef) -> str:
        classes = []
        if not ref.figure:
            classes.append("frameless")
        if ref.valign:
            classes.append(f"valign-{ref.valign}")
        attrs = [f'src="{_attr(ref.src)}"', f'alt="{escape(ref.alt)}"']
        attrs += [f'{k}="{v}"' for k, v in (("width", ref.width), ("height", ref.height)) if v]
        if classes:
            attrs.append(f'class="{" ".join(classes)}"')
        attrs.append('loading="lazy"')
        return f"<img {' '.join(attrs)}>"

    def visit_video(self, node: n.Video) -> str:
        """A YouTube video: a poster linking to its player, which the site's
        script swaps in when clicked (or, with ``embeds: true``, the player);
        an uploaded one: a ``<video>`` that loads nothing until played."""
        ref = self.video_ref(node)
        if ref.missing:
            return f'<span class="error">{escape(ref.missing)}</span>'
        if ref.embed and self.config.embeds:
            return (f'<div class="video"><iframe src="{_attr(ref.embed)}" title="Video" loading="lazy" '
                    f'allowfullscreen></iframe></div>\n')
        if ref.embed:
            return (f'<div class="video"><a class="video-poster" href="{_attr(ref.embed)}">'
                    f"{ref.label}</a></div>\n")
        poster = f' poster="{_attr(ref.poster)}"' if ref.poster else ""
        sources = "".join(f'<source src="{_attr(src)}" type="{kind}">' for src, kind in ref.sources)
        return (f'<div class="video"><video controls preload="none"{poster}>{sources}'
                f'<a href="{_attr(ref.url)}">{ref.label}</a></video></div>\n')

    block_video = visit_video

    def visit_ui(self, node: n.UIComponent) -> str:
        message = self.ui_message(node)
        if message is None:
            return ""
        css = "ui-component" if node.name.strip().lower() == "device_migration_wizard" else "error"
        return f'<span class="{css}">{escape(message)}</span>'

    def visit_details(self, node: n.Details) -> str:
        """Kitsune's ``<section class="mzp-c-details">``, whose headings a
        script makes collapsible, as HTML that collapses by itself."""
        intro, parts = self.details_parts(node)
        out = ['<section class="details">', self.blocks(intro)]
        for heading, body in parts:
            out.append(f"<details><summary>{self.block(heading).strip()}</summary>\n{self.blocks(body)}</details>\n")
        return "".join(out) + "</section>\n"

    def visit_html(self, node: n.HtmlTag) -> str:
        """A raw tag: safelisted ones rebuilt and balanced, others as text.
        A raw ``<p>`` only separates paragraphs (ours are written around
        the text). A picture from another site is a link to it unless
        ``kb.yaml`` allows embeds: showing it would tell that site who
        reads the page."""
        if node.name not in RAW_TAGS:
            return escape(node.text)
        if node.name == "p":
            return ""
        if node.closing:
            return "".join(f"</{name}>" for name in self.tags.closing(node.name))
        if node.name in FETCHED_AT_LOAD and not self.config.embeds:
            attrs = dict(raw_attributes(node.name, node.attrs, self.live_site))
            if "src" not in attrs:
                return ""
            label = f"[Image: {attrs['alt']}]" if attrs.get("alt") else "[Image]"
            return f'<a href="{_attr(attrs["src"])}" rel="noopener" class="external">{escape(label)}</a>'
        rebuilt = raw_tag_html(node.name, False, node.attrs, self.live_site)
        if rebuilt:
            self.tags.opening(node.name)
        return rebuilt


def toc_html(entries: list[tuple[int, TocEntry]]) -> str:
    """``<div id="toc">`` with the entries nested by depth. An entry of a
    heading inside ``{for}`` is wrapped in the same ``span.for``, as
    showfor.js ``wrapTOCs`` does."""
    if not entries:
        return ""
    out = ['<div id="toc"><h2>Table of Contents</h2>\n<ul>']
    depth = 0
    for i, (new_depth, entry) in enumerate(entries):
        if i and new_depth > depth:
            out.append("\n<ul>" * (new_depth - depth))
        elif i:
            out.append("</li>\n" + "</ul>\n</li>\n" * (depth - new_depth))
        depth = new_depth
        item = f'<a href="#{_attr(entry.id)}">{entry.label or escape(entry.text)}</a>'
        for pred in reversed(entry.fors):
            item = f"<span{_for_attrs(pred)}>{item}</span>"
        out.append("<li>" + item)
    out.append("</li>\n" + "</ul>\n</li>\n" * depth + "</ul>\n</div>")
    return "".join(out)


@dataclass
class HtmlFragments:
    """A rendered article in parts, for page templates: the body, the table
    of contents (even when the article has no ``__TOC__``), the headings,
    and the diagnostics of the render."""

    body: str
    toc: str
    headings: list[TocEntry] = field(default_factory=list)
    diagnostics: list = field(default_factory=list)


def render_html(doc, context=None, *, config=None, env: RenderEnv | None = None, toc: bool = True) -> str:
    """The article body as safe HTML, for ``context`` (None: all variants)."""
    return HtmlRenderer(context, config=config, env=env, toc=toc).render(as_document(doc))


def render_html_fragments(doc, context=None, *, config=None, env: RenderEnv | None = None,
                          toc: bool = True) -> HtmlFragments:
    renderer = HtmlRenderer(context, config=config, env=env, toc=toc)
    body = renderer.render(as_document(doc))
    return HtmlFragments(body, sanitize_html(renderer.toc_html()), list(renderer.headings),
                         list(renderer.env.diagnostics))
