"""``kb build`` as a user runs it: safe, repeatable, incremental."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kb.errors import KbError
from kb.site.build import build

ROOT = Path(__file__).resolve().parent.parent


def make_project(tmp_path: Path) -> Path:
    """A copy of this project's content, templates and configuration."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "templates", project / "templates")
    if (ROOT / "kb.yaml").exists():
        shutil.copy(ROOT / "kb.yaml", project / "kb.yaml")
    return project


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("built"))
    report = build(project, jobs=1, progress=False)
    return project, report


def test_the_site_has_every_page(built):
    project, report = built
    site = project / "site"
    for path in ("index.html", "404.html", "codes.json", "sitemap.xml", "assets/kb.css", "assets/kb.js",
                 "assets/search-index.js", "articles/what-do-security-warning-codes-mean.html",
                 "codes/SEC_ERROR_UNKNOWN_ISSUER.html", "codes/MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT.html"):
        assert (site / path).is_file(), path
    variant_pages = list((site / "codes" / "SEC_ERROR_EXPIRED_CERTIFICATE").glob("*.html"))
    assert len(variant_pages) >= 6
    codes = json.loads((site / "codes.json").read_text())["codes"]
    assert {c["code"] for c in codes} >= {"SEC_ERROR_UNKNOWN_ISSUER", "SSL_ERROR_BAD_CERT_DOMAIN"}
    unknown = next(c for c in codes if c["code"] == "SEC_ERROR_UNKNOWN_ISSUER")
    assert unknown["value"] == -8179 and unknown["url"] == "codes/SEC_ERROR_UNKNOWN_ISSUER.html"
    assert report.pages == len(list(site.rglob("*.html")))


def test_links_are_relative(built):
    project, _ = built
    for page in (project / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert 'href="/' not in html and 'src="/' not in html, page


def test_rebuild_is_byte_identical(built, tmp_path):
    project, _ = built
    before = digest(project / "site")
    build(project, jobs=2, use_cache=False, progress=False)
    assert digest(project / "site") == before


def test_unchanged_articles_come_from_the_cache(tmp_path):
    project = make_project(tmp_path)
    extra = project / "content" / "second.wiki"
    extra.write_text("---\ntitle: A second article\nslug: second\nproduct: firefox\n---\n"
                     "Some text {for mac}for Mac{/for}.\n", encoding="utf-8")
    first = build(project, jobs=1, progress=False)
    assert first.rendered == 2
    second = build(project, jobs=1, progress=False)
    assert second.rendered == 0
    extra.write_text(extra.read_text(encoding="utf-8").replace("Some text", "Changed text"), encoding="utf-8")
    third = build(project, jobs=1, progress=False)
    assert third.rendered == 1
    assert "Changed text" in (project / "site" / "articles" / "second.html").read_text(encoding="utf-8")


def test_a_foreign_folder_is_never_overwritten(tmp_path):
    project = make_project(tmp_path)
    foreign = project / "site"
    foreign.mkdir()
    (foreign / "precious.txt").write_text("mine")
    with pytest.raises(KbError, match="not made by kb build"):
        build(project, progress=False)
    assert (foreign / "precious.txt").read_text() == "mine"
    assert sorted(p.name for p in foreign.iterdir()) == ["precious.txt"]


def test_a_failed_build_leaves_the_previous_site(tmp_path):
    project = make_project(tmp_path)
    build(project, jobs=1, progress=False)
    before = digest(project / "site")
    bad = project / "content" / "broken.wiki"
    bad.write_bytes(b"---\ntitle: Broken\n---\nnot utf-8 \xff here\n")
    with pytest.raises(KbError, match=r"broken\.wiki.*UTF-8 at byte offset"):
        build(project, jobs=1, progress=False)
    assert digest(project / "site") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site.")]  # no staging left behind


def test_image_paths_cannot_leave_the_project(tmp_path):
    project = make_project(tmp_path)
    (project / "content" / "evil.wiki").write_text(
        "---\ntitle: Evil\nslug: evil\n---\n[[Image:../../etc/passwd]] [[Image:/etc/passwd]] "
        "[[Image:..\\..\\secret]]\n", encoding="utf-8")
    build(project, jobs=1, progress=False)
    site = project / "site"
    html = (site / "articles" / "evil.html").read_text(encoding="utf-8")
    assert "passwd" not in "".join(p.name for p in site.rglob("*"))
    assert "image-missing" in html and "/etc/passwd\"" not in html


def test_cli_build_prints_a_summary_and_refuses_bad_usage(tmp_path):
    project = make_project(tmp_path)
    done = subprocess.run(["kb", "build", "--root", str(project)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Built ") and "pages" in done.stdout and "variants" in done.stdout
    assert "Traceback" not in done.stderr
    bad = subprocess.run(["kb", "build", "--root", str(project), "--jobs", "0"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--jobs" in bad.stderr
    inside = subprocess.run(["kb", "build", "--root", str(project), "--out", str(project / "content")],
                            capture_output=True, text=True)
    assert inside.returncode == 2 and "cannot be inside content" in inside.stderr
