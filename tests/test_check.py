"""``kb check``: planted problems found exactly, the seed, the Thunderbird
corpus as a reviewed regression fixture, ``--fix`` and the command line."""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from kb.check import codes as check_codes
from kb.check.runner import run_check
from kb.markup import parse

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "check"
PLANTED = FIXTURES / "project"
SEED = ROOT / "content" / "security-warning-codes.wiki"
CORPUS = ROOT.parent / "shared" / "corpus" / "thunderbird-en-US"
KB = shutil.which("kb")


def where(result, project: Path) -> set[tuple[str, int, int, str]]:
    out = set()
    for f in result.findings:
        path = Path(f.file)
        if not path.is_absolute():
            path = Path.cwd() / path
        out.add((path.resolve().relative_to(project.resolve()).as_posix(), f.line, f.column, f.code))
    return out


def kb(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    assert KB, "the kb command is not installed (pip install -e .)"
    return subprocess.run([KB, "check", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def planted_copy(tmp_path: Path) -> Path:
    project = tmp_path / "planted"
    shutil.copytree(PLANTED, project)
    return project


# -- the planted-errors fixture ------------------------------------------------------------

B = "content/broken.wiki"

#: Every problem planted in tests/fixtures/check/project, where it is.
PLANTED_FINDINGS = {
    (B, 8, 4, "unbalanced-emphasis"),          # An '''unbalanced bold…
    (B, 10, 1, "heading-mismatch"),            # ==Mismatched heading=
    (B, 12, 5, "unterminated-link"),           # See [[Other article for more.
    (B, 14, 15, "unmatched-link-close"),       # A stray close ]] …
    (B, 17, 1, "empty-list-item"),             # *
    (B, 20, 7, "empty-macro"),                 # {button }
    (B, 20, 26, "empty-macro"),                # {button}
    (B, 22, 27, "unknown-image-parameter"),    # |thumb
    (B, 24, 9, "markdown-syntax"),             # **bold**
    (B, 24, 35, "markdown-syntax"),            # [a link](https://example.com)
    (B, 24, 74, "markdown-syntax"),            # `code`
    (B, 26, 24, "stray-close"),                # {/warning}
    (B, 28, 1, "unclosed-for"),                # {for win}Windows text that goes on
    (B, 28, 1, "for-repair-changes-content"),  # … into the next paragraph
    (B, 30, 25, "stray-close"),                # its {/for}
    (B, 33, 1, "closed-early"),                # {note} closed by {/for}
    (B, 38, 13, "closed-from-inline"),         # * A Mac item{/for} and more
    (B, 42, 1, "closed-early"),                # {for win} inside {note}…{/note}
    (B, 42, 1, "for-repair-changes-content"),  # … its {/for} after the note
    (B, 46, 1, "stray-close"),                 # that {/for}
    (B, 48, 15, "unclosed-note"),              # * A list item {note}…
    (B, 49, 15, "unclosed-warning"),           # * A list item {warning}…
    (B, 50, 11, "stray-close"),                # * A stray {/note} …
    (B, 53, 16, "never-true"),                 # {for not fx66} in {for fx66}
    (B, 57, 12, "never-true"),                 # {for mac} in {for win}
    (B, 61, 12, "always-true"),                # {for fx50} in {for fx60}
    (B, 64, 1, "other-product"),               # {for tb115} in a Firefox article
    (B, 64, 44, "unknown-term"),               # winn
    (B, 64, 77, "version-out-of-range"),       # fx300
    (B, 66, 1, "always-true"),                 # {for firefox} in a Firefox article
    (B, 68, 27, "missing-article"),            # [[Missing article]]
    (B, 68, 48, "missing-include"),            # [[I:Missing include]]
    (B, 70, 22, "missing-template"),           # [[T:nothere]]
    (B, 70, 37, "recursive-template"),         # [[T:loopA]]
    (B, 72, 28, "missing-image"),              # [[Image:absent]]
    (B, 74, 1, "malformed-code"),              # =SEC_ERROR _PLANTED=
    (B, 75, 19, "malformed-code"),             # Error code: SEC_ERROR _PLANTED
    (B, 78, 19, "unregistered-code"),          # Error code: SEC_ERROR_NOT_REGISTERED
    (B, 81, 27, "mojibake"),                   # websiteâ€™s
    (B, 83, 3, "unclosed-for"),                # A {for win}link [[Other article|label{/for}]] …
    (B, 83, 3, "for-repair-changes-content"),  # … its {/for} cannot leave the link label
    (B, 83, 38, "stray-close"),                # that {/for}
    (B, 85, 7, "unterminated-macro"),          # {button Never closed.
    (B, 87, 6, "unclosed-for"),                # Text {for mac}inline and never closed.
    (B, 89, 1, "unterminated-comment"),        # <!-- a comment that never ends
    (B, 91, 1, "unclosed-table"),              # {|
    ("content/codes.yaml", 8, 11, "undocumented-code"),       # SEC_ERROR_NOWHERE
    ("content/codes.yaml", 13, 11, "code-article-mismatch"),  # SEC_ERROR_ELSEWHERE
    ("content/templates/loopA.wiki", 4, 12, "recursive-template"),
    ("content/templates/loopB.wiki", 4, 12, "recursive-template"),
}


def test_planted_errors_are_reported_exactly():
    result = run_check(PLANTED)
    assert where(result, PLANTED) == PLANTED_FINDINGS
    # other.wiki and templates/ok.wiki are clean; every file was read.
    assert result.files == 5


def test_planted_findings_carry_the_documented_severities():
    result = run_check(PLANTED)
    for f in result.findings:
        assert f.severity == check_codes.severity(f.code), f
    errors = {f.code for f in result.findings if f.severity == "error"}
    assert {"unbalanced-emphasis", "never-true", "missing-template", "recursive-template",
            "for-repair-changes-content", "unclosed-for", "stray-close"} <= errors


def test_every_code_is_documented():
    doc = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    for code in check_codes.CODES_BY_NAME:
        row = re.search(rf"^\| `{re.escape(code)}` \| (\w+) \|", doc, re.MULTILINE)
        assert row, f"{code} is not in docs/checks.md"
        assert row.group(1) == check_codes.severity(code), code


def test_parser_repair_codes_are_all_known():
    from kb.markup import repairs

    for code in re.findall(r"^([a-z-]+)\s+(?:error|warning)", repairs.__doc__, re.MULTILINE):
        assert code in check_codes.CODES_BY_NAME, code


# -- the seed ----------------------------------------------------------------------------------


def test_seed_reports_the_stray_space_and_the_mojibake_and_no_errors():
    result = run_check(ROOT, [str(SEED)])
    lines = SEED.read_text(encoding="utf-8").split("\n")
    heading = next(i for i, line in enumerate(lines, 1) if line.startswith("=MOZILLA_PKIX_ERROR _ADD"))
    garbled = next(i for i, line in enumerate(lines, 1) if "websiteâ€™s" in line)
    found = {(f.line, f.column, f.code): f for f in result.findings}
    malformed = found[(heading, 1, "malformed-code")]
    assert malformed.fix.replacement == "MOZILLA_PKIX_ERROR_ADDITIONAL_POLICY_CONSTRAINT_FAILED"
    column = lines[garbled - 1].index("â€™") + 1
    mojibake = found[(garbled, column, "mojibake")]
    assert mojibake.fix.replacement == "\u2019"
    assert [f for f in result.findings if f.severity == "error"] == []
    assert Counter(f.code for f in result.findings if f.code in ("malformed-code", "mojibake")) == {
        "malformed-code": 1, "mojibake": 1}


# -- the Thunderbird corpus ------------------------------------------------------------------


def corpus_report(tmp_path: Path) -> tuple[int, dict, list[str]]:
    project = tmp_path / "empty-project"
    (project / "content").mkdir(parents=True)
    result = run_check(project, [str(CORPUS)], product="thunderbird")
    counts = dict(sorted(Counter(f.code for f in result.findings).items()))
    errors = [f"{Path(f.file).name}:{f.line}:{f.column}:{f.code}" for f in result.findings
              if f.severity == "error"]
    return result.files, counts, errors


def test_thunderbird_corpus_matches_the_reviewed_report(tmp_path: Path):
    files, counts, errors = corpus_report(tmp_path)
    expected = json.loads((FIXTURES / "thunderbird-report.json").read_text(encoding="utf-8"))
    assert files == expected["files"] == 193
    assert counts == expected["counts"]
    assert errors == [e["finding"] for e in expected["errors"]]
    assert all(e["review"].startswith("true:") for e in expected["errors"])


# -- --fix -----------------------------------------------------------------------------------------


def assert_only_fixed_spans_differ(before: str, after: str, fixes: list[tuple[str, str]]) -> None:
    """``after`` is ``before`` with each (old, new) fix applied to the next
    occurrence of ``old``, and difflib sees no change outside those spans."""
    spans = []
    pos = 0
    expected = []
    for old, new in fixes:
        at = before.index(old, pos)
        expected.append(before[pos:at] + new)
        spans.append((at, at + len(old)))
        pos = at + len(old)
    expected.append(before[pos:])
    assert after == "".join(expected)
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag != "equal":
            assert any(lo <= i1 and i2 <= hi for lo, hi in spans), f"change outside a fix: {before[i1:i2]!r}"


def test_fix_changes_the_seed_only_at_the_fixed_spots(tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "content", project / "content")
    seed = project / "content" / SEED.name
    before_bytes = {p: p.read_bytes() for p in (project / "content").rglob("*") if p.is_file()}
    before = seed.read_text(encoding="utf-8")

    run = kb("--fix", "--format", "json", cwd=project)
    assert run.returncode in (0, 1), run.stderr
    assert "fixed 2 problems in 1 file" in run.stderr
    after = seed.read_text(encoding="utf-8")
    assert_only_fixed_spans_differ(before, after, [
        ("MOZILLA_PKIX_ERROR _ADDITIONAL_POLICY_CONSTRAINT_FAILED",
         "MOZILLA_PKIX_ERROR_ADDITIONAL_POLICY_CONSTRAINT_FAILED"),
        ("websiteâ€™s", "website\u2019s"),
    ])
    # Line by line: exactly the two lines changed, the front matter untouched.
    diff = [d for d in difflib.ndiff(before.split("\n"), after.split("\n")) if d[:1] in "+-"]
    assert len(diff) == 4
    # The fixed file re-parses, round-trips and has no new repairs.
    body_old, body_new = before.split("---\n", 2)[2], after.split("---\n", 2)[2]
    doc = parse(body_new)
    assert doc.to_wikitext() == body_new
    assert Counter(d.code for d in doc.diagnostics) == Counter(d.code for d in parse(body_old).diagnostics)
    # No other file changed, and a second run finds nothing left to fix.
    for path, data in before_bytes.items():
        if path != seed:
            assert path.read_bytes() == data, path
    remaining = json.loads(run.stdout)
    assert not [f for f in remaining if f["code"] in ("malformed-code", "mojibake")]
    again = kb("--fix", cwd=project)
    assert "fixed 0 problems in 0 files" in again.stderr
    assert seed.read_text(encoding="utf-8") == after


def test_fix_keeps_crlf_line_ends_and_skips_unsafe_fixes(planted_copy: Path):
    article = planted_copy / "content" / "broken.wiki"
    text = article.read_text(encoding="utf-8").replace("\n", "\r\n")
    article.write_bytes(text.encode("utf-8"))
    run = kb("--fix", "content/broken.wiki", cwd=planted_copy)
    assert "fixed 3 problems in 1 file" in run.stderr, run.stderr
    after = article.read_bytes().decode("utf-8")
    assert after.count("\r\n") == text.count("\r\n") and "\n" not in after.replace("\r\n", "")
    assert_only_fixed_spans_differ(text, after, [
        ("SEC_ERROR _PLANTED", "SEC_ERROR_PLANTED"),
        ("SEC_ERROR _PLANTED", "SEC_ERROR_PLANTED"),
        ("â€™", "\u2019"),
    ])
    # Unsafe suggestions (Markdown, redundant {for}, unknown term) stay as written.
    assert "**bold**" in after and "{for fx50}" in after and "{for winn}" in after
    assert run.returncode == 1  # the planted errors are still there


# -- the command line ---------------------------------------------------------------------------


def test_cli_exit_status_0_when_clean(tmp_path: Path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "clean.wiki").write_text(
        "---\ntitle: Clean\nproduct: firefox\n---\nNothing {for win}wrong{/for} here.\n", encoding="utf-8")
    run = kb(cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip() == "No problems found in 1 file."


def test_cli_exit_status_1_with_errors_and_0_when_they_are_ignored(planted_copy: Path):
    assert kb(cwd=planted_copy).returncode == 1
    run = kb("--select", "text,codes", cwd=planted_copy)
    assert run.returncode == 0
    run = kb("--ignore", "structure,conditions", "--ignore", "references", cwd=planted_copy)
    assert run.returncode == 0, run.stdout


@pytest.mark.parametrize("args", [
    ("--select", "no-such-code"),
    ("--ignore", "mojibak"),
    ("--format", "xml"),
    ("--product", "netscape"),
    ("no/such/file.wiki",),
    ("kb.yaml",),
])
def test_cli_usage_errors_exit_2(planted_copy: Path, args):
    (planted_copy / "kb.yaml").write_text("{}\n", encoding="utf-8")
    run = kb(*args, cwd=planted_copy)
    assert run.returncode == 2, (args, run.stdout, run.stderr)
    assert run.stderr.strip() and "Traceback" not in run.stderr


def test_cli_unknown_code_in_kb_yaml_is_a_usage_error(planted_copy: Path):
    (planted_copy / "kb.yaml").write_text("check:\n  ignore: [missing-articel]\n", encoding="utf-8")
    run = kb(cwd=planted_copy)
    assert run.returncode == 2
    assert "check.ignore" in run.stderr and "missing-article" in run.stderr


def test_cli_json_has_the_documented_keys(planted_copy: Path):
    run = kb("--format", "json", cwd=planted_copy)
    items = json.loads(run.stdout)
    assert len(items) == len(PLANTED_FINDINGS)
    base = {"code", "severity", "file", "line", "column", "message"}
    for item in items:
        assert set(item) in (base, base | {"fix"}), item
        assert item["severity"] in ("error", "warning", "info")
        if "fix" in item:
            assert set(item["fix"]) == {"start", "end", "replacement", "description", "safe"}
            assert item["fix"]["safe"] == check_codes.is_safe_fix(item["code"])
    # Fix offsets point into the file (front matter included).
    text = (planted_copy / B).read_text(encoding="utf-8")
    mojibake = next(i for i in items if i["code"] == "mojibake")
    assert text[mojibake["fix"]["start"]:mojibake["fix"]["end"]] == "â€™"


def test_cli_github_annotations(planted_copy: Path):
    run = kb("--format", "github", cwd=planted_copy)
    lines = run.stdout.splitlines()
    assert len(lines) == len(PLANTED_FINDINGS)
    pattern = re.compile(r"::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),title=([a-z-]+)::(.+)")
    seen = set()
    for line in lines:
        m = pattern.fullmatch(line)
        assert m, line
        seen.add((m.group(2), int(m.group(3)), int(m.group(4)), m.group(5)))
        assert m.group(1) == {"error": "error", "warning": "warning", "info": "notice"}[
            check_codes.severity(m.group(5))]
    assert seen == PLANTED_FINDINGS
    assert run.returncode == 1


def test_cli_text_shows_the_source_line_and_a_caret(planted_copy: Path):
    run = kb("--select", "mojibake", cwd=planted_copy)
    out = run.stdout.splitlines()
    assert out[0].startswith(f"{B}:81:27: warning [mojibake] ")
    assert out[1] == "   81 | You can notify the websiteâ€™s administrator."
    assert out[2] == "      | " + " " * 26 + "^~~"
    assert out[-1] == "0 errors, 1 warning in 1 of 5 files."


def test_cli_select_and_ignore(planted_copy: Path):
    def codes(*args):
        return {i["code"] for i in json.loads(kb("--format", "json", *args, cwd=planted_copy).stdout)}

    assert codes("--select", "mojibake") == {"mojibake"}
    assert codes("--select", "conditions") == {"never-true", "always-true", "other-product",
                                               "unknown-term", "version-out-of-range"}
    assert codes("--select", "conditions", "--ignore", "always-true,never-true") == {
        "other-product", "unknown-term", "version-out-of-range"}
    everything = codes()
    assert codes("--ignore", "structure") == everything - {
        c for c in everything if check_codes.get(c).family == "structure"}


def test_kb_yaml_check_setting(planted_copy: Path):
    (planted_copy / "kb.yaml").write_text(
        "check:\n  ignore: [missing-article, markdown-syntax]\n", encoding="utf-8")
    items = json.loads(kb("--format", "json", cwd=planted_copy).stdout)
    found = {i["code"] for i in items}
    assert "missing-article" not in found and "markdown-syntax" not in found
    assert "mojibake" in found
    # --ignore adds to the setting; --select replaces kb.yaml's select.
    items = json.loads(kb("--format", "json", "--ignore", "mojibake", cwd=planted_copy).stdout)
    assert {"missing-article", "markdown-syntax", "mojibake"}.isdisjoint(i["code"] for i in items)
    (planted_copy / "kb.yaml").write_text("check:\n  select: [mojibake]\n", encoding="utf-8")
    assert {i["code"] for i in json.loads(kb("--format", "json", cwd=planted_copy).stdout)} == {"mojibake"}
    items = json.loads(kb("--format", "json", "--select", "malformed-code", cwd=planted_copy).stdout)
    assert {i["code"] for i in items} == {"malformed-code"}


def test_cli_checks_one_file_and_folders_outside_content(planted_copy: Path, tmp_path: Path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "README.md").write_text("# not an article\n", encoding="utf-8")
    (outside / "a.wiki").write_text("{for tb60}Thunderbird 60{/for} [[T:ok]] [[T:gone]]\n", encoding="utf-8")
    items = json.loads(kb("--format", "json", "--product", "thunderbird", str(outside), cwd=planted_copy).stdout)
    # Judged for Thunderbird readers (no other-product); references looked up in the project.
    assert [(i["line"], i["column"], i["code"]) for i in items] == [(1, 41, "missing-template")]
    items = json.loads(kb("--format", "json", str(outside / "a.wiki"), cwd=planted_copy).stdout)
    assert {i["code"] for i in items} == {"other-product", "missing-template"}


# -- any input ----------------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kb.check.fix import apply_to_body  # noqa: E402
from kb.check.runner import check_text  # noqa: E402

_PIECES = ["{for win}", "{for not fx66}", "{for fx66}", "{for mac,tb60}", "{for winn}", "{/for}", "{note}",
           "{/note}", "{warning}", "{/warning}", "'''", "''", "[[", "]]", "[[T:x]]", "[[Image:y|thumb]]",
           "[[Other]]", "**a**", "[t](https://e.org)", "`c`", "websiteâ€™s", "Ã©tÃ©", "\n", "\n\n", " ", "text",
           "=", "==", "* ", "# ", "*", "{button ", "{key Ctrl}", "}", "Error code: SEC_ERROR _X",
           "=SEC_ERROR _Y=\n", "<!--", "-->", "<code>", "</code>", "{|", "|}", "| ", "\t", "é"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_any_markup_checks_cleanly_and_safe_fixes_add_no_repairs(body: str):
    findings = check_text(body)
    lines = body.count("\n") + 1
    for f in findings:
        entry = check_codes.get(f.code)
        assert entry is not None and f.severity == entry.severity, f
        assert 1 <= f.line <= lines and f.column >= 1, f
        if f.fix is not None:
            assert 0 <= f.fix.start <= f.fix.end <= len(body), f
    safe = [f for f in findings if f.fix is not None and check_codes.is_safe_fix(f.code)]
    fixed, applied, skipped = apply_to_body(body, safe)
    doc = parse(fixed)
    assert doc.to_wikitext() == fixed
    before = Counter(d.code for d in parse(body).diagnostics)
    after = Counter(d.code for d in doc.diagnostics)
    assert all(after[code] <= before[code] for code in after), (body, fixed)
    # Nothing safe is left to fix, unless a fix had to wait for the next run.
    left = [f for f in check_text(fixed) if f.fix is not None and check_codes.is_safe_fix(f.code)]
    assert skipped or not left, (body, fixed, left)


def test_a_markdown_article_gets_the_markdown_way_to_wrap_a_block(tmp_path: Path):
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    article = project / "content" / "mac.md"
    article.write_text("---\ntitle: Mac\nslug: mac\nproduct: firefox\n---\n"
                       "Text {for mac}open\n\nMore text{/for}\n", encoding="utf-8")
    done = kb("--format", "json", cwd=project)
    findings = [f for f in json.loads(done.stdout) if f["code"] == "for-repair-changes-content"]
    assert len(findings) == 1
    assert "'::: for mac'" in findings[0]["message"] and "lines of their own" in findings[0]["message"]
