"""Who is reading: one product at one version on one platform.

A ``Context`` is what a ``{for}`` predicate is evaluated against. It is
written the way readers and the command line write it — ``fx60,mac``,
``fx60``, ``mac``, ``tb115 win10`` — or in Kitsune's persisted form
``product:platform:versionslug`` (``firefox:mac:fx60``), which is also what
``str()`` gives back.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from kb.conditions.config import (
    Config,
    Number,
    Product,
    format_version,
    is_number,
    normalize_version,
    parse_version,
)
from kb.errors import KbError


class ContextError(KbError, ValueError):
    """A reader description naming something the configuration does not know.
    The message lists the valid values."""

    status = 2


@dataclass(frozen=True)
class Context:
    product: str  # a product slug: 'firefox'
    version: Number | None = None  # None: the product's default version
    platform: str | None = None  # a platform slug: 'mac'; None: unknown
    # The product's short slug, remembered so str() can spell version slugs
    # for products the default configuration does not know.
    short: str | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.version is not None:
            object.__setattr__(self, "version", normalize_version(self.version))

    def __str__(self) -> str:
        version = ""
        if self.version is not None:
            short = self.short
            if short is None:
                known = Config.default().product_by_slug(self.product)
                short = known.short if known else self.product
            version = f"{short}{format_version(self.version)}"
        return f"{self.product}:{self.platform or ''}:{version}"

    def describe(self, config: Config | None = None) -> str:
        """'Firefox 60 on macOS'."""
        config = config or Config.default()
        product = config.product_by_slug(self.product)
        text = product.name if product else self.product
        if self.version is not None:
            text += f" {format_version(self.version)}"
        if self.platform:
            platform = config.platform(self.platform)
            text += f" on {platform.name if platform else self.platform}"
        return text

    # -- building -----------------------------------------------------------

    @classmethod
    def make(cls, product: str | None, version: Number | str | None, platform: str | None,
             config: Config | None = None) -> "Context":
        """A validated context. *product* is a slug or short slug (None: the
        first configured product); *version* a number, ``'60'`` or ``'fx60'``
        (None: the product's default); *platform* a slug or None."""
        config = config or Config.default()
        prod = _product(product, config)
        number = _version(version, prod, config)
        plat = _platform(platform, prod, config)
        return cls(prod.slug, number, plat, prod.short)

    @classmethod
    def parse(cls, text: str, config: Config | None = None) -> "Context":
        """``'fx60,mac'``, ``'fx60 mac'``, ``'mac'``, ``'thunderbird'``, or
        ``'firefox:mac:fx60'``. Missing parts take their defaults."""
        config = config or Config.default()
        text = text.strip()
        if ":" in text:
            parts = text.split(":")
            if len(parts) > 3 or "&" in text:
                raise ContextError(f"cannot read reader {text!r}: expected one "
                                   f"'product:platform:version', such as 'firefox:mac:fx60'")
            product, platform, version = (parts + [""] * 3)[:3]
            return cls.make(product or None, version or None, platform or None, config)

        product = version = platform = None
        for word in filter(None, re.split(r"[\s,]+", text)):
            found = config.version_slug(word)
            if found:
                product = _agree(product, found[0].slug, "product", text)
                version = _agree(version, found[1], "version", text)
            elif config.product(word):
                product = _agree(product, config.product(word).slug, "product", text)
            elif config.platform(word):
                platform = _agree(platform, word, "platform", text)
            elif _looks_like_version(word, config):  # 'fx60.0'; or 'fx300', refused by _version
                found = _looks_like_version(word, config)
                product = _agree(product, found.slug, "product", text)
                version = _agree(version, _version(word, found, config), "version", text)
            else:
                raise ContextError(_unknown_word(word, text, config))
        return cls.make(product, version, platform, config)


# ---------------------------------------------------------------------------
# Validation, with messages that list what is valid
# ---------------------------------------------------------------------------


def _looks_like_version(word: str, config: Config) -> Product | None:
    """The product whose short slug *word* starts with, when a number follows."""
    match = re.fullmatch(r"(.*[^\d.])(\d[\d.]*)", word)
    return config.product_by_short(match[1]) if match else None


def _agree(old, new, what: str, text: str):
    if old is not None and old != new:
        raise ContextError(f"reader {text!r} names two {what}s: {_show(old)} and {_show(new)}")
    return new


def _show(value) -> str:
    return format_version(value) if is_number(value) else repr(value)


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _product(name: str | None, config: Config) -> Product:
    if name is None:
        if config.default_product is None:
            raise ContextError("no products are configured")
        return config.default_product
    product = config.product(name)
    if product is None:
        valid = ", ".join(f"{p.slug} ({p.short})" if p.short != p.slug else p.slug
                          for p in config.products)
        names = [p.slug for p in config.products] + [p.short for p in config.products]
        raise ContextError(f"unknown product {name!r}{_did_you_mean(name, names)}; "
                           f"valid products: {valid}")
    return product


def _version(value: Number | str | None, product: Product, config: Config) -> Number | None:
    if value is None:
        return product.default_version
    number = value if is_number(value) else None
    if isinstance(value, str):
        number = parse_version(value)
        if number is None and value.startswith(product.short):
            number = parse_version(value[len(product.short):])
        if number is None:
            found = config.version_slug(value)
            if found and found[0] is not product:
                raise ContextError(f"version {value!r} is a {found[0].name} version, "
                                   f"not a {product.name} version")
    if number is None or not product.versions.contains(number):
        if not len(product.versions):
            raise ContextError(f"{product.name} has no versions; give none")
        shown = format_version(number) if number is not None else repr(value)
        last = product.versions.last
        raise ContextError(f"{product.name} has no version {shown}; valid versions: "
                           f"{product.versions.describe()} (written {format_version(last)} "
                           f"or {product.version_slug(last)})")
    return normalize_version(number)


def _platform(slug: str | None, product: Product, config: Config) -> str | None:
    if slug is None:
        return None
    if slug in product.platforms:
        return slug
    valid = ", ".join(product.platforms) or "none"
    if config.platform(slug):
        raise ContextError(f"{product.name} does not run on {config.platform(slug).name}; "
                           f"valid platforms for {product.name}: {valid}")
    group = config.platform_group(slug)
    if group:
        raise ContextError(f"{slug!r} is a group of platforms; pick one: "
                           f"{', '.join(p for p in group if p in product.platforms) or valid}")
    raise ContextError(f"unknown platform {slug!r}{_did_you_mean(slug, product.platforms)}; "
                       f"valid platforms for {product.name}: {valid}")


def _unknown_word(word: str, text: str, config: Config) -> str:
    group = config.platform_group(word)
    if group:
        return f"{word!r} is a group of platforms; pick one: {', '.join(group)}"
    names = [p.slug for p in config.products] + [p.short for p in config.products]
    names += [p.slug for p in config.platforms]
    products = ", ".join(f"{p.slug} ({p.short})" if p.short != p.slug else p.slug
                         for p in config.products)
    message = (f"unknown {word!r} in reader {text!r}{_did_you_mean(word, names)}; "
               f"valid products: {products}; "
               f"valid platforms: {', '.join(p.slug for p in config.platforms)}")
    example = next((p for p in config.products if len(p.versions)), None)
    if example is not None:
        message += f"; versions are written like {example.version_slug(example.versions.last)}"
    return message
