"""What a render needs beyond the tree: the content library, the URLs the
site uses, the diagnostics it collects, and template/include expansion.

Expansion follows Kitsune (``kitsune/wiki/parser.py``): ``[[T:Name|a|k=v|b]]``
numbers its arguments 1=a, k=v, 2=b; ``{{{1}}}``, ``{{{k}}}`` in the
template's body are replaced (a parameter nobody passed is replaced by
nothing); the result is parsed. A template whose body (trailing space
removed) has no newline is *inline*: its single paragraph is unwrapped where
it is used. ``[[I:Title]]`` includes another article's body. Parsed
expansions are cached by (template, arguments), so a template used fifty
times is parsed once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from kb.content.articles import Article, slugify
from kb.content.library import Library, title_key
from kb.markup import nodes as n
from kb.markup import parse
from kb.markup.diagnostics import ERROR, WARNING, Diagnostic

_PARAMETER = re.compile(r"\{\{\{([^{]+?)\}\}\}")  # Kitsune's TEMPLATE_ARG_REGEX


@dataclass(frozen=True)
class Expansion:
    """A template or include, parsed: ``key`` identifies it on the recursion
    stack, ``inline`` says its single paragraph is unwrapped where used."""

    key: str
    doc: n.Document
    inline: bool
    source: Path | None


@dataclass
class RenderEnv:
    library: Library | None = None
    config: object | None = None
    #: How the site links to an article page (default: ``slug + ".html"``).
    link_url: Callable[[Article], str] | None = None
    #: How the site refers to an image file (default: ``images/<file name>``).
    image_url: Callable[[str, Path], str] | None = None
    diagnostics: list = field(default_factory=list)
    _expansions: dict = field(default_factory=dict, init=False, repr=False)
    _reported: set = field(default_factory=set, init=False, repr=False)
    _muted: bool = field(default=False, init=False, repr=False)

    # -- URLs -----------------------------------------------------------------------

    def get_config(self):
        if self.config is None:
            from kb.conditions.config import Config

            self.config = Config.default()
        return self.config

    def article_url(self, article: Article) -> str:
        return self.link_url(article) if self.link_url else f"{article.slug}.html"

    def live_site_url(self, title: str) -> str:
        """Where the live site keeps an article this content does not have."""
        base = str(getattr(self.get_config(), "live_site", "") or "")
        if base and not base.endswith("/"):
            base += "/"
        return base + slugify(title)

    def image_src(self, name: str, path: Path) -> str:
        return self.image_url(name, path) if self.image_url else f"images/{quote(path.name)}"

    def find_image(self, name: str) -> Path | None:
        return self.library.image_path(name) if self.library is not None else None

    def find_article(self, title: str) -> Article | None:
        return self.library.article_by_title(title) if self.library is not None else None

    # -- diagnostics ------------------------------------------------------------------

    def report(self, code: str, message: str, node: n.Node, severity: str = WARNING,
               file: Path | str | None = None) -> None:
        """Record a diagnostic once, however often the node is rendered."""
        if self._muted:
            return
        key = (code, message, node.line, node.col, str(file) if file else None)
        if key in self._reported:
            return
        self._reported.add(key)
        self.diagnostics.append(Diagnostic(code, severity, message, node.line, node.col,
                                           node.start, node.end, str(file) if file else None))

    # -- expansion ----------------------------------------------------------------------

    def expand(self, node: n.Template | n.Include, stack=(), file=None) -> n.Document | str:
        """The parsed expansion of ``node``, or the message to show instead
        (missing, or already being expanded further up ``stack``, a sequence
        of :attr:`Expansion.key` s)."""
        found = self.expansion(node, stack, file)
        return found if isinstance(found, str) else found.doc

    def expansion(self, node: n.Template | n.Include, stack=(), file=None,
                  report: bool = True) -> Expansion | str:
        """:meth:`expand`, with what renderers also need: whether it is
        inline, its recursion key and its source file."""
        muted = self._muted
        self._muted = muted or not report
        try:
            if isinstance(node, n.Template):
                return self._expand_template(node, stack, file)
            return self._expand_include(node, stack, file)
        finally:
            self._muted = muted

    def expander(self) -> Callable[[n.Node], n.Document | None]:
        """``node → parsed expansion`` (None when missing) for tree walks such
        as :func:`kb.conditions.variants.variants`. The same template with
        the same arguments always gives the same Document object, so a walk
        can stop recursion by identity. Reports nothing."""

        def expand(node: n.Node) -> n.Document | None:
            if not isinstance(node, (n.Template, n.Include)):
                return None
            found = self.expansion(node, report=False)
            return None if isinstance(found, str) else found.doc

        return expand

    def _expand_template(self, node: n.Template, stack, file) -> Expansion | str:
        name = node.name
        template = self.library.template(name) if self.library is not None else None
        if template is None:
            self.report("missing-template", f'The template "{name}" does not exist; add '
                        f'content/templates/{name}.wiki with title: "Template:{name}"', node, WARNING, file)
            return f'The template "{name}" does not exist.'
        key = "template:" + title_key(name)
        if key in stack:
            return self._recursion(node, f"Template:{name}", file)
        cache_key = (key, tuple(node.args))
        found = self._expansions.get(cache_key)
        if found is None:
            body = template.body.rstrip()
            params = node.params
            text = _PARAMETER.sub(lambda m: params.get(m.group(1), ""), body)
            doc = parse(text, first_line=template.body_line)
            found = Expansion(key, doc, "\n" not in body and _single_paragraph(doc), template.path)
            self._expansions[cache_key] = found
        return found

    def _expand_include(self, node: n.Include, stack, file) -> Expansion | str:
        title = node.name
        article = self.find_article(title)
        if article is None and self.library is not None:
            article = self.library.template(title) if title.casefold().startswith("template:") else None
        if article is None:
            self.report("missing-include", f'The document "{title}" does not exist; '
                        f"check the title or add the article to content/", node, WARNING, file)
            return f'The document "{title}" does not exist.'
        key = "article:" + title_key(article.title)
        if key in stack:
            return self._recursion(node, title, file)
        cache_key = (key, ())
        found = self._expansions.get(cache_key)
        if found is None:
            found = Expansion(key, article.doc, False, article.path)
            self._expansions[cache_key] = found
        return found

    def _recursion(self, node: n.Node, name: str, file) -> str:
        self.report("recursive-template", f'"{name}" includes itself (directly or through '
                    f"other templates); remove the inclusion", node, ERROR, file)
        return f'Recursive inclusion of "{name}"'

    def key_of(self, doc: n.Document) -> str | None:
        """The recursion key of the article or template whose body is ``doc``
        (so an article including itself is caught at the first level)."""
        if self.library is None:
            return None
        owner = self.library.owner_of(doc)
        if owner is None:
            return None
        if owner in self.library.templates:
            from kb.content.library import template_name

            return "template:" + title_key(template_name(owner))
        return "article:" + title_key(owner.title)


def _single_paragraph(doc: n.Document) -> bool:
    """Whether the document is (at most) one paragraph: only then can its
    content be unwrapped into the line that uses it."""
    blocks = [c for c in doc.children if not isinstance(c, n.BlankLine)]
    return len(blocks) <= 1 and all(isinstance(c, n.Paragraph) for c in blocks)



