"""The built help site in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from browser import page_errors, serve
from kb.site.build import build

ROOT = Path(__file__).resolve().parent.parent
FIREFOX_60_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.13; rv:60.0) Gecko/20100101 Firefox/60.0"
FIREFOX_120_WIN10 = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = tmp_path_factory.mktemp("browser") / "project"
    project.mkdir()
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "templates", project / "templates")
    build(project, jobs=1, progress=False)
    url, stop = serve(project / "site")
    yield project / "site", url
    stop()


def visible_text(page) -> str:
    return page.locator("main").inner_text()


def test_search_finds_unknown_issuer_first(site, browser):
    folder, url = site
    page = browser.new_page()
    errors = page_errors(page)
    page.goto(url + "index.html")
    page.fill("#code-search", "unknown")
    first = page.locator("#search-results li a").first
    assert "SEC_ERROR_UNKNOWN_ISSUER" in first.inner_text()
    page.fill("#code-search", "-8179")
    assert "SEC_ERROR_UNKNOWN_ISSUER" in page.locator("#search-results li a").first.inner_text()
    table = page.locator("#codes-table").inner_text()
    for code in ("SEC_ERROR_UNKNOWN_ISSUER", "SSL_ERROR_BAD_CERT_DOMAIN", "MOZILLA_PKIX_ERROR_MITM_DETECTED",
                 "SEC_ERROR_CERT_SIGNATURE_ALGORITHM_DISABLED"):
        assert code in table
    assert errors == []
    page.close()


def test_switching_os_removes_the_taskbar_line(site, browser):
    folder, url = site
    context = browser.new_context(user_agent=FIREFOX_120_WIN10)
    page = context.new_page()
    errors = page_errors(page)
    page.goto(url + "codes/SEC_ERROR_EXPIRED_CERTIFICATE.html")
    assert page.locator("#pick-os").input_value() == "win10"
    assert "Windows Taskbar" in page.locator("section.variant:not([hidden])").inner_text()
    page.select_option("#pick-os", "mac")
    shown = page.locator("section.variant:not([hidden])")
    assert shown.count() == 1
    assert "Windows Taskbar" not in shown.inner_text()
    assert "The certificate expired on" in shown.inner_text()
    assert re.search(r"#firefox:mac:fx\d+", page.url)
    page.reload()
    assert page.locator("#pick-os").input_value() == "mac"
    assert errors == []
    context.close()


def test_firefox_60_on_mac_opens_the_older_layout(site, browser):
    folder, url = site
    context = browser.new_context(user_agent=FIREFOX_60_MAC)
    page = context.new_page()
    errors = page_errors(page)
    page.goto(url + "codes/SEC_ERROR_EXPIRED_CERTIFICATE.html")
    shown = page.locator("section.variant:not([hidden])").inner_text()
    assert "Your connection is not secure" in shown
    assert "Error code: SEC_ERROR_EXPIRED_CERTIFICATE" in shown
    assert "Warning: Potential Security Risk Ahead" not in shown
    assert "58" in page.locator("#variant-label").inner_text() and "macOS" in page.locator("#variant-label").inner_text()
    assert errors == []
    context.close()


def test_static_variant_pages_hold_the_same_text_without_javascript(site, browser):
    folder, url = site
    scripted = browser.new_context(user_agent=FIREFOX_60_MAC)
    page = scripted.new_page()
    page.goto(url + "codes/SEC_ERROR_EXPIRED_CERTIFICATE.html")
    dynamic = page.locator("section.variant:not([hidden])")
    slug = dynamic.get_attribute("data-variant")
    dynamic_text = dynamic.inner_text()
    scripted.close()
    plain = browser.new_context(java_script_enabled=False)
    page = plain.new_page()
    page.goto(url + "codes/SEC_ERROR_EXPIRED_CERTIFICATE.html")
    link = page.locator(f"nav.variant-links a[href$='{slug}.html']")
    assert link.count() == 1
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"SEC_ERROR_EXPIRED_CERTIFICATE/{slug}.html")
    static_text = page.locator("section.variant").first.inner_text()
    assert " ".join(static_text.split()) == " ".join(dynamic_text.split())
    plain.close()


def test_article_page_shows_the_readers_variant(site, browser):
    folder, url = site
    context = browser.new_context(user_agent=FIREFOX_60_MAC)
    page = context.new_page()
    errors = page_errors(page)
    page.goto(url + "articles/what-do-security-warning-codes-mean.html")
    text = visible_text(page)
    assert "Your connection is not secure" in text
    assert "Windows Taskbar" not in text
    assert "cert9.db" in text and "cert8.db" not in text
    assert errors == []
    context.close()


def test_no_console_errors_on_any_page(site, browser):
    folder, url = site
    pages = ["index.html", "404.html", "articles/what-do-security-warning-codes-mean.html"]
    pages += [str(p.relative_to(folder)) for p in sorted((folder / "codes").rglob("*.html"))]
    context = browser.new_context()
    page = context.new_page()
    errors = page_errors(page)
    for path in pages:
        page.goto(url + path)
        assert page.title(), path
    assert errors == []
    context.close()


def test_site_works_from_file_urls(site, browser):
    folder, url = site
    page = browser.new_page()
    errors = page_errors(page)
    page.goto((folder / "index.html").as_uri())
    page.fill("#code-search", "self-signed")
    assert "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT" in page.locator("#search-results").inner_text()
    page.locator("#search-results li a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT" in page.url
    assert errors == []
    page.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_kb_serve_rebuilds_when_an_article_changes(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "templates", project / "templates")
    port = _free_port()
    server = subprocess.Popen(["kb", "serve", "--root", str(project), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}/"
        page_url = base + "articles/what-do-security-warning-codes-mean.html"
        html = _get(page_url, deadline=time.monotonic() + 120)
        assert "When Firefox connects to a secure website" in html
        assert "/__kb/version" in html  # the reload script
        version = _get(base + "__kb/version", deadline=time.monotonic() + 10)
        article = project / "content" / "security-warning-codes.wiki"
        article.write_text(article.read_text(encoding="utf-8").replace(
            "When Firefox connects to a secure website", "When Firefox talks to a secure website"), encoding="utf-8")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if _get(base + "__kb/version", deadline) != version:
                break
            time.sleep(0.3)
        assert "When Firefox talks to a secure website" in _get(page_url, deadline)
    finally:
        server.terminate()
        server.wait(timeout=20)


def _get(url: str, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
