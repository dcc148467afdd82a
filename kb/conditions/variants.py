"""Variants: the genuinely different versions of an article for one product.

The space of readers is every configured version × every platform the
product offers. Only the predicates in the article can tell readers apart,
so the space is cut where they look: version terms cut the version line
(``fx66`` before 66; ``=fx66`` before 66 and after it) and platform terms
split the platforms into classes that every term treats alike. Each cell of
that grid is resolved once, and cells that read the same are one variant.
The cost depends on the predicates, not on how many versions are configured.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from kb.conditions.config import Config, Number, Product, format_version
from kb.conditions.context import Context, ContextError
from kb.conditions.grid import ReaderGrid, merge_adjacent, range_label, version_intervals
from kb.conditions.predicate import parsed
from kb.conditions.resolve import Visibility
from kb.markup import nodes as n

#: Given a template or include node, its parsed expansion (or None).
Expander = Callable[[n.Node], "n.Document | None"]

_EXPANDABLE = (n.Template, n.Include)

@dataclass(frozen=True)
class Span:
    """Versions ``low``…``high`` (configured versions, both included) on the
    given platforms. ``low``/``high`` are None for a product without versions."""

    low: Number | None
    high: Number | None
    platforms: frozenset[str]


@dataclass(frozen=True)
class Variant:
    product: str
    spans: tuple[Span, ...]
    label: str
    slug: str
    representative: Context
    #: Predicate text → whether this variant shows it, for the predicates
    #: whose answer differs between the article's variants.
    distinguishing: tuple[tuple[str, bool], ...] = ()

    def covers(self, ctx: Context, config: Config | None = None) -> bool:
        """Whether the reader ``ctx`` falls in this variant."""
        if ctx.product != self.product:
            return False
        config = config or Config.default()
        product = config.product_by_slug(self.product)
        version = ctx.version if ctx.version is not None else product.default_version
        for span in self.spans:
            if ctx.platform not in span.platforms:
                continue
            if span.low is None or version is None:
                return True
            if _within(product, version, span.low, span.high):
                return True
        return False


def _within(product: Product, version: Number, low: Number, high: Number) -> bool:
    """Whether a reader on ``version`` falls between the configured versions
    ``low`` and ``high``: an unconfigured version counts with the one below
    it, and versions outside the configured range with the nearest end."""
    versions = product.versions
    below = version >= versions.last or version < versions.first
    if below:
        version = versions.last if version >= versions.last else versions.first
    elif not versions.contains(version):
        version = versions.prev_before(version)
    return low <= version <= high


def variants(doc: n.Document, product: str = "firefox", config: Config | None = None,
             expand: Expander | None = None) -> list[Variant]:
    """The smallest list of variants such that every reader of ``product``
    falls in exactly one and all readers in one variant see the same
    content. Newest versions come first."""
    config = config or Config.default()
    prod = config.product(product)
    if prod is None:
        valid = ", ".join(p.slug for p in config.products)
        raise ContextError(f"unknown product {product!r}; valid products: {valid}")
    fors = list(for_nodes(doc, expand))
    grid = ReaderGrid(prod, fors, config)
    groups: dict[str, list[tuple[tuple, tuple[str, ...]]]] = {}
    for interval, platforms in grid.cells():
        ctx = Context(prod.slug, interval[1], platforms[0])
        key = content_key(doc, Visibility(ctx, config), expand)
        groups.setdefault(key, []).append((interval, platforms))
    out = [_make_variant(prod, cells, grid.intervals, config) for cells in groups.values()]
    return _with_distinctions(out, fors, config)


def version_ranges(doc: n.Document, product: str, config: Config | None = None,
                   expand: Expander | None = None) -> list[tuple[str, Number | None, Number | None]]:
    """The version ranges the article tells apart, newest first, each as
    (label, first version, last version): what a version picker offers."""
    config = config or Config.default()
    prod = config.product(product)
    intervals = version_intervals(prod, list(for_nodes(doc, expand)), config)
    return [(range_label(prod, low, high), low, high) for low, high in reversed(intervals)]


# -- the grid ---------------------------------------------------------------


def for_nodes(doc: n.Node, expand: Expander | None = None) -> Iterator[n.For]:
    """Every ``{for}`` in the document and in what its templates expand to."""
    seen: set[int] = set()
    stack = [doc]
    while stack:
        root = stack.pop()
        if id(root) in seen:
            continue
        seen.add(id(root))
        for node in root.walk():
            if isinstance(node, n.For):
                yield node
            elif expand is not None and isinstance(node, _EXPANDABLE):
                body = expand(node)
                if body is not None:
                    stack.append(body)


def content_key(doc: n.Node, visibility: Visibility, expand: Expander | None = None) -> str:
    """The source a reader sees, template expansions included: two readers
    with the same key see the same article."""
    out: list[str] = []
    stack: list[n.Node | str] = [doc]
    active: set[int] = set()  # expansions being walked, against recursion
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        if isinstance(item, n.For):
            if visibility.shows(item):
                stack.extend(reversed(item.children))
            continue
        if isinstance(item, n.Leaf):
            out.append(item.text)
            if expand is not None and isinstance(item, _EXPANDABLE):
                body = expand(item)
                if body is not None and id(body) not in active:
                    active.add(id(body))
                    stack.append(body)
            continue
        out.append(item.prefix)
        if item.suffix:
            stack.append(item.suffix)
        stack.extend(reversed(item.children))
    return "".join(out)


# -- naming -------------------------------------------------------------------


def _make_variant(prod: Product, cells, intervals, config: Config) -> Variant:
    # Merge the cells into spans: per platform class, adjacent intervals join.
    by_platforms: dict[tuple[str, ...], list[tuple]] = {}
    for interval, platforms in cells:
        by_platforms.setdefault(platforms, []).append(interval)
    spans: list[Span] = []
    for platforms, ivs in by_platforms.items():
        for low, high in merge_adjacent(ivs, intervals):
            spans.append(Span(low, high, frozenset(platforms)))
    spans = _join_platforms(spans)
    (interval, platforms) = cells[0]
    representative = Context(prod.slug, interval[1], platforms[0])
    label = "; ".join(_span_label(prod, s, config) for s in spans)
    slug = "_".join(_span_slug(prod, s, config) for s in spans)
    return Variant(prod.slug, tuple(spans), label, slug, representative)


def _join_platforms(spans: list[Span]) -> list[Span]:
    """Spans with the same versions on different platforms become one."""
    joined: dict[tuple, set[str]] = {}
    for span in spans:
        joined.setdefault((span.low, span.high), set()).update(span.platforms)
    out = [Span(low, high, frozenset(p)) for (low, high), p in joined.items()]
    return sorted(out, key=lambda s: (-(s.high or 0), s.low or 0))


def _platform_text(prod: Product, platforms: frozenset[str], config: Config) -> str:
    offered = [p for p in prod.platforms if p in platforms]
    if not offered or len(offered) == len(prod.platforms):
        return ""
    for group, members in config.platform_groups.items():
        if set(members) & set(prod.platforms) == set(offered):
            return _group_name(group, members, config)
    names = [config.platform(p).name if config.platform(p) else p for p in offered]
    # "Windows 8", "Windows 10" → "Windows 8 or 10"
    words = [name.split(" ", 1) for name in names]
    if len(names) > 1 and all(len(w) == 2 and w[0] == words[0][0] for w in words):
        return words[0][0] + " " + _or([w[1] for w in words])
    return _or(names)


def _group_name(group: str, members, config: Config) -> str:
    names = [config.platform(p).name for p in members if config.platform(p)]
    first_words = {name.split(" ", 1)[0] for name in names}
    return first_words.pop() if len(first_words) == 1 else group


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _span_label(prod: Product, span: Span, config: Config) -> str:
    where = _platform_text(prod, span.platforms, config)
    return range_label(prod, span.low, span.high) + (f" on {where}" if where else "")


def _span_slug(prod: Product, span: Span, config: Config) -> str:
    versions = prod.versions
    if span.low is None or (span.low == versions.first and span.high == versions.last):
        part = prod.short
    elif span.low == versions.first:
        part = f"{prod.short}-upto{format_version(span.high)}"
    elif span.high == versions.last:
        part = f"{prod.short}{format_version(span.low)}plus"
    elif span.low == span.high:
        part = f"{prod.short}{format_version(span.low)}"
    else:
        part = f"{prod.short}{format_version(span.low)}-{format_version(span.high)}"
    offered = [p for p in prod.platforms if p in span.platforms]
    if offered and len(offered) != len(prod.platforms):
        group = next((g for g, m in config.platform_groups.items()
                      if set(m) & set(prod.platforms) == set(offered)), None)
        part += "-" + (group or "-".join(offered))
    return part.replace(".", "_")


def _with_distinctions(found: list[Variant], fors: list[n.For], config: Config) -> list[Variant]:
    texts = []
    for node in fors:
        if node.predicate_text not in texts:
            texts.append(node.predicate_text)
    out = []
    answers = {}
    for variant in found:
        answers[variant.slug] = {t: parsed(t).evaluate(variant.representative, config)
                                 for t in texts}
    differing = [t for t in texts if len({answers[v.slug][t] for v in found}) > 1]
    for variant in found:
        pairs = tuple((t, answers[variant.slug][t]) for t in differing)
        out.append(Variant(variant.product, variant.spans, variant.label, variant.slug,
                           variant.representative, pairs))
    return out


def variant_for(found: list[Variant], ctx: Context, config: Config | None = None) -> Variant | None:
    """The variant a reader falls in."""
    return next((v for v in found if v.covers(ctx, config)), None)
