"""The reader grid: every reader of a product, cut where predicates look.

The readers of a product are every configured version × every platform it
runs on. Only the predicates of an article can tell two of them apart, so
the version line is cut where version terms look (``fx66`` before 66;
``=fx66`` before 66 and after it) and the platforms are grouped by how every
platform term sees them. Any two readers in one cell of that grid answer
every one of those predicates alike, so one reader stands for the cell.
Variants, the checker and code pages all enumerate readers this way; the
cost depends on the predicates, not on how many versions are configured.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from kb.conditions.config import Config, Number, Product, format_version
from kb.conditions.context import Context
from kb.conditions.predicate import GROUP, PLATFORM, VERSION, predicate_of

#: Which platform stands for its class (and orders the variants): the most
#: common readers first, so the first variant is the usual reader's.
PLATFORM_PREFERENCE = ("win10", "win11", "mac", "linux", "win8", "win7", "winxp", "android", "ios")

#: (first, last) configured versions of one cell; (None, None) for a
#: product without versions.
Interval = tuple


def preference(platform: str | None) -> int:
    return PLATFORM_PREFERENCE.index(platform) if platform in PLATFORM_PREFERENCE else len(PLATFORM_PREFERENCE)


def version_intervals(prod: Product, fors: Iterable, config: Config) -> list[Interval]:
    """(low, high) pairs of configured versions, oldest first."""
    versions = prod.versions
    first, last = versions.first, versions.last
    if first is None:
        return [(None, None)]
    starts = {first}
    for node in fors:
        for term in predicate_of(node).resolve(config):
            if term.kind == VERSION and term.product == prod.slug:
                starts.add(term.version)
                if term.term.exact:
                    after = versions.next_after(term.version)
                    if after is not None:
                        starts.add(after)
    ordered = sorted(s for s in starts if first <= s <= last)
    intervals = []
    for i, low in enumerate(ordered):
        high = versions.prev_before(ordered[i + 1]) if i + 1 < len(ordered) else last
        intervals.append((low, high))
    return intervals


def platform_classes(prod: Product, fors: Iterable, config: Config) -> list[tuple[str, ...]]:
    """The product's platforms grouped by how every platform term sees them."""
    sets = []
    for node in fors:
        for term in predicate_of(node).resolve(config):
            if term.kind in (PLATFORM, GROUP) and term.platforms not in sets:
                sets.append(term.platforms)
    classes: dict[tuple[bool, ...], list[str]] = {}
    for platform in sorted(prod.platforms or (None,), key=preference):
        signature = tuple(platform in s for s in sets)
        classes.setdefault(signature, []).append(platform)
    return [tuple(c) for c in classes.values()]


class ReaderGrid:
    """The cells of one product's readers for a set of ``{for}`` nodes."""

    def __init__(self, prod: Product, fors: Iterable, config: Config) -> None:
        fors = list(fors)
        self.product = prod
        self.intervals = version_intervals(prod, fors, config)
        self.classes = platform_classes(prod, fors, config)

    def cells(self) -> Iterator[tuple[Interval, tuple[str, ...]]]:
        """(interval, platform class) of every cell, newest versions first."""
        for interval in reversed(self.intervals):
            for platforms in self.classes:
                yield interval, platforms

    def reader(self, interval: Interval, platforms: tuple[str, ...], at_low: bool = False) -> Context:
        """The reader standing for a cell: its newest (or first) version on
        its most common platform."""
        prod = self.product
        return Context(prod.slug, interval[0] if at_low else interval[1], platforms[0], prod.short)

    def readers(self) -> Iterator[Context]:
        """One reader a cell, at the first version of each interval."""
        for platforms in self.classes:
            for interval in self.intervals:
                yield self.reader(interval, platforms, at_low=True)


def merge_adjacent(ivs: Iterable[Interval], intervals: list[Interval]) -> list[Interval]:
    """Intervals joined where they are neighbours in the product's version
    line (``intervals``, oldest first)."""
    order = {iv: i for i, iv in enumerate(intervals)}
    merged: list[list] = []
    for iv in sorted(ivs, key=lambda iv: order[iv]):
        if merged and order[merged[-1][2]] + 1 == order[iv]:
            merged[-1][1], merged[-1][2] = iv[1], iv
        else:
            merged.append([iv[0], iv[1], iv])
    return [(low, high) for low, high, _ in merged]


def range_label(prod: Product, low: Number | None, high: Number | None) -> str:
    """'Firefox 58–65', 'Firefox 66 and later', 'Firefox' (every version)."""
    versions = prod.versions
    if low is None:
        return prod.name
    lo, hi = format_version(low), format_version(high)
    if low == versions.first and high == versions.last:
        return prod.name
    if low == versions.first:
        return f"{prod.name} {hi} and earlier"
    if high == versions.last:
        return f"{prod.name} {lo} and later"
    if low == high:
        return f"{prod.name} {lo}"
    return f"{prod.name} {lo}\u2013{hi}"
