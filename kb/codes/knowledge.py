"""The knowledge base: a project's codes, looked up and tailored.

``Project.load(root).knowledge`` is a project's knowledge base;
``lookup(query, context)`` finds a code and returns its tailored article for
that reader, in every output format. Articles are parsed only when a code
needs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from kb.codes import lookup as lookup_rules
from kb.codes.extract import Extraction, extract
from kb.codes.pages import CodePage, own_sections, shared_sections
from kb.codes.registry import CodeEntry
from kb.conditions.config import Config
from kb.conditions.context import Context
from kb.conditions.variants import Variant, variant_for


def host_platform(config: Config, product: str) -> str | None:
    """The platform of the machine kb runs on, when the product offers it:
    a reader at a terminal most likely asks about their own system."""
    import sys

    guess = "win10" if sys.platform.startswith("win") else "mac" if sys.platform == "darwin" else "linux"
    offered = config.product(product).platforms if config.product(product) else ()
    return guess if guess in offered else (offered[0] if offered else None)


def code_page_path(code: str, variant: Variant | None = None) -> str:
    """Where a code's page (or one variant's static page) lives in the site."""
    if variant is None:
        return f"codes/{code}.html"
    return f"codes/{code}/{variant.slug}.html"


@dataclass
class Answer:
    """A found code, tailored to one reader."""

    entry: CodeEntry
    match: lookup_rules.Match
    context: Context
    variant: Variant | None
    page: CodePage | None
    kb: "KnowledgeBase"

    @property
    def url(self) -> str:
        return code_page_path(self.entry.code, self.variant)

    @cached_property
    def doc(self):
        return self.page.doc_for(self.context) if self.page is not None else None

    def render(self, fmt: str, **options) -> str:
        """The tailored article in an output format (see :mod:`kb.render.registry`)."""
        from kb.render.registry import render

        if self.doc is None:
            return ""
        return render(fmt, self.doc, self.context, config=self.kb.config, env=self.kb.render_env(), **options)

    def text(self, width: int = 80, color: bool = False) -> str:
        return self.render("text", width=width, color=color)

    def html(self) -> str:
        return self.render("html")

    def markdown(self) -> str:
        return self.render("markdown")

    def to_dict(self) -> dict:
        return {
            "code": self.entry.code,
            "value": self.entry.value,
            "aliases": list(self.entry.aliases),
            "title": self.entry.title,
            "summary": self.entry.summary,
            "variant": self.variant.label if self.variant else None,
            "url": self.url,
            "text": self.text(),
            "html": self.html(),
        }


class KnowledgeBase:
    """Code lookup over a project (:class:`kb.project.Project`): its
    configuration, registry and library."""

    def __init__(self, project) -> None:
        self.project = project
        self.root = project.root
        self.content_dir = project.content_dir
        self.config = project.config
        self.registry = project.registry
        self._extractions: dict[str, Extraction] = {}
        self._pages: dict[str, CodePage | None] = {}

    @property
    def library(self):
        return self.project.library

    def render_env(self):
        return self.project.render_env()

    def extraction(self, slug: str) -> Extraction | None:
        if slug not in self._extractions:
            article = self.library.article_by_slug(slug)
            if article is None:
                return None
            self._extractions[slug] = extract(article.doc)
        return self._extractions[slug]

    def page(self, entry: CodeEntry) -> CodePage | None:
        """The code's tailored article, or None when no article documents it."""
        if entry.code not in self._pages:
            self._pages[entry.code] = self._build_page(entry)
        return self._pages[entry.code]

    def _build_page(self, entry: CodeEntry) -> CodePage | None:
        if not entry.article:
            return None
        extraction = self.extraction(entry.article)
        if extraction is None:
            return None
        article = self.library.article_by_slug(entry.article)
        sections = own_sections(extraction, entry.names)
        if not sections:
            return None
        shared = shared_sections(extraction, self.registry.shared_sections(entry.article))
        env = self.render_env()
        return CodePage(entry.code, entry.names, article.doc, sections, shared, extraction.lead,
                        self.config, expand=env.expander())

    # -- lookup ---------------------------------------------------------------
    def lookup(self, query: str, context: Context | None = None) -> lookup_rules.Match | Answer:
        """An :class:`Answer` when the query names one code, else the
        :class:`~kb.codes.lookup.Match` with candidates or suggestions."""
        match = lookup_rules.find(self.registry, query)
        if not match.found:
            return match
        return self.answer(match.entry, context, match)

    def answer(self, entry: CodeEntry, context: Context | None = None,
               match: lookup_rules.Match | None = None) -> Answer:
        page = self.page(entry)
        article = self.library.article_by_slug(entry.article) if entry.article else None
        product = (article.product if article and article.product else None) or self.config.default_product.slug
        if context is None:
            context = Context.make(product, None, host_platform(self.config, product), self.config)
        variant = None
        if page is not None:
            variant = variant_for(page.variants(context.product), context, self.config)
        match = match or lookup_rules.Match(entry.code, entry, "exact")
        return Answer(entry, match, context, variant, page, self)
