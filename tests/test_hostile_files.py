"""What kb reads: only regular files of a bounded size, nothing from outside
content/ (symbolic links resolved), and front matter that cannot expand to
gigabytes. The installed ``kb`` (and ``mkdocs``) as a user runs them."""

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


# -- symbolic links out of content/ --------------------------------------------------------------


def _link_file(content: Path, outside: Path, name: str, text: str) -> None:
    (outside / Path(name).name).write_text(text, encoding="utf-8")
    if (content / name).exists():
        (content / name).unlink()
    (content / name).symlink_to(outside / Path(name).name)


def _link_folder(content: Path, outside: Path, name: str, secret_file: str, text: str) -> None:
    shutil.move(content / name, outside / name)
    (outside / name / secret_file).write_text(text, encoding="utf-8")
    (content / name).symlink_to(outside / name, target_is_directory=True)


LINKS = {
    "an image": lambda c, o: _link_file(c, o, "images/leak.png", SECRET),
    "the images folder": lambda c, o: _link_folder(c, o, "images", "leak.png", SECRET),
    "an article": lambda c, o: _link_file(c, o, "leak.wiki", f"---\ntitle: Leak\n---\n{SECRET}\n"),
    "a template": lambda c, o: _link_file(c, o, "templates/leak.wiki",
                                          f'---\ntitle: "Template:leak"\n---\n{SECRET}\n'),
    "the templates folder": lambda c, o: _link_folder(c, o, "templates", "leak.wiki",
                                                      f'---\ntitle: "Template:leak"\n---\n{SECRET}\n'),
    "the registry": lambda c, o: _link_file(
        c, o, "codes.yaml", (ROOT / "content" / "codes.yaml").read_text(encoding="utf-8")
        .replace("title: Expired certificate", f"title: Expired {SECRET}", 1)),
}


@pytest.mark.parametrize("link", LINKS)
def test_nothing_outside_content_is_read_or_published(tmp_path, link):
    project = make_project(tmp_path)
    outside = tmp_path / "outside"
    (outside / "templates").mkdir(parents=True)
    (outside / "images").mkdir()
    LINKS[link](project / "content", outside)
    built = run("kb", "build", "--out", "site", cwd=project)
    assert built.returncode == 1
    assert "outside the content folder" in built.stderr and "copy the file in" in built.stderr
    assert "content/" in built.stderr  # names the link
    looked_up = run("kb", "lookup", "SEC_ERROR_EXPIRED_CERTIFICATE", cwd=project)
    assert looked_up.returncode == 1 and SECRET not in looked_up.stdout
    assert published_secret(project) == []
    mkdocs = shutil.which("mkdocs") or str(Path(sys.executable).parent / "mkdocs")
    published = run(mkdocs, "build", "--site-dir", str(project / "mkdocs-site"), cwd=project)
    assert published.returncode != 0 and "outside the content folder" in published.stderr
    assert published_secret(project) == []


def test_links_inside_content_still_work(tmp_path):
    project = make_project(tmp_path)
    images = project / "content" / "images"
    (images / "Alias.svg").symlink_to("Fx52InsecureConnection.svg")
    (project / "content" / "shared").mkdir()
    (project / "content" / "shared" / "article.wiki").write_text("---\ntitle: Shared\n---\nShared text.\n")
    (project / "content" / "shared.wiki").symlink_to(project / "content" / "shared" / "article.wiki")
    built = run("kb", "build", "--out", "site", cwd=project)
    assert built.returncode == 0, built.stderr
    site = project / "site"
    assert (site / "images" / "Alias.svg").read_bytes() == (images / "Fx52InsecureConnection.svg").read_bytes()
    assert "Shared text." in (site / "articles" / "shared.html").read_text(encoding="utf-8")


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
