"""What a render needs beyond the tree: the content library, the URLs the
site uses, and the diagnostics it collects. Template and include expansion
is the content layer's (:mod:`kb.content.expansion`); a render environment
reports what expansion finds to its own diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from kb.content.articles import Article, slugify
from kb.content.expansion import Expansion, Expansions
from kb.content.library import Library
from kb.markup import nodes as n
from kb.markup.diagnostics import WARNING, Diagnostic

__all__ = ["Expansion", "RenderEnv"]


@dataclass
class RenderEnv:
    library: Library | None = None
    config: object | None = None
    #: How the site links to an article page (default: ``slug + ".html"``).
    link_url: Callable[[Article], str] | None = None
    #: How the site refers to an image file (default: ``images/<file name>``).
    image_url: Callable[[str, Path], str] | None = None
    #: How the site refers to a video file (default: ``videos/<file name>``).
    video_url: Callable[[Path], str] | None = None
    diagnostics: list = field(default_factory=list)
    expansions: Expansions = field(init=False, repr=False)
    _reported: set = field(default_factory=set, init=False, repr=False)
    _muted: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        self.expansions = Expansions(self.library)

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

    def video_src(self, path: Path) -> str:
        return self.video_url(path) if self.video_url else f"videos/{quote(path.name)}"

    def find_video(self, name: str) -> tuple[list[Path], Path | None]:
        """An uploaded video's files: its sources and its poster."""
        return self.library.video_files(name) if self.library is not None else ([], None)

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
        """The parsed expansion of ``node``, or the message to show instead."""
        found = self.expansion(node, stack, file)
        return found if isinstance(found, str) else found.doc

    def expansion(self, node: n.Template | n.Include, stack=(), file=None,
                  report: bool = True) -> Expansion | str:
        """The expansion renderers need: its tree, whether it is inline, its
        recursion key and its source file (problems go to the diagnostics)."""
        muted = self._muted
        self._muted = muted or not report
        try:
            return self.expansions.expand(node, stack, file, self.report)
        finally:
            self._muted = muted

    def expander(self) -> Callable[[n.Node], n.Document | None]:
        """``node → parsed expansion`` for tree walks; reports nothing."""
        return self.expansions.expander()

    def key_of(self, doc: n.Document) -> str | None:
        return self.expansions.key_of(doc)
