"""``kb build``: content/ to a static help site.

Each article is one unit of work: its all-variants page and the pages of
the codes it documents. Units run in parallel (one process a core) and are
cached in the output folder, keyed by everything that can change their
output: the article, the templates, the configuration, the registry, and
the titles and images any link could point to. The same input always gives
byte-identical output.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from kb.codes.knowledge import KnowledgeBase, code_page_path
from kb.errors import KbError
from kb.project import Project
from kb.site import output
from kb.site.pages import PageMaker, environment, template_folder
from kb.site.search_index import search_index_js

CACHE_DIR = f"{output.MARKER_DIR}/cache"
JINJA_CACHE = f"{output.MARKER_DIR}/jinja"
ENGINE_VERSION = "1"


@dataclass
class Report:
    pages: int = 0
    articles: int = 0
    variants: int = 0
    codes: int = 0
    rendered: int = 0  # articles rendered this time (the rest came from the cache)
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # information, e.g. links that go to the live site
    seconds: float = 0.0
    out: Path | None = None

    def summary(self) -> str:
        cached = self.articles - self.rendered
        return (f"Built {self.out}: {self.pages} pages ({self.articles} articles with {self.variants} variants, "
                f"{self.codes} codes), {len(self.warnings)} warnings, {len(self.notes)} notes, "
                f"{cached} articles from cache, in {self.seconds:.2f} s")


# -- the work of one article (runs in a worker process) ---------------------------

_STATE: dict = {}


def _init_worker(root: str, bytecode_dir: str | None = None) -> None:
    kb = Project.load(Path(root)).knowledge
    cache = Path(bytecode_dir) if bytecode_dir else None
    _STATE["maker"] = PageMaker(kb, environment(template_folder(kb.root), cache))


def _render_article(slug: str) -> dict:
    maker: PageMaker = _STATE["maker"]
    kb = maker.kb
    article = kb.library.article_by_slug(slug)
    maker.warnings = []
    try:
        path, html, count = maker.article_page(article)
        files = {path: html}
        codes = [e for e in kb.registry.entries if e.article == slug]
        for entry in codes:
            files.update(maker.code_pages(entry))
    except KbError:
        raise
    except Exception as exc:  # a renderer bug must name the article, not crash the build
        raise KbError(f"{article.path}: cannot be rendered ({type(exc).__name__}: {exc})") from None
    warnings = [f"{article.path}:{d.line}:{d.column}: {d.severity} [{d.code}] {d.message}" for d in maker.warnings]
    return {"files": files, "variants": count, "codes": len(codes), "warnings": sorted(set(warnings))}


# -- the build -------------------------------------------------------------------------


def build(root: Path, out: Path | None = None, jobs: int | None = None, use_cache: bool = True,
          progress: bool | None = None) -> Report:
    started = time.perf_counter()
    root = root.resolve()
    out = (out or root / "site").resolve()
    output.check_target(out, root)
    kb = Project.load(root).knowledge
    templates_dir = template_folder(root)
    articles = [a for a in kb.library.articles if not a.is_template]
    for article in articles:
        _check_slug(article)

    shared_key = _shared_key(root, kb, templates_dir)
    ours = use_cache and output.is_ours(out)
    old_cache = _read_cache(out) if ours else {}
    report = Report(out=out, articles=len(articles))
    staging = output.Staging(out)
    bytecode = staging.path / JINJA_CACHE
    if ours and (out / JINJA_CACHE).is_dir():
        shutil.copytree(out / JINJA_CACHE, bytecode)
    maker = PageMaker(kb, environment(templates_dir, bytecode))
    try:
        results: dict[str, dict] = {}
        todo = []
        for article in articles:
            key = _article_key(shared_key, article)
            cached = old_cache.get(article.slug)
            if cached is not None and cached.get("key") == key:
                results[article.slug] = cached
            else:
                todo.append((article.slug, key))
        for slug, key, result in _run(root, [s for s, _ in todo], dict(todo), jobs, progress, bytecode):
            results[slug] = dict(result, key=key)
        report.rendered = len(todo)
        for article in articles:
            result = results[article.slug]
            for path, html in result["files"].items():
                staging.write(path, html)
            staging.write(f"{CACHE_DIR}/{article.slug}.json", json.dumps(result, sort_keys=True))
            report.variants += result["variants"]
            report.codes += result["codes"]
            for line in result["warnings"]:
                (report.notes if " info [" in line else report.warnings).append(line)
        _write_site_files(staging, kb, maker, articles, results)
        report.pages = sum(1 for p in staging.written if p.endswith(".html"))
        report.warnings.extend(f"{w.line}:{w.column}: {w.message}" for w in maker.warnings)
        staging.commit({"engine": ENGINE_VERSION, "pages": report.pages})
    except BaseException:
        staging.abort()
        raise
    report.seconds = time.perf_counter() - started
    return report


def _run(root: Path, slugs: list[str], keys: dict, jobs: int | None, progress: bool | None, bytecode: Path):
    """Render the articles, in worker processes when there is more than one."""
    jobs = jobs or os.cpu_count() or 1
    show = sys.stderr.isatty() if progress is None else progress
    total = len(slugs)
    if jobs <= 1 or total <= 1:
        _init_worker(str(root), str(bytecode))
        results = ((slug, _render_article(slug)) for slug in slugs)
        yield from _with_progress(results, keys, total, show)
        return
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork"),
                             initializer=_init_worker, initargs=(str(root), str(bytecode))) as pool:
        chunk = max(1, total // (jobs * 4))
        results = zip(slugs, pool.map(_render_article, slugs, chunksize=chunk))
        yield from _with_progress(results, keys, total, show)


def _with_progress(results, keys, total: int, show: bool):
    # The progress line returns to its start ("\r"), which the command
    # line's safe stream would remove: it goes to the stream underneath.
    stream = getattr(sys.stderr, "raw", sys.stderr)
    for done, (slug, result) in enumerate(results, 1):
        if show:
            width = 30
            filled = width * done // total
            stream.write(f"\r  rendering [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            stream.flush()
        yield slug, keys[slug], result
    if show and total:
        stream.write("\n")


def _write_site_files(staging: output.Staging, kb: KnowledgeBase, maker: PageMaker, articles, results) -> None:
    """Index, code pages of undocumented codes, data files, assets, images."""
    documented = {e.code for e in kb.registry.entries if e.article and
                  code_page_path(e.code) in results.get(e.article, {}).get("files", {})}
    for entry in kb.registry.entries:
        if entry.code not in documented:
            for path, html in maker.code_pages(entry).items():
                staging.write(path, html)
    codes = [{
        "code": e.code, "value": e.value, "title": e.title, "summary": e.summary, "category": e.category,
        "aliases": list(e.aliases), "url": code_page_path(e.code), "documented": e.code in documented,
    } for e in kb.registry.entries]
    article_list = [{"title": a.title, "url": f"articles/{a.slug}.html", "variant_count": results[a.slug]["variants"]}
                    for a in sorted(articles, key=lambda a: a.title.casefold())]
    staging.write("index.html", maker.render("index.html", "index.html", codes=codes, articles=article_list))
    staging.write("404.html", maker.render("404.html", "404.html"))
    staging.write("assets/search-index.js", search_index_js(codes))
    staging.write("codes.json", json.dumps({"codes": codes}, indent=1, ensure_ascii=False) + "\n")
    assets = template_folder(kb.root) / "assets"
    if assets.is_dir():
        for source in sorted(assets.rglob("*")):
            if source.is_file():
                staging.copy(f"assets/{source.relative_to(assets).as_posix()}", source)
    for name, files in (("images", kb.library.image_files), ("videos", kb.library.video_folder_files)):
        for source in files:
            staging.copy(f"{name}/{source.name}", source)
    pages = sorted(p for p in staging.written if p.endswith(".html") and p != "404.html")
    sitemap = "".join(f"  <url><loc>{p}</loc></url>\n" for p in pages)
    staging.write("sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
                  '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + sitemap + "</urlset>\n")


# -- cache keys ------------------------------------------------------------------------


def _hash_files(paths) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _shared_key(root: Path, kb: KnowledgeBase, templates_dir: Path) -> str:
    """Everything every page depends on besides its own article."""
    content = root / "content"
    parts = [
        ENGINE_VERSION,
        _hash_files([p for p in templates_dir.rglob("*") if p.is_file()]),
        _hash_files([t.path for t in kb.library.templates]),
        _hash_files([p for p in (root / "kb.yaml", content / "codes.yaml") if p.is_file()]),
        "\n".join(sorted(f"{a.slug}\t{a.title}" for a in kb.library.articles)),
        "\n".join(p.name for p in kb.library.image_files),
        "\n".join(p.name for p in kb.library.video_folder_files),
        _package_fingerprint(),
    ]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def _package_fingerprint() -> str:
    """The engine's own source: a new renderer must not reuse old pages."""
    package = Path(__file__).resolve().parent.parent
    return _hash_files([p for p in package.rglob("*.py")])


def _article_key(shared: str, article) -> str:
    digest = hashlib.sha256(shared.encode())
    digest.update(article.path.read_bytes())
    return digest.hexdigest()


def _read_cache(out: Path) -> dict:
    cache = {}
    folder = out / CACHE_DIR
    if folder.is_dir():
        for path in folder.glob("*.json"):
            try:
                cache[path.stem] = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
    return cache


def _check_slug(article) -> None:
    import re

    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", article.slug):
        raise KbError(f"{article.path}: slug {article.slug!r} must be lower-case letters, digits, '-' or '_' "
                      f"(it becomes a file name)")
