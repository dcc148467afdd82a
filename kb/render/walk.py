"""The walk the three renderers share: what the reader sees, in what shape.

A renderer subclasses :class:`Renderer` and writes one ``visit_<kind>``
method per node kind (the dispatch table is built once per class). This
module owns everything that must come out the same in HTML, text and
Markdown:

- **visibility**: :meth:`Renderer.children` drops hidden ``{for}`` s and
  unwraps shown ones for a reader; with no reader the ``For`` nodes stay
  and each renderer marks them.
- **flow**: inline content may hold things that render as blocks (a
  ``{note}`` in a paragraph, a multi-line template, an include). :meth:`flow`
  cuts a node list into inline runs and such blocks, so no renderer ever
  puts a box inside a paragraph.
- **expansion**: templates and includes via :class:`RenderEnv`, with a
  recursion stack, a depth bound and a budget (a template used twice in a
  template used twice… cannot blow up).
- **headings**: ids as Kitsune makes them (:mod:`kb.markup.anchors`), and
  the table of contents of the headings actually rendered — so it lists
  only what the reader sees. ``__TOC__`` renders as
  :data:`TOC_MARK`, replaced once the whole document is done.
- **keys, links, images**: how a ``{key}`` label splits, where a link goes,
  what an image's parameters mean.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from kb.conditions.resolve import Visibility, visible_children
from kb.markup import nodes as n
from kb.markup.anchors import escape_id
from kb.markup.diagnostics import INFO, WARNING
from kb.markup.syntax import IMAGE_PARAMETERS
from kb.render.context import Expansion, RenderEnv
from kb.render.media import VideoRef, video_ref
from kb.render.safety import RAW_BLOCK_TAGS, decode_entities, has_scheme, safe_url

#: Stands where ``__TOC__`` was until the document is finished. It holds a
#: NUL, which content text can never carry (safety.clean_text removes it).
TOC_MARK = "\x00toc\x00"
#: A line break the walker inserts when it flattens blocks into one line.
LINE_BREAK = n.HtmlTag("<br>", "br", False, False, "")

MAX_EXPANSION_DEPTH = 40
MAX_EXPANSIONS = 2000
#: Deepest nesting of nodes a render follows, templates and includes
#: included (real articles stay below 15); deeper content shows as text.
MAX_NESTING = 48

IMAGE_PARAMS = IMAGE_PARAMETERS
ALIGNS = ("none", "left", "center", "right")
VALIGNS = ("baseline", "sub", "super", "top", "text-top", "middle", "bottom", "text-bottom")


@dataclass
class TocEntry:
    """A heading as rendered: level, id, plain text, the predicates of the
    ``{for}`` s around it (all-variants view), and the renderer's label."""

    level: int
    id: str
    text: str
    fors: tuple[str, ...] = ()
    label: str = ""


@dataclass(frozen=True)
class LinkTarget:
    url: str
    kind: str  # "internal", "external-article" (live site) or "anchor"
    title: str  # what the link shows when it has no label


@dataclass
class ImageRef:
    name: str
    path: Path | None
    src: str | None
    alt: str
    width: str | None = None
    height: str | None = None
    align: str | None = None
    valign: str | None = None
    frame: bool = False
    frameless: bool = False
    caption: str | None = None
    link: str | None = None

    @property
    def figure(self) -> bool:
        """Shown as a figure with its caption (a block), as Kitsune frames
        an image: when aligned, or framed without a vertical alignment."""
        return self.src is not None and (bool(self.align) or (self.frame and not self.valign))


def for_attribute(predicate: str) -> str:
    """The predicate as Kitsune's ``_wiki_to_tag`` writes it in ``data-for``."""
    return ",".join(term.strip() for term in predicate.split(","))


def as_document(doc) -> n.Document:
    """What the render functions accept: a parsed document, an article (its
    body is rendered) or wiki text."""
    if isinstance(doc, str):
        from kb.markup import parse

        return parse(doc)
    return getattr(doc, "doc", doc)


