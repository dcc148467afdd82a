"""What each page of the site shows, rendered through the Jinja2 templates.

One function a page kind. Every link is relative (``root`` is the way back
to the site root from the page), so the site works from any sub-path and
from ``file://``.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from kb.codes.knowledge import KnowledgeBase, code_page_path
from kb.conditions.variants import Variant
from kb.content.articles import Article

SITE_NAME = "Firefox Security Warnings Help"
PLATFORM_ORDER = ("win10", "win11", "win8", "win7", "winxp", "mac", "linux", "android", "ios")


def template_folder(root: Path) -> Path:
    """The project's ``templates/``, else the ones this package ships with."""
    own = root / "templates"
    if (own / "base.html").is_file():
        return own
    return Path(__file__).resolve().parent.parent.parent / "templates"


def environment(folder: Path, bytecode_dir: Path | None = None) -> jinja2.Environment:
    """Jinja2 over ``folder``; compiled templates are kept in ``bytecode_dir``
    (inside the output folder) so a warm build does not compile them again."""
    cache = None
    if bytecode_dir is not None:
        bytecode_dir.mkdir(parents=True, exist_ok=True)
        cache = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
                              bytecode_cache=cache)


def article_path(article: Article) -> str:
    return f"articles/{article.slug}.html"


def root_of(path: str) -> str:
    """``codes/X/y.html`` → ``../../``."""
    return "../" * path.count("/")


