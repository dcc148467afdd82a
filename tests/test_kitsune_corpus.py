"""The corpus comparison (bench/kitsune_corpus.py): it sees a change in any
construct, and the stored baseline is today's rendering of every real
article, so a change to rendering shows in the commit that makes it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import kitsune_corpus  # noqa: E402


def test_each_construct_is_read_from_html():
    html = ('<h2 id="w_a">A</h2><p>See <a href="/en-US/kb/x#y">X</a> and <strong>bold</strong>.</p>'
            '<div class="for" data-for="win"><ul><li>one<dl><dt>t</dt></dl></li></ul></div>'
            '<div class="note">Hi</div><span class="key">Ctrl</span>'
            '<div class="video"><a class="video-poster" href="https://www.youtube-nocookie.com/embed/abc">Play</a></div>'
            '<section class="details"><details><summary><h3 id="w_s">S</h3></summary><p>x</p></details></section>'
            '<pre>code</pre><img src="/media/p.png" alt="P">')
    found = kitsune_corpus.features(html)
    assert found["headings"] == ["h2#w_a A", "h3#w_s S"]
    assert found["links"] == ["https://support.mozilla.org/en-US/kb/x#y | X"]  # site-relative: the live site
    assert found["emphasis"] == ["bold: bold"]
    assert found["lists"] == ["ul(li(dl(dt)))"]
    assert found["for"] == ["win: one t"]
    assert found["callouts"] == ["note: Hi"]
    assert found["ui-labels"] == ["key: Ctrl"]
    assert found["videos"] == ["youtube:abc"]
    assert found["details"] == ["S"]
    assert found["code"] == ["code"]
    assert found["images"] == ["/media/p.png alt='P'"]


def test_a_change_is_reported_per_construct(capsys):
    before = {"a": kitsune_corpus.features("<h2 id='w_x'>X</h2><p>Same text.</p>")}
    after = {"a": kitsune_corpus.features("<h2 id='w_x_2'>X</h2><p>Same text.</p>")}
    assert kitsune_corpus.report("t", before, after, 3, "before", "now") == 1
    out = capsys.readouterr().out
    assert "headings      1 of 1 articles differ" in out
    assert "- before: h2#w_x X" in out and "+ now: h2#w_x_2 X" in out
    assert "text          0 of 1 articles differ" in out


def test_the_baseline_is_todays_rendering_of_the_corpus():
    """If this fails, rendering changed: run python bench/kitsune_corpus.py to
    see what changed on the real articles, and --update to keep it."""
    stored = json.loads(kitsune_corpus.BASELINE.read_text(encoding="utf-8"))
    ours = {slug: kitsune_corpus.features(html)
            for slug, html in kitsune_corpus.render_kb(kitsune_corpus.corpus()).items()}
    assert len(ours) == 193
    changed = sorted(slug for slug in ours if ours[slug] != stored.get(slug))
    assert changed == []
