"""The meaning of ``{for}``: terms that name nothing, versions outside the
configured ones, and predicates that can never be true or are always true
where they stand.

"Where they stand" is judged for the readers the article is written for (its
product; every product for a template), among those who get past the
enclosing ``{for}`` s. The readers are enumerated cheaply, one per cell of the reader grid
(:mod:`kb.conditions.grid`) that the version terms (cutting the version line)
and the platform terms (grouping platforms) of the predicates involved draw. Any two readers in one cell
answer every one of those predicates alike, so one stands for all.
"""

from __future__ import annotations

import difflib
import re

from kb.conditions.grid import ReaderGrid
from kb.conditions.predicate import GROUP, PLATFORM, PRODUCT, UNKNOWN, VERSION, predicate_of
from kb.markup import nodes as n
from kb.markup.diagnostics import Fix

_VERSIONISH = re.compile(r"(.*?[^\d.])(\d[\d.]*)")


def check(unit) -> list:
    fors = unit.nodes(n.For)
    if not fors:
        return []
    out = []
    config = unit.config
    for node in fors:
        out.extend(_terms(unit, node, config))
    if unit.products:
        cache: dict = {}
        for node in fors:
            found = _satisfiability(unit, node, config, cache)
            if found is not None:
                out.append(found)
    return out


# -- terms ---------------------------------------------------------------------------


def _terms(unit, node: n.For, config) -> list:
    out = []
    for resolved in predicate_of(node).resolve(config):
        if resolved.kind != UNKNOWN:
            continue
        term = resolved.term
        out_of_range = _version_out_of_range(term, config)
        if out_of_range is not None:
            product, version = out_of_range
            out.append(unit.finding(
                "version-out-of-range",
                f"{{for}} term {term.text!r} names {product.name} {version}, which is not a configured "
                f"version ({product.versions.describe()}); the term is ignored, so it neither shows nor "
                f"hides anything. Use a configured version or add it to kb.yaml.",
                term.start, term.end))
            continue
        suggestion = _suggest(term, config)
        fix = None
        if term.exact and config.product(term.name):
            hint = f"; '=' only works with a version, such as ={term.name}{_example(term.name, config)}."
        elif suggestion:
            hint = f"; did you mean {suggestion!r}?"
            name_start = term.end - len(term.name)
            fix = Fix(name_start, term.end, suggestion, f"write {suggestion}")
        else:
            hint = "."
        out.append(unit.finding(
            "unknown-term",
            f"{{for}} term {term.text!r} names no product, version or platform and is ignored "
            f"(it neither shows nor hides anything){hint}",
            term.start, term.end, fix))
    return out


def _version_out_of_range(term, config):
    """(product, version text) when the term is a known product's short slug
    followed by a number that is not one of its versions."""
    m = _VERSIONISH.fullmatch(term.name)
    if not m:
        return None
    product = config.product_by_short(m.group(1))
    if product is None or not len(product.versions):
        return None
    return product, m.group(2)


def _suggest(term, config) -> str | None:
    names = [p.slug for p in config.products] + [p.short for p in config.products]
    names += [p.slug for p in config.platforms] + list(config.platform_groups)
    name = term.name.strip().lower()
    if name != term.name and _known(name, config):  # 'Mac', 'WIN'
        return name
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
    return close[0] if close and close[0] != term.name else None


def _example(short: str, config) -> str:
    product = config.product(short)
    last = product.versions.last if product is not None and len(product.versions) else None
    return "" if last is None else str(last)


def _known(name: str, config) -> bool:
    return bool(config.product(name) or config.version_slug(name) or config.platform(name)
                or config.platform_group(name))


# -- never / always true ---------------------------------------------------------------


def _readers(products, fors, config):
    for prod in products:
        yield from ReaderGrid(prod, fors, config).readers()


