"""A knowledge-base project, loaded one way for every user of it.

``Project.load(root)`` reads the project's configuration (``kb.yaml``) and
knows where its content is; the library of articles, templates and images
(``content/``) and the code registry (``content/codes.yaml``) are read when
first used, so ``kb lookup`` reads only what it needs. The command line, the
static site, the MkDocs plugin and the Python API all start here::

    import kb

    project = kb.Project.load(".")
    article = project.article("what-do-security-warning-codes-mean")
    reader = project.reader("fx60 mac")
    print(project.render(article, "text", reader))   # templates expanded
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from kb.errors import KbError

CODES_FILE = "codes.yaml"


class Project:
    """The configuration, library, registry and articles of one project."""

    def __init__(self, root: Path, config, content_dir: Path) -> None:
        self.root = root
        self.config = config
        self.content_dir = content_dir

    @classmethod
    def load(cls, root: Path | str = ".", content: Path | str | None = None) -> "Project":
        """The project at ``root``: its ``kb.yaml`` (the defaults when there is
        none) and its content in ``content`` (default: ``root/content``)."""
        from kb.conditions.config import Config

        root = Path(root)
        content_dir = Path(content) if content is not None else root / "content"
        return cls(root, Config.load(root), content_dir)

    # -- what it holds --------------------------------------------------------------

    @property
    def has_content(self) -> bool:
        return self.content_dir.is_dir()

    @cached_property
    def library(self):
        """Articles, templates and images of the content folder (None when
        the project has none: files are then read on their own)."""
        from kb.content.library import Library

        return Library.load(self.content_dir, self.config) if self.has_content else None

    @cached_property
    def registry(self):
        """The error codes of ``content/codes.yaml`` (empty when there is none);
        :class:`~kb.codes.registry.RegistryError` for a broken file."""
        from kb.codes.registry import Registry
        from kb.files import inside

        path = self.content_dir / CODES_FILE
        if not path.is_file():
            return Registry.from_text("codes: []\n", str(path))
        return Registry.load(inside(path, self.content_dir))

    @property
    def articles(self) -> list:
        """The articles (templates are not), by slug."""
        library = self.library
        return [a for a in library.articles if not a.is_template] if library is not None else []

    def article(self, slug_or_title: str):
        """The article with that slug or title; :class:`KbError` when none."""
        library = self._require_content()
        found = library.article_by_slug(slug_or_title) or library.article_by_title(slug_or_title)
        if found is None:
            raise KbError(f"no article {slug_or_title!r} in {self.content_dir}")
        return found

    @cached_property
    def knowledge(self):
        """Code lookup and tailored code pages (:mod:`kb.codes.knowledge`)."""
        from kb.codes.knowledge import KnowledgeBase

        self._require_content()
        return KnowledgeBase(self)

    def _require_content(self):
        if not self.has_content:
            raise KbError(f"{self.content_dir}: no such content folder; run kb in a project folder")
        return self.library

    # -- readers and rendering ---------------------------------------------------------

    def reader(self, text: str):
        """A reader written as people write one: ``fx60 mac``, ``tb115 win10``."""
        from kb.conditions.context import Context

        return Context.parse(text, self.config)

    def product_of(self, article) -> str:
        """The article's product when the configuration knows it, else the
        first configured one."""
        product = self.config.product(article.product) if article is not None and article.product else None
        return (product or self.config.default_product).slug

    def render_env(self, **urls):
        """A render environment over this project's library and configuration
        (``link_url``, ``image_url`` and ``diagnostics`` may be given)."""
        from kb.render.context import RenderEnv

        return RenderEnv(library=self.library, config=self.config, **urls)

    def expander(self):
        """``node → parsed expansion`` of templates and includes, for tree walks."""
        from kb.content.expansion import Expansions

        return Expansions(self.library).expander()

    def render(self, article, fmt: str = "html", reader=None, **options) -> str:
        """An article (or a parsed document, or wiki text) in an output format
        for ``reader`` (None: every variant), its templates expanded."""
        from kb.render.registry import render

        options.setdefault("env", self.render_env())
        return render(fmt, article, reader, config=self.config, **options)

    def variants(self, article, product: str | None = None) -> list:
        """The article's distinct variants for ``product`` (default: its own)."""
        from kb.conditions.variants import variants

        return variants(article.doc, product or self.product_of(article), self.config, expand=self.expander())
