"""``kb preview FILE``: an article as one reader sees it, in the terminal."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def add_arguments(parser) -> None:
    from kb.cli.common import add_reader_arguments

    parser.add_argument("file", type=Path, help="an article file")
    add_reader_arguments(parser)
    parser.add_argument("--width", type=int, default=None, help="wrap to this many columns (default: the terminal's)")
    parser.add_argument("--format", choices=("text", "html", "markdown"), default="text")


def run(args) -> int:
    import shutil

    from kb.cli.common import article_product, find_root, reader_from_args
    from kb.content.articles import read_article
    from kb.errors import UsageError
    from kb.project import Project

    if args.width is not None and args.width < 20:
        raise UsageError("--width must be at least 20 columns")
    article = read_article(args.file)
    project = Project.load(find_root(args.file.parent))
    config = project.config
    ctx = reader_from_args(args, config, article_product(article, config))
    if args.format != "text":
        sys.stdout.write(project.render(article.doc, args.format, ctx))
        return 0

    width = args.width or min(shutil.get_terminal_size((80, 24)).columns, 100)
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    product = config.product_by_slug(ctx.product)
    header = f"{article.title}\n(as seen with {product.name} {ctx.version} on " \
             f"{config.platform(ctx.platform).name if ctx.platform else 'any system'})\n"
    sys.stdout.write(header + "\n" + project.render(article.doc, "text", ctx, width=width, color=color))
    return 0
