"""``kb diagnose https://host[:port]/`` (or ``host[:port]``, or
``--cert chain.pem [--host NAME]``): the code Firefox would show for a
site, the evidence, who can fix it, and the reader's help for that code.

Exit status 0 when Firefox would connect without a warning, 1 when it
would show an error, 2 for usage errors and unreachable hosts.
"""

from __future__ import annotations

import json
import sys


def add_arguments(parser) -> None:
    parser.add_argument("target", nargs="?", help="https://host[:port]/ or host[:port]")
    parser.add_argument("--cert", metavar="FILE",
                        help="diagnose a PEM chain (server certificate first) instead of connecting; - reads stdin")
    parser.add_argument("--host", metavar="NAME", help="with --cert: the host name the chain is for")
    parser.add_argument("--at", metavar="DATE", help="check validity at this date/time (ISO 8601, UTC), not now")
    parser.add_argument("--ca-file", metavar="FILE", action="append", default=[],
                        help="also trust these roots (PEM), as a reader who imported them; repeatable")
    parser.add_argument("--mozilla-roots", metavar="FILE",
                        help="Mozilla's root store as PEM (default: $KB_MOZILLA_ROOTS, else certifi's bundle)")
    parser.add_argument("--os-store", metavar="FILE",
                        help="the operating system's roots as PEM, for interception checks "
                             "(default: $KB_OS_STORE, else the system's CA file)")
    parser.add_argument("--connect-to", metavar="ADDRESS[:PORT]",
                        help="connect there instead of where the site's name resolves (e.g. a new server "
                             "before the DNS change); names are still checked against the site's")
    parser.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                        help="give up on an unresponsive server after this long (default 10)")
    from kb.cli.common import add_reader_arguments

    add_reader_arguments(parser, "product (default: the first configured, Firefox)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--root", help="project folder (default: found from the current folder)")


def run(args) -> int:
    from pathlib import Path

    from kb.cli.common import find_root
    from kb.diagnose import Options, diagnose_host, diagnose_pem
    from kb.diagnose.help import ReaderHelp
    from kb.diagnose.report import to_json, to_text
    from kb.diagnose.verify import Reader
    from kb.errors import UsageError

    if bool(args.target) == bool(args.cert):
        raise UsageError("give a site (kb diagnose https://example.com/) or --cert FILE, not both")
    if args.connect_to and args.cert:
        raise UsageError("--connect-to goes with a site, not with --cert")
    if args.host and not args.cert:
        raise UsageError("--host goes with --cert; for a site, put the name in the address")
    if args.timeout <= 0:
        raise UsageError("--timeout must be more than 0 seconds")
    reader = ReaderHelp(Path(args.root) if args.root else find_root(), args.product,
                        args.reader_version, args.reader_os)
    options = Options(at=_moment(args.at), ca_files=tuple(Path(p) for p in args.ca_file),
                      mozilla_roots=Path(args.mozilla_roots) if args.mozilla_roots else None,
                      os_store=Path(args.os_store) if args.os_store else None,
                      timeout=args.timeout, reader=Reader(trusts_os_store=reader.trusts_os_store))
    if args.cert:
        diagnosis = diagnose_pem(_read(args.cert), args.host, options)
    else:
        host, port = parse_target(args.target)
        connect_to = parse_target(args.connect_to, default_port=port) if args.connect_to else None
        diagnosis = diagnose_host(host, port, options, connect_to)
    help = reader.for_code(diagnosis.first.code.name) if diagnosis.first else None
    if args.format == "json":
        json.dump(to_json(diagnosis, reader, help), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(to_text(diagnosis, reader, help))
    return 0 if diagnosis.connects else 1


def parse_target(target: str, default_port: int = 443) -> tuple[str, int]:
    """``https://host[:port]/path``, ``host[:port]``, ``[::1]:8443`` ->
    (host, port)."""
    from urllib.parse import urlsplit

    from kb.errors import UsageError

    text = target.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port or default_port
    except ValueError as exc:
        raise UsageError(f"cannot read {target!r} as an address: {exc}") from None
    if parts.scheme != "https":
        raise UsageError(f"{target!r} is not an https:// address; Firefox checks certificates only for https")
    if not parts.hostname:
        raise UsageError(f"{target!r} names no host")
    return parts.hostname, port


def _moment(text: str | None):
    from datetime import datetime, timezone

    from kb.errors import UsageError

    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--at {text!r}: expected a date like 2030-01-31 or 2030-01-31T12:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _read(path: str) -> bytes:
    from pathlib import Path

    from kb.errors import UsageError

    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