def toc_depths(levels: list[int]) -> list[int]:
    """Nesting depth of each TOC entry, as MediaWiki nests them: a deeper
    heading goes one level in (whatever the jump), a shallower one back out
    to the innermost list whose parent is shallower than it."""
    open_levels: list[int] = []
    depths: list[int] = []
    for level in levels:
        if open_levels and level > open_levels[-1]:
            open_levels.append(level)
        elif open_levels:
            while len(open_levels) > 1 and open_levels[-2] >= level:
                open_levels.pop()
            open_levels[-1] = level
        else:
            open_levels.append(level)
        depths.append(len(open_levels) - 1)
    return depths


def _blank(node: n.Node) -> bool:
    kind = node.kind
    if kind == "text":
        return not node.text.strip()
    if kind == "stray":
        return not node.literal or not node.text.strip()
    return kind in ("comment", "newline", "blank")


class Renderer:
    """Base of the renderers. Subclasses define one ``visit_<kind>`` method
    per node kind (how the node renders where it stands, inline or as a
    block) and, where a node that stands inline renders differently at block
    level (a ``{note}`` as a box, an image as a figure), a ``block_<kind>``
    method; plus :meth:`render_document` and :meth:`finish`. Both tables are
    built once per class: dispatch is one dictionary look-up."""

    _visitors: dict = {}
    _block_visitors: dict = {}

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls._visitors = {kind: getattr(cls, f"visit_{kind}", cls.visit_unknown) for kind in n.NODE_TYPES}
        cls._block_visitors = {kind: getattr(cls, f"block_{kind}", visit) for kind, visit in cls._visitors.items()}

    @classmethod
    def missing_kinds(cls) -> list[str]:
        """Node kinds this renderer has no ``visit_<kind>`` method for."""
        return [kind for kind, visit in cls._visitors.items() if visit is Renderer.visit_unknown]

    def __init__(self, context=None, *, config=None, env: RenderEnv | None = None) -> None:
        self.env = env if env is not None else RenderEnv(config=config)
        if config is None:
            config = self.env.get_config()
        elif self.env.config is None:
            self.env.config = config
        self.config = config
        self.context = context
        self.visibility = Visibility(context, config)
        self.stack: list[str] = []  # recursion keys of the expansions being rendered
        self.files: list[Path | None] = [None]  # where the nodes being rendered come from
        self.fors: list[str] = []  # predicates of the {for}s being rendered (all variants)
        self.headings: list[TocEntry] = []
        self.visits = 0  # work done, for tests of linear time
        self.depth = 0  # nodes being rendered, one inside the other
        self._ids: set[str] = set()
        self._blockish: dict[int, bool] = {}
        self._expansions = 0

    # -- entry points ---------------------------------------------------------------

    @property
    def all_variants(self) -> bool:
        return self.visibility.all_variants

    def render(self, doc: n.Document) -> str:
        key = self.env.key_of(doc)
        if key:
            self.stack.append(key)
        return self.finish(self.render_document(doc))

    def render_document(self, doc: n.Document):
        raise NotImplementedError

    def finish(self, output):
        raise NotImplementedError

    # Each level of nodes (templates included) costs a few Python frames: past
    # MAX_NESTING the rest shows as its text, so every walk stays far inside
    # Python's default recursion limit. (visit and block are written out, not
    # shared through a helper: a helper would be one more frame a level.)

    def visit(self, node: n.Node):
        """``node`` rendered where it stands."""
        self.visits += 1
        if self.depth >= MAX_NESTING and node.children:
            return self.too_deep(node, False)
        self.depth += 1
        try:
            return self._visitors[node.kind](self, node)
        finally:
            self.depth -= 1

    def block(self, node: n.Node):
        """``node`` rendered at block level (``block_<kind>``, else ``visit_<kind>``)."""
        self.visits += 1
        if self.depth >= MAX_NESTING and node.children:
            return self.too_deep(node, True)
        self.depth += 1
        try:
            return self._block_visitors[node.kind](self, node)
        finally:
            self.depth -= 1

    def too_deep(self, node: n.Node, block: bool):
        """A node nested past :data:`MAX_NESTING`: its visible text, as a
        block or inline (each renderer says how text is written)."""
        raise NotImplementedError

    def visit_unknown(self, node: n.Node):
        raise NotImplementedError(f"{type(self).__name__} cannot render {node.kind!r}")

    # -- visibility and flow ----------------------------------------------------------

    def children(self, node: n.Node) -> list[n.Node]:
        """The children the reader sees (``For`` nodes kept when no reader)."""
        return visible_children(node, self.visibility) if node.children else []

    def is_blockish(self, node: n.Node) -> bool:
        """Whether ``node`` renders as a block even where it stands inline."""
        if node.is_block:
            return True
        if self.depth >= MAX_NESTING:
            return False
        self.depth += 1
        try:
            return self._blockish_inline(node)
        finally:
            self.depth -= 1

    def _blockish_inline(self, node: n.Node) -> bool:
        kind = node.kind
        if kind in ("note", "warning", "include"):
            return True
        if kind == "image":
            return self.image_ref(node, report=False).figure
        if kind == "video":
            return not self.video_ref(node, report=False).missing
        if kind == "html":
            return node.name in RAW_BLOCK_TAGS
        if kind == "template":
            found = self.expand(node, count=False)
            if isinstance(found, str):
                return False
            if not found.inline:
                return True
            memo_key = (id(found.doc), tuple(self.stack))
            hit = self._blockish.get(memo_key)
            if hit is None:
                with self.inside(found):
                    hit = any(self.is_blockish(c) for c in self.expansion_nodes(found))
                self._blockish[memo_key] = hit
            return hit
        if kind == "for":
            hit = self._blockish.get(id(node))
            if hit is None:
                hit = self._blockish[id(node)] = any(self.is_blockish(c) for c in node.children)
            return hit
        return False

    def flow(self, nodes: list[n.Node]) -> list[tuple[str, object]]:
        """``nodes`` cut into ``("inline", [nodes])`` runs and ``("block",
        node)`` items, in order. Runs that show nothing are dropped."""
        segments: list[tuple[str, object]] = []
        run: list[n.Node] = []
        for node in nodes:
            if self.is_blockish(node):
                if run and not all(_blank(x) for x in run):
                    segments.append(("inline", run))
                run = []
                if node.kind != "blank":
                    segments.append(("block", node))
            else:
                run.append(node)
        if run and not all(_blank(x) for x in run):
            segments.append(("inline", run))
        return segments

    def inline_from_blocks(self, nodes: list[n.Node]) -> list[n.Node]:
        """Blocks flattened into one line of inline nodes (for a block
        template used inside a heading or a label): line breaks between."""
        out: list[n.Node] = []
        stack = list(reversed(nodes))
        while stack:
            node = stack.pop()
            kind = node.kind
            if kind in ("blank", "newline", "rule", "toc"):
                continue
            if kind in ("preformatted", "pre"):
                node = n.Text(node.content, node.start, node.line, node.col)
            elif node.is_block or (kind == "for" and self.is_blockish(node)):
                if out and out[-1] is not LINE_BREAK:
                    out.append(LINE_BREAK)
                stack.extend(reversed(self.children(node)))
                continue
            out.append(node)
        while out and out[-1] is LINE_BREAK:
            out.pop()
        return out

    # -- expansion ------------------------------------------------------------------------

    @property
    def file(self) -> Path | None:
        return self.files[-1]

    def expand(self, node: n.Node, count: bool = True) -> Expansion | str:
        """The expansion of a template/include node, or the message to show."""
        if len(self.stack) > MAX_EXPANSION_DEPTH:
            return f'Templates nested too deeply at "{node.name}"'
        if count:
            self._expansions += 1
            if self._expansions > MAX_EXPANSIONS:
                return f'Too many template expansions at "{node.name}"'
        return self.env.expansion(node, self.stack, self.file)

    @contextmanager
    def inside(self, expansion: Expansion):
        self.stack.append(expansion.key)
        self.files.append(expansion.source)
        try:
            yield
        finally:
            self.stack.pop()
            self.files.pop()

    @contextmanager
    def within_for(self, node: n.For):
        """Remember the ``{for}`` around what is rendered (for TOC entries)."""
        self.fors.append(node.predicate_text)
        try:
            yield
        finally:
            self.fors.pop()

    def expansion_nodes(self, expansion: Expansion) -> list[n.Node]:
        """What an expansion contributes where it is used: the content of its
        paragraph (inline templates) or its blocks."""
        doc = expansion.doc
        if expansion.inline:
            para = next((c for c in doc.children if c.kind == "paragraph"), None)
            return self.children(para) if para is not None else []
        return self.children(doc)

    # -- headings ---------------------------------------------------------------------------

    def heading_entry(self, node: n.Heading) -> TocEntry:
        """Register a rendered heading: its unique id, and a TOC entry."""
        text = " ".join(self.plain_text(self.children(node)).split())
        # The article's own headings have distinct ids already; one from a
        # template or include may repeat an id of the page: number it on.
        base = node.anchor or "w_" + escape_id(text)
        hid, count = base, 1
        while hid in self._ids:
            count += 1
            hid = f"{base}_{count}"
        self._ids.add(hid)
        entry = TocEntry(node.level, hid, text, tuple(self.fors))
        self.headings.append(entry)
        return entry

    def plain_text(self, nodes: list[n.Node]) -> str:
        """The visible text of inline nodes, markup removed."""
        out: list[str] = []
        stack = list(reversed(nodes))
        while stack:
            node = stack.pop()
            kind = node.kind
            if kind == "text":
                out.append(decode_entities(node.text))
            elif kind == "nowiki":
                out.append(decode_entities(node.content))
            elif kind == "stray" and node.literal:
                out.append(node.text)
            elif kind == "link" and not node.children:
                out.append(self.link_target(node, report=False).title)
            elif kind == "html" and node.name == "br":
                out.append(" ")
            elif kind == "template":
                found = self.expand(node, count=False)
                if not isinstance(found, str) and found.inline:
                    with self.inside(found):
                        out.append(self.plain_text(self.expansion_nodes(found)))
            elif node.children:
                stack.extend(reversed(self.children(node)))
        return "".join(out)

    def toc_entries(self) -> list[tuple[int, TocEntry]]:
        """The rendered headings with their TOC depth (0 = outermost)."""
        return list(zip(toc_depths([e.level for e in self.headings]), self.headings))

    # -- tables ---------------------------------------------------------------------------

    def table_layout(self, node: n.Table) -> tuple[list[n.Node], list[list[n.Node]], list[n.Node]]:
        """(caption cells, rows of cells, blocks written between rows). Text
        between a table's rows is shown before the table, as browsers show
        it (MediaWiki's "foster parenting"), never dropped."""
        captions: list[n.Node] = []
        rows: list[list[n.Node]] = []
        outside: list[n.Node] = []
        for row in self.children(node):
            if row.kind != "table_row":
                outside.append(row)
                continue
            cells: list[n.Node] = []
            for cell in self.children(row):
                if cell.kind != "table_cell":
                    outside.append(cell)
                elif cell.caption:
                    captions.append(cell)
                else:
                    cells.append(cell)
            if cells:
                rows.append(cells)
        return captions, rows, outside

    # -- keys -------------------------------------------------------------------------------

    def key_parts(self, node: n.Key) -> list[list]:
        """The keys of a ``{key}`` label as the reader sees it: each key a
        list of strings (text) and nodes. ``Ctrl+Shift+Q`` → 3 keys, ``+``
        and ``Ctrl++`` keep the plus key."""
        parts: list[list] = [[]]
        for child in self.children(node):
            if child.kind == "text":
                pieces = child.text.split("+")
                parts[-1].append(pieces[0])
                parts.extend([piece] for piece in pieces[1:])
            elif not _blank(child):
                parts[-1].append(child)
        for part in parts:
            if part and isinstance(part[0], str):
                part[0] = part[0].lstrip()
            if part and isinstance(part[-1], str):
                part[-1] = part[-1].rstrip()
        out: list[list] = []
        i = 0
        while i < len(parts):
            empty = not any(x if isinstance(x, str) else True for x in parts[i])
            if empty and i + 1 < len(parts) and not any(x if isinstance(x, str) else True for x in parts[i + 1]):
                out.append(["+"])
                i += 2
                continue
            if not empty:
                out.append(parts[i])
            i += 1
        return out

    # -- links and images -------------------------------------------------------------------------

    def link_target(self, node: n.Link, report: bool = True) -> LinkTarget:
        """Where ``[[Title#Section|…]]`` goes: the article's page when the
        library has it, else the live site (with an info diagnostic)."""
        title, anchor = node.target, node.anchor
        fragment = "#" + anchor.replace(" ", "_") if anchor else ""
        if not title:  # [[#w_some-heading]]: show "some heading"
            shown = anchor[2:] if anchor.startswith("w_") else anchor
            return LinkTarget(fragment, "anchor", " ".join(re.split(r"[-_\s]+", shown)).strip() or anchor)
        article = self.env.find_article(title)
        if article is not None:
            return LinkTarget(self.article_url(article) + fragment, "internal", article.title)
        if report:
            self.env.report("external-article-link", f'"{title}" is not in this content; the link '
                            f"goes to the live site", node, INFO, self.file)
        return LinkTarget(self.env.live_site_url(title) + fragment, "external-article", title)

    def article_url(self, article) -> str:
        return self.env.article_url(article)

    def external_url(self, node: n.ExternalLink) -> str | None:
        return safe_url(node.url)

    @property
    def live_site(self) -> str:
        return str(getattr(self.config, "live_site", "") or "")

    def site_url(self, node: n.SiteLink) -> str | None:
        """Where ``[/path label]`` goes: that path on the live site."""
        return safe_url(urljoin(self.live_site, node.path))

    def image_ref(self, node: n.Image, report: bool = True) -> ImageRef:
        """An image's file and parameters, read as Kitsune's
        ``build_hook_params`` and image template do (docs/kitsune.md):
        ``key=value`` parameters and bare flags; the caption is the last
        bare argument that is no parameter, else the image's name; the alt
        text is ``alt=`` when given (even empty), else the caption; ``page=``
        links to an article and wins over ``link=``."""
        params: dict[str, str] = {}
        flags: set[str] = set()
        caption = None
        for arg in node.args:
            item = arg.strip()
            key, eq, value = item.partition("=")
            key = key.strip().lower()
            if eq and key in IMAGE_PARAMS:
                params[key] = value.strip()
            elif not eq and item.lower() in IMAGE_PARAMS + ("thumb", "thumbnail"):
                flags.add(item.lower())
                caption = None if item.lower() != "caption" else item
            elif not eq and item:
                caption = item
        name = node.name
        caption = params.get("caption") or caption or (name if node.args else None)
        path = self.env.find_image(name)
        if path is None and report:
            self.env.report("missing-image", f'The image "{name}" is not in content/images/; '
                            f"add it there (png, jpg, gif, svg or webp)", node, WARNING, self.file)
        src = self.env.image_src(name, path) if path is not None else None
        return ImageRef(
            name=name, path=path, src=src,
            alt=params["alt"] if "alt" in params else caption or name,
            width=_pixels(params.get("width")), height=_pixels(params.get("height")),
            align=params.get("align", "").lower() if params.get("align", "").lower() in ALIGNS else None,
            valign=params.get("valign", "").lower() if params.get("valign", "").lower() in VALIGNS else None,
            frame=bool(flags & {"frame", "thumb", "thumbnail"}),
            frameless="frameless" in flags,
            caption=caption,
            link=(self._image_link(params["page"], page=True) if params.get("page", "").strip()
                  else self._image_link(params.get("link", ""))),
        )

    # -- UI components ----------------------------------------------------------------------

    def ui_message(self, node: n.UIComponent) -> str | None:
        """What stands in place of ``[[UI:name]]``: None for a details marker
        (the section is a :class:`~kb.markup.nodes.Details` when the marker is
        alone on its line; elsewhere it marks nothing), a note for Kitsune's
        interactive wizard, "does not exist" for any other name."""
        name = node.name.strip().lower()
        if name in ("details_start", "details_end"):
            return None
        if name == "device_migration_wizard":
            return "This step has an interactive guide on Mozilla's support site."
        return f'The UI component "{node.name}" does not exist.'

    def details_parts(self, node: n.Details) -> tuple[list[n.Node], list[tuple[n.Heading, list[n.Node]]]]:
        """A details section's blocks: those before its first heading, then
        each heading of that heading's level (or higher) with what follows it
        up to the next such heading."""
        intro: list[n.Node] = []
        parts: list[tuple[n.Heading, list[n.Node]]] = []
        level = None
        for child in self.children(node):
            if child.kind == "heading" and (level is None or child.level <= level):
                level = child.level if level is None else level
                parts.append((child, []))
            elif parts:
                parts[-1][1].append(child)
            else:
                intro.append(child)
        return intro, parts

    def video_ref(self, node: n.Video, report: bool = True) -> VideoRef:
        """What a ``[[V:…]]`` plays (:mod:`kb.render.media`)."""
        ref = video_ref(node.name, self.env.find_video(node.name), self.env.video_src)
        if ref.missing and report:
            self.env.report("missing-video", f'The video "{node.name}" is neither a YouTube URL nor in '
                            f"content/videos/; add its files (.webm, .mp4, .ogv) there", node, WARNING, self.file)
        return ref

    def _image_link(self, value: str, page: bool = False) -> str | None:
        """Where an image links: ``page=`` names an article (its page here,
        or on the live site); ``link=`` an http(s) URL or an article title.
        Any other scheme (``javascript:``…) gives no link."""
        value = value.strip()
        if not value:
            return None
        if has_scheme(value):
            return None if page else safe_url(value, frozenset({"http", "https"}))
        title = decode_entities(value)
        article = self.env.find_article(title)
        return self.article_url(article) if article is not None else self.env.live_site_url(title)


