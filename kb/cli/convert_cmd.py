"""``kb convert FILE.wiki [-o OUT.md]``: a wiki article as a Markdown article.

The Markdown holds every variant (``::: for`` containers and inline
``{for}…{/for}``, see :mod:`kb.markup.markdown`) and reads back to the same
content for every reader. The front matter is carried over as written.
Wiki source kept in it (``[[…]]``, wiki tables, comments) is written so
that no other Markdown engine finds raw HTML, links or attribute lists in
it (:func:`kb.render.wiki_markdown.inert_source`).
Without ``-o`` the Markdown goes to standard output; with it, to that file
only (never over the input).

Exit status: 0 done, 1 the input cannot be read (or the output written),
2 usage errors.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kb.errors import KbError, UsageError


def add_arguments(parser) -> None:
    parser.add_argument("file", type=Path, help="a wiki article (.wiki, front matter optional)")
    parser.add_argument("-o", "--output", type=Path, metavar="OUT.md",
                        help="write the Markdown to this file (default: standard output)")


def run(args) -> int:
    source: Path = args.file
    if source.suffix == ".md":
        raise UsageError(f"{source}: is already a Markdown article; give a .wiki file")
    out: Path | None = args.output
    if out is not None and _same_file(out, source):
        raise UsageError(f"{out}: is the input file; choose another output name (e.g. {source.with_suffix('.md')})")
    markdown = convert_file(source)
    if out is None:
        sys.stdout.write(markdown)
        return 0
    try:
        out.write_text(markdown, encoding="utf-8")
    except OSError as exc:
        raise KbError(f"{out}: cannot be written ({exc.strerror})") from None
    print(f"Wrote {out}", file=sys.stderr)
    return 0


def convert_file(source: Path) -> str:
    """The Markdown article (front matter included) for a wiki article file."""
    from kb.content.articles import decode, split_front_matter
    from kb.files import read_file

    text = decode(read_file(source), source)
    if text.startswith("\ufeff"):
        text = text[1:]
    _meta, body, body_line = split_front_matter(text, source)
    front = _front_matter_text(text, body_line)
    return front + convert_text(body, body_line)


def convert_text(body: str, first_line: int = 1) -> str:
    """A wiki article body as Markdown holding every variant."""
    from kb.markup import parse

    return convert_doc(parse(body, first_line=first_line))


def convert_doc(doc) -> str:
    """A parsed wiki article as Markdown holding every variant."""
    from kb.render.registry import render

    return render("wiki-markdown", doc)


def _front_matter_text(text: str, body_line: int) -> str:
    """The front matter block exactly as written (empty when there is none)."""
    if body_line <= 1:
        return ""
    lines = text.split("\n")
    front = "\n".join(lines[:body_line - 1]) + "\n"
    return front.replace("\r\n", "\n")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False
