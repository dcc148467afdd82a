"""Parse speed and memory: kb.parse against mwparserfromhell and py-wikimarkup.

    python bench/parse.py [--repeat N]

Parses every article of the Thunderbird corpus (../shared/corpus) with each
parser in the same run and reports MB/s (best of N runs) and the peak memory
the parser allocates (tracemalloc) to hold the trees of the whole corpus.
Then it builds a 1 MB article from the corpus and reports the memory its
tree takes. Needs the bench extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus" / "thunderbird-en-US"


def corpus() -> list[str]:
    files = sorted(CORPUS.glob("*.wiki"))
    if not files:
        raise SystemExit(f"no corpus at {CORPUS}")
    return [p.read_text(encoding="utf-8") for p in files]


def parsers():
    import mwparserfromhell
    from wikimarkup.parser import Parser

    import kb

    wikimarkup = Parser()
    return {
        "kb.parse": kb.parse,
        f"mwparserfromhell {mwparserfromhell.__version__} (C tokenizer: {mwparserfromhell.parser.use_c})":
            mwparserfromhell.parse,
        "py-wikimarkup (wikimarkup.parser.Parser().parse)": wikimarkup.parse,
    }


def speed(parse, texts: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for text in texts:
            parse(text)
        best = min(best, time.perf_counter() - start)
    return best


def peak_memory(parse, texts: list[str]) -> tuple[int, int]:
    """(peak bytes while parsing everything, bytes still held by the trees)."""
    gc.collect()
    tracemalloc.start()
    trees = [parse(text) for text in texts]
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del trees
    return peak, held


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    texts = corpus()
    size = sum(len(t.encode("utf-8")) for t in texts)
    print(f"corpus: {len(texts)} articles, {size / 1e6:.2f} MB (UTF-8)")
    print(f"{'parser':<62} {'MB/s':>7} {'peak MB':>8} {'held MB':>8}")
    for name, parse in parsers().items():
        seconds = speed(parse, texts, args.repeat)
        peak, held = peak_memory(parse, texts)
        print(f"{name:<62} {size / 1e6 / seconds:>7.2f} {peak / 1e6:>8.1f} {held / 1e6:>8.1f}")

    import kb

    big = ""
    for text in texts * 10:
        if len(big.encode("utf-8")) >= 1_000_000:
            break
        big += text + "\n\n"
    big_mb = len(big.encode("utf-8")) / 1e6
    peak, held = peak_memory(kb.parse, [big])
    print(f"kb.parse of one {big_mb:.2f} MB article: peak {peak / 1e6:.1f} MB, tree {held / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
