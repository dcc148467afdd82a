"""MkDocs plugin ``kb``: the knowledge base as pages of an MkDocs site.

``plugins: [kb]`` in ``mkdocs.yml`` adds, on every ``mkdocs build`` and
``mkdocs serve`` (which also rebuilds when the content changes)::

    {prefix}index.md            code lookup: a search box and the table of codes,
                                and the list of articles
    {prefix}codes/CODE.md       each code's tailored help
    {prefix}articles/SLUG.md    each article (wiki or Markdown)
    {prefix}assets/kb.js        the standalone site's script (search, picker)
    {prefix}assets/kb-mkdocs.css  templates/mkdocs/kb-mkdocs.css: the pieces in the theme
    {prefix}images/*            the content's images

Nothing is written into ``docs_dir``: the pages are generated files, rendered
from the Jinja templates of ``templates/mkdocs/`` around the static site's own
pieces (the picker form, the code facts, the search box, the table of codes,
"see also") and fed by the same page data (:class:`kb.site.pages.PageMaker`).
A page shows its default variant as Markdown (notes and warnings as admonitions,
so Material shows them as its own); every other variant is in the page too,
hidden, and the same Version/System picker as the standalone site switches
between them. The table of contents lists the default variant's headings.

Options::

    plugins:
      - kb:
          content: content   # the content folder, relative to mkdocs.yml
          product: firefox   # product of articles that name none (default:
                             # kb.yaml's first product)
          variant: auto      # the variant shown first: auto (the usual reader:
                             # newest version, most common system), a variant
                             # slug (fx66plus-win) or a reader (fx60 mac, win10)
          prefix: kb/        # where the pages go in the site ('' for the root)

The plugin turns on the ``admonition`` and ``md_in_html`` Markdown
extensions (both ship with Python-Markdown) when the site does not.
"""

from __future__ import annotations

import logging
import posixpath
import re
from pathlib import Path

from markupsafe import Markup
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config as OptionsBase
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import TableOfContents

from kb.site.pages import environment, template_folder

log = logging.getLogger("mkdocs.plugins.kb")

_EXTENSIONS = ("admonition", "md_in_html")
_SECTION = re.compile(r"<section\b([^>]*)>(.*?)</section>", re.DOTALL)
_ID = re.compile(r'\sid="([^"]+)"')



class KBPluginConfig(OptionsBase):
    content = opt.Type(str, default="content")
    product = opt.Optional(opt.Type(str))
    variant = opt.Type(str, default="auto")
    prefix = opt.Type(str, default="kb/")


