"""The installed ``kb`` command, run as a user runs it (a subprocess)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "security-warning-codes.wiki"


def kb(*args: str, cwd: Path = ROOT, input: str | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(["kb", *args], cwd=cwd, capture_output=True, text=True, input=input, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    return done


# -- kb lookup -------------------------------------------------------------------------


def test_lookup_explains_a_code_for_one_reader():
    done = kb("lookup", "SEC_ERROR_EXPIRED_CERTIFICATE", "--version", "120", "--os", "win10")
    assert done.returncode == 0
    out = done.stdout
    assert out.startswith("SEC_ERROR_EXPIRED_CERTIFICATE (-8181): Expired certificate")
    assert "Firefox 66 and later" in out.splitlines()[1] or "Firefox" in out.splitlines()[1]
    assert "The certificate expired on" in out
    assert "Windows Taskbar" in out
    assert "\x1b[" not in out  # no colour when not printing to a terminal
    # Readable in 80 columns: only a single unbreakable word (a URL) may be longer.
    assert all(len(line.split()) == 1 for line in out.splitlines() if len(line) > 80)


def test_lookup_on_mac_has_no_taskbar_and_fx60_reads_the_older_layout():
    mac = kb("lookup", "SEC_ERROR_EXPIRED_CERTIFICATE", "--version", "120", "--os", "mac")
    assert mac.returncode == 0 and "Taskbar" not in mac.stdout
    old = kb("lookup", "sec_error_expired_certificate", "--version", "60", "--os", "mac")
    assert old.returncode == 0
    assert "Error code: SEC_ERROR_EXPIRED_CERTIFICATE" in old.stdout
    assert "Your connection is not secure" in old.stdout


@pytest.mark.parametrize("query", ["-8179", "Error code: SEC_ERROR_UNKNOWN_ISSUER", "UNKNOWN_ISSUER",
                                   "SEC_ERROR_UNKOWN_ISSUER"])
def test_lookup_query_forms(query):
    done = kb("lookup", query, "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["code"] == "SEC_ERROR_UNKNOWN_ISSUER" and data["value"] == -8179
    assert set(data) >= {"code", "value", "aliases", "title", "summary", "variant", "url", "text", "html"}
    assert data["url"].startswith("codes/SEC_ERROR_UNKNOWN_ISSUER/") and data["url"].endswith(".html")
    assert "The certificate is not trusted because the issuer certificate is unknown." in data["text"]
    assert "<script" not in data["html"]


def test_lookup_alias_names_the_canonical_code():
    data = json.loads(kb("lookup", "ERROR_SELF_SIGNED_CERT", "--format", "json").stdout)
    assert data["code"] == "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT"
    assert "ERROR_SELF_SIGNED_CERT" in data["aliases"]


def test_lookup_misspelling_says_did_you_mean():
    done = kb("lookup", "SEC_ERROR_UNKOWN_ISSUER")
    assert done.returncode == 0 and "did you mean SEC_ERROR_UNKNOWN_ISSUER" in done.stdout


def test_lookup_not_found_and_ambiguous_exit_1():
    missing = kb("lookup", "banana bread")
    assert missing.returncode == 1
    assert "No code matches" in missing.stderr and "Closest codes" in missing.stderr
    ambiguous = kb("lookup", "EXPIRED")
    assert ambiguous.returncode == 1
    assert "SEC_ERROR_EXPIRED_CERTIFICATE" in ambiguous.stderr
    assert "SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE" in ambiguous.stderr


@pytest.mark.parametrize("args", [["lookup"], ["lookup", "   "], ["lookup", "\x01\x02"],
                                  ["lookup", "SEC_ERROR_UNKNOWN_ISSUER", "--os", "beos"],
                                  ["lookup", "SEC_ERROR_UNKNOWN_ISSUER", "--version", "abc"],
                                  ["lookup", "SEC_ERROR_UNKNOWN_ISSUER", "--format", "pdf"]])
def test_lookup_usage_errors_exit_2(args):
    done = kb(*args)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stderr.strip()


def test_lookup_unknown_os_lists_the_valid_values():
    done = kb("lookup", "SEC_ERROR_UNKNOWN_ISSUER", "--os", "beos")
    assert "mac" in done.stderr and "linux" in done.stderr and "win10" in done.stderr


def test_lookup_handles_a_megabyte_query():
    done = subprocess.run(["kb", "lookup", "x" * 100_000], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_lookup_list():
    done = kb("lookup", "--list")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    codes = [line for line in lines if not line.startswith(" ")]
    assert len(codes) == 13 and max(len(line) for line in lines) <= 80
    at = lines.index("SEC_ERROR_UNKNOWN_ISSUER (-8179)")
    assert lines[at + 1].strip() == "Unknown certificate issuer"


# -- kb variants / kb preview --------------------------------------------------------------


def test_variants_lists_labels_and_slugs():
    done = kb("variants", str(SEED))
    assert done.returncode == 0
    assert "Firefox 58\u201365 on macOS" in done.stdout
    data = json.loads(kb("variants", str(SEED), "--format", "json").stdout)
    labels = [v["label"] for v in data]
    assert any(label.startswith("Firefox 57 and earlier") for label in labels)
    assert len({v["slug"] for v in data}) == len(data)


def test_preview_shows_what_one_reader_sees():
    done = kb("preview", str(SEED), "--version", "60", "--os", "mac", "--width", "80")
    assert done.returncode == 0
    out = done.stdout
    assert "Your connection is not secure" in out
    assert "cert9.db" in out and "[command]" in out.replace("[Command]", "[command]")
    assert "Windows Taskbar" not in out
    assert not any(mark in out for mark in ("{for", "[[", "'''", "{/for}"))


def test_preview_unknown_reader_values_exit_2():
    for args in (["--os", "amiga"], ["--version", "fx"], ["--product", "netscape"]):
        done = kb("preview", str(SEED), *args)
        assert done.returncode == 2, args
        assert "valid" in done.stderr.lower()


def test_missing_and_undecodable_files_are_clear(tmp_path):
    done = kb("variants", str(tmp_path / "nope.wiki"))
    assert done.returncode == 1 and "no such file" in done.stderr
    bad = tmp_path / "bad.wiki"
    bad.write_bytes(b"ok\n\xc3\x28 broken")
    done = kb("parse", str(bad))
    assert done.returncode == 1 and "UTF-8" in done.stderr and "byte offset 3" in done.stderr


def test_unknown_command_is_a_usage_error():
    done = kb("frobnicate")
    assert done.returncode == 2 and "invalid choice" in done.stderr
