"""Time to compute the variants of every article, and how it scales with the
configured version range.

    python bench/variants.py [--repeat N]

Computes kb.variants for the seed article (product firefox) and every
Thunderbird corpus article (product thunderbird), with the default
configuration and with products configured for versions 1–200, 1–10 000 and
1–1 000 000, and reports the total time (best of N) for each. Trees are
parsed once, before timing.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kb.conditions.config import Config
from kb.conditions.variants import variants
from kb.content.articles import read_article
from kb.markup import parse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "thunderbird-en-US"


def config_with_range(last: int) -> Config:
    platforms = ["winxp", "win7", "win8", "win10", "win11", "mac", "linux"]
    return Config.from_mapping({"products": [
        {"slug": "firefox", "short": "fx", "name": "Firefox", "versions": {"from": 1, "to": last},
         "platforms": platforms},
        {"slug": "mobile", "short": "m", "name": "Firefox for Android", "versions": {"from": 1, "to": last},
         "platforms": ["android", "ios"]},
        {"slug": "thunderbird", "short": "tb", "name": "Thunderbird", "versions": {"from": 1, "to": last},
         "platforms": platforms},
    ]})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    seed = read_article(ROOT / "content" / "security-warning-codes.wiki").doc
    docs = [(seed, "firefox")] + [(parse(p.read_text(encoding="utf-8")), "thunderbird")
                                  for p in sorted(CORPUS.glob("*.wiki"))]
    configs = [("default (versions 1-150)", Config.default())] + [
        (f"versions 1-{last:,}", config_with_range(last)) for last in (200, 10_000, 1_000_000)]
    print(f"{len(docs)} articles (the seed + {len(docs) - 1} Thunderbird articles)")
    print(f"{'configuration':<28} {'total ms':>9} {'ms/article':>11} {'variants':>9}")
    for name, config in configs:
        best = float("inf")
        count = 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            count = sum(len(variants(doc, product, config)) for doc, product in docs)
            best = min(best, time.perf_counter() - start)
        print(f"{name:<28} {best * 1000:>9.1f} {best * 1000 / len(docs):>11.2f} {count:>9}")
    seed_best = min(_time(lambda: variants(seed, "firefox")) for _ in range(args.repeat))
    print(f"seed alone: {seed_best * 1000:.2f} ms, {len(variants(seed, 'firefox'))} variants")


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
