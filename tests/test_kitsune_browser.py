"""In a real browser: a page with a video asks nothing of another site until
the reader plays it, then plays it from the privacy-enhanced host; a
details section opens and closes without a script."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from browser import page_errors, serve
from kb.site.build import build

ARTICLE = """---
title: "Videos"
slug: videos
---
Before the video.

[[Video:https://www.youtube.com/watch?v=ywJ6eQwhb78]]

After the video.

[[UI:details_start]]
==Windows==
Windows steps.
==macOS==
Mac steps.
[[UI:details_end]]
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("videos")
    (root / "content").mkdir()
    (root / "content" / "videos.wiki").write_text(ARTICLE, encoding="utf-8")
    out = root / "site"
    build(root, out)
    base, stop = serve(out)
    yield base
    stop()


def test_a_video_loads_nothing_from_youtube_until_played(site, browser):
    page = browser.new_page()
    errors = page_errors(page)
    asked: list[str] = []
    page.route("**/*", lambda route: (asked.append(route.request.url),
                                      route.continue_() if route.request.url.startswith(site) else route.abort()))
    page.goto(site + "articles/videos.html")
    page.wait_for_load_state("networkidle")
    assert [url for url in asked if not url.startswith(site)] == []
    page.click("a.video-poster")
    frame = page.wait_for_selector("div.video iframe")
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/ywJ6eQwhb78?autoplay=1"
    hosts = {urlparse(url).hostname for url in asked if not url.startswith(site)}
    assert hosts <= {"www.youtube-nocookie.com"}
    assert [e for e in errors if "youtube-nocookie" not in e] == []
    page.close()


def test_a_details_section_opens_and_closes(site, browser):
    page = browser.new_page(java_script_enabled=False)
    page.goto(site + "articles/videos.html")
    assert not page.is_visible("text=Windows steps.")
    page.click("summary:has-text('Windows')")
    assert page.is_visible("text=Windows steps.") and not page.is_visible("text=Mac steps.")
    page.click("summary:has-text('Windows')")
    assert not page.is_visible("text=Windows steps.")
    page.close()
