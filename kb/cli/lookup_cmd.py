"""``kb lookup QUERY``: explain an error code for one reader.

Exit status 0 when one code was found, 1 when none (or several) matched,
2 for usage errors. Colour only when printing to a terminal.
"""

from __future__ import annotations

import json
import os
import sys


def add_arguments(parser) -> None:
    parser.add_argument("query", nargs="*", help="a code, part of one, its number, or pasted error text")
    parser.add_argument("--list", action="store_true", help="list every code with its value and title")
    from kb.cli.common import add_reader_arguments

    add_reader_arguments(parser, "product (default: the documenting article's)")
    parser.add_argument("--format", choices=("text", "json", "html", "markdown"), default="text")
    parser.add_argument("--root", help="project folder (default: found from the current folder)")


def run(args) -> int:
    from pathlib import Path

    from kb.cli.common import find_root
    from kb.project import Project
    from kb.codes.lookup import find
    from kb.errors import UsageError

    root = Path(args.root) if args.root else find_root()
    kb = Project.load(root).knowledge
    if args.list:
        return _list(kb, args.format)
    query = " ".join(args.query)
    if not query.strip():
        raise UsageError("give a query, e.g. kb lookup SEC_ERROR_UNKNOWN_ISSUER (or kb lookup --list)")
    match = find(kb.registry, query)
    context = None
    if args.product or args.reader_version or args.reader_os:
        # Checked even when nothing matched: a wrong --os is a usage error.
        context = _context(kb, args, match.entry)
    if not match.found:
        return _not_found(match, args.format)
    return _show(kb.answer(match.entry, context, match), args.format)


def _context(kb, args, entry):
    """The reader from the command line; defaults come from the article
    that documents ``entry`` (None when nothing matched)."""
    from kb.cli.common import reader_from_args
    from kb.codes.knowledge import host_platform

    product = None
    if entry is not None and entry.article:
        article = kb.library.article_by_slug(entry.article)
        product = article.product if article else None
    product = args.product or product or kb.config.default_product.slug
    if not args.reader_os:
        args.reader_os = host_platform(kb.config, product) if kb.config.product(product) else None
    args.product = product
    return reader_from_args(args, kb.config, product)


def _color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _show(answer, fmt: str) -> int:
    if fmt == "json":
        json.dump(answer.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    if fmt != "text":
        sys.stdout.write(answer.render(fmt))
        return 0
    from kb.terminal import STYLES

    color = _color()
    bold = (lambda s: f"{STYLES['bold']}{s}{STYLES['reset']}") if color else (lambda s: s)
    dim = (lambda s: f"{STYLES['dim']}{s}{STYLES['reset']}") if color else (lambda s: s)
    entry = answer.entry
    if answer.match.how == "fuzzy":
        print(dim(f"No code is spelled {answer.match.query!r}; did you mean {entry.code}?"))
    print(bold(f"{entry.code} ({entry.value}): {entry.title}"))
    if answer.variant is not None:
        print(dim(f"For {answer.variant.label}"))
    if entry.summary:
        print()
        print(_wrap(entry.summary))
    body = answer.text(width=80, color=color)
    if body.strip():
        print()
        print(body.rstrip())
    else:
        print()
        print("No article in this knowledge base explains this code yet.")
    print()
    print(dim(f"Page: {answer.url}"))
    return 0


def _wrap(text: str) -> str:
    import textwrap

    return textwrap.fill(" ".join(text.split()), width=80)


def _not_found(match, fmt: str) -> int:
    if fmt == "json":
        json.dump({"query": match.query, "found": False,
                   "candidates": [e.code for e in match.candidates],
                   "suggestions": [e.code for e in match.suggestions]}, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 1
    if match.candidates:
        print(f"{match.query!r} matches {len(match.candidates)} codes; which one?", file=sys.stderr)
        for entry in match.candidates:
            print(f"  {entry.code:<56} {entry.title}", file=sys.stderr)
        return 1
    print(f"No code matches {match.query!r}.", file=sys.stderr)
    if match.suggestions:
        print("Closest codes:", file=sys.stderr)
        for entry in match.suggestions:
            print(f"  {entry.code:<56} {entry.title}", file=sys.stderr)
    print("List every code with: kb lookup --list", file=sys.stderr)
    return 1


def _list(kb, fmt: str) -> int:
    entries = kb.registry.entries
    if fmt == "json":
        json.dump([{"code": e.code, "value": e.value, "title": e.title, "aliases": list(e.aliases)}
                   for e in entries], sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    # Codes run to 54 characters: the title goes on a line of its own, so
    # the list stays readable in 80 columns.
    for e in entries:
        print(f"{e.code} ({e.value})")
        print(f"    {e.title}")
    return 0
