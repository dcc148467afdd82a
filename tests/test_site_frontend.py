"""The presentation layer (templates/ and templates/assets/) in a real browser.

The templates are rendered with a fake of the builder's model (the seed's
variants: Firefox 66 and later / 58–65 / 57 and earlier, on {win8, win10},
{winxp, win7, win11}, {mac}, {linux}) into a temporary site, which headless
Chromium then drives over HTTP, from file://, and with JavaScript off.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jinja2
import pytest

from browser import page_errors, serve
from kb.conditions.config import Config, VersionList
from kb.conditions.context import Context
from kb.conditions.predicate import matches
from kb.conditions.variants import Span
from kb.site.search_index import search_index_js

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

FX60_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.13; rv:60.0) Gecko/20100101 Firefox/60.0"
FX120_WIN10 = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0"
FX200_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:200.0) Gecko/20100101 Firefox/200.0"
CHROME_WIN7 = ("Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/120.0.0.0 Safari/537.36")

# --------------------------------------------------------------------------
# The fake model
# --------------------------------------------------------------------------

PLATFORMS = [  # display order
    {"slug": "win10", "name": "Windows 10"},
    {"slug": "win11", "name": "Windows 11"},
    {"slug": "win8", "name": "Windows 8"},
    {"slug": "win7", "name": "Windows 7"},
    {"slug": "winxp", "name": "Windows XP"},
    {"slug": "mac", "name": "macOS"},
    {"slug": "linux", "name": "Linux"},
]
PRODUCT = {"slug": "firefox", "short": "fx", "name": "Firefox"}
RANGES = [  # newest first, as the builder gives them
    {"label": "Firefox 66 and later", "low": 66, "high": 150, "slug": "fx66plus"},
    {"label": "Firefox 58\u201365", "low": 58, "high": 65, "slug": "fx58-65"},
    {"label": "Firefox 57 and earlier", "low": 1, "high": 57, "slug": "fx-upto57"},
]
CLASSES = [  # the seed's platform classes, usual reader first
    (("win8", "win10"), "win8-win10", "Windows 8 or 10", "win10"),
    (("winxp", "win7", "win11"), "winxp-win7-win11", "Windows XP, 7 or 11", "win11"),
    (("mac",), "mac", "macOS", "mac"),
    (("linux",), "linux", "Linux", "linux"),
]


def picker(ranges=RANGES) -> dict:
    return {
        "product": PRODUCT,
        "versions": [{k: r[k] for k in ("label", "low", "high")} for r in ranges],
        "platforms": PLATFORMS,
        "first_version": 1,
        "last_version": 150,
    }


def unknown_issuer_html(rng: dict, platforms: tuple[str, ...]) -> str:
    """The tailored help of one variant: enough to tell variants apart and to
    exercise the article classes."""
    new = rng["low"] >= 66
    parts = [f'<p class="variant-note">Written for {rng["label"]}.</p>']
    if new:
        parts.append('<p>Firefox shows <em>Warning: Potential Security Risk Ahead</em>. '
                     'Click <span class="button">Advanced</span> to see the error code.</p>')
    else:
        parts.append('<p>Firefox shows <em>Your connection is not secure</em>. '
                     'Click <span class="button">Advanced</span> for more information.</p>')
    parts.append('<h2 id="w_what_it_means">What it means</h2><p>The certificate was issued by a '
                 'certificate authority Firefox does not know, or the server did not send the '
                 'intermediate certificates.</p>')
    if rng["high"] >= 58 and not new:
        parts.append('<p>Sites using Symantec certificates are distrusted since Firefox 60.</p>')
    if "win10" in platforms:
        parts.append('<p class="family">You may also see this error on Windows in accounts '
                     'protected by Microsoft family settings.</p>')
    key = '<span class="key">command</span>+' if platforms == ("mac",) else ""
    parts.append(f'<div class="note"><p><strong>Note:</strong> Press {key}<span class="key">Delete</span> '
                 'to remove a certificate from <span class="menu">Certificate Manager</span>.</p></div>')
    parts.append('<div class="warning"><p><strong>Warning!</strong> Do not proceed unless you '
                 'understand the reasons for the warning.</p></div>')
    return "\n".join(parts)


def make_variants(code: str, ranges, classes, html) -> list[dict]:
    out = []
    for rng in ranges:
        for platforms, pslug, pname, rep in classes:
            slug = f"{rng['slug']}-{pslug}" if pslug else rng["slug"]
            label = f"{rng['label']} on {pname}" if pname else rng["label"]
            out.append({
                "slug": slug,
                "label": label,
                "url": f"{code}/{slug}.html",
                "html": html(rng, platforms),
                "spans": [{"low": rng["low"], "high": rng["high"], "platforms": list(platforms)}],
                "representative": {"product": "firefox", "version": rng["high"], "platform": rep},
            })
    return out


def code_entry(code, value, title, summary, category, aliases=(), documented=True) -> dict:
    return {"code": code, "value": value, "title": title, "summary": summary, "category": category,
            "aliases": list(aliases), "url": f"codes/{code}.html", "documented": documented}


CODES = [
    code_entry("SEC_ERROR_EXPIRED_CERTIFICATE", -8181, "The certificate has expired",
               "The website's certificate is past its end date, or your computer's clock is wrong.",
               "validity"),
    code_entry("SEC_ERROR_UNKNOWN_ISSUER", -8179, "The certificate's issuer is not known",
               "Firefox cannot check who issued the website's certificate.", "issuer"),
    code_entry("MOZILLA_PKIX_ERROR_MITM_DETECTED", -16369, "Your connection is being intercepted",
               "Software on your computer or network replaced the certificate; a special case "
               "of an unknown issuer.", "interception"),
    code_entry("MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT", -16370, "The certificate is self-signed",
               "The website signed its own certificate.", "self-signed",
               aliases=["ERROR_SELF_SIGNED_CERT"]),
    code_entry("SSL_ERROR_BAD_CERT_DOMAIN", -12276, "The certificate is for another site",
               "The certificate does not name the website you are visiting.", "domain",
               documented=False),
]
BY_CODE = {c["code"]: c for c in CODES}


def link(code: str) -> dict:
    c = BY_CODE[code]
    return {"code": code, "title": c["title"], "url": c["url"]}


def code_model(code: str) -> dict:
    c = dict(BY_CODE[code])
    c["related"] = []
    c["special_case_of"] = None
    c["article"] = {"title": ARTICLE["title"], "url": "articles/security-warning-codes.html"}
    if code == "SEC_ERROR_UNKNOWN_ISSUER":
        c["related"] = [link("MOZILLA_PKIX_ERROR_MITM_DETECTED")]
        variants = make_variants(code, RANGES, CLASSES, unknown_issuer_html)
        return {"code": c, "variants": variants, "default_variant": variants[0]["slug"],
                "picker": picker()}
    if code == "MOZILLA_PKIX_ERROR_MITM_DETECTED":
        c["special_case_of"] = link("SEC_ERROR_UNKNOWN_ISSUER")
        c["related"] = [link("SEC_ERROR_UNKNOWN_ISSUER")]
    # Codes whose help only differs on Windows, from Firefox 66 on.
    ranges = [RANGES[0], {"label": "Firefox 65 and earlier", "low": 1, "high": 65, "slug": "fx-upto65"}]
    classes = [(("winxp", "win7", "win8", "win10", "win11"), "win", "Windows", "win10"),
               (("mac", "linux"), "mac-linux", "macOS or Linux", "mac")]

    def html(rng, platforms):
        clock = " (double-click the clock on the Windows taskbar)" if "win10" in platforms else ""
        return (f'<p class="variant-note">Written for {rng["label"]}.</p>'
                f"<p>Check your system clock{clock}.</p>")

    variants = make_variants(code, ranges, classes, html)
    return {"code": c, "variants": variants, "default_variant": variants[0]["slug"],
            "picker": picker(ranges)}


ARTICLE = {"title": "What do the security warning codes mean?", "slug": "security-warning-codes",
           "product": "firefox"}

ARTICLE_HTML = """\
<p>When Firefox connects to a secure website, it must verify the certificate. It then shows
<span class="for" data-for="not fx66"><em>Your connection is not secure</em></span><span class="for" data-for="fx66"><em>Warning: Potential Security Risk Ahead</em></span>.</p>
<div id="toc"><h2>Table of Contents</h2><ul>
<li><a href="#w_what_can_you_do">What can you do?</a></li>
<li><a href="#w_sec_error_unknown_issuer">SEC_ERROR_UNKNOWN_ISSUER</a></li>
<li><a href="#w_technical_information">Technical information</a></li>
</ul></div>
<div class="for" data-for="fx66">
<h2 id="w_what_can_you_do">What can you do?</h2>
<p>Click <span class="button">Advanced</span>, then <span class="button">Accept the Risk and Continue</span>.</p>
<div class="warning"><p><strong>Warning!</strong> Do not proceed unless you understand the reasons for the warning.</p></div>
<h2 id="w_sec_error_unknown_issuer">SEC_ERROR_UNKNOWN_ISSUER</h2>
<p>Set your system clock to today's date<span class="for" data-for="win"> (double-click the clock icon on the Windows Taskbar)</span>.</p>
<div class="for" data-for="win8,win10"><p>Microsoft family settings can also cause this error.</p></div>
<p>Press <span class="for" data-for="mac"><span class="key">command</span>+</span><span class="key">Delete</span>.
Open <span class="menu"><span class="for" data-for="win">Options</span><span class="for" data-for="mac">Settings</span></span>,
or type <span class="pref">security.enterprise_roots.enabled</span> in <span class="filepath">about:config</span>.</p>
<p><span class="image-missing">Image not available: Fx66Warning-SecurityRisk</span></p>
</div>
<div class="for" data-for="not fx66">
<h2 id="w_technical_information">Technical information</h2>
<div class="note"><p>Error code: <code>SEC_ERROR_UNKNOWN_ISSUER</code></p></div>
<div class="for" data-for="fx58"><p class="symantec">Symantec certificates are distrusted.</p></div>
<div class="for" data-for="not fx58"><p class="pre58">Older text for Firefox 57 and earlier.</p></div>
<table class="wikitable"><tr><th>Code</th><th>Value</th></tr><tr><td>SEC_ERROR_UNKNOWN_ISSUER</td><td>-8179</td></tr></table>
<p>See <span class="error">Template:closeFirefox does not exist.</span></p>
</div>
<div class="for" data-for="fx300,nonsense"><p class="unknown-terms">Unknown terms are ignored.</p></div>
<figure><span class="image-missing">Image not available: Fx52InsecureConnection</span><figcaption>The error page.</figcaption></figure>
"""


def showfor_data(config: Config) -> dict:
    """What the builder passes as ``showfor`` (built from a Config)."""
    versions = {}
    for p in config.products:
        line = p.versions
        versions[p.slug] = {"first": line.first, "last": line.last,
                            "list": list(line) if isinstance(line, VersionList) else None}
    return {
        "products": [{"slug": p.slug, "short": p.short, "name": p.name} for p in config.products],
        "platforms": [{"slug": p.slug, "name": p.name} for p in config.platforms],
        "groups": {g: list(m) for g, m in config.platform_groups.items()},
        "versions": versions,
    }


# --------------------------------------------------------------------------
# Rendering the fake site
# --------------------------------------------------------------------------


def environment() -> jinja2.Environment:
    # Exactly the builder's environment.
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              keep_trailing_newline=True)


def build_site(out: Path) -> None:
    env = environment()
    site = {"name": "Firefox Security Warnings Help"}
    (out / "assets").mkdir(parents=True)
    for name in ("kb.css", "kb.js"):
        shutil.copy(TEMPLATES / "assets" / name, out / "assets" / name)
    (out / "assets" / "search-index.js").write_text(search_index_js(CODES), encoding="utf-8")

    def write(path: str, template: str, **model) -> None:
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(env.get_template(template).render(site=site, **model), encoding="utf-8")

    articles = [{"title": ARTICLE["title"], "url": "articles/security-warning-codes.html",
                 "variant_count": 12}]
    write("index.html", "index.html", root="", codes=CODES, articles=articles)
    write("404.html", "404.html", root="")
    for c in CODES:
        model = code_model(c["code"])
        write(f"codes/{c['code']}.html", "code.html", root="../", **model)
        for v in model["variants"]:
            siblings = [dict(s, url=f"{s['slug']}.html") for s in model["variants"]]
            write(f"codes/{v['url']}", "variant.html", root="../../", code=model["code"], variant=v,
                  variants=siblings, code_url=f"../{c['code']}.html")
    write("articles/security-warning-codes.html", "article.html", root="../", article=ARTICLE,
          html=ARTICLE_HTML, showfor=showfor_data(Config.default()), picker=picker(),
          codes=[link("SEC_ERROR_UNKNOWN_ISSUER"), link("MOZILLA_PKIX_ERROR_MITM_DETECTED")])


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site(out)
    return out


@pytest.fixture(scope="module")
def base_url(site):
    url, stop = serve(site)
    yield url
    stop()


@pytest.fixture
def open_page(browser):
    """open_page(url, user_agent=None, js=True) -> (page, errors); every page
    opened is checked for console errors when the test ends."""
    contexts, all_errors = [], []

    def opener(url: str, user_agent: str | None = None, js: bool = True):
        options = {"java_script_enabled": js}
        if user_agent:
            options["user_agent"] = user_agent
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        errors = page_errors(page)
        all_errors.append(errors)
        page.goto(url)
        return page, errors

    yield opener
    for context in contexts:
        context.close()
    assert [e for errors in all_errors for e in errors] == []


UNKNOWN = "codes/SEC_ERROR_UNKNOWN_ISSUER.html"
ARTICLE_PAGE = "articles/security-warning-codes.html"


def visible_variants(page) -> list[str]:
    return page.eval_on_selector_all("section.variant:not([hidden])",
                                     "els => els.map(e => e.dataset.variant)")


def result_codes(page) -> list[str]:
    return page.eval_on_selector_all("#search-results li .result-code",
                                     "els => els.map(e => e.textContent)")


# --------------------------------------------------------------------------
# Index search
# --------------------------------------------------------------------------


def test_search_by_part_of_a_code(open_page, base_url):
    page, _ = open_page(base_url + "index.html")
    page.fill("#code-search", "unknown")
    assert result_codes(page)[0] == "SEC_ERROR_UNKNOWN_ISSUER"
    page.fill("#code-search", "UNKNOWN_ISSUER")
    assert result_codes(page)[0] == "SEC_ERROR_UNKNOWN_ISSUER"
    page.fill("#code-search", "unknown issuer")
    assert result_codes(page)[0] == "SEC_ERROR_UNKNOWN_ISSUER"
    assert page.is_hidden("#search-empty")


@pytest.mark.parametrize("query", ["-8179", "8179", "\u22128179"])
def test_search_by_value(open_page, base_url, query):
    page, _ = open_page(base_url + "index.html")
    page.fill("#code-search", query)
    assert result_codes(page)[0] == "SEC_ERROR_UNKNOWN_ISSUER"


def test_search_ranking_and_empty(open_page, base_url):
    page, _ = open_page(base_url + "index.html")
    # An exact alias first, even though another code contains it too.
    page.fill("#code-search", "error_self_signed_cert")
    assert result_codes(page)[0] == "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT"
    # A code prefix before codes that merely contain the text.
    page.fill("#code-search", "SEC_ERROR")
    assert sorted(result_codes(page)[:2]) == ["SEC_ERROR_EXPIRED_CERTIFICATE", "SEC_ERROR_UNKNOWN_ISSUER"]
    # A pasted line from the error page.
    page.fill("#code-search", "Error code: MOZILLA_PKIX_ERROR_MITM_DETECTED")
    assert result_codes(page)[0] == "MOZILLA_PKIX_ERROR_MITM_DETECTED"
    # Words of the title and summary.
    page.fill("#code-search", "clock")
    assert result_codes(page) == ["SEC_ERROR_EXPIRED_CERTIFICATE"]
    page.fill("#code-search", "intercept")
    assert result_codes(page) == ["MOZILLA_PKIX_ERROR_MITM_DETECTED"]
    page.fill("#code-search", "zzzz")
    assert result_codes(page) == []
    assert page.is_visible("#search-empty")
    page.fill("#code-search", "")
    assert page.is_hidden("#search-results") and page.is_hidden("#search-empty")
    # Results link to the code pages; Enter opens the first.
    page.fill("#code-search", "8179")
    assert page.get_attribute("#search-results a", "href") == UNKNOWN
    page.press("#code-search", "Enter")
    page.wait_for_url("**/" + UNKNOWN)
    assert page.inner_text("h1") == "SEC_ERROR_UNKNOWN_ISSUER"


def test_index_table(open_page, base_url):
    page, _ = open_page(base_url + "index.html")
    headers = page.eval_on_selector_all("#codes-table thead th", "els => els.map(e => e.textContent)")
    assert headers == ["Code", "Value", "Title"]
    assert page.locator("#codes-table tbody tr").count() == len(CODES)
    assert page.get_attribute("#code-SEC_ERROR_UNKNOWN_ISSUER a", "href") == UNKNOWN
    assert page.get_attribute("label[for=code-search]", "for") == "code-search"
    assert page.get_attribute("#code-search", "type") == "search"
    assert page.get_attribute("#code-search", "placeholder") == "Type an error code, number or words\u2026"


# --------------------------------------------------------------------------
# Code page: the variant picker
# --------------------------------------------------------------------------


def test_picker_switches_variant_and_persists(open_page, base_url):
    page, _ = open_page(base_url + UNKNOWN, user_agent=FX120_WIN10)
    assert page.input_value("#pick-os") == "win10"
    assert visible_variants(page) == ["fx66plus-win8-win10"]
    assert page.inner_text("#variant-label") == "Showing: Firefox 66 and later on Windows 8 or 10"

    page.select_option("#pick-os", "mac")
    assert visible_variants(page) == ["fx66plus-mac"]
    assert page.inner_text("#variant-label") == "Showing: Firefox 66 and later on macOS"
    assert page.evaluate("location.hash") == "#firefox:mac:fx150"
    assert page.evaluate("sessionStorage.getItem('showfor::persist')") == "firefox:mac:fx150"

    page.select_option("#pick-version", label="Firefox 58\u201365")
    assert visible_variants(page) == ["fx58-65-mac"]
    assert page.evaluate("location.hash") == "#firefox:mac:fx65"

    page.reload()
    assert visible_variants(page) == ["fx58-65-mac"]
    assert page.input_value("#pick-os") == "mac"

    # Another page of the same tab: sessionStorage carries the choice.
    page.goto(base_url + "codes/SEC_ERROR_EXPIRED_CERTIFICATE.html")
    assert visible_variants(page) == ["fx-upto65-mac-linux"]


def test_hash_wins_and_is_kitsunes_form(open_page, base_url):
    # Firefox 60 on macOS, but the link says Firefox 50 on Linux.
    page, _ = open_page(base_url + UNKNOWN + "#firefox:linux:fx50", user_agent=FX60_MAC)
    assert visible_variants(page) == ["fx-upto57-linux"]
    assert page.input_value("#pick-os") == "linux"
    # Several products, as Kitsune writes them: only ours counts.
    page.goto(base_url + UNKNOWN + "#mobile:android:m120&firefox:win7:fx60")
    page.reload()
    assert visible_variants(page) == ["fx58-65-winxp-win7-win11"]


@pytest.mark.parametrize("agent, version, platform, variant", [
    (FX60_MAC, "Firefox 58\u201365", "mac", "fx58-65-mac"),
    (FX200_LINUX, "Firefox 66 and later", "linux", "fx66plus-linux"),
    (CHROME_WIN7, "Firefox 66 and later", "win7", "fx66plus-winxp-win7-win11"),
], ids=["fx60-mac", "fx200-linux", "chrome-win7"])
def test_first_visit_uses_user_agent(open_page, base_url, agent, version, platform, variant):
    page, _ = open_page(base_url + UNKNOWN, user_agent=agent)
    selected = page.eval_on_selector("#pick-version", "s => s.selectedOptions[0].textContent")
    assert selected == version
    assert page.input_value("#pick-os") == platform
    assert visible_variants(page) == [variant]
    assert page.evaluate("location.hash") == ""  # detection is not a choice to persist


def test_code_page_content(open_page, base_url):
    page, _ = open_page(base_url + "codes/MOZILLA_PKIX_ERROR_MITM_DETECTED.html")
    assert page.inner_text("h1") == "MOZILLA_PKIX_ERROR_MITM_DETECTED"
    assert "-16369" in page.inner_text(".code-facts")
    special = page.locator(".special-case a")
    assert special.get_attribute("href") == "../" + UNKNOWN
    assert page.get_attribute(".see-also a >> nth=0", "href") == "../" + UNKNOWN


# --------------------------------------------------------------------------
# Article page: showfor
# --------------------------------------------------------------------------


def test_article_showfor(open_page, base_url):
    page, _ = open_page(base_url + ARTICLE_PAGE, user_agent=FX120_WIN10)
    assert page.is_visible('.for[data-for="win"] >> nth=0')
    assert page.is_visible('.for[data-for="win8,win10"]')
    assert page.is_hidden('.for[data-for="not fx66"]')
    assert page.is_visible('.for[data-for="fx300,nonsense"]')  # unknown terms are ignored

    page.select_option("#pick-os", "mac")
    assert page.eval_on_selector_all('.for[data-for="win"]', "els => els.every(e => e.hidden)")
    assert page.is_visible('.for[data-for="mac"] >> nth=0')
    assert page.evaluate("location.hash") == "#firefox:mac:fx150"

    page.select_option("#pick-version", label="Firefox 58\u201365")
    assert page.is_visible('.for[data-for="not fx66"]')
    assert page.is_hidden('.for[data-for="fx66"] >> nth=0')
    assert page.is_visible(".symantec") and page.is_hidden(".pre58")
    # TOC entries follow their headings.
    assert page.is_hidden('#toc a[href="#w_sec_error_unknown_issuer"]')
    assert page.is_visible('#toc a[href="#w_technical_information"]')
    assert page.inner_text("#variant-label") == "Showing: Firefox 58\u201365 on macOS"

    page.select_option("#pick-version", label="Firefox 57 and earlier")
    assert page.is_hidden(".symantec") and page.is_visible(".pre58")

    page.reload()
    assert page.input_value("#pick-os") == "mac"
    assert page.is_visible(".pre58")


def test_article_first_visit(open_page, base_url):
    page, _ = open_page(base_url + ARTICLE_PAGE, user_agent=FX60_MAC)
    assert page.is_hidden('.for[data-for="win"] >> nth=0')
    assert page.is_visible('.for[data-for="not fx66"]')


# The JavaScript port must agree with kb/conditions/predicate.py.
PREDICATES = [
    "fx58", "fx66", "not fx66", "notfx66", "=fx60", "=fx65", "win", "not win", "fx58,win",
    "fx58,mac", "fx58, mac", "m", "not m", "firefox", "fx", "=fx", "mac,linux", "win8,win10",
    "not mac", "fx300", "fx60.0", "fx060", "nonsense", "fx66,nonsense", "not fx58,not win",
    "tb115", "fx3.6", "fx4", "not fx4", "=fx3.6", "=fx5", "not  fx66", "", "fx66,", "win7,fx1",
]
READERS = [("firefox", 60, "mac"), ("firefox", 65, "win10"), ("firefox", 150, "linux"),
           ("firefox", 57, "winxp"), ("firefox", 1, "win11"), ("firefox", None, "mac"),
           ("mobile", 120, "android"), ("thunderbird", 115, "win7"), ("firefox", 3.6, "mac"),
           ("firefox", 4.5, "linux"), ("firefox", 999, "win8")]


@pytest.mark.parametrize("config", [
    Config.default(),
    Config.from_mapping({"products": [{"slug": "firefox", "short": "fx", "name": "Firefox",
                                       "versions": [3.5, 3.6, 4, 5]},
                                      {"slug": "thunderbird", "short": "tb", "name": "Thunderbird"}]}),
], ids=["default", "version-list"])
def test_showfor_port_matches_python(open_page, base_url, config):
    page, _ = open_page(base_url + ARTICLE_PAGE)
    cases = [{"text": t, "reader": {"product": p, "version": v, "platform": pl}}
             for t in PREDICATES for (p, v, pl) in READERS]
    got = page.evaluate("""([cfg, cases]) => {
        const sf = new window.KB.ShowFor(cfg);
        return cases.map(c => sf.matches(c.text, c.reader));
    }""", [showfor_data(config), cases])
    want = [matches(c["text"], Context(c["reader"]["product"], c["reader"]["version"],
                                       c["reader"]["platform"]), config) for c in cases]
    wrong = [(c["text"], c["reader"], w) for c, g, w in zip(cases, got, want) if g != w]
    assert wrong == []


# --------------------------------------------------------------------------
# file://, no JavaScript, every page error-free
# --------------------------------------------------------------------------


def test_file_urls(open_page, site):
    base = site.as_uri() + "/"
    page, _ = open_page(base + "index.html")
    page.fill("#code-search", "-8179")
    assert result_codes(page)[0] == "SEC_ERROR_UNKNOWN_ISSUER"
    page.click("#search-results a >> nth=0")
    page.wait_for_url("**/" + UNKNOWN)
    page.select_option("#pick-os", "linux")
    assert visible_variants(page) == ["fx66plus-linux"]
    assert page.evaluate("location.hash") == "#firefox:linux:fx150"
    page.click("a.site-name")
    page.wait_for_url("**/index.html")
    page.goto(base + ARTICLE_PAGE)
    assert page.is_hidden('.for[data-for="win"] >> nth=0')  # linux, from sessionStorage
    assert page.evaluate("getComputedStyle(document.body).display") == "flex"  # CSS loaded


def test_without_javascript(open_page, base_url):
    page, _ = open_page(base_url + UNKNOWN, js=False)
    assert page.is_hidden("#variant-picker")
    assert visible_variants(page) == ["fx66plus-win8-win10"]
    links = page.locator("nav.variant-links a")
    assert links.count() == 12
    assert links.nth(6).inner_text() == "Firefox 58\u201365 on macOS"
    links.nth(6).click()
    page.wait_for_url("**/codes/SEC_ERROR_UNKNOWN_ISSUER/fx58-65-mac.html")
    assert visible_variants(page) == ["fx58-65-mac"]
    assert page.inner_text("#variant-label") == "Showing: Firefox 58\u201365 on macOS"
    assert page.inner_text('nav.variant-links a[aria-current="page"]') == "Firefox 58\u201365 on macOS"
    page.click("text=Firefox 66 and later on Linux")
    page.wait_for_url("**/fx66plus-linux.html")
    assert visible_variants(page) == ["fx66plus-linux"]
    page.click(".breadcrumbs a >> nth=1")
    page.wait_for_url("**/" + UNKNOWN)

    # The article shows every variant; the index table is all there.
    page.goto(base_url + ARTICLE_PAGE)
    assert page.eval_on_selector_all(".for", "els => els.every(e => e.offsetParent !== null)")
    page.goto(base_url + "index.html")
    assert page.is_hidden("#code-search")
    assert page.locator("#codes-table tbody tr").count() == len(CODES)


def all_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_every_page_loads_without_errors(browser, base_url, site):
    context = browser.new_context()
    page = context.new_page()
    errors = page_errors(page)
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    pages = all_pages(site)
    assert len(pages) > 20
    for path in pages:
        page.goto(base_url + path)
        assert page.title()
        # Every relative link resolves to a page of the site.
        for href in page.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))"):
            assert not href.startswith("/"), (path, href)
            if href.startswith(("#", "http:", "https:", "mailto:")):
                continue
            target = (site / path).parent / href.split("#")[0]
            assert target.resolve().is_file(), (path, href)
    context.close()
    assert errors == [] and failed == []


# --------------------------------------------------------------------------
# Python helpers
# --------------------------------------------------------------------------


def test_search_index_js_is_script_safe():
    codes = [{"code": "X", "value": -1, "title": "</script><!-- & \u2028\u2029", "summary": "é",
              "aliases": ["Y"], "url": "codes/X.html", "category": "c", "documented": True}]
    text = search_index_js(codes)
    assert text.startswith("window.KB_SEARCH = ") and text.endswith(";\n")
    assert not re.search("[<>&\u2028\u2029]", text)
    data = json.loads(text[len("window.KB_SEARCH = "):-2])
    assert data == [{"code": "X", "value": -1, "title": "</script><!-- & \u2028\u2029",
                     "summary": "é", "aliases": ["Y"], "url": "codes/X.html"}]


def test_templates_escape_model_text(tmp_path):
    env = environment()
    evil = "<img src=x onerror=alert(1)>"
    codes = [dict(CODES[0], title=evil, summary=evil)]
    html = env.get_template("index.html").render(root="", site={"name": evil}, codes=codes, articles=[])
    assert evil not in html and "&lt;img" in html
    model = code_model("SEC_ERROR_UNKNOWN_ISSUER")
    model["code"]["title"] = evil
    model["variants"][0]["label"] = "</script><script>alert(1)</script>"
    html = env.get_template("code.html").render(root="../", site={}, **model)
    assert evil not in html and "</script><script>" not in html


def test_code_page_accepts_dataclasses():
    """Span objects (platforms a frozenset) and Context representatives
    serialize into the page data as plain JSON."""
    model = code_model("SEC_ERROR_UNKNOWN_ISSUER")
    for v in model["variants"]:
        v["spans"] = [Span(s["low"], s["high"], frozenset(s["platforms"])) for s in v["spans"]]
        r = v["representative"]
        v["representative"] = Context(r["product"], r["version"], r["platform"])
    html = environment().get_template("code.html").render(root="../", site={}, **model)
    data = json.loads(re.search(r'<script type="application/json" id="kb-page-data">(.*?)</script>',
                                html, re.S)[1])
    first = data["variants"][0]
    assert sorted(first["spans"][0]["platforms"]) == ["win10", "win8"]
    assert first["representative"] == {"product": "firefox", "version": 150, "platform": "win10"}
    assert data["default_variant"] == "fx66plus-win8-win10"
