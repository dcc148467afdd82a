"""``{for PREDICATE}`` predicates: parsed once, evaluated against a reader.

The semantics are Kitsune's ``showfor.js`` ``matchesCriteria``, term by term:

1. The text is split on commas (``/\\s*,\\s*/``) and each term trimmed.
2. A term starting with ``not`` is negated; ``not`` and one following space
   are removed (``not fx66`` and ``notfx66`` both work).
3. A bare short slug becomes its product (``fx`` -> ``firefox``).
4. A leading ``=`` makes a version term exact (``=fx60``); otherwise a
   version term means "this version or later".
5. The name is then looked up, in this order, as a product slug, a version
   slug of a configured version, a platform slug, a platform group.
   Anything else is an unknown term and is ignored.
6. Result: (no product/version terms, or one of them matched) and
   (no platform/group terms, or one of them matched).

Because what a name means depends on the configuration, ``parse`` keeps only
the raw pieces of each term (:class:`Term`); their meaning is resolved once
per configuration and cached on the predicate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kb.conditions.config import Config, Number
from kb.conditions.context import Context

PRODUCT, VERSION, PLATFORM, GROUP, UNKNOWN = "product", "version", "platform", "group", "unknown"

_SEPARATOR = re.compile(r"\s*,\s*")


@dataclass(frozen=True, slots=True)
class Term:
    """One comma-separated term as written. ``name`` is what is left after
    ``not`` and ``=`` are removed; ``start``/``end`` are source offsets of
    the trimmed term (``text`` is ``source[start:end]``)."""

    text: str
    negated: bool
    exact: bool
    name: str
    start: int
    end: int

    @classmethod
    def parse(cls, text: str, start: int) -> "Term":
        negated = text.startswith("not")
        body = text
        if negated:
            body = body[3:]
            if body.startswith(" "):  # /^not ?/: one space only
                body = body[1:]
        exact = body.startswith("=")
        return cls(text, negated, exact, body[1:] if exact else body, start, start + len(text))


@dataclass(frozen=True, slots=True)
class Resolved:
    """A term's meaning under one configuration: its kind, and what a reader
    is compared with (a product slug, a version, a set of platform slugs)."""

    term: Term
    kind: str
    product: str | None = None
    version: Number | None = None
    platforms: frozenset[str] = frozenset()


def resolve_term(term: Term, config: Config) -> Resolved:
    if term.exact:
        name = term.name
    else:
        # Only a bare short slug is mapped; '=fx' stays 'fx', which is not a
        # product slug, so it is unknown (as in showfor.js).
        short = config.product_by_short(term.name)
        name = short.slug if short else term.name
    if config.product_by_slug(name):
        return Resolved(term, PRODUCT, product=name)
    version = config.version_slug(name)
    if version:
        return Resolved(term, VERSION, product=version[0].slug, version=version[1])
    if config.platform(name):
        return Resolved(term, PLATFORM, platforms=frozenset((name,)))
    group = config.platform_group(name)
    if group:
        return Resolved(term, GROUP, platforms=frozenset(group))
    return Resolved(term, UNKNOWN)


class Predicate:
    """A parsed ``{for}`` predicate. Immutable apart from its resolution cache."""

    __slots__ = ("text", "offset", "terms", "_cache")

    def __init__(self, text: str, offset: int, terms: tuple[Term, ...]) -> None:
        self.text = text
        self.offset = offset
        self.terms = terms
        # id(config) -> (config, resolved terms). Holding the config keeps
        # its id from being reused while the entry exists.
        self._cache: dict[int, tuple[Config, tuple[Resolved, ...]]] = {}

    @classmethod
    def parse(cls, text: str, offset: int = 0) -> "Predicate":
        """Split *text* into terms. *offset* is where *text* starts in the
        source, so term offsets are absolute. Empty terms (``{for}``,
        ``fx66,``) are dropped: they never change the result."""
        terms = []
        pos = 0
        for sep in [*_SEPARATOR.finditer(text), None]:
            end = sep.start() if sep else len(text)
            piece = text[pos:end]
            stripped = piece.strip()
            if stripped:
                lead = len(piece) - len(piece.lstrip())
                terms.append(Term.parse(stripped, offset + pos + lead))
            if sep:
                pos = sep.end()
        return cls(text, offset, tuple(terms))

    def __repr__(self) -> str:
        return f"Predicate({self.text!r})"

    def __str__(self) -> str:
        return self.text

    # -- meaning ------------------------------------------------------------

    def resolve(self, config: Config | None = None) -> tuple[Resolved, ...]:
        """Every term's meaning under *config* (cached per config object)."""
        config = config or Config.default()
        hit = self._cache.get(id(config))
        if hit is None or hit[0] is not config:
            hit = (config, tuple(resolve_term(t, config) for t in self.terms))
            self._cache[id(config)] = hit
        return hit[1]

    def classify(self, config: Config | None = None) -> tuple[str, ...]:
        """Each term's kind: 'product', 'version', 'platform', 'group' or 'unknown'."""
        return tuple(r.kind for r in self.resolve(config))

    def unknown_terms(self, config: Config | None = None) -> list[Term]:
        return [r.term for r in self.resolve(config) if r.kind == UNKNOWN]

    def evaluate(self, ctx: Context, config: Config | None = None) -> bool:
        """Is content under this predicate shown to the reader *ctx*?"""
        config = config or Config.default()
        has_product = match_product = has_platform = match_platform = False
        reader_span = None  # the reader's [min, max) version range, when needed
        for r in self.resolve(config):
            kind = r.kind
            if kind == PRODUCT:
                has_product = True
                if (ctx.product == r.product) != r.term.negated:
                    match_product = True
            elif kind == VERSION:
                has_product = True
                right = False
                if ctx.product == r.product:  # showfor's "enabled"
                    if reader_span is None:
                        reader_span = _reader_span(ctx, config)
                    low, high = reader_span
                    if high is not None:
                        right = low <= r.version < high if r.term.exact else r.version < high
                if right != r.term.negated:
                    match_product = True
            elif kind == PLATFORM or kind == GROUP:
                has_platform = True
                if (ctx.platform in r.platforms) != r.term.negated:
                    match_platform = True
        return (not has_product or match_product) and (not has_platform or match_platform)


def _reader_span(ctx: Context, config: Config) -> tuple[Number | None, Number | None]:
    product = config.product_by_slug(ctx.product)
    if product is None:
        return (None, None)
    version = ctx.version if ctx.version is not None else product.default_version
    if version is None:
        return (None, None)
    return product.versions.span(version)


@lru_cache(maxsize=1 << 16)
def parsed(text: str, offset: int = 0) -> Predicate:
    """``Predicate.parse(text, offset)``, parsed once: every ``{for}`` with the
    same predicate at the same place shares one (and its resolutions)."""
    return Predicate.parse(text, offset)


def predicate_of(node) -> Predicate:
    """The parsed predicate of a ``{for}`` node."""
    return parsed(node.predicate_text, node.predicate_start)


def matches(predicate_text: str, ctx: Context, config: Config | None = None) -> bool:
    """Does ``{for predicate_text}`` show its content to *ctx*?"""
    return parsed(predicate_text).evaluate(ctx, config)
