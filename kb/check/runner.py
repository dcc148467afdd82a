"""Running the checks: which files, read against what, which codes.

Files: each PATH is an article file (``.wiki``/``.md``), a folder (its
articles, recursively; ``README.md`` files are not articles), or the
registry ``codes.yaml``. With no PATH, everything in the project's
``content/``: its articles, ``templates/`` and ``codes.yaml``.

Every file is read against the project: its ``kb.yaml`` (products, versions,
platforms), its library (``content/``: the articles links and includes point
to, ``templates/``, ``images/``) and its registry (``content/codes.yaml``).
Files outside ``content/`` are checked standalone: they are not part of the
library, but what they reference is looked up in it all the same.

The readers ``{for}`` conditions are judged for: the product in the file's
front matter, else ``--product``, else the first configured product;
templates are read by every product's readers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kb.check import codes as check_codes
from kb.check.unit import Unit
from kb.files import read_file
from kb.errors import KbError, UsageError
from kb.markup.diagnostics import Diagnostic

ARTICLE_SUFFIXES = (".wiki", ".md")
REGISTRY_FILE = "codes.yaml"


@dataclass
class Result:
    findings: list[Diagnostic]
    units: list[Unit]
    #: Files that were named but could not be read as articles.
    unreadable: int = 0
    shared: dict = field(default_factory=dict)

    @property
    def files(self) -> int:
        return len(self.units) + self.unreadable

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def unit_named(self, name: str) -> Unit | None:
        by_name = self.shared.get("units_by_name")
        if by_name is None or len(by_name) != len(self.units):
            by_name = self.shared["units_by_name"] = {u.name: u for u in self.units}
        return by_name.get(name)


@dataclass
class Selection:
    select: set[str]
    ignore: set[str]

    def wants(self, code: str) -> bool:
        return (not self.select or code in self.select) and code not in self.ignore

    def wants_any(self, codes) -> bool:
        return any(self.wants(c) for c in codes)


def selection(config, select: list[str] | None, ignore: list[str] | None) -> Selection:
    """``--select`` replaces kb.yaml's ``check.select``; ``--ignore`` adds to
    its ``check.ignore``. Unknown codes: exit status 2."""
    settings = getattr(config, "check", None) or {}
    source = getattr(config, "source", None) or "kb.yaml"
    try:
        if select:
            chosen = check_codes.expand_selection(select, "--select")
        else:
            chosen = check_codes.expand_selection(settings.get("select") or [], f"{source}: check.select")
        ignored = check_codes.expand_selection(settings.get("ignore") or [], f"{source}: check.ignore")
        ignored |= check_codes.expand_selection(ignore or [], "--ignore")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return Selection(chosen, ignored)


def display_name(path: Path) -> str:
    try:
        rel = os.path.relpath(path, Path.cwd())
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


# -- collecting the files ----------------------------------------------------------------


def collect(paths: list[str] | None, content: Path) -> tuple[list[Path], bool]:
    """(article files to check, whether the registry-wide checks run)."""
    content = content.resolve()
    if not paths:
        if not content.is_dir():
            raise UsageError(f"no content/ folder at {content.parent}; name the files or folders to check")
        return _content_files(content), True
    files: list[Path] = []
    whole = False
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"{raw}: no such file or folder")
        resolved = path.resolve()
        if resolved.is_dir():
            if resolved == content:
                files.extend(_content_files(content))
                whole = True
            else:
                files.extend(_folder_files(resolved))
        elif resolved.name == REGISTRY_FILE and resolved.parent == content:
            whole = True
        elif resolved.suffix in ARTICLE_SUFFIXES:
            files.append(resolved)
        else:
            raise UsageError(f"{raw}: not an article (.wiki or .md), a folder or content/{REGISTRY_FILE}")
    unique = sorted(set(files))
    return unique, whole


def _content_files(content: Path) -> list[Path]:
    files = [p for p in content.iterdir() if p.suffix in ARTICLE_SUFFIXES and p.is_file()]
    templates = content / "templates"
    if templates.is_dir():
        files.extend(p for p in templates.glob("*.wiki") if p.is_file())
    return sorted(p.resolve() for p in files)


def _folder_files(folder: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.startswith(".") or name.lower() == "readme.md":
                continue
            if os.path.splitext(name)[1] in ARTICLE_SUFFIXES:
                out.append(Path(dirpath, name).resolve())
    return sorted(out)


# -- the run --------------------------------------------------------------------------------


def run_check(root: Path, paths: list[str] | None = None, product: str | None = None,
              select: list[str] | None = None, ignore: list[str] | None = None,
              config=None) -> Result:
    from kb.project import Project

    project = Project.load(Path(root))
    config = config or project.config
    chosen = selection(config, select, ignore)
    default_product = None
    if product is not None:
        default_product = config.product(product)
        if default_product is None:
            valid = ", ".join(p.slug for p in config.products)
            raise UsageError(f"unknown product {product!r}; valid products: {valid}")
    else:
        default_product = config.default_product

    content = project.content_dir.resolve()
    files, whole = collect(paths, content)
    findings: list[Diagnostic] = []
    shared: dict = {}

    library = project.library
    registry = _registry(project, findings)
    by_path = {}
    if library is not None:
        for article in (*library.articles, *library.templates):
            by_path[article.path.resolve()] = article

    from kb.check.rules import RULES
    rules = [rule for family_codes, rule in RULES if chosen.wants_any(family_codes)]

    units: list[Unit] = []
    unreadable = 0
    for path in files:
        name = display_name(path)
        article = by_path.get(path)
        if article is None:
            try:
                from kb.content.articles import read_article

                article = read_article(path)
            except KbError as exc:
                unreadable += 1
                findings.append(_unreadable(name, path, str(exc)))
                continue
        is_template = path.parent == content / "templates" or article.title.startswith("Template:")
        unit = Unit(path=path, name=name, article=article, config=config, library=library,
                    registry=registry, is_template=is_template, shared=shared)
        unit.products = _products(unit, config, default_product, findings)
        try:
            unit.doc  # parse now: a Markdown article needs its parser
        except ImportError as exc:
            unreadable += 1
            findings.append(_unreadable(name, path, f"cannot be parsed here ({exc})"))
            continue
        units.append(unit)
        for rule in rules:
            findings.extend(rule(unit))

    if whole and registry is not None and library is not None and chosen.wants_any(
            ("undocumented-code", "code-article-mismatch")):
        from kb.check.rules.codes import check_registry

        registry_path = content / REGISTRY_FILE
        findings.extend(check_registry(registry, library.articles, registry_path,
                                       display_name(registry_path), shared))

    kept = [f for f in findings if chosen.wants(f.code)]
    kept.sort(key=lambda f: (f.file or "", f.line, f.column, f.code, f.message))
    return Result(kept, units, unreadable, shared)


def check_text(text: str, path: Path | str = "article.wiki", product: str | None = None, config=None,
               library=None, registry=None) -> list[Diagnostic]:
    """The findings for one article given as text (front matter allowed),
    read against ``library`` and ``registry`` when given; every code, sorted."""
    from kb.check.rules import RULES
    from kb.conditions.config import Config
    from kb.content.articles import article_from_text

    config = config or Config.default()
    path = Path(path)
    article = article_from_text(text, path)
    unit = Unit(path=path, name=str(path), article=article, config=config, library=library,
                registry=registry, is_template=article.title.startswith("Template:"))
    findings: list[Diagnostic] = []
    fallback = config.product(product) if product else config.default_product
    unit.products = _products(unit, config, fallback, findings)
    for _, rule in RULES:
        findings.extend(rule(unit))
    findings.sort(key=lambda f: (f.line, f.column, f.code, f.message))
    return findings


def _registry(project, findings: list):
    """The project's registry; a broken one is a finding, not a failure."""
    from kb.codes.registry import RegistryError

    if not (project.content_dir / REGISTRY_FILE).is_file():
        return None
    try:
        return project.registry
    except RegistryError as exc:
        findings.append(Diagnostic("unreadable-file", check_codes.severity("unreadable-file"),
                                   f"{exc.problem}; the registry checks were skipped.",
                                   max(exc.line, 1), 1, file=display_name(project.content_dir / REGISTRY_FILE)))
        return None