class KBPlugin(BasePlugin[KBPluginConfig]):
    """Adds the knowledge base's pages to an MkDocs build."""

    def __init__(self) -> None:
        self.prefix = "kb/"
        self.content_dir: Path | None = None
        self.root: Path | None = None
        self.pages: set[str] = set()  # src URIs of the generated Markdown pages

    # -- configuration ----------------------------------------------------------------

    def on_config(self, config):
        base = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        content = Path(self.config.content)
        self.content_dir = (content if content.is_absolute() else base / content).resolve()
        if not self.content_dir.is_dir():
            raise PluginError(f"kb: content folder {self.content_dir} does not exist "
                              f"(plugin option 'content', relative to {base})")
        self.root = next((folder for folder in (self.content_dir.parent, base)
                          if (folder / "kb.yaml").is_file()), self.content_dir.parent)
        prefix = self.config.prefix.strip().strip("/")
        if prefix and not re.fullmatch(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*", prefix) or ".." in prefix.split("/"):
            raise PluginError(f"kb: prefix {self.config.prefix!r} must be a relative path such as 'kb/' (or '')")
        self.prefix = prefix + "/" if prefix else ""
        kb_config = self._kb_config()
        if self.config.product and kb_config.product(self.config.product) is None:
            valid = ", ".join(p.slug for p in kb_config.products)
            raise PluginError(f"kb: unknown product {self.config.product!r} (plugin option 'product'); "
                              f"valid products: {valid}")
        for name in _EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        config.extra_css.append(self.prefix + "assets/kb-mkdocs.css")
        config.extra_javascript.append(self.prefix + "assets/kb.js")
        return config

    def _kb_config(self):
        from kb.errors import KbError
        from kb.project import Project

        try:
            return Project.load(self.root, self.content_dir).config
        except KbError as exc:
            raise PluginError(f"kb: {exc}") from None

    def on_serve(self, server, config, builder):
        server.watch(str(self.content_dir))
        if (self.root / "kb.yaml").is_file():
            server.watch(str(self.root / "kb.yaml"))
        return server

    # -- pages ------------------------------------------------------------------------------

    def on_files(self, files: Files, config) -> Files:
        from kb.errors import KbError

        try:
            kb = load_knowledge_base(self.root, self.content_dir)
            maker = SiteMaker(kb, self.prefix, self.config.product, self.config.variant)
            maker.directory_urls = bool(config.use_directory_urls)
            generated = maker.pages()
        except KbError as exc:
            raise PluginError(f"kb: {exc}") from None
        self.pages = set()
        for src_uri, content in generated.items():
            if files.get_file_from_path(src_uri) is not None:
                raise PluginError(f"kb: {src_uri} exists in {config.docs_dir} and is also a page of the "
                                  f"knowledge base; move it or set the plugin option 'prefix'")
            if isinstance(content, Path):
                files.append(File.generated(config, src_uri, abs_src_path=str(content)))
            else:
                files.append(File.generated(config, src_uri, content=content))
                if src_uri.endswith(".md"):
                    self.pages.add(src_uri)
        return files

    def on_page_content(self, html_text: str, page, config, files):
        """Keep the table of contents to the variant shown first."""
        if page.file.src_uri not in self.pages:
            return html_text
        hidden: set[str] = set()
        for m in _SECTION.finditer(html_text):
            attrs = m.group(1)
            if re.search(r'class="[^"]*\bvariant\b', attrs) and re.search(r"\shidden\b", attrs):
                hidden.update(_ID.findall(m.group(2)))
        if hidden:
            page.toc = TableOfContents(_prune(list(page.toc), hidden))
        return html_text


def _prune(items, hidden: set[str]) -> list:
    out = []
    for item in items:
        if item.id in hidden:
            continue
        item.children = _prune(item.children, hidden)
        out.append(item)
    return out


def load_knowledge_base(root: Path, content_dir: Path):
    """The knowledge base of ``content_dir`` (configuration from ``root``)."""
    from kb.project import Project

    return Project.load(root, content_dir).knowledge


# ---------------------------------------------------------------------------
# The pages, as Markdown
# ---------------------------------------------------------------------------


class SiteMaker:
    """Every generated file: src URI → Markdown text (or the Path of a file
    to copy)."""

    def __init__(self, kb, prefix: str = "kb/", product: str | None = None, variant: str = "auto") -> None:
        self.kb = kb
        self.prefix = prefix
        self.product = product
        self.variant = (variant or "auto").strip()
        self.diagnostics: list = []
        #: The static site's templates: the pages are Jinja templates
        #: (templates/mkdocs/) around the same pieces.
        self.templates = environment(template_folder(kb.root))
        self.templates.filters["oneline"] = _one_line
        self.templates.filters["md"] = _markdown_text

    # -- paths ---------------------------------------------------------------------
    def code_src(self, code: str) -> str:
        return f"{self.prefix}codes/{code}.md"

    def article_src(self, slug: str) -> str:
        return f"{self.prefix}articles/{slug}.md"

    @staticmethod
    def relative(target: str, page: str) -> str:
        """``target`` (a src URI) as a relative link from the page ``page``."""
        return posixpath.relpath(target, posixpath.dirname(page) or ".")

    def env(self, page: str):
        return self.kb.project.render_env(
            link_url=lambda article: self.relative(self.article_src(article.slug), page),
            image_url=lambda name, path: self.relative(f"{self.prefix}images/{path.name}", page),
            video_url=lambda path: self.relative(f"{self.prefix}videos/{path.name}", page),
            diagnostics=self.diagnostics,
        )

    # -- the whole set ------------------------------------------------------------------
    def pages(self) -> dict[str, str | Path]:
        kb = self.kb
        out: dict[str, str | Path] = {}
        articles = [a for a in kb.library.articles if not a.is_template]
        for article in articles:
            out[self.article_src(article.slug)] = self.article_page(article)
        for entry in kb.registry.entries:
            out[self.code_src(entry.code)] = self.code_page(entry)
        out[f"{self.prefix}index.md"] = self.index_page(articles)
        folder = template_folder(kb.root)
        out[f"{self.prefix}assets/kb.js"] = folder / "assets" / "kb.js"
        out[f"{self.prefix}assets/kb-mkdocs.css"] = folder / "mkdocs" / "kb-mkdocs.css"
        for name, files in (("images", kb.library.image_files), ("videos", kb.library.video_folder_files)):
            for path in files:
                out[f"{self.prefix}{name}/{path.name}"] = path
        notes = sorted({f"{d.file + ':' if d.file else ''}{d.line}:{d.column}: {d.message}" for d in self.diagnostics})
        for note in notes:
            log.debug(note)
        if notes:
            log.info(f"kb: {len(notes)} notes on the content (missing images or templates, links to the "
                     f"live site); see them with mkdocs build --verbose, or run kb check")
        return out

    def product_of(self, article) -> str:
        config = self.kb.config
        for slug in (article.product if article is not None else None, self.product):
            if slug and config.product(slug) is not None:
                return config.product(slug).slug
        return config.default_product.slug

    def default_variant(self, found: list, product: str):
        """The variant shown first, as the plugin option says."""
        from kb.conditions.context import Context
        from kb.conditions.variants import variant_for
        from kb.errors import KbError

        wanted = self.variant
        if not found or wanted.lower() == "auto":
            return found[0] if found else None
        for variant in found:
            if variant.slug == wanted:
                return variant
        for text in (f"{product} {wanted}", wanted):
            try:
                reader = Context.parse(text, self.kb.config)
            except (KbError, ValueError):
                continue
            if reader.product == product:
                return variant_for(found, reader, self.kb.config) or found[0]
        return found[0]

    # -- variants ---------------------------------------------------------------------------
    def variants_values(self, page: str, product: str, doc, expand, found: list, default, doc_for,
                        intro: str, picker: bool = True) -> dict:
        """What mkdocs/_variants.md shows: the picker (the static site's form)
        with the page data kb.js reads, and each variant's Markdown."""
        from kb.render.markdown import render_markdown
        from kb.site.pages import PageMaker

        sections = []
        for variant in found:
            ctx = variant.representative
            body = demote(render_markdown(doc_for(ctx), ctx, env=self.env(page), admonitions="material"))
            sections.append({"slug": variant.slug, "label": variant.label, "shown": variant is default,
                             "markdown": Markup(body.rstrip())})
        values = {"variants": sections, "picker": None}
        if picker:
            maker = PageMaker(self.kb, None)
            data = maker.picker(product, doc, expand)
            variants = [maker.variant_dict(v, "", "") for v in found]
            for item in variants:
                item.pop("html", None)
                item.pop("url", None)
            values.update(picker=data, intro=intro, default_label=default.label if default is not None else "",
                          page_data={
                              "kind": "code", "product": data["product"],
                              "versions": [{"label": r["label"], "low": r["low"], "high": r["high"]}
                                           for r in data["versions"]],
                              "platforms": data["platforms"],
                              "first_version": data["first_version"], "last_version": data["last_version"],
                              "default_variant": default.slug if default is not None else "",
                              "variants": variants,
                          })
        return values

    def render(self, template: str, **values) -> str:
        return self.templates.get_template(template).render(root="", **values)

    # -- a code's page ------------------------------------------------------------------------
    def code_page(self, entry) -> str:
        from kb.site.pages import PageMaker

        kb = self.kb
        page_src = self.code_src(entry.code)
        code = PageMaker(kb, None).code_dict(
            entry, code_url=lambda c: self.url_of(self.code_src(c), page_src),
            article_url=lambda a: self.url_of(self.article_src(a.slug), page_src))
        values: dict = {"variants": []}
        page = kb.page(entry)
        if page is not None:
            article = kb.library.article_by_slug(entry.article)
            product = self.product_of(article)
            found = page.variants(product)
            default = self.default_variant(found, product)
            values = self.variants_values(page_src, product, page.base_doc(), page.expand, found, default,
                                          page.doc_for, f"Choose your {kb.config.product_by_slug(product).name} "
                                                        f"version and operating system:")
        return self.render("mkdocs/code.md", title=entry.code, code=code, **values)

    # -- an article's page ----------------------------------------------------------------------
    def article_page(self, article) -> str:
        kb = self.kb
        page_src = self.article_src(article.slug)
        product = self.product_of(article)
        expand = self.env(page_src).expander()
        found = kb.project.variants(article, product)
        default = self.default_variant(found, product)
        codes = [{"code": e.code, "src": self.relative(self.code_src(e.code), page_src)}
                 for e in kb.registry.entries if e.article == article.slug]
        name = kb.config.product_by_slug(product).name
        values = self.variants_values(page_src, product, article.doc, expand, found, default, lambda ctx: article.doc,
                                      f"This article has instructions for several versions of {name}. Choose yours:",
                                      picker=len(found) > 1)
        return self.render("mkdocs/article.md", title=article.title, article=article, codes=codes, **values)

    # -- the index --------------------------------------------------------------------------------
    def index_page(self, articles) -> str:
        kb = self.kb
        page_src = f"{self.prefix}index.md"
        codes = [{"code": e.code, "value": e.value, "title": e.title, "summary": e.summary,
                  "aliases": list(e.aliases), "url": self.url_of(self.code_src(e.code), page_src),
                  "documented": bool(e.article) and kb.page(e) is not None} for e in kb.registry.entries]
        listed = [{"title": a.title, "src": self.relative(self.article_src(a.slug), page_src)}
                  for a in sorted(articles, key=lambda a: a.title.casefold())]
        return self.render("mkdocs/index.md", title="Error codes", codes=codes, articles=listed)

    def url_of(self, target: str, page: str) -> str:
        """A link in raw HTML (which MkDocs leaves alone): to the built page,
        as MkDocs names it (``codes/X/`` with directory URLs)."""
        return self.relative(target, page)[:-3] + "/" if self.directory_urls else \
            self.relative(target, page)[:-3] + ".html"

    directory_urls = True


_HEADING = re.compile(r"^([ \t]*)(#{1,5})(?=\s)", re.MULTILINE)


def demote(markdown: str) -> str:
    """Headings one level down (``#`` → ``##``): the page's own title is
    its only level-1 heading. (The Markdown renderer writes no other line
    that starts with ``#``: preformatted text is one ``<pre>`` line.)"""
    return _HEADING.sub(r"\1\2#", markdown)


def _one_line(markup) -> Markup:
    """HTML on one line, its lines' indentation folded into one space:
    Markdown would read an indented line of an HTML block as code."""
    return Markup(" ".join(line.strip() for line in str(markup).splitlines() if line.strip()))


def _markdown_text(text) -> Markup:
    """Text as Markdown that shows exactly that text."""
    from kb.render.markdown import md_escape

    return Markup(md_escape(str(text)))
