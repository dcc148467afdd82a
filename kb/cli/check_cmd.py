"""``kb check [PATH ...]``: find problems in articles before publishing.

Exit status: 0 when no error-severity finding is left, 1 when there is one,
2 for usage errors (unknown code, product, path or format). Codes, their
severities and fixes are documented in ``docs/checks.md``.
"""

from __future__ import annotations

import sys


def add_arguments(parser) -> None:
    parser.epilog = ("Exit status: 0 no errors (warnings and info do not fail), 1 errors found, "
                     "2 usage error. Codes, severities and fixes: docs/checks.md.")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="article files or folders (default: all of the project's content/)")
    parser.add_argument("--format", choices=("text", "json", "github"), default="text",
                        help="text: findings with the source line and a caret (default); "
                             "json: a list of objects; github: workflow annotations")
    parser.add_argument("--select", action="append", metavar="CODES",
                        help="report only these codes or families (comma-separated, repeatable); "
                             "replaces kb.yaml's check.select")
    parser.add_argument("--ignore", action="append", metavar="CODES",
                        help="do not report these codes or families (comma-separated, repeatable); "
                             "added to kb.yaml's check.ignore")
    parser.add_argument("--product",
                        help="product whose readers {for} conditions are judged for, for files whose "
                             "front matter names none (default: the first configured product)")
    parser.add_argument("--fix", action="store_true",
                        help="apply the safe fixes in place (only the fixed spans change), then report "
                             "what is left")


def run(args) -> int:
    from kb.check.fix import apply_fixes
    from kb.check.report import FORMATS
    from kb.check.runner import run_check
    from kb.cli.common import find_root

    root = find_root()
    kwargs = dict(paths=args.paths, product=args.product, select=args.select, ignore=args.ignore)
    result = run_check(root, **kwargs)
    if args.fix:
        outcomes = apply_fixes(result)
        fixed = [o for o in outcomes if o.written]
        count = sum(len(o.applied) for o in fixed)
        for outcome in outcomes:
            for finding, why in outcome.skipped:
                print(f"kb check: {finding.file}:{finding.line}:{finding.column}: not fixed "
                      f"[{finding.code}]: {why}", file=sys.stderr)
        print(f"kb check: fixed {count} problem{'s' if count != 1 else ''} in {len(fixed)} "
              f"file{'s' if len(fixed) != 1 else ''}", file=sys.stderr)
        if fixed:
            result = run_check(root, **kwargs)
    out = FORMATS[args.format](result)
    sys.stdout.write(out)
    return 1 if result.count("error") else 0
