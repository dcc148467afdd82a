"""Every corpus article rendered, construct by construct: what changed since
the last run, and (with --kitsune) where kb and Kitsune disagree.

    python bench/kitsune_corpus.py [--kitsune] [--update] [--show N]

Each article of ``../shared/corpus/thunderbird-en-US`` is rendered to HTML
(all variants) with a content library holding every corpus article and a
stand-in file for every image the corpus names, so links and images resolve
alike on both sides. From the HTML, per construct, the items a reader
relies on are read: heading ids and texts, link targets and labels, images,
list structure, emphasis, ``{for}`` conditions, callouts, UI labels,
videos, details sections, code, and the visible text block by block.

Against the baseline (``bench/baselines/kitsune-corpus.json``, the previous
run stored with ``--update``) it prints, per construct, how many articles
changed and the first items removed and added, so a reviewer sees what a
rendering change did to real articles. With ``--kitsune`` the same items
are read from the Kitsune stand-in (``bench/kitsune_reference.py``, needs
the bench extra) and the articles that disagree are counted per construct.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import html5lib

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus" / "thunderbird-en-US"
BASELINE = HERE / "baselines" / "kitsune-corpus.json"
KB_PATH = "/en-US/kb/"
IMAGE_PATH = "/media/"
LIVE_SITE = "https://support.mozilla.org/en-US/kb/"

CONSTRUCTS = ("headings", "links", "images", "lists", "emphasis", "for", "callouts", "ui-labels", "videos",
              "details", "code", "text")
#: Constructs whose order matters; the others are compared as multisets
#: (emphasis nested the other way round reads the same).
ORDERED = ("headings", "text", "lists")
_IMAGE_NAME = re.compile(r"\[\[Image:([^|\]]*)")


def corpus() -> list[dict]:
    index = json.loads((CORPUS / "index.json").read_text(encoding="utf-8"))
    out = []
    for entry in index["articles"]:
        path = CORPUS / f"{entry['slug']}.wiki"
        if path.exists():
            out.append({"title": entry["title"], "slug": entry["slug"], "text": path.read_text(encoding="utf-8")})
    return sorted(out, key=lambda a: a["slug"])


def image_names(articles: list[dict]) -> set[str]:
    return {m.group(1).strip() for a in articles for m in _IMAGE_NAME.finditer(a["text"]) if m.group(1).strip()}


# -- the two renderers -----------------------------------------------------------------------


def render_kb(articles: list[dict]) -> dict[str, str]:
    """slug → kb's HTML, every variant, with the corpus as its library."""
    from kb.content.library import Library
    from kb.render.context import RenderEnv
    from kb.render.html import render_html

    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        (content / "images").mkdir(parents=True)
        for article in articles:
            front = json.dumps({"title": article["title"], "slug": article["slug"]})
            (content / f"{article['slug']}.wiki").write_text(f"---\n{front}\n---\n{article['text']}", encoding="utf-8")
        for name in image_names(articles):
            stub = name if re.search(r"\.(png|jpe?g|gif|svg|webp)$", name, re.I) else name + ".png"
            if "/" not in stub and not stub.startswith("."):
                (content / "images" / stub).write_bytes(b"")
        library = Library.load(content)
        env = RenderEnv(library=library, link_url=lambda a: KB_PATH + a.slug,
                        image_url=lambda name, path: IMAGE_PATH + name)
        return {a.slug: render_html(a.doc, None, env=env) for a in library.articles}


def render_kitsune(articles: list[dict]) -> dict[str, str]:
    from kitsune_reference import KitsuneReference, Library

    library = Library(articles={a["title"]: a["text"] for a in articles}, images=image_names(articles),
                      slugs={a["title"]: a["slug"] for a in articles})
    reference = KitsuneReference(library)
    return {a["slug"]: reference.render(a["text"]) for a in articles}


# -- what a reader relies on, read from HTML ---------------------------------------------------------


def _text(element) -> str:
    text = " ".join(" ".join(_pieces(element)).replace("\u00a0", " ").split())
    return text.replace(" or has no approved revision", "")


def _pieces(element) -> list[str]:
    """The text inside, with a break after each block element (browsers
    show ``</p><p>`` as a break whatever white space is written)."""
    out: list[str] = [element.text or ""]
    for child in element:
        block = child.tag in _BLOCK or child.tag in ("br", "div", "ul", "ol", "dl", "table", "tr", "section")
        out.extend([" "] * block + _pieces(child) + [" "] * block)
        out.append(child.tail or "")
    return ["".join(out)]