def _pixels(value: str | None) -> str | None:
    if not value:
        return None
    m = re.fullmatch(r"\s*(\d{1,5})\s*(?:px)?\s*", value)
    return m.group(1) if m else None


class LineRenderer(Renderer):
    """A renderer whose output is a list of lines (text and Markdown): the
    table of contents is placed where ``__TOC__`` stood once the whole
    document is known, and trailing blank lines go."""

    #: Whether trailing spaces are stripped from every line.
    strip_lines = False

    def render_document(self, doc: n.Document) -> list[str]:
        return self.blocks(self.children(doc))

    def blocks(self, nodes: list[n.Node]) -> list[str]:
        """Blocks (a paragraph's inline run, or one block node) separated by
        one empty line."""
        out: list[str] = []
        for lines in self.segment_lines(self.flow(nodes)):
            if not lines:
                continue
            if out:
                out.append("")
            out.extend(lines)
        return out

    def segment_lines(self, segments):
        """The lines of each segment of :meth:`flow`, in order."""
        for kind, item in segments:
            yield self.paragraph(item) if kind == "inline" else self.block(item)

    def paragraph(self, nodes: list[n.Node]) -> list[str]:
        raise NotImplementedError

    def toc_lines(self) -> list[str]:
        raise NotImplementedError

    def join_lines(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        toc_done = False
        for line in lines:
            if TOC_MARK in line:
                if not toc_done:
                    prefix = line[:line.index(TOC_MARK)]
                    out.extend((prefix + t).rstrip() for t in self.toc_lines())
                    toc_done = True
                continue
            out.append(line.rstrip() if self.strip_lines else line)
        while out and not out[-1]:
            out.pop()
        return out
