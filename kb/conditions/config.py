"""The configuration ``{for}`` predicates are read against: which products,
short slugs, versions, platforms and platform groups exist, plus a few
project settings. It is loaded from ``kb.yaml`` at the project root.

Schema (every key optional; an omitted key takes the default shown)::

    products:                           # a list of products
      - slug: firefox                   # required; what {for firefox} names
        short: fx                       # {for fx}, and version slugs fx66 (default: slug)
        name: Firefox                   # shown to readers (default: slug)
        versions: {from: 1, to: 150}    # integers from..to, or an explicit list
                                        # of numbers: [3.5, 3.6, 4, 5] (default: none)
        platforms: [winxp, win7, mac]   # platforms it runs on (default: all)
        default_version: 150            # a reader's version when none is given
                                        # (default: the highest)
    platforms:                          # a list of {slug, name} (or bare slugs)
      - {slug: winxp, name: Windows XP}
    platform_groups:                    # group name -> its platforms
      win: [winxp, win7, win8, win10, win11]
    live_site: https://support.mozilla.org/en-US/kb/   # base URL of articles not in content/
    check: {ignore: [], select: []}     # read by ``kb check``; other keys kept as they are
    embeds: false                       # true: pages load YouTube players and other
                                        # sites' pictures as they open

Defaults are Kitsune's: Firefox (fx), Firefox for Android (m) and Thunderbird
(tb), versions 1 to 150; Windows XP/7/8/10/11, macOS, Linux, Android, iOS;
the group ``win``. When ``platforms`` is given but ``products`` or
``platform_groups`` is not, the default products and groups keep only the
configured platforms.

Version slugs are the short slug followed by the version as Python prints it
without a trailing ``.0``: ``fx66``, ``fx3.6``. Only versions of the
configured list are version slugs (``fx300`` names nothing when versions end
at 150).

Every error names the file, the line and the key::

    kb.yaml:7: products[0].versions: expected a mapping {from, to} or a list of numbers, got 'abc'
"""

from __future__ import annotations

import bisect
import difflib
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterator, Mapping, Union

import yaml

from kb.files import read_file
from kb.errors import KbError

Number = Union[int, float]

CONFIG_FILE = "kb.yaml"
DEFAULT_LIVE_SITE = "https://support.mozilla.org/en-US/kb/"


class ConfigError(KbError):
    """A mistake in ``kb.yaml``; ``str()`` is ``file:line: key: message``."""

    status = 2

    def __init__(self, filename: str, line: int | None, key: str | None, message: str) -> None:
        self.filename, self.line, self.key, self.message = filename, line, key, message
        where = filename if line is None else f"{filename}:{line}"
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")


# ---------------------------------------------------------------------------
# Version numbers
# ---------------------------------------------------------------------------