class PageMaker:
    def __init__(self, kb: KnowledgeBase, templates: jinja2.Environment) -> None:
        self.kb = kb
        self.templates = templates
        self.site = {"name": SITE_NAME}
        self.warnings: list = []

    # -- shared pieces ------------------------------------------------------
    def env(self, page_path: str):
        """A render environment whose links are relative to ``page_path``."""
        root = root_of(page_path)
        return self.kb.project.render_env(
            link_url=lambda article: root + article_path(article),
            image_url=lambda name, path: f"{root}images/{path.name}",
            video_url=lambda path: f"{root}videos/{path.name}",
            diagnostics=self.warnings,
        )

    def render(self, template: str, path: str, **values) -> str:
        return self.templates.get_template(template).render(root=root_of(path), site=self.site, **values)

    def picker(self, product_slug: str, doc, expand) -> dict:
        """The choices a reader is offered: the version ranges this page
        tells apart, and the product's platforms."""
        from kb.conditions.variants import version_ranges

        config = self.kb.config
        product = config.product_by_slug(product_slug)
        versions = [{"label": label, "low": low, "high": high}
                    for label, low, high in version_ranges(doc, product_slug, config, expand)]
        platforms = [{"slug": p, "name": config.platform(p).name if config.platform(p) else p}
                     for p in sorted(product.platforms, key=_platform_rank)]
        return {
            "product": {"slug": product.slug, "short": product.short, "name": product.name},
            "versions": versions,
            "platforms": platforms,
            "first_version": product.versions.first,
            "last_version": product.versions.last,
        }

    @staticmethod
    def variant_dict(variant: Variant, url: str, html: str) -> dict:
        rep = variant.representative
        return {
            "slug": variant.slug,
            "label": variant.label,
            "url": url,
            "html": html,
            "spans": [{"low": s.low, "high": s.high, "platforms": sorted(s.platforms, key=_platform_rank)}
                      for s in variant.spans],
            "representative": {"product": rep.product, "version": rep.version, "platform": rep.platform},
        }

    def code_dict(self, entry, code_url=code_page_path, article_url=None) -> dict:
        """The code's facts for a template; urls relative to the site root
        (or as ``code_url(code)`` and ``article_url(article)`` make them)."""
        registry = self.kb.registry
        article_url = article_url or article_path

        def link(code: str) -> dict:
            other = registry.get(code)
            return {"code": other.code, "title": other.title, "url": code_url(other.code)}

        article = self.kb.library.article_by_slug(entry.article) if entry.article else None

        return {
            "code": entry.code, "value": entry.value, "title": entry.title, "summary": entry.summary,
            "aliases": list(entry.aliases), "category": entry.category,
            "related": [link(c) for c in entry.related if registry.get(c)],
            "special_case_of": link(entry.special_case_of) if entry.special_case_of else None,
            "article": {"title": article.title, "url": article_url(article)} if article else None,
        }

    # -- pages -----------------------------------------------------------------
    def code_pages(self, entry) -> dict[str, str]:
        """The code's page (every variant, with the picker) and one static
        page per variant. Links are relative, so each variant is rendered
        once for each of the two folders it appears in."""
        from kb.render.html import render_html

        path = code_page_path(entry.code)
        code = self.code_dict(entry)
        page = self.kb.page(entry)
        if page is None:
            product = self.kb.config.default_product
            empty_picker = {"product": {"slug": product.slug, "short": product.short, "name": product.name},
                            "versions": [], "platforms": [], "first_version": None, "last_version": None}
            return {path: self.render("code.html", path, code=code, variants=[], default_variant="",
                                      picker=empty_picker)}
        article = self.kb.library.article_by_slug(entry.article)
        product = article.product or self.kb.config.default_product.slug
        config = self.kb.config
        variants = page.variants(product)
        sections = []
        statics = []
        for variant in variants:
            ctx = variant.representative
            doc = page.doc_for(ctx)
            variant_path = code_page_path(entry.code, variant)
            here = render_html(doc, ctx, config=config, env=self.env(path))
            sections.append(self.variant_dict(variant, variant_path.split("/", 1)[1], here))
            statics.append(render_html(doc, ctx, config=config, env=self.env(variant_path)))
        out = {path: self.render("code.html", path, code=code, variants=sections,
                                 default_variant=sections[0]["slug"],
                                 picker=self.picker(product, page.base_doc(), page.expand))}
        siblings = [dict(s, url=s["slug"] + ".html") for s in sections]
        for variant, section, static in zip(variants, sections, statics):
            variant_path = code_page_path(entry.code, variant)
            out[variant_path] = self.render(
                "variant.html", variant_path, code=self.code_dict(entry),
                variant=dict(section, html=static, url=variant.slug + ".html"), variants=siblings,
                code_url=f"../{entry.code}.html")
        return out

    def article_page(self, article: Article) -> tuple[str, str, int]:
        """(path, html, number of variants) of the all-variants article page."""
        from kb.conditions.variants import variants
        from kb.render.html import render_html

        path = article_path(article)
        env = self.env(path)
        config = self.kb.config
        product = article.product if article.product and config.product(article.product) else \
            config.default_product.slug
        found = variants(article.doc, product, config, expand=env.expander())
        body = render_html(article.doc, None, config=config, env=env)
        codes = [{"code": e.code, "title": e.title, "url": code_page_path(e.code)}
                 for e in self.kb.registry.entries if e.article == article.slug]
        html = self.render("article.html", path,
                           article={"title": article.title, "slug": article.slug, "product": product},
                           html=body, showfor=self.showfor_data(),
                           picker=self.picker(product, article.doc, env.expander()),
                           codes=codes)
        return path, html, len(found)

    def showfor_data(self) -> dict:
        config = self.kb.config
        versions = {}
        for p in config.products:
            listed = None if type(p.versions).__name__ == "VersionRange" else list(p.versions)
            versions[p.slug] = {"first": p.versions.first, "last": p.versions.last, "list": listed}
        return {
            "products": [{"slug": p.slug, "short": p.short, "name": p.name} for p in config.products],
            "platforms": [{"slug": p.slug, "name": p.name} for p in config.platforms],
            "groups": {k: list(v) for k, v in config.platform_groups.items()},
            "versions": versions,
        }


def _platform_rank(slug: str) -> int:
    return PLATFORM_ORDER.index(slug) if slug in PLATFORM_ORDER else len(PLATFORM_ORDER)
