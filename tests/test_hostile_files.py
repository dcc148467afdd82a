"""What kb reads: only regular files of a bounded size, and front matter
that cannot expand to gigabytes. The installed ``kb`` as a user runs it."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECRET = "TOP-SECRET-7f3a"
#: Enough memory for kb, far too little for an expanded YAML bomb.
MEMORY_LIMIT = 1024 * 1024 * 1024


def run(*command: str, cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          preexec_fn=limit_memory if command[0] == "kb" else None)
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    return done


def make_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "content", project / "content")
    (project / "mkdocs.yml").write_text(
        "site_name: Test\ndocs_dir: docs\nplugins:\n  - kb:\n      content: content\n", encoding="utf-8")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    return project


def published_secret(project: Path) -> list[str]:
    """The files of the built sites (kb's and MkDocs') that hold the secret."""
    return [str(p) for site in ("site", "mkdocs-site") for p in (project / site).rglob("*")
            if p.is_file() and not p.is_symlink() and SECRET.encode() in p.read_bytes()]


# -- devices, FIFOs, huge files -----------------------------------------------------------------


@pytest.fixture
def fifo_project(tmp_path) -> Path:
    project = make_project(tmp_path)
    os.mkfifo(project / "content" / "fifo.wiki")
    os.mkfifo(project / "fifo")
    return project


@pytest.mark.parametrize("args, status", [
    (["check", "/dev/zero"], 2),
    (["preview", "/dev/zero"], 1),
    (["convert", "/dev/zero"], 1),
    (["preview", "fifo"], 1),
    (["variants", "fifo"], 1),
    (["parse", "fifo"], 1),
    (["convert", "fifo"], 1),
    (["check", "content/fifo.wiki"], 1),
])
def test_a_device_or_fifo_is_refused_at_once(fifo_project, args, status):
    done = run("kb", *args, cwd=fifo_project, timeout=60)
    assert done.returncode == status
    said = done.stderr + done.stdout  # (kb check reports an unreadable file as a finding)
    assert args[1] in said
    assert "not a regular file" in said or "not an article" in said


def test_a_fifo_in_content_is_not_read(fifo_project):
    assert run("kb", "check", cwd=fifo_project, timeout=60).returncode in (0, 1)
    built = run("kb", "build", "--out", "site", cwd=fifo_project, timeout=120)
    assert built.returncode == 0, built.stderr
    assert not (fifo_project / "site" / "articles" / "fifo.html").exists()


def test_a_huge_file_gets_a_clear_message(tmp_path):
    project = make_project(tmp_path)
    big = project / "content" / "big.wiki"
    big.write_text("---\ntitle: Big\n---\n" + ("word " * 2_000_000), encoding="utf-8")  # 10 MB
    for args in (["preview", "content/big.wiki"], ["check", "content/big.wiki"], ["build", "--out", "site"]):
        done = run("kb", *args, cwd=project)
        assert done.returncode == 1
        assert "big.wiki: is larger than 8 MB" in done.stderr


# -- YAML bombs ------------------------------------------------------------------------------------


def _bomb(key: str) -> str:
    """Nine levels of nine aliases: 9**9 (387 million) values once expanded."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + f"\n{key}: *a9\n"


@pytest.mark.parametrize("front", [_bomb("title"), _bomb("extra"), "a: &a [*a, *a]\n"],
                         ids=["in the title", "in any key", "an alias inside itself"])
def test_a_yaml_bomb_in_front_matter_is_refused_at_once(tmp_path, front):
    project = make_project(tmp_path)
    (project / "content" / "bomb.wiki").write_text(f"---\n{front}---\nBody\n", encoding="utf-8")
    for args in (["check", "content/bomb.wiki"], ["parse", "--format", "json", "content/bomb.wiki"],
                 ["build", "--out", "site"], ["lookup", "SEC_ERROR_EXPIRED_CERTIFICATE"]):
        done = run("kb", *args, cwd=project, timeout=60)
        assert done.returncode == 1
        assert "bomb.wiki:2: front matter expands to more than" in done.stderr


def test_aliases_that_expand_a_little_are_fine(tmp_path):
    project = make_project(tmp_path)
    (project / "content" / "alias.wiki").write_text(textwrap.dedent("""\
        ---
        title: &t Aliases
        slug: aliases
        also: [*t, *t]
        ---
        Body
        """), encoding="utf-8")
    done = run("kb", "preview", "content/alias.wiki", cwd=project)
    assert done.returncode == 0 and done.stdout.startswith("Aliases\n")