def _classes(element) -> list[str]:
    return (element.get("class") or "").split()


def _href(href: str | None) -> str:
    """Both renderers' URLs for the same target, spelt one way."""
    href = unquote(href or "")
    m = re.match(r"/en-US/kb/new\?title=([^#]*)(#.*)?$", href)
    if m:  # Kitsune's "create this page" link: an article that is not here
        return "missing:" + re.sub(r"[^a-z0-9]+", "-", m.group(1).replace("+", " ").lower()).strip("-") + (m.group(2) or "")
    if href.startswith(LIVE_SITE):
        return "missing:" + href[len(LIVE_SITE):]
    if href.startswith("//"):
        href = "https:" + href
    elif href.startswith("/"):  # Kitsune's site-relative link: on the live site
        href = "https://support.mozilla.org" + href
    return href.replace("http://", "https://")


def features(html: str) -> dict[str, list[str]]:
    root = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    for toc in [e for e in root.iter() if e.get("id") == "toc"]:
        toc.clear()
    _privacy_forms(root)
    out: dict[str, list[str]] = {name: [] for name in CONSTRUCTS}
    parents = {child: parent for parent in root.iter() for child in parent}
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        classes = _classes(element)
        if re.fullmatch(r"h[1-6]", tag):
            out["headings"].append(f"{tag}#{element.get('id', '')} {_text(element)}")
        elif tag == "a" and element.get("href") is not None:
            out["links"].append(f"{_href(element.get('href'))} | {_text(element)}")
        elif tag == "img":
            parent = parents.get(element)
            framed = any(c in ("img-inner", "image") or p.tag == "figure"
                         for p in (parent, parents.get(parent)) if p is not None for c in _classes(p) + [""])
            out["images"].append(f"{unquote(element.get('src', ''))} alt={element.get('alt')!r}"
                                 f"{' framed' if framed else ''}")
        elif tag in ("ul", "ol", "dl") and (parents.get(element) is None or parents[element].tag not in
                                            ("li", "dt", "dd", "ul", "ol", "dl")):
            out["lists"].append(_list_shape(element))
        elif tag in ("strong", "em", "b", "i") and _text(element):  # an empty one shows nothing
            out["emphasis"].append(f"{'bold' if tag in ('strong', 'b') else 'italic'}: {_text(element)}")
        if "for" in classes:
            out["for"].append(f"{element.get('data-for', '')}: {_text(element)}")
        if tag == "div" and ("note" in classes or "warning" in classes):
            out["callouts"].append(f"{'note' if 'note' in classes else 'warning'}: {_text(element)}")
        if tag == "span" and set(classes) & {"button", "menu", "filepath", "pref", "key"}:
            kind = next(c for c in classes if c in ("button", "menu", "filepath", "pref", "key"))
            out["ui-labels"].append(f"{kind}: {_text(element)}")
        for attribute in ("src", "href", "data-video"):
            m = re.search(r"youtube(?:-nocookie)?\.com/embed/([\w-]+)", element.get(attribute) or "")
            if m and tag in ("iframe", "a"):
                out["videos"].append("youtube:" + m.group(1))
        if tag == "section" and ({"mzp-c-details", "details"} & set(classes)):
            out["details"].append(" / ".join(_text(h) for h in element.iter() if re.fullmatch(r"h[1-6]", str(h.tag))))
        if tag in ("code", "pre"):
            out["code"].append(_text(element))
    out["text"] = _blocks(root)
    return {name: [_short(item) for item in items] for name, items in out.items()}


def _short(item: str, keep: int = 80) -> str:
    """A long item as its beginning and a hash of the whole: enough to see
    what changed, small enough to keep a baseline of every article."""
    if len(item) <= keep + 12:
        return item
    return f"{item[:keep]}… #{hashlib.sha1(item.encode()).hexdigest()[:8]}"


