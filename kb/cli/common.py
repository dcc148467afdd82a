"""What several sub-commands share: finding the project, its configuration
and the reader a command was asked about."""

from __future__ import annotations

from pathlib import Path

from kb.errors import UsageError


def find_root(start: Path | None = None) -> Path:
    """The nearest folder, from ``start`` up, holding ``kb.yaml`` or
    ``content/``; the current folder when there is none."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "kb.yaml").is_file() or (folder / "content").is_dir():
            return folder
    return Path.cwd()


def load_config(root: Path):
    from kb.conditions.config import Config

    return Config.load(root)


def add_reader_arguments(parser, product_help: str = "product (default: the article's, else the first configured)") -> None:
    parser.add_argument("--product", help=product_help)
    parser.add_argument("--version", dest="reader_version", metavar="VERSION",
                        help="the reader's version, e.g. 60 (default: the product's newest)")
    parser.add_argument("--os", dest="reader_os", metavar="OS", help="the reader's platform, e.g. mac, win10, linux")


def reader_from_args(args, config, default_product: str | None):
    """The Context the command line describes; exit status 2 with the valid
    values when a product, version or platform is unknown."""
    from kb.conditions.context import Context, ContextError

    product = args.product or default_product or (config.default_product.slug if config.default_product else None)
    try:
        return Context.make(product, args.reader_version, args.reader_os, config)
    except ContextError as exc:
        raise UsageError(str(exc)) from None


def article_product(article, config) -> str | None:
    product = article.product
    if product and config.product(product) is not None:
        return config.product(product).slug
    return None
