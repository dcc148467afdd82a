"""The content collection: every article, template and image of a content folder.

Layout of a content folder::

    content/
      *.wiki, *.md          articles (top level only; codes.yaml is not one)
      templates/*.wiki      templates, front matter ``title: "Template:Name"``
      images/*              images (.png .jpg .jpeg .gif .svg .webp)
      videos/*              uploaded videos (.webm .mp4 .ogv, and a poster picture)

Articles are found by slug or by title. Titles are compared the way
MediaWiki does it, loosely: ``_`` and runs of spaces count as one space,
and case is ignored (which also covers MediaWiki's capitalised first
letter). Images are found by file name or stem, case-insensitively, and a
name is only ever looked up in the index of that one folder: no name can
reach a file outside it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from kb.content.articles import ARTICLE_SUFFIXES, Article, read_article
from kb.files import inside
from kb.errors import KbError

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
#: Video files ``[[V:Title]]`` plays (``content/videos/Title.webm`` …), in
#: the order they are offered, with their media type; a picture of the same
#: name is the poster.
VIDEO_TYPES = {".webm": "video/webm", ".mp4": "video/mp4", ".ogv": "video/ogg"}
TEMPLATE_PREFIX = "Template:"


def title_key(title: str) -> str:
    """The form titles are compared in: ``"Foo_bar  baz"`` → ``"foo bar baz"``."""
    return " ".join(title.replace("_", " ").split()).casefold()


def template_name(article: Article) -> str:
    """``Template:profileFolder`` → ``profileFolder``; a template file with no
    title in its front matter is named after the file."""
    if "title" not in article.meta:
        return article.path.stem
    title = article.title
    if not title.casefold().startswith(TEMPLATE_PREFIX.casefold()):
        raise KbError(f"{article.path}: a template's title must start with {TEMPLATE_PREFIX!r} "
                      f"(found {title!r}); write title: \"{TEMPLATE_PREFIX}{title}\"")
    return title[len(TEMPLATE_PREFIX):].strip()


def safe_image_name(name: str) -> bool:
    """Whether ``name`` may be looked up at all: no folders, no way up."""
    return bool(name) and not (
        "/" in name or "\\" in name or "\0" in name or ".." in name or os.path.isabs(name)
    )


class Library:
    """Articles, templates and images, indexed for lookup."""

    def __init__(self, articles: Iterable[Article] = (), templates: Iterable[Article] = (),
                 images_dir: Path | None = None, config=None, videos_dir: Path | None = None) -> None:
        self.config = config
        self.images_dir = Path(images_dir) if images_dir is not None else None
        self.videos_dir = Path(videos_dir) if videos_dir is not None else None
        self.articles: list[Article] = sorted(articles, key=lambda a: a.slug)
        self.templates: list[Article] = sorted(templates, key=lambda a: template_name(a).casefold())
        self._by_slug: dict[str, Article] = {}
        self._by_title: dict[str, Article] = {}
        for article in self.articles:
            _register(self._by_slug, article.slug, article, "slug")
            _register(self._by_title, title_key(article.title), article, "title")
        self._templates: dict[str, Article] = {}
        for template in self.templates:
            _register(self._templates, title_key(template_name(template)), template, "template name")
        self.image_files = _media_files(self.images_dir)
        self._images = _index_images(self.image_files)
        #: The files of the videos folder the site may publish.
        self.video_folder_files = _media_files(self.videos_dir)
        self._videos: dict[str, list[Path]] = {}
        for path in self.video_folder_files:
            if path.suffix.lower() in (*VIDEO_TYPES, *IMAGE_SUFFIXES):
                self._videos.setdefault(title_key(path.stem), []).append(path)

    # -- building -----------------------------------------------------------------

    @classmethod
    def load(cls, content_dir: Path | str, config=None) -> "Library":
        """Read every article, template and image of ``content_dir``."""
        root = Path(content_dir)
        if not root.is_dir():
            raise KbError(f"{root}: no such content folder")
        articles = [read_article(inside(p, root)) for p in sorted(root.iterdir())
                    if p.suffix in ARTICLE_SUFFIXES and p.is_file()]
        template_dir = root / "templates"
        templates = [read_article(inside(p, root)) for p in sorted(template_dir.glob("*.wiki")) if p.is_file()]
        images, videos = root / "images", root / "videos"
        return cls(articles, templates, inside(images, root) if images.is_dir() else images, config,
                   inside(videos, root) if videos.is_dir() else videos)

    @classmethod
    def from_articles(cls, articles: Iterable[Article], templates: Iterable[Article] = (),
                      images_dir: Path | str | None = None) -> "Library":
        """A library built from articles in memory (tests, previews)."""
        return cls(articles, templates, Path(images_dir) if images_dir is not None else None)

    # -- lookups ----------------------------------------------------------------

    def article_by_title(self, title: str) -> Article | None:
        return self._by_title.get(title_key(title))

    def article_by_slug(self, slug: str) -> Article | None:
        return self._by_slug.get(slug)

    def template(self, name: str) -> Article | None:
        """The template ``[[T:name]]`` names (``Template:`` prefix optional)."""
        if name.casefold().startswith(TEMPLATE_PREFIX.casefold()):
            name = name[len(TEMPLATE_PREFIX):]
        return self._templates.get(title_key(name))

    def image_path(self, name: str) -> Path | None:
        """The image file ``[[Image:name]]`` names, or None (also for any name
        that tries to leave the images folder)."""
        name = name.strip()
        if not safe_image_name(name):
            return None
        return self._images.get(title_key(name))

    def video_files(self, name: str) -> tuple[list[Path], Path | None]:
        """The files of the uploaded video ``[[V:name]]`` names: its sources
        (webm, mp4, ogv, in that order) and its poster picture, if any."""
        name = name.strip()
        files = self._videos.get(title_key(name), []) if safe_image_name(name) else []
        sources = sorted((f for f in files if f.suffix.lower() in VIDEO_TYPES),
                         key=lambda f: list(VIDEO_TYPES).index(f.suffix.lower()))
        poster = next((f for f in files if f.suffix.lower() in IMAGE_SUFFIXES), None)
        return sources, poster

    def owner_of(self, doc) -> Article | None:
        """The article or template whose already-parsed body is ``doc``."""
        for article in (*self.articles, *self.templates):
            if article.__dict__.get("doc") is doc:
                return article
        return None


def _register(index: dict, key: str, article: Article, what: str) -> None:
    other = index.get(key)
    if other is not None:
        raise KbError(f"{other.path} and {article.path} have the same {what} "
                      f"({key!r}); change one of them in its front matter")
    index[key] = article


def _media_files(folder: Path | None) -> list[Path]:
    """The files of the images or videos folder, in name order, that the
    site may publish: regular, not hidden, and really in it (a link to a
    file elsewhere in content/ is skipped; one out of content/ is an error)."""
    if folder is None or not folder.is_dir():
        return []
    root = folder.resolve()
    files = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if inside(path, folder.parent).resolve().parent == root:
            files.append(path)
    return files


def _index_images(files: list[Path]) -> dict[str, Path]:
    """File name and stem (normalised like titles) → path, for the image
    files. On a clash of stems the first file in name order wins; full
    names never clash."""
    by_name: dict[str, Path] = {}
    by_stem: dict[str, Path] = {}
    for path in files:
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        by_name[title_key(path.name)] = path
        by_stem.setdefault(title_key(path.stem), path)
    return {**by_stem, **by_name}
