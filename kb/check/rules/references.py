"""References: links, includes, templates and images that the content
folder does not hold, and templates or includes that end up including
themselves (directly or through others)."""

from __future__ import annotations

from kb.markup import nodes as n
from kb.render.media import youtube_id


def check(unit) -> list:
    out = _ui_components(unit)
    library = unit.library
    if library is None:
        return out
    graph = unit.shared.get("includes")
    if graph is None:
        graph = unit.shared["includes"] = IncludeGraph(library)
    me = _key(unit.article)
    for node in unit.nodes(n.Link, n.Image, n.Template, n.Include, n.Video):
        if isinstance(node, n.Video):
            if youtube_id(node.name) is None and not library.video_files(node.name)[0]:
                out.append(unit.at_node(
                    "missing-video",
                    f"video {node.name!r} is neither a YouTube URL nor in content/videos/; readers see "
                    f"'does not exist'. Add its files (.webm, .mp4, .ogv) or fix the URL.", node))
            continue
        if isinstance(node, n.Link):
            target = node.target
            if target and library.article_by_title(target) is None:
                out.append(unit.at_node(
                    "missing-article",
                    f"[[{target}]] is not an article in content/; the link goes to the live site.",
                    node))
        elif isinstance(node, n.Image):
            if library.image_path(node.name) is None:
                out.append(unit.at_node(
                    "missing-image",
                    f"image {node.name!r} is not in content/images/; readers see a broken image. "
                    f"Add the file (.png, .jpg, .gif, .svg, .webp) or fix the name.",
                    node))
        elif isinstance(node, (n.Template, n.Include)):
            is_template = isinstance(node, n.Template)
            target = library.template(node.name) if is_template else library.article_by_title(node.name)
            label = f"[[{'T' if is_template else 'I'}:{node.name}]]"
            if target is None:
                if is_template:
                    out.append(unit.at_node(
                        "missing-template",
                        f"template {node.name!r} is not in content/templates/; readers see a "
                        f"'does not exist' message instead. Add content/templates/{node.name}.wiki "
                        f"(title: \"Template:{node.name}\") or fix the name.", node))
                else:
                    out.append(unit.at_node(
                        "missing-include",
                        f"{label} includes an article that is not in content/; readers see a "
                        f"'does not exist' message instead. Fix the title or add the article.", node))
                continue
            if _key(target) == me:
                cycle = [graph.label(target), graph.label(target)]
            else:
                cycle = graph.cycle_from(target)
            if cycle:
                out.append(unit.at_node(
                    "recursive-template",
                    f"{label} never finishes expanding: {' → '.join(cycle)}; readers see a "
                    f"'recursive inclusion' message. Break the loop.", node))
    return out


def _ui_components(unit) -> list:
    """``[[UI:…]]`` that shows nothing the author meant: an unknown name, or
    a details marker that is not alone on its line (it then marks nothing)."""
    out = []
    for node in unit.nodes(n.UIComponent):
        name = node.name.strip().lower()
        if name in ("details_start", "details_end"):
            message = (f"[[UI:{node.name}]] marks a collapsible section only alone on its line; "
                       f"put it on a line of its own.")
        elif name == "device_migration_wizard":
            continue
        else:
            message = (f"[[UI:{node.name}]] names no UI component (there are details_start, details_end "
                       f"and device_migration_wizard); readers see 'does not exist'.")
        out.append(unit.at_node("unknown-ui-component", message, node))
    return out


def _key(article) -> str:
    return str(article.path.resolve()) if article is not None else ""


class IncludeGraph:
    """Which templates and articles include which, followed lazily."""

    def __init__(self, library) -> None:
        self.library = library
        self._edges: dict[str, list] = {}

    def label(self, article) -> str:
        from kb.content.library import template_name

        if any(t is article for t in self.library.templates):
            return f"T:{template_name(article)}"
        return f"I:{article.title}"

    def targets(self, article) -> list:
        key = _key(article)
        found = self._edges.get(key)
        if found is None:
            found = []
            for node in article.doc.walk():
                if isinstance(node, n.Template):
                    target = self.library.template(node.name)
                elif isinstance(node, n.Include):
                    target = self.library.article_by_title(node.name)
                else:
                    continue
                if target is not None and all(t is not target for t in found):
                    found.append(target)
            self._edges[key] = found
        return found

    def cycle_from(self, start) -> list[str] | None:
        """The labels on the way from ``start`` into a loop (the repeated
        label last), or None when every expansion from ``start`` ends."""
        path: list = [start]
        on_path = {_key(start): 0}
        iters = [iter(self.targets(start))]
        done: set[str] = set()
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                iters.pop()
                finished = path.pop()
                done.add(_key(finished))
                on_path.pop(_key(finished), None)
                continue
            key = _key(nxt)
            if key in on_path:
                return [self.label(a) for a in [*path, nxt]]
            if key in done:
                continue
            on_path[key] = len(path)
            path.append(nxt)
            iters.append(iter(self.targets(nxt)))
        return None
