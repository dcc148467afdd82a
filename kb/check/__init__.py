"""``kb check``: find problems in articles before publishing.

Rules live in :mod:`kb.check.rules` (one module per family), the codes they
report in :mod:`kb.check.codes` (documented in ``docs/checks.md``), the run
in :mod:`kb.check.runner`, output formats in :mod:`kb.check.report` and
``--fix`` in :mod:`kb.check.fix`.
"""

from kb.check.runner import Result, run_check

__all__ = ["Result", "run_check"]
