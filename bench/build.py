"""A full ``kb build`` of the seed plus the 193 Thunderbird articles, cold and
warm, beside ``mkdocs build`` of the same articles exported as Markdown.

    python bench/build.py [--runs N] [--jobs N]

Everything happens in a scratch folder (removed afterwards): the articles
are copied into a scratch ``content/`` (with front matter from the corpus's
index.json), built cold (empty output folder), then warm (nothing changed).
For MkDocs, every article is exported with ``render_markdown`` (all
variants kept) into a ``docs/`` folder and built with the default theme.
Reports seconds and pages per second, best of N runs.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "thunderbird-en-US"


def scratch_project(folder: Path) -> Path:
    project = folder / "project"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "templates", project / "templates")
    index = json.loads((CORPUS / "index.json").read_text(encoding="utf-8"))
    titles = {a["slug"]: a["title"] for a in index["articles"]}
    for path in sorted(CORPUS.glob("*.wiki")):
        title = titles.get(path.stem, path.stem).replace('"', "'")
        front = f'---\ntitle: "{title}"\nslug: {path.stem.lower()}\nproduct: thunderbird\n---\n'
        (project / "content" / path.name).write_text(front + path.read_text(encoding="utf-8"), encoding="utf-8")
    return project


def export_markdown(project: Path, docs: Path) -> int:
    from kb.content.library import Library
    from kb.render.context import RenderEnv
    from kb.render.markdown import render_markdown

    library = Library.load(project / "content")
    env = RenderEnv(library=library)
    docs.mkdir(parents=True)
    for article in library.articles:
        body = render_markdown(article.doc, None, env=env)
        (docs / f"{article.slug}.md").write_text(f"# {article.title}\n\n{body}", encoding="utf-8")
    (docs / "index.md").write_text("# Articles\n", encoding="utf-8")
    return len(library.articles) + 1


def run(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=None, help="kb build --jobs (default: one per core)")
    args = ap.parse_args()
    kb = shutil.which("kb") or sys.exit("the kb command is not installed (pip install -e .)")
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        project = scratch_project(Path(tmp))
        jobs = ["--jobs", str(args.jobs)] if args.jobs else []
        cold, warm = [], []
        pages = 0
        for _ in range(args.runs):
            shutil.rmtree(project / "site", ignore_errors=True)
            cold.append(run([kb, "build", "--quiet", *jobs], project))
            warm.append(run([kb, "build", "--quiet", *jobs], project))
            pages = len(list((project / "site").rglob("*.html")))
        docs = Path(tmp) / "mk" / "docs"
        md_pages = export_markdown(project, docs)
        (docs.parent / "mkdocs.yml").write_text("site_name: Bench\nuse_directory_urls: false\n", encoding="utf-8")
        mk = []
        for _ in range(args.runs):
            shutil.rmtree(docs.parent / "site", ignore_errors=True)
            mk.append(run([sys.executable, "-m", "mkdocs", "build", "--quiet"], docs.parent))
    print(f"{'build':<48} {'pages':>6} {'best s':>7} {'pages/s':>8}")
    for name, times, count in (("kb build, cold (every variant of every code)", cold, pages),
                               ("kb build, warm (nothing changed)", warm, pages),
                               ("mkdocs build (same articles as Markdown)", mk, md_pages)):
        best = min(times)
        print(f"{name:<48} {count:>6} {best:>7.2f} {count / best:>8.1f}")


if __name__ == "__main__":
    main()
