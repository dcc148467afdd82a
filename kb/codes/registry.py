"""The error-code registry: loading and validating ``content/codes.yaml``.

This module owns the registry file's schema and every check on it. It reads the
YAML as a node tree (``yaml.compose``) so that each problem is reported as
``FILE:LINE: problem``, then builds an immutable :class:`Registry` of
:class:`CodeEntry` values with case-insensitive lookup by code or alias, lookup
by numeric value, and the per-article list of shared guidance sections.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from kb.files import read_file
from kb.errors import KbError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

CATEGORIES = (
    "issuer",
    "validity",
    "domain",
    "policy",
    "self-signed",
    "interception",
    "revocation",
    "algorithm",
)

TOP_LEVEL_KEYS = ("codes", "shared_sections")
ENTRY_KEYS = (
    "code",
    "value",
    "aliases",
    "title",
    "summary",
    "category",
    "related",
    "special_case_of",
    "article",
)
REQUIRED_KEYS = ("code", "value", "title")

_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class RegistryError(KbError):
    """A problem in the registry file; the message is ``FILE:LINE: problem``."""

    def __init__(self, filename: str, line: int, problem: str) -> None:
        super().__init__(f"{filename}:{line}: {problem}")
        self.filename = filename
        self.line = line
        self.problem = problem


@dataclass(frozen=True)
class CodeEntry:
    """One error code: its canonical name, numeric value and descriptions."""

    code: str
    value: int
    title: str
    aliases: tuple[str, ...] = ()
    summary: str = ""
    category: str | None = None
    related: tuple[str, ...] = ()
    special_case_of: str | None = None
    article: str | None = None
    # 1-based line of the entry in the registry file; not part of equality.
    line: int = field(default=0, compare=False)

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical code followed by its aliases."""
        return (self.code, *self.aliases)

    @property
    def documented(self) -> bool:
        return self.article is not None


class Registry:
    """The loaded registry. Build it with :meth:`load` or :meth:`from_text`."""

    def __init__(
        self,
        entries: Iterable[CodeEntry],
        shared_sections: dict[str, tuple[str, ...]] | None = None,
        filename: str = "<registry>",
    ) -> None:
        self.filename = filename
        self._entries = tuple(entries)
        self._shared = dict(shared_sections or {})
        self._by_name = {
            name.upper(): entry for entry in self._entries for name in entry.names
        }
        self._by_value = {entry.value: entry for entry in self._entries}

    # -- construction ------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path) -> Registry:
        path = Path(path)
        try:
            text = read_file(path).decode("utf-8")
        except KbError as exc:
            raise RegistryError(str(path), 0, str(exc).removeprefix(f"{path}: "))
        except UnicodeDecodeError as exc:
            raise RegistryError(str(path), 1, f"file is not valid UTF-8: {exc.reason}")
        return cls.from_text(text, str(path))

    @classmethod
    def from_text(cls, text: str, filename: str = "<string>") -> Registry:
        entries, shared = _Validator(filename).validate(text)
        return cls(entries, shared, filename)

    # -- queries -------------------------------------------------------------

    @property
    def entries(self) -> tuple[CodeEntry, ...]:
        """All entries, in file order."""
        return self._entries

    def get(self, code_or_alias: str) -> CodeEntry | None:
        """The entry named by a code or alias, ignoring case and surrounding space."""
        return self._by_name.get(code_or_alias.strip().upper())

    def by_value(self, value: int) -> CodeEntry | None:
        return self._by_value.get(value)

    def shared_sections(self, article_slug: str) -> tuple[str, ...]:
        """Headings of the shared guidance sections of an article (may be empty)."""
        return self._shared.get(article_slug, ())

    def all_names(self) -> dict[str, str]:
        """Every code and alias (as written in the file) -> its canonical code."""
        return {name: entry.code for entry in self._entries for name in entry.names}

    def __contains__(self, code_or_alias: object) -> bool:
        return isinstance(code_or_alias, str) and self.get(code_or_alias) is not None

    def __iter__(self):
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Registry({self.filename!r}, {len(self._entries)} codes)"


# -- validation -----------------------------------------------------------------


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    tag = node.tag.rsplit(":", 1)[-1]
    return {"str": "a string", "int": "an integer", "null": "null", "bool": "a boolean",
            "float": "a number"}.get(tag, f"a {tag}")


@dataclass
class _Parsed:
    """An entry plus the nodes later checks need for their line numbers."""

    entry: CodeEntry
    code_node: Node
    value_node: Node
    aliases: list[tuple[str, Node]]
    related: list[tuple[str, Node]]
    special_node: Node | None


