"""Parse + render to HTML, against the pipeline Mozilla's platform runs.

    python bench/render.py [--repeat N]

For every Thunderbird corpus article: ``kb.parse`` once, then
``render_html`` for every variant (product thunderbird) plus the
all-variants page; and, the same job as the reference, only the
all-variants page. Beside it, in the same run, the reference pipeline
approximated as Kitsune does it: py-wikimarkup's parser, an html5lib
re-parse and serialisation of its output, and a ``bleach.clean`` pass, once
per article (the live site renders one page and switches variants in the
browser). Reports MB/s of source and pages/s, best of N runs.
Needs the bench extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus" / "thunderbird-en-US"

ALLOWED_TAGS = ["a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3",
                "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "span", "strong", "sub",
                "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul"]
ALLOWED_ATTRIBUTES = {"*": ["class", "id", "title", "data-for"], "a": ["href", "rel"],
                      "img": ["src", "alt", "width", "height"]}


def kb_pipeline(texts: list[str]) -> int:
    from kb.conditions.variants import variants
    from kb.markup import parse
    from kb.render.context import RenderEnv
    from kb.render.html import render_html

    pages = 0
    env = RenderEnv()
    for text in texts:
        doc = parse(text)
        render_html(doc, None, env=env)
        pages += 1
        for variant in variants(doc, "thunderbird"):
            render_html(doc, variant.representative, env=env)
            pages += 1
    return pages


def kb_one_page(texts: list[str]) -> int:
    """The same job as the reference: one all-variants page per article."""
    from kb.markup import parse
    from kb.render.context import RenderEnv
    from kb.render.html import render_html

    env = RenderEnv()
    for text in texts:
        render_html(parse(text), None, env=env)
    return len(texts)


def reference_pipeline(texts: list[str]) -> int:
    import bleach
    import html5lib
    from wikimarkup.parser import Parser

    parser = Parser()
    for text in texts:
        html = parser.parse(text)
        fragment = html5lib.parseFragment(html, treebuilder="etree")
        walker = html5lib.getTreeWalker("etree")
        html = html5lib.serializer.HTMLSerializer(quote_attr_values="always").render(walker(fragment))
        bleach.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES)
    return len(texts)


def best(fn, texts, repeat: int) -> tuple[float, int]:
    times, pages = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        pages = fn(texts)
        times.append(time.perf_counter() - start)
    return min(times), pages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.wiki"))]
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"corpus: {len(texts)} articles, {size:.2f} MB")
    print(f"{'pipeline':<66} {'s':>6} {'pages':>6} {'MB/s':>6} {'pages/s':>8}")
    results = {}
    for name, fn in (("kb: parse + render_html, every variant + all-variants page", kb_pipeline),
                     ("kb: parse + render_html, the all-variants page only", kb_one_page),
                     ("reference: wikimarkup + html5lib re-parse + bleach, one page", reference_pipeline)):
        seconds, pages = best(fn, texts, args.repeat)
        results[name] = seconds
        print(f"{name:<66} {seconds:>6.2f} {pages:>6} {size / seconds:>6.2f} {pages / seconds:>8.1f}")
    every, one, ref = results.values()
    print(f"source throughput against the reference: {ref / every:.1f}x rendering every variant, "
          f"{ref / one:.1f}x rendering the same one page per article")


if __name__ == "__main__":
    main()
