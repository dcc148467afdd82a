"""``kb lookup``: not built yet."""

from kb.errors import KbError


def add_arguments(parser) -> None:
    parser.add_argument("args", nargs="*")


def run(args) -> int:
    raise KbError("not built yet")