def _unreadable(name: str, path: Path, message: str) -> Diagnostic:
    text = message
    prefix = f"{path}"
    line = 1
    if text.startswith(prefix):
        text = text[len(prefix):]
        if text.startswith(":"):
            head, _, rest = text[1:].partition(":")
            if head.strip().isdigit():
                line, text = int(head), rest
            else:
                text = text[1:]
    return Diagnostic("unreadable-file", check_codes.severity("unreadable-file"), text.strip(), line, 1,
                      file=name)


def _products(unit: Unit, config, default_product, findings: list) -> tuple:
    if unit.is_template:
        return tuple(config.products)
    named = unit.article.product
    if named:
        product = config.product(named)
        if product is not None:
            return (product,)
        valid = ", ".join(p.slug for p in config.products)
        line = _front_matter_line(unit, "product")
        findings.append(Diagnostic(
            "unknown-product", check_codes.severity("unknown-product"),
            f"front matter names product {named!r}, which kb.yaml does not configure (valid: {valid}); "
            f"its {{for}} conditions are judged for every product's readers.",
            line, 1, file=unit.name))
        return tuple(config.products)
    return (default_product,) if default_product is not None else ()


def _front_matter_line(unit: Unit, key: str) -> int:
    try:
        lines = read_file(unit.path).decode("utf-8").split("\n")[: max(unit.article.body_line - 1, 1)]
    except (KbError, UnicodeDecodeError):
        return 1
    for i, line in enumerate(lines, 1):
        if line.startswith(f"{key}:"):
            return i
    return 1