def _satisfiability(unit, node: n.For, config, cache: dict):
    predicate = predicate_of(node)
    kinds = [r.kind for r in predicate.resolve(config)]
    known = [k for k in kinds if k != UNKNOWN]
    if not known:
        return None  # {for} or only unknown terms: shows to everyone (reported as unknown terms)
    chain = [a for a in node.ancestors() if isinstance(a, n.For)]
    chain.reverse()  # outermost first
    key = (tuple(a.predicate_text for a in chain), node.predicate_text)
    if key in cache:  # the same predicates nested the same way answer the same
        verdict = cache[key]
    else:
        verdict = cache[key] = _verdict(unit.products, chain, node, config)
    if verdict is None:
        return None
    kind, detail = verdict
    if detail == "chain":  # named per node: the enclosing {for} and its line
        detail = _chain_text(chain, node, config)
    tag = _tag(node)
    where = _products_text(unit)
    if kind == "other-product":
        if any(k in (PRODUCT, VERSION) for k in kinds):
            about = f"is only about {detail}"
        else:
            about = f"names only platforms {where.strip() or 'the product'} does not run on (only {detail} readers have them)"
        return unit.finding(
            "other-product",
            f"{tag} {about}, so no {where}reader sees what it wraps; "
            f"remove it, or move that content to an article for {detail}.",
            node.start, node.start + len(node.prefix))
    if kind == "never":
        if detail is None:
            message = f"{tag} is true for no {where}reader, so what it wraps is never shown; fix the predicate or remove the block."
        else:
            message = (f"{tag} can never be true inside {detail}: no {where}reader satisfies both, "
                       f"so what it wraps is never shown; fix the predicate or move the block.")
        return unit.finding("never-true", message, node.start, node.start + len(node.prefix))
    # always
    if detail is None:
        message = f"{tag} is true for every {where}reader, so it changes nothing; remove the {{for}} tags."
    else:
        message = f"{tag} is always true inside {detail}, so it changes nothing there; remove the {{for}} tags."
    fix = None
    if node.suffix and node.children:
        inner = unit.body[node.start + len(node.prefix): node.end - len(node.suffix)]
        fix = Fix(node.start, node.end, inner, "remove the redundant {for} tags")
    return unit.finding("always-true", message, node.start, node.start + len(node.prefix), fix)


def _verdict(products, chain: list[n.For], node: n.For, config):
    """("never" | "always" | "other-product", detail) or None; detail is
    None, the other products' names, or "chain" (name the enclosing {for})."""
    fors = [*chain, node]
    readers = list(_readers(products, fors, config))
    inside = [r for r in readers if all(predicate_of(a).evaluate(r, config) for a in chain)]
    if not inside:
        return None  # an enclosing {for} is never true itself: reported there
    shown = [r for r in inside if predicate_of(node).evaluate(r, config)]
    if not shown:
        alone = any(predicate_of(node).evaluate(r, config) for r in readers)
        if not alone:
            others = [p for p in config.products if p not in products]
            other_readers = list(_readers(others, [node], config))
            elsewhere = sorted({r.product for r in other_readers if predicate_of(node).evaluate(r, config)})
            if elsewhere:
                names = [config.product_by_slug(s).name for s in elsewhere]
                return ("other-product", " and ".join(names))
            return ("never", None)
        return ("never", "chain")
    if len(shown) == len(inside):
        if len(inside) == len(readers) or all(predicate_of(node).evaluate(r, config) for r in readers):
            return ("always", None)  # true for every reader, enclosed or not
        return ("always", "chain")
    return None


def _chain_text(chain: list[n.For], node: n.For, config) -> str | None:
    """The enclosing {for} that matters (the innermost whose terms are of a
    kind this one's are), as '{for X} on line L'."""
    if not chain:
        return None
    mine = {_family(r.kind) for r in predicate_of(node).resolve(config)} - {None}
    pick = None
    for outer in reversed(chain):
        theirs = {_family(r.kind) for r in predicate_of(outer).resolve(config)}
        if mine & theirs:
            pick = outer
            break
    if pick is None:
        if len(chain) == 1:
            pick = chain[0]
        else:
            return "the enclosing " + " and ".join(f"{{for {a.predicate_text.strip()}}} (line {a.line})" for a in chain)
    return f"{{for {pick.predicate_text.strip()}}} (line {pick.line})"


def _family(kind: str) -> str | None:
    if kind in (PRODUCT, VERSION):
        return "product"
    if kind in (PLATFORM, GROUP):
        return "platform"
    return None


def _products_text(unit) -> str:
    """'Thunderbird ' for an article; '' for a template, read by all."""
    names = [p.name for p in unit.products]
    return names[0] + " " if len(names) == 1 else ""


def _tag(node: n.For) -> str:
    tag = node.prefix.strip()
    return tag if tag.startswith("{for") else f"{{for {node.predicate_text}}}"