def _collision(code: str, kind: str, name: str, other_kind: str, other_code: str,
               other_line: int) -> str:
    """Describe a name claimed twice: by ``code`` as ``kind`` and earlier by another."""
    where = f"(line {other_line})"
    if kind == "code" and other_kind == "code":
        return f"duplicate code {name!r} (first on line {other_line})"
    if other_code == code:
        return f"{code}: alias {name!r} repeats a name of the same entry {where}"
    if kind == "alias" and other_kind == "code":
        return f"{code}: alias {name!r} collides with code {other_code!r} {where}"
    if kind == "code":
        return f"code {name!r} collides with an alias of {other_code!r} {where}"
    return f"{code}: duplicate alias {name!r}, already an alias of {other_code!r} {where}"


class _Validator:
    """Turns registry text into entries, raising on the first problem found."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self._constructor = yaml.SafeLoader("")

    def fail(self, node_or_line: Node | int, problem: str) -> RegistryError:
        line = node_or_line if isinstance(node_or_line, int) else _line(node_or_line)
        return RegistryError(self.filename, line, problem)

    # -- YAML helpers --------------------------------------------------------

    def compose(self, text: str) -> Node:
        try:
            # libyaml when available: the registry is read by every kb lookup.
            root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            problem = " ".join(p for p in (exc.context, exc.problem) if p)
            raise self.fail(line, f"invalid YAML: {problem}") from None
        except yaml.YAMLError as exc:
            raise self.fail(1, f"invalid YAML: {exc}") from None
        if root is None:
            raise self.fail(1, "the registry is empty; expected a mapping with a 'codes' list")
        return root

    def mapping(
        self, node: Node, what: str, allowed: tuple[str, ...]
    ) -> dict[str, tuple[Node, Node]]:
        """Key -> (key node, value node); rejects duplicate keys, and unknown ones
        unless ``allowed`` is empty."""
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what} must be a mapping, not {_kind(node)}")
        items: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            if not (isinstance(key_node, ScalarNode) and key_node.tag.endswith(":str")):
                raise self.fail(key_node, f"{what}: keys must be strings, not {_kind(key_node)}")
            key = key_node.value
            if key in items:
                raise self.fail(
                    key_node,
                    f"{what}: duplicate key {key!r} (first on line {_line(items[key][0])})",
                )
            if allowed and key not in allowed:
                raise self.fail(key_node, f"{what}: unknown key {key!r}{_suggest(key, allowed)}")
            items[key] = (key_node, value_node)
        return items

    def scalar(self, node: Node, what: str, expected: type, nullable: bool = False) -> Any:
        if nullable and isinstance(node, ScalarNode) and node.tag.endswith(":null"):
            return None
        value = None
        if isinstance(node, ScalarNode):
            try:
                value = self._constructor.construct_object(node)
            except yaml.YAMLError as exc:
                raise self.fail(node, f"{what}: unreadable value ({getattr(exc, 'problem', exc)})")
        # bool is a subclass of int: `value: true` must not pass as an integer.
        if not isinstance(node, ScalarNode) or type(value) is not expected:
            article = "an integer" if expected is int else "a string"
            also = " or null" if nullable else ""
            raise self.fail(node, f"{what} must be {article}{also}, not {_kind(node)}")
        if expected is str and not value.strip():
            raise self.fail(node, f"{what} must not be empty")
        return value

    def string_list(self, node: Node, what: str) -> list[tuple[str, Node]]:
        """A list of strings (null counts as empty), each with its node."""
        if isinstance(node, ScalarNode) and node.tag.endswith(":null"):
            return []
        if not isinstance(node, SequenceNode):
            raise self.fail(node, f"{what} must be a list of strings, not {_kind(node)}")
        return [(self.scalar(item, f"{what} item", str), item) for item in node.value]

    def name(self, node: Node, what: str) -> str:
        value = self.scalar(node, what, str)
        if not _NAME_RE.match(value):
            raise self.fail(
                node,
                f"{what} {value!r} is not a code name (letters, digits and '_' only)",
            )
        return value

    def name_list(self, node: Node, what: str) -> list[tuple[str, Node]]:
        pairs = self.string_list(node, what)
        return [(self.name(item, f"{what} item"), item) for _, item in pairs]

    # -- the document ----------------------------------------------------------

    def validate(self, text: str) -> tuple[list[CodeEntry], dict[str, tuple[str, ...]]]:
        root = self.compose(text)
        top = self.mapping(root, "registry", TOP_LEVEL_KEYS)
        if "codes" not in top:
            raise self.fail(root, "missing required top-level key 'codes'")
        codes_node = top["codes"][1]
        if not isinstance(codes_node, SequenceNode):
            raise self.fail(codes_node, f"'codes' must be a list, not {_kind(codes_node)}")

        parsed = [self.entry(node) for node in codes_node.value]
        self.check_names(parsed)
        self.check_references(parsed)

        shared: dict[str, tuple[str, ...]] = {}
        if "shared_sections" in top:
            shared = self.shared_sections(top["shared_sections"][1])
        return [p.entry for p in parsed], shared

    def entry(self, node: Node) -> _Parsed:
        items = self.mapping(node, "code entry", ENTRY_KEYS)
        for key in REQUIRED_KEYS:
            if key not in items:
                code_node = items["code"][1] if "code" in items else None
                label = "code entry"
                if isinstance(code_node, ScalarNode):
                    label = f"code entry {code_node.value!r}"
                raise self.fail(node, f"{label}: missing required key {key!r}")

        def get(key: str) -> Node | None:
            return items[key][1] if key in items else None

        code_node = items["code"][1]
        code = self.name(code_node, "code")
        value = self.scalar(items["value"][1], f"{code}: value", int)
        title = self.scalar(items["title"][1], f"{code}: title", str)

        summary = ""
        if (n := get("summary")) is not None:
            summary = self.scalar(n, f"{code}: summary", str)

        category = None
        if (n := get("category")) is not None:
            category = self.scalar(n, f"{code}: category", str, nullable=True)
            if category is not None and category not in CATEGORIES:
                raise self.fail(
                    n,
                    f"{code}: unknown category {category!r}{_suggest(category, CATEGORIES)}"
                    f" (one of: {', '.join(CATEGORIES)})",
                )

        aliases: list[tuple[str, Node]] = []
        if (n := get("aliases")) is not None:
            aliases = self.name_list(n, f"{code}: aliases")
        related: list[tuple[str, Node]] = []
        if (n := get("related")) is not None:
            related = self.name_list(n, f"{code}: related")

        special = None
        special_node = get("special_case_of")
        if special_node is not None and not special_node.tag.endswith(":null"):
            special = self.name(special_node, f"{code}: special_case_of")

        article = None
        if (n := get("article")) is not None:
            article = self.scalar(n, f"{code}: article", str, nullable=True)

        entry = CodeEntry(
            code=code,
            value=value,
            title=title.strip(),
            aliases=tuple(name for name, _ in aliases),
            summary=" ".join(summary.split()),
            category=category,
            related=tuple(name for name, _ in related),
            special_case_of=special,
            article=article.strip() if article else None,
            line=_line(node),
        )
        return _Parsed(entry, code_node, items["value"][1], aliases, related, special_node)

    def check_names(self, parsed: list[_Parsed]) -> None:
        """No code, alias or value may be claimed twice (names compare case-insensitively)."""
        owners: dict[str, tuple[str, str, int]] = {}  # NAME -> (kind, owner code, line)
        values: dict[int, tuple[str, int]] = {}
        for p in parsed:
            code = p.entry.code
            named = [("code", code, p.code_node)] + [("alias", a, n) for a, n in p.aliases]
            for kind, name, node in named:
                key = name.upper()
                if key in owners:
                    raise self.fail(node, _collision(code, kind, name, *owners[key]))
                owners[key] = (kind, code, _line(node))
            value = p.entry.value
            if value in values:
                other_code, other_line = values[value]
                raise self.fail(
                    p.value_node,
                    f"{code}: value {value} is already used by {other_code!r} "
                    f"(line {other_line})",
                )
            values[value] = (code, _line(p.value_node))

    def check_references(self, parsed: list[_Parsed]) -> None:
        """``related`` and ``special_case_of`` must name other, registered, canonical codes."""
        canonical = {p.entry.code.upper(): p.entry.code for p in parsed}
        alias_of = {a.upper(): p.entry.code for p in parsed for a in p.entry.aliases}

        def check(entry: CodeEntry, name: str, node: Node, what: str) -> None:
            key = name.upper()
            if entry.code in (canonical.get(key), alias_of.get(key)):
                raise self.fail(node, f"{entry.code}: {what} names the entry itself")
            if key in alias_of:
                raise self.fail(
                    node,
                    f"{entry.code}: {what} {name!r} is an alias; "
                    f"use the canonical code {alias_of[key]!r}",
                )
            if key not in canonical:
                raise self.fail(
                    node,
                    f"{entry.code}: {what} names unregistered code {name!r}"
                    f"{_suggest(name, canonical.values())}",
                )
            if canonical[key] != name:
                raise self.fail(
                    node, f"{entry.code}: {what} {name!r} must be spelled {canonical[key]!r}"
                )

        for p in parsed:
            seen: set[str] = set()
            for name, node in p.related:
                check(p.entry, name, node, "related")
                if name in seen:
                    raise self.fail(node, f"{p.entry.code}: related lists {name!r} twice")
                seen.add(name)
            if p.entry.special_case_of is not None:
                check(p.entry, p.entry.special_case_of, p.special_node, "special_case_of")

    def shared_sections(self, node: Node) -> dict[str, tuple[str, ...]]:
        items = self.mapping(node, "shared_sections", ())
        shared: dict[str, tuple[str, ...]] = {}
        for slug, (_, value_node) in items.items():
            headings = self.string_list(value_node, f"shared_sections[{slug!r}]")
            shared[slug] = tuple(heading.strip() for heading, _ in headings)
        return shared


def _suggest(word: str, choices: Iterable[str]) -> str:
    matches = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean {matches[0]!r}?" if matches else ""
