"""``kb variants FILE``: the distinct variants of an article."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def add_arguments(parser) -> None:
    parser.add_argument("file", type=Path, help="an article file")
    parser.add_argument("--product", help="product whose readers to divide (default: the article's)")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args) -> int:
    from kb.cli.common import article_product, find_root
    from kb.content.articles import read_article
    from kb.errors import UsageError
    from kb.project import Project

    article = read_article(args.file)
    project = Project.load(find_root(args.file.parent))
    config = project.config
    product = args.product or article_product(article, config) or config.default_product.slug
    if config.product(product) is None:
        valid = ", ".join(p.slug for p in config.products)
        raise UsageError(f"unknown product {product!r}; valid products: {valid}")
    found = project.variants(article, product)
    if args.format == "json":
        json.dump([{
            "label": v.label,
            "slug": v.slug,
            "representative": str(v.representative),
            "distinguishing": {text: shown for text, shown in v.distinguishing},
        } for v in found], sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    print(f"{article.title}: {len(found)} variant{'s' if len(found) != 1 else ''} for "
          f"{config.product(product).name}")
    width = max(len(v.label) for v in found)
    for v in found:
        shows = ", ".join(f"{{for {t}}}" for t, shown in v.distinguishing if shown) or "no conditional content"
        print(f"  {v.label.ljust(width)}  {v.slug}")
        print(f"  {'':{width}}  shows: {shows}")
    return 0
