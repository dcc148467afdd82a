"""The ``kb`` command: one sub-command a module, loaded when it is used.

Exit status: 0 success, 1 "not found" / "errors found", 2 usage errors.
No traceback reaches a user: errors print one line naming what is wrong.
Nothing written carries a control character (see :mod:`kb.terminal`).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from kb.errors import KbError

#: sub-command → (module, one-line help). Modules are imported only when run,
#: so ``kb lookup`` does not pay for the site builder.
COMMANDS = {
    "parse": ("kb.cli.parse_cmd", "print an article's syntax tree"),
    "variants": ("kb.cli.variants_cmd", "list the distinct variants of an article"),
    "preview": ("kb.cli.preview_cmd", "print an article as one reader sees it"),
    "lookup": ("kb.cli.lookup_cmd", "explain an error code for your Firefox and OS"),
    "diagnose": ("kb.cli.diagnose_cmd", "connect to a site (or read a chain) and say which code Firefox shows"),
    "check": ("kb.cli.check_cmd", "find problems in articles before publishing"),
    "build": ("kb.cli.build_cmd", "build the static help site"),
    "serve": ("kb.cli.serve_cmd", "build, serve on 127.0.0.1 and rebuild on changes"),
    "convert": ("kb.cli.convert_cmd", "convert a wiki article to Markdown"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with our own prefix
        self.print_usage(sys.stderr)
        self.exit(2, f"kb: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kb", description="Knowledge-base engine for SUMO wiki support articles.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name, (module, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(_module=module)
        importlib.import_module(module).add_arguments(command)
    return parser


def main(argv: list[str] | None = None) -> int:
    from kb.terminal import SafeStream

    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)
    try:
        return _run(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _run(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return importlib.import_module(args._module).run(args) or 0
    except KbError as exc:
        print(f"kb {args.command}: {exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so in one line, traceback only on request
        if os.environ.get("KB_DEBUG"):
            raise
        print(f"kb {args.command}: internal error: {type(exc).__name__}: {exc} "
              f"(run with KB_DEBUG=1 for details, and please report it)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
