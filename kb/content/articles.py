"""Article files: YAML front matter, then a body in wiki markup or Markdown.

An article file is UTF-8. Front matter (optional) sits between two ``---``
lines at the very top; it names the ``title``, ``slug`` and ``product``.
Without it the title and slug come from the file name. The body is kept
exactly as written; its parsed tree reports line numbers of the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from kb.files import read_file
from kb.errors import KbError

ARTICLE_SUFFIXES = (".wiki", ".md")
# libyaml's loader when PyYAML was built with it: front matter is read for
# every article on every build, and the pure-Python loader dominates that.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: The most values front matter may expand to (YAML aliases repeat values:
#: nested ones, a "billion laughs", would expand to gigabytes).
MAX_FRONT_MATTER_VALUES = 10_000
_FRONT = re.compile(r"---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)


def slugify(text: str) -> str:
    """``"What do the codes mean?"`` → ``"what-do-the-codes-mean"``."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "article"


@dataclass
class Article:
    path: Path
    meta: dict
    body: str
    body_line: int = 1  # the file's line number of the body's first line
    format: str = "wiki"  # "wiki" or "markdown"
    extra: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or self.path.stem.replace("-", " ").replace("_", " "))

    @property
    def slug(self) -> str:
        return str(self.meta.get("slug") or slugify(self.path.stem))

    @property
    def product(self) -> str | None:
        product = self.meta.get("product")
        return str(product) if product else None

    @property
    def is_template(self) -> bool:
        return self.title.startswith("Template:")

    @cached_property
    def doc(self):
        """The parsed body (wiki markup or Markdown, the same tree)."""
        if self.format == "markdown":
            from kb.markup.markdown import parse_markdown

            return parse_markdown(self.body, first_line=self.body_line)
        from kb.markup import parse

        return parse(self.body, first_line=self.body_line)


def decode(data: bytes, path: Path | str) -> str:
    """Bytes to text, or one clear error naming the file and the byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KbError(f"{path}: not valid UTF-8 at byte offset {exc.start} "
                      f"(byte 0x{data[exc.start]:02x}); save the file as UTF-8.") from None


def read_article(path: Path) -> Article:
    """Read one article file; :class:`KbError` for anything unreadable."""
    return article_from_text(decode(read_file(path), path), path)


def article_from_text(text: str, path: Path) -> Article:
    meta, body, body_line = split_front_matter(text, path)
    fmt = "markdown" if path.suffix == ".md" else "wiki"
    return Article(path=path, meta=meta, body=body, body_line=body_line, format=fmt)


def split_front_matter(text: str, path: Path | str) -> tuple[dict, str, int]:
    """(metadata, body, line number of the body's first line)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    m = _FRONT.match(text)
    if not m:
        return {}, text, 1
    meta = _front_matter(m.group(1), path)
    return meta, text[m.end():], text.count("\n", 0, m.end()) + 1


def _front_matter(text: str, path: Path | str) -> dict:
    """The front matter's mapping. Read as the registry and kb.yaml are: as
    YAML nodes first (where an alias is one shared node, so nothing has
    grown yet), checked, and only then built into values."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
        if root is None:
            return {}
        if not isinstance(root, yaml.MappingNode):
            raise KbError(f"{path}:2: front matter must be a mapping of keys (title, slug, product)")
        if _expanded_size(root, MAX_FRONT_MATTER_VALUES) > MAX_FRONT_MATTER_VALUES:
            raise KbError(f"{path}:2: front matter expands to more than {MAX_FRONT_MATTER_VALUES} values "
                          f"through YAML aliases (*name); write the values out")
        return _LOADER("").construct_document(root) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 2}" if mark is not None else ""
        raise KbError(f"{path}{where}: front matter is not valid YAML ({getattr(exc, 'problem', exc)})") from None


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """How many values the node tree stands for once every alias is
    expanded, counted without expanding (each shared node once); more than
    ``limit`` as soon as that is certain (an alias inside itself never ends)."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # expanded, children not all counted: the current node's ancestors
    stack = [root]
    while stack:
        node = stack[-1]
        key = id(node)
        if key in sizes:
            stack.pop()
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[key] = 1
            stack.pop()
            continue
        children = [c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode) else node.value
        if key not in open_nodes:
            open_nodes.add(key)
            for child in children:
                if id(child) in open_nodes:
                    return limit + 1
                if id(child) not in sizes:
                    stack.append(child)
            continue
        stack.pop()
        open_nodes.discard(key)
        sizes[key] = 1 + sum(sizes[id(c)] for c in children)
        if sizes[key] > limit:
            return sizes[key]
    return sizes[id(root)]