_VERSION_TEXT = re.compile(r"\d+(?:\.\d+)?")


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def normalize_version(value: Number) -> Number:
    """60.0 -> 60, so a version prints and hashes one way."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def format_version(value: Number) -> str:
    """60 -> '60', 60.0 -> '60', 3.6 -> '3.6'."""
    return str(normalize_version(value))


def parse_version(text: str) -> Number | None:
    """'60' -> 60, '3.6' -> 3.6; None unless the text is a plain number."""
    if not _VERSION_TEXT.fullmatch(text):
        return None
    return normalize_version(float(text)) if "." in text else int(text)


class Versions:
    """The ordered versions of one product. Version *v* covers the range
    ``[v, next version)`` (the last one ``[v, v + 1)``), as Kitsune's
    ``min_version``/``max_version``. Look-ups never enumerate the versions."""

    __slots__ = ()

    @staticmethod
    def range(first: int, last: int) -> "VersionRange":
        return VersionRange(first, last)

    @staticmethod
    def of(values) -> "VersionList":
        return VersionList(tuple(sorted(normalize_version(v) for v in values)))

    def contains(self, v: object) -> bool:
        raise NotImplementedError

    def bounds(self, v: Number) -> tuple[Number, Number]:
        """(min, max) of a member version; KeyError for others."""
        raise NotImplementedError

    @property
    def first(self) -> Number | None:
        raise NotImplementedError

    @property
    def last(self) -> Number | None:
        raise NotImplementedError

    def next_after(self, v: Number) -> Number | None:
        """The smallest version greater than *v*, or None."""
        raise NotImplementedError

    def prev_before(self, v: Number) -> Number | None:
        """The greatest version less than *v*, or None."""
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def span(self, v: Number) -> tuple[Number, Number]:
        """The range a reader on version *v* stands for: ``bounds(v)`` for a
        member, else from *v* up to the next member (or *v* + 1)."""
        if self.contains(v):
            return self.bounds(v)
        following = self.next_after(v)
        return (v, following if following is not None else v + 1)

    def __contains__(self, v: object) -> bool:
        return self.contains(v)

    def __iter__(self) -> Iterator[Number]:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError


@dataclass(frozen=True)
class VersionRange(Versions):
    """The integers ``lo`` to ``hi`` inclusive; membership is arithmetic."""

    lo: int
    hi: int

    def contains(self, v: object) -> bool:
        return is_number(v) and self.lo <= v <= self.hi and float(v).is_integer()

    def bounds(self, v: Number) -> tuple[Number, Number]:
        if not self.contains(v):
            raise KeyError(v)
        v = int(v)
        return (v, v + 1)

    @property
    def first(self) -> int:
        return self.lo

    @property
    def last(self) -> int:
        return self.hi

    def next_after(self, v: Number) -> int | None:
        n = self.lo if v < self.lo else math.floor(v) + 1
        return n if n <= self.hi else None

    def prev_before(self, v: Number) -> int | None:
        n = self.hi if v > self.hi else math.ceil(v) - 1
        return n if n >= self.lo else None

    def describe(self) -> str:
        return f"{self.lo} to {self.hi}"

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.lo, self.hi + 1))

    def __len__(self) -> int:
        return self.hi - self.lo + 1


@dataclass(frozen=True)
class VersionList(Versions):
    """An explicit, sorted list of versions (which may be decimals)."""

    values: tuple[Number, ...]
    _index: Mapping[Number, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {v: i for i, v in enumerate(self.values)})

    def contains(self, v: object) -> bool:
        return is_number(v) and v in self._index

    def bounds(self, v: Number) -> tuple[Number, Number]:
        i = self._index[v]
        top = self.values[i + 1] if i + 1 < len(self.values) else self.values[i] + 1
        return (self.values[i], top)

    @property
    def first(self) -> Number | None:
        return self.values[0] if self.values else None

    @property
    def last(self) -> Number | None:
        return self.values[-1] if self.values else None

    def next_after(self, v: Number) -> Number | None:
        i = bisect.bisect_right(self.values, v)
        return self.values[i] if i < len(self.values) else None

    def prev_before(self, v: Number) -> Number | None:
        i = bisect.bisect_left(self.values, v)
        return self.values[i - 1] if i > 0 else None

    def describe(self) -> str:
        return ", ".join(format_version(v) for v in self.values) or "none"

    def __iter__(self) -> Iterator[Number]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


# ---------------------------------------------------------------------------
# Products, platforms, the configuration
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Platform:
    slug: str
    name: str


@dataclass(frozen=True)
class Product:
    slug: str
    short: str
    name: str
    versions: Versions
    platforms: tuple[str, ...]
    default_version: Number | None = None

    def version_slug(self, version: Number) -> str:
        """'fx' + 66 -> 'fx66'."""
        return f"{self.short}{format_version(version)}"


@dataclass(frozen=True, eq=False)
class Config:
    """Frozen; compared and hashed by identity so it can key caches."""

    products: tuple[Product, ...]
    platforms: tuple[Platform, ...]
    platform_groups: Mapping[str, tuple[str, ...]]
    live_site: str = DEFAULT_LIVE_SITE
    check: dict = field(default_factory=lambda: {"ignore": [], "select": []})
    source: str | None = None  # the file it came from, None for the defaults
    #: Whether pages may load players and pictures from other sites as they
    #: open (a YouTube player, a raw <img> from another host); by default
    #: each is a link the reader follows, so no other site learns of a
    #: reader who did not ask.
    embeds: bool = False

    def __post_init__(self) -> None:
        # Look-up tables, built once; frozen, hence object.__setattr__.
        derived = {
            "platform_groups": MappingProxyType(dict(self.platform_groups)),
            "_by_slug": {p.slug: p for p in self.products},
            "_by_short": {p.short: p for p in self.products},
            "_platforms": {p.slug: p for p in self.platforms},
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)

    # -- loading ------------------------------------------------------------

    @classmethod
    def load(cls, root: Path | str) -> "Config":
        """``root/kb.yaml`` if it exists, else the defaults."""
        path = Path(root) / CONFIG_FILE
        if not path.is_file():
            return cls.default()
        data = read_file(path)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ConfigError(str(path), None, None, f"not valid UTF-8 at byte offset {exc.start}") from None
        return cls.from_yaml_text(text, str(path))

    @classmethod
    def from_yaml_text(cls, text: str, filename: str = CONFIG_FILE) -> "Config":
        return _Schema(filename).parse(text)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], filename: str = "<config>") -> "Config":
        """Build from plain data (as if it were YAML), with the same checks."""
        return cls.from_yaml_text(yaml.safe_dump(dict(data), sort_keys=False), filename)

    @staticmethod
    @lru_cache(maxsize=1)
    def default() -> "Config":
        return Config(DEFAULT_PRODUCTS, DEFAULT_PLATFORMS, DEFAULT_GROUPS)

    # -- look-ups -----------------------------------------------------------

    def product(self, slug_or_short: str) -> Product | None:
        return self._by_slug.get(slug_or_short) or self._by_short.get(slug_or_short)

    def product_by_slug(self, slug: str) -> Product | None:
        return self._by_slug.get(slug)

    def product_by_short(self, short: str) -> Product | None:
        return self._by_short.get(short)

    def platform(self, slug: str) -> Platform | None:
        return self._platforms.get(slug)

    def platform_group(self, name: str) -> tuple[str, ...] | None:
        return self.platform_groups.get(name)

    def version_slug(self, name: str) -> tuple[Product, Number] | None:
        """'fx66' -> (Firefox, 66) when 66 is a configured Firefox version."""
        match = _VERSION_SLUG.match(name)
        if not match:
            return None
        product = self._by_short.get(match[1])
        version = parse_version(match[2])
        # Only the canonical spelling is a slug: 'fx60.0' and 'fx060' are not.
        if product is None or version is None or format_version(version) != match[2]:
            return None
        return (product, version) if product.versions.contains(version) else None

    @property
    def default_product(self) -> Product | None:
        return self.products[0] if self.products else None


# A short slug never ends in a digit or a dot (the schema checks), so the
# number is everything after the last other character.
_VERSION_SLUG = re.compile(r"(.*[^\d.])(\d[\d.]*)")


# ---------------------------------------------------------------------------
# Defaults (Kitsune's)
# ---------------------------------------------------------------------------

DEFAULT_PLATFORMS = tuple(
    Platform(slug, name)
    for slug, name in (
        ("winxp", "Windows XP"),
        ("win7", "Windows 7"),
        ("win8", "Windows 8"),
        ("win10", "Windows 10"),
        ("win11", "Windows 11"),
        ("mac", "macOS"),
        ("linux", "Linux"),
        ("android", "Android"),
        ("ios", "iOS"),
    )
)
_DESKTOP = ("winxp", "win7", "win8", "win10", "win11", "mac", "linux")
DEFAULT_PRODUCTS = (
    Product("firefox", "fx", "Firefox", Versions.range(1, 150), _DESKTOP, 150),
    Product("mobile", "m", "Firefox for Android", Versions.range(1, 150), ("android", "ios"), 150),
    Product("thunderbird", "tb", "Thunderbird", Versions.range(1, 150), _DESKTOP, 150),
)
DEFAULT_GROUPS = {"win": ("winxp", "win7", "win8", "win10", "win11")}


# ---------------------------------------------------------------------------
# Reading kb.yaml. yaml's node API (not safe_load) keeps each value's line.
# ---------------------------------------------------------------------------

_TOP_KEYS = ("products", "platforms", "platform_groups", "live_site", "check", "embeds")
_PRODUCT_KEYS = ("slug", "short", "name", "versions", "platforms", "default_version")
_PLATFORM_KEYS = ("slug", "name")
_RANGE_KEYS = ("from", "to")
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_VERSIONS_EXPECTED = "expected a mapping {from, to} or a list of numbers"


def _join(path: str | None, key: str) -> str:
    return f"{path}.{key}" if path else key


def _hint(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; expected one of: {', '.join(choices)}" if choices else ""


class _Schema:
    """One reading of one file: validates node by node, raising ConfigError."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.loader: yaml.SafeLoader | None = None
        # Every name a {for} term can mean, so no two things share one:
        # name -> (what it is, node or None for a default, key path).
        self.names: dict[str, tuple[str, yaml.Node | None, str | None]] = {}

    # -- the document -------------------------------------------------------

    def parse(self, text: str) -> Config:
        root = self._compose(text)
        top = {} if root is None else self.mapping(root, None, _TOP_KEYS)
        value = lambda key: top[key][1] if key in top else None  # noqa: E731

        if "platforms" in top:
            platforms = self.platforms(value("platforms"))
        else:
            platforms = DEFAULT_PLATFORMS
            for p in platforms:
                self.register(p.slug, f"the default platform {p.slug!r}", None, None)
        known = [p.slug for p in platforms]

        if "platform_groups" in top:
            groups = self.groups(value("platform_groups"), known)
        else:
            groups = {}
            for name, members in DEFAULT_GROUPS.items():
                kept = tuple(m for m in members if m in known)
                if kept:
                    groups[name] = kept
                    self.register(name, f"the default platform group {name!r}", None, None)

        if "products" in top:
            products = self.products(value("products"), known)
        else:
            products = tuple(
                Product(p.slug, p.short, p.name, p.versions,
                        tuple(s for s in p.platforms if s in known), p.default_version)
                for p in DEFAULT_PRODUCTS
            )
            for p in products:
                self.register(p.slug, f"the default product {p.slug!r}", None, None)
                self.register(p.short, f"the short slug of the default product {p.slug!r}", None, None)

        live_site = self.string(value("live_site"), "live_site") if "live_site" in top else DEFAULT_LIVE_SITE
        check = self.check(value("check")) if "check" in top else {"ignore": [], "select": []}
        embeds = self.boolean(value("embeds"), "embeds") if "embeds" in top else False
        return Config(products, platforms, groups, live_site, check, self.filename, embeds)

    def _compose(self, text: str) -> yaml.Node | None:
        loader = self.loader = yaml.SafeLoader(text)
        try:
            return loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            raise ConfigError(self.filename, line, None, f"invalid YAML: {exc.problem or exc.context}") from None
        except yaml.YAMLError as exc:
            raise ConfigError(self.filename, None, None, f"invalid YAML: {exc}") from None
        finally:
            loader.dispose()

    # -- sections -----------------------------------------------------------

    def platforms(self, node: yaml.Node) -> tuple[Platform, ...]:
        out = []
        for i, item in enumerate(self.sequence(node, "platforms")):
            path = f"platforms[{i}]"
            if isinstance(item, yaml.ScalarNode):  # a bare slug
                slug_node, slug_path = item, path
                slug = self.slug(item, path)
                name = slug
            else:
                fields = self.mapping(item, path, _PLATFORM_KEYS, required=("slug",))
                slug_node, slug_path = fields["slug"][1], f"{path}.slug"
                slug = self.slug(slug_node, slug_path)
                name = self.string(fields["name"][1], f"{path}.name") if "name" in fields else slug
            self.register(slug, f"the slug of {path}", slug_node, slug_path)
            out.append(Platform(slug, name))
        return tuple(out)

    def groups(self, node: yaml.Node, known: list[str]) -> dict[str, tuple[str, ...]]:
        out = {}
        for name, (key_node, value_node) in self.mapping(node, "platform_groups", None).items():
            path = f"platform_groups.{name}"
            self.slug(key_node, path)
            members = []
            for j, item in enumerate(self.sequence(value_node, path, non_empty=True)):
                slug = self.string(item, f"{path}[{j}]")
                if slug not in known:
                    self.fail(item, f"{path}[{j}]", f"unknown platform {slug!r}{_hint(slug, known)}")
                if slug not in members:
                    members.append(slug)
            self.register(name, f"the platform group {path}", key_node, path)
            out[name] = tuple(members)
        return out

    def products(self, node: yaml.Node, known: list[str]) -> tuple[Product, ...]:
        return tuple(
            self.product(item, f"products[{i}]", known)
            for i, item in enumerate(self.sequence(node, "products"))
        )

    def product(self, node: yaml.Node, path: str, known: list[str]) -> Product:
        fields = self.mapping(node, path, _PRODUCT_KEYS, required=("slug",))
        field_node = lambda key: fields[key][1] if key in fields else None  # noqa: E731
        slug = self.slug(field_node("slug"), f"{path}.slug")
        short = self.slug(field_node("short"), f"{path}.short") if "short" in fields else slug
        name = self.string(field_node("name"), f"{path}.name") if "name" in fields else slug
        versions = (
            self.versions(field_node("versions"), f"{path}.versions")
            if "versions" in fields else Versions.of(())
        )
        if len(versions) and short[-1] in "0123456789.":
            key = "short" if "short" in fields else "slug"
            self.fail(field_node(key), f"{path}.{key}",
                      f"{short!r} ends in a digit or '.', so version slugs such as "
                      f"'{short}66' would be ambiguous; give the product a 'short' slug that does not")
        platforms = tuple(known)
        if "platforms" in fields:
            platforms = self.product_platforms(field_node("platforms"), f"{path}.platforms", known)
        default_version = versions.last
        if "default_version" in fields:
            default_version = self.default_version(field_node("default_version"), f"{path}.default_version", versions)
        self.register(slug, f"the slug of {path}", field_node("slug"), f"{path}.slug")
        if short != slug:
            self.register(short, f"the short slug of {path}", field_node("short"), f"{path}.short")
        return Product(slug, short, name, versions, platforms, default_version)

    def versions(self, node: yaml.Node, path: str) -> Versions:
        if isinstance(node, yaml.MappingNode):
            fields = self.mapping(node, path, _RANGE_KEYS, required=_RANGE_KEYS)
            lo = self.integer(fields["from"][1], f"{path}.from")
            hi = self.integer(fields["to"][1], f"{path}.to")
            if lo > hi:
                self.fail(node, path, f"'from' ({lo}) is greater than 'to' ({hi})")
            return Versions.range(lo, hi)
        if isinstance(node, yaml.SequenceNode):
            seen: dict[Number, int] = {}
            for j, item in enumerate(node.value):
                value = self.scalar(item, f"{path}[{j}]") if isinstance(item, yaml.ScalarNode) else None
                if not is_number(value) or value < 0:
                    self.fail(item, f"{path}[{j}]", f"expected a non-negative number, got {self.describe(item)}")
                value = normalize_version(value)
                if value in seen:
                    self.fail(item, f"{path}[{j}]",
                              f"duplicate version {format_version(value)} (also {path}[{seen[value]}])")
                seen[value] = j
            return Versions.of(seen)
        self.fail(node, path, f"{_VERSIONS_EXPECTED}, got {self.describe(node)}")

    def product_platforms(self, node: yaml.Node, path: str, known: list[str]) -> tuple[str, ...]:
        out = []
        for j, item in enumerate(self.sequence(node, path)):
            slug = self.string(item, f"{path}[{j}]")
            if slug not in known:
                self.fail(item, f"{path}[{j}]", f"unknown platform {slug!r}{_hint(slug, known)}")
            if slug not in out:
                out.append(slug)
        return tuple(out)

    def default_version(self, node: yaml.Node, path: str, versions: Versions) -> Number:
        value = self.scalar(node, path)
        if not versions.contains(value):
            self.fail(node, path, f"{self.describe(node)} is not one of the product's versions "
                                  f"({versions.describe()})")
        return normalize_version(value)

    def check(self, node: yaml.Node) -> dict:
        fields = self.mapping(node, "check", None)
        for key in ("ignore", "select"):
            if key in fields:
                for j, item in enumerate(self.sequence(fields[key][1], f"check.{key}")):
                    self.string(item, f"check.{key}[{j}]")
        data = self.construct(node, "check")
        data.setdefault("ignore", [])
        data.setdefault("select", [])
        return data

    # -- shapes -------------------------------------------------------------

    def mapping(self, node: yaml.Node, path: str | None, allowed, required=()) -> dict:
        """key -> (key node, value node); checks unknown, missing and repeated keys."""
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, path, f"expected a mapping, got {self.describe(node)}")
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node, path) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.fail(key_node, path, f"expected a text key, got {self.describe(key_node)}")
            if allowed is not None and key not in allowed:
                self.fail(key_node, _join(path, key), f"unknown key{_hint(key, allowed)}")
            if key in out:
                first = out[key][0].start_mark.line + 1
                self.fail(key_node, _join(path, key), f"duplicate key (first on line {first})")
            out[key] = (key_node, value_node)
        for key in required:
            if key not in out:
                self.fail(node, path, f"missing required key {key!r}")
        return out

    def sequence(self, node: yaml.Node, path: str, non_empty: bool = False) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode) or (non_empty and not node.value):
            self.fail(node, path, f"expected a {'non-empty ' if non_empty else ''}list, got {self.describe(node)}")
        return node.value

    def scalar(self, node: yaml.Node, path: str | None) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, path, f"expected a single value, got {self.describe(node)}")
        return self.construct(node, path)

    def construct(self, node: yaml.Node, path: str | None) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self.fail(node, path, f"invalid value: {getattr(exc, 'problem', None) or exc}")

    def string(self, node: yaml.Node, path: str) -> str:
        value = self.scalar(node, path)
        if not isinstance(value, str) or not value.strip():
            self.fail(node, path, f"expected a text, got {self.describe(node)}")
        return value

    def boolean(self, node: yaml.Node, path: str) -> bool:
        value = self.scalar(node, path)
        if not isinstance(value, bool):
            self.fail(node, path, f"expected true or false, got {self.describe(node)}")
        return value

    def integer(self, node: yaml.Node, path: str) -> int:
        value = self.scalar(node, path)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.fail(node, path, f"expected a non-negative integer, got {self.describe(node)}")
        return value

    def slug(self, node: yaml.Node, path: str) -> str:
        value = self.string(node, path)
        if not _SLUG.fullmatch(value):
            self.fail(node, path, f"{value!r} is not a slug (letters, digits, '.', '_', '-'; "
                                  f"no spaces or commas)")
        if value.startswith("not"):
            # showfor strips a leading 'not' as negation before it looks the name up.
            self.fail(node, path, f"{value!r} starts with 'not', which {{for}} reads as negation")
        return value

    def describe(self, node: yaml.Node) -> str:
        if isinstance(node, yaml.MappingNode):
            return "a mapping"
        if isinstance(node, yaml.SequenceNode):
            return "a list"
        value = self.construct(node, None)
        return "nothing" if value is None else repr(value)

    # -- bookkeeping --------------------------------------------------------

    def register(self, name: str, what: str, node: yaml.Node | None, path: str | None) -> None:
        if name in self.names:
            before, before_node, before_path = self.names[name]
            if node is None:  # a default: report where the file names it
                node, path, what, before = before_node, before_path, before, what
            self.fail(node, path, f"duplicate name {name!r}: already {before}")
        self.names[name] = (what, node, path)

    def fail(self, node: yaml.Node | None, path: str | None, message: str):
        line = node.start_mark.line + 1 if node is not None else None
        raise ConfigError(self.filename, line, path, message)