def _privacy_forms(root) -> None:
    """kb's privacy-keeping forms read as what they stand for: a video's
    poster (a link to the player) as the player, a link to another site's
    picture (``[Image: alt]``) as the picture. Kitsune loads both as the
    page opens; docs/kitsune.md says why kb does not."""
    for element in root.iter():
        if element.tag == "a" and "video-poster" in _classes(element):
            element.tag, element.attrib = "iframe", {"src": element.get("href")}
            element.text = None
        elif element.tag == "a" and (element.text or "").startswith("[Image") and "external" in _classes(element):
            alt = element.text[len("[Image: "):-1] if element.text.startswith("[Image: ") else None
            element.tag, element.attrib = "img", {"src": element.get("href")}
            if alt is not None:
                element.set("alt", alt)
            element.text = None


def _list_shape(element) -> str:
    """The nesting of a list's items: ``ol(li(dl(dt)) li)``."""
    tags = [c for c in element if isinstance(c.tag, str)]
    inner = [f"{c.tag}({_list_shape(c)})" if c.tag in ("ul", "ol", "dl") else
             (c.tag + ("(" + " ".join(_list_shape(x) for x in c if x.tag in ("ul", "ol", "dl")) + ")"
                       if any(x.tag in ("ul", "ol", "dl") for x in c) else ""))
             for c in tags if c.tag in ("li", "dt", "dd", "ul", "ol", "dl")]
    return (element.tag + "(" + " ".join(inner) + ")") if element.tag in ("ul", "ol", "dl") else " ".join(inner)


_BLOCK = {"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "td", "th", "caption", "figcaption",
          "summary"}


def _blocks(root) -> list[str]:
    """The visible text, one item per block: a short hash and its first words
    (enough to say which paragraph changed without storing every article)."""
    words = _text(root)
    out = []
    for sentence in re.split(r"(?<=[.!?:])\s+", words):
        if sentence:
            digest = hashlib.sha1(sentence.encode()).hexdigest()[:8]
            out.append(f"{digest} {sentence[:40]}")
    return out


# -- reporting ---------------------------------------------------------------------------------------


def differences(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    removed = Counter(old) - Counter(new)
    added = Counter(new) - Counter(old)
    return list(removed.elements()), list(added.elements())


def report(title: str, left: dict, right: dict, show: int, left_name: str, right_name: str) -> int:
    """Per construct: articles whose items differ, and the first differences."""
    print(f"\n== {title}")
    slugs = sorted(set(left) | set(right))
    any_diff: set[str] = set()
    for construct in CONSTRUCTS:
        changed = []
        for slug in slugs:
            a = left.get(slug, {}).get(construct, [])
            b = right.get(slug, {}).get(construct, [])
            if (a != b) if construct in ORDERED else (Counter(a) != Counter(b)):
                changed.append((slug, *differences(a, b)))
        any_diff.update(slug for slug, *_ in changed)
        print(f"{construct:<10} {len(changed):>4} of {len(slugs)} articles differ")
        for slug, removed, added in changed[:show]:
            for item in removed[:3]:
                print(f"    {slug}: - {left_name}: {item[:110]}")
            for item in added[:3]:
                print(f"    {slug}: + {right_name}: {item[:110]}")
            if not removed and not added:
                print(f"    {slug}: same items, other order")
    print(f"any construct: {len(any_diff)} of {len(slugs)} articles ({100 * len(any_diff) / max(len(slugs), 1):.0f} %)")
    return len(any_diff)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kitsune", action="store_true", help="also compare with the Kitsune stand-in")
    ap.add_argument("--update", action="store_true", help="store this run as the new baseline")
    ap.add_argument("--show", type=int, default=3, help="articles shown per construct (default 3)")
    args = ap.parse_args()
    articles = corpus()
    ours = {slug: features(html) for slug, html in render_kb(articles).items()}
    if BASELINE.exists():
        report("kb now against the baseline", json.loads(BASELINE.read_text(encoding="utf-8")), ours,
               args.show, "before", "now")
    else:
        print(f"no baseline yet ({BASELINE.relative_to(ROOT)}); --update stores one")
    if args.kitsune:
        sys.path.insert(0, str(HERE))
        theirs = {slug: features(html) for slug, html in render_kitsune(articles).items()}
        report("kb against Kitsune (the stand-in)", theirs, ours, args.show, "kitsune", "kb")
    if args.update:
        BASELINE.parent.mkdir(exist_ok=True)
        BASELINE.write_text(json.dumps(ours, indent=0, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"baseline stored: {BASELINE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
