"""``kb check --fix``: apply the safe fixes, and nothing else.

Only fixes of codes marked safe (:mod:`kb.check.codes`) are applied. Per file
they are sorted, any fix overlapping an earlier one is left out, and they are
applied from the end backwards on the article body (so earlier offsets stay
valid); the front matter and every byte outside the fixed spans are kept as
they were, line ends included. The new body is parsed again and the file is
written only when that parse has no repair the old one did not have, and
only when something changed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from kb.check import codes as check_codes
from kb.files import read_file
from kb.errors import KbError


@dataclass
class FileFixes:
    name: str
    applied: list = field(default_factory=list)  # the findings whose fix was applied
    skipped: list = field(default_factory=list)  # (finding, why)
    written: bool = False


def safe_fixes(result) -> dict[str, list]:
    """Findings with a safe fix, by file name."""
    out: dict[str, list] = {}
    for finding in result.findings:
        if finding.fix is not None and check_codes.is_safe_fix(finding.code):
            out.setdefault(finding.file, []).append(finding)
    return out


def apply_to_body(body: str, findings: list) -> tuple[str, list, list]:
    """(new body, applied findings, skipped (finding, reason))."""
    ordered = sorted(findings, key=lambda f: (f.fix.start, f.fix.end))
    chosen, skipped = [], []
    last_end = -1
    seen = set()
    for f in ordered:
        fix = f.fix
        key = (fix.start, fix.end, fix.replacement)
        if key in seen:
            continue  # the same edit reported twice
        if not 0 <= fix.start <= fix.end <= len(body):
            skipped.append((f, "its span is outside the file"))
            continue
        if fix.start < last_end:
            skipped.append((f, "it overlaps another fix; run kb check --fix again"))
            continue
        seen.add(key)
        chosen.append(f)
        last_end = fix.end
    new = body
    for f in reversed(chosen):
        fix = f.fix
        new = new[:fix.start] + fix.replacement + new[fix.end:]
    return new, chosen, skipped


def _parse(article, body: str):
    if getattr(article, "format", "wiki") == "markdown":
        from kb.markup.markdown import parse_markdown

        return parse_markdown(body, first_line=article.body_line)
    from kb.markup import parse

    return parse(body, first_line=article.body_line)


def apply_fixes(result) -> list[FileFixes]:
    outcomes = []
    for name, findings in safe_fixes(result).items():
        unit = result.unit_named(name)
        outcome = FileFixes(name)
        outcomes.append(outcome)
        if unit is None:
            outcome.skipped.extend((f, "the file was not checked as an article") for f in findings)
            continue
        try:
            text = read_file(unit.path).decode("utf-8")
        except (KbError, UnicodeDecodeError) as exc:
            outcome.skipped.extend((f, f"the file cannot be read again ({exc})") for f in findings)
            continue
        body = unit.body
        if not text.endswith(body):
            outcome.skipped.extend((f, "the file changed since it was checked") for f in findings)
            continue
        head = text[: len(text) - len(body)]
        new_body, applied, skipped = apply_to_body(body, findings)
        outcome.skipped.extend(skipped)
        if new_body == body:
            continue
        before = Counter(d.code for d in unit.doc.diagnostics)
        after = Counter(d.code for d in _parse(unit.article, new_body).diagnostics)
        if any(after[code] > before[code] for code in after):
            outcome.skipped.extend((f, "the fixed text would parse differently") for f in applied)
            continue
        unit.path.write_bytes((head + new_body).encode("utf-8"))
        outcome.applied = applied
        outcome.written = True
    return outcomes
