"""``kb build``: build the static help site from content/."""

from __future__ import annotations

import sys
from pathlib import Path


def add_arguments(parser) -> None:
    parser.add_argument("--out", type=Path, help="output folder (default: site/ in the project)")
    parser.add_argument("--root", type=Path, help="project folder (default: found from the current folder)")
    parser.add_argument("--jobs", type=int, help="worker processes (default: one per core)")
    parser.add_argument("--no-cache", action="store_true", help="render every article again")
    parser.add_argument("--quiet", action="store_true", help="print only the summary line")


def run(args) -> int:
    from kb.cli.common import find_root
    from kb.errors import UsageError
    from kb.site.build import build

    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs takes a number of processes, 1 or more")
    root = (args.root or find_root()).resolve()
    report = build(root, args.out, jobs=args.jobs, use_cache=not args.no_cache,
                   progress=False if args.quiet else None)
    if not args.quiet:
        for warning in report.warnings[:20]:
            print(warning, file=sys.stderr)
        if len(report.warnings) > 20:
            print(f"... and {len(report.warnings) - 20} more warnings", file=sys.stderr)
        if report.notes:
            print(f"{len(report.notes)} notes (such as links to articles that are not in content/ and go to the "
                  f"live site); kb check lists them", file=sys.stderr)
    print(report.summary())
    print(f"Open {report.out / 'index.html'}")
    return 0
