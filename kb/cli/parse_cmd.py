"""``kb parse FILE``: the syntax tree of one article, for people or tools."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def add_arguments(parser) -> None:
    parser.add_argument("file", type=Path, help="an article file (front matter, then body)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text: one node a line with line:col (default); json: nested objects")


def run(args) -> int:
    from kb.content.articles import read_article
    from kb.markup.dump import dump_text, to_json

    article = read_article(args.file)
    doc = article.doc
    if args.format == "json":
        payload = {
            "file": str(args.file),
            "meta": article.meta,
            "tree": to_json(doc),
            "diagnostics": [{**d.to_dict(), "file": str(args.file)} for d in doc.diagnostics],
        }
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")
        return 0
    sys.stdout.write(dump_text(doc))
    for diag in doc.diagnostics:
        diag.file = str(args.file)
        print(diag, file=sys.stderr)
    return 0
