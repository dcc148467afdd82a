"""``kb serve``: build the site, serve it on 127.0.0.1, rebuild on changes."""

from __future__ import annotations

from pathlib import Path


def add_arguments(parser) -> None:
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0 = any free port)")
    parser.add_argument("--out", type=Path, help="output folder (default: site/ in the project)")
    parser.add_argument("--root", type=Path, help="project folder (default: found from the current folder)")


def run(args) -> int:
    from kb.cli.common import find_root
    from kb.errors import UsageError
    from kb.site.serve import serve

    if not 0 <= args.port <= 65535:
        raise UsageError("--port must be between 0 and 65535")
    serve((args.root or find_root()), args.out, args.port)
    return 0
