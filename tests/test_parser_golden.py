"""Golden tree dumps: every construct and every repair rule of markup.md."""

import pytest

from golden import cases, check
from kb.markup import parse
from kb.markup.dump import dump_text

CASES = cases("parse")


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_tree_matches_golden(path):
    source = path.read_bytes().decode("utf-8")
    doc = parse(source)
    assert doc.to_wikitext() == source
    diags = "".join(f"{d.line}:{d.column} {d.severity} {d.code}\n" for d in doc.diagnostics)
    check(path.with_suffix(".tree"), dump_text(doc) + ("--- diagnostics\n" + diags if diags else ""))
